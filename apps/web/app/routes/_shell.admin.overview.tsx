import type { LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import {
  Badge,
  Card,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@impera/ui'
import { DailyLine } from '../components/insights/charts'
import { formatCount, formatDay } from '../components/insights/format'
import { formatDate, useI18n } from '../i18n'
import { requirePlatformAdmin } from '../lib/session.server'
import { PageHeader } from '../components/page-header'

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePlatformAdmin(context, request)
  const caller = await context.scope.caller()
  return caller.admin.overview()
}

/** The platform's view: how every agency is doing, from daily counts only (no agency's records are opened). */
export default function AdminOverview() {
  const { t, locale } = useI18n()
  const d = useLoaderData<typeof loader>()
  const totals: [string, number][] = [
    ['agencies', d.totals.active],
    ['activeUsers', d.totals.activeUsers],
    ['leads30', d.totals.leads30],
    ['messages30', d.totals.messages30],
    ['atRisk', d.totals.atRisk],
  ]
  return (
    <div className="flex min-w-0 flex-col gap-4">
      <PageHeader title={t('admin.overviewTitle')} />
      <div className="grid grid-cols-2 gap-3 md:grid-cols-5">
        {totals.map(([k, v]) => (
          <Card key={k} data-testid={`overview-${k}`}>
            <CardHeader className="gap-1 p-3 sm:p-4">
              <CardDescription>{t(`admin.overview.${k}`)}</CardDescription>
              <CardTitle className="text-2xl tabular-nums">{formatCount(locale, v)}</CardTitle>
            </CardHeader>
          </Card>
        ))}
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <Card>
          <CardContent className="pt-4">
            <DailyLine
              title={t('admin.overview.leadsPerDay')}
              dayLabel={t('dashboard.day')}
              valueLabel={t('dashboard.leads')}
              data={d.daily.map((p) => ({ day: p.day, label: formatDay(locale, p.day), value: p.leads }))}
            />
          </CardContent>
        </Card>
        <Card>
          <CardContent className="pt-4">
            <DailyLine
              title={t('admin.overview.messagesPerDay')}
              dayLabel={t('dashboard.day')}
              valueLabel={t('admin.overview.messages')}
              data={d.daily.map((p) => ({ day: p.day, label: formatDay(locale, p.day), value: p.messages }))}
            />
          </CardContent>
        </Card>
      </div>
      <Card>
        <CardHeader>
          <CardTitle className="text-lg">{t('admin.overview.agencies_')}</CardTitle>
        </CardHeader>
        <CardContent className="overflow-x-auto">
          <Table data-testid="overview-agencies">
            <TableHeader>
              <TableRow>
                <TableHead>{t('admin.name')}</TableHead>
                <TableHead className="text-right">{t('admin.overview.members')}</TableHead>
                <TableHead className="text-right">{t('admin.overview.activeUsers')}</TableHead>
                <TableHead className="text-right">{t('admin.overview.leads30')}</TableHead>
                <TableHead className="text-right">{t('admin.overview.messages30')}</TableHead>
                <TableHead>{t('admin.overview.lastActivity')}</TableHead>
                <TableHead>{t('admin.overview.health')}</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {d.agencies.map((a) => (
                <TableRow key={a.id}>
                  <TableCell className="font-medium">
                    {a.name}{' '}
                    {a.status === 'suspended' ? <Badge variant="destructive">{t('admin.suspended')}</Badge> : null}
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{formatCount(locale, a.members)}</TableCell>
                  <TableCell className="text-right tabular-nums">{formatCount(locale, a.activeUsers)}</TableCell>
                  <TableCell className="text-right tabular-nums">{formatCount(locale, a.leads30)}</TableCell>
                  <TableCell className="text-right tabular-nums">{formatCount(locale, a.messages30)}</TableCell>
                  <TableCell>{a.lastActivity ? formatDate(locale, a.lastActivity) : '—'}</TableCell>
                  <TableCell>
                    {a.risks.length ? (
                      <span className="flex flex-wrap gap-1">
                        {a.risks.map((r) => (
                          <Badge key={r} variant="warning">
                            {t(`admin.risks.${r}`)}
                          </Badge>
                        ))}
                      </span>
                    ) : a.status === 'active' ? (
                      <Badge variant="success">{t('admin.risks.ok')}</Badge>
                    ) : null}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </CardContent>
      </Card>
    </div>
  )
}
