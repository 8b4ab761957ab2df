import type { AppLoadContext } from '@remix-run/node'
import { isLocale, localeFromAcceptLanguage, type Locale } from '../i18n'

/** The signed-in user's language, else the language cookie, else the browser's, else pt-BR. */
export async function resolveLocale(
  context: AppLoadContext,
  request: Request,
): Promise<{ locale: Locale; userName: string | null }> {
  const identity = await context.scope.identity()
  if (identity) {
    const me = await context.app.services.getMe(identity.userId).catch(() => null)
    if (me && isLocale(me.user.locale)) return { locale: me.user.locale, userName: me.user.name }
  }
  if (isLocale(context.scope.locale)) return { locale: context.scope.locale, userName: null }
  return { locale: localeFromAcceptLanguage(request.headers.get('accept-language')), userName: null }
}
