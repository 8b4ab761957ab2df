import { Link } from '@remix-run/react'
import { Button } from '@impera/ui'
import { useT } from '../i18n'
import { RecordsHeader } from './records-header'

/**
 * `exportHref`: the list as CSV (and its XLSX twin) with its current filters (the table view only). The import link is for managers, the
 * same people who may empty the trash (`canDelete`).
 */
export function LeadsHeader({ canDelete, exportHref }: { canDelete: boolean; exportHref?: string }) {
  const t = useT()
  const tabs = [
    { to: '/app/leads', label: t('leads.table'), end: true },
    { to: '/app/leads/board', label: t('leads.board') },
    ...(canDelete ? [{ to: '/app/leads/trash', label: t('leads.trash') }] : []),
  ]
  return (
    <RecordsHeader
      title={t('leads.title')}
      tabs={tabs}
      newTo="/app/leads/new"
      newLabel={t('leads.new')}
      actions={
        <>
          {canDelete ? (
            <Button asChild variant="outline">
              <Link to="/app/imports">{t('imports.link')}</Link>
            </Button>
          ) : null}
          {exportHref ? (
            <>
              <Button asChild variant="outline">
                {/* A file, not a page: the browser downloads it. */}
                <a href={exportHref} download>
                  {t('leads.export.action')}
                </a>
              </Button>
              <Button asChild variant="outline">
                <a href={exportHref.replace('/app/leads.csv', '/app/leads.xlsx')} download>
                  {t('leads.export.xlsx')}
                </a>
              </Button>
            </>
          ) : null}
        </>
      }
    />
  )
}

export const statusBadge: Record<string, 'default' | 'secondary' | 'success' | 'warning' | 'destructive' | 'outline'> =
  {
    new: 'secondary',
    contacted: 'outline',
    qualified: 'warning',
    converted: 'success',
    lost: 'destructive',
  }
