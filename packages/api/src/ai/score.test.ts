import { describe, expect, it } from 'vitest'
import { formatBrl, scoreQualification, summarizeQualification, temperatureOf } from './score'

describe('qualification score', () => {
  it('adds up its reasons, capped at 100', () => {
    expect(scoreQualification({})).toEqual({ score: 0, reasons: [], temperature: 'cold' })
    const s = scoreQualification({ purpose: 'buy', locations: ['Pinheiros'], budgetMax: 80_000_000 })
    expect(s).toEqual({ score: 45, reasons: ['purpose', 'location', 'budget'], temperature: 'warm' })
    const all = scoreQualification({
      purpose: 'buy',
      propertyTypes: ['apartment'],
      locations: ['Pinheiros'],
      budgetMax: 80_000_000,
      minBedrooms: 2,
      financing: 'fgts',
      moveIn: 'now',
    })
    expect(all.score).toBe(100)
    expect(all.temperature).toBe('hot')
  })

  it('"não sei" about payment counts for nothing', () => {
    expect(scoreQualification({ financing: 'unknown' }).reasons).toEqual([])
  })

  it('temperature thresholds', () => {
    expect([0, 39, 40, 69, 70, 100].map(temperatureOf)).toEqual(['cold', 'cold', 'warm', 'warm', 'hot', 'hot'])
  })

  it('summarises in pt-BR, with money as people say it', () => {
    expect(summarizeQualification({})).toBeNull()
    expect(
      summarizeQualification({
        purpose: 'buy',
        propertyTypes: ['apartment', 'house'],
        locations: ['Pinheiros', 'Perdizes'],
        minBedrooms: 2,
        budgetMax: 120_000_000,
        financing: 'financing',
        moveIn: 'up_to_6_months',
      }),
    ).toBe(
      'Quer comprar apartamento ou casa, em Pinheiros, Perdizes, 2+ quartos, até R$ 1,2 mi, pagamento: financiamento, mudança em até 6 meses.',
    )
    expect([formatBrl(350_000), formatBrl(50_000_000), formatBrl(125_000_000)]).toEqual([
      'R$ 3.500',
      'R$ 500 mil',
      'R$ 1,25 mi',
    ])
  })
})
