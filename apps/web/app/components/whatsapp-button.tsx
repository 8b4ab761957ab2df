import { useFetcher } from '@remix-run/react'
import { Button } from '@impera/ui'
import { useT } from '../i18n'
import type { FormResult } from '../lib/forms'
import { useResultToast } from './use-result-toast'

/** Opens (or starts) the record's WhatsApp conversation; the page action answers with a redirect to the inbox. */
export function WhatsappButton() {
  const t = useT()
  const fetcher = useFetcher<FormResult>()
  useResultToast(fetcher.data)
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="intent" value="whatsapp" />
      <Button type="submit" size="sm" variant="outline" loading={fetcher.state !== 'idle'} data-testid="open-whatsapp">
        {t('whatsapp.openInInbox')}
      </Button>
    </fetcher.Form>
  )
}
