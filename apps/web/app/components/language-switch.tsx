import { Form, useLocation } from '@remix-run/react'
import { Select } from '@impera/ui'
import { useI18n } from '../i18n'

/**
 * Switches pt-BR/en; saved on the profile when signed in and in a cookie otherwise. Works without JavaScript too.
 * The switch reloads the document: every string, date format and client-side state is rebuilt in the new language at
 * once, where a revalidation racing the page's own live refetches could leave the old language on screen.
 */
export function LanguageSwitch({ className }: { className?: string }) {
  const { locale, t } = useI18n()
  const location = useLocation()
  return (
    <Form method="post" action="/locale" reloadDocument className={className}>
      <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
      <label className="sr-only" htmlFor="language-switch">
        {t('common.language')}
      </label>
      <Select
        id="language-switch"
        name="locale"
        defaultValue={locale}
        className="h-9 w-auto"
        onChange={(e) => e.currentTarget.form?.requestSubmit()}
        data-testid="language-switch"
      >
        <option value="pt-BR">Português (Brasil)</option>
        <option value="en">English</option>
      </Select>
      <noscript>
        <button type="submit">{t('common.save')}</button>
      </noscript>
    </Form>
  )
}
