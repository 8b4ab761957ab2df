/**
 * Wall-clock time in a time zone without a time-zone library: Intl reads an instant's local parts, and a local time
 * becomes an instant with the zone's offset read at that moment (see zonedInstant for the daylight-saving cases).
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

/**
 * The instant at which a local date's `minutes` after midnight happen in a time zone. The offset is read twice: at
 * the local time taken as UTC, then at the instant that gives — which is right on both sides of a daylight-saving
 * change (a single reading was an hour off for the hours just after the clocks went forward). A local time the change
 * skips (02:30 when 02:00 jumps to 03:00) lands after the gap, at 03:30, as calendars do; a repeated one (when the
 * clocks go back) is its first occurrence.
 */
export function zonedInstant(timeZone: string, year: number, month: number, day: number, minutes = 0): number {
  const target = utc(year, month - 1, day, 0, minutes)
  const offsetAt = (t: number) => {
    const p = wallClock(new Date(t), timeZone)
    return utc(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - (t - (t % 1000))
  }
  const first = target - offsetAt(target)
  const second = target - offsetAt(first)
  if (second === first) return first
  return second + offsetAt(second) === target ? second : first
}

/** Date.UTC, except that years 0–99 stay themselves (Date.UTC reads them as 1900–1999). */
function utc(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const d = new Date(0)
  d.setUTCFullYear(year, month, day)
  d.setUTCHours(hour, minute, second, 0)
  return d.getTime()
}
