import { createHmac } from 'node:crypto'
import { parse, serialize, type SerializeOptions } from 'cookie'
import { safeEqual } from './tokens'

/**
 * HMAC-signed cookie values. The first secret signs; all of them verify, so secrets can be rotated without logging
 * everybody out.
 */
export function signValue(value: string, secrets: readonly string[]): string {
  return `${value}.${mac(value, secrets[0]!)}`
}

export function unsignValue(signed: string, secrets: readonly string[]): string | null {
  const i = signed.lastIndexOf('.')
  if (i <= 0) return null
  const value = signed.slice(0, i)
  const sig = signed.slice(i + 1)
  return secrets.some((s) => safeEqual(mac(value, s), sig)) ? value : null
}

function mac(value: string, secret: string): string {
  return createHmac('sha256', secret).update(value).digest('base64url')
}

export function readCookie(request: Request, name: string): string | undefined {
  return parse(request.headers.get('cookie') ?? '')[name]
}

export function cookieHeader(name: string, value: string, opts: SerializeOptions): string {
  return serialize(name, value, { path: '/', httpOnly: true, sameSite: 'lax', ...opts })
}
