import { Button } from '@impera/ui'
import { Phone } from 'lucide-react'
import { useT } from '../i18n'
import { WhatsappButton, type WhatsappStartChoices } from './whatsapp-button'

/**
 * A record's ways to reach the person: call and WhatsApp. On a phone they stay at the top of the screen while the
 * page scrolls (an agent in the street reads the timeline, then calls), with the name beside them; on a laptop they
 * are a row under the page's title.
 */
export function ContactActions({
  name,
  phones,
  choices,
}: {
  name: string
  phones: { e164: string; display: string }[]
  choices?: WhatsappStartChoices | null
}) {
  const t = useT()
  const first = phones[0]
  return (
    <div
      data-sticky-actions
      data-testid="contact-actions"
      className="flex flex-wrap items-center gap-2 max-md:sticky max-md:top-0 max-md:z-30 max-md:-mx-3 max-md:border-b max-md:bg-background/95 max-md:px-3 max-md:py-2 max-md:backdrop-blur"
    >
      <span className="min-w-0 flex-1 truncate text-sm font-semibold md:hidden" aria-hidden>
        {name}
      </span>
      {first ? (
        <Button asChild size="sm" variant="outline">
          <a href={`tel:${first.e164}`} aria-label={t('records.callPhone', { phone: first.display })}>
            <Phone aria-hidden />
            {t('records.call')}
          </a>
        </Button>
      ) : null}
      <WhatsappButton choices={choices} />
    </div>
  )
}
