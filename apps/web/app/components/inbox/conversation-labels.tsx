import { useFetcher } from '@remix-run/react'
import { Button, cn, Input } from '@impera/ui'
import { useId, useState } from 'react'
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

/**
 * A conversation's labels in its header: each removable, and a field to add one with the agency's labels in use as
 * suggestions. Each change is one label in or out, applied by the server to the set as it is then — so a second label
 * typed while the first is still saving is not lost — and the chips show the change in flight at once.
 */
export function ConversationLabels({
  labels,
  suggestions,
  canEdit,
}: {
  labels: string[]
  suggestions: string[]
  canEdit: boolean
}) {
  const { t } = useI18n()
  const fetcher = useFetcher<FormResult>()
  useResultToast(fetcher.data)
  const [draft, setDraft] = useState('')
  const listId = useId()
  const pending = fetcher.formData
  const label = pending ? String(pending.get('label')) : ''
  const shown =
    pending?.get('intent') === 'addLabel'
      ? [...new Set([...labels, label])].sort()
      : pending?.get('intent') === 'removeLabel'
        ? labels.filter((l) => l !== label)
        : labels
  const change = (intent: 'addLabel' | 'removeLabel', value: string) =>
    fetcher.submit({ intent, label: value }, { method: 'post' })
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
