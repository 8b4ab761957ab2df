import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { Alert, Button } from '@impera/ui'
import { AuthLayout } from '../components/auth-layout'
import { useT } from '../i18n'
import { readForm } from '../lib/actions.server'

const reasons = { agency_suspended: 'auth.agencySuspended', no_membership: 'auth.noMembership' } as const

/**
 * GET never signs out: a link or an image on another site could otherwise end anyone's session. It shows why the
 * person landed here (a suspended agency, no membership) and a button that posts the form.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  if (!(await context.scope.identity())) return redirect('/login')
  const reason = new URL(request.url).searchParams.get('reason')
  return { reason: reason && reason in reasons ? reasons[reason as keyof typeof reasons] : null }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const fd = await readForm(request)
  const identity = await context.scope.identity()
  const everywhere = fd.get('scope') === 'everywhere'
  if (identity && (everywhere || identity.sessionId))
    await context.app.services.forgetPushDevices(
      { userId: identity.userId, agencyId: context.scope.agencyId, ip: context.scope.ip },
      everywhere ? null : identity.sessionId,
    )
  const headers =
    everywhere && identity
      ? await context.app.auth.signOutEverywhere(request, identity)
      : await context.app.auth.signOut(request)
  return redirect('/login?notice=logged_out', { headers })
}

export default function Logout() {
  const t = useT()
  const { reason } = useLoaderData<typeof loader>()
  return (
    <AuthLayout title={t('auth.logoutTitle')}>
      <Form method="post" className="grid gap-4">
        {reason ? (
          <Alert variant="destructive">{t(reason)}</Alert>
        ) : (
          <p className="text-sm text-muted-foreground">{t('auth.logoutConfirm')}</p>
        )}
        <Button type="submit">{t('nav.logout')}</Button>
        {reason ? null : (
          <Button asChild variant="outline">
            <Link to="/">{t('auth.logoutCancel')}</Link>
          </Button>
        )}
      </Form>
    </AuthLayout>
  )
}
