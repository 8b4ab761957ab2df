import { Link, NavLink } from '@remix-run/react'
import { Button, cn } from '@impera/ui'
import { useT } from '../i18n'

/** Title, view switch (table / board / trash) and the "new lead" action, shared by the leads pages. */
export function LeadsHeader({ canDelete }: { canDelete: boolean }) {
  const t = useT()
  const tab = ({ isActive }: { isActive: boolean }) =>
    cn('rounded-sm px-3 py-1.5 text-sm font-medium focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring', isActive ? 'bg-background shadow-sm' : 'text-muted-foreground')
  return (
    <div className="flex flex-wrap items-center justify-between gap-3">
      <h1 className="text-2xl font-bold">{t('leads.title')}</h1>
      <div className="flex flex-wrap items-center gap-2">
        <nav aria-label={t('leads.title')} className="inline-flex rounded-md bg-muted p-1">
          <NavLink to="/app/leads" end className={tab}>
            {t('leads.table')}
          </NavLink>
          <NavLink to="/app/leads/board" className={tab}>
            {t('leads.board')}
          </NavLink>
          {canDelete ? (
            <NavLink to="/app/leads/trash" className={tab}>
              {t('leads.trash')}
            </NavLink>
          ) : null}
        </nav>
        <Button asChild>
          <Link to="/app/leads/new">{t('leads.new')}</Link>
        </Button>
      </div>
    </div>
  )
}

export const statusBadge: Record<string, 'default' | 'secondary' | 'success' | 'warning' | 'destructive' | 'outline'> = {
  new: 'secondary',
  contacted: 'outline',
  qualified: 'warning',
  converted: 'success',
  lost: 'destructive',
}
