import { useT } from '../i18n'
import { RecordsHeader } from './records-header'

export function LeadsHeader({ canDelete }: { canDelete: boolean }) {
  const t = useT()
  const tabs = [
    { to: '/app/leads', label: t('leads.table'), end: true },
    { to: '/app/leads/board', label: t('leads.board') },
    ...(canDelete ? [{ to: '/app/leads/trash', label: t('leads.trash') }] : []),
  ]
  return <RecordsHeader title={t('leads.title')} tabs={tabs} newTo="/app/leads/new" newLabel={t('leads.new')} />
}

export const statusBadge: Record<string, 'default' | 'secondary' | 'success' | 'warning' | 'destructive' | 'outline'> =
  {
    new: 'secondary',
    contacted: 'outline',
    qualified: 'warning',
    converted: 'success',
    lost: 'destructive',
  }
