import { useT } from '../i18n'
import { RecordsHeader } from './records-header'

export function ClientsHeader({ canDelete }: { canDelete: boolean }) {
  const t = useT()
  const tabs = [
    { to: '/app/clients', label: t('clients.table'), end: true },
    ...(canDelete ? [{ to: '/app/clients/trash', label: t('clients.trash') }] : []),
  ]
  return <RecordsHeader title={t('clients.title')} tabs={tabs} newTo="/app/clients/new" newLabel={t('clients.new')} />
}
