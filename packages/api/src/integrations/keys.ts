import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/**
 * API keys: `imp_live_<prefix>_<secret>`. The prefix (12 characters, public) finds the key; the secret (256 random
 * bits) proves it. Only the prefix and a SHA-256 of the secret are stored — a slow password hash would add nothing
 * against a secret that cannot be guessed, and would cost every request.
 */
const KEY = /^imp_live_([a-z2-7]{12})_([A-Za-z0-9_-]{43})$/
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567'

export interface NewApiKey {
  /** Shown to the person once, never stored. */
  key: string
  prefix: string
  secretHash: string
}

export function newApiKey(): NewApiKey {
  const prefix = Array.from(randomBytes(12), (b) => BASE32[b % 32]).join('')
  const secret = randomBytes(32).toString('base64url')
  return { key: `imp_live_${prefix}_${secret}`, prefix, secretHash: hashSecret(secret) }
}

export function parseApiKey(key: string): { prefix: string; secret: string } | null {
  const m = KEY.exec(key)
  return m ? { prefix: m[1]!, secret: m[2]! } : null
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex')
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(secret), 'hex')
  const b = Buffer.from(storedHash, 'hex')
  return a.length === b.length && timingSafeEqual(a, b)
}

/** The key from `Authorization: Bearer imp_live_…` (or an `X-Api-Key` header, for tools that cannot set Bearer). */
export function keyFromHeaders(headers: { authorization?: string | null; 'x-api-key'?: string | null }): string | null {
  const bearer = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')
  return bearer?.[1] ?? headers['x-api-key'] ?? null
}
