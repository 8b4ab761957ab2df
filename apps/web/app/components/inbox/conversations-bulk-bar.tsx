import { useFetcher, useRevalidator } from '@remix-run/react'
import { Button, Input, Select, useToast } from '@impera/ui'
import { useEffect, useState } from 'react'
import { useI18n } from '../../i18n'
import type { FormResult } from '../../lib/forms'
import { BulkProgress, useBulkOperation, type BulkOperationState } from '../bulk-bar'
import { useResultToast } from '../use-result-toast'

/**
 * What to do with the conversations ticked on an inbox page (issue 16's bulk actions): resolve, park, reopen, label, or
 * (managers) assign. One submission; the result says how many changed and how many the person may not change.
 */
export function ConversationsBulkBar({
  ids,
  onDone,
  assignees,
  matching,
}: {
  ids: string[]
  onDone: () => void
  /** Managers assign; null hides the choice. */
  assignees: { userId: string; name: string }[] | null
  /**
   * "All N that match": offered once the whole page is ticked and more match; `all` says it was chosen, and `filter`
   * is what it stands for (the loader's reading of the inbox's filters).
   */
  matching: { total: number; pageTicked: boolean; all: boolean; filter: string; onSelectAll: () => void }
}) {
  const { t } = useI18n()
  const fetcher = useFetcher<FormResult & { changed?: number; skipped?: number }>()
  useResultToast(fetcher.data)
  const [label, setLabel] = useState('')
  const busy = fetcher.state !== 'idle'
  // A refusal of the selection itself (nothing matches any more, too many) comes as a field error.
  const errors = Object.values(fetcher.data?.fieldErrors ?? {})
    .flat()
    .filter((m): m is string => !!m)
  const revalidator = useRevalidator()
  const toast = useToast()
  const { operation, track } = useBulkOperation((op) => {
    toast({ title: t('whatsapp.bulk.finished', { changed: op.changed, total: op.total }), variant: 'success' })
    onDone()
    revalidator.revalidate()
  })
  useEffect(() => {
    if (fetcher.state !== 'idle' || !fetcher.data?.ok) return
    const op = fetcher.data.meta?.operation as BulkOperationState | undefined
    if (op) track(op)
    else onDone()
  }, [fetcher.state, fetcher.data, onDone, track])
  const run = (action: Record<string, string>) => {
    const form = new FormData()
    form.set('intent', 'bulk')
    if (matching.all) {
      form.set('all', '1')
      form.set('filter', matching.filter)
    } else for (const id of ids) form.append('id', id)
    for (const [k, v] of Object.entries(action)) form.set(k, v)
    fetcher.submit(form, { method: 'post' })
  }
  if (operation)
    return (
      <BulkProgress
        operation={operation}
        text={t('whatsapp.bulk.running', { done: operation.done, total: operation.total })}
      />
    )
  return (
    <div
      role="region"
      aria-label={t('whatsapp.bulk.actions')}
      className="grid gap-2 rounded-md border border-primary/40 bg-primary/5 p-2 text-sm"
      data-testid="conversations-bulk-bar"
    >
      <span className="font-medium" aria-live="polite" data-testid="conversations-bulk-count">
        {matching.all
          ? t('whatsapp.bulk.allSelected', { total: matching.total })
          : t('whatsapp.bulk.selected', { count: ids.length })}
      </span>
      {!matching.all && matching.pageTicked && matching.total > ids.length ? (
        <Button type="button" variant="link" className="h-auto justify-self-start p-0" onClick={matching.onSelectAll}>
          {t('whatsapp.bulk.selectAll', { total: matching.total })}
        </Button>
      ) : null}
      <div className="flex flex-wrap gap-1">
        <Button size="sm" disabled={busy} onClick={() => run({ kind: 'status', status: 'resolved' })}>
          {t('whatsapp.state.resolve')}
        </Button>
        <Button size="sm" variant="outline" disabled={busy} onClick={() => run({ kind: 'status', status: 'pending' })}>
          {t('whatsapp.state.pend')}
        </Button>
        <Button size="sm" variant="outline" disabled={busy} onClick={() => run({ kind: 'status', status: 'open' })}>
          {t('whatsapp.state.reopen')}
        </Button>
        <Button size="sm" variant="ghost" disabled={busy} onClick={onDone}>
          {t('whatsapp.bulk.clear')}
        </Button>
      </div>
      <form
        className="flex gap-1"
        onSubmit={(e) => {
          e.preventDefault()
          if (label.trim()) run({ kind: 'addLabel', label: label.trim() })
        }}
      >
        <Input
          value={label}
          onChange={(e) => setLabel(e.target.value)}
          maxLength={30}
          className="h-8"
          placeholder={t('whatsapp.labels.placeholder')}
          aria-label={t('whatsapp.bulk.label')}
        />
        <Button type="submit" size="sm" variant="outline" disabled={busy || !label.trim()}>
          {t('whatsapp.bulk.addLabel')}
        </Button>
        <Button
          type="button"
          size="sm"
          variant="ghost"
          disabled={busy || !label.trim()}
          onClick={() => run({ kind: 'removeLabel', label: label.trim() })}
        >
          {t('whatsapp.bulk.removeLabel')}
        </Button>
      </form>
      {assignees ? (
        <Select
          className="h-8"
          aria-label={t('whatsapp.bulk.assign')}
          value=""
          disabled={busy}
          onChange={(e) => e.target.value && run({ kind: 'assign', assignedTo: e.target.value })}
        >
          <option value="">{t('whatsapp.bulk.assign')}…</option>
          {assignees.map((a) => (
            <option key={a.userId} value={a.userId}>
              {a.name}
            </option>
          ))}
        </Select>
      ) : null}
      {errors.length ? (
        <p role="alert" className="text-destructive">
          {errors.map((m) => t(m)).join(' ')}
        </p>
      ) : null}
    </div>
  )
}
