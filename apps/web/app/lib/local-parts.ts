import { wallClock } from '@impera/api/zoned-time'

/** Day (YYYY-MM-DD) and time (HH:MM) of an instant in the agency's zone, for the date and time inputs. */
export function localParts(at: Date, timeZone: string) {
  const w = wallClock(at, timeZone)
  const pad = (n: number) => String(n).padStart(2, '0')
  return { date: `${w.year}-${pad(w.month)}-${pad(w.day)}`, time: `${pad(w.hour)}:${pad(w.minute)}` }
}
