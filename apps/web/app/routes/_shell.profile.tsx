import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Form, useFetcher, useLoaderData } from '@remix-run/react'
import { notificationKinds, themes } from '@impera/api/schemas'
import { Badge, Button, Card, CardContent, CardHeader, CardTitle, Field, Input, Select } from '@impera/ui'
import { useEffect, useRef } from 'react'
import { PushDevices } from '../components/push-devices'
import { useResultToast } from '../components/use-result-toast'
import { useI18n } from '../i18n'
import { readForm, runAction } from '../lib/actions.server'
import { localeCookie } from '../lib/cookies.server'
import {
  formCheckbox,
  formText,
  fromForm,
  keyed,
  mergeErrors,
  useClientValidation,
  type FormResult,
  type RouterInputs,
} from '../lib/forms'
import { requireIdentity } from '../lib/session.server'
import { PageHeader } from '../components/page-header'

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireIdentity(context, request)
  const caller = await context.scope.caller()
  const [me, sessions, notificationPrefs, push, availability] = await Promise.all([
    caller.profile.me(),
    caller.profile.sessions(),
    caller.notifications.preferences().catch(() => null),
    // Push devices belong to a membership too (none outside an agency).
    caller.notifications.pushDevices().catch(() => null),
    // Only members of an agency take part in its lead distribution (decision 027).
    caller.distribution.myAvailability().catch(() => null),
  ])
  return {
    user: {
      name: me.user.name,
      email: me.user.email,
      phone: me.user.phone,
      locale: me.user.locale,
      theme: me.user.theme,
    },
    sessions,
    notificationPrefs,
    push,
    availability,
    authKind: context.app.env.authKind,
  }
}

const profileInput = (fd: FormData) =>
  fromForm<RouterInputs['profile']['update']>({
    name: formText(fd, 'name'),
    phone: formText(fd, 'phone'),
    locale: formText(fd, 'locale'),
  })

const passwordInput = (fd: FormData) =>
  fromForm<RouterInputs['profile']['changePassword']>({
    currentPassword: formText(fd, 'currentPassword'),
    password: formText(fd, 'password'),
    confirm: formText(fd, 'confirm'),
  })

export async function action({ request, context }: ActionFunctionArgs) {
  const fd = await readForm(request)
  const caller = await context.scope.caller()
  switch (fd.get('intent')) {
    case 'profile':
      return runAction(
        context,
        () => caller.profile.update(profileInput(fd)),
        (u) =>
          new Response(JSON.stringify({ ok: true, message: 'profile.saved' }), {
            headers: {
              'content-type': 'application/json',
              'set-cookie': localeCookie(u.locale, context.app.env.production),
            },
          }),
      )
    case 'theme':
      return runAction(
        context,
        () => caller.profile.setTheme(fromForm<RouterInputs['profile']['setTheme']>({ theme: formText(fd, 'theme') })),
        () => ({ ok: true }),
      )
    case 'password':
      return runAction(
        context,
        () => caller.profile.changePassword(passwordInput(fd)),
        () => ({ ok: true, message: 'profile.passwordChanged' }),
      )
    case 'notifications': {
      const prefs = keyed(notificationKinds, (k) => ({
        inApp: fd.get(`${k}.inApp`) === 'on',
        email: fd.get(`${k}.email`) === 'on',
        push: fd.get(`${k}.push`) === 'on',
      }))
      return runAction(
        context,
        () => caller.notifications.setPreferences(prefs),
        () => ({ ok: true, message: 'common.saved' }),
      )
    }
    case 'push-subscribe':
      return runAction(
        context,
        () =>
          caller.notifications.pushSubscribe(
            fromForm<RouterInputs['notifications']['pushSubscribe']>({
              endpoint: formText(fd, 'endpoint'),
              keys: { p256dh: formText(fd, 'p256dh'), auth: formText(fd, 'auth') },
            }),
          ),
        () => ({ ok: true, message: 'push.enabled' }),
      )
    case 'push-unsubscribe':
      return runAction(
        context,
        () => caller.notifications.pushUnsubscribe({ id: formText(fd, 'id') }),
        () => ({ ok: true, message: 'push.removed' }),
      )
    case 'availability':
      return runAction(
        context,
        async () => {
          const mine = await caller.distribution.myAvailability()
          return caller.distribution.setAvailability({
            userId: mine.userId,
            paused: formCheckbox(fd, 'paused'),
            workingHours: mine.workingHours,
          })
        },
        () => ({ ok: true, message: 'common.saved' }),
      )
    case 'revoke':
      return runAction(
        context,
        () => caller.profile.revokeSession({ sessionId: formText(fd, 'sessionId') }),
        () => ({ ok: true, message: 'profile.sessionRevoked' }),
      )
    default:
      return new Response('Unknown intent', { status: 400 })
  }
}

function ProfileForm() {
  const { t } = useI18n()
  const { user } = useLoaderData<typeof loader>()
  const fetcher = useFetcher<FormResult>()
  const { clientErrors, onSubmit } = useClientValidation('ZUpdateProfileInput', profileInput)
  useResultToast(fetcher.data)
  const errors = (f: string) => mergeErrors(clientErrors, fetcher.data, f)?.map((m) => t(m))
  return (
    <fetcher.Form method="post" className="grid gap-4" noValidate onSubmit={onSubmit}>
      <input type="hidden" name="intent" value="profile" />
      <p className="text-sm text-muted-foreground">{user.email}</p>
      <Field label={t('profile.name')} errors={errors('name')}>
        {(p) => <Input {...p} name="name" defaultValue={user.name} required maxLength={120} autoComplete="name" />}
      </Field>
      <Field label={t('profile.phone')} errors={errors('phone')}>
        {(p) => (
          <Input
            {...p}
            name="phone"
            type="tel"
            defaultValue={user.phone ?? ''}
            autoComplete="tel"
            placeholder="+55 11 91234-5678"
          />
        )}
      </Field>
      <Field label={t('profile.locale')} errors={errors('locale')}>
        {(p) => (
          <Select {...p} name="locale" defaultValue={user.locale}>
            <option value="pt-BR">Português (Brasil)</option>
            <option value="en">English</option>
          </Select>
        )}
      </Field>
      <Button type="submit" className="w-fit" loading={fetcher.state !== 'idle'}>
        {t('common.save')}
      </Button>
    </fetcher.Form>
  )
}

/**
 * Light, dark or the device's choice: applied as soon as it is picked (the page reads the pending choice), saved on the
 * person so every device they use follows.
 */
function ThemeForm() {
  const { t } = useI18n()
  const { user } = useLoaderData<typeof loader>()
  const fetcher = useFetcher<FormResult>({ key: 'theme' })
  const current = (fetcher.formData?.get('theme') as string | null) ?? user.theme
  return (
    <fetcher.Form method="post" onChange={(e) => fetcher.submit(e.currentTarget)}>
      <input type="hidden" name="intent" value="theme" />
      <fieldset className="grid gap-2">
        <legend className="mb-2 text-sm font-medium">{t('profile.theme.label')}</legend>
        <div className="flex flex-wrap gap-2">
          {themes.map((theme) => (
            <label
              key={theme}
              className="flex min-h-10 cursor-pointer items-center gap-2 rounded-md border px-3 text-sm has-checked:border-primary has-checked:bg-accent has-focus-visible:ring-2 has-focus-visible:ring-ring"
            >
              <input
                type="radio"
                name="theme"
                value={theme}
                defaultChecked={current === theme}
                className="accent-[var(--color-primary)]"
              />
              {t(`profile.theme.${theme}`)}
            </label>
          ))}
        </div>
      </fieldset>
      <noscript>
        <Button type="submit" size="sm" className="mt-2">
          {t('common.save')}
        </Button>
      </noscript>
    </fetcher.Form>
  )
}

function PasswordForm() {
  const { t } = useI18n()
  const fetcher = useFetcher<FormResult>()
  const form = useRef<HTMLFormElement>(null)
  const { clientErrors, onSubmit } = useClientValidation('ZChangePasswordInput', passwordInput)
  useResultToast(fetcher.data)
  useEffect(() => {
    if (fetcher.state === 'idle' && fetcher.data?.ok) form.current?.reset()
  }, [fetcher.state, fetcher.data])
  const errors = (f: string) => mergeErrors(clientErrors, fetcher.data, f)?.map((m) => t(m))
  return (
    <fetcher.Form method="post" ref={form} className="grid gap-4" noValidate onSubmit={onSubmit}>
      <input type="hidden" name="intent" value="password" />
      <Field label={t('profile.currentPassword')} errors={errors('currentPassword')}>
        {(p) => <Input {...p} name="currentPassword" type="password" autoComplete="current-password" required />}
      </Field>
      <Field label={t('auth.newPassword')} hint={t('auth.passwordHint')} errors={errors('password')}>
        {(p) => <Input {...p} name="password" type="password" autoComplete="new-password" required minLength={8} />}
      </Field>
      <Field label={t('auth.confirmPassword')} errors={errors('confirm')}>
        {(p) => <Input {...p} name="confirm" type="password" autoComplete="new-password" required />}
      </Field>
      <Button type="submit" className="w-fit" loading={fetcher.state !== 'idle'}>
        {t('common.save')}
      </Button>
    </fetcher.Form>
  )
}

function RevokeButton({ sessionId }: { sessionId: string }) {
  const { t } = useI18n()
  const fetcher = useFetcher<FormResult>()
  useResultToast(fetcher.data)
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="intent" value="revoke" />
      <input type="hidden" name="sessionId" value={sessionId} />
      <Button type="submit" size="sm" variant="outline" loading={fetcher.state !== 'idle'}>
        {t('profile.revoke')}
      </Button>
    </fetcher.Form>
  )
}

const channelLabel = {
  inApp: 'notifications.prefsInApp',
  email: 'notifications.prefsEmail',
  push: 'notifications.prefsPush',
} as const

/** Per kind of notification: in the bell, by e-mail, pushed to the member's devices (for the current agency). */
function NotificationPrefs({ prefs }: { prefs: Record<string, { inApp: boolean; email: boolean; push: boolean }> }) {
  const { t } = useI18n()
  const fetcher = useFetcher<FormResult>()
  useResultToast(fetcher.data)
  return (
    <fetcher.Form method="post" className="grid gap-3" data-testid="notification-prefs">
      <input type="hidden" name="intent" value="notifications" />
      <table className="w-full text-sm">
        <thead>
          <tr className="text-left text-muted-foreground">
            <th scope="col" className="py-1 font-medium">
              {t('notifications.prefsKind')}
            </th>
            <th scope="col" className="w-20 py-1 text-center font-medium">
              {t('notifications.prefsInApp')}
            </th>
            <th scope="col" className="w-20 py-1 text-center font-medium">
              {t('notifications.prefsEmail')}
            </th>
            <th scope="col" className="w-20 py-1 text-center font-medium">
              {t('notifications.prefsPush')}
            </th>
          </tr>
        </thead>
        <tbody>
          {notificationKinds.map((k) => (
            <tr key={k} className="border-t">
              <th scope="row" className="py-2 text-left font-normal">
                {t(`notifications.prefsKinds.${k}`)}
              </th>
              {(['inApp', 'email', 'push'] as const).map((channel) => (
                <td key={channel} className="text-center">
                  <input
                    type="checkbox"
                    name={`${k}.${channel}`}
                    defaultChecked={prefs[k]?.[channel]}
                    aria-label={`${t(`notifications.prefsKinds.${k}`)}: ${t(channelLabel[channel])}`}
                    className="size-4 accent-[var(--color-primary)]"
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="text-xs text-muted-foreground">{t('notifications.prefsHelp')}</p>
      <Button type="submit" className="w-fit" loading={fetcher.state !== 'idle'}>
        {t('common.save')}
      </Button>
    </fetcher.Form>
  )
}

/** "Férias": a member stops receiving new leads from the distribution until they come back. */
function AvailabilityForm({ paused }: { paused: boolean }) {
  const { t } = useI18n()
  const fetcher = useFetcher<FormResult>()
  useResultToast(fetcher.data)
  return (
    <fetcher.Form method="post" className="flex flex-wrap items-center justify-between gap-3">
      <input type="hidden" name="intent" value="availability" />
      <label className="flex items-start gap-2 text-sm">
        <input
          type="checkbox"
          name="paused"
          defaultChecked={paused}
          className="mt-0.5 size-4 accent-[var(--color-primary)]"
        />
        <span>
          {t('distribution.pauseMe')}
          <span className="block text-xs text-muted-foreground">{t('distribution.pauseMeHint')}</span>
        </span>
      </label>
      <Button type="submit" variant="outline" loading={fetcher.state !== 'idle'}>
        {t('common.save')}
      </Button>
    </fetcher.Form>
  )
}

export default function Profile() {
  const { t, dateTime } = useI18n()
  const { sessions, authKind, notificationPrefs, push, availability } = useLoaderData<typeof loader>()
  return (
    <div className="flex max-w-2xl min-w-0 flex-col gap-6">
      <PageHeader title={t('profile.title')} />
      <Card>
        <CardContent className="pt-4 sm:pt-6">
          <ProfileForm />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>{t('profile.theme.title')}</CardTitle>
        </CardHeader>
        <CardContent>
          <ThemeForm />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>{t('profile.passwordTitle')}</CardTitle>
        </CardHeader>
        <CardContent>
          <PasswordForm />
        </CardContent>
      </Card>
      {notificationPrefs ? (
        <Card>
          <CardHeader>
            <CardTitle>{t('notifications.prefsTitle')}</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-6">
            {push ? (
              <section className="grid gap-2" aria-labelledby="push-title">
                <h2 id="push-title" className="text-sm font-semibold">
                  {t('push.title')}
                </h2>
                <PushDevices publicKey={push.publicKey} devices={push.devices} />
              </section>
            ) : null}
            <NotificationPrefs prefs={notificationPrefs} />
          </CardContent>
        </Card>
      ) : null}
      {availability ? (
        <Card>
          <CardHeader>
            <CardTitle>{t('distribution.title')}</CardTitle>
          </CardHeader>
          <CardContent>
            <AvailabilityForm paused={availability.paused} />
          </CardContent>
        </Card>
      ) : null}
      <Card>
        <CardHeader>
          <CardTitle>{t('profile.sessionsTitle')}</CardTitle>
        </CardHeader>
        <CardContent className="grid grid-cols-[minmax(0,1fr)] gap-3">
          {authKind === 'supabase' ? (
            <p className="text-sm text-muted-foreground">{t('profile.supabaseSessions')}</p>
          ) : null}
          <ul className="grid grid-cols-[minmax(0,1fr)] gap-2">
            {sessions.map((s) => (
              <li
                key={s.id}
                className="flex flex-wrap items-center justify-between gap-2 rounded-md border p-3"
                data-testid="session-row"
              >
                <div className="min-w-0 flex-1">
                  <p className="truncate text-sm font-medium">
                    {s.userAgent ?? '—'} {s.current ? <Badge variant="success">{t('profile.thisDevice')}</Badge> : null}
                  </p>
                  <p className="text-xs text-muted-foreground">
                    {s.ip ?? ''} · {t('profile.lastSeen')} {dateTime(s.lastSeenAt)}
                  </p>
                </div>
                {s.current ? null : <RevokeButton sessionId={s.id} />}
              </li>
            ))}
          </ul>
          <Form method="post" action="/logout">
            <input type="hidden" name="scope" value="everywhere" />
            <Button type="submit" variant="destructive">
              {t('profile.revokeAll')}
            </Button>
          </Form>
        </CardContent>
      </Card>
    </div>
  )
}
