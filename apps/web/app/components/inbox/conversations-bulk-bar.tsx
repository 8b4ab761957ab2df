import { useFetcher } from '@remix-run/react'
import { Button, Input, Select } from '@impera/ui'
import { useEffect, useState } from 'react'
import { useI18n } from '../../i18n'
import type { FormResult } from '../../lib/forms'
import { useResultToast } from '../use-result-toast'

/**
 * What to do with the conversations ticked on an inbox page (issue 16's bulk actions): resolve, park, reopen, label, or
 * (managers) assign. One submission; the result says how many changed and how many the person may not change.
 */
export function ConversationsBulkBar({
  ids,
  onDone,
  assignees,
}: {
  ids: string[]
  onDone: () => void
  /** Managers assign; null hides the choice. */
  assignees: { userId: string; name: string }[] | null
}) {
  const { t } = useI18n()
  const fetcher = useFetcher<FormResult & { changed?: number; skipped?: number }>()
  useResultToast(fetcher.data)
  const [label, setLabel] = useState('')
  const busy = fetcher.state !== 'idle'
  useEffect(() => {
    if (fetcher.state === 'idle' && fetcher.data?.ok) onDone()
  }, [fetcher.state, fetcher.data, onDone])
  const run = (action: Record<string, string>) => {
    const form = new FormData()
    form.set('intent', 'bulk')
    for (const id of ids) form.append('id', id)
    for (const [k, v] of Object.entries(action)) form.set(k, v)
    fetcher.submit(form, { method: 'post' })
  }
  return (
    <div
      role="region"
      aria-label={t('whatsapp.bulk.actions')}
      className="grid gap-2 rounded-md border border-primary/40 bg-primary/5 p-2 text-sm"
      data-testid="conversations-bulk-bar"
    >
      <span className="font-medium" aria-live="polite">
        {t('whatsapp.bulk.selected', { count: ids.length })}
      </span>
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
    </div>
  )
}
