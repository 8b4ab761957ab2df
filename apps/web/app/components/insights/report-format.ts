import type { Translate } from '../../i18n'
import { csvNumber } from '@impera/api/csv'
import { formatCount, formatDays, formatMinutes, formatMonth, formatPercent } from './format'

export interface ReportColumn {
  key: string
  kind: 'text' | 'label' | 'count' | 'percent' | 'minutes' | 'days' | 'month'
  labels?: string
}
export type ReportValue = string | number | null

const units: Partial<Record<ReportColumn['kind'], string>> = { percent: ' (%)', minutes: ' (min)', days: ' (d)' }

export function columnTitle(t: Translate, c: ReportColumn, forCsv = false) {
  return t(`reports.columns.${c.key}`) + (forCsv ? (units[c.kind] ?? '') : '')
}

/** A cell as the page shows it. */
export function displayCell(t: Translate, locale: string, c: ReportColumn, v: ReportValue): string {
  if (v === null || v === '') return '—'
  switch (c.kind) {
    case 'label':
      return t(`${c.labels}.${v}`)
    case 'count':
      return formatCount(locale, Number(v))
    case 'percent':
      return formatPercent(locale, Number(v))
    case 'minutes':
      return formatMinutes(locale, Number(v))
    case 'days':
      return formatDays(locale, Number(v))
    case 'month':
      return formatMonth(locale, String(v))
    default:
      return String(v)
  }
}

/** A cell for a spreadsheet: plain numbers in the header's unit, with the reader's decimal mark. */
export function csvCell(t: Translate, locale: string, c: ReportColumn, v: ReportValue): string | number | null {
  if (v === null) return null
  switch (c.kind) {
    case 'label':
      return t(`${c.labels}.${v}`)
    case 'count':
      return Number(v)
    case 'percent':
      return csvNumber(Number(v) * 100, locale, 1)
    case 'minutes':
    case 'days':
      return csvNumber(Number(v), locale, 1)
    default:
      return String(v)
  }
}
