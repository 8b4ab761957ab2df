import { data, type ActionFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation } from '@remix-run/react'
import { ZRequestPasswordResetInput } from '@impera/api/schemas'
import { Alert, Button, Field, Input } from '@impera/ui'
import { AuthLayout } from '../components/auth-layout'
import { useI18n } from '../i18n'
import { mergeErrors, useClientValidation, type FormResult } from '../lib/forms'
import { readForm } from '../lib/actions.server'

export async function action({ request, context }: ActionFunctionArgs) {
  const fd = await readForm(request)
  const parsed = ZRequestPasswordResetInput.safeParse(Object.fromEntries(fd))
  if (!parsed.success)
    return data<FormResult>(
      { fieldErrors: context.app.services.describeError(parsed.error).fieldErrors },
      { status: 400 },
    )
  const origin = context.app.env.origin
  await context.app.auth.requestPasswordReset(request, parsed.data.email, {
    resetUrl: (token) => `${origin}/reset-password/${token}`,
    locale: String(fd.get('locale') ?? 'pt-BR'),
  })
  // Same answer whether or not the account exists; the e-mail leaves through the queue.
  return data<FormResult>({ ok: true, message: 'auth.forgotSent' })
}

export default function ForgotPassword() {
  const { t, locale } = useI18n()
  const result = useActionData<typeof action>()
  const navigation = useNavigation()
  const { clientErrors, onSubmit } = useClientValidation('ZRequestPasswordResetInput')
  return (
    <AuthLayout title={t('auth.forgotTitle')} description={t('auth.forgotHelp')}>
      {result?.ok ? (
        <div className="grid gap-4">
          <Alert variant="success">{t('auth.forgotSent')}</Alert>
          <Link to="/login" className="text-center text-sm text-primary hover:underline">
            {t('auth.backToLogin')}
          </Link>
        </div>
      ) : (
        <Form method="post" className="grid gap-4" noValidate onSubmit={onSubmit}>
          <input type="hidden" name="locale" value={locale} />
          <Field label={t('auth.email')} errors={mergeErrors(clientErrors, result, 'email')?.map((m) => t(m))}>
            {(p) => <Input {...p} name="email" type="email" autoComplete="email" required autoFocus />}
          </Field>
          <Button type="submit" loading={navigation.state === 'submitting'}>
            {t('auth.forgotSubmit')}
          </Button>
          <Link to="/login" className="text-center text-sm text-primary hover:underline">
            {t('auth.backToLogin')}
          </Link>
        </Form>
      )}
    </AuthLayout>
  )
}
