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
      actions={exportable ? <ExportLinks list="clients" /> : null}
    />
  )
}
