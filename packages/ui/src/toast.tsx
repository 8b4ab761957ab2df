import * as React from 'react'

export interface ToastMessage {
  id: string
  title: string
  description?: string
  variant?: 'default' | 'success' | 'destructive'
}

const ToastRegion = React.lazy(() => import('./toast-region'))

const ToastContext = React.createContext<(t: Omit<ToastMessage, 'id'>) => void>(() => {})

/**
 * Announces messages politely to screen readers and lets them be dismissed by keyboard (F8 focuses the region). The
 * region's code (Radix Toast) loads with the first message, not with every page, and stays mounted from then on.
 */
export function ToastProvider({ children, closeLabel = 'Close' }: { children: React.ReactNode; closeLabel?: string }) {
  const [toasts, setToasts] = React.useState<ToastMessage[]>([])
  const [used, setUsed] = React.useState(false)
  const push = React.useCallback((t: Omit<ToastMessage, 'id'>) => {
    setUsed(true)
    setToasts((xs) => [...xs, { ...t, id: Math.random().toString(36).slice(2) }])
  }, [])
  const dismiss = React.useCallback((id: string) => setToasts((xs) => xs.filter((x) => x.id !== id)), [])
  return (
    <ToastContext.Provider value={push}>
      {children}
      {used ? (
        <React.Suspense fallback={null}>
          <ToastRegion toasts={toasts} closeLabel={closeLabel} onDismiss={dismiss} />
        </React.Suspense>
      ) : null}
    </ToastContext.Provider>
  )
}

export function useToast() {
  return React.useContext(ToastContext)
}
