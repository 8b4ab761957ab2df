import { cn } from './cn'

/**
 * A determinate progress bar (imports, bulk operations, exports, onboarding). Screen readers hear the percentage, or
 * `valueText` when "3 of 5 steps" says more; the visible text next to it is the caller's.
 */
export function Progress({
  value,
  max,
  label,
  valueText,
  className,
}: {
  value: number
  max: number
  label: string
  valueText?: string
  className?: string
}) {
  const percent = max > 0 ? Math.min(100, Math.max(0, Math.round((value / max) * 100))) : 0
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-valuetext={valueText ?? `${percent}%`}
      className={cn('h-2 w-full overflow-hidden rounded-full bg-muted', className)}
    >
      <div className="h-full rounded-full bg-primary transition-[width]" style={{ width: `${percent}%` }} />
    </div>
  )
}
