/**
 * Intl formatters, built once per locale and options and then reused. Building one costs far more than formatting
 * with it (locale data, a time zone's rules): a list page formats a date in every row and card, and a new
 * `Intl.DateTimeFormat` per call was 7 % of the web server's time under the benchmark's mixed load. Keys come from a
 * finite set (two locales, options written in code, the agencies' time zones); the cap only guards against a caller
 * that one day passes something open-ended.
 */
const MAX_CACHED = 500
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>()
const numberFormats = new Map<string, Intl.NumberFormat>()

function cached<F>(cache: Map<string, F>, locale: string, options: object, build: () => F): F {
  const key = `${locale}\u0000${JSON.stringify(options)}`
  let format = cache.get(key)
  if (!format) {
    if (cache.size >= MAX_CACHED) cache.clear()
    format = build()
    cache.set(key, format)
  }
  return format
}

export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions = {}): Intl.DateTimeFormat {
  return cached(dateTimeFormats, locale, options, () => new Intl.DateTimeFormat(locale, options))
}

export function numberFormat(locale: string, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  return cached(numberFormats, locale, options, () => new Intl.NumberFormat(locale, options))
}
