import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { isLocale } from '../i18n'
import { localeCookie, safeRedirect } from '../lib/cookies.server'
import { readForm } from '../lib/actions.server'

export async function loader() {
  return redirect('/')
}

export async function action({ request, context }: ActionFunctionArgs) {
  const fd = await readForm(request)
  const locale = fd.get('locale')
  if (!isLocale(locale)) return new Response('Unknown locale', { status: 400 })
  if (await context.scope.identity()) await (await context.scope.caller()).profile.setLocale({ locale })
  return redirect(safeRedirect(fd.get('redirectTo'), '/'), {
    headers: { 'set-cookie': localeCookie(locale, context.app.env.production) },
  })
}
