import { describe, expect, it } from 'vitest'
import { formatDocument, parseDocument } from './documents'

describe('CPF / CNPJ', () => {
  it('accepts valid numbers with or without punctuation', () => {
    expect(parseDocument('529.982.247-25')).toEqual({ digits: '52998224725', kind: 'cpf' })
    expect(parseDocument('52998224725')).toEqual({ digits: '52998224725', kind: 'cpf' })
    expect(parseDocument('11.222.333/0001-81')).toEqual({ digits: '11222333000181', kind: 'cnpj' })
  })

  it('rejects wrong check digits, repeated digits and wrong lengths', () => {
    for (const bad of [
      '529.982.247-24',
      '111.111.111-11',
      '11.222.333/0001-80',
      '00000000000000',
      '123',
      'abc.def.ghi-jk',
    ])
      expect(parseDocument(bad), bad).toBeNull()
  })

  it('formats for display', () => {
    expect(formatDocument('52998224725')).toBe('529.982.247-25')
    expect(formatDocument('11222333000181')).toBe('11.222.333/0001-81')
  })
})
