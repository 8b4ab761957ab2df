import { useFetcher } from '@remix-run/react'
import { Button } from '@impera/ui'
import { useEffect, useRef, useState } from 'react'
import { useI18n } from '../i18n'
import { ActorName } from './record-timeline'
import type { FormResult } from '../lib/forms'
import { useResultToast } from './use-result-toast'

export interface NoteItem {
  id: string
  body: string
  authorId: string | null
  authorName: string | null
  authorKind?: 'person' | 'integration' | null
  createdAt: Date | string
}

/**
 * Team notes on a record (lead or client): anyone who sees the record adds; only the author edits or deletes. Posts
 * intents addNote / updateNote / deleteNote to the page's action; the new note shows at once while it saves.
 */
export function RecordNotes({ notes, me }: { notes: NoteItem[]; me: string }) {
  const { t, dateTime } = useI18n()
  const fetcher = useFetcher<FormResult>()
  const form = useRef<HTMLFormElement>(null)
  const [editing, setEditing] = useState<string | null>(null)
  useResultToast(fetcher.data)
  useEffect(() => {
    if (fetcher.state === 'idle' && fetcher.data?.ok) {
      form.current?.reset()
      setEditing(null)
    }
  }, [fetcher.state, fetcher.data])
  const pendingNote = fetcher.formData?.get('intent') === 'addNote' ? String(fetcher.formData.get('body')) : null
  return (
    <div className="grid gap-3">
      <fetcher.Form method="post" ref={form} className="grid gap-2">
        <input type="hidden" name="intent" value="addNote" />
        <label className="sr-only" htmlFor="new-note">
          {t('leads.addNote')}
        </label>
        <textarea
          id="new-note"
          name="body"
          required
          maxLength={5000}
          rows={2}
          placeholder={t('leads.notePlaceholder')}
          className="w-full rounded-md border border-input bg-background px-3 py-2 text-base focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none md:text-sm"
        />
        <Button type="submit" size="sm" className="w-fit" loading={fetcher.state !== 'idle' && !!pendingNote}>
          {t('leads.addNote')}
        </Button>
      </fetcher.Form>
      <ul className="grid gap-2">
        {pendingNote ? <li className="rounded-md border border-dashed p-3 text-sm opacity-70">{pendingNote}</li> : null}
        {notes.map((n) => (
          <li key={n.id} className="grid gap-1 rounded-md border p-3" data-testid="note">
            {editing === n.id ? (
              <fetcher.Form method="post" className="grid gap-2">
                <input type="hidden" name="intent" value="updateNote" />
                <input type="hidden" name="noteId" value={n.id} />
                <textarea
                  name="body"
                  defaultValue={n.body}
                  required
                  maxLength={5000}
                  rows={2}
                  aria-label={t('leads.editNote')}
                  className="w-full rounded-md border border-input px-3 py-2 text-sm"
                  autoFocus
                />
                <div className="flex gap-2">
                  <Button type="submit" size="sm">
                    {t('common.save')}
                  </Button>
                  <Button type="button" size="sm" variant="ghost" onClick={() => setEditing(null)}>
                    {t('common.cancel')}
                  </Button>
                </div>
              </fetcher.Form>
            ) : (
              <p className="text-sm whitespace-pre-wrap">{n.body}</p>
            )}
            <div className="flex flex-wrap items-center gap-2 text-xs text-muted-foreground">
              <span>
                <ActorName name={n.authorName} kind={n.authorKind} /> · {dateTime(n.createdAt)}
              </span>
              {n.authorId === me && editing !== n.id ? (
                <>
                  <button type="button" className="underline" onClick={() => setEditing(n.id)}>
                    {t('leads.editNote')}
                  </button>
                  <fetcher.Form method="post">
                    <input type="hidden" name="intent" value="deleteNote" />
                    <input type="hidden" name="noteId" value={n.id} />
                    <button type="submit" className="underline">
                      {t('leads.deleteNote')}
                    </button>
                  </fetcher.Form>
                </>
              ) : null}
            </div>
          </li>
        ))}
      </ul>
    </div>
  )
}
