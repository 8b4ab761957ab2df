import { Upload } from 'lucide-react'
import { useT } from '../i18n'
import { useExportActions } from './export-links'
import { RecordsHeader } from './records-header'

/**
 * `exportable`: the list as CSV and XLSX with its current filters (the table view only). The import link is for
 * managers, the same people who may empty the trash (`canDelete`).
 */
export function LeadsHeader({ canDelete, exportable = false }: { canDelete: boolean; exportable?: boolean }) {
  const t = useT()
  const exports = useExportActions('leads')
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
      actions={[
        canDelete && { id: 'import', label: t('imports.link'), icon: Upload, to: '/app/imports' },
        ...(exportable ? exports : []),
      ]}
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
