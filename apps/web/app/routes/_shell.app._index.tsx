import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { Alert, Card, CardContent, CardDescription, CardHeader, CardTitle, cn } from '@impera/ui'
import { House, MessageCircle, Target } from 'lucide-react'
import { DailyLine, HorizontalBars } from '../components/insights/charts'
import { formatCount, formatDay, formatMinutes, formatPercent } from '../components/insights/format'
import { insightsParams, PeriodBar, withoutRefused } from '../components/insights/period-bar'
import { OnboardingChecklist } from '../components/onboarding-checklist'
import { useI18n } from '../i18n'
import { readForm, runAction } from '../lib/actions.server'
import { useBackgroundRevalidate, useLiveSignal } from '../lib/live'
import { requireMember, requirePermission } from '../lib/session.server'
import { PageHeader } from '../components/page-header'
import { dateTimeFormat } from '../lib/intl'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { me, role } = await requireMember(context, request)
  const caller = await context.scope.caller()
  const params = insightsParams(new URL(request.url))
  let error: string | null = null
  const dashboard = await caller.dashboard.get(params).catch((e: unknown) => {
    const d = context.app.services.describeError(e)
    // An agent asking for another member's figures: refused as such (as the CSV export does), not a server error.
    if (d.code === 'FORBIDDEN') throw new Response('Forbidden', { status: 403 })
    if (d.code !== 'BAD_REQUEST') throw e
    // A bad period or member in the URL falls back, saying why, instead of failing the home page.
    const fallback = withoutRefused(params, d)
    error = fallback.error
    return caller.dashboard.get(fallback.params)
  })
  const [activity, members, agenda, onboarding] = await Promise.all([
    caller.dashboard.activity(),
    role === 'manager' ? caller.leads.assignees() : Promise.resolve([]),
    caller.tasks.agenda({ who: 'me' }),
    role === 'manager' ? caller.agency.onboarding() : Promise.resolve(null),
  ])
  return { name: me.user.name, role, dashboard, activity, members, error, agenda, onboarding }
}

/** Puts the first-steps checklist away (managers). */
export async function action({ request, context }: ActionFunctionArgs) {
  await requirePermission(context, request, 'agency.settings.update')
  const fd = await readForm(request)
  if (fd.get('intent') !== 'dismissOnboarding') return new Response('Unknown intent', { status: 400 })
  const caller = await context.scope.caller()
  return runAction(
    context,
    () => caller.agency.dismissOnboarding(),
    () => ({ ok: true }),
  )
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>
type KpiKey =
  | 'newLeads'
  | 'contacted'
  | 'qualified'
  | 'converted'
  | 'lost'
  | 'conversionRate'
  | 'medianFirstContactMinutes'
  | 'messagesIn'
  | 'messagesOut'

function Delta({
  value,
  previous,
  lowerIsBetter,
  format,
}: {
  value: number | null
  previous: number | null
  lowerIsBetter?: boolean
  format: (n: number) => string
}) {
  const { t } = useI18n()
  if (value === null || previous === null)
    return <span className="text-xs text-muted-foreground">{t('dashboard.noComparison')}</span>
  const diff = value - previous
  if (diff === 0) return <span className="text-xs text-muted-foreground">{t('dashboard.unchanged')}</span>
  const good = lowerIsBetter ? diff < 0 : diff > 0
  return (
    <span
      className={cn(
        'text-xs font-medium',
        good ? 'text-green-700 dark:text-green-400' : 'text-red-700 dark:text-red-400',
      )}
    >
      <span aria-hidden>{diff > 0 ? '▲' : '▼'} </span>
      {t(diff > 0 ? 'dashboard.up' : 'dashboard.down', { value: format(Math.abs(diff)), previous: format(previous) })}
    </span>
  )
}

function Kpis({ d }: { d: Data['dashboard'] }) {
  const { t, locale } = useI18n()
  const count = (n: number) => formatCount(locale, n)
  const items: { key: KpiKey; format: (n: number) => string; lowerIsBetter?: boolean }[] = [
    { key: 'newLeads', format: count },
    { key: 'contacted', format: count },
    { key: 'qualified', format: count },
    { key: 'converted', format: count },
    { key: 'lost', format: count, lowerIsBetter: true },
    { key: 'conversionRate', format: (n) => formatPercent(locale, n) },
    { key: 'medianFirstContactMinutes', format: (n) => formatMinutes(locale, n), lowerIsBetter: true },
    { key: 'messagesIn', format: count },
    { key: 'messagesOut', format: count },
  ]
  return (
    <section aria-labelledby="kpis" className="grid gap-3">
      <h2 id="kpis" className="sr-only">
        {t('dashboard.kpis')}
      </h2>
      <div className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-5">
        {items.map(({ key, format, lowerIsBetter }) => {
          const k = d.kpis[key]
          return (
            <Card key={key} data-testid={`kpi-${key}`}>
              <CardHeader className="gap-1 p-3 sm:p-4">
                <CardDescription title={t(`dashboard.kpiHelp.${key}`)}>{t(`dashboard.kpi.${key}`)}</CardDescription>
                <CardTitle className="text-2xl tabular-nums" data-testid="kpi-value">
                  {k.value === null ? '—' : format(k.value)}
                </CardTitle>
                <Delta value={k.value} previous={k.previous} lowerIsBetter={lowerIsBetter} format={format} />
              </CardHeader>
            </Card>
          )
        })}
        <Card data-testid="kpi-unread">
          <CardHeader className="gap-1 p-3 sm:p-4">
            <CardDescription>{t('dashboard.kpi.unreadConversations')}</CardDescription>
            <CardTitle className="text-2xl tabular-nums">
              <Link to="/app/inbox?filter=unread" className="hover:underline focus-visible:underline">
                {d.kpis.unreadConversations >= 100 ? '99+' : count(d.kpis.unreadConversations)}
              </Link>
            </CardTitle>
          </CardHeader>
        </Card>
      </div>
    </section>
  )
}

function Charts({ d }: { d: Data['dashboard'] }) {
  const { t, locale } = useI18n()
  const f = d.charts.funnel
  return (
    <div className="grid gap-4 lg:grid-cols-3">
      <Card>
        <CardContent className="pt-4">
          <HorizontalBars
            title={t('dashboard.funnel')}
            nameLabel={t('dashboard.stage')}
            valueLabel={t('dashboard.leads')}
            data={(['created', 'contacted', 'qualified', 'converted', 'lost'] as const).map((s) => ({
              name: t(`dashboard.funnelStages.${s}`),
              value: f[s],
            }))}
          />
        </CardContent>
      </Card>
      <Card>
        <CardContent className="pt-4">
          {d.charts.bySource.length ? (
            <HorizontalBars
              title={t('dashboard.bySource')}
              nameLabel={t('leads.source')}
              valueLabel={t('dashboard.leads')}
              data={d.charts.bySource.map((s) => ({ name: t(`leads.sources.${s.source}`), value: s.count }))}
            />
          ) : (
            <p className="text-sm text-muted-foreground">{t('dashboard.noLeads')}</p>
          )}
        </CardContent>
      </Card>
      <Card>
        <CardContent className="pt-4">
          <DailyLine
            title={t('dashboard.overTime')}
            dayLabel={t('dashboard.day')}
            valueLabel={t('dashboard.leads')}
            data={d.charts.overTime.map((p) => ({ day: p.day, label: formatDay(locale, p.day), value: p.count }))}
          />
        </CardContent>
      </Card>
    </div>
  )
}

function Attention({ d }: { d: Data['dashboard'] }) {
  const { t, locale, dateTime } = useI18n()
  const a = d.attention
  const section = (title: string, total: number, testId: string, all: string, body: React.ReactNode) => (
    <div className="grid content-start gap-2" data-testid={testId}>
      <h3 className="flex items-center gap-2 text-sm font-semibold">
        {title}
        <span
          className={cn(
            'rounded-full px-2 text-xs',
            total
              ? 'bg-amber-100 text-amber-900 dark:bg-amber-900 dark:text-amber-100'
              : 'bg-muted text-muted-foreground',
          )}
        >
          {total > 1000 ? `${formatCount(locale, 1000)}+` : formatCount(locale, total)}
        </span>
      </h3>
      {total === 0 ? (
        <p className="text-sm text-muted-foreground">{t('dashboard.nothingHere')}</p>
      ) : (
        <>
          <ul className="grid gap-1 text-sm">{body}</ul>
          <Link
            to={all}
            className="text-sm font-medium text-primary hover:underline"
            aria-label={`${t('dashboard.seeAll')}: ${title}`}
          >
            {t('dashboard.seeAll')} →
          </Link>
        </>
      )}
    </div>
  )
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-lg">{t('dashboard.attention')}</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-4 md:grid-cols-3">
        {section(
          t('dashboard.waitingLeads', { hours: a.contactSlaHours }),
          a.leads.total,
          'attention-leads',
          '/app/leads?overdue=true&sort=createdAt&dir=asc',
          a.leads.items.map((l) => (
            <li key={l.id} className="flex flex-wrap justify-between gap-x-2">
              <Link to={`/app/leads/${l.id}`} className="font-medium hover:underline">
                {l.name}
              </Link>
              <span className="text-muted-foreground">{dateTime(l.createdAt)}</span>
            </li>
          )),
        )}
        {section(
          t('dashboard.waitingConversations'),
          a.conversations.total,
          'attention-conversations',
          '/app/inbox?waiting=true',
          a.conversations.items.map((c) => (
            <li key={c.id} className="grid">
              <Link to={`/app/inbox/${c.id}`} className="font-medium hover:underline">
                {c.contact}
              </Link>
              <span className="truncate text-muted-foreground">
                {dateTime(c.waitingSince)} · {c.preview}
              </span>
            </li>
          )),
        )}
        {section(
          t('dashboard.staleReserved', { days: a.staleReservedDays }),
          a.properties.total,
          'attention-properties',
          '/app/properties?stale=true',
          a.properties.items.map((p) => (
            <li key={p.id} className="flex flex-wrap justify-between gap-x-2">
              <Link to={`/app/properties/${p.id}`} className="font-medium hover:underline">
                {p.code} · {p.title}
              </Link>
              <span className="text-muted-foreground">{dateTime(p.since)}</span>
            </li>
          )),
        )}
      </CardContent>
    </Card>
  )
}

/** What the activity is about, at a glance: a lead, a listing or a conversation. */
const iconOf = (entity: string) => (entity === 'lead' ? Target : entity === 'property' ? House : MessageCircle)

const hrefOf = (i: { entity: string; id: string }) =>
  i.entity === 'lead'
    ? `/app/leads/${i.id}`
    : i.entity === 'property'
      ? `/app/properties/${i.id}`
      : `/app/inbox/${i.id}`

function Activity({ items }: { items: Data['activity'] }) {
  const { t, dateTime } = useI18n()
  const describe = (i: Data['activity'][number]) => {
    const data = i.data as Record<string, string | undefined>
    const status = (s?: string) =>
      s ? t(i.entity === 'property' ? `properties.statuses.${s}` : `leads.statuses.${s}`) : ''
    return t(`dashboard.activityKinds.${i.entity}_${i.kind}`, {
      name: i.name,
      to: status(data.to),
      preview: data.preview ?? '',
    })
  }
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-lg">{t('dashboard.activity')}</CardTitle>
      </CardHeader>
      <CardContent>
        {items.length === 0 ? (
          <p className="text-sm text-muted-foreground">{t('dashboard.noActivity')}</p>
        ) : (
          <ol className="grid gap-2" data-testid="activity-feed" aria-live="polite">
            {items.map((i, n) => {
              const Icon = iconOf(i.entity)
              return (
                <li key={`${i.entity}-${i.id}-${i.kind}-${n}`} className="flex gap-2 text-sm">
                  <Icon className="mt-0.5 size-4 shrink-0 text-muted-foreground" aria-hidden />
                  <span className="grid min-w-0">
                    <Link to={hrefOf(i)} className="hover:underline focus-visible:underline">
                      {describe(i)}
                    </Link>
                    <span className="text-xs text-muted-foreground">
                      {dateTime(i.at)}
                      {i.actorName
                        ? ` · ${i.actorKind === 'integration' ? t('common.integrationActor', { name: i.actorName }) : i.actorName}`
                        : ''}
                    </span>
                  </span>
                </li>
              )
            })}
          </ol>
        )}
      </CardContent>
    </Card>
  )
}

export default function Home() {
  const { t } = useI18n()
  const d = useLoaderData<typeof loader>()
  // New leads, moves and messages anywhere in the agency refresh the figures and the feed (coalesced), never cutting
  // into a navigation under way (see useBackgroundRevalidate).
  useLiveSignal('activity:changed', useBackgroundRevalidate(), 1000)
  const agentName = d.members.find((m) => m.userId === d.dashboard.period.who)?.name
  return (
    <div className="flex min-w-0 flex-col gap-4">
      <PageHeader
        title={t('home.title', { name: d.name })}
        description={
          <p className="text-sm text-muted-foreground">
            <span data-testid="my-role">{t(`roles.${d.role}`)}</span>
            {' · '}
            <span data-testid="dashboard-scope">
              {d.role === 'manager'
                ? agentName
                  ? t('dashboard.scopeAgent', { name: agentName })
                  : t('dashboard.scopeAgency')
                : t('dashboard.scopeMine')}
            </span>
          </p>
        }
        controls={<PeriodBar members={d.members} canPickAgent={d.role === 'manager'} />}
      />
      {d.error ? <Alert variant="destructive">{t(d.error)}</Alert> : null}
      {d.onboarding && !d.onboarding.dismissed && !d.onboarding.done ? (
        <OnboardingChecklist steps={d.onboarding.steps} />
      ) : null}
      <MyDay agenda={d.agenda} />
      <Kpis d={d.dashboard} />
      <Charts d={d.dashboard} />
      <div className="grid gap-4 xl:grid-cols-[2fr_1fr]">
        <Attention d={d.dashboard} />
        <Activity items={d.activity} />
      </div>
      <ListingsSummary listings={d.dashboard.kpis.listings} />
    </div>
  )
}

/** "Meus compromissos de hoje": the member's open tasks and visits of the day, and how many are overdue. */
function MyDay({ agenda }: { agenda: Data['agenda'] }) {
  const { t, locale, timeZone } = useI18n()
  useLiveSignal('tasks:changed', useBackgroundRevalidate())
  const open = agenda.today.filter((x) => x.status === 'open')
  const time = dateTimeFormat(locale, { timeStyle: 'short', timeZone })
  return (
    <Card data-testid="my-day">
      <CardHeader className="flex flex-row flex-wrap items-center justify-between gap-2 space-y-0">
        <CardTitle className="text-lg">{t('tasks.myDay')}</CardTitle>
        <div className="flex items-center gap-3 text-sm">
          {agenda.counts.overdue > 0 ? (
            <Link to="/app/today" className="font-medium text-destructive hover:underline" data-testid="my-day-overdue">
              {t('tasks.overdueCount', { count: agenda.counts.overdue })}
            </Link>
          ) : null}
          <Link to="/app/today" className="text-primary hover:underline">
            {t('tasks.seeAgenda')}
          </Link>
        </div>
      </CardHeader>
      <CardContent>
        {open.length === 0 ? (
          <p className="text-sm text-muted-foreground">{t('tasks.noneToday')}</p>
        ) : (
          <ul className="grid gap-2">
            {open.slice(0, 5).map((x) => (
              <li key={x.id} className="flex min-w-0 items-baseline gap-3 text-sm">
                <time className="shrink-0 font-medium tabular-nums" dateTime={new Date(x.dueAt).toISOString()}>
                  {time.format(new Date(x.dueAt))}
                </time>
                <span className="truncate">
                  {x.title}
                  {x.place ? <span className="text-muted-foreground"> · {x.place}</span> : null}
                </span>
              </li>
            ))}
            {open.length > 5 ? (
              <li className="text-sm text-muted-foreground">{t('tasks.more', { count: open.length - 5 })}</li>
            ) : null}
          </ul>
        )}
      </CardContent>
    </Card>
  )
}

function ListingsSummary({ listings }: { listings: Record<string, number> }) {
  const { t, locale } = useI18n()
  const statuses = ['available', 'reserved', 'sold', 'rented', 'off_market']
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-lg">{t('dashboard.listings')}</CardTitle>
      </CardHeader>
      <CardContent className="flex flex-wrap gap-2">
        {statuses.map((s) => (
          <Link
            key={s}
            to={`/app/properties?status=${s}`}
            className="rounded-md border px-3 py-2 text-sm hover:bg-accent focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
            data-testid={`listings-${s}`}
          >
            <span className="block text-xs text-muted-foreground">{t(`properties.statuses.${s}`)}</span>
            <span className="text-lg font-semibold tabular-nums">{formatCount(locale, listings[s] ?? 0)}</span>
          </Link>
        ))}
      </CardContent>
    </Card>
  )
}
