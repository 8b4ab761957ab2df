import { Upload } from 'lucide-react'
import { useT } from '../i18n'
import { useExportActions } from './export-links'
import { RecordsHeader } from './records-header'

/** `exportable`: the list as CSV and XLSX with its current filters (the list page, not the trash). */
export function ClientsHeader({ canDelete, exportable = false }: { canDelete: boolean; exportable?: boolean }) {
  const t = useT()
  const exports = useExportActions('clients')
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
      actions={[
        // Managers (who may delete) are the ones who may import.
        canDelete &&
          exportable && { id: 'import', label: t('imports.link'), icon: Upload, to: '/app/imports?kind=clients' },
        ...(exportable ? exports : []),
      ]}
    />
  )
}
