import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { useFetcher, useLoaderData, useSearchParams } from '@remix-run/react'
import { Button, Card, CardContent, CardHeader, CardTitle, Input } from '@impera/ui'
import { CalendarDays, CalendarPlus, Hand, Plus } from 'lucide-react'
import { useState } from 'react'
import type { TaskItem } from '../components/task-dialog'
import { lazyPart } from '../lib/lazy-part'
import { dateTimeFormat } from '../lib/intl'

const TaskDialog = lazyPart(() => import('../components/task-dialog').then((m) => m.TaskDialog))
import { TaskList } from '../components/task-list'
import { useResultToast } from '../components/use-result-toast'
import { useI18n } from '../i18n'
import { readForm, runAction } from '../lib/actions.server'
import { formatMoney } from '../lib/format'
import type { FormResult } from '../lib/forms'
import { useBackgroundRevalidate, useLiveSignal } from '../lib/live'
import { recordsPageContext } from '../lib/records.server'
import { requirePermission } from '../lib/session.server'
import { runTaskIntent } from '../lib/task-actions.server'
import { PageHeader } from '../components/page-header'
import { PersonPicker } from '../components/person-picker'

/**
 * "Hoje" (decision 025): where an agent starts the day — overdue, today and the next seven days, with one tap to call,
 * write or tick off. Managers switch to a member's agenda or the whole agency's.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { role, identity } = await requirePermission(context, request, 'records.read')
  const { caller, assignees, timezone, currency } = await recordsPageContext(context)
  const url = new URL(request.url)
  const isManager = role === 'manager'
  const asked = url.searchParams.get('who') ?? 'me'
  // Agents have one agenda; a manager's choice is a member of the list or the whole agency.
  const who = isManager && (asked === 'all' || assignees.some((a) => a.userId === asked)) ? asked : 'me'
  const [agenda, calendar, offers] = await Promise.all([
    caller.tasks.agenda({ who }),
    caller.tasks.calendarFeed(),
    caller.distribution.offers(),
  ])
  return {
    agenda,
    offers,
    currency,
    who,
    timezone,
    people: { assignees, me: identity.userId, isManager },
    calendarUrl: calendar.path ? `${context.app.env.origin}${calendar.path}` : null,
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const fd = await readForm(request)
  const caller = await context.scope.caller()
  const task = await runTaskIntent(context, caller, fd)
  if (task) return task
  switch (fd.get('intent')) {
    case 'claim': {
      const leadId = String(fd.get('leadId') ?? '')
      return runAction(
        context,
        () => caller.distribution.claim({ leadId }),
        () => redirect(`/app/leads/${leadId}`),
      )
    }
    case 'calendar.rotate':
      return runAction(
        context,
        () => caller.tasks.rotateCalendarFeed(),
        () => ({ ok: true, message: 'tasks.calendar.created' }),
      )
    case 'calendar.delete':
      return runAction(
        context,
        () => caller.tasks.deleteCalendarFeed(),
        () => ({ ok: true, message: 'tasks.calendar.deleted' }),
      )
    default:
      return new Response('Unknown intent', { status: 400 })
  }
}

type LeadOffer = ReturnType<typeof useLoaderData<typeof loader>>['offers'][number]

/**
 * Leads offered to me by a first-to-claim rule (decision 031): what the decision needs, the deadline, and "Pegar" —
 * which opens the lead once it is mine, or says who was faster. Live: another member's claim removes the card.
 */
function LeadOffers({ offers, currency }: { offers: LeadOffer[]; currency: string }) {
  const { t } = useI18n()
  if (!offers.length) return null
  return (
    <Card className="border-primary/50" data-testid="lead-offers">
      <CardHeader>
        <CardTitle className="flex items-center gap-2 text-base">
          <Hand className="size-4" aria-hidden />
          {t('distribution.offersTitle')} ({offers.length})
        </CardTitle>
        <p className="text-sm text-muted-foreground">{t('distribution.offersHint')}</p>
      </CardHeader>
      <CardContent>
        <ul className="grid gap-2">
          {offers.map((o) => (
            <OfferItem key={o.leadId} offer={o} currency={currency} />
          ))}
        </ul>
      </CardContent>
    </Card>
  )
}

function OfferItem({ offer, currency }: { offer: LeadOffer; currency: string }) {
  const { t, locale, timeZone } = useI18n()
  const fetcher = useFetcher<FormResult>()
  useResultToast(fetcher.data)
  const time = dateTimeFormat(locale, { timeStyle: 'short', timeZone }).format(new Date(offer.expiresAt))
  const budget = offer.budgetMax ?? offer.budgetMin
  const facts = [
    t(`leads.sources.${offer.source}`),
    offer.interest ? t(`leads.interests.${offer.interest}`) : null,
    budget !== null ? formatMoney(budget, currency, locale) : null,
    offer.locations.slice(0, 3).join(', ') || null,
  ].filter(Boolean)
  return (
    <li
      id={`offer-${offer.leadId}`}
      className="flex flex-wrap items-center justify-between gap-2 rounded-md border p-3 target:ring-2 target:ring-primary"
      data-testid="lead-offer"
    >
      <div className="grid min-w-0">
        <span className="truncate font-medium">{offer.name}</span>
        <span className="text-xs text-muted-foreground">{facts.join(' · ')}</span>
        <span className="text-xs text-muted-foreground">
          {offer.ruleName} · {t('distribution.offerUntil', { time })}
        </span>
      </div>
      <fetcher.Form method="post">
        <input type="hidden" name="intent" value="claim" />
        <input type="hidden" name="leadId" value={offer.leadId} />
        <Button
          type="submit"
          loading={fetcher.state !== 'idle'}
          aria-label={t('distribution.claimOf', { name: offer.name })}
        >
          {t('distribution.claim')}
        </Button>
      </fetcher.Form>
    </li>
  )
}

function CalendarFeed({ url }: { url: string | null }) {
  const { t } = useI18n()
  const fetcher = useFetcher<FormResult>()
  useResultToast(fetcher.data)
  const [copied, setCopied] = useState(false)
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2 text-base">
          <CalendarPlus className="size-4" aria-hidden />
          {t('tasks.calendar.title')}
        </CardTitle>
      </CardHeader>
      <CardContent className="grid gap-3 text-sm">
        <p className="text-muted-foreground">{t('tasks.calendar.help')}</p>
        {url ? (
          <>
            <Input
              readOnly
              value={url}
              aria-label={t('tasks.calendar.url')}
              onFocus={(e) => e.currentTarget.select()}
            />
            <div className="flex flex-wrap gap-2">
              <Button
                type="button"
                size="sm"
                onClick={() => void navigator.clipboard?.writeText(url).then(() => setCopied(true))}
              >
                {copied ? t('tasks.calendar.copied') : t('tasks.calendar.copy')}
              </Button>
              <fetcher.Form method="post">
                <input type="hidden" name="intent" value="calendar.rotate" />
                <Button type="submit" size="sm" variant="outline" loading={fetcher.state !== 'idle'}>
                  {t('tasks.calendar.rotate')}
                </Button>
              </fetcher.Form>
              <fetcher.Form method="post">
                <input type="hidden" name="intent" value="calendar.delete" />
                <Button type="submit" size="sm" variant="ghost">
                  {t('tasks.calendar.delete')}
                </Button>
              </fetcher.Form>
            </div>
          </>
        ) : (
          <fetcher.Form method="post">
            <input type="hidden" name="intent" value="calendar.rotate" />
            <Button type="submit" size="sm" loading={fetcher.state !== 'idle'}>
              {t('tasks.calendar.create')}
            </Button>
          </fetcher.Form>
        )}
      </CardContent>
    </Card>
  )
}

export default function Today() {
  const { t, locale, timeZone } = useI18n()
  const { agenda, who, people, calendarUrl, offers, currency } = useLoaderData<typeof loader>()
  const [, setParams] = useSearchParams()
  const [creating, setCreating] = useState<null | 'call' | 'visit'>(null)
  const revalidate = useBackgroundRevalidate()
  useLiveSignal('tasks:changed', revalidate)
  // Offers come with a notification and go when someone claims the lead (an assignment moves the agency's activity).
  useLiveSignal('notifications:changed', revalidate, 300)
  useLiveSignal('activity:changed', revalidate, 300)
  const list = (tasks: unknown) => tasks as TaskItem[]
  const showAssignee = who !== 'me'
  const [y, m, d] = agenda.day.split('-').map(Number)
  const dayLabel = dateTimeFormat(locale, { dateStyle: 'full', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y!, m! - 1, d!)),
  )
  const openToday = list(agenda.today).filter((x) => x.status === 'open').length
  return (
    <div className="grid grid-cols-[minmax(0,1fr)] gap-6" data-time-zone={timeZone}>
      <PageHeader
        title={t('tasks.today')}
        description={<p className="text-sm text-muted-foreground first-letter:uppercase">{dayLabel}</p>}
        controls={
          people.isManager ? (
            <PersonPicker
              aria-label={t('tasks.whose')}
              value={who}
              onValueChange={(v) => setParams(v === 'me' ? {} : { who: v })}
              className="w-56"
              choices={[
                { value: 'me', label: t('tasks.myAgenda') },
                { value: 'all', label: t('tasks.wholeAgency') },
              ]}
              people={people.assignees.filter((a) => a.userId !== people.me)}
            />
          ) : null
        }
        actions={[
          { id: 'calendar', label: t('tasks.openCalendar'), icon: CalendarDays, to: '/app/calendar' },
          { id: 'visit', label: t('tasks.newVisit'), icon: CalendarPlus, onSelect: () => setCreating('visit') },
        ]}
        primary={
          <Button type="button" onClick={() => setCreating('call')}>
            <Plus className="size-4" aria-hidden />
            {t('tasks.new')}
          </Button>
        }
      />
      <LeadOffers offers={offers} currency={currency} />
      <p className="text-sm" aria-live="polite" data-testid="agenda-summary">
        {t('tasks.summary', { overdue: agenda.counts.overdue, today: openToday })}
      </p>
      {agenda.counts.overdue > 0 ? (
        <Card className="border-destructive/40">
          <CardHeader>
            <CardTitle className="text-base text-destructive">
              {t('tasks.overdue')} ({agenda.counts.overdue})
            </CardTitle>
          </CardHeader>
          <CardContent>
            <TaskList
              tasks={list(agenda.overdue)}
              people={people}
              overdue
              showAssignee={showAssignee}
              empty={t('tasks.noneOverdue')}
            />
          </CardContent>
        </Card>
      ) : null}
      <Card>
        <CardHeader>
          <CardTitle className="text-base">{t('tasks.todayList')}</CardTitle>
        </CardHeader>
        <CardContent>
          <TaskList
            tasks={list(agenda.today)}
            people={people}
            when="time"
            showAssignee={showAssignee}
            empty={t('tasks.noneToday')}
          />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle className="text-base">{t('tasks.upcoming')}</CardTitle>
        </CardHeader>
        <CardContent>
          <TaskList
            tasks={list(agenda.upcoming)}
            people={people}
            showAssignee={showAssignee}
            empty={t('tasks.noneUpcoming')}
          />
        </CardContent>
      </Card>
      <CalendarFeed url={calendarUrl} />
      {creating ? (
        <TaskDialog open onOpenChange={(o) => !o && setCreating(null)} defaults={{ kind: creating }} people={people} />
      ) : null}
    </div>
  )
}
