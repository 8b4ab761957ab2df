import { Toast as T } from 'radix-ui'
import { cn } from './cn'
import type { ToastMessage } from './toast'

/** The toasts on screen and their region (toast.tsx loads this with the first one). */
export default function ToastRegion({
  toasts,
  closeLabel,
  onDismiss,
}: {
  toasts: ToastMessage[]
  closeLabel: string
  onDismiss: (id: string) => void
}) {
  return (
    <T.Provider swipeDirection="right" duration={5000}>
      {toasts.map((t) => (
        <T.Root
          key={t.id}
          data-testid="toast"
          onOpenChange={(open) => !open && onDismiss(t.id)}
          className={cn(
            'grid grid-cols-[1fr_auto] items-start gap-2 rounded-md border bg-background p-4 shadow-lg',
            t.variant === 'destructive' && 'border-destructive bg-destructive text-destructive-foreground',
            t.variant === 'success' &&
              'border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100',
          )}
        >
          <div>
            <T.Title className="text-sm font-semibold">{t.title}</T.Title>
            {t.description ? <T.Description className="text-sm opacity-90">{t.description}</T.Description> : null}
          </div>
          <T.Close aria-label={closeLabel} className="opacity-70 hover:opacity-100">
            ✕
          </T.Close>
        </T.Root>
      ))}
      <T.Viewport className="fixed right-0 bottom-[var(--bottom-bar,0px)] z-[100] flex max-h-screen w-full flex-col gap-2 p-4 sm:max-w-sm" />
    </T.Provider>
  )
}
