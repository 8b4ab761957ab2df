import { Lock } from 'lucide-react'
import { useRevalidator } from '@remix-run/react'
import { Button, cn, Textarea, useToast } from '@impera/ui'
import { useEffect, useRef, useState, type KeyboardEvent } from 'react'
import { useI18n } from '../../i18n'
import { errorKey, trpc } from '../../lib/trpc-client'
import { QuoteLine, type ThreadMessage } from './thread'
import { numberFormat } from '../../lib/intl'

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

function fileSize(bytes: number, locale: string) {
  const unit = bytes >= 1024 * 1024 ? 'megabyte' : 'kilobyte'
  const value = bytes / (unit === 'megabyte' ? 1024 * 1024 : 1024)
  return numberFormat(locale, { style: 'unit', unit, maximumFractionDigits: 1 }).format(value)
}

/** A file chosen to send: seen (an image's thumbnail, else its name and size) before it goes, with the text as caption. */
function StagedFile({ file, onCancel }: { file: File; onCancel: () => void }) {
  const { t, locale } = useI18n()
  const [url, setUrl] = useState<string | null>(null)
  useEffect(() => {
    if (!/^(image|video|audio)\//.test(file.type)) return setUrl(null)
    const u = URL.createObjectURL(file)
    setUrl(u)
    return () => URL.revokeObjectURL(u)
  }, [file])
  return (
    <div className="flex items-center gap-3 rounded-md border bg-background p-2 text-sm" data-testid="staged-file">
      {url && file.type.startsWith('image/') ? (
        <img src={url} alt="" className="size-16 rounded object-cover" />
      ) : url && file.type.startsWith('audio/') ? (
        // A voice note (or an audio file) can be heard before it goes.
        <audio src={url} controls className="h-10 max-w-48" aria-label={file.name} />
      ) : url ? (
        <video src={url} className="size-16 rounded object-cover" muted />
      ) : (
        <span className="grid size-16 place-items-center rounded bg-muted text-2xl" aria-hidden>
          📄
        </span>
      )}
      <span className="grid min-w-0 flex-1">
        <span className="truncate font-medium">{file.name}</span>
        <span className="text-xs text-muted-foreground">{fileSize(file.size, locale)}</span>
      </span>
      <Button type="button" variant="ghost" size="sm" onClick={onCancel}>
        {t('whatsapp.attachment.cancel')}
      </Button>
    </div>
  )
}

/** What this browser records voice in: Opus in WebM (Chromium) or in Ogg (Firefox); null when it cannot. */
function voiceFormat(): string | null {
  if (typeof MediaRecorder === 'undefined' || !navigator.mediaDevices?.getUserMedia) return null
  return ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus'].find((f) => MediaRecorder.isTypeSupported(f)) ?? null
}

/**
 * 🎙: records a voice note from the microphone until "Parar", then hands it over as a staged file (heard before it
 * goes, sent like any attachment; the server makes WebM into the Ogg WhatsApp plays as a voice message).
 */
function VoiceRecorder({ onRecorded, disabled }: { onRecorded: (file: File) => void; disabled: boolean }) {
  const { t } = useI18n()
  const toast = useToast()
  // Known only in the browser: the button appears after hydration, never in the server's HTML.
  const [format, setFormat] = useState<string | null>(null)
  const [startedAt, setStartedAt] = useState<number | null>(null)
  const [now, setNow] = useState(0)
  const recorder = useRef<MediaRecorder | null>(null)
  const keep = useRef(true)
  useEffect(() => setFormat(voiceFormat()), [])
  useEffect(() => {
    if (startedAt === null) return
    const timer = setInterval(() => setNow(Date.now()), 500)
    return () => clearInterval(timer)
  }, [startedAt])
  useEffect(() => () => recorder.current?.stop(), [])
  if (!format) return null
  const start = async () => {
    let stream: MediaStream
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true })
    } catch {
      toast({ title: t('whatsapp.voice.denied'), variant: 'destructive' })
      return
    }
    const chunks: Blob[] = []
    const rec = new MediaRecorder(stream, { mimeType: format })
    rec.ondataavailable = (e) => e.data.size && chunks.push(e.data)
    rec.onstop = () => {
      for (const track of stream.getTracks()) track.stop()
      setStartedAt(null)
      recorder.current = null
      const type = format.split(';')[0]!
      if (keep.current && chunks.length)
        onRecorded(
          new File(chunks, `${t('whatsapp.voice.fileName')}.${type === 'audio/ogg' ? 'ogg' : 'webm'}`, { type }),
        )
    }
    keep.current = true
    recorder.current = rec
    rec.start(250)
    setStartedAt(Date.now())
    setNow(Date.now())
  }
  const stop = (save: boolean) => {
    keep.current = save
    recorder.current?.stop()
  }
  if (startedAt !== null) {
    const seconds = Math.max(0, Math.floor((now - startedAt) / 1000))
    return (
      <div className="flex items-center gap-2" data-testid="voice-recording">
        <span className="flex items-center gap-1 text-sm text-destructive" role="status">
          <span aria-hidden className="size-2 animate-pulse rounded-full bg-destructive" />
          {t('whatsapp.voice.recording', {
            time: `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`,
          })}
        </span>
        <Button type="button" size="sm" onClick={() => stop(true)}>
          {t('whatsapp.voice.stop')}
        </Button>
        <Button type="button" size="sm" variant="ghost" onClick={() => stop(false)}>
          {t('whatsapp.voice.discard')}
        </Button>
      </div>
    )
  }
  return (
    <Button
      type="button"
      variant="outline"
      size="icon"
      disabled={disabled}
      onClick={() => void start()}
      aria-label={t('whatsapp.voice.record')}
      title={t('whatsapp.voice.record')}
      data-testid="voice-record"
    >
      🎙
    </Button>
  )
}

/**
 * Enter sends, Shift+Enter breaks the line; the message shows at once and the id makes a retry safe. The same box
 * writes internal notes (for the team only, also outside the 24-hour window), quotes a message being answered, and
 * shows a chosen file before sending it with the text as its caption.
 */
export function Composer({
  conversationId,
  windowOpen,
  onSent,
  draft = null,
  replyTo = null,
  onReplyDone,
}: {
  conversationId: string
  windowOpen: boolean
  onSent: (m: ThreadMessage & { pending: true }) => void
  /** Text to put in the composer for the person to edit (the AI's draft, assist mode); `at` tells drafts apart. */
  draft?: { text: string; at: number } | null
  /** The message the next reply quotes (chosen in the thread), and how to let it go. */
  replyTo?: ThreadMessage | null
  onReplyDone?: () => void
}) {
  const { t } = useI18n()
  const toast = useToast()
  const revalidator = useRevalidator()
  const [text, setText] = useState('')
  const [sending, setSending] = useState(false)
  const [progress, setProgress] = useState<number | null>(null)
  const [staged, setStaged] = useState<File | null>(null)
  const [mode, setMode] = useState<'reply' | 'note'>('reply')
  const attempt = useRef<string | null>(null)
  const fileInput = useRef<HTMLInputElement>(null)
  const textarea = useRef<HTMLTextAreaElement>(null)
  const replies = useQuickReplies(conversationId, mode === 'reply' ? text : '')
  const noting = mode === 'note' || !windowOpen
  useEffect(() => {
    if (!replyTo) return
    setMode('reply')
    textarea.current?.focus()
  }, [replyTo])
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
  const clearStaged = () => {
    setStaged(null)
    if (fileInput.current) fileInput.current.value = ''
  }
  const attach = async (file: File) => {
    setProgress(0)
    try {
      const { status, body } = await uploadAttachment(
        conversationId,
        crypto.randomUUID(),
        file,
        text.trim(),
        setProgress,
      )
      if (status === 201) {
        setText('')
        setStaged(null)
      } else
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
  const addNote = async (body: string) => {
    attempt.current ??= crypto.randomUUID()
    setSending(true)
    try {
      await trpc.whatsapp.addNote.mutate({ id: attempt.current, conversationId, body })
      attempt.current = null
      setText('')
    } catch (e) {
      toast({ title: t(errorKey(e)), variant: 'destructive' })
    } finally {
      setSending(false)
      revalidator.revalidate()
    }
  }
  const submit = async () => {
    const body = text.trim()
    if (sending || progress !== null) return
    if (staged && !noting) return attach(staged)
    if (!body) return
    if (noting) return addNote(body)
    const quoted = replyTo?.providerMessageId ?? undefined
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
      quote: replyTo ? { direction: replyTo.direction, type: replyTo.type, body: replyTo.body } : null,
      pending: true,
    })
    try {
      await trpc.whatsapp.send.mutate({
        id: attempt.current,
        conversationId,
        type: 'text',
        text: body,
        replyTo: quoted,
      })
      attempt.current = null
      setText('')
      onReplyDone?.()
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
    if (e.key === 'Escape' && (replyTo || staged)) {
      e.preventDefault()
      if (staged) clearStaged()
      else onReplyDone?.()
      return
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault()
      void submit()
    }
  }
  return (
    <div className="grid gap-2">
      <div
        role="group"
        aria-label={t('whatsapp.note.modeLabel')}
        className="flex w-fit rounded-md bg-muted p-0.5 text-xs"
        data-testid="composer-mode"
      >
        {windowOpen ? (
          <button
            type="button"
            aria-pressed={!noting}
            className={cn(
              'rounded px-2 py-1 font-medium focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none',
              !noting ? 'bg-background shadow-sm' : 'text-muted-foreground',
            )}
            onClick={() => setMode('reply')}
          >
            {t('whatsapp.note.reply')}
          </button>
        ) : null}
        <button
          type="button"
          aria-pressed={noting}
          className={cn(
            'flex items-center gap-1 rounded px-2 py-1 font-medium focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none',
            noting
              ? 'bg-amber-100 text-amber-950 shadow-sm dark:bg-amber-900 dark:text-amber-50'
              : 'text-muted-foreground',
          )}
          onClick={() => {
            setMode('note')
            onReplyDone?.()
            textarea.current?.focus()
          }}
        >
          <Lock aria-hidden className="size-3.5" />
          {t('whatsapp.note.mode')}
        </button>
      </div>
      {replyTo && !noting ? (
        <div className="flex items-center gap-2" data-testid="composer-quote">
          <span className="text-xs text-muted-foreground">{t('whatsapp.reply.quoting')}</span>
          <span className="min-w-0 flex-1">
            <QuoteLine quote={{ direction: replyTo.direction, type: replyTo.type, body: replyTo.body }} />
          </span>
          <Button type="button" variant="ghost" size="sm" onClick={() => onReplyDone?.()}>
            {t('whatsapp.reply.cancel')}
          </Button>
        </div>
      ) : null}
      {staged && !noting ? <StagedFile file={staged} onCancel={clearStaged} /> : null}
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
          {noting ? t('whatsapp.note.label') : staged ? t('whatsapp.attachment.caption') : t('whatsapp.composerLabel')}
        </label>
        <Textarea
          ref={textarea}
          id="composer"
          rows={2}
          value={text}
          maxLength={4096}
          className={cn(noting && 'border-amber-300 bg-amber-50 dark:border-amber-700 dark:bg-amber-950')}
          onChange={(e) => {
            setText(e.target.value)
            attempt.current = null
          }}
          onKeyDown={onKeyDown}
          aria-autocomplete="list"
          aria-controls={replies.items.length ? 'quick-replies' : undefined}
          aria-expanded={replies.items.length > 0}
          aria-activedescendant={replies.items.length ? `quick-reply-${replies.items[replies.active]!.id}` : undefined}
          placeholder={
            noting
              ? t('whatsapp.note.placeholder')
              : staged
                ? t('whatsapp.attachment.caption')
                : t('whatsapp.composerPlaceholder')
          }
          data-testid="composer"
        />
        <input
          ref={fileInput}
          type="file"
          className="sr-only"
          id="attachment"
          accept="image/jpeg,image/png,video/mp4,video/3gpp,audio/*,application/pdf,.doc,.docx,.xls,.xlsx,.txt"
          data-testid="attachment-input"
          onChange={(e) => {
            const file = e.target.files?.[0]
            if (!file) return
            setStaged(file)
            textarea.current?.focus()
          }}
        />
        {noting ? null : (
          <VoiceRecorder
            disabled={progress !== null}
            onRecorded={(file) => {
              setStaged(file)
              textarea.current?.focus()
            }}
          />
        )}
        {noting ? null : (
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
        )}
        <Button
          type="submit"
          loading={sending || progress !== null}
          disabled={!text.trim() && !(staged && !noting)}
          variant={noting ? 'outline' : 'default'}
        >
          {noting ? t('whatsapp.note.add') : staged ? t('whatsapp.attachment.send') : t('whatsapp.send')}
        </Button>
        {progress !== null ? (
          <span className="sr-only" role="status">
            {t('whatsapp.uploadingFile', { percent: progress })}
          </span>
        ) : null}
      </form>
    </div>
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
