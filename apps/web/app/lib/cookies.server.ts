import { serialize } from 'cookie'
import { AGENCY_COOKIE, LOCALE_COOKIE } from './cookie-names'

const year = 365 * 24 * 3600

export function agencyCookie(agencyId: string, secure: boolean): string {
  return serialize(AGENCY_COOKIE, agencyId, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: year })
}

export function localeCookie(locale: string, secure: boolean): string {
  return serialize(LOCALE_COOKIE, locale, { path: '/', httpOnly: false, sameSite: 'lax', secure, maxAge: year })
}

/** Only same-origin relative paths, so `?redirectTo=` cannot become an open redirect. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = '/app'): string {
  if (typeof to !== 'string' || !to.startsWith('/') || to.startsWith('//') || to.startsWith('/\\')) return fallback
  return to
}
