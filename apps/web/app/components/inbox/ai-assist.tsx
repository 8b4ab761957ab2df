import { Button } from '@impera/ui'
import { useEffect, useState } from 'react'
import { useI18n } from '../../i18n'
import { trpc } from '../../lib/trpc-client'

type Suggestion = Awaited<ReturnType<typeof trpc.whatsapp.suggestReply.query>>
type Summary = Awaited<ReturnType<typeof trpc.whatsapp.summarize.query>>

/**
 * Assist mode (decision 020): the AI's draft of the next reply and the next best action, above the composer. "Usar"
 * puts the draft in the composer to edit and send (a person's send); "Descartar" hides it until the contact writes
 * again. Nothing is ever sent from here. Refetched whenever a new message from the contact arrives.
 */
export function AiSuggestion({
  conversationId,
  lastInboundId,
  onUse,
}: {
  conversationId: string
  lastInboundId: string | null
  onUse: (text: string) => void
}) {
  const { t } = useI18n()
  const [suggestion, setSuggestion] = useState<Suggestion | null>(null)
  const [state, setState] = useState<'loading' | 'ready' | 'failed' | 'discarded'>('loading')
  useEffect(() => {
    let live = true
    setState('loading')
    trpc.whatsapp.suggestReply
      .query({ id: conversationId })
      .then((s) => live && (setSuggestion(s), setState('ready')))
      .catch(() => live && setState('failed'))
    return () => {
      live = false
    }
  }, [conversationId, lastInboundId])
  if (state === 'discarded' || !lastInboundId) return null
  return (
    <section
      className="grid gap-2 rounded-md border border-violet-200 bg-violet-50 p-3 text-sm dark:border-violet-900 dark:bg-violet-950"
      aria-label={t('whatsapp.assist.title')}
      aria-busy={state === 'loading'}
      data-testid="ai-suggestion"
    >
      <p className="font-medium">{t('whatsapp.assist.title')}</p>
      {state === 'loading' ? <p className="text-muted-foreground">{t('whatsapp.assist.loading')}</p> : null}
      {state === 'failed' ? <p className="text-destructive">{t('whatsapp.assist.failed')}</p> : null}
      {state === 'ready' && suggestion ? (
        <>
          <p className="text-muted-foreground" data-testid="ai-next-action">
            {suggestion.next.kind === 'ask'
              ? t('whatsapp.assist.nextAsk', { question: t(`whatsapp.assist.questions.${suggestion.next.question}`) })
              : suggestion.next.kind === 'hand_over'
                ? t('whatsapp.assist.nextHandOver', { reason: suggestion.next.reason })
                : suggestion.next.kind === 'opted_out'
                  ? t('whatsapp.assist.nextOptedOut')
                  : t('whatsapp.assist.nextWait')}
          </p>
          {suggestion.text ? (
            <>
              <p className="whitespace-pre-wrap" data-testid="ai-draft">
                {suggestion.text}
              </p>
              <div className="flex gap-2">
                <Button type="button" size="sm" onClick={() => onUse(suggestion.text!)}>
                  {t('whatsapp.assist.use')}
                </Button>
                <Button type="button" size="sm" variant="outline" onClick={() => setState('discarded')}>
                  {t('whatsapp.assist.discard')}
                </Button>
              </div>
            </>
          ) : null}
        </>
      ) : null}
    </section>
  )
}

/** "Resumir conversa": what the lead wants, what is still unknown, and where the conversation stands. */
export function SummarizeButton({ conversationId }: { conversationId: string }) {
  const { t } = useI18n()
  const [summary, setSummary] = useState<Summary | null>(null)
  const [state, setState] = useState<'idle' | 'loading' | 'failed'>('idle')
  const load = () => {
    setState('loading')
    trpc.whatsapp.summarize
      .query({ id: conversationId })
      .then((s) => (setSummary(s), setState('idle')))
      .catch(() => setState('failed'))
  }
  return (
    <div className="grid gap-2">
      <Button type="button" size="sm" variant="outline" onClick={load} loading={state === 'loading'}>
        {t('whatsapp.assist.summarize')}
      </Button>
      {state === 'failed' ? (
        <p className="text-sm text-destructive" role="alert">
          {t('whatsapp.assist.failed')}
        </p>
      ) : null}
      {summary ? (
        <section
          className="grid gap-1 rounded-md border bg-background p-3 text-sm"
          aria-label={t('whatsapp.assist.summaryTitle')}
          data-testid="conversation-summary"
        >
          <p className="font-medium">{summary.summary ?? t('whatsapp.assist.nothingKnown')}</p>
          {summary.missing.length ? (
            <p className="text-muted-foreground">
              {t('whatsapp.assist.missing', {
                list: summary.missing.map((q) => t(`whatsapp.assist.questions.${q}`)).join(', '),
              })}
            </p>
          ) : null}
          <p className="text-muted-foreground">
            {summary.optedOut
              ? t('whatsapp.assist.nextOptedOut')
              : summary.qualified
                ? t('whatsapp.assist.qualified')
                : t('whatsapp.assist.notQualified')}
            {' · '}
            {t('whatsapp.assist.counts', { inbound: summary.inbound, outbound: summary.outbound })}
          </p>
          {summary.lastInbound ? (
            <p className="text-muted-foreground">
              {t('whatsapp.assist.lastInbound')} “{summary.lastInbound}”
            </p>
          ) : null}
        </section>
      ) : null}
    </div>
  )
}
