import type { LoaderFunctionArgs } from '@remix-run/node'
import { xlsxStream } from '@impera/api/exports'
import { wallClock } from '@impera/api/zoned-time'
import { translator } from '../i18n'
import { leadExportTable, type ExportCell } from '../lib/lead-export.server'
import { requirePermission } from '../lib/session.server'

/**
 * The leads list as an Excel workbook ("Exportar XLSX"): the same table as the CSV, written row by row as pages are
 * read; amounts and scores are numbers, times are Excel dates in the agency's wall-clock time (Excel has no zones).
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(context, request, 'records.read')
  const table = await leadExportTable(context, request)
  if (table instanceof Response) return table
  const { columns, timezone, locale, rows: source } = table
  const local = (c: ExportCell): ExportCell => {
    if (!(c instanceof Date)) return c
    const w = wallClock(c, timezone)
    return new Date(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second))
  }
  async function* rows() {
    for await (const r of source) yield r.map(local)
  }
  const filename = `leads-${new Date().toISOString().slice(0, 10)}.xlsx`
  return new Response(xlsxStream(translator(locale)('leads.title'), columns, rows()), {
    headers: {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Cache-Control': 'no-store',
    },
  })
}
