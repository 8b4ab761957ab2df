/**
 * An agency's opening hours (decision 021): per weekday, ranges `HH:MM-HH:MM` in the agency's time zone. Used to count
 * "horas úteis" — the time between two instants that falls inside them — for the rule that gives conversations back
 * to the AI, and by later rules (SLAs) the same way.
 */
export const weekdays = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const
export type Weekday = (typeof weekdays)[number]
export type BusinessHours = Record<Weekday, string[]>

import { wallClock, zonedInstant } from './zoned-time'

const RANGE = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/

/** Minutes from midnight of a valid range's ends, or null (`24:00` is the end of the day). */
export function parseRange(range: string): [number, number] | null {
  const m = RANGE.exec(range.replace(/\s+/g, ''))
  if (!m) return null
  const start = Number(m[1]) * 60 + Number(m[2])
  const end = Number(m[3]) * 60 + Number(m[4])
  return end <= 24 * 60 && start < end ? [start, end] : null
}

const DAY_MS = 86_400_000

/** How much of [from, to) falls inside the opening hours, in ms; at most `capDays` days are walked. */
export function businessMsBetween(hours: BusinessHours, timeZone: string, from: Date, to: Date, capDays = 62): number {
  if (to <= from) return 0
  let total = 0
  const start = wallClock(from, timeZone)
  // Walk local calendar days from the one `from` falls in; UTC date arithmetic on the local date is safe.
  const first = Date.UTC(start.year, start.month - 1, start.day)
  for (let d = 0; d <= capDays; d++) {
    const date = new Date(first + d * DAY_MS)
    const [y, m, day] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()]
    if (zonedInstant(timeZone, y, m, day, 0) >= to.getTime()) break
    for (const range of hours[weekdays[date.getUTCDay()]!] ?? []) {
      const r = parseRange(range)
      if (!r) continue
      const open = zonedInstant(timeZone, y, m, day, r[0])
      const close = zonedInstant(timeZone, y, m, day, r[1])
      total += Math.max(0, Math.min(close, to.getTime()) - Math.max(open, from.getTime()))
    }
  }
  return total
}

/**
 * The instant `ms` of opening hours after `from` ("15 minutes úteis" from Friday 17:55 is Monday 09:10). An agency
 * with no opening hours at all counts plain time.
 */
export function addBusinessMs(hours: BusinessHours, timeZone: string, from: Date, ms: number, capDays = 62): Date {
  let left = ms
  const start = wallClock(from, timeZone)
  const first = Date.UTC(start.year, start.month - 1, start.day)
  for (let d = 0; d <= capDays; d++) {
    const date = new Date(first + d * DAY_MS)
    const [y, m, day] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()]
    const ranges = (hours[weekdays[date.getUTCDay()]!] ?? [])
      .map(parseRange)
      .filter((r): r is [number, number] => r !== null)
      .sort((a, b) => a[0] - b[0])
    for (const r of ranges) {
      const open = Math.max(zonedInstant(timeZone, y, m, day, r[0]), from.getTime())
      const close = zonedInstant(timeZone, y, m, day, r[1])
      if (close <= open) continue
      if (close - open >= left) return new Date(open + left)
      left -= close - open
    }
  }
  return new Date(from.getTime() + ms)
}
