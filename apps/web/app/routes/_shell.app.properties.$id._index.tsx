import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { PageHeader } from '../components/page-header'
import { Pencil, Trash2 } from 'lucide-react'
import { Link, useFetcher, useLoaderData } from '@remix-run/react'
import { can } from '@impera/api/permissions'
import { propertyStatuses } from '@impera/api/schemas'
import { Alert, Badge, Button, Card, CardContent, CardHeader, CardTitle, Select } from '@impera/ui'
import { useCallback, useEffect, useState } from 'react'
import { statusBadge } from '../components/leads-header'
import { PhotoManager } from '../components/photo-manager'
import { propertyStatusBadge } from '../components/properties-header'
import { DetailRow } from '../components/detail-row'
import { RecordPicker } from '../components/record-picker'
import { RecordTimeline } from '../components/record-timeline'
import { useFlashToast, useResultToast } from '../components/use-result-toast'
import { hasKey, useI18n } from '../i18n'
import { readForm, runAction } from '../lib/actions.server'
import { formatMoney } from '../lib/format'
import { fromForm, type FormResult, type RouterInputs } from '../lib/forms'
import { recordsPageContext } from '../lib/records.server'
import { requirePermission } from '../lib/session.server'
import { runTaskIntent } from '../lib/task-actions.server'
import type { TaskItem } from '../components/task-dialog'
import { RecordTasks } from '../components/task-list'
import { trpc } from '../lib/trpc-client'
import { numberFormat } from '../lib/intl'

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { role, identity } = await requirePermission(context, request, 'records.read')
  const { caller, currency, assignees } = await recordsPageContext(context)
  // A missing or hidden record is the procedure's NOT_FOUND, answered 404 by server/remix-errors.ts; any other
  // failure keeps its own status (never caught here and turned into a 404).
  const [detail, tasks] = await Promise.all([
    caller.properties.get({ id: params.id! }),
    caller.tasks.list({ propertyId: params.id! }),
  ])
  return {
    ...detail,
    currency,
    names: Object.fromEntries(assignees.map((a) => [a.userId, a.name])),
    canDelete: can(role, 'records.delete'),
    tasks,
    people: { assignees, me: identity.userId, isManager: role === 'manager' },
    canPlan: can(role, 'records.write'),
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const fd = await readForm(request)
  const caller = await context.scope.caller()
  const id = params.id!
  const text = (k: string) => String(fd.get(k) ?? '')
  const task = await runTaskIntent(context, caller, fd)
  if (task) return task
  switch (fd.get('intent')) {
    case 'status':
      return runAction(
        context,
        () =>
          caller.properties.setStatus(
            fromForm<RouterInputs['properties']['setStatus']>({ id, status: text('status') }),
          ),
        () => ({ ok: true, message: 'common.saved' }),
      )
    case 'linkLead':
      return runAction(
        context,
        () => caller.leads.linkProperty({ leadId: text('leadId'), propertyId: id }),
        () => ({ ok: true, message: 'leads.interestAdded' }),
      )
    case 'delete':
      return runAction(
        context,
        () => caller.properties.delete({ id }),
        () => redirect('/app/properties?deleted=1'),
      )
    default:
      return new Response('Unknown intent', { status: 400 })
  }
}

function StatusControl() {
  const { t } = useI18n()
  const { property, canEdit } = useLoaderData<typeof loader>()
  const fetcher = useFetcher<FormResult>()
  useResultToast(fetcher.data)
  // Optimistic: the requested status shows while saving; the loader's value returns if it fails.
  const pending = fetcher.formData?.get('status')
  const status = (typeof pending === 'string' ? pending : property.status) as typeof property.status
  if (!canEdit) return <Badge variant={propertyStatusBadge[status]}>{t(`properties.statuses.${status}`)}</Badge>
  return (
    <Select
      value={status}
      className="h-9 w-auto"
      aria-label={t('properties.changeStatus')}
      data-testid="property-status"
      onChange={(e) => fetcher.submit({ intent: 'status', status: e.target.value }, { method: 'post' })}
    >
      {propertyStatuses.map((s) => (
        <option key={s} value={s}>
          {t(`properties.statuses.${s}`)}
        </option>
      ))}
    </Select>
  )
}

/** The open leads this listing suits, ranked, each with why (decision in services/matching.ts). */
function MatchingLeads({ propertyId }: { propertyId: string }) {
  const { t } = useI18n()
  type Matches = Awaited<ReturnType<typeof trpc.properties.matches.query>>['matches']
  const [matches, setMatches] = useState<Matches | null>(null)
  const [failed, setFailed] = useState(false)
  // Fetched after the page shows: ranking the agency's open leads is the slowest read of the page (see the bench).
  useEffect(() => {
    let live = true
    trpc.properties.matches
      .query({ id: propertyId })
      .then((r) => live && setMatches(r.matches))
      .catch(() => live && setFailed(true))
    return () => {
      live = false
    }
  }, [propertyId])
  if (failed) return <p className="text-sm text-destructive">{t('errors.internal')}</p>
  if (!matches)
    return (
      <p className="text-sm text-muted-foreground" aria-busy="true">
        {t('matching.loading')}
      </p>
    )
  if (!matches.length) return <p className="text-sm text-muted-foreground">{t('matching.noneForProperty')}</p>
  return (
    <ul className="grid grid-cols-[minmax(0,1fr)] gap-2">
      {matches.map((m) => (
        <li
          key={m.id}
          className="flex min-w-0 flex-col gap-0.5 rounded-md border p-2 text-sm"
          data-testid="matching-lead"
        >
          <div className="flex items-center justify-between gap-2">
            <Link to={`/app/leads/${m.id}`} className="min-w-0 truncate font-medium text-primary hover:underline">
              {m.name}
            </Link>
            <Badge variant={m.score >= 80 ? 'success' : 'secondary'}>{t('matching.score', { score: m.score })}</Badge>
          </div>
          <span className="flex flex-wrap items-center gap-2 text-xs">
            <Badge variant={statusBadge[m.status]}>{t(`leads.statuses.${m.status}`)}</Badge>
            {m.reasons.map((r) => t(`matching.reasons.${r}`)).join(' · ')}
          </span>
        </li>
      ))}
    </ul>
  )
}

function InterestedLeads() {
  const { t } = useI18n()
  const { interestedLeads, hiddenInterested } = useLoaderData<typeof loader>()
  const fetcher = useFetcher<FormResult>()
  const [adding, setAdding] = useState(false)
  useResultToast(fetcher.data)
  const search = useCallback(
    async (q: string) =>
      (await trpc.leads.list.query({ q: q || undefined, pageSize: 10, sort: 'updatedAt' })).rows
        .filter((l) => l.status !== 'lost' && !interestedLeads.some((i) => i.id === l.id))
        .map((l) => ({ id: l.id, label: l.name, hint: l.phones[0] ?? l.email ?? undefined })),
    [interestedLeads],
  )
  return (
    <div className="grid gap-3">
      {interestedLeads.length === 0 && !hiddenInterested ? (
        <p className="text-sm text-muted-foreground">{t('properties.noInterested')}</p>
      ) : null}
      <ul className="grid gap-2" data-testid="interested-leads">
        {interestedLeads.map((l) => (
          <li key={l.id} className="flex items-center justify-between gap-2 text-sm">
            <Link to={`/app/leads/${l.id}`} className="truncate text-primary hover:underline">
              {l.name}
            </Link>
            <Badge variant={statusBadge[l.status]}>{t(`leads.statuses.${l.status}`)}</Badge>
          </li>
        ))}
      </ul>
      {hiddenInterested ? (
        <p className="text-xs text-muted-foreground">{t('records.hiddenCount', { count: hiddenInterested })}</p>
      ) : null}
      {adding ? (
        <RecordPicker
          search={search}
          label={t('properties.addInterested')}
          placeholder={t('leads.search')}
          autoFocus
          onPick={(item) => {
            setAdding(false)
            fetcher.submit({ intent: 'linkLead', leadId: item.id }, { method: 'post' })
          }}
        />
      ) : (
        <Button
          size="sm"
          variant="outline"
          className="w-fit"
          onClick={() => setAdding(true)}
          loading={fetcher.state !== 'idle'}
        >
          {t('properties.addInterested')}
        </Button>
      )}
    </div>
  )
}

/** What the new and edit pages' redirects ask this page to say. */
const flashes = { created: 'properties.createdToast', saved: 'properties.saved' }

export default function PropertyDetail() {
  const { t, locale, dateTime } = useI18n()
  const data = useLoaderData<typeof loader>()
  const { property: p } = data
  const deleter = useFetcher<FormResult>()
  useResultToast(deleter.data)
  useFlashToast(flashes)
  const money = (cents: number | null, suffix = '') =>
    cents === null ? null : `${formatMoney(cents, data.currency, locale)}${suffix}`
  const area = (m2: number | null) =>
    m2 === null ? null : t('properties.areaUnit', { area: numberFormat(locale).format(m2) })
  const address = [
    [p.street, p.number].filter(Boolean).join(', '),
    p.complement,
    p.neighbourhood,
    [p.city, p.state].filter(Boolean).join(' - '),
    p.postalCode,
  ]
    .filter(Boolean)
    .join(' · ')
  const label = `${p.code} · ${p.title}`
  // Address fields are labelled once, under clients.*; the rest under properties.*.
  const fieldLabel = (f: string) =>
    f === 'title'
      ? t('properties.titleField')
      : hasKey(locale, `properties.${f}`)
        ? t(`properties.${f}`)
        : t(`clients.${f}`)
  return (
    <div className="flex min-w-0 flex-col gap-4">
      <PageHeader
        back={{ to: '/app/properties', label: t('properties.title') }}
        title={p.title}
        titleTestId="property-title"
        description={
          <span className="order-first text-sm text-muted-foreground" data-testid="property-code">
            {p.code} · {t(`properties.typeNames.${p.type}`)} · {t(`properties.purposes.${p.purpose}`)}
          </span>
        }
        controls={<StatusControl />}
        actions={[
          data.canEdit && { id: 'edit', label: t('properties.edit'), icon: Pencil, to: `/app/properties/${p.id}/edit` },
          data.canDelete && {
            id: 'delete',
            label: t('properties.delete'),
            icon: Trash2,
            destructive: true,
            loading: deleter.state !== 'idle',
            onSelect: () => {
              if (window.confirm(t('properties.confirmDelete', { name: label })))
                deleter.submit({ intent: 'delete' }, { method: 'post' })
            },
          },
        ]}
      />
      {!data.canEdit ? <Alert>{t('properties.readOnly')}</Alert> : null}
      <Card>
        <CardHeader>
          <CardTitle>{t('properties.photos')}</CardTitle>
        </CardHeader>
        <CardContent>
          <PhotoManager propertyId={p.id} title={p.title} photos={data.photos} canEdit={data.canEdit} />
        </CardContent>
      </Card>
      <RecordTasks
        tasks={data.tasks as unknown as TaskItem[]}
        people={data.people}
        defaults={{ propertyId: p.id, property: { id: p.id, label: p.code ? `${p.code} · ${p.title}` : p.title } }}
        canPlan={data.canPlan}
      />
      <div className="grid gap-4 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardContent className="pt-4 sm:pt-6">
            <dl className="grid gap-4 sm:grid-cols-2">
              <DetailRow label={t('properties.salePrice')} value={money(p.salePrice)} />
              <DetailRow label={t('properties.rentPrice')} value={money(p.rentPrice, t('properties.perMonth'))} />
              <DetailRow label={t('properties.condoFee')} value={money(p.condoFee)} />
              <DetailRow label={t('properties.propertyTax')} value={money(p.propertyTax)} />
              <DetailRow label={t('properties.builtArea')} value={area(p.builtArea)} />
              <DetailRow label={t('properties.totalArea')} value={area(p.totalArea)} />
              <DetailRow
                label={`${t('properties.bedrooms')} / ${t('properties.suites')} / ${t('properties.bathrooms')} / ${t('properties.parkingSpaces')}`}
                value={[p.bedrooms, p.suites, p.bathrooms, p.parkingSpaces].map((n) => n ?? '—').join(' / ')}
              />
              <DetailRow label={t('properties.address')} value={address} />
              <DetailRow
                label={t('properties.owner')}
                value={
                  data.owner ? (
                    data.owner.id ? (
                      <Link to={`/app/clients/${data.owner.id}`} className="text-primary hover:underline">
                        {data.owner.name}
                      </Link>
                    ) : (
                      data.owner.name
                    )
                  ) : null
                }
              />
              <DetailRow
                label={t('properties.assignee')}
                value={p.assignedTo ? (data.names[p.assignedTo] ?? data.assigneeName) : t('records.unassigned')}
              />
              <DetailRow
                label={t('properties.features')}
                value={
                  p.features.length ? (
                    <span className="flex flex-wrap gap-1">
                      {p.features.map((f) => (
                        <Badge key={f} variant="outline">
                          {f}
                        </Badge>
                      ))}
                    </span>
                  ) : null
                }
              />
              <DetailRow label={t('properties.created')} value={dateTime(p.createdAt)} />
            </dl>
            {p.description ? <p className="mt-4 border-t pt-4 text-sm whitespace-pre-wrap">{p.description}</p> : null}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>{t('properties.interestedTitle')}</CardTitle>
          </CardHeader>
          <CardContent>
            <InterestedLeads />
          </CardContent>
        </Card>
        <Card className="lg:col-span-3">
          <CardHeader>
            <CardTitle>{t('matching.forProperty')}</CardTitle>
          </CardHeader>
          <CardContent>
            <MatchingLeads propertyId={p.id} />
          </CardContent>
        </Card>
        <Card className="lg:col-span-3">
          <CardHeader>
            <CardTitle>{t('properties.timeline')}</CardTitle>
          </CardHeader>
          <CardContent>
            <RecordTimeline
              events={data.events}
              describe={(e, d) => {
                if (e.kind === 'status_changed')
                  return t('properties.event.status_changed', {
                    from: t(`properties.statuses.${d.from}`),
                    to: t(`properties.statuses.${d.to}`),
                  })
                if (e.kind === 'assigned')
                  return d.to
                    ? t('properties.event.assigned', { to: data.names[d.to as string] ?? '—' })
                    : t('properties.event.unassigned')
                if (e.kind === 'edited')
                  return t('properties.event.edited', {
                    fields: ((d.fields as string[]) ?? []).map((f) => fieldLabel(f).toLowerCase()).join(', '),
                  })
                return t(`properties.event.${e.kind}`)
              }}
            />
          </CardContent>
        </Card>
      </div>
    </div>
  )
}
