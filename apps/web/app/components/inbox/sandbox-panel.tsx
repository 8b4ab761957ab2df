import { useFetcher } from '@remix-run/react'
import { Button, Input } from '@impera/ui'
import { useEffect, useRef } from 'react'
import { useI18n } from '../../i18n'
import type { FormResult } from '../../lib/forms'
import { useResultToast } from '../use-result-toast'

/** Sandbox numbers only: the contact writes to the agency, through the same path as real messages. */
export function SandboxPanel({ accountId, phone }: { accountId: string; phone: string }) {
  const { t } = useI18n()
  const fetcher = useFetcher<FormResult>()
  const form = useRef<HTMLFormElement>(null)
  useResultToast(fetcher.data)
  useEffect(() => {
    if (fetcher.state === 'idle' && fetcher.data?.ok)
      form.current?.querySelector<HTMLInputElement>('input[name=text]')?.form?.reset()
  }, [fetcher.state, fetcher.data])
  return (
    <details className="rounded-md border border-dashed p-2 text-sm" data-testid="sandbox-panel">
      <summary className="cursor-pointer font-medium">{t('whatsapp.sandboxTitle')}</summary>
      <p className="mt-1 text-xs text-muted-foreground">{t('whatsapp.sandboxHelp')}</p>
      <fetcher.Form method="post" ref={form} className="mt-2 flex flex-wrap items-end gap-2">
        <input type="hidden" name="intent" value="inject" />
        <input type="hidden" name="accountId" value={accountId} />
        <input type="hidden" name="from" value={phone} />
        <label className="grid flex-1 gap-1">
          <span className="text-xs">{t('whatsapp.sandboxText')}</span>
          <Input name="text" required autoComplete="off" />
        </label>
        <Button type="submit" size="sm" variant="outline" loading={fetcher.state !== 'idle'}>
          {t('whatsapp.sandboxSend')}
        </Button>
      </fetcher.Form>
    </details>
  )
}
