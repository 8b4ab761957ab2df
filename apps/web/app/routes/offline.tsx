import type { LoaderFunctionArgs } from '@remix-run/node'
import { translator } from '../i18n'
import { resolveLocale } from '../lib/locale.server'

const escape = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)

/**
 * The page the service worker (public/sw.js) keeps for when the network is gone: a full page load without a connection
 * shows "sem conexão, tentando de novo" in the member's language (fixed when the worker installs) instead of the
 * browser's dinosaur, and comes back by itself (public/offline.js). Self-contained: no app bundle to fetch offline.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { locale, theme } = await resolveLocale(context, request)
  const t = translator(locale)
  const html = `<!doctype html>
<html lang="${locale}" data-theme="${theme}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="theme-color" content="#0a6b4f">
<title>${escape(t('errors.offlineTitle'))} · Impera CRM</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<style>
:root { color-scheme: light dark; --bg: #fff; --fg: #0f172a; --muted: #475569; --primary: #0a6b4f; }
@media (prefers-color-scheme: dark) { :root:not([data-theme=light]) { --bg: #0b1220; --fg: #e2e8f0; --muted: #94a3b8; --primary: #34d399; } }
:root[data-theme=dark] { --bg: #0b1220; --fg: #e2e8f0; --muted: #94a3b8; --primary: #34d399; }
body { margin: 0; min-height: 100dvh; display: grid; place-items: center; background: var(--bg); color: var(--fg);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 28rem; padding: 1.5rem; text-align: center; display: grid; gap: 1rem; justify-items: center; }
h1 { font-size: 1.25rem; margin: 0; }
p { color: var(--muted); margin: 0; }
.spin { width: 2rem; height: 2rem; border-radius: 50%; border: 4px solid var(--primary); border-top-color: transparent;
  animation: spin 1s linear infinite; }
@keyframes spin { to { transform: rotate(360deg); } }
@media (prefers-reduced-motion: reduce) { .spin { animation: none; } }
button { font: inherit; padding: .5rem 1rem; min-height: 2.75rem; border-radius: .5rem; border: 1px solid var(--muted);
  background: transparent; color: var(--fg); cursor: pointer; }
button:focus-visible { outline: 2px solid var(--primary); outline-offset: 2px; }
</style>
</head>
<body>
<main data-testid="offline-page">
<span class="spin" aria-hidden="true"></span>
<h1 role="status">${escape(t('errors.offlineTitle'))}</h1>
<p>${escape(t('errors.offlineDetail'))}</p>
<button type="button" id="retry">${escape(t('errors.offlineRetry'))}</button>
</main>
<script src="/offline.js"></script>
</body>
</html>`
  return new Response(html, {
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
  })
}
