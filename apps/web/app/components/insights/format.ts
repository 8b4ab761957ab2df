import { dateTimeFormat, numberFormat } from '../../lib/intl'

/** Figures as people read them in their locale: counts, shares, durations. */
export function formatCount(locale: string, n: number | null | undefined) {
  return n === null || n === undefined ? '—' : numberFormat(locale).format(n)
}

export function formatPercent(locale: string, ratio: number | null | undefined) {
  return ratio === null || ratio === undefined
    ? '—'
    : numberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(ratio)
}

/** Minutes as "45 min", "3,5 h" or "2,1 d". */
export function formatMinutes(locale: string, minutes: number | null | undefined) {
  if (minutes === null || minutes === undefined) return '—'
  const nf = (v: number) => numberFormat(locale, { maximumFractionDigits: 1 }).format(v)
  if (minutes < 90) return `${nf(minutes)} min`
  if (minutes < 48 * 60) return `${nf(minutes / 60)} h`
  return `${nf(minutes / 1440)} d`
}

export function formatDays(locale: string, days: number | null | undefined) {
  return days === null || days === undefined
    ? '—'
    : `${numberFormat(locale, { maximumFractionDigits: 1 }).format(days)} d`
}

/** "2026-01" as "jan. de 2026" / "Jan 2026". */
export function formatMonth(locale: string, month: string) {
  const [y, m] = month.split('-').map(Number)
  return dateTimeFormat(locale, { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y!, m! - 1, 1)),
  )
}

/** "2026-01-05" as "05/01" / "1/5" for chart axes. */
export function formatDay(locale: string, day: string) {
  const [y, m, d] = day.split('-').map(Number)
  return dateTimeFormat(locale, { day: '2-digit', month: '2-digit', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y!, m! - 1, d!)),
  )
}
