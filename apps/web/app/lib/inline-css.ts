/**
 * The app's stylesheet, when pages carry it inline (production builds): on a slow network a page then paints from its
 * HTML alone, instead of waiting for a stylesheet that shares the bandwidth with the page's JavaScript (on Fast 3G
 * that wait was most of a second). The server reads the built file once (entry.server.tsx); the browser takes the
 * same text back from the page (entry.client.tsx), so hydration renders the identical tag and nothing is sent twice.
 */
let css: string | undefined

export const inlineCss = () => css

export function setInlineCss(text: string | undefined) {
  css = text
}

export const INLINE_CSS_ID = 'app-css'
