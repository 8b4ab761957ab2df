import { Lock } from 'lucide-react'
import { Link, useFetcher } from '@remix-run/react'
import { Button, cn, Input } from '@impera/ui'
import { Fragment, useEffect, useState } from 'react'
import { useI18n } from '../../i18n'
import type { FormResult } from '../../lib/forms'
import { trpc } from '../../lib/trpc-client'
import { useResultToast } from '../use-result-toast'
import { dateTimeFormat } from '../../lib/intl'

/** A message as the thread shows it: the server's, or one just sent that the server has not listed yet (`pending`). */
export interface ThreadMessage {
  id: string
  direction: string
  type: string
  body: string | null
  media: { state: string; mimeType?: string; filename?: string } | null
  payload: Record<string, unknown> | null
  status: string
  errorReason: string | null
  providerAt: Date | string | null
  createdAt: Date | string
  seq: number
  sentByName: string | null
  reaction: string | null
  /** The provider's id: what a reply quotes (null until sent, and on messages of our own stand-ins). */
  providerMessageId?: string | null
  /** The message this one answers (WhatsApp's reply-to), when it is in this conversation. */
  quote?: { direction: string; type: string; body: string | null } | null
  /** Who wrote it (decision 019): bot, phone and system messages are marked. */
  author?: string
  pending?: boolean
}

/** A change of who answers the conversation (decision 019), shown among the messages at its time. */
export interface ControlEntry {
  id: string
  toController: string
  toMode: string
  reason: string
  at: Date | string
  actorName: string | null
}

/** An internal note or a status change (issue 16's inbox), shown among the messages at its time. */
export interface ConversationEntry {
  id: string
  kind: 'note' | 'status'
  body: string | null
  status: 'open' | 'pending' | 'resolved' | null
  at: Date | string
  actorName: string | null
  canDelete: boolean
}

type TimelineItem = { kind: 'control'; e: ControlEntry } | { kind: 'entry'; e: ConversationEntry }

function TimelineLine({ item }: { item: TimelineItem }) {
  if (item.kind === 'control') return <ControlLine e={item.e} />
  if (item.e.kind === 'note') return <NoteBubble note={item.e} />
  return <StatusLine e={item.e} />
}

function StatusLine({ e }: { e: ConversationEntry }) {
  const { t, dateTime } = useI18n()
  return (
    <li className="my-1 text-center text-xs text-muted-foreground" data-testid="status-entry">
      <span className="inline-block rounded-full border bg-background px-3 py-0.5 break-words">
        {e.actorName === null && e.status === 'open'
          ? t('whatsapp.state.entry.reopened')
          : t(`whatsapp.state.entry.${e.status ?? 'open'}`, { who: e.actorName ?? t('whatsapp.control.someone') })}
        {' · '}
        <time dateTime={String(e.at)}>{dateTime(e.at)}</time>
      </span>
    </li>
  )
}

/** A note for the team: never sent, so drawn apart from the messages (amber, labelled, on the team's side). */
function NoteBubble({ note }: { note: ConversationEntry }) {
  const { t, dateTime } = useI18n()
  const fetcher = useFetcher<FormResult>()
  useResultToast(fetcher.data)
  return (
    <li className="flex justify-end" data-testid="note">
      <div className="grid max-w-[85%] gap-1 rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950 shadow-sm dark:border-amber-700 dark:bg-amber-950 dark:text-amber-50">
        <span className="flex items-center gap-1 text-[11px] font-semibold">
          <Lock aria-hidden className="size-3" />
          {t('whatsapp.note.by', { who: note.actorName ?? t('whatsapp.control.someone') })}
        </span>
        <p className="break-words whitespace-pre-wrap">{note.body}</p>
        <span className="flex items-center justify-end gap-2 text-[11px] opacity-80">
          <time dateTime={String(note.at)}>{dateTime(note.at)}</time>
          {note.canDelete ? (
            <fetcher.Form method="post">
              <input type="hidden" name="intent" value="deleteNote" />
              <input type="hidden" name="noteId" value={note.id} />
              <Button
                type="submit"
                size="sm"
                variant="ghost"
                className="h-6 px-1.5 text-[11px]"
                loading={fetcher.state !== 'idle'}
              >
                {t('whatsapp.note.delete')}
              </Button>
            </fetcher.Form>
          ) : null}
        </span>
      </div>
    </li>
  )
}

function ControlLine({ e }: { e: ControlEntry }) {
  const { t, dateTime } = useI18n()
  return (
    <li className="my-1 text-center text-xs text-muted-foreground" data-testid="control-entry">
      <span className="inline-block rounded-full border bg-background px-3 py-0.5 break-words">
        {t(`whatsapp.control.reason.${e.reason}`, {
          who: e.actorName ?? t('whatsapp.control.someone'),
          mode: t(`whatsapp.control.mode.${e.toMode}`),
        })}
        {' · '}
        <time dateTime={String(e.at)}>{dateTime(e.at)}</time>
      </span>
    </li>
  )
}

/** The thread: a link to older messages, then the messages oldest first, a separator before each new day. */
export function Thread({
  messages,
  hasMore,
  oldestSeq,
  canEdit,
  timeline = [],
  entries = [],
  onReply,
}: {
  messages: ThreadMessage[]
  /** Control changes, oldest first: each is shown before the first message after it. */
  timeline?: ControlEntry[]
  /** Internal notes and status changes, oldest first, interleaved the same way. */
  entries?: ConversationEntry[]
  /** Quote a message in the composer's next reply (absent: no reply action, e.g. a read-only thread). */
  onReply?: (m: ThreadMessage) => void
  hasMore: boolean
  /** The first message the server sent (older ones load before it). */
  oldestSeq: number | undefined
  canEdit: boolean
}) {
  const { t, locale, timeZone } = useI18n()
  const dayLabel = (at: Date | string) => dateTimeFormat(locale, { dateStyle: 'full', timeZone }).format(new Date(at))
  const items: TimelineItem[] = [
    ...timeline.map((e) => ({ kind: 'control' as const, e })),
    ...entries.map((e) => ({ kind: 'entry' as const, e })),
  ].sort((a, b) => new Date(a.e.at).getTime() - new Date(b.e.at).getTime())
  let next = 0
  const entriesBefore = (at: Date | string | null) => {
    const from = next
    while (next < items.length && (at === null || new Date(items[next]!.e.at) <= new Date(at))) next++
    return items.slice(from, next)
  }
  return (
    <>
      {hasMore ? (
        <Link to={`?before=${oldestSeq}`} className="mb-2 block text-center text-xs text-primary underline">
          {t('whatsapp.loadOlder')}
        </Link>
      ) : null}
      <ol className="grid gap-2" data-testid="messages" aria-live="polite">
        {messages.map((m, i) => {
          const day = dayLabel(m.providerAt ?? m.createdAt)
          const previous = i > 0 ? dayLabel(messages[i - 1]!.providerAt ?? messages[i - 1]!.createdAt) : null
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
              {entriesBefore(m.providerAt ?? m.createdAt).map((item) => (
                <TimelineLine key={item.e.id} item={item} />
              ))}
              <MessageBubble m={m} canEdit={canEdit} onReply={onReply} />
            </Fragment>
          )
        })}
        {entriesBefore(null).map((item) => (
          <TimelineLine key={item.e.id} item={item} />
        ))}
      </ol>
    </>
  )
}

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
        status === 'read'
          ? 'text-sky-600 dark:text-sky-400'
          : status === 'failed'
            ? 'text-destructive'
            : 'text-muted-foreground',
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
export function ConversationSearch({ conversationId }: { conversationId: string }) {
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

/** The quoted message above a reply: who wrote it and the start of its text (or its kind). */
export function QuoteLine({ quote }: { quote: NonNullable<ThreadMessage['quote']> }) {
  const { t } = useI18n()
  return (
    <span
      className="block truncate border-l-4 border-emerald-500 bg-muted/60 px-2 py-1 text-xs text-muted-foreground"
      data-testid="message-quote"
    >
      <span className="sr-only">{t('whatsapp.reply.quoted')}: </span>
      {quote.body || t('whatsapp.reply.media')}
    </span>
  )
}

function MessageBubble({
  m,
  canEdit,
  onReply,
}: {
  m: ThreadMessage
  canEdit: boolean
  onReply?: (m: ThreadMessage) => void
}) {
  const { t, dateTime } = useI18n()
  const fetcher = useFetcher<FormResult>()
  useResultToast(fetcher.data)
  const out = m.direction === 'outbound'
  const media = m.media
  const payload = m.payload ?? {}
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
          out ? 'bg-emerald-50 dark:bg-emerald-950' : 'border bg-background',
          m.pending && 'opacity-70',
        )}
      >
        {m.quote ? <QuoteLine quote={m.quote} /> : null}
        {media ? (
          media.state === 'stored' ? (
            media.mimeType?.startsWith('video/') ? (
              <video src={`/media/whatsapp/${m.id}`} controls preload="metadata" className="max-h-64 rounded" />
            ) : media.mimeType?.startsWith('audio/') ? (
              <audio
                src={`/media/whatsapp/${m.id}`}
                controls
                preload="none"
                className="max-w-full"
                aria-label={media.filename ?? t('whatsapp.openMedia')}
              />
            ) : media.mimeType?.startsWith('image/') ? (
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
          {out && m.author && m.author !== 'member' ? (
            <span className="rounded bg-violet-100 px-1 text-violet-900" data-testid="message-author">
              {t(`whatsapp.control.author.${m.author}`)}
            </span>
          ) : null}
          {out && m.sentByName ? <span>{m.sentByName}</span> : null}
          <time dateTime={String(m.providerAt ?? m.createdAt)}>{dateTime(m.providerAt ?? m.createdAt)}</time>
          {out ? <Ticks status={m.status} /> : null}
          {onReply && canEdit && m.providerMessageId && !m.pending ? (
            <button
              type="button"
              className="rounded px-1 text-xs text-primary hover:bg-accent focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
              onClick={() => onReply(m)}
              aria-label={t('whatsapp.reply.action')}
              title={t('whatsapp.reply.action')}
              data-testid="reply-button"
            >
              <span aria-hidden>↩</span>
            </button>
          ) : null}
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
