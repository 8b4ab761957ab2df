import { useFetcher } from '@remix-run/react'
import { Button, cn, Input } from '@impera/ui'
import { useEffect, useId, useState } from 'react'
import { useI18n } from '../../i18n'
import type { FormResult } from '../../lib/forms'
import { useResultToast } from '../use-result-toast'

/** A label as a small chip (the inbox list and the conversation's header). */
export function LabelChip({ label, className }: { label: string; className?: string }) {
  return (
    <span
      className={cn(
        'inline-flex items-center rounded-full border bg-background px-2 text-xs text-muted-foreground',
        className,
      )}
      data-testid="label-chip"
    >
      # {label}
    </span>
  )
}

type Change = { conversationId: string; intent: 'addLabel' | 'removeLabel'; label: string }

const actionOf = (conversationId: string) => `/app/inbox/${conversationId}`

/** The labels as they will be once `changes` are applied, in order. */
function applied(labels: string[], changes: Change[]): string[] {
  let out = labels
  for (const c of changes)
    out = c.intent === 'addLabel' ? [...new Set([...out, c.label])].sort() : out.filter((l) => l !== c.label)
  return out
}

/**
 * A conversation's labels in its header: each removable, and a field to add one with the agency's labels in use as
 * suggestions. Each change is one label in or out, applied by the server to the set as it is then. A fetcher's new
 * submission abandons the one in flight (which may then never reach the server), so a change made while another is
 * saving waits its turn instead: two labels typed quickly are both kept. The chips show every change in flight or
 * waiting at once. Each change names its conversation's address, so one still waiting when the agent opens another
 * conversation goes to its own.
 */
export function ConversationLabels({
  conversationId,
  labels,
  suggestions,
  canEdit,
}: {
  conversationId: string
  labels: string[]
  suggestions: string[]
  canEdit: boolean
}) {
  const { t } = useI18n()
  const fetcher = useFetcher<FormResult>()
  useResultToast(fetcher.data)
  const [draft, setDraft] = useState('')
  const [waiting, setWaiting] = useState<Change[]>([])
  const listId = useId()
  const pending = fetcher.formData
  const inFlight: Change[] =
    pending && fetcher.formAction === actionOf(conversationId)
      ? [{ conversationId, intent: pending.get('intent') as Change['intent'], label: String(pending.get('label')) }]
      : []
  const shown = applied(labels, [...inFlight, ...waiting.filter((c) => c.conversationId === conversationId)])
  const idle = fetcher.state === 'idle'
  useEffect(() => {
    // The previous change is saved and the page revalidated (so `labels` includes it): the next one goes.
    if (!idle || !waiting.length) return
    const [next, ...rest] = waiting
    setWaiting(rest)
    fetcher.submit(
      { intent: next!.intent, label: next!.label },
      { method: 'post', action: actionOf(next!.conversationId) },
    )
  }, [idle, waiting, fetcher])
  const change = (intent: Change['intent'], label: string) => {
    if (idle && !waiting.length) fetcher.submit({ intent, label }, { method: 'post', action: actionOf(conversationId) })
    else setWaiting((w) => [...w, { conversationId, intent, label }])
  }
  if (!canEdit && !shown.length) return null
  return (
    <div className="flex w-full flex-wrap items-center gap-1" data-testid="conversation-labels">
      <span className="sr-only">{t('whatsapp.labels.title')}</span>
      {shown.map((l) => (
        <span key={l} className="inline-flex items-center gap-0.5">
          <LabelChip label={l} />
          {canEdit ? (
            <button
              type="button"
              className="rounded px-1 text-xs text-muted-foreground hover:bg-accent focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
              aria-label={t('whatsapp.labels.remove', { label: l })}
              onClick={() => change('removeLabel', l)}
            >
              ×
            </button>
          ) : null}
        </span>
      ))}
      {canEdit ? (
        <form
          className="flex items-center gap-1"
          onSubmit={(e) => {
            e.preventDefault()
            const value = draft.trim().toLowerCase()
            if (!value) return
            setDraft('')
            if (!shown.includes(value)) change('addLabel', value)
          }}
        >
          <Input
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            list={listId}
            maxLength={30}
            placeholder={t('whatsapp.labels.placeholder')}
            aria-label={t('whatsapp.labels.placeholder')}
            className="h-7 w-32 text-xs"
          />
          <datalist id={listId}>
            {suggestions
              .filter((s) => !shown.includes(s))
              .map((s) => (
                <option key={s} value={s} />
              ))}
          </datalist>
          <Button type="submit" size="sm" variant="ghost" className="h-7 px-2 text-xs" disabled={!draft.trim()}>
            {t('whatsapp.labels.add')}
          </Button>
        </form>
      ) : null}
    </div>
  )
}
