import { Link } from '@remix-run/react'
import type { ConversationController } from '@impera/db/enums'
import { useI18n } from '../i18n'
import { ControlBadge } from './control-badge'

/**
 * A lead's or client's WhatsApp conversation on its page: who answers it (the inbox's badge, decision 019) and a link
 * to open it in the inbox. Nothing when the record has no conversation the person may open.
 */
export function RecordConversation({
  conversation,
}: {
  conversation: { id: string; controller: ConversationController } | null
}) {
  const { t } = useI18n()
  if (!conversation) return null
  return (
    <p className="flex flex-wrap items-center gap-1.5 text-sm" data-testid="record-conversation">
      <span className="text-muted-foreground">{t('whatsapp.control.recordLine')}</span>
      <ControlBadge controller={conversation.controller} />
      <span aria-hidden>·</span>
      <Link
        to={`/app/inbox/${conversation.id}`}
        className="rounded-sm text-primary underline focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
      >
        {t('whatsapp.control.open')}
      </Link>
    </p>
  )
}
