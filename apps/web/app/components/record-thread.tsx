import { cn } from '@impera/ui'
import { useEffect, useRef, useState } from 'react'
import { useI18n } from '../i18n'
import { useRevalidateOnWhatsapp } from '../lib/live'
import { Composer } from './inbox/composer'
import { TemplateForm, type MessageTemplate } from './inbox/template-form'
import { Thread, type ControlEntry, type ConversationEntry, type ThreadMessage } from './inbox/thread'

export interface RecordThreadData {
  conversation: {
    id: string
    windowOpen: boolean
    windowEndsAt: string | Date | null
    lastInboundAt: string | Date | null
  }
  messages: ThreadMessage[]
  timeline: ControlEntry[]
  entries?: ConversationEntry[]
  canEdit: boolean
  templates: MessageTemplate[]
}

/**
 * A lead's or client's WhatsApp thread on its own page (issue 16): the latest messages with the composer (text,
 * media) or, outside the 24-hour window, a template — so an agent answers without leaving the record. The full
 * history and the conversation's settings stay in the inbox (the page's conversation line links there).
 */
export function RecordThread({ data }: { data: RecordThreadData }) {
  const { t, dateTime } = useI18n()
  const c = data.conversation
  const [pending, setPending] = useState<(ThreadMessage & { pending: true })[]>([])
  const [replyTo, setReplyTo] = useState<ThreadMessage | null>(null)
  const scroller = useRef<HTMLDivElement>(null)
  useRevalidateOnWhatsapp((e) => e.conversationId === c.id)
  const shown = [...data.messages, ...pending.filter((p) => !data.messages.some((m) => m.id === p.id))]
  useEffect(() => {
    // The latest message in view, inside the card only (the page itself does not jump).
    const el = scroller.current
    if (el) el.scrollTop = el.scrollHeight
  }, [shown.length])
  return (
    <div className="grid gap-2" data-testid="record-thread">
      <div ref={scroller} className="max-h-96 overflow-y-auto rounded-md bg-muted/30 p-2">
        <Thread
          messages={shown}
          timeline={data.timeline}
          entries={data.entries}
          onReply={c.windowOpen ? setReplyTo : undefined}
          hasMore={false}
          oldestSeq={undefined}
          canEdit={data.canEdit}
        />
      </div>
      <p className={cn('text-xs', c.windowOpen ? 'text-muted-foreground' : 'text-amber-700 dark:text-amber-400')}>
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
            replyTo={replyTo}
            onReplyDone={() => setReplyTo(null)}
          />
          <TemplateForm open={!c.windowOpen} templates={data.templates} conversationId={c.id} />
        </>
      ) : null}
    </div>
  )
}
