import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Link, useFetcher, useLoaderData, useRevalidator } from '@remix-run/react'
import { Alert, Button, cn, Field, Input, Select, Textarea, useToast } from '@impera/ui'
import { Fragment, useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react'
import { fillTemplate } from '@impera/api/schemas'
import { RecordPicker } from '../components/record-picker'
import { useResultToast } from '../components/use-result-toast'
import { useI18n } from '../i18n'
import { readForm, runAction } from '../lib/actions.server'
import type { FormResult } from '../lib/forms'
import { useRevalidateOnWhatsapp } from '../lib/live'
import { displayPhones, recordsPageContext } from '../lib/records.server'
import { requirePermission } from '../lib/session.server'
import { errorKey, trpc } from '../lib/trpc-client'

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { role } = await requirePermission(context, request, 'records.read')
  const { caller, country, assignees } = await recordsPageContext(context)
  const before = new URL(request.url).searchParams.get('before')
  // A missing or hidden record is the procedure's NOT_FOUND, answered 404 by server/remix-errors.ts; any other
  // failure keeps its own status (never caught here and turned into a 404).
  const detail = await caller.whatsapp.conversation({ id: params.id!, before: before ? Number(before) : undefined })
  const [accounts, templates] = await Promise.all([
    caller.whatsapp.accounts(),
    caller.whatsapp.templates({ accountId: detail.conversation.accountId }),
  ])
  return {
    ...detail,
    templates,
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
    case 'retry':
      return runAction(
        context,
        () => caller.whatsapp.retry({ id: text('messageId') }),
        () => ({ ok: true }),
      )
    case 'retryMedia':
      return runAction(
        context,
        () => caller.whatsapp.retryMedia({ id: text('messageId') }),
        () => ({ ok: true }),
      )
    case 'template':
      return runAction(
        context,
        () =>
          caller.whatsapp.send({
            id: text('id'),
            conversationId: params.id!,
            type: 'template',
            name: text('name'),
            language: text('language'),
            // One field per parameter from the picker; one per line when the name was typed by hand.
            parameters: fd.has('parameter')
              ? fd.getAll('parameter').map((v) => String(v).trim())
              : text('parameters')
                  .split('\n')
                  .map((s) => s.trim())
                  .filter(Boolean),
          }),
        () => ({ ok: true }),
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

type Message = ReturnType<typeof useLoaderData<typeof loader>>['messages'][number]

function Ticks({ status }: { status: string }) {
  const { t } = useI18n()
  const symbol: Record<string, string> = {
    queued: '🕓',
    sending: '🕓',
    sent: '✓',
    delivered: '✓✓',
    read: '✓✓',
    failed: '⚠',
  }
  return (
    <span
      className={cn(
        'text-xs',
        status === 'read' ? 'text-sky-600' : status === 'failed' ? 'text-destructive' : 'text-muted-foreground',
      )}
      title={t(`whatsapp.statuses.${status}`)}
      data-testid="message-status"
      data-status={status}
    >
      <span aria-hidden>{symbol[status] ?? ''}</span>
      <span className="sr-only">{t(`whatsapp.statuses.${status}`)}</span>
    </span>
  )
}

/** Search inside this conversation: the matching messages, each opening the thread at that message. */
function ConversationSearch({ conversationId }: { conversationId: string }) {
  const { t, dateTime } = useI18n()
  const [q, setQ] = useState('')
  const [hits, setHits] = useState<Awaited<ReturnType<typeof trpc.search.conversation.query>> | null>(null)
  const [loading, setLoading] = useState(false)
  useEffect(() => {
    const term = q.trim()
    if (term.length < 2) return setHits(null)
    let live = true
    setLoading(true)
    const timer = setTimeout(() => {
      trpc.search.conversation
        .query({ conversationId, q: term })
        .then((r) => live && setHits(r))
        .catch(() => live && setHits([]))
        .finally(() => live && setLoading(false))
    }, 200)
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [q, conversationId])
  return (
    <details className="w-full text-sm" data-testid="conversation-search">
      <summary className="cursor-pointer text-xs text-primary">{t('search.inConversation')}</summary>
      <div className="mt-2 grid gap-2">
        <Input
          value={q}
          onChange={(e) => setQ(e.target.value)}
          placeholder={t('search.inConversationPlaceholder')}
          aria-label={t('search.inConversation')}
          className="h-9"
        />
        {hits ? (
          hits.length ? (
            <>
              <p className="text-xs text-muted-foreground" role="status">
                {t('search.hits', { count: hits.length })}
              </p>
              <ul className="grid max-h-48 gap-1 overflow-y-auto">
                {hits.map((h) => (
                  <li key={h.id}>
                    <Link
                      to={`?before=${h.seq + 1}#seq-${h.seq}`}
                      className="block rounded px-2 py-1 hover:bg-accent focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
                      data-testid="conversation-hit"
                    >
                      <span className="block text-xs text-muted-foreground">{dateTime(h.at)}</span>
                      {h.snippet}
                    </Link>
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p className="text-xs text-muted-foreground">{t('search.noHits')}</p>
          )
        ) : loading ? (
          <p className="text-xs text-muted-foreground" role="status">
            {t('common.loading')}
          </p>
        ) : null}
      </div>
    </details>
  )
}

type ContactCard = {
  name?: { formatted_name?: string; first_name?: string }
  phones?: { phone?: string; wa_id?: string }[]
}

/** A contacts message (someone shared contact cards): each card's name and numbers. */
function ContactCards({ contacts }: { contacts: unknown }) {
  const { t } = useI18n()
  const cards = (Array.isArray(contacts) ? contacts : []) as ContactCard[]
  return (
    <ul className="grid gap-1" data-testid="contact-cards">
      {cards.map((c, i) => (
        <li key={i} className="rounded border bg-muted/40 px-2 py-1">
          <span className="block text-xs text-muted-foreground">👤 {t('whatsapp.contactCard')}</span>
          <span className="block font-medium">{c.name?.formatted_name || c.name?.first_name || '—'}</span>
          {(c.phones ?? []).map((p, j) => (
            <span key={j} className="block text-xs">
              {p.phone ?? p.wa_id}
            </span>
          ))}
        </li>
      ))}
    </ul>
  )
}

function MessageBubble({ m, canEdit }: { m: Message & { pending?: boolean }; canEdit: boolean }) {
  const { t, dateTime } = useI18n()
  const fetcher = useFetcher<FormResult>()
  useResultToast(fetcher.data)
  const out = m.direction === 'outbound'
  const media = m.media as { state: string; mimeType?: string; filename?: string } | null
  const payload = (m.payload ?? {}) as Record<string, unknown>
  // A kind we do not draw still says what it is: never an empty bubble.
  const located = m.type === 'location' && typeof payload.latitude === 'number'
  const drawn = !!media || !!m.body || m.type === 'contacts' || located
  return (
    <li
      id={m.pending ? undefined : `seq-${m.seq}`}
      className={cn(
        'flex scroll-mt-16 rounded-lg target:ring-2 target:ring-primary',
        out ? 'justify-end' : 'justify-start',
      )}
      data-testid="message"
      data-direction={m.direction}
    >
      <div
        className={cn(
          'grid max-w-[85%] gap-1 rounded-lg px-3 py-2 text-sm shadow-sm',
          out ? 'bg-emerald-50' : 'border bg-background',
          m.pending && 'opacity-70',
        )}
      >
        {media ? (
          media.state === 'stored' ? (
            media.mimeType?.startsWith('image/') ? (
              <a href={`/media/whatsapp/${m.id}`} target="_blank" rel="noreferrer">
                <img
                  src={`/media/whatsapp/${m.id}`}
                  alt={m.body ?? t('whatsapp.openMedia')}
                  className="max-h-64 rounded"
                  loading="lazy"
                />
              </a>
            ) : (
              <a href={`/media/whatsapp/${m.id}`} className="text-primary underline" target="_blank" rel="noreferrer">
                📎 {media.filename ?? t('whatsapp.openMedia')}
              </a>
            )
          ) : media.state === 'pending' ? (
            <span className="text-xs text-muted-foreground">{t('whatsapp.mediaPending')}</span>
          ) : (
            <span className="flex flex-wrap items-center gap-2 text-xs text-destructive">
              {t('whatsapp.mediaFailed')}
              {canEdit ? (
                <fetcher.Form method="post">
                  <input type="hidden" name="intent" value="retryMedia" />
                  <input type="hidden" name="messageId" value={m.id} />
                  <Button size="sm" variant="outline" type="submit" loading={fetcher.state !== 'idle'}>
                    {t('whatsapp.retryMedia')}
                  </Button>
                </fetcher.Form>
              ) : null}
            </span>
          )
        ) : null}
        {m.type === 'contacts' ? <ContactCards contacts={payload.contacts} /> : null}
        {located ? (
          <a
            href={`https://www.openstreetmap.org/?mlat=${payload.latitude}&mlon=${String(payload.longitude)}`}
            className="text-primary underline"
            target="_blank"
            rel="noreferrer"
          >
            📍 {t('whatsapp.location')}
          </a>
        ) : null}
        {!drawn ? (
          <span className="text-xs text-muted-foreground italic" data-testid="message-unsupported">
            {t('whatsapp.unsupportedMessage', { type: String(payload.originalType ?? m.type) })}
          </span>
        ) : null}
        {m.body ? <p className="break-words whitespace-pre-wrap">{m.body}</p> : null}
        <span className="flex items-center justify-end gap-2 text-[11px] text-muted-foreground">
          {out && m.sentByName ? <span>{m.sentByName}</span> : null}
          <time dateTime={String(m.providerAt ?? m.createdAt)}>{dateTime(m.providerAt ?? m.createdAt)}</time>
          {out ? <Ticks status={m.status} /> : null}
        </span>
        {m.status === 'failed' && m.errorReason ? (
          <span className="flex flex-wrap items-center gap-2 text-xs text-destructive" role="alert">
            {t(m.errorReason)}
            {canEdit ? (
              <fetcher.Form method="post">
                <input type="hidden" name="intent" value="retry" />
                <input type="hidden" name="messageId" value={m.id} />
                <Button size="sm" variant="outline" type="submit" loading={fetcher.state !== 'idle'}>
                  {t('whatsapp.retry')}
                </Button>
              </fetcher.Form>
            ) : null}
          </span>
        ) : null}
        {m.reaction ? (
          <span
            className="w-fit rounded-full border bg-background px-1.5 text-sm shadow-sm"
            title={t('whatsapp.messageReaction', { emoji: m.reaction })}
            data-testid="message-reaction"
          >
            <span aria-hidden>{m.reaction}</span>
            <span className="sr-only">{t('whatsapp.messageReaction', { emoji: m.reaction })}</span>
          </span>
        ) : null}
      </div>
    </li>
  )
}

/** Sends one file with the composer's text as caption, through XHR so the upload shows progress. */
function uploadAttachment(
  conversationId: string,
  id: string,
  file: File,
  caption: string,
  onProgress: (p: number) => void,
) {
  return new Promise<{ status: number; body: { message?: string; meta?: { file?: string } } }>((resolve, reject) => {
    const form = new FormData()
    form.append('id', id)
    if (caption) form.append('caption', caption)
    form.append('file', file, file.name)
    const xhr = new XMLHttpRequest()
    xhr.open('POST', `/uploads/whatsapp/${conversationId}`)
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.round((e.loaded / e.total) * 100))
    xhr.onload = () => {
      let body = {}
      try {
        body = JSON.parse(xhr.responseText) as object
      } catch {
        body = { message: xhr.status === 413 ? 'whatsapp.errors.fileTooLarge' : 'errors.internal' }
      }
      resolve({ status: xhr.status, body })
    }
    xhr.onerror = () => reject(new Error('network'))
    xhr.send(form)
  })
}

/** Enter sends, Shift+Enter breaks the line; the message shows at once and the id makes a retry safe. */
function Composer({
  conversationId,
  windowOpen,
  onSent,
}: {
  conversationId: string
  windowOpen: boolean
  onSent: (m: Message & { pending: true }) => void
}) {
  const { t } = useI18n()
  const toast = useToast()
  const revalidator = useRevalidator()
  const [text, setText] = useState('')
  const [sending, setSending] = useState(false)
  const [progress, setProgress] = useState<number | null>(null)
  const attempt = useRef<string | null>(null)
  const fileInput = useRef<HTMLInputElement>(null)
  const attach = async (file: File | undefined) => {
    if (!file) return
    setProgress(0)
    try {
      const { status, body } = await uploadAttachment(
        conversationId,
        crypto.randomUUID(),
        file,
        text.trim(),
        setProgress,
      )
      if (status === 201) setText('')
      else
        toast({
          title: t(body.message ?? 'errors.internal', { file: body.meta?.file ?? file.name }),
          variant: 'destructive',
        })
    } catch {
      toast({ title: t('errors.internal'), variant: 'destructive' })
    } finally {
      setProgress(null)
      if (fileInput.current) fileInput.current.value = ''
      revalidator.revalidate()
    }
  }
  const submit = async () => {
    const body = text.trim()
    if (!body || sending) return
    // The same id is reused until this text is accepted, so a double press or a retry cannot send it twice.
    attempt.current ??= crypto.randomUUID()
    setSending(true)
    onSent({
      id: attempt.current,
      direction: 'outbound',
      type: 'text',
      body,
      media: null,
      payload: null,
      status: 'queued',
      errorCode: null,
      errorReason: null,
      providerAt: new Date().toISOString(),
      createdAt: new Date().toISOString(),
      seq: Number.MAX_SAFE_INTEGER,
      sentByName: null,
      pending: true,
    } as never)
    try {
      await trpc.whatsapp.send.mutate({ id: attempt.current, conversationId, type: 'text', text: body })
      attempt.current = null
      setText('')
    } catch (e) {
      toast({ title: t(errorKey(e)), variant: 'destructive' })
    } finally {
      setSending(false)
      revalidator.revalidate()
    }
  }
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault()
      void submit()
    }
  }
  if (!windowOpen) return null
  return (
    <form
      className="flex items-end gap-2"
      onSubmit={(e) => {
        e.preventDefault()
        void submit()
      }}
    >
      <label className="sr-only" htmlFor="composer">
        {t('whatsapp.composerLabel')}
      </label>
      <Textarea
        id="composer"
        rows={2}
        value={text}
        maxLength={4096}
        onChange={(e) => {
          setText(e.target.value)
          attempt.current = null
        }}
        onKeyDown={onKeyDown}
        placeholder={t('whatsapp.composerPlaceholder')}
        data-testid="composer"
      />
      <input
        ref={fileInput}
        type="file"
        className="sr-only"
        id="attachment"
        accept="image/jpeg,image/png,audio/*,application/pdf,.doc,.docx,.xls,.xlsx,.txt"
        data-testid="attachment-input"
        onChange={(e) => void attach(e.target.files?.[0])}
      />
      <Button asChild variant="outline" size="icon" loading={progress !== null}>
        <label
          htmlFor="attachment"
          className="cursor-pointer"
          tabIndex={0}
          aria-label={t('whatsapp.attach')}
          title={t('whatsapp.attach')}
          onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && fileInput.current?.click()}
        >
          📎
        </label>
      </Button>
      <Button type="submit" loading={sending} disabled={!text.trim()}>
        {t('whatsapp.send')}
      </Button>
      {progress !== null ? (
        <span className="sr-only" role="status">
          {t('whatsapp.uploadingFile', { percent: progress })}
        </span>
      ) : null}
    </form>
  )
}

type Template = ReturnType<typeof useLoaderData<typeof loader>>['templates'][number]

/**
 * Outside the 24-hour window only an approved template can be sent: picked from the number's synced templates, with
 * one field per parameter and a live preview. Without synced templates (or by choice), the name is typed by hand.
 */
function TemplateForm({ open, templates }: { open: boolean; templates: Template[] }) {
  const { t } = useI18n()
  const fetcher = useFetcher<FormResult>()
  const [id, setId] = useState(() => crypto.randomUUID())
  // Typing a name is the only way while nothing is synced; templates synced meanwhile show up on the next load.
  const [typing, setTyping] = useState(false)
  const manual = typing || templates.length === 0
  const [picked, setPicked] = useState(0)
  const [values, setValues] = useState<string[]>([])
  useResultToast(fetcher.data)
  useEffect(() => {
    if (fetcher.state === 'idle' && fetcher.data?.ok) {
      setId(crypto.randomUUID())
      setValues([])
    }
  }, [fetcher.state, fetcher.data])
  const errors = (f: string) => fetcher.data?.fieldErrors?.[f]?.map((m) => t(m))
  const template = manual ? undefined : (templates[picked] ?? templates[0])
  return (
    <details open={open} className="rounded-md border p-2">
      <summary className="cursor-pointer text-sm font-medium">{t('whatsapp.template')}</summary>
      <fetcher.Form method="post" className="mt-2 grid gap-2 sm:grid-cols-2" data-testid="template-form">
        <input type="hidden" name="intent" value="template" />
        <input type="hidden" name="id" value={id} />
        <p className="text-xs text-muted-foreground sm:col-span-2">
          {templates.length ? t('whatsapp.templateHelp') : t('whatsapp.templatesNone')}
        </p>
        {template ? (
          <>
            <input type="hidden" name="name" value={template.name} />
            <input type="hidden" name="language" value={template.language} />
            <Field label={t('whatsapp.templatePick')} className="sm:col-span-2" errors={errors('name')}>
              {(p) => (
                <Select
                  {...p}
                  value={templates[picked] ? picked : 0}
                  onChange={(e) => {
                    setPicked(Number(e.currentTarget.value))
                    setValues([])
                  }}
                  data-testid="template-select"
                >
                  {templates.map((x, i) => (
                    <option key={x.id} value={i}>
                      {x.name} ({x.language})
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            {Array.from({ length: template.params }, (_, i) => (
              <Field
                key={`${template.id}-${i}`}
                label={t('whatsapp.templateParam', { n: i + 1 })}
                errors={i === 0 ? errors('parameters') : undefined}
              >
                {(p) => (
                  <Input
                    {...p}
                    name="parameter"
                    required
                    autoComplete="off"
                    value={values[i] ?? ''}
                    onChange={(e) => {
                      // Read now: React reuses the event before the state update runs.
                      const value = e.currentTarget.value
                      setValues((vs) => Object.assign([...vs], { [i]: value }))
                    }}
                  />
                )}
              </Field>
            ))}
            <figure className="rounded-md bg-muted p-2 text-sm sm:col-span-2">
              <figcaption className="text-xs text-muted-foreground">{t('whatsapp.templatePreview')}</figcaption>
              <p className="whitespace-pre-wrap" data-testid="template-preview">
                {fillTemplate(template.body, values)}
              </p>
            </figure>
          </>
        ) : (
          <>
            <Field label={t('whatsapp.templateNameLabel')} errors={errors('name')}>
              {(p) => <Input {...p} name="name" required placeholder="retomar_contato" autoComplete="off" />}
            </Field>
            <Field label={t('whatsapp.templateLanguageLabel')} errors={errors('language')}>
              {(p) => <Input {...p} name="language" required defaultValue="pt_BR" autoComplete="off" />}
            </Field>
            <Field label={t('whatsapp.templateParams')} errors={errors('parameters')} className="sm:col-span-2">
              {(p) => <Textarea {...p} name="parameters" rows={2} />}
            </Field>
          </>
        )}
        <div className="flex flex-wrap items-center gap-3 sm:col-span-2">
          <Button type="submit" size="sm" className="w-fit" loading={fetcher.state !== 'idle'}>
            {t('whatsapp.sendTemplate')}
          </Button>
          {templates.length && !manual ? (
            <Button type="button" variant="link" size="sm" className="h-auto p-0" onClick={() => setTyping(true)}>
              {t('whatsapp.templatesManual')}
            </Button>
          ) : null}
        </div>
      </fetcher.Form>
    </details>
  )
}

/** Re-links the conversation (e.g. a number that changed hands), with search pickers over what the user may see. */
function LinkPanel({ leadId, clientId }: { leadId: string | null; clientId: string | null }) {
  const { t } = useI18n()
  const fetcher = useFetcher<FormResult>()
  useResultToast(fetcher.data)
  const searchLeads = useCallback(
    async (q: string) =>
      (await trpc.leads.list.query({ q: q || undefined, pageSize: 10, sort: 'updatedAt' })).rows.map((l) => ({
        id: l.id,
        label: l.name,
        hint: l.phones[0] ?? l.email ?? undefined,
      })),
    [],
  )
  const searchClients = useCallback(
    async (q: string) =>
      (await trpc.clients.pick.query({ q })).map((c) => ({
        id: c.id,
        label: c.name,
        hint: c.phones[0] ?? c.email ?? undefined,
      })),
    [],
  )
  const link = (next: { leadId: string | null; clientId: string | null }) =>
    fetcher.submit({ intent: 'link', leadId: next.leadId ?? '', clientId: next.clientId ?? '' }, { method: 'post' })
  const [open, setOpen] = useState(false)
  return (
    <details className="rounded-md border p-2 text-sm" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary className="cursor-pointer font-medium">{t('whatsapp.linkTitle')}</summary>
      {/* Pickers search as they mount: only once the panel is opened. */}
      {open ? (
        <div className="mt-2 grid gap-3 sm:grid-cols-2">
          <div className="grid gap-1">
            <span className="text-xs font-medium">{t('whatsapp.linkLead')}</span>
            <RecordPicker
              search={searchLeads}
              label={t('whatsapp.linkLead')}
              placeholder={t('leads.search')}
              onPick={(item) => link({ leadId: item.id, clientId })}
            />
          </div>
          <div className="grid gap-1">
            <span className="text-xs font-medium">{t('whatsapp.linkClient')}</span>
            <RecordPicker
              search={searchClients}
              label={t('whatsapp.linkClient')}
              placeholder={t('clients.search')}
              onPick={(item) => link({ leadId, clientId: item.id })}
            />
          </div>
        </div>
      ) : null}
    </details>
  )
}

function SandboxPanel({ accountId, phone }: { accountId: string; phone: string }) {
  const { t } = useI18n()
  const fetcher = useFetcher<FormResult>()
  const form = useRef<HTMLFormElement>(null)
  useResultToast(fetcher.data)
  useEffect(() => {
    if (fetcher.state === 'idle' && fetcher.data?.ok)
      form.current?.querySelector<HTMLInputElement>('input[name=text]')?.form?.reset()
  }, [fetcher.state, fetcher.data])
  return (
    <details className="rounded-md border border-dashed p-2 text-sm" data-testid="sandbox-panel">
      <summary className="cursor-pointer font-medium">{t('whatsapp.sandboxTitle')}</summary>
      <p className="mt-1 text-xs text-muted-foreground">{t('whatsapp.sandboxHelp')}</p>
      <fetcher.Form method="post" ref={form} className="mt-2 flex flex-wrap items-end gap-2">
        <input type="hidden" name="intent" value="inject" />
        <input type="hidden" name="accountId" value={accountId} />
        <input type="hidden" name="from" value={phone} />
        <label className="grid flex-1 gap-1">
          <span className="text-xs">{t('whatsapp.sandboxText')}</span>
          <Input name="text" required autoComplete="off" />
        </label>
        <Button type="submit" size="sm" variant="outline" loading={fetcher.state !== 'idle'}>
          {t('whatsapp.sandboxSend')}
        </Button>
      </fetcher.Form>
    </details>
  )
}

export default function Conversation() {
  const { t, locale, timeZone, dateTime } = useI18n()
  const data = useLoaderData<typeof loader>()
  const { conversation: c } = data
  const assign = useFetcher<FormResult>()
  useResultToast(assign.data)
  const [pending, setPending] = useState<(Message & { pending: true })[]>([])
  const bottom = useRef<HTMLDivElement>(null)
  const revalidator = useRevalidator()
  const revalidate = useRef(revalidator.revalidate)
  revalidate.current = revalidator.revalidate
  useRevalidateOnWhatsapp((e) => e.conversationId === c.id)
  const dayLabel = (at: Date | string) =>
    new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeZone }).format(new Date(at))
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
        {data.isManager ? (
          <label className="flex items-center gap-2 text-sm">
            {t('whatsapp.assign')}
            <Select
              value={c.assignedTo ?? ''}
              className="h-9 w-auto"
              onChange={(e) => assign.submit({ intent: 'assign', assignedTo: e.target.value }, { method: 'post' })}
            >
              <option value="">{t('records.unassigned')}</option>
              {data.assignees.map((a) => (
                <option key={a.userId} value={a.userId}>
                  {a.name}
                </option>
              ))}
            </Select>
          </label>
        ) : null}
        <ConversationSearch conversationId={c.id} />
      </header>
      <div className="flex-1 overflow-y-auto bg-muted/30 p-3">
        {data.hasMore ? (
          <Link
            to={`?before=${data.messages[0]?.seq}`}
            className="mb-2 block text-center text-xs text-primary underline"
          >
            {t('whatsapp.loadOlder')}
          </Link>
        ) : null}
        <ol className="grid gap-2" data-testid="messages" aria-live="polite">
          {shown.map((m, i) => {
            const day = dayLabel(m.providerAt ?? m.createdAt)
            const previous = i > 0 ? dayLabel(shown[i - 1]!.providerAt ?? shown[i - 1]!.createdAt) : null
            return (
              <Fragment key={m.id}>
                {day !== previous ? (
                  <li
                    className="my-1 text-center text-xs text-muted-foreground"
                    role="separator"
                    data-testid="day-separator"
                  >
                    <span className="rounded-full bg-background px-3 py-0.5 shadow-sm">{day}</span>
                  </li>
                ) : null}
                <MessageBubble m={m} canEdit={data.canEdit} />
              </Fragment>
            )
          })}
        </ol>
        <div ref={bottom} />
      </div>
      <footer className="grid gap-2 border-t p-3">
        <p
          className={cn('text-xs', c.windowOpen ? 'text-muted-foreground' : 'text-amber-700')}
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
            <Composer
              conversationId={c.id}
              windowOpen={c.windowOpen}
              onSent={(m) => setPending((p) => [...p.filter((x) => x.id !== m.id), m])}
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
