import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Link, useFetcher, useLoaderData } from '@remix-run/react'
import { Alert, Button, cn } from '@impera/ui'
import { aiModes, conversationStatuses, type AiMode, type ConversationStatus } from '@impera/db/enums'
import { useEffect, useRef, useState } from 'react'
import { ControlBadge, StatusBadge } from '../components/control-badge'
import { AiSuggestion, SummarizeButton } from '../components/inbox/ai-assist'
import { Composer } from '../components/inbox/composer'
import { ConversationLabels } from '../components/inbox/conversation-labels'
import { LinkPanel } from '../components/inbox/link-panel'
import { SandboxPanel } from '../components/inbox/sandbox-panel'
import { TemplateForm } from '../components/inbox/template-form'
import { ConversationSearch, Thread, type ThreadMessage } from '../components/inbox/thread'
import { useResultToast } from '../components/use-result-toast'
import { useI18n } from '../i18n'
import { readForm, runAction } from '../lib/actions.server'
import { runConversationIntent } from '../lib/conversation-actions.server'
import type { FormResult } from '../lib/forms'
import { useBackgroundRevalidate, useRevalidateOnWhatsapp } from '../lib/live'
import { displayPhones, recordsPageContext } from '../lib/records.server'
import { requirePermission } from '../lib/session.server'
import { trpc } from '../lib/trpc-client'
import { PersonPicker } from '../components/person-picker'

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { role } = await requirePermission(context, request, 'records.read')
  const { caller, country, assignees } = await recordsPageContext(context)
  const before = new URL(request.url).searchParams.get('before')
  // A missing or hidden record is the procedure's NOT_FOUND, answered 404 by server/remix-errors.ts; any other
  // failure keeps its own status (never caught here and turned into a 404).
  const detail = await caller.whatsapp.conversation({ id: params.id!, before: before ? Number(before) : undefined })
  const [accounts, templates, labels] = await Promise.all([
    caller.whatsapp.accounts(),
    caller.whatsapp.templates({ accountId: detail.conversation.accountId }),
    caller.whatsapp.labels(),
  ])
  return {
    ...detail,
    templates,
    labelSuggestions: labels.map((l) => l.label),
    phoneDisplay: displayPhones([detail.conversation.contactPhone], country)[0]!,
    account: accounts.find((a) => a.id === detail.conversation.accountId) ?? null,
    assignees,
    isManager: role === 'manager',
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const fd = await readForm(request)
  const caller = await context.scope.caller()
  const text = (k: string) => String(fd.get(k) ?? '')
  const shared = runConversationIntent(context, caller, fd, params.id!)
  if (shared) return shared
  switch (fd.get('intent')) {
    case 'assign':
      return runAction(
        context,
        () => caller.whatsapp.assign({ id: params.id!, assignedTo: text('assignedTo') || null }),
        () => ({ ok: true, message: 'common.saved' }),
      )
    case 'link':
      return runAction(
        context,
        () =>
          caller.whatsapp.link({ id: params.id!, leadId: text('leadId') || null, clientId: text('clientId') || null }),
        () => ({ ok: true, message: 'whatsapp.linked' }),
      )
    case 'takeOver':
      return runAction(
        context,
        () => caller.whatsapp.takeOver({ id: params.id! }),
        () => ({ ok: true, message: 'whatsapp.control.takenOver' }),
      )
    case 'returnToAi':
      return runAction(
        context,
        () => caller.whatsapp.returnToAi({ id: params.id! }),
        () => ({ ok: true, message: 'whatsapp.control.returned' }),
      )
    case 'setAiMode':
      return runAction(
        context,
        () => caller.whatsapp.setAiMode({ id: params.id!, aiMode: text('aiMode') as AiMode }),
        () => ({ ok: true, message: 'whatsapp.control.modeChanged' }),
      )
    case 'inject':
      return runAction(
        context,
        () =>
          caller.whatsapp.sandboxInject({
            accountId: text('accountId'),
            from: text('from'),
            name: text('name') || undefined,
            text: text('text'),
          }),
        () => ({ ok: true, message: 'whatsapp.sandboxSent' }),
      )
    default:
      return new Response('Unknown intent', { status: 400 })
  }
}

/**
 * Where the conversation is in the team's work (issue 16's inbox): its badge and the moves from there — resolve, park
 * as pending, reopen. The badge follows the submission at once.
 */
function StatusControl({ status, canEdit }: { status: ConversationStatus; canEdit: boolean }) {
  const { t } = useI18n()
  const fetcher = useFetcher<FormResult>()
  useResultToast(fetcher.data)
  const asked = fetcher.formData?.get('status')
  const shown =
    typeof asked === 'string' && (conversationStatuses as readonly string[]).includes(asked)
      ? (asked as ConversationStatus)
      : status
  const busy = fetcher.state !== 'idle'
  const move = (to: ConversationStatus, label: string, variant: 'default' | 'outline', title?: string) => (
    <Button type="submit" name="status" value={to} size="sm" variant={variant} disabled={busy} title={title}>
      {label}
    </Button>
  )
  return (
    <div className="flex flex-wrap items-center gap-2" data-testid="conversation-status">
      <StatusBadge status={shown} />
      {canEdit ? (
        <fetcher.Form method="post" className="flex flex-wrap gap-2">
          <input type="hidden" name="intent" value="setStatus" />
          {shown !== 'resolved' ? move('resolved', t('whatsapp.state.resolve'), 'default') : null}
          {shown === 'open' ? move('pending', t('whatsapp.state.pend'), 'outline', t('whatsapp.state.pendHint')) : null}
          {shown !== 'open' ? move('open', t('whatsapp.state.reopen'), 'outline') : null}
        </fetcher.Form>
      ) : null}
    </div>
  )
}

/**
 * The conversation's AI mode (decision 019) as three toggle buttons, one press each (no select firing on every arrow
 * key): the pressed one follows the submission at once and falls back to the server's if it is refused.
 */
function AiModeControl({ aiMode }: { aiMode: AiMode }) {
  const { t } = useI18n()
  const fetcher = useFetcher<FormResult>()
  useResultToast(fetcher.data)
  const asked = fetcher.formData?.get('aiMode')
  const shown = typeof asked === 'string' && (aiModes as readonly string[]).includes(asked) ? (asked as AiMode) : aiMode
  const busy = fetcher.state !== 'idle'
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="intent" value="setAiMode" />
      <div
        role="group"
        aria-label={t('whatsapp.control.modeLabel')}
        aria-busy={busy || undefined}
        className="inline-flex flex-wrap rounded-md border"
        data-testid="ai-mode-control"
      >
        {aiModes.map((m) => (
          <button
            key={m}
            type="submit"
            name="aiMode"
            value={m}
            aria-pressed={shown === m}
            className={cn(
              'h-8 px-2 text-xs font-medium whitespace-nowrap transition-colors first:rounded-l-md last:rounded-r-md focus-visible:relative focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-offset-2 focus-visible:outline-none',
              shown === m ? 'bg-primary text-primary-foreground' : 'bg-background hover:bg-accent',
              busy && shown === m && 'animate-pulse',
            )}
          >
            {t(`whatsapp.control.mode.${m}`)}
          </button>
        ))}
      </div>
    </fetcher.Form>
  )
}

export default function Conversation() {
  const { t, dateTime } = useI18n()
  const data = useLoaderData<typeof loader>()
  const { conversation: c } = data
  const assign = useFetcher<FormResult>()
  useResultToast(assign.data)
  const control = useFetcher<FormResult>()
  useResultToast(control.data)
  const [pending, setPending] = useState<(ThreadMessage & { pending: true })[]>([])
  const bottom = useRef<HTMLDivElement>(null)
  const revalidate = useRef(useBackgroundRevalidate())
  useRevalidateOnWhatsapp((e) => e.conversationId === c.id)
  // Optimistic messages leave once the server's list has them.
  const shown = [...data.messages, ...pending.filter((p) => !data.messages.some((m) => m.id === p.id))]
  useEffect(() => {
    bottom.current?.scrollIntoView({ block: 'end' })
    // Read up to here; the list and the sidebar badge then drop this conversation's count.
    void trpc.whatsapp.markRead.mutate({ id: c.id }).then(
      () => revalidate.current(),
      () => {},
    )
  }, [c.id, data.messages.length])
  useEffect(() => setPending([]), [c.id])
  const [draft, setDraft] = useState<{ text: string; at: number } | null>(null)
  const [replyTo, setReplyTo] = useState<ThreadMessage | null>(null)
  useEffect(() => setReplyTo(null), [c.id])
  const lastInboundId = data.messages.findLast((m) => m.direction === 'inbound')?.id ?? null
  return (
    <div className="flex h-full min-h-[70dvh] flex-col">
      <header className="flex flex-wrap items-center justify-between gap-2 border-b p-3">
        <div className="grid min-w-0">
          <Link to="/app/inbox" className="text-xs text-primary md:hidden">
            ← {t('whatsapp.title')}
          </Link>
          <h2 className="truncate font-semibold" data-testid="conversation-title">
            {c.displayName || data.phoneDisplay}
          </h2>
          <span className="text-xs text-muted-foreground">
            {data.phoneDisplay}
            {data.lead ? (
              <>
                {' · '}
                {t('whatsapp.lead')}:{' '}
                {data.lead.id ? (
                  <Link to={`/app/leads/${data.lead.id}`} className="text-primary underline">
                    {data.lead.name}
                  </Link>
                ) : (
                  data.lead.name
                )}
              </>
            ) : null}
            {data.client ? (
              <>
                {' · '}
                {t('whatsapp.client')}:{' '}
                {data.client.id ? (
                  <Link to={`/app/clients/${data.client.id}`} className="text-primary underline">
                    {data.client.name}
                  </Link>
                ) : (
                  data.client.name
                )}
              </>
            ) : null}
          </span>
        </div>
        <StatusControl status={c.status} canEdit={data.canEdit} />
        <div className="flex flex-wrap items-center gap-2" data-testid="conversation-control">
          <ControlBadge controller={data.control.controller} />
          <AiModeControl aiMode={data.control.aiMode} />
          <control.Form method="post" className="flex flex-wrap gap-2">
            {data.control.controller !== 'human' ? (
              <Button type="submit" name="intent" value="takeOver" size="sm" disabled={control.state !== 'idle'}>
                {t('whatsapp.control.takeOver')}
              </Button>
            ) : null}
            {data.control.controller !== 'bot' && data.control.aiMode !== 'off' ? (
              <Button
                type="submit"
                name="intent"
                value="returnToAi"
                size="sm"
                variant="outline"
                disabled={control.state !== 'idle'}
              >
                {t('whatsapp.control.returnToAi')}
              </Button>
            ) : null}
          </control.Form>
        </div>
        {data.isManager ? (
          <div className="flex items-center gap-2 text-sm">
            <span id={`assign-${c.id}`}>{t('whatsapp.assign')}</span>
            <PersonPicker
              aria-labelledby={`assign-${c.id}`}
              value={c.assignedTo ?? ''}
              className="h-9 w-52"
              onValueChange={(v) => assign.submit({ intent: 'assign', assignedTo: v }, { method: 'post' })}
              choices={[{ value: '', label: t('records.unassigned') }]}
              people={data.assignees}
            />
          </div>
        ) : null}
        <ConversationLabels
          conversationId={c.id}
          labels={c.labels}
          suggestions={data.labelSuggestions}
          canEdit={data.canEdit}
        />
        <ConversationSearch conversationId={c.id} />
        <SummarizeButton conversationId={c.id} />
      </header>
      <div className="flex-1 overflow-y-auto bg-muted/30 p-3">
        <Thread
          messages={shown}
          timeline={data.timeline}
          entries={data.entries}
          onReply={c.windowOpen ? setReplyTo : undefined}
          hasMore={data.hasMore}
          oldestSeq={data.messages[0]?.seq}
          canEdit={data.canEdit}
        />
        <div ref={bottom} />
      </div>
      <footer className="grid gap-2 border-t p-3">
        <p
          className={cn('text-xs', c.windowOpen ? 'text-muted-foreground' : 'text-amber-700 dark:text-amber-400')}
          data-testid="window-state"
        >
          {c.windowOpen && c.windowEndsAt
            ? t('whatsapp.windowOpen', { time: dateTime(c.windowEndsAt) })
            : c.lastInboundAt
              ? t('whatsapp.windowClosed')
              : t('whatsapp.windowNever')}
        </p>
        {data.canEdit ? (
          <>
            {data.control.aiMode === 'assist' && c.windowOpen ? (
              <AiSuggestion
                conversationId={c.id}
                lastInboundId={lastInboundId}
                onUse={(text) => setDraft({ text, at: Date.now() })}
              />
            ) : null}
            <Composer
              conversationId={c.id}
              windowOpen={c.windowOpen}
              draft={draft}
              onSent={(m) => setPending((p) => [...p.filter((x) => x.id !== m.id), m])}
              replyTo={replyTo}
              onReplyDone={() => setReplyTo(null)}
            />
            <TemplateForm open={!c.windowOpen} templates={data.templates} />
            <LinkPanel leadId={c.leadId} clientId={c.clientId} />
          </>
        ) : (
          <Alert>{t('leads.readOnly')}</Alert>
        )}
        {data.account?.provider === 'sandbox' ? (
          <SandboxPanel accountId={data.account.id} phone={c.contactPhone} />
        ) : null}
      </footer>
    </div>
  )
}
