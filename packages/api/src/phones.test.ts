import { describe, expect, it } from 'vitest'
import { formatPhone, normalizePhone, normalizePhones } from './phones'

describe('normalizePhone', () => {
  it('reads Brazilian numbers in any common format to E.164', () => {
    for (const raw of [
      '11 98765-4321',
      '(11) 98765-4321',
      '+55 11 98765-4321',
      '5511987654321',
      '011 98765 4321',
      '11987654321',
    ]) {
      expect(normalizePhone(raw, 'BR'), raw).toBe('+5511987654321')
    }
  })

  it('treats a Brazilian mobile with or without the 9th digit as the same number', () => {
    expect(normalizePhone('(11) 8765-4321', 'BR')).toBe('+5511987654321')
    expect(normalizePhone('+55 21 7654-3210', 'US')).toBe('+5521976543210')
  })

  it('leaves landlines and other countries alone', () => {
    expect(normalizePhone('(21) 3333-4444', 'BR')).toBe('+552133334444')
    expect(normalizePhone('+1 415 555 2671', 'BR')).toBe('+14155552671')
    expect(normalizePhone('415 555 2671', 'US')).toBe('+14155552671')
  })

  it('rejects what is not a phone number', () => {
    for (const raw of ['', 'abc', '123', 'call me maybe']) expect(normalizePhone(raw, 'BR'), raw).toBeNull()
  })

  it('normalises a list, dropping blanks and duplicates, and names the bad entry', () => {
    expect(normalizePhones(['11 98765-4321', '', '(11) 8765-4321', '21 3333-4444'], 'BR')).toEqual({
      ok: true,
      phones: ['+5511987654321', '+552133334444'],
    })
    expect(normalizePhones(['11 98765-4321', 'nope'], 'BR')).toEqual({ ok: false, index: 1 })
  })

  it('formats for the viewer: national at home, international abroad', () => {
    expect(formatPhone('+5511987654321', 'BR')).toBe('(11) 98765-4321')
    expect(formatPhone('+5511987654321', 'US')).toBe('+55 11 98765 4321')
  })
})
