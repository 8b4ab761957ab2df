import type { LoaderFunctionArgs } from '@remix-run/node'
import { reportValues } from '@impera/api/schemas'
import { columnTitle, csvCell, type ReportColumn } from '../components/insights/report-format'
import { insightsParams } from '../components/insights/period-bar'
import { translator } from '../i18n'
import { csvStream, type CsvSeparator } from '@impera/api/csv'
import { resolveLocale } from '../lib/locale.server'
import { requireMember } from '../lib/session.server'

/**
 * One report as CSV, with the same period and member filters as the page (from the URL). Headers and labels in the
 * reader's language; `sep=;` (the default in pt-BR, what Excel expects there) or `sep=,`.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireMember(context, request)
  const url = new URL(request.url)
  const report = url.searchParams.get('report') as (typeof reportValues)[number]
  if (!reportValues.includes(report)) return new Response('Unknown report', { status: 400 })
  const { locale } = await resolveLocale(context, request)
  const sep: CsvSeparator =
    url.searchParams.get('sep') === ','
      ? ','
      : url.searchParams.get('sep') === ';'
        ? ';'
        : locale === 'pt-BR'
          ? ';'
          : ','
  const caller = await context.scope.caller()
  let result
  try {
    result = await caller.reports.get({ report, ...insightsParams(url) })
  } catch (e) {
    const d = context.app.services.describeError(e)
    if (d.code === 'INTERNAL_SERVER_ERROR') throw e
    const t = translator(locale)
    const detail = Object.values(d.fieldErrors).flat()[0] ?? d.message
    return new Response(t(detail), {
      status: d.code === 'FORBIDDEN' ? 403 : 400,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    })
  }
  const t = translator(locale)
  const columns = result.columns as ReportColumn[]
  const rows = (function* () {
    for (const r of result.rows) yield columns.map((c) => csvCell(t, locale, c, r[c.key] ?? null))
  })()
  const filename = `${t(`reports.titles.${report}`)
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .toLowerCase()}-${new Date().toISOString().slice(0, 10)}.csv`
  return new Response(
    csvStream(
      columns.map((c) => columnTitle(t, c, true)),
      rows,
      sep,
    ),
    {
      headers: {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${filename.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
        'Cache-Control': 'no-store',
      },
    },
  )
}
