import type { LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData, useSearchParams } from '@remix-run/react'
import type { reportValues } from '@impera/api/schemas'
import {
  Alert,
  Card,
  CardContent,
  CardHeader,
  CardTitle,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@impera/ui'
import { useState } from 'react'
import { insightsParams, PeriodBar, withoutRefused } from '../components/insights/period-bar'
import { columnTitle, displayCell, type ReportColumn, type ReportValue } from '../components/insights/report-format'
import { useI18n } from '../i18n'
import { requireMember } from '../lib/session.server'
import { PageHeader } from '../components/page-header'

const order: (typeof reportValues)[number][] = [
  'sources',
  'pipeline',
  'lost',
  'agents',
  'sla',
  'ai',
  'ai_handoffs',
  'listings',
  'listings_monthly',
]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { role } = await requireMember(context, request)
  const caller = await context.scope.caller()
  const params = insightsParams(new URL(request.url))
  const run = (p: typeof params) => Promise.all(order.map((report) => caller.reports.get({ report, ...p })))
  let error: string | null = null
  let effective = params
  const reports = await run(params).catch((e: unknown) => {
    const d = context.app.services.describeError(e)
    // As on the dashboard: another member's figures are refused (403), a bad filter is dropped with a message.
    if (d.code === 'FORBIDDEN') throw new Response('Forbidden', { status: 403 })
    if (d.code !== 'BAD_REQUEST') throw e
    const fallback = withoutRefused(params, d)
    error = fallback.error
    effective = fallback.params
    return run(effective)
  })
  const [members, dashboard] = await Promise.all([
    role === 'manager' ? caller.leads.assignees() : Promise.resolve([]),
    caller.dashboard.get(effective),
  ])
  return { role, reports, members, error, period: dashboard.period }
}

function ReportTable({
  report,
  query,
  sep,
}: {
  report: { report: string; columns: ReportColumn[]; rows: Record<string, ReportValue>[] }
  query: string
  sep: string
}) {
  const { t, locale } = useI18n()
  const href = `/app/reports.csv?${new URLSearchParams({ ...Object.fromEntries(new URLSearchParams(query)), report: report.report, sep }).toString()}`
  return (
    <Card data-testid={`report-${report.report}`}>
      <CardHeader className="flex flex-row flex-wrap items-center justify-between gap-2 space-y-0">
        <div>
          <CardTitle className="text-lg">{t(`reports.titles.${report.report}`)}</CardTitle>
          <p className="text-sm text-muted-foreground">{t(`reports.help.${report.report}`)}</p>
        </div>
        <a
          href={href}
          download
          className="rounded-md border px-3 py-1.5 text-sm font-medium hover:bg-accent focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
          data-testid="csv-export"
        >
          {t('reports.exportCsv')}
        </a>
      </CardHeader>
      <CardContent className="overflow-x-auto">
        {report.rows.length === 0 ? (
          <p className="text-sm text-muted-foreground">{t('reports.empty')}</p>
        ) : (
          <Table>
            <TableHeader>
              <TableRow>
                {report.columns.map((c) => (
                  <TableHead
                    key={c.key}
                    className={c.kind === 'text' || c.kind === 'label' || c.kind === 'month' ? '' : 'text-right'}
                  >
                    {columnTitle(t, c)}
                  </TableHead>
                ))}
              </TableRow>
            </TableHeader>
            <TableBody>
              {report.rows.map((r, i) => (
                <TableRow key={i}>
                  {report.columns.map((c) => (
                    <TableCell
                      key={c.key}
                      className={
                        c.kind === 'text' || c.kind === 'label' || c.kind === 'month' ? '' : 'text-right tabular-nums'
                      }
                    >
                      {displayCell(t, locale, c, r[c.key] ?? null)}
                    </TableCell>
                  ))}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  )
}

export default function Reports() {
  const { t, locale, dateTime } = useI18n()
  const d = useLoaderData<typeof loader>()
  const [params] = useSearchParams()
  const [sep, setSep] = useState(locale === 'pt-BR' ? ';' : ',')
  const to = new Date(new Date(d.period.to).getTime() - 1)
  return (
    <div className="flex min-w-0 flex-col gap-4">
      <PageHeader
        title={t('reports.title')}
        description={
          <p className="text-sm text-muted-foreground">
            {t('reports.range', { from: dateTime(d.period.from), to: dateTime(to) })}
          </p>
        }
        controls={<PeriodBar members={d.members} canPickAgent={d.role === 'manager'} />}
      />
      {d.error ? <Alert variant="destructive">{t(d.error)}</Alert> : null}
      <label className="flex items-center gap-2 self-end text-sm">
        {t('reports.separator')}
        <Select value={sep} onChange={(e) => setSep(e.target.value)} className="w-56" data-testid="csv-separator">
          <option value=";">{t('reports.separatorSemicolon')}</option>
          <option value=",">{t('reports.separatorComma')}</option>
        </Select>
      </label>
      {d.reports.map((r) => (
        <ReportTable key={r.report} report={r as never} query={params.toString()} sep={sep} />
      ))}
    </div>
  )
}
