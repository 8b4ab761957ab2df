import { describe, expect, it } from 'vitest'
import { addBusinessMs, businessMsBetween, parseRange, type BusinessHours } from './business-hours'

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

  it('adds opening time: a deadline in "minutos úteis"', () => {
    const M = 60_000
    // Friday 17:55 local + 15 min → 5 min on Friday, Saturday opens 09:00 → Saturday 09:10.
    expect(addBusinessMs(office, SP, at('2026-12-04T20:55:00Z'), 15 * M)).toEqual(at('2026-12-05T12:10:00Z'))
    // Saturday 12:50 + 30 min → Monday 09:20 (Sunday closed).
    expect(addBusinessMs(office, SP, at('2026-12-05T15:50:00Z'), 30 * M)).toEqual(at('2026-12-07T12:20:00Z'))
    // Wednesday 11:50 + 20 min → across lunch, 13:10.
    expect(addBusinessMs(office, SP, at('2026-12-09T14:50:00Z'), 20 * M)).toEqual(at('2026-12-09T16:10:00Z'))
    // At night: the clock starts when the office opens.
    expect(addBusinessMs(office, SP, at('2026-12-08T02:00:00Z'), 15 * M)).toEqual(at('2026-12-08T12:15:00Z'))
    // Inside hours, plain addition; the inverse of businessMsBetween.
    const from = at('2026-12-08T13:00:00Z')
    const due = addBusinessMs(office, SP, from, 5 * H)
    expect(businessMsBetween(office, SP, from, due)).toBe(5 * H)
    // No opening hours at all: plain time.
    const closed = { sun: [], mon: [], tue: [], wed: [], thu: [], fri: [], sat: [] }
    expect(addBusinessMs(closed, SP, from, 15 * M)).toEqual(new Date(from.getTime() + 15 * M))
  })
})
