import { Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { Button, TableHead } from '@impera/ui'
import { useT } from '../i18n'

/** A sortable column header that keeps the other URL filters and goes back to page 1. */
export function SortHeader({ column, label, className }: { column: string; label: string; className?: string }) {
  const [params] = useSearchParams()
  const { sort, dir } = useLoaderData<{ sort: string; dir: 'asc' | 'desc' }>()
  const next = new URLSearchParams(params)
  next.set('sort', column)
  next.set('dir', sort === column && dir === 'asc' ? 'desc' : 'asc')
  next.delete('page')
  return (
    <TableHead className={className} aria-sort={sort === column ? (dir === 'asc' ? 'ascending' : 'descending') : undefined}>
      <Link to={`?${next}`} className="inline-flex items-center gap-1 hover:text-foreground">
        {label}
        {sort === column ? <span aria-hidden>{dir === 'asc' ? '▲' : '▼'}</span> : null}
      </Link>
    </TableHead>
  )
}

/** Total, page n of m, previous/next, as links that keep the filters. */
export function Pagination({ total, page, pageSize, totalLabel }: { total: number; page: number; pageSize: number; totalLabel: string }) {
  const t = useT()
  const [params] = useSearchParams()
  const pages = Math.max(1, Math.ceil(total / pageSize))
  const pageLink = (n: number) => {
    const next = new URLSearchParams(params)
    next.set('page', String(n))
    return `?${next}`
  }
  return (
    <nav className="flex flex-wrap items-center justify-between gap-2 text-sm" aria-label={t('records.page', { page, pages })}>
      <span className="text-muted-foreground">{totalLabel}</span>
      <div className="flex items-center gap-2">
        {page > 1 ? (
          <Button asChild variant="outline" size="sm">
            <Link to={pageLink(page - 1)}>{t('records.previous')}</Link>
          </Button>
        ) : null}
        <span>{t('records.page', { page, pages })}</span>
        {page < pages ? (
          <Button asChild variant="outline" size="sm">
            <Link to={pageLink(page + 1)}>{t('records.next')}</Link>
          </Button>
        ) : null}
      </div>
    </nav>
  )
}

/** One label/value pair of a record's details; renders nothing when there is no value. */
export function DetailRow({ label, value }: { label: string; value: React.ReactNode }) {
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return null
  return (
    <div className="grid gap-0.5">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="text-sm">{value}</dd>
    </div>
  )
}
