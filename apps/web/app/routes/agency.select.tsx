import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { agencyCookie } from '../lib/cookies.server'
import { requireIdentity } from '../lib/session.server'
import { readForm } from '../lib/actions.server'

export async function loader() {
  return redirect('/app')
}

/** Switches the active agency after checking an active membership in it. */
export async function action({ request, context }: ActionFunctionArgs) {
  await requireIdentity(context, request)
  const agencyId = String((await readForm(request)).get('agencyId') ?? '')
  const me = (await context.scope.me())!
  if (!me.memberships.some((m) => m.agencyId === agencyId && m.agencyStatus === 'active'))
    throw new Response('Forbidden', { status: 403 })
  return redirect('/app', { headers: { 'set-cookie': agencyCookie(agencyId, context.app.env.production) } })
}
