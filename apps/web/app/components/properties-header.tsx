import { Upload } from 'lucide-react'
import { useT } from '../i18n'
import { useExportActions } from './export-links'
import { RecordsHeader } from './records-header'

/** `exportable`: the list as CSV and XLSX with its current filters (the list page, not the trash). */
export function PropertiesHeader({ canDelete, exportable = false }: { canDelete: boolean; exportable?: boolean }) {
  const t = useT()
  const exports = useExportActions('properties')
  const tabs = [
    { to: '/app/properties', label: t('properties.title'), end: true },
    ...(canDelete ? [{ to: '/app/properties/trash', label: t('properties.trash') }] : []),
  ]
  return (
    <RecordsHeader
      title={t('properties.title')}
      tabs={tabs}
      newTo="/app/properties/new"
      newLabel={t('properties.new')}
      actions={[
        // Managers (who may delete) are the ones who may import.
        canDelete &&
          exportable && { id: 'import', label: t('imports.link'), icon: Upload, to: '/app/imports?kind=properties' },
        ...(exportable ? exports : []),
      ]}
    />
  )
}

export const propertyStatusBadge: Record<
  string,
  'default' | 'secondary' | 'success' | 'warning' | 'destructive' | 'outline'
> = {
  available: 'success',
  reserved: 'warning',
  sold: 'secondary',
  rented: 'secondary',
  off_market: 'outline',
}
