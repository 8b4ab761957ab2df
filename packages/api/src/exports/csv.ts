/**
 * CSV that opens right in Excel in Brazil and elsewhere: UTF-8 with a BOM (or Excel guesses Windows-1252 and breaks
 * accents), `;` or `,` between fields, fields quoted when they hold the separator, a quote or a line break, CRLF
 * line ends. Numbers use the reader's decimal mark.
 */
export type CsvSeparator = ';' | ','
export const BOM = '\uFEFF'

// Control characters other than line breaks, and the marks that reorder text (a name that displays as something else).
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g
const FORMULA_START = /^[=+\-@\t\r]/
const PLAIN_NUMBER = /^-?\d+([.,]\d+)?$/

/**
 * A text cell a spreadsheet will not run: one starting like a formula (= + - @, a tab or a carriage return) gets a
 * leading apostrophe, so `=HYPERLINK(…)` typed into a lead's name stays text. Numbers, including negative ones
 * written by csvNumber, are left as they are.
 */
function neutralise(text: string): string {
  const s = text.replace(UNSAFE, '')
  return FORMULA_START.test(s) && !PLAIN_NUMBER.test(s) ? `'${s}` : s
}

function csvField(value: string | number | null | undefined, sep: CsvSeparator): string {
  const s = value === null || value === undefined ? '' : typeof value === 'number' ? String(value) : neutralise(value)
  return s.includes(sep) || /["\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export function csvLine(values: (string | number | null | undefined)[], sep: CsvSeparator): string {
  return values.map((v) => csvField(v, sep)).join(sep) + '\r\n'
}

/** A number with the locale's decimal mark and no grouping (spreadsheets parse it as a number). */
export function csvNumber(n: number | null | undefined, locale: string, fractionDigits: number): string {
  if (n === null || n === undefined) return ''
  return new Intl.NumberFormat(locale, {
    useGrouping: false,
    minimumFractionDigits: 0,
    maximumFractionDigits: fractionDigits,
  }).format(n)
}

/**
 * Streams the BOM, the header and the rows (a few hundred lines per chunk), so a long table never sits in memory twice.
 * Rows may come from an async source (an export reading page after page); the stream pulls as the client reads.
 */
export function csvStream(
  header: string[],
  rows: Iterable<(string | number | null)[]> | AsyncIterable<(string | number | null)[]>,
  sep: CsvSeparator,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  const it = Symbol.asyncIterator in rows ? rows[Symbol.asyncIterator]() : rows[Symbol.iterator]()
  let started = false
  return new ReadableStream({
    async pull(controller) {
      let chunk = started ? '' : BOM + csvLine(header, sep)
      started = true
      for (let i = 0; i < 500; i++) {
        const next = await it.next()
        if (next.done) {
          if (chunk) controller.enqueue(encoder.encode(chunk))
          controller.close()
          return
        }
        chunk += csvLine(next.value, sep)
      }
      controller.enqueue(encoder.encode(chunk))
    },
    async cancel() {
      await it.return?.()
    },
  })
}
