import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { PageHeader } from '../components/page-header'
import { Pencil, Trash2 } from 'lucide-react'
import { Link, useFetcher, useLoaderData } from '@remix-run/react'
import { formatDocument } from '@impera/api/documents'
import { can } from '@impera/api/permissions'
import { Alert, Badge, Card, CardContent, CardHeader, CardTitle } from '@impera/ui'
import { statusBadge } from '../components/leads-header'
import { DetailRow } from '../components/detail-row'
import { RecordNotes } from '../components/record-notes'
import { RecordTimeline } from '../components/record-timeline'
import { useFlashToast, useResultToast } from '../components/use-result-toast'
import { RecordConversation } from '../components/record-conversation'
import { ContactActions } from '../components/contact-actions'
import { formatDate, useI18n } from '../i18n'
import { readForm, runAction } from '../lib/actions.server'
import type { FormResult } from '../lib/forms'
import { displayPhones, recordsPageContext, recordThread, whatsappStartChoices } from '../lib/records.server'
import { requirePermission } from '../lib/session.server'
import { runTaskIntent } from '../lib/task-actions.server'
import { runConversationIntent } from '../lib/conversation-actions.server'
import { RecordThread, type RecordThreadData } from '../components/record-thread'
import type { TaskItem } from '../components/task-dialog'
import { RecordTasks } from '../components/task-list'
import { ConsentSummary } from '../components/consent-summary'
import { PrivacyActions } from '../components/privacy-actions'
import { consentInput } from '../lib/consent.server'

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { role, identity } = await requirePermission(context, request, 'records.read')
  const { caller, country, assignees } = await recordsPageContext(context)
  // A missing or hidden record is the procedure's NOT_FOUND, answered 404 by server/remix-errors.ts; any other
  // failure keeps its own status (never caught here and turned into a 404).
  const [detail, tasks, consent] = await Promise.all([
    caller.clients.get({ id: params.id! }),
    caller.tasks.list({ clientId: params.id! }),
    caller.consent.get({ clientId: params.id! }),
  ])
  const phones = detail.client.phones.map((e164, i) => ({
    e164,
    display: displayPhones(detail.client.phones, country)[i]!,
  }))
  const [thread, startChoices] = await Promise.all([
    recordThread(caller, detail.conversation),
    whatsappStartChoices(caller, detail.conversation, phones),
  ])
  return {
    ...detail,
    thread,
    phones,
    startChoices,
    document: detail.client.document ? formatDocument(detail.client.document) : null,
    names: Object.fromEntries(assignees.map((a) => [a.userId, a.name])),
    me: identity.userId,
    canDelete: can(role, 'records.delete'),
    tasks,
    consent,
    people: { assignees, me: identity.userId, isManager: role === 'manager' },
    canPlan: can(role, 'records.write'),
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
    case 'anonymise':
      return runAction(
        context,
        () => caller.privacy.anonymise({ clientId: id }),
        () => ({ ok: true, message: 'privacy.anonymised' }),
      )
    case 'consent':
      return runAction(
        context,
        () => caller.consent.record(consentInput({ clientId: id }, fd)),
        () => ({ ok: true, message: 'common.saved' }),
      )
    case 'addNote':
      return runAction(
        context,
        () => caller.clients.addNote({ clientId: id, body: text('body') }),
        () => ({ ok: true, message: 'leads.noteAdded' }),
      )
    case 'updateNote':
      return runAction(
        context,
        () => caller.clients.updateNote({ id: text('noteId'), body: text('body') }),
        () => ({ ok: true, message: 'leads.noteSaved' }),
      )
    case 'deleteNote':
      return runAction(
        context,
        () => caller.clients.deleteNote({ id: text('noteId') }),
        () => ({ ok: true, message: 'leads.noteDeleted' }),
      )
    case 'whatsapp':
      return runAction(
        context,
        () =>
          caller.whatsapp.forRecord({
            clientId: id,
            accountId: text('accountId') || undefined,
            phone: text('phone') || undefined,
          }),
        (c) => redirect(`/app/inbox/${c.id}`),
      )
    case 'delete':
      return runAction(
        context,
        () => caller.clients.delete({ id }),
        () => redirect('/app/clients?deleted=1'),
      )
    default:
      return new Response('Unknown intent', { status: 400 })
  }
}

/** What the new and edit pages' redirects ask this page to say. */
const flashes = { created: 'clients.createdToast', saved: 'clients.saved' }

export default function ClientDetail() {
  const { t, locale, dateTime } = useI18n()
  const data = useLoaderData<typeof loader>()
  const { client } = data
  const deleter = useFetcher<FormResult>()
  useResultToast(deleter.data)
  useFlashToast(flashes)
  const address = [
    [client.street, client.number].filter(Boolean).join(', '),
    client.complement,
    client.neighbourhood,
    [client.city, client.state].filter(Boolean).join(' - '),
    client.postalCode,
  ]
    .filter(Boolean)
    .join(' · ')
  return (
    <div className="flex min-w-0 flex-col gap-4">
      <PageHeader
        back={{ to: '/app/clients', label: t('clients.title') }}
        title={client.name}
        titleTestId="client-name"
        description={
          <span className="flex flex-wrap gap-1">
            {client.types.map((ct) => (
              <Badge key={ct} variant="outline">
                {t(`clients.typeNames.${ct}`)}
              </Badge>
            ))}
          </span>
        }
        actions={[
          data.canEdit && { id: 'edit', label: t('clients.edit'), icon: Pencil, to: `/app/clients/${client.id}/edit` },
          data.canDelete && {
            id: 'delete',
            label: t('clients.delete'),
            icon: Trash2,
            destructive: true,
            loading: deleter.state !== 'idle',
            onSelect: () => {
              if (window.confirm(t('clients.confirmDelete', { name: client.name })))
                deleter.submit({ intent: 'delete' }, { method: 'post' })
            },
          },
        ]}
      />
      <ContactActions name={client.name} phones={data.phones} choices={data.startChoices} />
      <RecordConversation conversation={data.conversation} />
      {!data.canEdit ? <Alert>{t('clients.readOnly')}</Alert> : null}
      {client.anonymizedAt ? (
        <Alert data-testid="anonymised">{t('privacy.anonymisedAt', { when: dateTime(client.anonymizedAt) })}</Alert>
      ) : null}
      <RecordTasks
        tasks={data.tasks as unknown as TaskItem[]}
        people={data.people}
        defaults={{ clientId: data.client.id, contactName: data.client.name }}
        canPlan={data.canPlan}
      />
      <div className="grid gap-4 lg:grid-cols-3">
        {data.thread ? (
          <Card className="lg:col-span-3">
            <CardHeader>
              <CardTitle>{t('nav.inbox')}</CardTitle>
            </CardHeader>
            <CardContent>
              <RecordThread data={data.thread as unknown as RecordThreadData} />
            </CardContent>
          </Card>
        ) : null}
        <Card className="lg:col-span-2">
          <CardContent className="pt-4 sm:pt-6">
            <dl className="grid gap-4 sm:grid-cols-2">
              <DetailRow
                label={t('clients.phones')}
                value={
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
                  ) : null
                }
              />
              <DetailRow
                label={t('clients.email')}
                value={
                  client.email ? (
                    <a href={`mailto:${client.email}`} className="text-primary hover:underline">
                      {client.email}
                    </a>
                  ) : null
                }
              />
              <DetailRow label={t('clients.document')} value={data.document} />
              <DetailRow
                label={t('clients.birthDate')}
                value={client.birthDate ? formatDate(locale, client.birthDate) : null}
              />
              <DetailRow label={t('clients.address')} value={address} />
              <DetailRow
                label={t('clients.assignee')}
                value={
                  client.assignedTo ? (data.names[client.assignedTo] ?? data.assigneeName) : t('records.unassigned')
                }
              />
              <DetailRow
                label={t('clients.tags')}
                value={
                  client.tags.length ? (
                    <span className="flex flex-wrap gap-1">
                      {client.tags.map((tag) => (
                        <Badge key={tag} variant="outline">
                          {tag}
                        </Badge>
                      ))}
                    </span>
                  ) : null
                }
              />
              <DetailRow label={t('clients.created')} value={dateTime(client.createdAt)} />
              <DetailRow
                label={t('consent.title')}
                value={<ConsentSummary consent={data.consent} canEdit={data.canEdit} />}
              />
              {data.canPrivacy ? (
                <DetailRow
                  label={t('privacy.title')}
                  value={
                    <PrivacyActions
                      kind="clients"
                      id={client.id}
                      name={client.name}
                      anonymised={!!client.anonymizedAt}
                    />
                  }
                />
              ) : null}
            </dl>
            {client.notes ? <p className="mt-4 border-t pt-4 text-sm whitespace-pre-wrap">{client.notes}</p> : null}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>{t('clients.timeline')}</CardTitle>
          </CardHeader>
          <CardContent>
            <RecordTimeline
              events={data.events}
              describe={(e, d) => {
                if (e.kind === 'assigned')
                  return d.to
                    ? t('clients.event.assigned', { to: data.names[d.to as string] ?? '—' })
                    : t('clients.event.unassigned')
                if (e.kind === 'edited' && d.via === 'whatsapp_number_change') return t('whatsapp.numberChanged')
                if (e.kind === 'edited')
                  return t('clients.event.edited', {
                    fields: ((d.fields as string[]) ?? []).map((f) => t(`clients.${f}`).toLowerCase()).join(', '),
                  })
                if (e.kind === 'lead_linked') return t('clients.event.lead_linked', { lead: String(d.leadName ?? '') })
                return t(`clients.event.${e.kind}`)
              }}
            />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>{t('clients.leadsTitle')}</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-2">
            {data.leads.length === 0 && !data.hiddenLeads ? (
              <p className="text-sm text-muted-foreground">{t('clients.noLeads')}</p>
            ) : null}
            <ul className="grid gap-2" data-testid="client-leads">
              {data.leads.map((l) => (
                <li key={l.id} className="flex items-center justify-between gap-2 text-sm">
                  <Link to={`/app/leads/${l.id}`} className="truncate text-primary hover:underline">
                    {l.name}
                  </Link>
                  <Badge variant={statusBadge[l.status]}>{t(`leads.statuses.${l.status}`)}</Badge>
                </li>
              ))}
            </ul>
            {data.hiddenLeads ? (
              <p className="text-xs text-muted-foreground">{t('records.hiddenCount', { count: data.hiddenLeads })}</p>
            ) : null}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>{t('clients.propertiesTitle')}</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-2">
            {data.properties.length === 0 && !data.hiddenProperties ? (
              <p className="text-sm text-muted-foreground">{t('clients.noProperties')}</p>
            ) : null}
            <ul className="grid gap-2">
              {data.properties.map((p) => (
                <li key={p.id} className="flex items-center justify-between gap-2 text-sm">
                  <Link to={`/app/properties/${p.id}`} className="truncate text-primary hover:underline">
                    {p.code} · {p.title}
                  </Link>
                  <Badge variant="outline">{t(`properties.statuses.${p.status}`)}</Badge>
                </li>
              ))}
            </ul>
            {data.hiddenProperties ? (
              <p className="text-xs text-muted-foreground">
                {t('records.hiddenCount', { count: data.hiddenProperties })}
              </p>
            ) : null}
          </CardContent>
        </Card>
        <Card className="lg:col-span-2">
          <CardHeader>
            <CardTitle>{t('clients.notesTitle')}</CardTitle>
          </CardHeader>
          <CardContent>
            <RecordNotes notes={data.notes} me={data.me} />
          </CardContent>
        </Card>
      </div>
    </div>
  )
}
