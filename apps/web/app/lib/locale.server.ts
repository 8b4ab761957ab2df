import type { AppLoadContext } from '@remix-run/node'
import type { themes } from '@impera/db/enums'
import { isLocale, localeFromAcceptLanguage, type Locale } from '../i18n'

export type Theme = (typeof themes)[number]

/**
 * The signed-in user's language, else the language cookie, else the browser's, else pt-BR — and their colour theme
 * (the device's choice for anyone not signed in). One read of the profile for both: the root loader needs them on
 * every page.
 */
export async function resolveLocale(
  context: AppLoadContext,
  request: Request,
): Promise<{ locale: Locale; userName: string | null; theme: Theme }> {
  const me = await context.scope.me().catch(() => null)
  const theme: Theme = me?.user.theme ?? 'system'
  if (me && isLocale(me.user.locale)) return { locale: me.user.locale, userName: me.user.name, theme }
  const userName = me?.user.name ?? null
  if (isLocale(context.scope.locale)) return { locale: context.scope.locale, userName, theme }
  return { locale: localeFromAcceptLanguage(request.headers.get('accept-language')), userName, theme }
}
