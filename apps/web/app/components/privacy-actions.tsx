import { Button } from '@impera/ui'
import { useFetcher } from '@remix-run/react'
import { useEffect, useRef, useState } from 'react'
import { useT } from '../i18n'
import { lazyPart } from '../lib/lazy-part'
import type { FormResult } from '../lib/forms'
import { useResultToast } from './use-result-toast'

const AnonymiseDialog = lazyPart(() => import('./anonymise-dialog').then((m) => m.AnonymiseDialog))

/**
 * A manager's answers to a data subject's requests (LGPD, decision 038): everything about the person as a ZIP, and
 * their anonymisation after a typed confirmation (the dialog loads on the click).
 */
export function PrivacyActions({
  kind,
  id,
  name,
  anonymised,
}: {
  kind: 'leads' | 'clients'
  id: string
  name: string
  anonymised: boolean
}) {
  const t = useT()
  const fetcher = useFetcher<FormResult>()
  const [open, setOpen] = useState(false)
  const trigger = useRef<HTMLButtonElement>(null)
  const exportLink = useRef<HTMLAnchorElement>(null)
  const wasOpen = useRef(false)
  useResultToast(fetcher.data)
  useEffect(() => {
    if (wasOpen.current && !open) trigger.current?.focus()
    wasOpen.current = open
  }, [open])
  // Once anonymised the button goes: the focus it held moves to the export, not to the page's start.
  useEffect(() => {
    if (anonymised && document.activeElement === document.body) exportLink.current?.focus()
  }, [anonymised])
  return (
    <span className="flex flex-wrap items-center gap-3" data-testid="privacy">
      <a
        ref={exportLink}
        href={`/privacy/${kind}/${id}/export.zip`}
        download
        className="text-sm text-primary hover:underline"
      >
        {t('privacy.export')}
      </a>
      {anonymised ? null : (
        <Button
          ref={trigger}
          type="button"
          variant="link"
          size="sm"
          className="h-auto p-0 text-destructive"
          onClick={() => setOpen(true)}
        >
          {t('privacy.anonymise')}
        </Button>
      )}
      {open ? (
        <AnonymiseDialog
          name={name}
          busy={fetcher.state !== 'idle'}
          onClose={() => setOpen(false)}
          onConfirm={() => {
            fetcher.submit({ intent: 'anonymise' }, { method: 'post' })
            setOpen(false)
          }}
        />
      ) : null}
    </span>
  )
}
