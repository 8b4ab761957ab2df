import { useSearchParams } from '@remix-run/react'
import { Button } from '@impera/ui'
import { useT } from '../i18n'

/**
 * "Exportar CSV" and "Exportar XLSX" for a records list: the files keep the list's filters and order and start from
 * the first row whatever page is shown.
 */
export function ExportLinks({
  list,
  size,
}: {
  list: 'leads' | 'clients' | 'properties' | 'conversations'
  size?: 'sm'
}) {
  const t = useT()
  const [params] = useSearchParams()
  const p = new URLSearchParams(params)
  for (const k of ['after', 'before', 'cols', 'pageSize', 'view', 'layout']) p.delete(k)
  const q = p.toString() ? `?${p}` : ''
  return (
    <>
      <Button asChild variant="outline" size={size}>
        {/* A file, not a page: the browser downloads it. */}
        <a href={`/app/${list}.csv${q}`} download>
          {t('leads.export.action')}
        </a>
      </Button>
      <Button asChild variant="outline" size={size}>
        <a href={`/app/${list}.xlsx${q}`} download>
          {t('leads.export.xlsx')}
        </a>
      </Button>
    </>
  )
}
