import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { logoUrl } from '@impera/api/branding'
import { Link, useFetcher, useLoaderData } from '@remix-run/react'
import { aiModes, aiProviders } from '@impera/db/enums'
import {
  Button,
  Card,
  CardContent,
  CardHeader,
  CardTitle,
  Field,
  Input,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@impera/ui'
import { AgencyLogo } from '../components/agency-logo'
import { useResultToast } from '../components/use-result-toast'
import { useI18n } from '../i18n'
import { readForm, runAction } from '../lib/actions.server'
import {
  formCheckbox,
  formText,
  fromForm,
  mergeErrors,
  useClientValidation,
  type FormResult,
  type RouterInputs,
} from '../lib/forms'
import { requirePermission } from '../lib/session.server'
import { PageHeader } from '../components/page-header'
import { numberFormat } from '../lib/intl'

/** The week as agencies read it, Monday first. */
const weekOrder = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
const currencies = ['BRL', 'USD', 'EUR', 'ARS', 'CLP', 'COP', 'MXN', 'PYG', 'UYU', 'PEN'] as const
const toInput = (fd: FormData) =>
  fromForm<RouterInputs['agency']['updateSettings']>({
    name: formText(fd, 'name'),
    licenseNumber: formText(fd, 'licenseNumber'),
    // A colour input always holds a colour: the box says whether to use it.
    brandColor: formCheckbox(fd, 'brandColorOn') ? formText(fd, 'brandColor') : '',
    locale: formText(fd, 'locale'),
    currency: formText(fd, 'currency'),
    defaultPhoneCountry: formText(fd, 'defaultPhoneCountry'),
    timezone: formText(fd, 'timezone'),
    agentsSeeAll: formCheckbox(fd, 'agentsSeeAll'),
    contactedOnFirstReply: formCheckbox(fd, 'contactedOnFirstReply'),
    contactSlaHours: formText(fd, 'contactSlaHours'),
    staleReservedDays: formText(fd, 'staleReservedDays'),
    aiMode: formText(fd, 'aiMode'),
    aiReturnAfterHours: formText(fd, 'aiReturnAfterHours'),
    aiReturnBusinessHours: formCheckbox(fd, 'aiReturnBusinessHours'),
    businessHours: Object.fromEntries(weekOrder.map((d) => [d, formText(fd, `businessHours.${d}`)])) as Record<
      (typeof weekOrder)[number],
      string
    >,
  })

const toAiInput = (fd: FormData) =>
  fromForm<RouterInputs['agency']['updateAiSettings']>({
    aiProvider: formText(fd, 'aiProvider'),
    aiTurnDeadlineSeconds: formText(fd, 'aiTurnDeadlineSeconds'),
    aiDebounceMs: formText(fd, 'aiDebounceMs'),
    aiMaxBotStreak: formText(fd, 'aiMaxBotStreak'),
    aiMaxBotPerMinute: formText(fd, 'aiMaxBotPerMinute'),
    aiHandoffPhrases: formText(fd, 'aiHandoffPhrases'),
    aiOptOutWords: formText(fd, 'aiOptOutWords'),
  })

const toModelInput = (fd: FormData) =>
  fromForm<RouterInputs['agency']['setAiModel']>({
    baseUrl: formText(fd, 'baseUrl'),
    model: formText(fd, 'model'),
    apiKey: formText(fd, 'apiKey'),
    clearKey: formCheckbox(fd, 'clearKey'),
    timeoutSeconds: formText(fd, 'timeoutSeconds'),
  })

const toFaqInput = (fd: FormData) =>
  fromForm<RouterInputs['agency']['createFaq']>({
    question: formText(fd, 'question'),
    answer: formText(fd, 'answer'),
    keywords: formText(fd, 'keywords'),
    enabled: formCheckbox(fd, 'enabled'),
  })

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(context, request, 'agency.settings.update')
  const caller = await context.scope.caller()
  const [agency, audit, aiModel, faq] = await Promise.all([
    caller.agency.get(),
    caller.agency.auditLog(),
    caller.agency.aiModel(),
    caller.agency.faq(),
  ])
  return { agency, audit: audit.slice(0, 30), aiModel, faq, timezones: Intl.supportedValuesOf('timeZone') }
}

/** What "Testar conexão" answers, shown under the form (not a toast: the error is the point). */
type ModelTestResult = FormResult & {
  test?: { ok: true; latencyMs: number; model: string } | { ok: false; outcome: string; error: string }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const fd = await readForm(request)
  const caller = await context.scope.caller()
  if (fd.get('intent') === 'faqCreate')
    return runAction(
      context,
      () => caller.agency.createFaq(toFaqInput(fd)),
      () => ({ ok: true, message: 'common.saved' }),
    )
  if (fd.get('intent') === 'faqUpdate')
    return runAction(
      context,
      () => caller.agency.updateFaq({ ...toFaqInput(fd), id: formText(fd, 'id') }),
      () => ({ ok: true, message: 'common.saved' }),
    )
  if (fd.get('intent') === 'faqDelete')
    return runAction(
      context,
      () => caller.agency.deleteFaq({ id: formText(fd, 'id') }),
      () => ({ ok: true, message: 'settings.faq.deleted' }),
    )
  if (fd.get('intent') === 'aiModel')
    return runAction(
      context,
      () => caller.agency.setAiModel(toModelInput(fd)),
      () => ({ ok: true, message: 'common.saved' }),
    )
  if (fd.get('intent') === 'aiModelTest')
    return runAction(
      context,
      () => caller.agency.testAiModel(),
      (test): ModelTestResult => ({ ok: true, test }),
    )
  if (fd.get('intent') === 'removeLogo')
    return runAction(
      context,
      () => caller.agency.removeLogo(),
      () => ({ ok: true, message: 'settings.logoRemoved' }),
    )
  if (fd.get('intent') === 'ai')
    return runAction(
      context,
      () => caller.agency.updateAiSettings(toAiInput(fd)),
      () => ({ ok: true, message: 'common.saved' }),
    )
  const input = toInput(fd)
  return runAction(
    context,
    () => caller.agency.updateSettings(input),
    () => ({ ok: true, message: 'common.saved' }),
  )
}

export default function Settings() {
  const { t, dateTime } = useI18n()
  const { agency, audit, timezones } = useLoaderData<typeof loader>()
  const fetcher = useFetcher<FormResult>()
  const { clientErrors, onSubmit } = useClientValidation('ZUpdateAgencySettingsInput', toInput)
  useResultToast(fetcher.data)
  const errors = (f: string) => mergeErrors(clientErrors, fetcher.data, f)?.map((m) => t(m))
  return (
    <div className="flex max-w-3xl min-w-0 flex-col gap-6">
      <PageHeader
        title={t('settings.title')}
        controls={
          <nav aria-label={t('settings.more')} className="flex flex-wrap gap-2 text-sm">
            <Link to="/app/settings/whatsapp" className="underline">
              {t('whatsapp.accountsTitle')}
            </Link>
            <Link to="/app/settings/distribution" className="underline">
              {t('distribution.title')}
            </Link>
            <Link to="/app/settings/integrations" className="underline">
              {t('integrations.title')}
            </Link>
            <Link to="/app/settings/webhooks" className="underline">
              {t('webhooks.title')}
            </Link>
            <Link to="/app/settings/portals" className="underline">
              {t('portals.link')}
            </Link>
            <Link to="/app/settings/export" className="underline">
              {t('agencyExport.link')}
            </Link>
          </nav>
        }
      />
      <Card>
        <CardContent className="pt-4 sm:pt-6">
          <fetcher.Form method="post" className="grid gap-4 sm:grid-cols-2" noValidate onSubmit={onSubmit}>
            <Field label={t('settings.name')} errors={errors('name')} className="sm:col-span-2">
              {(p) => <Input {...p} name="name" defaultValue={agency.name} required maxLength={120} />}
            </Field>
            <Field
              label={t('settings.licenseNumber')}
              hint={t('settings.licenseNumberHint')}
              errors={errors('licenseNumber')}
              className="sm:col-span-2"
            >
              {(p) => <Input {...p} name="licenseNumber" defaultValue={agency.licenseNumber ?? ''} maxLength={40} />}
            </Field>
            <fieldset className="grid gap-1.5 sm:col-span-2" data-testid="brand-color">
              <legend className="mb-1.5 text-sm font-medium">{t('settings.brandColor')}</legend>
              <div className="flex flex-wrap items-center gap-3">
                <label className="flex items-center gap-2 text-sm">
                  <input
                    type="checkbox"
                    name="brandColorOn"
                    defaultChecked={!!agency.brandColor}
                    className="size-4 accent-[var(--color-primary)]"
                  />
                  {t('settings.brandColorOn')}
                </label>
                <input
                  type="color"
                  name="brandColor"
                  defaultValue={agency.brandColor ?? '#0b6e4f'}
                  aria-label={t('settings.brandColor')}
                  className="h-10 w-16 cursor-pointer rounded-md border border-input bg-background p-1"
                />
              </div>
              <p className="text-xs text-muted-foreground">{t('settings.brandColorHint')}</p>
              {errors('brandColor') ? (
                <p role="alert" className="text-sm text-destructive">
                  {errors('brandColor')!.join(' ')}
                </p>
              ) : null}
            </fieldset>
            <Field label={t('settings.locale')} errors={errors('locale')}>
              {(p) => (
                <Select {...p} name="locale" defaultValue={agency.locale}>
                  <option value="pt-BR">Português (Brasil)</option>
                  <option value="en">English</option>
                </Select>
              )}
            </Field>
            <Field label={t('settings.currency')} errors={errors('currency')}>
              {(p) => (
                <Select {...p} name="currency" defaultValue={agency.currency}>
                  {currencies.map((c) => (
                    <option key={c}>{c}</option>
                  ))}
                </Select>
              )}
            </Field>
            <Field
              label={t('settings.country')}
              hint={t('settings.countryHint')}
              errors={errors('defaultPhoneCountry')}
            >
              {(p) => (
                <Input
                  {...p}
                  name="defaultPhoneCountry"
                  defaultValue={agency.defaultPhoneCountry}
                  maxLength={2}
                  className="uppercase"
                />
              )}
            </Field>
            <Field label={t('settings.timezone')} errors={errors('timezone')}>
              {(p) => (
                <Select {...p} name="timezone" defaultValue={agency.timezone}>
                  {timezones.map((tz) => (
                    <option key={tz}>{tz}</option>
                  ))}
                </Select>
              )}
            </Field>
            <Field
              label={t('settings.contactSlaHours')}
              hint={t('settings.contactSlaHoursHint')}
              errors={errors('contactSlaHours')}
            >
              {(p) => (
                <Input
                  {...p}
                  name="contactSlaHours"
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={720}
                  defaultValue={agency.contactSlaHours}
                />
              )}
            </Field>
            <Field label={t('settings.aiMode')} hint={t('settings.aiModeHint')} errors={errors('aiMode')}>
              {(p) => (
                <Select {...p} name="aiMode" defaultValue={agency.aiMode}>
                  {aiModes.map((m) => (
                    <option key={m} value={m}>
                      {t(`whatsapp.control.mode.${m}`)}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <Field
              label={t('settings.aiReturnAfterHours')}
              hint={t('settings.aiReturnAfterHoursHint')}
              errors={errors('aiReturnAfterHours')}
            >
              {(p) => (
                <Input
                  {...p}
                  name="aiReturnAfterHours"
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={720}
                  defaultValue={agency.aiReturnAfterHours ?? ''}
                />
              )}
            </Field>
            <label className="flex items-center gap-2 text-sm sm:col-span-2">
              <input
                type="checkbox"
                name="aiReturnBusinessHours"
                defaultChecked={agency.aiReturnBusinessHours}
                className="size-4 accent-[var(--color-primary)]"
              />
              {t('settings.aiReturnBusinessHours')}
            </label>
            <fieldset className="grid gap-3 sm:col-span-2 sm:grid-cols-2" data-testid="business-hours">
              <legend className="mb-1 text-sm font-medium">{t('settings.businessHours.title')}</legend>
              <p className="text-xs text-muted-foreground sm:col-span-2">{t('settings.businessHours.hint')}</p>
              {weekOrder.map((d) => (
                <Field key={d} label={t(`settings.businessHours.days.${d}`)}>
                  {(p) => (
                    <Input
                      {...p}
                      name={`businessHours.${d}`}
                      placeholder={t('settings.businessHours.closed')}
                      defaultValue={agency.businessHours[d].join(', ')}
                    />
                  )}
                </Field>
              ))}
              {errors('businessHours')?.length ? (
                <p role="alert" className="text-sm text-destructive sm:col-span-2">
                  {errors('businessHours')!.join(' ')}
                </p>
              ) : null}
            </fieldset>
            <Field
              label={t('settings.staleReservedDays')}
              hint={t('settings.staleReservedDaysHint')}
              errors={errors('staleReservedDays')}
            >
              {(p) => (
                <Input
                  {...p}
                  name="staleReservedDays"
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={365}
                  defaultValue={agency.staleReservedDays}
                />
              )}
            </Field>
            <label className="flex items-center gap-2 text-sm sm:col-span-2">
              <input
                type="checkbox"
                name="agentsSeeAll"
                defaultChecked={agency.agentsSeeAll}
                className="size-4 accent-[var(--color-primary)]"
              />
              {t('settings.agentsSeeAll')}
            </label>
            <label className="flex items-center gap-2 text-sm sm:col-span-2">
              <input
                type="checkbox"
                name="contactedOnFirstReply"
                defaultChecked={agency.contactedOnFirstReply}
                className="size-4 accent-[var(--color-primary)]"
              />
              {t('settings.contactedOnFirstReply')}
            </label>
            <Button type="submit" className="w-fit" loading={fetcher.state !== 'idle'}>
              {t('common.save')}
            </Button>
          </fetcher.Form>
        </CardContent>
      </Card>
      <AgencyLogo logoUrl={logoUrl(agency.logoKey)} />
      <AiSettings />
      <FaqSettings />
      <AiModelSettings />
      <Card>
        <CardHeader>
          <CardTitle>{t('settings.audit')}</CardTitle>
        </CardHeader>
        <CardContent>
          {audit.length === 0 ? (
            <p className="text-muted-foreground">{t('settings.auditEmpty')}</p>
          ) : (
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>{t('settings.when')}</TableHead>
                  <TableHead>{t('settings.who')}</TableHead>
                  <TableHead>{t('settings.what')}</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {audit.map((a) => (
                  <TableRow key={a.id}>
                    <TableCell className="whitespace-nowrap">{dateTime(a.at)}</TableCell>
                    <TableCell>{a.actorName ?? '—'}</TableCell>
                    <TableCell>
                      <code className="text-xs">{a.action}</code>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>
    </div>
  )
}

/** The AI agent (decision 020): who answers in auto, how long an external agent may take, the guards and words. */
function AiSettings() {
  const { t } = useI18n()
  const { agency } = useLoaderData<typeof loader>()
  const fetcher = useFetcher<FormResult>()
  const { clientErrors, onSubmit } = useClientValidation('ZAgencyAiSettingsInput', toAiInput)
  useResultToast(fetcher.data)
  const errors = (f: string) => mergeErrors(clientErrors, fetcher.data, f)?.map((m) => t(m))
  const count = (name: keyof typeof agency, min: number, max: number) => (
    <Field label={t(`settings.ai.${name as 'aiDebounceMs'}`)} errors={errors(name)}>
      {(p) => (
        <Input
          {...p}
          name={name}
          type="number"
          inputMode="numeric"
          min={min}
          max={max}
          defaultValue={String(agency[name])}
        />
      )}
    </Field>
  )
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t('settings.ai.title')}</CardTitle>
      </CardHeader>
      <CardContent>
        <fetcher.Form
          method="post"
          className="grid gap-4 sm:grid-cols-2"
          noValidate
          onSubmit={onSubmit}
          data-testid="ai-settings"
        >
          <input type="hidden" name="intent" value="ai" />
          <Field
            label={t('settings.ai.aiProvider')}
            hint={t('settings.ai.aiProviderHint')}
            errors={errors('aiProvider')}
            className="sm:col-span-2"
          >
            {(p) => (
              <Select {...p} name="aiProvider" defaultValue={agency.aiProvider}>
                {aiProviders.map((m) => (
                  <option key={m} value={m}>
                    {t(`settings.ai.providers.${m}`)}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          {count('aiTurnDeadlineSeconds', 10, 3600)}
          {count('aiDebounceMs', 0, 30_000)}
          {count('aiMaxBotStreak', 1, 50)}
          {count('aiMaxBotPerMinute', 1, 60)}
          <Field
            label={t('settings.ai.aiHandoffPhrases')}
            hint={t('settings.ai.listHint')}
            errors={errors('aiHandoffPhrases')}
          >
            {(p) => (
              <textarea
                {...p}
                name="aiHandoffPhrases"
                rows={4}
                className="rounded-md border bg-background px-3 py-2 text-sm focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
                defaultValue={agency.aiHandoffPhrases.join('\n')}
              />
            )}
          </Field>
          <Field
            label={t('settings.ai.aiOptOutWords')}
            hint={t('settings.ai.listHint')}
            errors={errors('aiOptOutWords')}
          >
            {(p) => (
              <textarea
                {...p}
                name="aiOptOutWords"
                rows={4}
                className="rounded-md border bg-background px-3 py-2 text-sm focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
                defaultValue={agency.aiOptOutWords.join('\n')}
              />
            )}
          </Field>
          <Button type="submit" className="w-fit" loading={fetcher.state !== 'idle'}>
            {t('common.save')}
          </Button>
        </fetcher.Form>
      </CardContent>
    </Card>
  )
}

/** The language model behind the `openai_compatible` provider (decision 021): its address, model, key, and usage. */
function AiModelSettings() {
  const { t, locale, dateTime } = useI18n()
  const number = (n: number) => numberFormat(locale).format(n)
  const { aiModel } = useLoaderData<typeof loader>()
  const { model, usage } = aiModel
  const fetcher = useFetcher<ModelTestResult>()
  const tester = useFetcher<ModelTestResult>()
  const { clientErrors, onSubmit } = useClientValidation('ZAiModelInput', toModelInput)
  useResultToast(fetcher.data)
  useResultToast(tester.data?.test ? undefined : tester.data)
  const errors = (f: string) => mergeErrors(clientErrors, fetcher.data, f)?.map((m) => t(m))
  const test = tester.data?.test
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t('settings.aiModel.title')}</CardTitle>
        <p className="text-sm text-muted-foreground">{t('settings.aiModel.intro')}</p>
      </CardHeader>
      <CardContent className="flex flex-col gap-6">
        <fetcher.Form
          method="post"
          className="grid gap-4 sm:grid-cols-2"
          noValidate
          onSubmit={onSubmit}
          data-testid="ai-model"
        >
          <input type="hidden" name="intent" value="aiModel" />
          <Field
            label={t('settings.aiModel.baseUrl')}
            hint={t('settings.aiModel.baseUrlHint')}
            errors={errors('baseUrl')}
            className="sm:col-span-2"
          >
            {(p) => (
              <Input
                {...p}
                name="baseUrl"
                type="url"
                inputMode="url"
                required
                maxLength={2000}
                placeholder="https://api.openai.com/v1"
                defaultValue={model?.baseUrl ?? ''}
              />
            )}
          </Field>
          <Field label={t('settings.aiModel.model')} hint={t('settings.aiModel.modelHint')} errors={errors('model')}>
            {(p) => <Input {...p} name="model" required maxLength={200} defaultValue={model?.model ?? ''} />}
          </Field>
          <Field
            label={t('settings.aiModel.timeoutSeconds')}
            hint={t('settings.aiModel.timeoutHint')}
            errors={errors('timeoutSeconds')}
          >
            {(p) => (
              <Input
                {...p}
                name="timeoutSeconds"
                type="number"
                inputMode="numeric"
                min={2}
                max={120}
                defaultValue={String(model?.timeoutSeconds ?? 20)}
              />
            )}
          </Field>
          <Field
            label={t('settings.aiModel.apiKey')}
            hint={
              model?.apiKeyHint
                ? t('settings.aiModel.apiKeySaved', { hint: model.apiKeyHint })
                : t('settings.aiModel.apiKeyHint')
            }
            errors={errors('apiKey')}
            className="sm:col-span-2"
          >
            {(p) => (
              // Keyed by the saved configuration: once saved, the typed key leaves the page.
              <Input
                {...p}
                key={String(model?.updatedAt)}
                name="apiKey"
                type="password"
                autoComplete="off"
                maxLength={500}
              />
            )}
          </Field>
          {model?.apiKeyHint ? (
            <label className="flex items-center gap-2 text-sm sm:col-span-2">
              <input type="checkbox" name="clearKey" className="size-4 accent-[var(--color-primary)]" />
              {t('settings.aiModel.clearKey')}
            </label>
          ) : null}
          <Button type="submit" className="w-fit" loading={fetcher.state !== 'idle'}>
            {t('common.save')}
          </Button>
        </fetcher.Form>
        {model ? (
          <tester.Form method="post" className="flex flex-col gap-2" data-testid="ai-model-test">
            <input type="hidden" name="intent" value="aiModelTest" />
            <Button type="submit" variant="outline" className="w-fit" loading={tester.state !== 'idle'}>
              {t('settings.aiModel.test')}
            </Button>
            {test && tester.state === 'idle' ? (
              <p
                role="status"
                className={test.ok ? 'text-sm text-green-700 dark:text-green-400' : 'text-sm text-destructive'}
              >
                {test.ok
                  ? t('settings.aiModel.testOk', { model: test.model, ms: number(test.latencyMs) })
                  : t('settings.aiModel.testFailed', {
                      outcome: t(`settings.aiModel.outcomes.${test.outcome as 'timeout'}`),
                      error: test.error,
                    })}
              </p>
            ) : null}
          </tester.Form>
        ) : null}
        <section aria-labelledby="ai-model-usage" className="flex flex-col gap-2">
          <h3 id="ai-model-usage" className="text-sm font-semibold">
            {t('settings.aiModel.usage', { days: usage.days })}
          </h3>
          {usage.calls === 0 ? (
            <p className="text-sm text-muted-foreground">{t('settings.aiModel.usageEmpty')}</p>
          ) : (
            <dl className="grid grid-cols-1 gap-x-6 gap-y-1 text-sm sm:grid-cols-2" data-testid="ai-model-usage">
              <dt className="text-muted-foreground">{t('settings.aiModel.calls')}</dt>
              <dd>{number(usage.calls)}</dd>
              <dt className="text-muted-foreground">{t('settings.aiModel.failed')}</dt>
              <dd>{number(usage.failed)}</dd>
              <dt className="text-muted-foreground">{t('settings.aiModel.invalid')}</dt>
              <dd>{number(usage.invalid)}</dd>
              <dt className="text-muted-foreground">{t('settings.aiModel.tokens')}</dt>
              <dd>
                {number(usage.promptTokens)} / {number(usage.completionTokens)}
              </dd>
              <dt className="text-muted-foreground">{t('settings.aiModel.latency')}</dt>
              <dd>
                {usage.medianMs === null ? '—' : `${number(usage.medianMs)} ms`} /{' '}
                {usage.p95Ms === null ? '—' : `${number(usage.p95Ms)} ms`}
              </dd>
              {usage.lastFailure ? (
                <>
                  <dt className="text-muted-foreground">{t('settings.aiModel.lastFailure')}</dt>
                  <dd className="break-words">
                    {dateTime(usage.lastFailure.at)} · {t(`settings.aiModel.outcomes.${usage.lastFailure.outcome}`)}
                    {usage.lastFailure.error ? ` · ${usage.lastFailure.error}` : ''}
                  </dd>
                </>
              ) : null}
            </dl>
          )}
        </section>
      </CardContent>
    </Card>
  )
}

/** The agency's FAQ (decision 021): the answers the AI agent may give on its own. */
function FaqSettings() {
  const { t } = useI18n()
  const { faq } = useLoaderData<typeof loader>()
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t('settings.faq.title')}</CardTitle>
        <p className="text-sm text-muted-foreground">{t('settings.faq.intro')}</p>
      </CardHeader>
      <CardContent className="flex flex-col gap-4" data-testid="faq">
        {faq.length === 0 ? <p className="text-sm text-muted-foreground">{t('settings.faq.empty')}</p> : null}
        <ul className="flex flex-col gap-4">
          {faq.map((entry) => (
            <li key={entry.id} className="rounded-md border p-3" data-testid="faq-entry">
              <FaqForm entry={entry} />
            </li>
          ))}
        </ul>
        <details className="rounded-md border p-3" data-testid="faq-new">
          <summary className="cursor-pointer font-medium">{t('settings.faq.add')}</summary>
          <div className="pt-3">
            <FaqForm key={faq.length} entry={null} />
          </div>
        </details>
      </CardContent>
    </Card>
  )
}

function FaqForm({ entry }: { entry: ReturnType<typeof useLoaderData<typeof loader>>['faq'][number] | null }) {
  const { t } = useI18n()
  const fetcher = useFetcher<FormResult>()
  const { clientErrors, onSubmit } = useClientValidation('ZFaqEntryInput', toFaqInput)
  useResultToast(fetcher.data)
  const errors = (f: string) => mergeErrors(clientErrors, fetcher.data, f)?.map((m) => t(m))
  const busy = fetcher.state !== 'idle'
  return (
    <fetcher.Form method="post" className="grid gap-3" noValidate onSubmit={onSubmit}>
      {entry ? <input type="hidden" name="id" value={entry.id} /> : null}
      <Field label={t('settings.faq.question')} errors={errors('question')}>
        {(p) => <Input {...p} name="question" required maxLength={300} defaultValue={entry?.question ?? ''} />}
      </Field>
      <Field label={t('settings.faq.answer')} errors={errors('answer')}>
        {(p) => (
          <textarea
            {...p}
            name="answer"
            rows={3}
            required
            maxLength={1000}
            className="rounded-md border bg-background px-3 py-2 text-sm focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
            defaultValue={entry?.answer ?? ''}
          />
        )}
      </Field>
      <Field label={t('settings.faq.keywords')} hint={t('settings.faq.keywordsHint')} errors={errors('keywords')}>
        {(p) => <Input {...p} name="keywords" defaultValue={entry?.keywords.join(', ') ?? ''} />}
      </Field>
      <label className="flex items-center gap-2 text-sm">
        <input
          type="checkbox"
          name="enabled"
          defaultChecked={entry?.enabled ?? true}
          className="size-4 accent-[var(--color-primary)]"
        />
        {t('settings.faq.enabled')}
      </label>
      <div className="flex flex-wrap gap-2">
        {/* The intent rides on the button pressed (Enter presses the first): save, or delete. */}
        <Button
          type="submit"
          name="intent"
          value={entry ? 'faqUpdate' : 'faqCreate'}
          className="w-fit"
          loading={busy && fetcher.formData?.get('intent') !== 'faqDelete'}
        >
          {entry ? t('common.save') : t('settings.faq.create')}
        </Button>
        {entry ? (
          <Button
            type="submit"
            name="intent"
            value="faqDelete"
            variant="outline"
            className="w-fit"
            formNoValidate
            loading={busy && fetcher.formData?.get('intent') === 'faqDelete'}
          >
            {t('settings.faq.delete')}
          </Button>
        ) : null}
      </div>
    </fetcher.Form>
  )
}
