import { describe, expect, it } from 'vitest'
import { applySlots, valuesOf, ZQualification, ZQualificationValues, type Qualification } from './qualification'

describe('qualification slots', () => {
  it('keeps a person’s value against the bot and imports, and lets a person change it', () => {
    const current: Qualification = { budgetMax: { value: 50_000_000, source: 'person' } }
    expect(applySlots(current, { budgetMax: 80_000_000 }, 'bot').budgetMax).toEqual({
      value: 50_000_000,
      source: 'person',
    })
    expect(applySlots(current, { budgetMax: 80_000_000 }, 'import').budgetMax?.value).toBe(50_000_000)
    expect(applySlots(current, { budgetMax: 80_000_000 }, 'person').budgetMax?.value).toBe(80_000_000)
  })

  it('replaces the bot’s own values and grows its lists', () => {
    let q: Qualification = {}
    q = applySlots(q, { purpose: 'buy', locations: ['Pinheiros'] }, 'bot')
    q = applySlots(q, { purpose: 'rent', locations: ['Perdizes', 'Pinheiros'] }, 'bot')
    expect(valuesOf(q)).toEqual({ purpose: 'rent', locations: ['Pinheiros', 'Perdizes'] })
    q = applySlots(q, { locations: ['Moema'] }, 'person')
    expect(q.locations).toEqual({ value: ['Moema'], source: 'person' })
  })

  it('validates values and stored slots with the shared schemas', () => {
    expect(ZQualificationValues.safeParse({ budgetMin: 2, budgetMax: 1 }).success).toBe(false)
    expect(ZQualificationValues.safeParse({ budgetMax: 1.5 }).success).toBe(false)
    expect(ZQualificationValues.safeParse({ propertyTypes: ['castle'] }).success).toBe(false)
    expect(ZQualificationValues.safeParse({ financing: 'fgts', moveIn: 'later', minBedrooms: 3 }).success).toBe(true)
    expect(ZQualification.safeParse({ purpose: { value: 'buy', source: 'bot' } }).success).toBe(true)
    expect(ZQualification.safeParse({ purpose: { value: 'buy', source: 'robot' } }).success).toBe(false)
  })
})
