import type * as React from 'react'
import { cn } from './cn'

/** A placeholder block in the shape of content still loading; decorative (the region around it says it is busy). */
export function Skeleton({ className }: { className?: string }) {
  return <div aria-hidden className={cn('animate-pulse rounded-md bg-muted motion-reduce:animate-none', className)} />
}

/** The kinds of page the app has, each with its own skeleton (apps/web's `skeletonKind` maps a path to one). */
export type PageKind = 'list' | 'record' | 'inbox' | 'dashboard' | 'form' | 'calendar'

function Head({ action = true }: { action?: boolean }) {
  return (
    <div className="flex items-center justify-between gap-3">
      <Skeleton className="h-8 w-48" />
      {action ? <Skeleton className="h-10 w-28" /> : null}
    </div>
  )
}

function Rows({ count }: { count: number }) {
  return (
    <div className="grid gap-3 rounded-lg border p-4">
      {Array.from({ length: count }, (_, i) => (
        <div key={i} className="flex items-center gap-3">
          <Skeleton className="size-8 shrink-0 rounded-full" />
          <Skeleton className="h-4 flex-1" />
          <Skeleton className="hidden h-4 w-24 sm:block" />
        </div>
      ))}
    </div>
  )
}

const shapes: Record<PageKind, () => React.ReactElement> = {
  // Title and action, the filter bar, rows.
  list: () => (
    <>
      <Head />
      <div className="flex flex-wrap gap-2">
        <Skeleton className="h-10 w-full sm:w-64" />
        <Skeleton className="h-10 w-32" />
        <Skeleton className="h-10 w-32" />
      </div>
      <Rows count={8} />
    </>
  ),
  // A way back, the name, call and WhatsApp, then the details beside the timeline.
  record: () => (
    <>
      <Skeleton className="h-4 w-20" />
      <Head />
      <div className="flex gap-2">
        <Skeleton className="h-9 w-24" />
        <Skeleton className="h-9 w-32" />
      </div>
      <div className="grid gap-4 lg:grid-cols-3">
        <div className="grid gap-4 rounded-lg border p-4 sm:grid-cols-2 lg:col-span-2">
          {Array.from({ length: 8 }, (_, i) => (
            <div key={i} className="grid gap-2">
              <Skeleton className="h-3 w-20" />
              <Skeleton className="h-4 w-36" />
            </div>
          ))}
        </div>
        <div className="grid content-start gap-3 rounded-lg border p-4">
          {Array.from({ length: 4 }, (_, i) => (
            <Skeleton key={i} className="h-12" />
          ))}
        </div>
      </div>
    </>
  ),
  // Conversations on the left, a thread of bubbles on the right.
  inbox: () => (
    <>
      <Head action={false} />
      <div className="grid min-h-[60dvh] gap-3 md:grid-cols-[20rem_1fr]">
        <Rows count={7} />
        <div className="hidden content-end gap-3 rounded-lg border p-4 md:grid">
          <Skeleton className="h-10 w-2/3" />
          <Skeleton className="ml-auto h-10 w-1/2" />
          <Skeleton className="h-16 w-3/5" />
          <Skeleton className="ml-auto h-10 w-2/5" />
          <Skeleton className="h-10" />
        </div>
      </div>
    </>
  ),
  // Figures in a row, then charts.
  dashboard: () => (
    <>
      <Head />
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
        {Array.from({ length: 4 }, (_, i) => (
          <Skeleton key={i} className="h-24" />
        ))}
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <Skeleton className="h-64" />
        <Skeleton className="h-64" />
      </div>
    </>
  ),
  // Labels over fields, in a narrow column.
  form: () => (
    <div className="grid max-w-3xl gap-6">
      <Head action={false} />
      <div className="grid gap-4 rounded-lg border p-4 sm:grid-cols-2">
        {Array.from({ length: 8 }, (_, i) => (
          <div key={i} className="grid gap-2">
            <Skeleton className="h-3 w-24" />
            <Skeleton className="h-10" />
          </div>
        ))}
      </div>
    </div>
  ),
  // A week of columns.
  calendar: () => (
    <>
      <Head />
      <div className="grid h-[60dvh] grid-cols-3 gap-2 md:grid-cols-7">
        {Array.from({ length: 7 }, (_, i) => (
          <Skeleton key={i} className={cn('h-full', i > 2 && 'hidden md:block')} />
        ))}
      </div>
    </>
  ),
}

/**
 * What a page looks like while its data loads, in the shape of the page that is coming (a list, a record, the inbox…),
 * so the layout does not jump when it arrives.
 */
export function PageSkeleton({ kind = 'list', className }: { kind?: PageKind; className?: string }) {
  const Shape = shapes[kind]
  return (
    <div className={cn('grid gap-6', className)} data-testid="page-skeleton" data-kind={kind}>
      <Shape />
    </div>
  )
}
