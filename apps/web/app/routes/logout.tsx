import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'

const reasons = new Set(['agency_suspended', 'no_membership'])

/** GET is used only by server redirects that must end a session (e.g. a suspended agency); forms POST. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const reason = new URL(request.url).searchParams.get('reason')
  const headers = await context.app.auth.signOut(request)
  return redirect(`/login?notice=${reason && reasons.has(reason) ? reason : 'logged_out'}`, { headers })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const fd = await request.formData()
  const identity = await context.scope.identity()
  const headers = fd.get('scope') === 'everywhere' && identity ? await context.app.auth.signOutEverywhere(request, identity) : await context.app.auth.signOut(request)
  return redirect('/login?notice=logged_out', { headers })
}
