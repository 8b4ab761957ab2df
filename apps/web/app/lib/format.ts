import { numberFormat } from './intl'

/** Integer cents in the agency currency, formatted for the reader's locale. */
export function formatMoney(cents: number | null | undefined, currency: string, locale: string): string {
  if (cents === null || cents === undefined) return ''
  return numberFormat(locale, {
    style: 'currency',
    currency,
    maximumFractionDigits: cents % 100 === 0 ? 0 : 2,
  }).format(cents / 100)
}

/** Cents as an editable amount in the reader's locale ("350.000,00" / "350,000.00"); the schema parses both. */
export function moneyInputValue(cents: number | null | undefined, locale: string): string {
  if (cents === null || cents === undefined) return ''
  return numberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(cents / 100)
}
