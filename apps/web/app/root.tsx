import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import {
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useFetchers,
  useLoaderData,
  useRouteError,
  useRouteLoaderData,
} from '@remix-run/react'
import { Button, ToastProvider } from '@impera/ui'
import { useEffect, useMemo, useRef, useState } from 'react'
import styles from './app.css?url'
import { ConnectionLost, isConnectionError } from './components/connection-lost'
import { hasCatalog, I18nContext, loadCatalog, translator, type Locale } from './i18n'
import { catalogHref } from './lib/catalog-href.server'
import { resolveLocale, type Theme } from './lib/locale.server'
import { INLINE_CSS_ID, inlineCss } from './lib/inline-css'
import { useNonce } from './lib/nonce'

const isTheme = (v: string): v is Theme => v === 'system' || v === 'light' || v === 'dark'

export const links: LinksFunction = () => [
  // Inline in production (lib/inline-css.ts), a stylesheet otherwise.
  ...(inlineCss() ? [] : [{ rel: 'stylesheet', href: styles }]),
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
  // Installable on a phone's home screen, opening on "Hoje" without the browser's bars.
  { rel: 'manifest', href: '/manifest.webmanifest' },
  { rel: 'apple-touch-icon', href: '/icons/apple-touch-icon.png' },
]
export const meta: MetaFunction = () => [
  { title: 'Impera CRM' },
  { name: 'theme-color', content: '#0a6b4f' },
  { name: 'apple-mobile-web-app-title', content: 'Impera' },
]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { locale, theme } = await resolveLocale(context, request)
  return { locale, theme, catalog: catalogHref(locale), authKind: context.app.env.authKind }
}

/**
 * The reader's language. One saved in the profile arrives with the next loader data, before the browser has its
 * catalog: the page stays in the language it has until the new one is in.
 */
function useLocaleWithCatalog(locale: Locale): Locale {
  const last = useRef(locale)
  const [, loaded] = useState(0)
  const ready = hasCatalog(locale)
  if (ready) last.current = locale
  useEffect(() => {
    if (!ready) void loadCatalog(locale).then(() => loaded((n) => n + 1))
  }, [locale, ready])
  return last.current
}

function Document({
  locale: asked,
  theme,
  catalog,
  children,
}: {
  locale: Locale
  theme: Theme
  catalog?: string
  children: React.ReactNode
}) {
  const locale = useLocaleWithCatalog(asked)
  const value = useMemo(() => ({ locale, t: translator(locale) }), [locale])
  const nonce = useNonce()
  // A theme being saved shows at once (the profile's choice), before the server answers.
  const pending = useFetchers()
    .find((f) => f.formData?.get('intent') === 'theme')
    ?.formData?.get('theme')
  const shown = typeof pending === 'string' && isTheme(pending) ? pending : theme
  // Says the page is live (React owns it): until then a click reaches plain HTML. Browser tests wait on it. Effects run
  // children first, so by now every route's own effects have run too.
  useEffect(() => {
    document.documentElement.dataset.hydrated = 'true'
  }, [])
  // The service worker (public/sw.js, decision 035): the offline page and web push. A browser that refuses it (private
  // mode, a policy) simply goes without.
  useEffect(() => {
    navigator.serviceWorker?.register('/sw.js').catch(() => undefined)
  }, [])
  return (
    // The theme is an attribute the CSS reads (light-dark colours): rendered by the server, so nothing flashes.
    <html lang={locale} data-theme={shown}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        {inlineCss() ? <style id={INLINE_CSS_ID} dangerouslySetInnerHTML={{ __html: inlineCss()! }} /> : null}
        {/* The catalog entry.client.tsx waits for, fetched with the page's other modules rather than after them. */}
        {catalog ? <link rel="modulepreload" href={catalog} /> : null}
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
  const { locale, theme, catalog } = useLoaderData<typeof loader>()
  return (
    <Document locale={locale} theme={theme} catalog={catalog}>
      <Outlet />
    </Document>
  )
}

/** A useful page for any error: what happened in the user's language and a way back, never a stack trace. */
export function ErrorBoundary() {
  const error = useRouteError()
  const root = useRouteLoaderData<typeof loader>('root')
  const locale = root?.locale ?? 'pt-BR'
  const theme = root?.theme ?? 'system'
  // A navigation that could not reach the server is not an error of the app: say so, and try again.
  if (isConnectionError(error)) {
    return (
      <Document locale={locale} theme={theme} catalog={root?.catalog}>
        <ConnectionLost />
      </Document>
    )
  }
  const t = translator(locale)
  const status = isRouteErrorResponse(error) ? error.status : 500
  const title = status === 404 ? t('errors.notFoundTitle') : t('errors.title')
  const detail = status === 404 ? t('errors.notFound') : status === 403 ? t('errors.forbidden') : t('errors.internal')
  return (
    <Document locale={locale} theme={theme} catalog={root?.catalog}>
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
