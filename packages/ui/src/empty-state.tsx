import type { LucideIcon } from 'lucide-react'
import type * as React from 'react'
import { cn } from './cn'

/**
 * What a place with nothing in it says: an icon of what would be there, one line, and the next step when there is one
 * (create the first record, clear the filters).
 */
export function EmptyState({
  icon: Icon,
  children,
  action,
  compact = false,
  className,
}: {
  icon: LucideIcon
  children: React.ReactNode
  action?: React.ReactNode
  /** Inside a card or a list's column: less air around it. */
  compact?: boolean
  className?: string
}) {
  return (
    <div
      className={cn(
        'grid justify-items-center gap-3 text-center text-sm text-muted-foreground',
        compact ? 'p-4' : 'p-10',
        className,
      )}
      data-testid="empty-state"
    >
      <span className={cn('flex items-center justify-center rounded-full bg-muted', compact ? 'size-10' : 'size-14')}>
        <Icon aria-hidden className={compact ? 'size-5' : 'size-7'} strokeWidth={1.5} />
      </span>
      <p className="max-w-prose">{children}</p>
      {action}
    </div>
  )
}
