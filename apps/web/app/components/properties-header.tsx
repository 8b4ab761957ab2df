import { useT } from '../i18n'
import { RecordsHeader } from './records-header'

export function PropertiesHeader({ canDelete }: { canDelete: boolean }) {
  const t = useT()
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
