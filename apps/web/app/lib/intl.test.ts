import { describe, expect, it } from 'vitest'
import { dateTimeFormat, numberFormat } from './intl'

describe('cached Intl formatters', () => {
  it('gives the same formatter for the same locale and options, and its own to each zone and locale', () => {
    const sp = dateTimeFormat('pt-BR', { dateStyle: 'short', timeStyle: 'short', timeZone: 'America/Sao_Paulo' })
    expect(dateTimeFormat('pt-BR', { dateStyle: 'short', timeStyle: 'short', timeZone: 'America/Sao_Paulo' })).toBe(sp)
    const lisbon = dateTimeFormat('pt-BR', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Lisbon' })
    const at = new Date('2026-03-01T15:30:00Z')
    expect([sp.format(at), lisbon.format(at)]).toEqual(['01/03/2026, 12:30', '01/03/2026, 15:30'])
    expect(dateTimeFormat('en', { dateStyle: 'short', timeZone: 'UTC' }).format(at)).toBe('3/1/26')
    expect(numberFormat('pt-BR').format(350000.5)).toBe('350.000,5')
    expect(numberFormat('en').format(350000.5)).toBe('350,000.5')
    expect(numberFormat('pt-BR', { style: 'currency', currency: 'BRL' }).format(12)).toBe('R$\u00a012,00')
  })
})
