import { useRevalidator } from '@remix-run/react'
import { Button, Textarea, useToast } from '@impera/ui'
import { useEffect, useRef, useState, type KeyboardEvent } from 'react'
import { useI18n } from '../../i18n'
import { errorKey, trpc } from '../../lib/trpc-client'
import type { ThreadMessage } from './thread'

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
export function Composer({
  conversationId,
  windowOpen,
  onSent,
  draft = null,
}: {
  conversationId: string
  windowOpen: boolean
  onSent: (m: ThreadMessage & { pending: true }) => void
  /** Text to put in the composer for the person to edit (the AI's draft, assist mode); `at` tells drafts apart. */
  draft?: { text: string; at: number } | null
}) {
  const { t } = useI18n()
  const toast = useToast()
  const revalidator = useRevalidator()
  const [text, setText] = useState('')
  const [sending, setSending] = useState(false)
  const [progress, setProgress] = useState<number | null>(null)
  const attempt = useRef<string | null>(null)
  const fileInput = useRef<HTMLInputElement>(null)
  const textarea = useRef<HTMLTextAreaElement>(null)
  const replies = useQuickReplies(conversationId, text)
  const pick = (reply: { text: string }) => {
    setText(reply.text)
    attempt.current = null
    replies.close()
    textarea.current?.focus()
  }
  useEffect(() => {
    if (!draft) return
    setText(draft.text)
    attempt.current = null
    textarea.current?.focus()
  }, [draft])
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
      errorReason: null,
      providerAt: new Date().toISOString(),
      createdAt: new Date().toISOString(),
      seq: Number.MAX_SAFE_INTEGER,
      sentByName: null,
      reaction: null,
      pending: true,
    })
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
    if (replies.items.length && !e.nativeEvent.isComposing) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault()
        replies.move(e.key === 'ArrowDown' ? 1 : -1)
        return
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault()
        pick(replies.items[replies.active]!)
        return
      }
      if (e.key === 'Escape') {
        e.preventDefault()
        replies.close()
        return
      }
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault()
      void submit()
    }
  }
  if (!windowOpen) return null
  return (
    <form
      className="relative flex items-end gap-2"
      onSubmit={(e) => {
        e.preventDefault()
        void submit()
      }}
    >
      {replies.items.length ? (
        <ul
          role="listbox"
          id="quick-replies"
          aria-label={t('quickReplies.title')}
          className="absolute bottom-full left-0 z-20 mb-1 max-h-64 w-full overflow-y-auto rounded-md border bg-popover p-1 text-sm shadow-md"
          data-testid="quick-replies"
        >
          {replies.items.map((r, i) => (
            <li
              key={r.id}
              id={`quick-reply-${r.id}`}
              role="option"
              aria-selected={i === replies.active}
              className={`cursor-pointer rounded px-2 py-1.5 ${i === replies.active ? 'bg-accent text-accent-foreground' : ''}`}
              onMouseDown={(e) => {
                // Keeps the focus in the composer.
                e.preventDefault()
                pick(r)
              }}
            >
              <span className="font-medium">/{r.shortcut}</span>{' '}
              <span className="text-muted-foreground">{r.text.slice(0, 120)}</span>
            </li>
          ))}
        </ul>
      ) : null}
      <label className="sr-only" htmlFor="composer">
        {t('whatsapp.composerLabel')}
      </label>
      <Textarea
        ref={textarea}
        id="composer"
        rows={2}
        value={text}
        maxLength={4096}
        onChange={(e) => {
          setText(e.target.value)
          attempt.current = null
        }}
        onKeyDown={onKeyDown}
        aria-autocomplete="list"
        aria-controls={replies.items.length ? 'quick-replies' : undefined}
        aria-expanded={replies.items.length > 0}
        aria-activedescendant={replies.items.length ? `quick-reply-${replies.items[replies.active]!.id}` : undefined}
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

type QuickReply = { id: string; shortcut: string; personal: boolean; text: string }

/**
 * The composer's quick replies: while the text is `/` and a shortcut, the matching replies (filled for this
 * conversation by the server), one of them active for the keyboard.
 */
function useQuickReplies(conversationId: string, text: string) {
  const [items, setItems] = useState<QuickReply[]>([])
  const [active, setActive] = useState(0)
  const [closedFor, setClosedFor] = useState<string | null>(null)
  const query = /^\/([a-z0-9_-]{0,30})$/i.exec(text)?.[1]?.toLowerCase() ?? null
  useEffect(() => {
    if (query === null || closedFor === text) return setItems([])
    let stale = false
    trpc.quickReplies.forConversation
      .query({ conversationId, q: query })
      .then((r) => {
        if (stale) return
        setItems(r)
        setActive(0)
      })
      .catch(() => undefined)
    return () => {
      stale = true
    }
  }, [conversationId, query, closedFor, text])
  return {
    items: query === null ? [] : items,
    active,
    move: (by: number) => setActive((a) => (a + by + items.length) % items.length),
    close: () => {
      setItems([])
      setClosedFor(text)
    },
  }
}
