import type { LoaderFunctionArgs } from '@remix-run/node'
import { csvNumber, csvStream, type CsvSeparator } from '../lib/csv'
import { leadExportTable, type ExportCell } from '../lib/lead-export.server'
import { requirePermission } from '../lib/session.server'

/**
 * The leads list as CSV ("Exportar CSV"): the table of lib/lead-export.server.ts streamed as it is read, amounts with
 * the reader's decimal mark, times in the agency's zone, `sep=;` in pt-BR.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(context, request, 'records.read')
  const table = await leadExportTable(context, request)
  if (table instanceof Response) return table
  const { columns, locale, timezone, rows: source } = table
  const asked = new URL(request.url).searchParams.get('sep') ?? (locale === 'pt-BR' ? ';' : ',')
  const sep: CsvSeparator = asked === ',' ? ',' : ';'
  const when = new Intl.DateTimeFormat('sv-SE', { timeZone: timezone, dateStyle: 'short', timeStyle: 'short' })
  const text = (c: ExportCell, i: number): string | number | null =>
    c instanceof Date
      ? when.format(c)
      : typeof c === 'number' && columns[i]!.kind === 'money'
        ? csvNumber(c, locale, 2)
        : c
  async function* rows() {
    for await (const r of source) yield r.map(text)
  }
  const filename = `leads-${new Date().toISOString().slice(0, 10)}.csv`
  return new Response(
    csvStream(
      columns.map((c) => c.header),
      rows(),
      sep,
    ),
    {
      headers: {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${filename}"`,
        'Cache-Control': 'no-store',
      },
    },
  )
}
