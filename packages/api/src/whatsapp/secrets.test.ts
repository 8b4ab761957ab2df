import { describe, expect, it } from 'vitest'
import { nextStatus } from '../services/whatsapp-pipeline'
import { createSecretBox } from './secrets'

describe('secret box', () => {
  it('round-trips, never stores the clear text, and refuses tampering or the wrong key', () => {
    const box = createSecretBox(Buffer.alloc(32, 9).toString('base64'))
    const sealed = box.seal('EAAG-token')
    expect(sealed).not.toContain('EAAG')
    expect(box.seal('EAAG-token')).not.toBe(sealed)
    expect(box.open(sealed)).toBe('EAAG-token')
    const parts = sealed.split('.')
    parts[3] = Buffer.from('tampered').toString('base64url')
    expect(() => box.open(parts.join('.'))).toThrow()
    expect(() => createSecretBox(Buffer.alloc(32, 1).toString('base64')).open(sealed)).toThrow()
    expect(() => createSecretBox(undefined).seal('x')).toThrow(/SECRETS_KEY/)
  })
})

describe('status monotonicity', () => {
  it('moves forward only; failed applies before delivery; a later delivery beats a failure', () => {
    expect(nextStatus('sent', 'delivered')).toBe('delivered')
    expect(nextStatus('read', 'delivered')).toBe('read')
    expect(nextStatus('delivered', 'sent')).toBe('delivered')
    expect(nextStatus('sent', 'failed')).toBe('failed')
    expect(nextStatus('delivered', 'failed')).toBe('delivered')
    expect(nextStatus('failed', 'delivered')).toBe('delivered')
    expect(nextStatus('failed', 'sent')).toBe('failed')
  })
})
