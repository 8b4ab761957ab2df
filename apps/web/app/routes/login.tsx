import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation, useSearchParams } from '@remix-run/react'
import { ZSignInInput } from '@impera/api/schemas'
import { Alert, Button, Field, Input } from '@impera/ui'
import { AuthLayout } from '../components/auth-layout'
import { useT } from '../i18n'
import { agencyCookie, localeCookie, safeRedirect } from '../lib/cookies.server'
import { mergeErrors, useClientValidation, type FormResult } from '../lib/forms'
import { readForm } from '../lib/actions.server'

export const meta: MetaFunction = () => [{ title: 'Impera CRM' }]

const notices = {
  agency_suspended: 'auth.agencySuspended',
  no_membership: 'auth.noMembership',
  logged_out: 'auth.loggedOut',
  reset: 'auth.resetDone',
} as const

export async function loader({ context, request }: LoaderFunctionArgs) {
  if (await context.scope.identity()) return redirect(safeRedirect(new URL(request.url).searchParams.get('redirectTo')))
  return null
}

export async function action({ request, context }: ActionFunctionArgs) {
  const fd = await readForm(request)
  const parsed = ZSignInInput.safeParse(Object.fromEntries(fd))
  if (!parsed.success)
    return data<FormResult>(
      { fieldErrors: context.app.services.describeError(parsed.error).fieldErrors },
      { status: 400 },
    )
  const { auth, services } = context.app
  const result = await auth.signIn(request, parsed.data)
  if (!result.ok) {
    if (result.reason !== 'rate_limited')
      return data<FormResult>({ formError: 'auth.invalid' }, { status: 400, headers: result.headers })
    const seconds = result.retryAfterSeconds ?? 60
    const headers = new Headers(result.headers)
    headers.set('retry-after', String(seconds))
    // A short wait (an e-mail under attack, an early backoff step) is said in seconds, so the owner just tries again.
    return seconds < 60
      ? data<FormResult>({ formError: 'auth.rateLimitedSeconds', formErrorVars: { seconds } }, { status: 429, headers })
      : data<FormResult>(
          { formError: 'auth.rateLimited', formErrorVars: { minutes: Math.ceil(seconds / 60) } },
          { status: 429, headers },
        )
  }
  const me = await services.getMe(result.userId)
  const landing = services.resolveLanding(me, context.scope.agencyId)
  if (landing.kind === 'refused') {
    // The password was right, so saying why is no account disclosure; the new session is revoked at once.
    const sessionCookie = result.headers.get('set-cookie')?.split(';')[0] ?? ''
    const cleared = await auth.signOut(new Request(request.url, { headers: { cookie: sessionCookie } }))
    return data<FormResult>(
      { formError: landing.reason === 'agency_suspended' ? 'auth.agencySuspended' : 'auth.noMembership' },
      { status: 403, headers: cleared },
    )
  }
  const headers = new Headers(result.headers)
  headers.append('set-cookie', localeCookie(me.user.locale, context.app.env.production))
  if (landing.kind === 'agency')
    headers.append('set-cookie', agencyCookie(landing.agencyId, context.app.env.production))
  const fallback = landing.kind === 'admin' ? '/admin/agencies' : '/app'
  return redirect(safeRedirect(fd.get('redirectTo'), fallback), { headers })
}

export default function Login() {
  const t = useT()
  const result = useActionData<typeof action>()
  const navigation = useNavigation()
  const [params] = useSearchParams()
  const { clientErrors, onSubmit } = useClientValidation('ZSignInInput')
  const notice = notices[params.get('notice') as keyof typeof notices]
  return (
    <AuthLayout title={t('auth.loginTitle')}>
      <Form method="post" className="grid gap-4" noValidate onSubmit={onSubmit}>
        {notice ? (
          <Alert variant={notice === 'auth.loggedOut' || notice === 'auth.resetDone' ? 'success' : 'destructive'}>
            {t(notice)}
          </Alert>
        ) : null}
        {result?.formError ? <Alert variant="destructive">{t(result.formError, result.formErrorVars)}</Alert> : null}
        <input type="hidden" name="redirectTo" value={params.get('redirectTo') ?? ''} />
        <Field label={t('auth.email')} errors={mergeErrors(clientErrors, result, 'email')?.map((m) => t(m))}>
          {(p) => <Input {...p} name="email" type="email" autoComplete="username" required autoFocus />}
        </Field>
        <Field label={t('auth.password')} errors={mergeErrors(clientErrors, result, 'password')?.map((m) => t(m))}>
          {(p) => <Input {...p} name="password" type="password" autoComplete="current-password" required />}
        </Field>
        <Button type="submit" loading={navigation.state === 'submitting'}>
          {t('auth.submit')}
        </Button>
        <Link to="/forgot-password" className="text-center text-sm text-primary underline-offset-4 hover:underline">
          {t('auth.forgot')}
        </Link>
      </Form>
    </AuthLayout>
  )
}
