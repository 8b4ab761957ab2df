import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { PageHeader } from '../components/page-header'
import { PersonPicker } from '../components/person-picker'
import { Pencil, Trash2 } from 'lucide-react'
import { Link, useFetcher, useLoaderData } from '@remix-run/react'
import { can } from '@impera/api/permissions'
import { leadStatuses } from '@impera/api/schemas'
import { Alert, Badge, Button, Card, CardContent, CardHeader, CardTitle, Select } from '@impera/ui'
import { useCallback, useEffect, useState } from 'react'
import { statusBadge } from '../components/leads-header'
import { ConvertDialog } from '../components/convert-dialog'
import { RecordNotes } from '../components/record-notes'
import type { TaskItem } from '../components/task-dialog'
import { RecordTasks } from '../components/task-list'
import { RecordPicker } from '../components/record-picker'
import { RecordTimeline } from '../components/record-timeline'
import { useFlashToast, useResultToast } from '../components/use-result-toast'
import { RecordConversation } from '../components/record-conversation'
import { LeadQualification } from '../components/lead-qualification'
import { useBackgroundRevalidate, useLiveSignal } from '../lib/live'
import { ContactActions } from '../components/contact-actions'
import { useI18n, useT } from '../i18n'
import { readForm, runAction } from '../lib/actions.server'
import { formatMoney } from '../lib/format'
import { fromForm, type FormResult, type RouterInputs } from '../lib/forms'
import { displayPhones, recordsPageContext, recordThread, whatsappStartChoices } from '../lib/records.server'
import { requirePermission } from '../lib/session.server'
import { runTaskIntent } from '../lib/task-actions.server'
import { runConversationIntent } from '../lib/conversation-actions.server'
import { RecordThread, type RecordThreadData } from '../components/record-thread'
import { trpc } from '../lib/trpc-client'
import { lazyPart } from '../lib/lazy-part'
import { ConsentSummary } from '../components/consent-summary'
import { PrivacyActions } from '../components/privacy-actions'
import { consentInput } from '../lib/consent.server'

// Opened when a lead is marked lost: its code loads then.
const LostDialog = lazyPart(() => import('../components/lost-dialog').then((m) => m.LostDialog))

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { role, identity } = await requirePermission(context, request, 'records.read')
  const { caller, currency, country, assignees } = await recordsPageContext(context)
  // A missing or hidden record is the procedure's NOT_FOUND, answered 404 by server/remix-errors.ts; any other
  // failure keeps its own status (never caught here and turned into a 404).
  const [detail, interests, tasks, matches, consent] = await Promise.all([
    caller.leads.get({ id: params.id! }),
    caller.leads.interests({ id: params.id! }),
    caller.tasks.list({ leadId: params.id! }),
    caller.leads.matches({ id: params.id! }),
    caller.consent.get({ leadId: params.id! }),
  ])
  const names = new Map(assignees.map((a) => [a.userId, a.name]))
  const phones = detail.lead.phones.map((e164, i) => ({
    e164,
    display: displayPhones(detail.lead.phones, country)[i]!,
  }))
  const [thread, startChoices] = await Promise.all([
    recordThread(caller, detail.conversation),
    whatsappStartChoices(caller, detail.conversation, phones),
  ])
  return {
    ...detail,
    phones,
    startChoices,
    interests,
    currency,
    assignees,
    names: Object.fromEntries(names),
    me: identity.userId,
    isManager: role === 'manager',
    tasks,
    matches: matches.matches,
    consent,
    thread,
    canPlan: can(role, 'records.write'),
    canDelete: can(role, 'records.delete'),
    canPrivacy: can(role, 'privacy.manage'),
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const fd = await readForm(request)
  const caller = await context.scope.caller()
  const id = params.id!
  const text = (k: string) => String(fd.get(k) ?? '')
  const task = await runTaskIntent(context, caller, fd)
  if (task) return task
  const message = runConversationIntent(context, caller, fd, text('conversationId'))
  if (message) return message
  switch (fd.get('intent')) {
    case 'status':
      return runAction(
        context,
        () =>
          caller.leads.setStatus(
            fromForm<RouterInputs['leads']['setStatus']>({
              id,
              status: text('status'),
              lostReason: text('lostReason') || null,
              lostDetail: text('lostDetail'),
            }),
          ),
        () => ({ ok: true, message: 'common.saved' }),
      )
    case 'anonymise':
      return runAction(
        context,
        () => caller.privacy.anonymise({ leadId: id }),
        () => ({ ok: true, message: 'privacy.anonymised' }),
      )
    case 'consent':
      return runAction(
        context,
        () => caller.consent.record(consentInput({ leadId: id }, fd)),
        () => ({ ok: true, message: 'common.saved' }),
      )
    case 'assign':
      return runAction(
        context,
        () => caller.leads.assign({ id, assignedTo: text('assignedTo') || null }),
        () => ({ ok: true, message: 'common.saved' }),
      )
    case 'addNote':
      return runAction(
        context,
        () => caller.leads.addNote({ leadId: id, body: text('body') }),
        () => ({ ok: true, message: 'leads.noteAdded' }),
      )
    case 'updateNote':
      return runAction(
        context,
        () => caller.leads.updateNote({ id: text('noteId'), body: text('body') }),
        () => ({ ok: true, message: 'leads.noteSaved' }),
      )
    case 'deleteNote':
      return runAction(
        context,
        () => caller.leads.deleteNote({ id: text('noteId') }),
        () => ({ ok: true, message: 'leads.noteDeleted' }),
      )
    case 'convert':
      return runAction(
        context,
        () =>
          caller.leads.convert({
            id,
            clientId: text('mode') === 'existing' ? text('clientId') || undefined : undefined,
          }),
        () => ({ ok: true, message: 'leads.converted' }),
      )
    case 'qualify': {
      // Empty choices stay as they were: this form sets values, it does not clear the AI's.
      const values = Object.fromEntries(['financing', 'moveIn'].flatMap((k) => (text(k) ? [[k, text(k)]] : [])))
      return runAction(
        context,
        () => caller.leads.setQualification({ id, values } as RouterInputs['leads']['setQualification']),
        () => ({ ok: true, message: 'leads.qualificationSaved' }),
      )
    }
    case 'linkProperty':
      return runAction(
        context,
        () => caller.leads.linkProperty({ leadId: id, propertyId: text('propertyId') }),
        () => ({ ok: true, message: 'leads.interestAdded' }),
      )
    case 'unlinkProperty':
      return runAction(
        context,
        () => caller.leads.unlinkProperty({ leadId: id, propertyId: text('propertyId') }),
        () => ({ ok: true, message: 'leads.interestRemoved' }),
      )
    case 'sendProperty':
      return runAction(
        context,
        () => caller.properties.sendCard({ leadId: id, propertyId: text('propertyId') }),
        () => ({ ok: true, message: 'sharing.sent' }),
      )
    case 'shareProperty':
      return runAction(
        context,
        () => caller.properties.share({ leadId: id, propertyId: text('propertyId') }),
        (r) => ({ ok: true, meta: { url: r.url, propertyId: text('propertyId') } }),
      )
    case 'whatsapp':
      return runAction(
        context,
        () =>
          caller.whatsapp.forRecord({
            leadId: id,
            accountId: text('accountId') || undefined,
            phone: text('phone') || undefined,
          }),
        (c) => redirect(`/app/inbox/${c.id}`),
      )
    case 'delete':
      return runAction(
        context,
        () => caller.leads.delete({ id }),
        () => redirect('/app/leads?deleted=1'),
      )
    default:
      return new Response('Unknown intent', { status: 400 })
  }
}

function StatusControl() {
  const { t } = useI18n()
  const { lead, canEdit } = useLoaderData<typeof loader>()
  const fetcher = useFetcher<FormResult>()
  const [lostOpen, setLostOpen] = useState(false)
  useResultToast(fetcher.data)
  // Optimistic: show the requested status while the request is in flight; the loader's value returns on failure.
  const pending = fetcher.formData?.get('status')
  const status = (typeof pending === 'string' ? pending : lead.status) as typeof lead.status
  const submit = (fields: Record<string, string>) => fetcher.submit({ intent: 'status', ...fields }, { method: 'post' })
  if (!canEdit || lead.status === 'converted')
    return <Badge variant={statusBadge[status]}>{t(`leads.statuses.${status}`)}</Badge>
  return (
    <>
      <label className="flex items-center gap-2 text-sm">
        <span className="sr-only">{t('leads.changeStatus')}</span>
        <Select
          value={status}
          className="h-9 w-auto"
          data-testid="status-select"
          onChange={(e) => (e.target.value === 'lost' ? setLostOpen(true) : submit({ status: e.target.value }))}
        >
          {leadStatuses
            .filter((s) => s !== 'converted')
            .map((s) => (
              <option key={s} value={s}>
                {t(`leads.statuses.${s}`)}
              </option>
            ))}
        </Select>
      </label>
      {lostOpen ? (
        <LostDialog
          open
          leadName={lead.name}
          onCancel={() => setLostOpen(false)}
          onConfirm={(lostReason, lostDetail) => {
            setLostOpen(false)
            submit({ status: 'lost', lostReason, lostDetail })
          }}
        />
      ) : null}
    </>
  )
}

function AssignControl() {
  const { t } = useI18n()
  const { lead, assignees, isManager, me, canEdit, names } = useLoaderData<typeof loader>()
  const fetcher = useFetcher<FormResult>()
  useResultToast(fetcher.data)
  const current = lead.assignedTo ? (names[lead.assignedTo] ?? '—') : t('leads.unassigned')
  if (isManager) {
    return (
      <PersonPicker
        value={lead.assignedTo ?? ''}
        className="h-9 w-56"
        aria-label={t('leads.assignee')}
        onValueChange={(v) => fetcher.submit({ intent: 'assign', assignedTo: v }, { method: 'post' })}
        choices={[{ value: '', label: t('leads.unassigned') }]}
        people={assignees}
      />
    )
  }
  return (
    <span className="flex items-center gap-2">
      {current}
      {canEdit && lead.assignedTo !== me ? (
        <Button
          size="sm"
          variant="outline"
          loading={fetcher.state !== 'idle'}
          onClick={() => fetcher.submit({ intent: 'assign', assignedTo: me }, { method: 'post' })}
        >
          {t('leads.takeIt')}
        </Button>
      ) : null}
    </span>
  )
}

function Timeline() {
  const t = useT()
  const { events: history, names, thread, tasks, lead } = useLoaderData<typeof loader>()
  // The lead's story in one line of time: its history, its WhatsApp messages (the thread's latest) and what was done
  // on its tasks and visits, newest first.
  const events = [
    ...history,
    ...(thread?.messages ?? []).map((m) => ({
      id: `message-${m.id}`,
      kind: 'wa_message',
      data: { direction: m.direction, text: m.body ?? `[${m.type}]` },
      at: m.providerAt ?? m.createdAt,
      actorName: m.direction === 'inbound' ? lead.name : (m.sentByName ?? t('leads.event.automatic')),
      actorKind: null,
    })),
    ...tasks
      .filter((x) => x.status !== 'open' && x.completedAt)
      .map((x) => ({
        id: `task-${x.id}`,
        kind: 'task_closed',
        data: { title: x.title, status: x.status, outcome: x.outcome },
        at: x.completedAt!,
        actorName: x.assigneeName,
        actorKind: null,
      })),
  ].sort((a, b) => +new Date(b.at) - +new Date(a.at))
  return (
    <RecordTimeline
      events={events}
      describe={(e, d) => {
        switch (e.kind) {
          case 'status_changed':
            return (
              t('leads.event.status_changed', {
                from: t(`leads.statuses.${d.from}`),
                to: t(`leads.statuses.${d.to}`),
              }) +
              (d.reason ? ` (${t(`leads.lostReasons.${d.reason}`)})` : '') +
              (d.cause === 'first_reply' ? t('leads.event.byFirstReply') : '')
            )
          case 'assigned': {
            const to = names[d.to as string] ?? '—'
            // The distribution's decisions say why (decision 027): the rule, the listing's agent, a missed SLA.
            const by = d.by as { reason: string; rule: string | null; slaMinutes?: number | null } | undefined
            if (by && d.to)
              return by.reason === 'sla'
                ? t('leads.event.distributedSla', { minutes: by.slaMinutes ?? '', to })
                : by.reason === 'listing_agent'
                  ? t('leads.event.distributedListing', { to })
                  : by.reason === 'claim'
                    ? t('leads.event.distributedClaim', { rule: by.rule ?? '', to })
                    : t('leads.event.distributedRule', { rule: by.rule ?? '', to })
            return d.to ? t('leads.event.assigned', { to }) : t('leads.event.unassigned')
          }
          case 'edited':
            if (d.via === 'whatsapp_number_change') return t('whatsapp.numberChanged')
            return t('leads.event.edited', {
              fields: ((d.fields as string[]) ?? []).map((f) => t(`leads.${f}`).toLowerCase()).join(', '),
            })
          case 'converted':
            return t('leads.event.converted', { client: String(d.clientName ?? '') })
          case 'offered':
            return t('leads.event.offered', {
              count: Number(d.to ?? 0),
              rule: String(d.rule ?? ''),
              minutes: Number(d.minutes ?? 0),
            })
          case 'property_shared':
            return t(d.channel === 'whatsapp' ? 'leads.event.propertySentWhatsapp' : 'leads.event.propertySentLink', {
              property: `${d.code ?? ''} ${d.title ?? ''}`.trim(),
            })
          case 'property_viewed':
            return t('leads.event.propertyViewed', {
              property: `${d.code ?? ''} ${d.title ?? ''}`.trim(),
              views: Number(d.views ?? 1),
            })
          case 'property_linked':
          case 'property_unlinked':
            return t(`leads.event.${e.kind}`, { property: `${d.code ?? ''} ${d.title ?? ''}`.trim() })
          case 'inquiry': {
            const listing = d.listingCode ? t('leads.event.inquiryListing', { code: String(d.listingCode) }) : ''
            const channel = String(d.channel ?? '')
            return d.message
              ? t('leads.event.inquiry', { channel, listing, message: String(d.message) })
              : t('leads.event.inquiryNoMessage', { channel, listing })
          }
          case 'wa_message': {
            const text = String(d.text ?? '').slice(0, 200)
            return d.direction === 'inbound'
              ? t('leads.event.messageIn', { text })
              : t('leads.event.messageOut', { text })
          }
          case 'task_closed':
            return d.status === 'cancelled'
              ? t('leads.event.taskCancelled', { title: String(d.title) })
              : d.outcome
                ? t('leads.event.visitOutcome', { title: String(d.title), outcome: t(`tasks.outcomes.${d.outcome}`) })
                : t('leads.event.taskDone', { title: String(d.title) })
          default:
            return t(`leads.event.${e.kind}`)
        }
      }}
    />
  )
}

/** Available listings ranked for the lead's criteria, each with why; one tap adds it to the lead's interests. */
function Matches() {
  const { t, locale } = useI18n()
  const { matches, interests, canEdit, currency } = useLoaderData<typeof loader>()
  const fetcher = useFetcher<FormResult>()
  useResultToast(fetcher.data)
  const adding = fetcher.formData?.get('intent') === 'linkProperty' ? String(fetcher.formData.get('propertyId')) : null
  const linked = new Set([...interests.map((i) => i.id), ...(adding ? [adding] : [])])
  if (!matches.length) return <p className="text-sm text-muted-foreground">{t('matching.noneForLead')}</p>
  return (
    <ul className="grid grid-cols-[minmax(0,1fr)] gap-2 sm:grid-cols-2">
      {matches.map((m) => (
        <li key={m.id} className="flex min-w-0 flex-col gap-1 rounded-md border p-2 text-sm" data-testid="match">
          <div className="flex items-start justify-between gap-2">
            <Link to={`/app/properties/${m.id}`} className="min-w-0 font-medium text-primary hover:underline">
              <span className="block truncate">
                {m.code} · {m.title}
              </span>
            </Link>
            <Badge variant={m.score >= 80 ? 'success' : 'secondary'}>{t('matching.score', { score: m.score })}</Badge>
          </div>
          <span className="truncate text-xs text-muted-foreground">
            {[m.neighbourhood, formatMoney(m.price, currency, locale)].filter(Boolean).join(' · ')}
          </span>
          <span className="text-xs">{m.reasons.map((r) => t(`matching.reasons.${r}`)).join(' · ')}</span>
          {canEdit && !linked.has(m.id) ? (
            <fetcher.Form method="post">
              <input type="hidden" name="intent" value="linkProperty" />
              <input type="hidden" name="propertyId" value={m.id} />
              <Button type="submit" size="sm" variant="outline">
                {t('matching.addInterest')}
              </Button>
            </fetcher.Form>
          ) : null}
        </li>
      ))}
    </ul>
  )
}

/**
 * Sends a listing to the lead (issue 16): as a card in its WhatsApp conversation, or as a link to copy. Either way a
 * public, expiring page whose views show on the timeline.
 */
function ShareProperty({ propertyId, title }: { propertyId: string; title: string }) {
  const { t } = useI18n()
  const { thread, canEdit } = useLoaderData<typeof loader>()
  const fetcher = useFetcher<FormResult>()
  useResultToast(fetcher.data)
  const url = fetcher.data?.meta?.propertyId === propertyId ? String(fetcher.data.meta.url) : null
  useEffect(() => {
    if (url) navigator.clipboard?.writeText(url).catch(() => undefined)
  }, [url])
  const busy = (intent: string) => fetcher.state !== 'idle' && fetcher.formData?.get('intent') === intent
  return (
    <div className="flex shrink-0 flex-col items-end gap-1">
      <div className="flex gap-1">
        {thread && canEdit ? (
          <Button
            size="sm"
            variant="outline"
            aria-label={t('sharing.sendOf', { title })}
            loading={busy('sendProperty')}
            onClick={() => fetcher.submit({ intent: 'sendProperty', propertyId }, { method: 'post' })}
          >
            {t('sharing.send')}
          </Button>
        ) : null}
        <Button
          size="sm"
          variant="ghost"
          aria-label={t('sharing.linkOf', { title })}
          loading={busy('shareProperty')}
          onClick={() => fetcher.submit({ intent: 'shareProperty', propertyId }, { method: 'post' })}
        >
          {t('sharing.link')}
        </Button>
      </div>
      {url ? (
        <input
          readOnly
          value={url}
          aria-label={t('sharing.linkOf', { title })}
          onFocus={(e) => e.currentTarget.select()}
          className="w-56 rounded border bg-muted px-2 py-1 text-xs"
          data-testid="share-link"
        />
      ) : null}
    </div>
  )
}

function Interests() {
  const { t, locale } = useI18n()
  const { interests, canEdit, currency } = useLoaderData<typeof loader>()
  const fetcher = useFetcher<FormResult>()
  const [adding, setAdding] = useState(false)
  useResultToast(fetcher.data)
  const search = useCallback(
    async (q: string) =>
      (await trpc.properties.pick.query({ q }))
        .filter((p) => !interests.some((i) => i.id === p.id))
        .map((p) => ({ id: p.id, label: `${p.code} · ${p.title}`, hint: p.neighbourhood ?? undefined })),
    [interests],
  )
  const removing =
    fetcher.formData?.get('intent') === 'unlinkProperty' ? String(fetcher.formData.get('propertyId')) : null
  return (
    <div className="grid gap-3">
      {interests.length === 0 ? <p className="text-sm text-muted-foreground">{t('leads.noInterests')}</p> : null}
      <ul className="grid gap-2">
        {interests
          .filter((p) => p.id !== removing)
          .map((p) => (
            <li key={p.id} className="flex items-center gap-3 rounded-md border p-2" data-testid="interest">
              {p.coverPhotoId ? (
                <img
                  src={`/media/photos/${p.coverPhotoId}/thumb`}
                  alt=""
                  className="h-12 w-16 rounded object-cover"
                  loading="lazy"
                />
              ) : (
                <div className="h-12 w-16 rounded bg-muted" />
              )}
              <Link to={`/app/properties/${p.id}`} className="min-w-0 flex-1 text-sm">
                <span className="block truncate font-medium text-primary hover:underline">
                  {p.code} · {p.title}
                </span>
                <span className="block truncate text-xs text-muted-foreground">
                  {[p.neighbourhood, formatMoney(p.salePrice ?? p.rentPrice, currency, locale)]
                    .filter(Boolean)
                    .join(' · ')}
                </span>
              </Link>
              <ShareProperty propertyId={p.id} title={p.title} />
              {canEdit ? (
                <fetcher.Form method="post">
                  <input type="hidden" name="intent" value="unlinkProperty" />
                  <input type="hidden" name="propertyId" value={p.id} />
                  <Button type="submit" size="sm" variant="ghost">
                    {t('leads.removeInterest')}
                  </Button>
                </fetcher.Form>
              ) : null}
            </li>
          ))}
      </ul>
      {canEdit ? (
        adding ? (
          <RecordPicker
            search={search}
            label={t('leads.addInterest')}
            placeholder={t('properties.search')}
            autoFocus
            onPick={(item) => {
              setAdding(false)
              fetcher.submit({ intent: 'linkProperty', propertyId: item.id }, { method: 'post' })
            }}
          />
        ) : (
          <Button
            size="sm"
            variant="outline"
            className="w-fit"
            onClick={() => setAdding(true)}
            loading={fetcher.state !== 'idle' && fetcher.formData?.get('intent') === 'linkProperty'}
          >
            {t('leads.addInterest')}
          </Button>
        )
      ) : null}
    </div>
  )
}

/** What the new and edit pages' redirects ask this page to say. */
const flashes = { created: 'leads.createdToast', saved: 'leads.saved' }

export default function LeadDetail() {
  const { t, locale, dateTime } = useI18n()
  const data = useLoaderData<typeof loader>()
  const { lead } = data
  const deleter = useFetcher<FormResult>()
  useResultToast(deleter.data)
  useFlashToast(flashes)
  // The AI fills the qualification in while the contact writes: the page follows the lead's changes live.
  const revalidate = useBackgroundRevalidate()
  useLiveSignal('activity:changed', revalidate)
  const row = (label: string, value: React.ReactNode) =>
    value === null || value === '' || (Array.isArray(value) && value.length === 0) ? null : (
      <div className="grid gap-0.5">
        <dt className="text-xs text-muted-foreground">{label}</dt>
        <dd className="text-sm">{value}</dd>
      </div>
    )
  const budget = [
    formatMoney(lead.budgetMin, data.currency, locale),
    formatMoney(lead.budgetMax, data.currency, locale),
  ]
    .filter(Boolean)
    .join(' – ')
  return (
    <div className="flex min-w-0 flex-col gap-4">
      <PageHeader
        back={{ to: '/app/leads', label: t('leads.title') }}
        title={lead.name}
        titleTestId="lead-name"
        description={
          data.firstContactDue ? (
            <p className="text-sm text-amber-700 dark:text-amber-400" data-testid="first-contact-due">
              {t('distribution.dueBy', {
                when: dateTime(data.firstContactDue.dueAt),
                name: data.names[data.firstContactDue.userId] ?? '—',
              })}
            </p>
          ) : null
        }
        controls={<StatusControl />}
        primary={data.canEdit && lead.status === 'qualified' ? <ConvertDialog leadName={lead.name} /> : null}
        actions={[
          data.canEdit && { id: 'edit', label: t('leads.edit'), icon: Pencil, to: `/app/leads/${lead.id}/edit` },
          data.canDelete && {
            id: 'delete',
            label: t('leads.delete'),
            icon: Trash2,
            destructive: true,
            loading: deleter.state !== 'idle',
            onSelect: () => {
              if (window.confirm(t('leads.confirmDelete', { name: lead.name })))
                deleter.submit({ intent: 'delete' }, { method: 'post' })
            },
          },
        ]}
      />
      <ContactActions name={lead.name} phones={data.phones} choices={data.startChoices} />
      <RecordConversation conversation={data.conversation} />
      {!data.canEdit ? <Alert>{t('leads.readOnly')}</Alert> : null}
      {lead.anonymizedAt ? (
        <Alert data-testid="anonymised">{t('privacy.anonymisedAt', { when: dateTime(lead.anonymizedAt) })}</Alert>
      ) : null}
      {data.client ? (
        <Alert variant="success" data-testid="converted-to">
          {t('leads.convertedTo')}{' '}
          {data.client.id ? (
            <Link to={`/app/clients/${data.client.id}`} className="font-medium underline">
              {data.client.name}
            </Link>
          ) : (
            <strong>{data.client.name}</strong>
          )}
        </Alert>
      ) : null}
      {lead.status === 'lost' && lead.lostReason ? (
        <Alert variant="destructive">
          {t('leads.statuses.lost')}: {t(`leads.lostReasons.${lead.lostReason}`)}
          {lead.lostDetail ? ` — ${lead.lostDetail}` : ''}
        </Alert>
      ) : null}
      <RecordTasks
        tasks={data.tasks as unknown as TaskItem[]}
        people={{ assignees: data.assignees, me: data.me, isManager: data.isManager }}
        defaults={{ leadId: lead.id, contactName: lead.name }}
        canPlan={data.canPlan}
      />
      <div className="grid gap-4 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardContent className="pt-4 sm:pt-6">
            <dl className="grid gap-4 sm:grid-cols-2" data-testid="lead-details">
              {row(
                t('leads.phones'),
                data.phones.length ? (
                  <ul>
                    {data.phones.map((p) => (
                      <li key={p.e164}>
                        <a href={`tel:${p.e164}`} className="text-primary hover:underline">
                          {p.display}
                        </a>
                      </li>
                    ))}
                  </ul>
                ) : null,
              )}
              {row(
                t('leads.email'),
                lead.email ? (
                  <a href={`mailto:${lead.email}`} className="text-primary hover:underline">
                    {lead.email}
                  </a>
                ) : null,
              )}
              {row(t('leads.assignee'), <AssignControl />)}
              {row(
                t('leads.source'),
                `${t(`leads.sources.${lead.source}`)}${lead.sourceDetail ? ` · ${lead.sourceDetail}` : ''}`,
              )}
              {row(t('leads.interest'), lead.interest ? t(`leads.interests.${lead.interest}`) : null)}
              {row(`${t('leads.budgetMin')} / ${t('leads.budgetMax')}`, budget)}
              {row(
                t('leads.propertyTypes'),
                lead.propertyTypes.map((p) => t(`leads.propertyTypeNames.${p}`)).join(', '),
              )}
              {row(t('leads.locations'), lead.locations.join(', '))}
              {row(t('leads.minBedrooms'), lead.minBedrooms === null ? null : String(lead.minBedrooms))}
              {row(
                t('leads.tags'),
                lead.tags.length ? (
                  <span className="flex flex-wrap gap-1">
                    {lead.tags.map((tag) => (
                      <Badge key={tag} variant="outline">
                        {tag}
                      </Badge>
                    ))}
                  </span>
                ) : null,
              )}
              {row(t('leads.created'), dateTime(lead.createdAt))}
              {row(t('consent.title'), <ConsentSummary consent={data.consent} canEdit={data.canEdit} />)}
              {data.canPrivacy
                ? row(
                    t('privacy.title'),
                    <PrivacyActions kind="leads" id={lead.id} name={lead.name} anonymised={!!lead.anonymizedAt} />,
                  )
                : null}
            </dl>
            {lead.notes ? <p className="mt-4 border-t pt-4 text-sm whitespace-pre-wrap">{lead.notes}</p> : null}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>{t('ai.qualification.title')}</CardTitle>
          </CardHeader>
          <CardContent>
            <LeadQualification qualification={data.qualification} currency={data.currency} canEdit={data.canEdit} />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>{t('leads.timeline')}</CardTitle>
          </CardHeader>
          <CardContent>
            <Timeline />
          </CardContent>
        </Card>
        <Card className="lg:col-span-2">
          <CardHeader>
            <CardTitle>{t('leads.interestsTitle')}</CardTitle>
          </CardHeader>
          <CardContent>
            <Interests />
          </CardContent>
        </Card>
        {data.thread ? (
          <Card className="lg:col-span-2">
            <CardHeader>
              <CardTitle>{t('nav.inbox')}</CardTitle>
            </CardHeader>
            <CardContent>
              <RecordThread data={data.thread as unknown as RecordThreadData} />
            </CardContent>
          </Card>
        ) : null}
        <Card className="lg:col-span-2">
          <CardHeader>
            <CardTitle>{t('matching.forLead')}</CardTitle>
          </CardHeader>
          <CardContent>
            <Matches />
          </CardContent>
        </Card>
        <Card className="lg:col-span-2">
          <CardHeader>
            <CardTitle>{t('leads.notesTitle')}</CardTitle>
          </CardHeader>
          <CardContent>
            <RecordNotes notes={data.notes} me={data.me} />
          </CardContent>
        </Card>
      </div>
    </div>
  )
}
