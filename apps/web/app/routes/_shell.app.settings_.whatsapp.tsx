import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Link, useFetcher, useLoaderData, useRevalidator } from '@remix-run/react'
import { Alert, Badge, Button, Card, CardContent, CardHeader, CardTitle, Field, Input, Select } from '@impera/ui'
import { aiModes, type AiMode } from '@impera/db/enums'
import { useEffect, useRef } from 'react'
import { useResultToast } from '../components/use-result-toast'
import { useI18n } from '../i18n'
import { readForm, runAction } from '../lib/actions.server'
import { fromForm, type FormResult, type RouterInputs } from '../lib/forms'
import { requirePermission } from '../lib/session.server'
import { PageHeader } from '../components/page-header'

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(context, request, 'agency.settings.update')
  const caller = await context.scope.caller()
  const [accounts, agency, visitConfirmation] = await Promise.all([
    caller.whatsapp.accounts(),
    caller.agency.get(),
    caller.tasks.visitConfirmation(),
  ])
  return { accounts, agencyAiMode: agency.aiMode, origin: context.app.env.origin, visitConfirmation }
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requirePermission(context, request, 'agency.settings.update')
  const fd = await readForm(request)
  const caller = await context.scope.caller()
  const text = (k: string) => String(fd.get(k) ?? '')
  switch (fd.get('intent')) {
    case 'sandbox':
      return runAction(
        context,
        () => caller.whatsapp.createAccount({ provider: 'sandbox', label: text('label') }),
        (r) => ({ ok: true, message: 'whatsapp.accountCreated', meta: { credentials: r.credentials } }),
      )
    case 'cloud':
      return runAction(
        context,
        () =>
          caller.whatsapp.createAccount({
            provider: 'cloud_api',
            label: text('label'),
            phoneNumberId: text('phoneNumberId'),
            displayNumber: text('displayNumber'),
            wabaId: text('wabaId'),
            accessToken: text('accessToken'),
            appSecret: text('appSecret'),
            verifyToken: text('verifyToken'),
          }),
        () => ({ ok: true, message: 'whatsapp.accountCreated' }),
      )
    case 'aiMode':
      return runAction(
        context,
        () =>
          caller.whatsapp.setAccountAiMode(
            fromForm<RouterInputs['whatsapp']['setAccountAiMode']>({ id: text('id'), aiMode: text('aiMode') || null }),
          ),
        () => ({ ok: true, message: 'whatsapp.control.accountModeSaved' }),
      )
    case 'throughput':
      return runAction(
        context,
        () =>
          caller.whatsapp.setAccountThroughput(
            fromForm<RouterInputs['whatsapp']['setAccountThroughput']>({
              id: text('id'),
              messagesPerSecond: Number(text('messagesPerSecond')),
            }),
          ),
        () => ({ ok: true, message: 'whatsapp.throughput.saved' }),
      )
    case 'resume':
      return runAction(
        context,
        () => caller.whatsapp.resumeAccount({ id: text('id') }),
        () => ({ ok: true, message: 'whatsapp.resumed' }),
      )
    case 'syncTemplates':
      return runAction(
        context,
        () => caller.whatsapp.syncTemplates({ id: text('id') }),
        () => ({ ok: true, message: 'whatsapp.templatesSyncQueued' }),
      )
    case 'visitConfirmation': {
      // One select carries both: "name|language", or '' for none.
      const [name, language] = text('template').split('|')
      return runAction(
        context,
        () => caller.tasks.setVisitConfirmation({ name: name || null, language: language || 'pt_BR' }),
        () => ({ ok: true, message: 'common.saved' }),
      )
    }
    default:
      return new Response('Unknown intent', { status: 400 })
  }
}

/** The template that confirms tomorrow's visits with their contacts (decision 026). */
function VisitConfirmationForm() {
  const { t } = useI18n()
  const { visitConfirmation } = useLoaderData<typeof loader>()
  const fetcher = useFetcher<FormResult>()
  useResultToast(fetcher.data)
  const current = visitConfirmation.template
    ? `${visitConfirmation.template.name}|${visitConfirmation.template.language}`
    : ''
  const errors = fetcher.data?.fieldErrors?.name?.map((m) => t(m))
  return (
    <fetcher.Form method="post" className="grid gap-3">
      <input type="hidden" name="intent" value="visitConfirmation" />
      <p className="text-sm text-muted-foreground">{t('tasks.confirmation.help')}</p>
      <Field label={t('tasks.confirmation.template')} errors={errors}>
        {(p) => (
          <Select {...p} name="template" defaultValue={current} className="sm:max-w-md">
            <option value="">{t('tasks.confirmation.none')}</option>
            {visitConfirmation.templates.map((tpl) => (
              <option key={`${tpl.name}|${tpl.language}`} value={`${tpl.name}|${tpl.language}`}>
                {tpl.name} ({tpl.language})
              </option>
            ))}
          </Select>
        )}
      </Field>
      {visitConfirmation.templates.length === 0 ? (
        <p className="text-sm text-muted-foreground">{t('tasks.confirmation.noTemplates')}</p>
      ) : null}
      <Button type="submit" size="sm" className="w-fit" loading={fetcher.state !== 'idle'}>
        {t('common.save')}
      </Button>
    </fetcher.Form>
  )
}

function SandboxForm() {
  const { t } = useI18n()
  const fetcher = useFetcher<FormResult>()
  useResultToast(fetcher.data)
  const credentials = fetcher.data?.meta?.credentials as { appSecret: string; verifyToken: string } | null | undefined
  return (
    <fetcher.Form method="post" className="grid gap-2">
      <input type="hidden" name="intent" value="sandbox" />
      <Field label={t('whatsapp.label')} errors={fetcher.data?.fieldErrors?.label?.map((m) => t(m))}>
        {(p) => <Input {...p} name="label" required defaultValue="Sandbox" />}
      </Field>
      <Button type="submit" variant="outline" className="w-fit" loading={fetcher.state !== 'idle'}>
        {t('whatsapp.addSandbox')}
      </Button>
      {credentials ? (
        <Alert variant="success">
          {t('whatsapp.credentialsOnce', { secret: credentials.appSecret, token: credentials.verifyToken })}
        </Alert>
      ) : null}
    </fetcher.Form>
  )
}

function CloudForm() {
  const { t } = useI18n()
  const fetcher = useFetcher<FormResult>()
  useResultToast(fetcher.data)
  const errors = (f: string) => fetcher.data?.fieldErrors?.[f]?.map((m) => t(m))
  const field = (name: string, type = 'text') => (
    <Field label={t(`whatsapp.${name}`)} errors={errors(name)}>
      {(p) => <Input {...p} name={name} type={type} required={name !== 'wabaId'} autoComplete="off" />}
    </Field>
  )
  return (
    <fetcher.Form method="post" className="grid gap-3 sm:grid-cols-2">
      <input type="hidden" name="intent" value="cloud" />
      {field('label')}
      {field('displayNumber')}
      {field('phoneNumberId')}
      {field('wabaId')}
      {field('accessToken', 'password')}
      {field('appSecret', 'password')}
      {field('verifyToken', 'password')}
      <Button type="submit" className="w-fit self-end" loading={fetcher.state !== 'idle'}>
        {t('whatsapp.addCloud')}
      </Button>
    </fetcher.Form>
  )
}

/**
 * The AI mode a number's new conversations start with (decision 019); empty follows the agency's. Open conversations
 * keep theirs, as the hint says.
 */
function AiModeForm({ id, aiMode }: { id: string; aiMode: AiMode | null }) {
  const { t } = useI18n()
  const { agencyAiMode } = useLoaderData<typeof loader>()
  const fetcher = useFetcher<FormResult>()
  useResultToast(fetcher.data)
  const agencyMode = t(`whatsapp.control.mode.${agencyAiMode}`)
  return (
    <fetcher.Form method="post" className="grid gap-2 pt-1" data-testid="account-ai-mode">
      <input type="hidden" name="intent" value="aiMode" />
      <input type="hidden" name="id" value={id} />
      <Field
        label={t('whatsapp.control.modeLabel')}
        hint={t('whatsapp.control.accountModeHint', { mode: agencyMode })}
        errors={fetcher.data?.fieldErrors?.aiMode?.map((m) => t(m))}
      >
        {(p) => (
          <span className="flex flex-wrap items-center gap-2">
            <Select {...p} name="aiMode" defaultValue={aiMode ?? ''} className="w-auto max-w-full">
              <option value="">{t('whatsapp.control.modeInheritWith', { mode: agencyMode })}</option>
              {aiModes.map((m) => (
                <option key={m} value={m}>
                  {t(`whatsapp.control.mode.${m}`)}
                </option>
              ))}
            </Select>
            <Button type="submit" size="sm" variant="outline" loading={fetcher.state !== 'idle'}>
              {t('common.save')}
            </Button>
          </span>
        )}
      </Field>
    </fetcher.Form>
  )
}

/** Meta's tiers of a number's throughput (decision 049); a rate set otherwise (through the API) is kept as it is. */
const THROUGHPUTS = [
  [20, 'coexistence'],
  [80, 'standard'],
  [1000, 'upgraded'],
] as const

function ThroughputForm({ id, messagesPerSecond }: { id: string; messagesPerSecond: number }) {
  const { t } = useI18n()
  const fetcher = useFetcher<FormResult>()
  useResultToast(fetcher.data)
  const known = THROUGHPUTS.some(([rate]) => rate === messagesPerSecond)
  return (
    <fetcher.Form method="post" className="grid gap-2 pt-1" data-testid="account-throughput">
      <input type="hidden" name="intent" value="throughput" />
      <input type="hidden" name="id" value={id} />
      <Field
        label={t('whatsapp.throughput.label')}
        hint={t('whatsapp.throughput.hint')}
        errors={fetcher.data?.fieldErrors?.messagesPerSecond?.map((m) => t(m))}
      >
        {(p) => (
          <span className="flex flex-wrap items-center gap-2">
            <Select
              {...p}
              name="messagesPerSecond"
              defaultValue={String(messagesPerSecond)}
              className="w-auto max-w-full min-w-0"
            >
              {known ? null : (
                <option value={messagesPerSecond}>
                  {t('whatsapp.throughput.other', { count: messagesPerSecond })}
                </option>
              )}
              {THROUGHPUTS.map(([rate, tier]) => (
                <option key={rate} value={rate}>
                  {t(`whatsapp.throughput.${tier}`)}
                </option>
              ))}
            </Select>
            <Button type="submit" size="sm" variant="outline" loading={fetcher.state !== 'idle'}>
              {t('common.save')}
            </Button>
          </span>
        )}
      </Field>
    </fetcher.Form>
  )
}

function ResumeButton({ id }: { id: string }) {
  const { t } = useI18n()
  const fetcher = useFetcher<FormResult>()
  useResultToast(fetcher.data)
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="intent" value="resume" />
      <input type="hidden" name="id" value={id} />
      <Button type="submit" size="sm" loading={fetcher.state !== 'idle'}>
        {t('whatsapp.resume')}
      </Button>
    </fetcher.Form>
  )
}

/** The number's templates: when they were last fetched (or why not), and a button to fetch them now. */
function TemplatesLine({ id, syncedAt, error }: { id: string; syncedAt: string | Date | null; error: string | null }) {
  const { t, dateTime } = useI18n()
  const fetcher = useFetcher<FormResult>()
  const { revalidate } = useRevalidator()
  const again = useRef(revalidate)
  again.current = revalidate
  useResultToast(fetcher.data)
  // The worker fetches them within seconds: look again shortly, without a reload.
  useEffect(() => {
    if (fetcher.state !== 'idle' || !fetcher.data?.ok) return
    const timers = [1_500, 5_000].map((ms) => setTimeout(() => again.current(), ms))
    return () => timers.forEach(clearTimeout)
  }, [fetcher.state, fetcher.data])
  return (
    <span className="flex flex-wrap items-center gap-2 text-xs" data-testid="templates-line">
      <span className={error ? 'text-destructive' : 'text-muted-foreground'}>
        {error
          ? t('whatsapp.templatesError', { reason: error })
          : syncedAt
            ? t('whatsapp.templatesSynced', { at: dateTime(syncedAt) })
            : t('whatsapp.templatesNever')}
      </span>
      <fetcher.Form method="post">
        <input type="hidden" name="intent" value="syncTemplates" />
        <input type="hidden" name="id" value={id} />
        <Button type="submit" size="sm" variant="outline" loading={fetcher.state !== 'idle'}>
          {t('whatsapp.syncTemplates')}
        </Button>
      </fetcher.Form>
    </span>
  )
}

export default function WhatsappSettings() {
  const { t } = useI18n()
  const { accounts, origin } = useLoaderData<typeof loader>()
  return (
    <div className="flex max-w-4xl min-w-0 flex-col gap-4">
      <PageHeader back={{ to: '/app/inbox', label: t('whatsapp.title') }} title={t('whatsapp.accountsTitle')} />
      <p className="text-sm text-muted-foreground">{t('whatsapp.accountsHelp')}</p>
      <Card>
        <CardContent className="grid gap-3 pt-4 sm:pt-6">
          {accounts.length === 0 ? <p className="text-muted-foreground">{t('whatsapp.noAccounts')}</p> : null}
          <ul className="grid gap-3" data-testid="whatsapp-accounts">
            {accounts.map((a) => (
              <li key={a.id} className="grid gap-1 rounded-md border p-3 text-sm">
                <span className="flex flex-wrap items-center gap-2 font-medium">
                  {a.label} · {a.displayNumber}
                  <Badge variant="outline">{a.provider === 'sandbox' ? 'Sandbox' : 'Cloud API'}</Badge>
                </span>
                <span className="text-xs break-all text-muted-foreground">
                  {t('whatsapp.webhookUrl')}: {origin}/webhooks/whatsapp/{a.id}
                </span>
                <TemplatesLine id={a.id} syncedAt={a.templatesSyncedAt} error={a.templatesError} />
                <AiModeForm id={a.id} aiMode={a.aiMode} />
                <ThroughputForm id={a.id} messagesPerSecond={a.messagesPerSecond} />
                {a.pausedReason ? (
                  <span className="flex flex-wrap items-center gap-2 text-destructive">
                    {t('whatsapp.paused', { reason: a.pausedReason })}
                    <ResumeButton id={a.id} />
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>{t('whatsapp.leadRuleTitle')}</CardTitle>
        </CardHeader>
        <CardContent className="flex flex-wrap items-center justify-between gap-3 text-sm">
          <p className="text-muted-foreground">{t('whatsapp.leadRuleHelp')}</p>
          <Link to="/app/settings/distribution" className="font-medium underline">
            {t('distribution.title')}
          </Link>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>{t('tasks.confirmation.title')}</CardTitle>
        </CardHeader>
        <CardContent>
          <VisitConfirmationForm />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>{t('whatsapp.addSandbox')}</CardTitle>
        </CardHeader>
        <CardContent>
          <SandboxForm />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>{t('whatsapp.addCloud')}</CardTitle>
        </CardHeader>
        <CardContent>
          <CloudForm />
        </CardContent>
      </Card>
    </div>
  )
}
