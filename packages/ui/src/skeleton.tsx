import { cn } from './cn'

/** A placeholder block in the shape of content still loading; decorative (the region around it says it is busy). */
export function Skeleton({ className }: { className?: string }) {
  return <div aria-hidden className={cn('animate-pulse rounded-md bg-muted motion-reduce:animate-none', className)} />
}

/**
 * What a page looks like while its data loads: a title with an action, a row of filters, and a list — the shape most
 * pages share, so the layout does not jump when the page arrives.
 */
export function PageSkeleton({ className }: { className?: string }) {
  return (
    <div className={cn('grid gap-6', className)} data-testid="page-skeleton">
      <div className="flex items-center justify-between gap-3">
        <Skeleton className="h-8 w-48" />
        <Skeleton className="h-9 w-28" />
      </div>
      <div className="flex flex-wrap gap-2">
        <Skeleton className="h-9 w-40" />
        <Skeleton className="h-9 w-28" />
        <Skeleton className="h-9 w-28" />
      </div>
      <div className="grid gap-3 rounded-lg border p-4">
        {Array.from({ length: 6 }, (_, i) => (
          <div key={i} className="flex items-center gap-3">
            <Skeleton className="size-8 shrink-0 rounded-full" />
            <Skeleton className="h-4 flex-1" />
            <Skeleton className="hidden h-4 w-24 sm:block" />
          </div>
        ))}
      </div>
    </div>
  )
}
