import { Dialog as D } from 'radix-ui'
import * as React from 'react'
import { cn } from './cn'

export const Dialog = D.Root
export const DialogTrigger = D.Trigger
export const DialogClose = D.Close

export function DialogContent({
  className,
  children,
  closeLabel = 'Close',
  side,
  ...props
}: React.ComponentProps<typeof D.Content> & { closeLabel?: string; side?: 'right' | 'left' }) {
  // What had focus when the dialog opened. Radix returns focus to a DialogTrigger only: a dialog opened by its state (a
  // button's onClick, a shortcut, a menu item) would leave focus on the page's body. Taken as the content mounts
  // (this wrapper renders while the dialog is closed too).
  const opener = React.useRef<HTMLElement | null>(null)
  const onOpenAutoFocus = (event: Event) => {
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null
    props.onOpenAutoFocus?.(event)
  }
  const onCloseAutoFocus = (event: Event) => {
    props.onCloseAutoFocus?.(event)
    if (event.defaultPrevented) return
    const el = opener.current
    if (el && el !== document.body && el.isConnected) {
      event.preventDefault()
      el.focus()
    }
  }
  return (
    <D.Portal>
      <D.Overlay className="fixed inset-0 z-50 bg-black/50" />
      <D.Content
        className={cn(
          'fixed z-50 grid gap-4 border bg-background p-6 shadow-lg focus:outline-none',
          side
            ? cn('inset-y-0 h-full w-[min(24rem,100vw)]', side === 'right' ? 'right-0 border-l' : 'left-0 border-r')
            : 'top-1/2 left-1/2 w-[min(32rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 rounded-lg',
          className,
        )}
        {...props}
        onOpenAutoFocus={onOpenAutoFocus}
        onCloseAutoFocus={onCloseAutoFocus}
      >
        {children}
        <D.Close
          className="absolute top-4 right-4 rounded-sm opacity-70 hover:opacity-100 focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
          aria-label={closeLabel}
        >
          <span aria-hidden>✕</span>
        </D.Close>
      </D.Content>
    </D.Portal>
  )
}

/** A side panel: the same accessible dialog, docked to an edge (navigation on phones, detail panes). */
export const Sheet = D.Root
export const SheetTrigger = D.Trigger
export function SheetContent(props: React.ComponentProps<typeof DialogContent>) {
  return <DialogContent side="left" {...props} />
}

export const DialogTitle = ({ className, ...p }: React.ComponentProps<typeof D.Title>) => (
  <D.Title className={cn('text-lg font-semibold', className)} {...p} />
)
export const DialogDescription = ({ className, ...p }: React.ComponentProps<typeof D.Description>) => (
  <D.Description className={cn('text-sm text-muted-foreground', className)} {...p} />
)
export const DialogFooter = ({ className, ...p }: React.HTMLAttributes<HTMLDivElement>) => (
  <div className={cn('flex flex-col-reverse gap-2 sm:flex-row sm:justify-end', className)} {...p} />
)
