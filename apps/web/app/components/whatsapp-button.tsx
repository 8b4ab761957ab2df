import { Form, useActionData, useNavigation } from '@remix-run/react'
import { Button } from '@impera/ui'
import { useT } from '../i18n'
import type { FormResult } from '../lib/forms'
import { useResultToast } from './use-result-toast'

/**
 * Opens (or starts) the record's WhatsApp conversation; the page action answers with a redirect to the inbox. A
 * navigation form, not a fetcher: the page leaves, and a revalidation running at that moment (the live socket
 * connecting) would otherwise win over a fetcher's redirect, leaving the person on the record page.
 */
export function WhatsappButton() {
  const t = useT()
  const navigation = useNavigation()
  const opening = navigation.state !== 'idle' && navigation.formData?.get('intent') === 'whatsapp'
  // A refusal (no phone on the record, no number in the agency) comes back as the page's action data.
  useResultToast(useActionData<FormResult>())
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="whatsapp" />
      <Button type="submit" size="sm" variant="outline" loading={opening} data-testid="open-whatsapp">
        {t('whatsapp.openInInbox')}
      </Button>
    </Form>
  )
}
