import { data, redirect, type ActionFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation, useParams } from '@remix-run/react'
import { ZCompletePasswordResetInput } from '@impera/api/schemas'
import { Alert, Button, Field, Input } from '@impera/ui'
import { AuthLayout } from '../components/auth-layout'
import { useT } from '../i18n'
import { mergeErrors, useClientValidation, type FormResult } from '../lib/forms'
import { readForm } from '../lib/actions.server'

export async function action({ request, params, context }: ActionFunctionArgs) {
  const fd = await readForm(request)
  const parsed = ZCompletePasswordResetInput.safeParse({ ...Object.fromEntries(fd), token: params.token })
  if (!parsed.success) {
    const d = context.app.services.describeError(parsed.error)
    return data<FormResult>(
      { fieldErrors: d.fieldErrors, formError: d.fieldErrors.token ? 'auth.resetInvalid' : undefined },
      { status: 400 },
    )
  }
  if (context.app.services.isCommonPassword(parsed.data.password))
    return data<FormResult>({ fieldErrors: { password: ['validation.passwordCommon'] } }, { status: 400 })
  const result = await context.app.auth.completePasswordReset(request, parsed.data.token, parsed.data.password)
  if (!result.ok) return data<FormResult>({ formError: 'auth.resetInvalid' }, { status: 400 })
  return redirect('/login?notice=reset', { headers: result.headers })
}

export default function ResetPassword() {
  const t = useT()
  const result = useActionData<typeof action>()
  const navigation = useNavigation()
  const { token } = useParams()
  const { clientErrors, onSubmit } = useClientValidation('ZCompletePasswordResetInput', (fd) => ({
    ...Object.fromEntries(fd),
    token,
  }))
  const errors = (f: string) => mergeErrors(clientErrors, result, f)?.map((m) => t(m))
  return (
    <AuthLayout title={t('auth.resetTitle')}>
      <Form method="post" className="grid gap-4" noValidate onSubmit={onSubmit}>
        {result?.formError ? (
          <Alert variant="destructive">
            {t(result.formError)}{' '}
            <Link to="/forgot-password" className="underline">
              {t('auth.forgotSubmit')}
            </Link>
          </Alert>
        ) : null}
        <Field label={t('auth.newPassword')} hint={t('auth.passwordHint')} errors={errors('password')}>
          {(p) => (
            <Input
              {...p}
              name="password"
              type="password"
              autoComplete="new-password"
              required
              minLength={8}
              autoFocus
            />
          )}
        </Field>
        <Field label={t('auth.confirmPassword')} errors={errors('confirm')}>
          {(p) => <Input {...p} name="confirm" type="password" autoComplete="new-password" required />}
        </Field>
        <Button type="submit" loading={navigation.state === 'submitting'}>
          {t('auth.resetSubmit')}
        </Button>
      </Form>
    </AuthLayout>
  )
}
