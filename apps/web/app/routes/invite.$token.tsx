import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useParams } from '@remix-run/react'
import { ZAcceptInvitationInput } from '@impera/api/schemas'
import { Alert, Button, Field, Input } from '@impera/ui'
import { AuthLayout } from '../components/auth-layout'
import { useT } from '../i18n'
import { readForm, runAction } from '../lib/actions.server'
import { agencyCookie } from '../lib/cookies.server'
import { mergeErrors, useClientValidation, type FormResult } from '../lib/forms'

export async function loader({ params, context }: LoaderFunctionArgs) {
  const invitation = await context.app.services.getInvitationByToken(params.token ?? '')
  const identity = await context.scope.identity()
  if (!invitation) return data({ invitation: null, signedInAs: null }, { status: 404 })
  return { invitation, signedInAs: identity?.email ?? null }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const fd = await readForm(request)
  const identity = await context.scope.identity()
  const token = params.token ?? ''
  const invitation = await context.app.services.getInvitationByToken(token)
  const existing = invitation?.hasAccount ?? false
  const input = existing ? { token } : ZAcceptInvitationInput.safeParse({ ...Object.fromEntries(fd), token })
  if (!existing && 'success' in input && !input.success)
    return data<FormResult>(
      { fieldErrors: context.app.services.describeError(input.error).fieldErrors },
      { status: 400 },
    )
  return runAction(
    context,
    () =>
      context.app.services.acceptInvitation(
        { identity, ip: context.scope.ip },
        'success' in input ? input.data! : input,
      ),
    (accepted) => {
      const headers = new Headers({ 'set-cookie': agencyCookie(accepted.agencyId, context.app.env.production) })
      // A new account signs in with the password it just chose.
      return identity ? redirect('/app', { headers }) : redirect(`/login?redirectTo=/app`, { headers })
    },
  )
}

export default function AcceptInvitation() {
  const t = useT()
  const { invitation, signedInAs } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const navigation = useNavigation()
  const { token } = useParams()
  const { clientErrors, onSubmit } = useClientValidation('ZAcceptInvitationInput', (fd) => ({
    ...Object.fromEntries(fd),
    token,
  }))
  if (!invitation || invitation.state !== 'valid') {
    return (
      <AuthLayout title={t('invite.invalid')}>
        <Alert variant="destructive">{t(`invite.${invitation?.state ?? 'invalid'}`)}</Alert>
      </AuthLayout>
    )
  }
  const vars = { agency: invitation.agencyName, role: t(`roles.${invitation.role}`), email: invitation.email }
  const errors = (f: string) => mergeErrors(clientErrors, result, f)?.map((m) => t(m))
  const formError =
    result && 'formError' in result && result.formError ? (
      <Alert variant="destructive">{t(result.formError, vars)}</Alert>
    ) : null
  if (invitation.hasAccount) {
    const canAccept = signedInAs?.toLowerCase() === invitation.email.toLowerCase()
    return (
      <AuthLayout title={t('invite.title', vars)} description={t('invite.intro', vars)}>
        {formError}
        {canAccept ? (
          <Form method="post">
            <Button type="submit" className="w-full" loading={navigation.state === 'submitting'}>
              {t('invite.acceptExisting')}
            </Button>
          </Form>
        ) : (
          <div className="grid gap-3">
            <Alert>{t('invite.signInFirst', vars)}</Alert>
            <Button asChild>
              <Link to={`/login?redirectTo=${encodeURIComponent(`/invite/${token}`)}`}>{t('auth.submit')}</Link>
            </Button>
          </div>
        )}
      </AuthLayout>
    )
  }
  return (
    <AuthLayout title={t('invite.title', vars)} description={t('invite.intro', vars)}>
      <Form method="post" className="grid gap-4" noValidate onSubmit={onSubmit}>
        {formError}
        <Field label={t('invite.name')} errors={errors('name')}>
          {(p) => <Input {...p} name="name" autoComplete="name" required maxLength={120} autoFocus />}
        </Field>
        <Field label={t('auth.password')} hint={t('auth.passwordHint')} errors={errors('password')}>
          {(p) => <Input {...p} name="password" type="password" autoComplete="new-password" required minLength={8} />}
        </Field>
        <Field label={t('auth.confirmPassword')} errors={errors('confirm')}>
          {(p) => <Input {...p} name="confirm" type="password" autoComplete="new-password" required />}
        </Field>
        <Button type="submit" loading={navigation.state === 'submitting'}>
          {t('invite.submit')}
        </Button>
      </Form>
    </AuthLayout>
  )
}
