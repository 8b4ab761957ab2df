import { describe, expect, it } from 'vitest'
import { zonedInstant } from './zoned-time'

const at = (tz: string, y: number, m: number, d: number, hh: number, mm = 0) =>
  new Date(zonedInstant(tz, y, m, d, hh * 60 + mm)).toISOString()

describe('zonedInstant', () => {
  it('reads a zone without daylight saving', () => {
    expect(at('America/Sao_Paulo', 2026, 12, 4, 9)).toBe('2026-12-04T12:00:00.000Z')
    expect(at('Asia/Tokyo', 2031, 5, 21, 0, 30)).toBe('2031-05-20T15:30:00.000Z')
    expect(at('UTC', 2030, 1, 1, 0)).toBe('2030-01-01T00:00:00.000Z')
  })

  it('is right on both sides of the clocks going forward, and after the gap inside it', () => {
    // New York, 2027-03-14: 02:00 EST becomes 03:00 EDT.
    expect(at('America/New_York', 2027, 3, 14, 1, 30)).toBe('2027-03-14T06:30:00.000Z')
    expect(at('America/New_York', 2027, 3, 14, 3, 30)).toBe('2027-03-14T07:30:00.000Z')
    expect(at('America/New_York', 2027, 3, 14, 4, 0)).toBe('2027-03-14T08:00:00.000Z')
    expect(at('America/New_York', 2027, 3, 14, 2, 30)).toBe('2027-03-14T07:30:00.000Z')
    // Europe ahead of UTC: Lisbon, 2027-03-28, 01:00 WET becomes 02:00 WEST.
    expect(at('Europe/Lisbon', 2027, 3, 28, 0, 30)).toBe('2027-03-28T00:30:00.000Z')
    expect(at('Europe/Lisbon', 2027, 3, 28, 2, 30)).toBe('2027-03-28T01:30:00.000Z')
  })

  it('takes the first of a repeated hour when the clocks go back', () => {
    // New York, 2027-11-07: 02:00 EDT becomes 01:00 EST; 01:30 happens twice.
    expect(at('America/New_York', 2027, 11, 7, 1, 30)).toBe('2027-11-07T05:30:00.000Z')
    expect(at('America/New_York', 2027, 11, 7, 3, 0)).toBe('2027-11-07T08:00:00.000Z')
  })

  it('keeps years below 100 literal (Date.UTC would read 0001 as 1901)', () => {
    expect(new Date(zonedInstant('UTC', 1, 1, 1)).toISOString()).toBe('0001-01-01T00:00:00.000Z')
    expect(new Date(zonedInstant('UTC', 99, 12, 31, 60)).toISOString()).toBe('0099-12-31T01:00:00.000Z')
  })

  it('rolls days over month ends', () => {
    expect(at('America/Sao_Paulo', 2026, 12, 32, 9)).toBe('2027-01-01T12:00:00.000Z')
  })
})
