import { describe, expect, it } from 'vitest'
import { isQualified, nextQuestion } from './next-question'
import type { QualificationValues } from './qualification'

describe('nextQuestion', () => {
  it('asks one missing question at a time, in a fixed order', () => {
    const answers: QualificationValues[] = [
      { purpose: 'buy' },
      { propertyTypes: ['apartment'] },
      { locations: ['Pinheiros'] },
      { budgetMax: 80_000_000 },
      { minBedrooms: 2 },
      { financing: 'fgts' },
      { moveIn: 'up_to_6_months' },
    ]
    let known: QualificationValues = {}
    const asked: string[] = []
    for (const answer of answers) {
      const q = nextQuestion(known)
      expect(q).not.toBeNull()
      asked.push(q!.key)
      known = { ...known, ...answer }
    }
    expect(asked).toEqual(['purpose', 'propertyType', 'location', 'budget', 'bedrooms', 'financing', 'moveIn'])
    expect(nextQuestion(known)).toBeNull()
  })

  it('skips what the lead already said, whatever order it came in', () => {
    expect(nextQuestion({ purpose: 'rent', locations: ['Moema'], minBedrooms: 2 })?.key).toBe('propertyType')
    expect(nextQuestion({ propertyTypes: ['house'], budgetMax: 50_000_000 })?.key).toBe('purpose')
    expect(nextQuestion({ purpose: 'buy', propertyTypes: ['house'], locations: ['Lapa'], budgetMin: 1 })?.key).toBe(
      'bedrooms',
    )
  })

  it('does not ask again what the runner says went unanswered', () => {
    expect(nextQuestion({ purpose: 'buy' }, { skip: ['propertyType'] })?.key).toBe('location')
    expect(nextQuestion({}, { skip: ['purpose', 'propertyType', 'location'] })?.key).toBe('budget')
  })

  it('leaves out questions that do not apply', () => {
    const rent: QualificationValues = { purpose: 'rent', propertyTypes: ['apartment'], locations: ['Moema'] }
    expect(nextQuestion({ ...rent, budgetMax: 300_000, minBedrooms: 1 })?.key).toBe('moveIn')
    const plot: QualificationValues = { purpose: 'buy', propertyTypes: ['land'], locations: ['Osasco'], budgetMax: 1 }
    expect(nextQuestion(plot)?.key).toBe('financing')
    expect(nextQuestion({ ...plot, propertyTypes: ['land', 'house'] })?.key).toBe('bedrooms')
  })

  it('words the budget and timeframe for renting or buying, in pt-BR', () => {
    const base: QualificationValues = { propertyTypes: ['apartment'], locations: ['Moema'] }
    expect(nextQuestion({ ...base, purpose: 'rent' })?.text).toBe('Até quanto você pode pagar de aluguel por mês?')
    expect(nextQuestion({ ...base, purpose: 'buy' })?.text).toBe('Até quanto você pretende investir no imóvel?')
    expect(nextQuestion({ ...base }, { skip: ['purpose'] })?.text).toBe(
      'Qual é o valor máximo que você tem em mente para o imóvel?',
    )
    expect(nextQuestion({})?.text).toBe('Você procura um imóvel para comprar ou para alugar?')
  })
})

describe('isQualified', () => {
  it('needs purpose, a type or a place, and a budget', () => {
    expect(isQualified({ purpose: 'buy', propertyTypes: ['house'], budgetMax: 50_000_000 })).toBe(true)
    expect(isQualified({ purpose: 'rent', locations: ['Moema'], budgetMax: 300_000 })).toBe(true)
    expect(isQualified({ purpose: 'buy', locations: ['Moema'], budgetMin: 30_000_000 })).toBe(true)
    expect(isQualified({ propertyTypes: ['house'], locations: ['Moema'], budgetMax: 50_000_000 })).toBe(false)
    expect(isQualified({ purpose: 'buy', budgetMax: 50_000_000 })).toBe(false)
    expect(isQualified({ purpose: 'buy', propertyTypes: ['house'], locations: ['Moema'], minBedrooms: 3 })).toBe(false)
    expect(isQualified({ purpose: 'buy', propertyTypes: [], budgetMax: 50_000_000 })).toBe(false)
    expect(isQualified({})).toBe(false)
  })

  it('can be qualified with questions still left to ask', () => {
    const known: QualificationValues = { purpose: 'buy', propertyTypes: ['house'], budgetMax: 50_000_000 }
    expect(isQualified(known)).toBe(true)
    expect(nextQuestion(known)?.key).toBe('location')
  })
})
