import { useLocation, useNavigate, useNavigation } from '@remix-run/react'
import { Button } from '@impera/ui'
import { useCallback, useEffect } from 'react'
import { useT } from '../i18n'

/** How often to try again while the server stays out of reach (the browser says nothing when only the server is down). */
const RETRY_MS = 5000

/**
 * A request that never got an answer (the device is offline, or the server is unreachable): how browsers report a
 * failed fetch or a route module that could not be loaded. Not an error of the app, so not a 500.
 */
export function isConnectionError(error: unknown): boolean {
  if (typeof navigator !== 'undefined' && navigator.onLine === false) return true
  return (
    error instanceof TypeError &&
    /failed to fetch|networkerror|load failed|network request failed|importing a module script failed|error loading dynamically imported module/i.test(
      error.message,
    )
  )
}

/**
 * Shown instead of the page a navigation could not load for want of a connection. It asks for that page again as
 * soon as the browser is back online, and every few seconds meanwhile; the page replaces it once it loads.
 */
export function ConnectionLost() {
  const t = useT()
  const navigate = useNavigate()
  const location = useLocation()
  const navigation = useNavigation()
  const retry = useCallback(
    () =>
      navigate(`${location.pathname}${location.search}${location.hash}`, { replace: true, preventScrollReset: true }),
    [navigate, location],
  )
  useEffect(() => {
    window.addEventListener('online', retry)
    const timer = window.setInterval(() => navigator.onLine && retry(), RETRY_MS)
    return () => {
      window.removeEventListener('online', retry)
      window.clearInterval(timer)
    }
  }, [retry])
  return (
    <main
      className="mx-auto flex min-h-dvh max-w-md flex-col items-center justify-center gap-4 p-6 text-center"
      data-testid="connection-lost"
    >
      <span className="size-8 animate-spin rounded-full border-4 border-primary border-t-transparent" aria-hidden />
      <h1 className="text-xl font-semibold" role="status">
        {t('errors.offlineTitle')}
      </h1>
      <p className="text-muted-foreground">{t('errors.offlineDetail')}</p>
      <Button variant="outline" onClick={retry} loading={navigation.state !== 'idle'}>
        {t('errors.offlineRetry')}
      </Button>
    </main>
  )
}
