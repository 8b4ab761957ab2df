import { useFetcher, useLocation } from '@remix-run/react'
import { Select } from '@impera/ui'
import { useI18n } from '../i18n'

/** Switches pt-BR/en; saved on the profile when signed in and in a cookie otherwise. Works without JavaScript too. */
export function LanguageSwitch({ className }: { className?: string }) {
  const { locale, t } = useI18n()
  const fetcher = useFetcher()
  const location = useLocation()
  return (
    <fetcher.Form method="post" action="/locale" className={className}>
      <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
      <label className="sr-only" htmlFor="language-switch">
        {t('common.language')}
      </label>
      <Select
        id="language-switch"
        name="locale"
        defaultValue={locale}
        className="h-9 w-auto"
        onChange={(e) => fetcher.submit(e.currentTarget.form)}
        data-testid="language-switch"
      >
        <option value="pt-BR">Português (Brasil)</option>
        <option value="en">English</option>
      </Select>
      <noscript>
        <button type="submit">{t('common.save')}</button>
      </noscript>
    </fetcher.Form>
  )
}
