import type { ConversationController, ConversationStatus } from '@impera/db/enums'
import { cn } from '@impera/ui'
import { useI18n } from '../i18n'

/** Who answers a WhatsApp conversation (decision 019): the AI, a person, or nobody yet. */
export function ControlBadge({ controller, className }: { controller: ConversationController; className?: string }) {
  const { t } = useI18n()
  return (
    <span
      className={cn(
        'inline-flex shrink-0 items-center rounded-full px-2 text-xs font-medium whitespace-nowrap',
        controller === 'bot' && 'bg-violet-100 text-violet-900 dark:bg-violet-900 dark:text-violet-100',
        controller === 'human' && 'bg-emerald-100 text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100',
        controller === 'none' && 'bg-muted text-muted-foreground',
        className,
      )}
      data-testid="control-badge"
      data-controller={controller}
    >
      {t(`whatsapp.control.badge.${controller}`)}
    </span>
  )
}

/** A conversation's team state (issue 16's inbox): open, pending or resolved. */
export function StatusBadge({ status, className }: { status: ConversationStatus; className?: string }) {
  const { t } = useI18n()
  return (
    <span
      className={cn(
        'inline-flex shrink-0 items-center rounded-full px-2 text-xs font-medium whitespace-nowrap',
        status === 'open' && 'bg-sky-100 text-sky-900 dark:bg-sky-900 dark:text-sky-100',
        status === 'pending' && 'bg-amber-100 text-amber-900 dark:bg-amber-900 dark:text-amber-100',
        status === 'resolved' && 'bg-muted text-muted-foreground',
        className,
      )}
      data-testid="status-badge"
      data-status={status}
    >
      {t(`whatsapp.state.badge.${status}`)}
    </span>
  )
}
