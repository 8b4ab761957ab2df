import { useSearchParams } from '@remix-run/react'
import { Download } from 'lucide-react'
import { useT } from '../i18n'
import type { PageAction } from './page-header'

/**
 * "Exportar CSV" and "Exportar XLSX" for a records list, as page actions: the files keep the list's filters and order
 * and start from the first row whatever page is shown.
 */
export function useExportActions(list: 'leads' | 'clients' | 'properties' | 'conversations'): PageAction[] {
  const t = useT()
  const [params] = useSearchParams()
  const p = new URLSearchParams(params)
  for (const k of ['after', 'before', 'cols', 'pageSize', 'view', 'layout']) p.delete(k)
  const q = p.toString() ? `?${p}` : ''
  return [
    { id: 'csv', label: t('leads.export.action'), icon: Download, href: `/app/${list}.csv${q}`, download: true },
    { id: 'xlsx', label: t('leads.export.xlsx'), icon: Download, href: `/app/${list}.xlsx${q}`, download: true },
  ]
}
