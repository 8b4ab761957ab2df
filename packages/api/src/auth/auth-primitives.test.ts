import { describe, expect, it } from 'vitest'
import { signValue, unsignValue } from './cookies'
import { hashPassword, isCommonPassword, verifyPassword } from './passwords'
import { hashToken, randomToken } from './tokens'

describe('signed cookie values', () => {
  it('round-trips, rejects tampering, and verifies with a rotated-out secret', () => {
    const signed = signValue('session-token', ['new-secret'])
    expect(unsignValue(signed, ['new-secret'])).toBe('session-token')
    expect(unsignValue(signed.replace('session', 'sessiom'), ['new-secret'])).toBeNull()
    expect(unsignValue(signed, ['other'])).toBeNull()
    expect(unsignValue(signValue('v', ['old']), ['new', 'old'])).toBe('v')
    expect(unsignValue('no-dot', ['s'])).toBeNull()
  })
})

describe('passwords', () => {
  it('hashes with Argon2id at the OWASP minimum parameters', async () => {
    const h = await hashPassword('a long enough passphrase')
    expect(h).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
    expect(await verifyPassword(h, 'a long enough passphrase')).toBe(true)
    expect(await verifyPassword(h, 'A long enough passphrase')).toBe(false)
    expect(await verifyPassword('not a hash', 'x')).toBe(false)
  })

  it('knows common passwords, including local ones, case-insensitively', () => {
    expect(isCommonPassword('password123')).toBe(true)
    expect(isCommonPassword('Senha123')).toBe(true)
    expect(isCommonPassword('corretor de imóveis no centro 42')).toBe(false)
  })
})

describe('tokens', () => {
  it('are 32 random bytes, stored only as SHA-256', () => {
    const t = randomToken()
    expect(Buffer.from(t, 'base64url')).toHaveLength(32)
    expect(randomToken()).not.toBe(t)
    expect(hashToken(t)).toMatch(/^[0-9a-f]{64}$/)
  })
})
