/**
 * Wall-clock time in a time zone without a time-zone library: Intl reads an instant's local parts, and a local time
 * becomes an instant with the zone's offset read at that moment (right on either side of a daylight-saving change;
 * a local time that does not exist, skipped by the change, lands an hour off, which no caller here depends on).
 */
export function wallClock(at: Date, timeZone: string) {
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

/** The instant at which a local date's `minutes` after midnight happen in a time zone. */
export function zonedInstant(timeZone: string, year: number, month: number, day: number, minutes = 0): number {
  const guess = Date.UTC(year, month - 1, day, 0, minutes)
  const p = wallClock(new Date(guess), timeZone)
  const offset = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - guess
  return guess - offset
}
