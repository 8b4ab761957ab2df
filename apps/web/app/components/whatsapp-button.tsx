import { MessageCircle } from 'lucide-react'
import { Form, useActionData, useNavigation } from '@remix-run/react'
import { Button, Select } from '@impera/ui'
import { useT } from '../i18n'
import type { FormResult } from '../lib/forms'
import { useResultToast } from './use-result-toast'

/** What a record without a conversation may start one with, when there is more than one way. */
export interface WhatsappStartChoices {
  accounts: { id: string; label: string }[]
  phones: { e164: string; display: string }[]
}

/**
 * Opens (or starts) the record's WhatsApp conversation; the page action answers with a redirect to the inbox. A
 * navigation form, not a fetcher: the page leaves, and a revalidation running at that moment (the live socket
 * connecting) would otherwise win over a fetcher's redirect, leaving the person on the record page. Before the first
 * conversation, an agency with several numbers chooses which one writes, and a record with several phones which one
 * is written to.
 */
export function WhatsappButton({ choices }: { choices?: WhatsappStartChoices | null }) {
  const t = useT()
  const navigation = useNavigation()
  const opening = navigation.state !== 'idle' && navigation.formData?.get('intent') === 'whatsapp'
  // A refusal (no phone on the record, no number in the agency) comes back as the page's action data.
  useResultToast(useActionData<FormResult>())
  const accounts = choices && choices.accounts.length > 1 ? choices.accounts : null
  const phones = choices && choices.phones.length > 1 ? choices.phones : null
  return (
    <Form method="post" className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="intent" value="whatsapp" />
      {accounts ? (
        <Select name="accountId" aria-label={t('whatsapp.startFrom')} className="h-9 w-auto" data-testid="start-from">
          {accounts.map((a) => (
            <option key={a.id} value={a.id}>
              {a.label}
            </option>
          ))}
        </Select>
      ) : null}
      {phones ? (
        <Select name="phone" aria-label={t('whatsapp.startTo')} className="h-9 w-auto" data-testid="start-to">
          {phones.map((p) => (
            <option key={p.e164} value={p.e164}>
              {p.display}
            </option>
          ))}
        </Select>
      ) : null}
      <Button type="submit" size="sm" variant="outline" loading={opening} data-testid="open-whatsapp">
        {opening ? null : <MessageCircle aria-hidden />}
        {t('whatsapp.openInInbox')}
      </Button>
    </Form>
  )
}
