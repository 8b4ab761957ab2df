import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import {
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useRouteError,
  useRouteLoaderData,
} from '@remix-run/react'
import { Button, ToastProvider } from '@impera/ui'
import { useEffect, useMemo } from 'react'
import styles from './app.css?url'
import { ConnectionLost, isConnectionError } from './components/connection-lost'
import { I18nContext, translator, type Locale } from './i18n'
import { resolveLocale } from './lib/locale.server'
import { useNonce } from './lib/nonce'

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: styles },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
]
export const meta: MetaFunction = () => [{ title: 'Impera CRM' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { locale } = await resolveLocale(context, request)
  return { locale, authKind: context.app.env.authKind }
}

function Document({ locale, children }: { locale: Locale; children: React.ReactNode }) {
  const value = useMemo(() => ({ locale, t: translator(locale) }), [locale])
  const nonce = useNonce()
  // Says the page is live (React owns it): until then a click reaches plain HTML. Browser tests wait on it. Effects run
  // children first, so by now every route's own effects have run too.
  useEffect(() => {
    document.documentElement.dataset.hydrated = 'true'
  }, [])
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body className="min-h-dvh antialiased">
        <I18nContext.Provider value={value}>
          <ToastProvider closeLabel={value.t('common.close')}>{children}</ToastProvider>
        </I18nContext.Provider>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  )
}

export default function App() {
  const { locale } = useLoaderData<typeof loader>()
  return (
    <Document locale={locale}>
      <Outlet />
    </Document>
  )
}

/** A useful page for any error: what happened in the user's language and a way back, never a stack trace. */
export function ErrorBoundary() {
  const error = useRouteError()
  const root = useRouteLoaderData<typeof loader>('root')
  const locale = root?.locale ?? 'pt-BR'
  // A navigation that could not reach the server is not an error of the app: say so, and try again.
  if (isConnectionError(error)) {
    return (
      <Document locale={locale}>
        <ConnectionLost />
      </Document>
    )
  }
  const t = translator(locale)
  const status = isRouteErrorResponse(error) ? error.status : 500
  const title = status === 404 ? t('errors.notFoundTitle') : t('errors.title')
  const detail = status === 404 ? t('errors.notFound') : status === 403 ? t('errors.forbidden') : t('errors.internal')
  return (
    <Document locale={locale}>
      <main className="mx-auto flex min-h-dvh max-w-md flex-col items-center justify-center gap-4 p-6 text-center">
        <p className="text-5xl font-bold text-muted-foreground">{status}</p>
        <h1 className="text-xl font-semibold">{title}</h1>
        <p className="text-muted-foreground">{detail}</p>
        <Button asChild>
          <Link to="/">{t('errors.goHome')}</Link>
        </Button>
      </main>
    </Document>
  )
}
