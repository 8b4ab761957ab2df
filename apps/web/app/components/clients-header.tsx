import { Link } from '@remix-run/react'
import { Button } from '@impera/ui'
import { useT } from '../i18n'
import { ExportLinks } from './export-links'
import { RecordsHeader } from './records-header'

/** `exportable`: the list as CSV and XLSX with its current filters (the list page, not the trash). */
export function ClientsHeader({ canDelete, exportable = false }: { canDelete: boolean; exportable?: boolean }) {
  const t = useT()
  const tabs = [
    { to: '/app/clients', label: t('clients.table'), end: true },
    ...(canDelete ? [{ to: '/app/clients/trash', label: t('clients.trash') }] : []),
  ]
  return (
    <RecordsHeader
      title={t('clients.title')}
      tabs={tabs}
      newTo="/app/clients/new"
      newLabel={t('clients.new')}
      actions={
        <>
          {/* Managers (who may delete) are the ones who may import, as on the leads list. */}
          {canDelete && exportable ? (
            <Button asChild variant="outline">
              <Link to="/app/imports?kind=clients">{t('imports.link')}</Link>
            </Button>
          ) : null}
          {exportable ? <ExportLinks list="clients" /> : null}
        </>
      }
    />
  )
}
