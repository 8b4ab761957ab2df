// No zod here: the calendar checks days in the browser (decision 036).

/** A calendar day as YYYY-MM-DD that exists (no 2024-02-30), in years 1 to 9999. */
export function isCalendarDay(v: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v)
  if (!m) return false
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (year < 1 || month < 1 || month > 12 || day < 1) return false
  // Day 0 of the next month is the last day of this one; setUTCFullYear keeps years below 100 literal.
  const last = new Date(0)
  last.setUTCFullYear(year, month, 0)
  return day <= last.getUTCDate()
}
