import { RemixBrowser } from '@remix-run/react'
import { startTransition, StrictMode } from 'react'
import { hydrateRoot } from 'react-dom/client'
import { isLocale, loadCatalog } from './i18n'
import { INLINE_CSS_ID, setInlineCss } from './lib/inline-css'

// Remix's own client entry, once the reader's catalog is in (the server rendered the page in that language: hydrating
// with another would not match). Should it not load, the page stays the server's HTML, whose forms still work.
setInlineCss(document.getElementById(INLINE_CSS_ID)?.textContent ?? undefined)
const lang = document.documentElement.lang
void loadCatalog(isLocale(lang) ? lang : 'pt-BR').then(() =>
  startTransition(() => {
    hydrateRoot(
      document,
      <StrictMode>
        <RemixBrowser />
      </StrictMode>,
    )
  }),
)
