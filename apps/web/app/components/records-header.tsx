import { Link, NavLink } from '@remix-run/react'
import { Button, cn } from '@impera/ui'
import { Plus } from 'lucide-react'
import { PageHeader, type PageAction } from './page-header'

/** Title, view switch (e.g. table / board / trash) and the "new" action, shared by the record list pages. */
export function RecordsHeader({
  title,
  tabs,
  newTo,
  newLabel,
  actions,
}: {
  title: string
  tabs: { to: string; label: string; end?: boolean }[]
  newTo: string
  newLabel: string
  /** Secondary actions (import, export): buttons on a wide screen, a menu on a phone. */
  actions?: (PageAction | false)[]
}) {
  const tab = ({ isActive }: { isActive: boolean }) =>
    cn(
      'rounded-sm px-3 py-1.5 text-sm font-medium focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none',
      isActive ? 'bg-background shadow-sm' : 'text-muted-foreground',
    )
  return (
    <PageHeader
      title={title}
      controls={
        tabs.length > 1 ? (
          <nav aria-label={title} className="inline-flex rounded-md bg-muted p-1">
            {tabs.map((t) => (
              <NavLink key={t.to} to={t.to} end={t.end} className={tab}>
                {t.label}
              </NavLink>
            ))}
          </nav>
        ) : null
      }
      actions={actions}
      primary={
        <Button asChild>
          <Link to={newTo}>
            <Plus aria-hidden />
            {newLabel}
          </Link>
        </Button>
      }
    />
  )
}
