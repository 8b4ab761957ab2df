/**
 * An agency's opening hours (decision 021): per weekday, ranges `HH:MM-HH:MM` in the agency's time zone. Used to count
 * "horas úteis" — the time between two instants that falls inside them — for the rule that gives conversations back
 * to the AI, and by later rules (SLAs) the same way.
 */
export const weekdays = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const
export type Weekday = (typeof weekdays)[number]
export type BusinessHours = Record<Weekday, string[]>

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

/** The wall-clock parts of an instant in a time zone. */
function localParts(at: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at)
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value)
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
  }
}

/** The instant at which a local wall-clock time happens in a time zone (the offset read at that moment). */
function instantOf(timeZone: string, year: number, month: number, day: number, minutes: number): number {
  const guess = Date.UTC(year, month - 1, day, 0, minutes)
  const p = localParts(new Date(guess), timeZone)
  const offset = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - guess
  return guess - offset
}

/** How much of [from, to) falls inside the opening hours, in ms; at most `capDays` days are walked. */
export function businessMsBetween(hours: BusinessHours, timeZone: string, from: Date, to: Date, capDays = 62): number {
  if (to <= from) return 0
  let total = 0
  const start = localParts(from, timeZone)
  // Walk local calendar days from the one `from` falls in; UTC date arithmetic on the local date is safe.
  const first = Date.UTC(start.year, start.month - 1, start.day)
  for (let d = 0; d <= capDays; d++) {
    const date = new Date(first + d * DAY_MS)
    const [y, m, day] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()]
    if (instantOf(timeZone, y, m, day, 0) >= to.getTime()) break
    for (const range of hours[weekdays[date.getUTCDay()]!] ?? []) {
      const r = parseRange(range)
      if (!r) continue
      const open = instantOf(timeZone, y, m, day, r[0])
      const close = instantOf(timeZone, y, m, day, r[1])
      total += Math.max(0, Math.min(close, to.getTime()) - Math.max(open, from.getTime()))
    }
  }
  return total
}
