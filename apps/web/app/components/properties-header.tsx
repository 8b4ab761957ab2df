import { Link } from '@remix-run/react'
import { Button } from '@impera/ui'
import { useT } from '../i18n'
import { ExportLinks } from './export-links'
import { RecordsHeader } from './records-header'

/** `exportable`: the list as CSV and XLSX with its current filters (the list page, not the trash). */
export function PropertiesHeader({ canDelete, exportable = false }: { canDelete: boolean; exportable?: boolean }) {
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
      actions={
        <>
          {/* Managers (who may delete) are the ones who may import, as on the leads list. */}
          {canDelete && exportable ? (
            <Button asChild variant="outline">
              <Link to="/app/imports?kind=properties">{t('imports.link')}</Link>
            </Button>
          ) : null}
          {exportable ? <ExportLinks list="properties" /> : null}
        </>
      }
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
