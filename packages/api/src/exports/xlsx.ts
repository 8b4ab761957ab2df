import { once } from 'node:events'
import { PassThrough, Readable } from 'node:stream'
import ExcelJS from 'exceljs'

/** A cell of an exported table: text, a number, or an instant already turned into the agency's wall-clock time. */
export type XlsxCell = string | number | Date | null
export interface XlsxColumn {
  header: string
  kind: 'text' | 'number' | 'money' | 'datetime'
}

// Characters XML 1.0 cannot carry (a spreadsheet with them does not open) and the marks that reorder text.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffe\uffff]/g

// A half of a surrogate pair without the other half (text cut in the middle of an emoji) is not valid UTF-8 either.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

function cell(value: XlsxCell): XlsxCell {
  return typeof value === 'string' ? value.replace(UNSAFE, '').replace(LONE_SURROGATE, '\ufffd') : value
}

const formats: Record<XlsxColumn['kind'], string | undefined> = {
  text: undefined,
  number: undefined,
  money: '#,##0.00',
  datetime: 'dd/mm/yyyy hh:mm',
}

/**
 * A table as an .xlsx file, written as its rows arrive (exceljs's streaming writer commits each row), so an export of
 * every lead never sits in memory whole and a slow reader slows the reading of pages. Numbers stay numbers (sums and
 * filters work), money has two decimals, times are Excel dates; text is stored as text, which Excel never evaluates
 * (the CSV export has to neutralise formulas; this one does not).
 */
export function xlsxStream(sheetName: string, columns: XlsxColumn[], rows: AsyncIterable<XlsxCell[]>) {
  const out = new PassThrough()
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false })
  const sheet = book.addWorksheet(sheetName.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] })
  sheet.columns = columns.map((c) => ({
    header: cell(c.header) as string,
    width: c.kind === 'text' ? 24 : 16,
    style: formats[c.kind] ? { numFmt: formats[c.kind] } : {},
  }))
  sheet.getRow(1).font = { bold: true }
  void (async () => {
    try {
      for await (const values of rows) {
        sheet.addRow(values.map(cell)).commit()
        if (out.writableNeedDrain) await once(out, 'drain')
      }
      sheet.commit()
      await book.commit()
    } catch (e) {
      out.destroy(e as Error)
    }
  })()
  return Readable.toWeb(out) as ReadableStream<Uint8Array>
}
