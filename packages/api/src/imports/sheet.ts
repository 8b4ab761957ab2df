/**
 * Reads an uploaded spreadsheet (a CSV/text export or an .xlsx workbook) row by row for the import. The upload is in
 * memory as bytes when it arrives; the jobs read the stored file as a stream (FileStorage.open), so neither the file
 * nor its rows are ever held whole: a 100,000-row file never exists as one string or one array of rows.
 */
import { Readable } from 'node:stream'
import ExcelJS from 'exceljs'
import { AppError } from '../errors'
import { cleanText } from '../schemas/common'

export type SheetFormat = 'csv' | 'xlsx'

export interface SheetInfo {
  format: SheetFormat
  /** CSV only: how the bytes are decoded. */
  encoding: 'utf-8' | 'windows-1252' | null
  /** CSV only. */
  separator: ',' | ';' | '\t' | null
}

/**
 * The file: its bytes (the upload, read for its header and sample), or a stream of them (the stored file, read by the
 * validation and the run — checked already when it was uploaded).
 */
export type SheetSource = Uint8Array | Readable

interface SheetRow {
  row: number
  cells: string[]
}

/** Decoding and parsing step for CSV: small enough to stay cache-friendly, large enough that per-chunk work is noise. */
const CHUNK_BYTES = 64 * 1024
/** What the sniffer decodes to find the separator: the header line of any real export fits many times over. */
const SNIFF_BYTES = 64 * 1024
/** Hard limits that keep one hostile or broken row (an unclosed quote swallowing the file) from exhausting memory. */
const MAX_FIELD_CHARS = 100_000
const MAX_CELLS = 500

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04]
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0]
const UTF8_BOM = [0xef, 0xbb, 0xbf]

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return magic.every((b, i) => bytes[i] === b)
}

function unreadable(message: string, cause?: unknown): AppError {
  return new AppError('INVALID_INPUT', message, { userMessage: 'imports.errors.unreadable', cause })
}

function rowTooLarge(message: string, row: number): AppError {
  return new AppError('INVALID_INPUT', message, { userMessage: 'imports.errors.rowTooLarge', meta: { row } })
}

/**
 * Detects format (XLSX by the zip magic bytes PK\x03\x04, else CSV/text), the CSV encoding (a UTF-8 BOM → utf-8; bytes
 * that are valid UTF-8 → utf-8; else windows-1252, i.e. Excel's "CSV (separado por vírgulas)" on Windows) and separator
 * (count ; , \t outside quotes on the first non-empty line, most frequent wins, ties prefer ';' then ','). Throws
 * AppError('INVALID_INPUT', ..., { userMessage: 'imports.errors.unreadable' }) for an empty file, a binary non-XLSX
 * file (NUL bytes in the first 4 KB of a non-zip), and a legacy .xls (OLE magic D0 CF 11 E0 → userMessage
 * 'imports.errors.legacyXls').
 */
export function sniffSheet(bytes: Uint8Array): SheetInfo {
  if (bytes.length === 0) throw unreadable('The file is empty')
  if (startsWith(bytes, ZIP_MAGIC)) return { format: 'xlsx', encoding: null, separator: null }
  if (startsWith(bytes, OLE_MAGIC)) {
    throw new AppError('INVALID_INPUT', 'Legacy .xls (OLE2) workbooks are not supported', {
      userMessage: 'imports.errors.legacyXls',
    })
  }
  // Text never contains NUL; images, archives and UTF-16 exports (Excel's "Unicode text") do within their first bytes.
  if (bytes.subarray(0, 4096).includes(0)) throw unreadable('The file is binary, neither text nor XLSX')
  const encoding = startsWith(bytes, UTF8_BOM) || isUtf8(bytes) ? 'utf-8' : 'windows-1252'
  return { format: 'csv', encoding, separator: sniffSeparator(bytes, encoding) }
}

/** Valid UTF-8 throughout. Windows-1252 text with any accent is almost never valid UTF-8, so this tells them apart. */
function isUtf8(bytes: Uint8Array): boolean {
  const decoder = new TextDecoder('utf-8', { fatal: true })
  try {
    for (let offset = 0; offset < bytes.length; offset += CHUNK_BYTES) {
      decoder.decode(bytes.subarray(offset, offset + CHUNK_BYTES), { stream: true })
    }
    decoder.decode()
    return true
  } catch {
    return false
  }
}

function sniffSeparator(bytes: Uint8Array, encoding: 'utf-8' | 'windows-1252'): ',' | ';' | '\t' {
  // Only quotes and separators matter here, so a one-shot decode (see readCsv on Windows-1252) is fine.
  const text = new TextDecoder(encoding).decode(bytes.subarray(0, SNIFF_BYTES))
  const counts = { ';': 0, ',': 0, '\t': 0 }
  let inQuotes = false
  let blank = true
  for (const ch of text) {
    if (ch === '"') inQuotes = !inQuotes
    else if (inQuotes) continue
    else if (ch === ';' || ch === ',' || ch === '\t') counts[ch]++
    // Blank lines above the header (some exports start with one) say nothing; the first line with content decides.
    else if (ch === '\n' || ch === '\r') {
      if (!blank) break
      continue
    } else if (ch === ' ') continue
    blank = false
  }
  // Brazilian Excel writes ';' (',' is the decimal mark), so it wins ties, including the no-separator single column.
  if (counts[';'] >= counts[','] && counts[';'] >= counts['\t']) return ';'
  return counts[','] >= counts['\t'] ? ',' : '\t'
}

/**
 * Streams the first worksheet's rows: `row` is the 1-based row number as the person sees it in Excel / the line-ish
 * record number in CSV (header = 1); `cells` are strings, trimmed, NUL bytes removed and lone surrogates (an XLSX's
 * character references can carry them) replaced, since Postgres refuses both; completely empty rows are skipped (but
 * row numbers keep counting).
 */
export function readRows(source: SheetSource, info: SheetInfo): AsyncGenerator<SheetRow> {
  return info.format === 'xlsx' ? readXlsx(source) : readCsv(source, info)
}

/** The source in pieces of at most CHUNK_BYTES. */
async function* chunksOf(source: SheetSource): AsyncGenerator<Uint8Array> {
  const pieces = function* (bytes: Uint8Array) {
    for (let offset = 0; offset < bytes.length; offset += CHUNK_BYTES)
      yield bytes.subarray(offset, offset + CHUNK_BYTES)
  }
  if (source instanceof Uint8Array) yield* pieces(source)
  else for await (const chunk of source as AsyncIterable<Uint8Array>) yield* pieces(chunk)
}

/** NUL or any surrogate: the rare cells worth a closer look (cleanText replaces only the lone ones). */
// eslint-disable-next-line no-control-regex -- NUL is exactly what is looked for
const UNSAFE = /[\u0000\ud800-\udfff]/

function cleanCells(raw: string[]): string[] | null {
  let empty = true
  const cells = raw.map((value) => {
    const cell = (UNSAFE.test(value) ? cleanText(value) : value).trim()
    if (cell !== '') empty = false
    return cell
  })
  return empty ? null : cells
}

// ---------------------------------------------------------------------------------------------------------------------
// CSV

async function* readCsv(source: SheetSource, info: SheetInfo): AsyncGenerator<SheetRow> {
  // The default TextDecoder drops a leading UTF-8 BOM, so the first header never starts with U+FEFF. Streaming mode
  // also matters for Windows-1252: Node 20's one-shot decode takes a Latin-1 fast path that turns 0x80–0x9F (€ ’ “ ” –
  // …, which Excel's autocorrect puts in Brazilian text) into control characters (nodejs/node#56542); a decoder that
  // has streamed once goes through ICU for good. The tests pin this.
  const decoder = new TextDecoder(info.encoding ?? 'utf-8')
  const parser = new CsvParser(info.separator ?? ',')
  for await (const chunk of chunksOf(source)) yield* parser.push(decoder.decode(chunk, { stream: true }))
  yield* parser.push(decoder.decode())
  yield* parser.end()
}

const QUOTE = 0x22
const CR = 0x0d
const LF = 0x0a

const enum State {
  /** Nothing of the current field read yet. */
  FieldStart,
  Unquoted,
  Quoted,
  /** A quote inside a quoted field: either the first of a "" escape or the closing quote. */
  QuotedQuote,
}

/**
 * RFC 4180 as a state machine fed one decoded chunk at a time; everything that spans chunks (a field, a row, a CR
 * whose LF is in the next chunk) lives in the parser's fields. Lenient where Excel is: a quote inside an unquoted
 * field is a character, text after a closing quote is kept, and a quote never closed runs to the end of the file.
 */
class CsvParser {
  private readonly separator: number
  private state = State.FieldStart
  private field = ''
  private cells: string[] = []
  /** Records ended so far; the current one is record + 1. */
  private record = 0
  /** The last chunk ended on the CR of a CRLF: its LF, first in the next chunk, is not another line. */
  private skipLf = false

  constructor(separator: string) {
    this.separator = separator.charCodeAt(0)
  }

  /** Rows completed by this chunk; the unfinished one waits for the next chunk. */
  push(text: string): SheetRow[] {
    const out: SheetRow[] = []
    const n = text.length
    let i = 0
    if (this.skipLf && n > 0) {
      if (text.charCodeAt(0) === LF) i = 1
      this.skipLf = false
    }
    while (i < n) {
      switch (this.state) {
        case State.FieldStart:
          if (text.charCodeAt(i) === QUOTE) {
            this.state = State.Quoted
            i++
          } else {
            this.state = State.Unquoted
          }
          break
        case State.Unquoted: {
          let end = i
          while (end < n) {
            const c = text.charCodeAt(end)
            if (c === this.separator || c === CR || c === LF) break
            end++
          }
          this.append(text, i, end)
          i = end < n ? this.delimit(text, end, out) : n
          break
        }
        case State.Quoted: {
          const quote = text.indexOf('"', i)
          const end = quote === -1 ? n : quote
          this.append(text, i, end)
          if (quote !== -1) this.state = State.QuotedQuote
          i = quote === -1 ? n : quote + 1
          break
        }
        case State.QuotedQuote: {
          const c = text.charCodeAt(i)
          if (c === QUOTE) {
            this.append(text, i, i + 1)
            this.state = State.Quoted
            i++
          } else if (c === this.separator || c === CR || c === LF) {
            i = this.delimit(text, i, out)
          } else {
            this.state = State.Unquoted
          }
          break
        }
      }
    }
    return out
  }

  /** The last record, when the file does not end with a newline (a trailing newline adds no empty row). */
  end(): SheetRow[] {
    const out: SheetRow[] = []
    if (this.state !== State.FieldStart || this.cells.length > 0) this.endRecord(out)
    return out
  }

  private append(text: string, start: number, end: number): void {
    if (end === start) return
    if (this.field.length + (end - start) > MAX_FIELD_CHARS) {
      throw rowTooLarge(`A field is longer than ${MAX_FIELD_CHARS} characters`, this.record + 1)
    }
    this.field += text.slice(start, end)
  }

  /** Ends the field at the separator or line break at `i`; returns where parsing goes on. */
  private delimit(text: string, i: number, out: SheetRow[]): number {
    const c = text.charCodeAt(i)
    if (c === this.separator) {
      this.endField()
      return i + 1
    }
    this.endRecord(out)
    if (c === CR) {
      if (i + 1 === text.length) this.skipLf = true
      else if (text.charCodeAt(i + 1) === LF) return i + 2
    }
    return i + 1
  }

  private endField(): void {
    if (this.cells.length === MAX_CELLS) {
      throw rowTooLarge(`A row has more than ${MAX_CELLS} cells`, this.record + 1)
    }
    this.cells.push(this.field)
    this.field = ''
    this.state = State.FieldStart
  }

  private endRecord(out: SheetRow[]): void {
    this.endField()
    this.record++
    const cells = cleanCells(this.cells)
    if (cells) out.push({ row: this.record, cells })
    this.cells = []
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// XLSX

async function* readXlsx(source: SheetSource): AsyncGenerator<SheetRow> {
  let input: Readable
  if (source instanceof Uint8Array) {
    // A truncated upload, the usual corruption, has lost the zip's end record: refusing it here, before exceljs spools
    // anything to disk, leaves no temp file behind (see ZipFailure for what a corrupt file can leave).
    if (!hasZipEnd(source)) throw unreadable('The XLSX file is truncated: no end of central directory record')
    input = Readable.from([Buffer.from(source.buffer, source.byteOffset, source.byteLength)])
  } else input = source
  const zip = new ZipFailure(input)
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    worksheets: 'emit',
  })
  const worksheets = workbook[Symbol.asyncIterator]()
  let rows: AsyncGenerator<ExcelJS.Row> | undefined
  let spooled = false
  try {
    const first = await zip.guard(worksheets.next())
    if (first.done) throw unreadable('The workbook has no worksheet')
    spooled = isSpooled(first.value)
    rows = first.value[Symbol.asyncIterator]()
    for (let next = await zip.guard(rows.next()); !next.done; next = await zip.guard(rows.next())) {
      const cells = xlsxCells(next.value)
      if (cells) yield { row: next.value.number, cells }
    }
  } catch (e) {
    throw e instanceof AppError || (zip.sourceError !== undefined && e === zip.sourceError)
      ? e
      : unreadable('The XLSX file cannot be read', e)
  } finally {
    // After a zip failure exceljs is stuck mid-read: asking it to stop would wait forever, and there is nothing to save.
    if (!zip.failed) {
      // Stopping the rows early (a preview) closes the worksheet's source; a finished read makes this a no-op.
      await rows?.return(undefined)
      if (spooled) await releaseSpooled(worksheets, zip)
    }
    // A read stopped early (a preview, a cancelled run) leaves the stored file's stream open otherwise.
    input.destroy()
  }
}

/** A zip ends with its end of central directory record: PK\x05\x06, 18 bytes, then a comment of up to 64 KB. */
function hasZipEnd(bytes: Uint8Array): boolean {
  for (let i = bytes.length - 22; i >= 0 && i >= bytes.length - 22 - 0xffff; i--) {
    if (bytes[i] === 0x50 && bytes[i + 1] === 0x4b && bytes[i + 2] === 0x05 && bytes[i + 3] === 0x06) return true
  }
  return false
}

/**
 * exceljs pipes its input into unzipper, and when unzipper fails inside an entry (a corrupt deflate stream, a header
 * that lies about sizes) it emits the error on its own stream only, while exceljs goes on waiting for the entry to end,
 * which it never does: a corrupt upload would hang its import. This catches that error and fails the waiting read.
 * What exceljs had spooled by then (a temp file and its descriptors) stays until the process exits: its cleanup lives
 * inside the generator that is stuck.
 */
class ZipFailure {
  failed = false
  /** The input's own failure: the store, not the file — worth a retry, unlike a corrupt zip. */
  sourceError: unknown
  private error: unknown
  private failWaiting: ((error: unknown) => void) | undefined

  constructor(input: Readable) {
    const fail = (error: unknown) => {
      if (this.failed) return
      this.failed = true
      this.error = error
      this.failWaiting?.(error)
    }
    // A stored file's stream can fail too (the store's connection dropped), and piping does not pass that on.
    input.on('error', (error: unknown) => {
      this.sourceError ??= error
      fail(error)
    })
    const pipe = input.pipe.bind(input)
    input.pipe = <T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T => {
      destination.on('error', fail)
      return pipe(destination, options)
    }
  }

  /**
   * `step`, unless the zip fails first. One waiting read at a time, so unlike a Promise.race against a shared failure
   * promise, nothing piles up per row.
   */
  guard<T>(step: Promise<T>): Promise<T> {
    if (this.failed) return Promise.reject(this.error)
    return new Promise<T>((resolve, reject) => {
      this.failWaiting = reject
      step.then(resolve, reject)
    })
  }
}

/**
 * Worksheets that come before the shared strings in the zip (Excel's and exceljs's own order) are spooled by exceljs to
 * temp files, each deleted only when the iteration moves past it; such a reader's source is the temp file's stream.
 */
function isSpooled(worksheet: ExcelJS.stream.xlsx.WorksheetReader): boolean {
  return (worksheet as unknown as { iterator: unknown }).iterator instanceof Readable
}

/**
 * Walks past the remaining worksheets without parsing them, so exceljs deletes every temp file now rather than at
 * process exit (a preview that reads ten rows would otherwise leave the whole sheet on disk), closing each one's file.
 */
async function releaseSpooled(
  worksheets: AsyncGenerator<ExcelJS.stream.xlsx.WorksheetReader>,
  zip: ZipFailure,
): Promise<void> {
  try {
    for (let next = await zip.guard(worksheets.next()); !next.done; next = await zip.guard(worksheets.next())) {
      ;(next.value as unknown as { iterator: Readable }).iterator.destroy()
    }
  } catch {
    // Best effort: the rows were already read or abandoned; whatever is left goes at process exit.
  }
}

function xlsxCells(row: ExcelJS.Row): string[] | null {
  const cells: string[] = []
  // eachCell skips empty cells, so formatting that runs far to the right of the data does not count against the limit.
  row.eachCell((cell, col) => {
    if (col > MAX_CELLS) throw rowTooLarge(`A row has more than ${MAX_CELLS} cells`, row.number)
    while (cells.length < col - 1) cells.push('')
    cells.push(cellText(cell.value, cell.numFmt))
  })
  return cleanCells(cells)
}

// A person typed digits: no grouping, no exponent. 15 significant digits is all Excel keeps, and cutting there drops
// the binary noise a stored 0.1 + 0.2 carries; signDisplay 'negative' keeps -0 from printing its sign.
const plainNumber = new Intl.NumberFormat('en-US', {
  useGrouping: false,
  maximumSignificantDigits: 15,
  signDisplay: 'negative',
})

function cellText(value: ExcelJS.CellValue, numFmt: string | undefined): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number') return Number.isFinite(value) ? plainNumber.format(value) : ''
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (value instanceof Date) return dateText(value)
  if ('richText' in value) return value.richText.map((run) => run.text).join('')
  if ('error' in value) return ''
  if ('hyperlink' in value) return cellText(value.text, undefined)
  // exceljs turns a date-formatted number into a Date for plain cells but not for a formula's cached result.
  if (typeof value.result === 'number' && isDateFormat(numFmt)) return dateText(excelSerialToDate(value.result))
  return cellText(value.result, undefined)
}

/** exceljs's own test: a number format with date/time letters outside quoted text and [brackets]. */
function isDateFormat(numFmt: string | undefined): boolean {
  return !!numFmt && /[ymdhMsb]/.test(numFmt.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''))
}

/** Excel's 1900 date system (the 1904 one of old Mac workbooks only reaches us through exceljs's Date values). */
function excelSerialToDate(serial: number): Date {
  return new Date(Math.round((serial - 25569) * 86_400_000))
}

/** Excel dates are wall-clock values with no zone, which exceljs puts in the UTC fields. */
function dateText(date: Date): string {
  if (Number.isNaN(date.getTime())) return ''
  const pad = (n: number) => String(n).padStart(2, '0')
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}`
  // A time-only cell is a serial below 1, day 0 of the 1900 system: the person typed a time, not 30/12/1899.
  if (date.getTime() < Date.UTC(1899, 11, 31)) return time
  const day = `${pad(date.getUTCDate())}/${pad(date.getUTCMonth() + 1)}/${date.getUTCFullYear()}`
  return time === '00:00' ? day : `${day} ${time}`
}
