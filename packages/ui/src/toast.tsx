import { Toast as T } from 'radix-ui'
import * as React from 'react'
import { cn } from './cn'

export interface ToastMessage {
  id: string
  title: string
  description?: string
  variant?: 'default' | 'success' | 'destructive'
}

const ToastContext = React.createContext<(t: Omit<ToastMessage, 'id'>) => void>(() => {})

/** Announces messages politely to screen readers and lets them be dismissed by keyboard (F8 focuses the region). */
export function ToastProvider({ children, closeLabel = 'Close' }: { children: React.ReactNode; closeLabel?: string }) {
  const [toasts, setToasts] = React.useState<ToastMessage[]>([])
  const push = React.useCallback(
    (t: Omit<ToastMessage, 'id'>) => setToasts((xs) => [...xs, { ...t, id: Math.random().toString(36).slice(2) }]),
    [],
  )
  return (
    <ToastContext.Provider value={push}>
      <T.Provider swipeDirection="right" duration={5000}>
        {children}
        {toasts.map((t) => (
          <T.Root
            key={t.id}
            data-testid="toast"
            onOpenChange={(open) => !open && setToasts((xs) => xs.filter((x) => x.id !== t.id))}
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
    </ToastContext.Provider>
  )
}

export function useToast() {
  return React.useContext(ToastContext)
}
