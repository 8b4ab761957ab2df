import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Link, useFetcher, useLoaderData, useSearchParams } from '@remix-run/react'
import { can } from '@impera/api/permissions'
import { leadStatusValues } from '@impera/api/schemas'
import { Alert, Badge, Button, Card, CardContent, CardHeader, CardTitle, Select, useToast } from '@impera/ui'
import { useEffect, useRef, useState } from 'react'
import { statusBadge } from '../components/leads-header'
import { LostDialog } from '../components/lost-dialog'
import { useResultToast } from '../components/use-result-toast'
import { formatDateTime, useI18n } from '../i18n'
import { runAction } from '../lib/actions.server'
import { formatMoney } from '../lib/format'
import type { FormResult } from '../lib/forms'
import { displayPhones, leadsPageContext } from '../lib/leads.server'
import { requirePermission } from '../lib/session.server'

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { role, identity } = await requirePermission(context, request, 'records.read')
  const { caller, currency, country, assignees } = await leadsPageContext(context)
  const detail = await caller.leads.get({ id: params.id! }).catch(() => null)
  if (!detail) throw new Response('Not found', { status: 404 })
  const names = new Map(assignees.map((a) => [a.userId, a.name]))
  return {
    ...detail,
    phones: detail.lead.phones.map((e164, i) => ({ e164, display: displayPhones(detail.lead.phones, country)[i]! })),
    currency,
    assignees,
    names: Object.fromEntries(names),
    me: identity.userId,
    isManager: role === 'manager',
    canDelete: can(role, 'records.delete'),
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const fd = await request.formData()
  const caller = await context.scope.caller()
  const id = params.id!
  const text = (k: string) => String(fd.get(k) ?? '')
  switch (fd.get('intent')) {
    case 'status':
      return runAction(context, () => caller.leads.setStatus({ id, status: text('status') as never, lostReason: (text('lostReason') || null) as never, lostDetail: text('lostDetail') }), () => ({ ok: true, message: 'common.saved' }))
    case 'assign':
      return runAction(context, () => caller.leads.assign({ id, assignedTo: text('assignedTo') || null }), () => ({ ok: true, message: 'common.saved' }))
    case 'addNote':
      return runAction(context, () => caller.leads.addNote({ leadId: id, body: text('body') }), () => ({ ok: true, message: 'leads.noteAdded' }))
    case 'updateNote':
      return runAction(context, () => caller.leads.updateNote({ id: text('noteId'), body: text('body') }), () => ({ ok: true, message: 'leads.noteSaved' }))
    case 'deleteNote':
      return runAction(context, () => caller.leads.deleteNote({ id: text('noteId') }), () => ({ ok: true, message: 'leads.noteDeleted' }))
    case 'delete':
      return runAction(context, () => caller.leads.delete({ id }), () => redirect('/app/leads?deleted=1'))
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
  if (!canEdit || lead.status === 'converted') return <Badge variant={statusBadge[status]}>{t(`leads.statuses.${status}`)}</Badge>
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
          {leadStatusValues
            .filter((s) => s !== 'converted')
            .map((s) => (
              <option key={s} value={s}>
                {t(`leads.statuses.${s}`)}
              </option>
            ))}
        </Select>
      </label>
      <LostDialog
        open={lostOpen}
        leadName={lead.name}
        onCancel={() => setLostOpen(false)}
        onConfirm={(lostReason, lostDetail) => {
          setLostOpen(false)
          submit({ status: 'lost', lostReason, lostDetail })
        }}
      />
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
      <Select value={lead.assignedTo ?? ''} className="h-9 w-auto" aria-label={t('leads.assignee')} onChange={(e) => fetcher.submit({ intent: 'assign', assignedTo: e.target.value }, { method: 'post' })}>
        <option value="">{t('leads.unassigned')}</option>
        {assignees.map((a) => (
          <option key={a.userId} value={a.userId}>
            {a.name}
          </option>
        ))}
      </Select>
    )
  }
  return (
    <span className="flex items-center gap-2">
      {current}
      {canEdit && lead.assignedTo !== me ? (
        <Button size="sm" variant="outline" loading={fetcher.state !== 'idle'} onClick={() => fetcher.submit({ intent: 'assign', assignedTo: me }, { method: 'post' })}>
          {t('leads.takeIt')}
        </Button>
      ) : null}
    </span>
  )
}

function Notes() {
  const { t, locale } = useI18n()
  const { notes, me } = useLoaderData<typeof loader>()
  const fetcher = useFetcher<FormResult>()
  const form = useRef<HTMLFormElement>(null)
  const [editing, setEditing] = useState<string | null>(null)
  useResultToast(fetcher.data)
  useEffect(() => {
    if (fetcher.state === 'idle' && fetcher.data?.ok) {
      form.current?.reset()
      setEditing(null)
    }
  }, [fetcher.state, fetcher.data])
  const pendingNote = fetcher.formData?.get('intent') === 'addNote' ? String(fetcher.formData.get('body')) : null
  return (
    <div className="grid gap-3">
      <fetcher.Form method="post" ref={form} className="grid gap-2">
        <input type="hidden" name="intent" value="addNote" />
        <label className="sr-only" htmlFor="new-note">
          {t('leads.addNote')}
        </label>
        <textarea id="new-note" name="body" required maxLength={5000} rows={2} placeholder={t('leads.notePlaceholder')} className="w-full rounded-md border border-input bg-background px-3 py-2 text-base focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring md:text-sm" />
        <Button type="submit" size="sm" className="w-fit" loading={fetcher.state !== 'idle' && !!pendingNote}>
          {t('leads.addNote')}
        </Button>
      </fetcher.Form>
      <ul className="grid gap-2">
        {pendingNote ? <li className="rounded-md border border-dashed p-3 text-sm opacity-70">{pendingNote}</li> : null}
        {notes.map((n) => (
          <li key={n.id} className="grid gap-1 rounded-md border p-3" data-testid="note">
            {editing === n.id ? (
              <fetcher.Form method="post" className="grid gap-2">
                <input type="hidden" name="intent" value="updateNote" />
                <input type="hidden" name="noteId" value={n.id} />
                <textarea name="body" defaultValue={n.body} required maxLength={5000} rows={2} aria-label={t('leads.editNote')} className="w-full rounded-md border border-input px-3 py-2 text-sm" autoFocus />
                <div className="flex gap-2">
                  <Button type="submit" size="sm">
                    {t('common.save')}
                  </Button>
                  <Button type="button" size="sm" variant="ghost" onClick={() => setEditing(null)}>
                    {t('common.cancel')}
                  </Button>
                </div>
              </fetcher.Form>
            ) : (
              <p className="whitespace-pre-wrap text-sm">{n.body}</p>
            )}
            <div className="flex flex-wrap items-center gap-2 text-xs text-muted-foreground">
              <span>
                {n.authorName ?? '—'} · {formatDateTime(locale, n.createdAt)}
              </span>
              {n.authorId === me && editing !== n.id ? (
                <>
                  <button type="button" className="underline" onClick={() => setEditing(n.id)}>
                    {t('leads.editNote')}
                  </button>
                  <fetcher.Form method="post">
                    <input type="hidden" name="intent" value="deleteNote" />
                    <input type="hidden" name="noteId" value={n.id} />
                    <button type="submit" className="underline">
                      {t('leads.deleteNote')}
                    </button>
                  </fetcher.Form>
                </>
              ) : null}
            </div>
          </li>
        ))}
      </ul>
    </div>
  )
}

function Timeline() {
  const { t, locale } = useI18n()
  const { events, names } = useLoaderData<typeof loader>()
  const describe = (e: (typeof events)[number]) => {
    const d = e.data as unknown as Record<string, string | string[] | null>
    switch (e.kind) {
      case 'status_changed':
        return t('leads.event.status_changed', { from: t(`leads.statuses.${d.from}`), to: t(`leads.statuses.${d.to}`) }) + (d.reason ? ` (${t(`leads.lostReasons.${d.reason}`)})` : '')
      case 'assigned':
        return d.to ? t('leads.event.assigned', { to: names[d.to as string] ?? '—' }) : t('leads.event.unassigned')
      case 'edited':
        return t('leads.event.edited', { fields: ((d.fields as string[]) ?? []).map((f) => t(`leads.${f}`).toLowerCase()).join(', ') })
      default:
        return t(`leads.event.${e.kind}`)
    }
  }
  return (
    <ol className="grid gap-2 border-l pl-4" data-testid="timeline">
      {events.map((e) => (
        <li key={e.id} className="text-sm">
          <span className="font-medium">{e.actorName ?? '—'}</span> {describe(e)}
          <div className="text-xs text-muted-foreground">{formatDateTime(locale, e.at)}</div>
        </li>
      ))}
    </ol>
  )
}

export default function LeadDetail() {
  const { t, locale } = useI18n()
  const data = useLoaderData<typeof loader>()
  const { lead } = data
  const [params] = useSearchParams()
  const toast = useToast()
  const deleter = useFetcher<FormResult>()
  useResultToast(deleter.data)
  useEffect(() => {
    if (params.get('created')) toast({ title: t('leads.createdToast'), variant: 'success' })
    if (params.get('saved')) toast({ title: t('leads.saved'), variant: 'success' })
  }, [params, toast, t])
  const row = (label: string, value: React.ReactNode) =>
    value === null || value === '' || (Array.isArray(value) && value.length === 0) ? null : (
      <div className="grid gap-0.5">
        <dt className="text-xs text-muted-foreground">{label}</dt>
        <dd className="text-sm">{value}</dd>
      </div>
    )
  const budget = [formatMoney(lead.budgetMin, data.currency, locale), formatMoney(lead.budgetMax, data.currency, locale)].filter(Boolean).join(' – ')
  return (
    <div className="flex min-w-0 flex-col gap-4">
      <Link to="/app/leads" className="text-sm text-primary hover:underline">
        ← {t('leads.title')}
      </Link>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-bold" data-testid="lead-name">
          {lead.name}
        </h1>
        <div className="flex flex-wrap items-center gap-2">
          <StatusControl />
          {data.canEdit ? (
            <Button asChild variant="outline" size="sm">
              <Link to={`/app/leads/${lead.id}/edit`}>{t('leads.edit')}</Link>
            </Button>
          ) : null}
          {data.canDelete ? (
            <deleter.Form method="post" onSubmit={(e) => !window.confirm(t('leads.confirmDelete', { name: lead.name })) && e.preventDefault()}>
              <input type="hidden" name="intent" value="delete" />
              <Button type="submit" size="sm" variant="destructive" loading={deleter.state !== 'idle'}>
                {t('leads.delete')}
              </Button>
            </deleter.Form>
          ) : null}
        </div>
      </div>
      {!data.canEdit ? <Alert>{t('leads.readOnly')}</Alert> : null}
      {lead.status === 'lost' && lead.lostReason ? (
        <Alert variant="destructive">
          {t('leads.statuses.lost')}: {t(`leads.lostReasons.${lead.lostReason}`)}
          {lead.lostDetail ? ` — ${lead.lostDetail}` : ''}
        </Alert>
      ) : null}
      <div className="grid gap-4 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardContent className="pt-4 sm:pt-6">
            <dl className="grid gap-4 sm:grid-cols-2">
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
              {row(t('leads.email'), lead.email ? <a href={`mailto:${lead.email}`} className="text-primary hover:underline">{lead.email}</a> : null)}
              {row(t('leads.assignee'), <AssignControl />)}
              {row(t('leads.source'), `${t(`leads.sources.${lead.source}`)}${lead.sourceDetail ? ` · ${lead.sourceDetail}` : ''}`)}
              {row(t('leads.interest'), lead.interest ? t(`leads.interests.${lead.interest}`) : null)}
              {row(`${t('leads.budgetMin')} / ${t('leads.budgetMax')}`, budget)}
              {row(t('leads.propertyTypes'), lead.propertyTypes.map((p) => t(`leads.propertyTypeNames.${p}`)).join(', '))}
              {row(t('leads.locations'), lead.locations.join(', '))}
              {row(t('leads.minBedrooms'), lead.minBedrooms === null ? null : String(lead.minBedrooms))}
              {row(t('leads.tags'), lead.tags.length ? <span className="flex flex-wrap gap-1">{lead.tags.map((tag) => <Badge key={tag} variant="outline">{tag}</Badge>)}</span> : null)}
              {row(t('leads.created'), formatDateTime(locale, lead.createdAt))}
            </dl>
            {lead.notes ? <p className="mt-4 whitespace-pre-wrap border-t pt-4 text-sm">{lead.notes}</p> : null}
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
            <CardTitle>{t('leads.notesTitle')}</CardTitle>
          </CardHeader>
          <CardContent>
            <Notes />
          </CardContent>
        </Card>
      </div>
    </div>
  )
}
