import { useT } from '../i18n'

export default function InboxIndex() {
  const t = useT()
  return <p className="grid h-full place-items-center p-10 text-muted-foreground">{t('whatsapp.choose')}</p>
}
