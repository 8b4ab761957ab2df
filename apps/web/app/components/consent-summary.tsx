import { Badge, Button } from '@impera/ui'
import { useFetcher } from '@remix-run/react'
import { useEffect, useRef, useState } from 'react'
import { useI18n } from '../i18n'
import { lazyPart } from '../lib/lazy-part'
import type { FormResult } from '../lib/forms'
import { useResultToast } from './use-result-toast'

const ConsentDialog = lazyPart(() => import('./consent-dialog').then((m) => m.ConsentDialog))

export interface ConsentRow {
  id: string
  granted: boolean
  basis: string | null
  source: string
  textVersion: string | null
  recordedAt: string | Date
}

export interface ConsentView {
  status: 'granted' | 'revoked' | 'unknown'
  current: ConsentRow | null
  history: ConsentRow[]
}

const tone = { granted: 'success', revoked: 'destructive', unknown: 'outline' } as const

/**
 * A lead's or client's marketing consent (LGPD, decision 037): the state, where it came from and when; people who may
 * edit the record record a change (the form and the history load on the first click).
 */
export function ConsentSummary({ consent, canEdit }: { consent: ConsentView; canEdit: boolean }) {
  const { t, dateTime } = useI18n()
  const fetcher = useFetcher<FormResult>()
  const [open, setOpen] = useState(false)
  const trigger = useRef<HTMLButtonElement>(null)
  const wasOpen = useRef(false)
  useResultToast(fetcher.data)
  // Focus goes back to "Alterar" once the dialog is gone (saved, cancelled or escaped), not to the page's start.
  useEffect(() => {
    if (wasOpen.current && !open) trigger.current?.focus()
    wasOpen.current = open
  }, [open])
  const c = consent.current
  return (
    <span className="flex flex-wrap items-center gap-2" data-testid="consent">
      <Badge variant={tone[consent.status]}>{t(`consent.status.${consent.status}`)}</Badge>
      {c ? (
        <span className="text-xs text-muted-foreground">
          {t(`consent.sources.${c.source}`)} · {dateTime(c.recordedAt)}
        </span>
      ) : null}
      {canEdit ? (
        <Button
          ref={trigger}
          type="button"
          variant="link"
          size="sm"
          className="h-auto p-0"
          onClick={() => setOpen(true)}
        >
          {t('consent.change')}
        </Button>
      ) : null}
      {open ? (
        <ConsentDialog
          consent={consent}
          busy={fetcher.state !== 'idle'}
          onClose={() => setOpen(false)}
          onSubmit={(fields) => {
            fetcher.submit({ intent: 'consent', ...fields }, { method: 'post' })
            setOpen(false)
          }}
        />
      ) : null}
    </span>
  )
}
