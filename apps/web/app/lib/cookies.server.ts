import { serialize } from 'cookie'
import { AGENCY_COOKIE, LOCALE_COOKIE } from './cookie-names'

const year = 365 * 24 * 3600

export function agencyCookie(agencyId: string, secure: boolean): string {
  return serialize(AGENCY_COOKIE, agencyId, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: year })
}

export function localeCookie(locale: string, secure: boolean): string {
  return serialize(LOCALE_COOKIE, locale, { path: '/', httpOnly: false, sameSite: 'lax', secure, maxAge: year })
}

const BASE = 'http://impera.invalid'

/**
 * Where to go after signing in or changing the language: a path on this site, or `fallback`. The value is parsed the way
 * a browser would (tabs and newlines dropped, backslashes as slashes), so `/\t/evil.example` or `/\\evil.example` cannot
 * leave the site; the result is re-serialised, so it is always a valid, percent-encoded header value.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = '/app'): string {
  if (typeof to !== 'string' || !to.startsWith('/')) return fallback
  let url: URL
  try {
    url = new URL(to, BASE)
  } catch {
    return fallback
  }
  if (url.origin !== BASE) return fallback
  const path = `${url.pathname}${url.search}${url.hash}`
  // A path starting with two slashes is read by browsers as another host.
  return path.startsWith('//') ? fallback : path
}
