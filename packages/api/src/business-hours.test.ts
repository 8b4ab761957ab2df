import { describe, expect, it } from 'vitest'
import { businessMsBetween, parseRange, type BusinessHours } from './business-hours'

const office: BusinessHours = {
  mon: ['09:00-18:00'],
  tue: ['09:00-18:00'],
  wed: ['09:00-12:00', '13:00-18:00'],
  thu: ['09:00-18:00'],
  fri: ['09:00-18:00'],
  sat: ['09:00-13:00'],
  sun: [],
}
const SP = 'America/Sao_Paulo'
const H = 3_600_000
// 2026-12-04 is a Friday; São Paulo is UTC−3 (no daylight saving since 2019).
const at = (iso: string) => new Date(iso)

describe('business hours', () => {
  it('reads ranges, refusing impossible ones', () => {
    expect(parseRange('09:00-18:00')).toEqual([540, 1080])
    expect(parseRange(' 13:30 - 24:00 ')).toEqual([810, 1440])
    for (const bad of ['18:00-09:00', '9:00-18:00', '09:00-24:30', '25:00-26:00', '09:00', ''])
      expect(parseRange(bad)).toBeNull()
  })

  it('counts only the open hours, in the agency’s zone', () => {
    // Friday 17:30 → Monday 10:30 (local): 30 min on Friday, 4 h on Saturday, 1 h 30 on Monday.
    expect(businessMsBetween(office, SP, at('2026-12-04T20:30:00Z'), at('2026-12-07T13:30:00Z'))).toBe(6 * H)
    // Within one day, across the lunch break on Wednesday.
    expect(businessMsBetween(office, SP, at('2026-12-09T14:00:00Z'), at('2026-12-09T17:00:00Z'))).toBe(2 * H)
    // Entirely at night or on Sunday: nothing.
    expect(businessMsBetween(office, SP, at('2026-12-05T22:00:00Z'), at('2026-12-07T11:59:00Z'))).toBe(0)
    // The same instants read in another zone count other hours.
    expect(businessMsBetween(office, 'Europe/Lisbon', at('2026-12-04T08:00:00Z'), at('2026-12-04T10:00:00Z'))).toBe(H)
    expect(businessMsBetween(office, SP, at('2026-12-07T13:00:00Z'), at('2026-12-07T12:00:00Z'))).toBe(0)
  })

  it('counts across a daylight-saving change', () => {
    // Lisbon goes from UTC+0 to UTC+1 on 2027-03-28 (a Sunday): Monday 09:00 local is 08:00 UTC.
    const h: BusinessHours = { ...office, sun: ['00:00-24:00'] }
    expect(businessMsBetween(h, 'Europe/Lisbon', at('2027-03-28T00:00:00Z'), at('2027-03-29T09:00:00Z'))).toBe(
      23 * H + H,
    )
  })
})
