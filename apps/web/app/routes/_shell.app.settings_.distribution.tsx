import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { useFetcher, useLoaderData } from '@remix-run/react'
import {
  Badge,
  Button,
  Card,
  CardContent,
  CardHeader,
  CardTitle,
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogTitle,
  Field,
  Input,
  Select,
} from '@impera/ui'
import { distributionModes, leadInterests, leadSources } from '@impera/db/enums'
import { ArrowDown, ArrowUp, Pencil, Plus, Trash2 } from 'lucide-react'
import { useEffect, useState } from 'react'
import { useResultToast } from '../components/use-result-toast'
import { useI18n } from '../i18n'
import { readForm, runAction } from '../lib/actions.server'
import { formCheckbox, formText, fromForm, type FormResult, type RouterInputs } from '../lib/forms'
import { formatMoney } from '../lib/format'
import { requirePermission } from '../lib/session.server'
import { PageHeader } from '../components/page-header'

const weekOrder = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const

/**
 * Settings → Distribution (decision 027): the "roleta". Managers order the rules a new lead is tried against, pick
 * who is in each and with what weight, set the first-contact SLA, and pause members or give them working hours.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(context, request, 'agency.settings.update')
  const caller = await context.scope.caller()
  const [distribution, agency] = await Promise.all([caller.distribution.get(), caller.agency.get()])
  return { ...distribution, currency: agency.currency }
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requirePermission(context, request, 'agency.settings.update')
  const fd = await readForm(request)
  const caller = await context.scope.caller()
  switch (fd.get('intent')) {
    case 'settings':
      return runAction(
        context,
        () =>
          caller.distribution.saveSettings(
            fromForm<RouterInputs['distribution']['saveSettings']>({
              listingAgent: formCheckbox(fd, 'listingAgent'),
              slaMinutes: formText(fd, 'slaMinutes'),
            }),
          ),
        () => ({ ok: true, message: 'common.saved' }),
      )
    case 'rule':
      return runAction(
        context,
        () => caller.distribution.saveRule(ruleInput(fd)),
        () => ({ ok: true, message: 'distribution.ruleSaved' }),
      )
    case 'move':
      return runAction(
        context,
        () =>
          caller.distribution.moveRule({
            id: formText(fd, 'id'),
            direction: formText(fd, 'direction') === 'up' ? 'up' : 'down',
          }),
        () => ({ ok: true }),
      )
    case 'delete':
      return runAction(
        context,
        () => caller.distribution.deleteRule({ id: formText(fd, 'id') }),
        () => ({ ok: true, message: 'distribution.ruleDeleted' }),
      )
    case 'availability':
      return runAction(
        context,
        () =>
          caller.distribution.setAvailability(
            fromForm<RouterInputs['distribution']['setAvailability']>({
              userId: formText(fd, 'userId'),
              paused: formCheckbox(fd, 'paused'),
              workingHours: formCheckbox(fd, 'customHours')
                ? (Object.fromEntries(weekOrder.map((d) => [d, formText(fd, `hours.${d}`)])) as Record<
                    (typeof weekOrder)[number],
                    string
                  >)
                : null,
            }),
          ),
        () => ({ ok: true, message: 'common.saved' }),
      )
    default:
      return new Response('Unknown intent', { status: 400 })
  }
}

function ruleInput(fd: FormData) {
  return fromForm<RouterInputs['distribution']['saveRule']>({
    id: formText(fd, 'id') || undefined,
    name: formText(fd, 'name'),
    enabled: formCheckbox(fd, 'enabled'),
    sources: fd.getAll('sources').map(String),
    interests: fd.getAll('interests').map(String),
    budgetMin: formText(fd, 'budgetMin'),
    budgetMax: formText(fd, 'budgetMax'),
    locations: formText(fd, 'locations'),
    mode: formText(fd, 'mode') || undefined,
    claimMinutes: formText(fd, 'claimMinutes') || undefined,
    members: fd
      .getAll('member')
      .map(String)
      .map((userId) => ({ userId, weight: formText(fd, `weight.${userId}`) || '1' })),
  })
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>
type Rule = Data['rules'][number]

export default function Distribution() {
  const { t } = useI18n()
  const { rules } = useLoaderData<typeof loader>()
  const [editing, setEditing] = useState<Rule | 'new' | null>(null)
  return (
    <div className="flex max-w-3xl min-w-0 flex-col gap-6">
      <PageHeader
        back={{ to: '/app/settings', label: t('settings.title') }}
        title={t('distribution.title')}
        primary={
          <Button onClick={() => setEditing('new')}>
            <Plus aria-hidden className="size-4" />
            {t('distribution.newRule')}
          </Button>
        }
      />
      <p className="text-sm text-muted-foreground">{t('distribution.intro')}</p>
      <SettingsCard />
      <Card>
        <CardHeader>
          <CardTitle>{t('distribution.rulesTitle')}</CardTitle>
        </CardHeader>
        <CardContent>
          {rules.length ? (
            <ol className="flex flex-col gap-3" data-testid="distribution-rules">
              {rules.map((r, i) => (
                <RuleRow
                  key={r.id}
                  rule={r}
                  first={i === 0}
                  last={i === rules.length - 1}
                  onEdit={() => setEditing(r)}
                />
              ))}
            </ol>
          ) : (
            <div className="flex flex-col items-start gap-2 text-sm">
              <p className="text-muted-foreground">{t('distribution.empty')}</p>
              <Button variant="outline" onClick={() => setEditing('new')}>
                {t('distribution.newRule')}
              </Button>
            </div>
          )}
        </CardContent>
      </Card>
      <TeamCard />
      {editing ? <RuleDialog rule={editing === 'new' ? null : editing} onClose={() => setEditing(null)} /> : null}
    </div>
  )
}

function SettingsCard() {
  const { t } = useI18n()
  const { listingAgent, slaMinutes } = useLoaderData<typeof loader>()
  const fetcher = useFetcher<FormResult>()
  useResultToast(fetcher.data)
  const errors = fetcher.data?.fieldErrors?.slaMinutes?.map((m) => t(m)) ?? null
  return (
    <Card>
      <CardContent className="pt-4 sm:pt-6">
        <fetcher.Form method="post" className="grid gap-4 sm:grid-cols-2" noValidate>
          <input type="hidden" name="intent" value="settings" />
          <label className="flex items-start gap-2 text-sm sm:col-span-2">
            <input
              type="checkbox"
              name="listingAgent"
              defaultChecked={listingAgent}
              className="mt-0.5 size-4 accent-[var(--color-primary)]"
            />
            <span>
              {t('distribution.listingAgent')}
              <span className="block text-xs text-muted-foreground">{t('distribution.listingAgentHint')}</span>
            </span>
          </label>
          <Field label={t('distribution.sla')} hint={t('distribution.slaHint')} errors={errors}>
            {(p) => (
              <Input
                {...p}
                name="slaMinutes"
                inputMode="numeric"
                placeholder={t('distribution.slaOff')}
                defaultValue={slaMinutes ?? ''}
              />
            )}
          </Field>
          <Button type="submit" className="w-fit self-end" loading={fetcher.state !== 'idle'}>
            {t('common.save')}
          </Button>
        </fetcher.Form>
      </CardContent>
    </Card>
  )
}

function RuleRow({ rule, first, last, onEdit }: { rule: Rule; first: boolean; last: boolean; onEdit: () => void }) {
  const { t, locale } = useI18n()
  const { team, currency } = useLoaderData<typeof loader>()
  const fetcher = useFetcher<FormResult>()
  useResultToast(fetcher.data)
  const names = new Map(team.map((m) => [m.userId, m.name]))
  const money = (c: number | null) => (c === null ? null : formatMoney(c, currency, locale))
  const conditions = [
    rule.sources.length ? rule.sources.map((s) => t(`leads.sources.${s}`)).join(', ') : null,
    rule.interests.length ? rule.interests.map((i) => t(`leads.interests.${i}`)).join(', ') : null,
    rule.budgetMin !== null || rule.budgetMax !== null
      ? rule.budgetMin === null
        ? t('distribution.upTo', { max: money(rule.budgetMax)! })
        : rule.budgetMax === null
          ? t('distribution.from', { min: money(rule.budgetMin)! })
          : t('distribution.between', { min: money(rule.budgetMin)!, max: money(rule.budgetMax)! })
      : null,
    rule.locations.length ? rule.locations.join(', ') : null,
  ].filter(Boolean)
  const busy = fetcher.state !== 'idle'
  const post = (fields: Record<string, string>) =>
    fetcher.submit({ ...fields, id: rule.id }, { method: 'post', preventScrollReset: true })
  return (
    <li className="flex flex-col gap-2 rounded-md border p-3 sm:flex-row sm:items-start sm:justify-between">
      <div className="min-w-0">
        <div className="flex flex-wrap items-center gap-2">
          <span className="font-medium">{rule.name}</span>
          {rule.enabled ? null : <Badge variant="outline">{t('distribution.disabled')}</Badge>}
          {rule.mode === 'claim' ? (
            <Badge variant="secondary">
              {t('distribution.modes.claim')} · {rule.claimMinutes} min
            </Badge>
          ) : null}
        </div>
        <p className="text-sm text-muted-foreground">
          {conditions.length ? conditions.join(' · ') : t('distribution.catchAll')}
        </p>
        <p className="text-sm">
          {rule.members.map((m) => `${names.get(m.userId) ?? '—'}${m.weight > 1 ? ` ×${m.weight}` : ''}`).join(', ')}
        </p>
      </div>
      <div className="flex shrink-0 gap-1">
        <Button
          variant="ghost"
          size="icon"
          aria-label={t('distribution.moveUp', { name: rule.name })}
          disabled={first || busy}
          onClick={() => post({ intent: 'move', direction: 'up' })}
        >
          <ArrowUp aria-hidden className="size-4" />
        </Button>
        <Button
          variant="ghost"
          size="icon"
          aria-label={t('distribution.moveDown', { name: rule.name })}
          disabled={last || busy}
          onClick={() => post({ intent: 'move', direction: 'down' })}
        >
          <ArrowDown aria-hidden className="size-4" />
        </Button>
        <Button variant="ghost" size="icon" aria-label={t('distribution.edit', { name: rule.name })} onClick={onEdit}>
          <Pencil aria-hidden className="size-4" />
        </Button>
        <Button
          variant="ghost"
          size="icon"
          aria-label={t('distribution.delete', { name: rule.name })}
          disabled={busy}
          onClick={() => {
            if (window.confirm(t('distribution.deleteConfirm', { name: rule.name }))) post({ intent: 'delete' })
          }}
        >
          <Trash2 aria-hidden className="size-4" />
        </Button>
      </div>
    </li>
  )
}

function RuleDialog({ rule, onClose }: { rule: Rule | null; onClose: () => void }) {
  const { t, locale } = useI18n()
  const { team, currency } = useLoaderData<typeof loader>()
  const fetcher = useFetcher<FormResult>()
  useResultToast(fetcher.data)
  useEffect(() => {
    if (fetcher.state === 'idle' && fetcher.data?.ok) onClose()
  }, [fetcher.state, fetcher.data, onClose])
  const errors = (f: string) => fetcher.data?.fieldErrors?.[f]?.map((m) => t(m)) ?? null
  const weights = new Map(rule?.members.map((m) => [m.userId, m.weight]) ?? [])
  const money = (c: number | null) => (c === null ? '' : (formatMoney(c, currency, locale) ?? ''))
  return (
    <Dialog open onOpenChange={(open) => (open ? null : onClose())}>
      <DialogContent closeLabel={t('common.close')} className="max-h-[90dvh] overflow-y-auto">
        <DialogTitle>{rule ? t('distribution.editTitle') : t('distribution.newRule')}</DialogTitle>
        <DialogDescription>{t('distribution.ruleHint')}</DialogDescription>
        <fetcher.Form method="post" className="grid gap-4" noValidate>
          <input type="hidden" name="intent" value="rule" />
          {rule ? <input type="hidden" name="id" value={rule.id} /> : null}
          <Field label={t('distribution.name')} errors={errors('name')}>
            {(p) => <Input {...p} name="name" defaultValue={rule?.name ?? ''} required maxLength={120} autoFocus />}
          </Field>
          <label className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              name="enabled"
              defaultChecked={rule?.enabled ?? true}
              className="size-4 accent-[var(--color-primary)]"
            />
            {t('distribution.enabled')}
          </label>
          <fieldset className="grid gap-2">
            <legend className="mb-1 text-sm font-medium">{t('distribution.sources')}</legend>
            <div className="flex flex-wrap gap-x-4 gap-y-2">
              {leadSources.map((s) => (
                <label key={s} className="flex items-center gap-2 text-sm">
                  <input
                    type="checkbox"
                    name="sources"
                    value={s}
                    defaultChecked={rule?.sources.includes(s)}
                    className="size-4 accent-[var(--color-primary)]"
                  />
                  {t(`leads.sources.${s}`)}
                </label>
              ))}
            </div>
          </fieldset>
          <fieldset className="grid gap-2">
            <legend className="mb-1 text-sm font-medium">{t('distribution.interests')}</legend>
            <div className="flex flex-wrap gap-x-4 gap-y-2">
              {leadInterests.map((i) => (
                <label key={i} className="flex items-center gap-2 text-sm">
                  <input
                    type="checkbox"
                    name="interests"
                    value={i}
                    defaultChecked={rule?.interests.includes(i)}
                    className="size-4 accent-[var(--color-primary)]"
                  />
                  {t(`leads.interests.${i}`)}
                </label>
              ))}
            </div>
          </fieldset>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label={t('distribution.budgetMin')} errors={errors('budgetMin')}>
              {(p) => (
                <Input {...p} name="budgetMin" inputMode="decimal" defaultValue={money(rule?.budgetMin ?? null)} />
              )}
            </Field>
            <Field label={t('distribution.budgetMax')} errors={errors('budgetMax')}>
              {(p) => (
                <Input {...p} name="budgetMax" inputMode="decimal" defaultValue={money(rule?.budgetMax ?? null)} />
              )}
            </Field>
          </div>
          <Field
            label={t('distribution.locations')}
            hint={t('distribution.locationsHint')}
            errors={errors('locations')}
          >
            {(p) => <Input {...p} name="locations" defaultValue={rule?.locations.join(', ') ?? ''} />}
          </Field>
          <div className="grid gap-3 sm:grid-cols-2">
            <Field label={t('distribution.mode')} hint={t('distribution.modeHint')} errors={errors('mode')}>
              {(p) => (
                <Select {...p} name="mode" defaultValue={rule?.mode ?? 'round_robin'}>
                  {distributionModes.map((m) => (
                    <option key={m} value={m}>
                      {t(`distribution.modes.${m}`)}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <Field label={t('distribution.claimMinutes')} errors={errors('claimMinutes')}>
              {(p) => (
                <Input
                  {...p}
                  name="claimMinutes"
                  type="number"
                  min={1}
                  max={240}
                  defaultValue={rule?.claimMinutes ?? 5}
                />
              )}
            </Field>
          </div>
          <fieldset className="grid gap-2">
            <legend className="mb-1 text-sm font-medium">{t('distribution.members')}</legend>
            <p className="text-xs text-muted-foreground">{t('distribution.weightHint')}</p>
            <ul className="grid gap-2">
              {team.map((m) => (
                <MemberChoice key={m.userId} member={m} weight={weights.get(m.userId) ?? null} />
              ))}
            </ul>
            {errors('members') ? (
              <p role="alert" className="text-sm text-destructive">
                {errors('members')!.join(' ')}
              </p>
            ) : null}
          </fieldset>
          <DialogFooter>
            <Button type="button" variant="outline" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={fetcher.state !== 'idle'}>
              {t('common.save')}
            </Button>
          </DialogFooter>
        </fetcher.Form>
      </DialogContent>
    </Dialog>
  )
}

function MemberChoice({ member, weight }: { member: Data['team'][number]; weight: number | null }) {
  const { t } = useI18n()
  const [on, setOn] = useState(weight !== null)
  return (
    <li className="flex items-center justify-between gap-3">
      <label className="flex min-w-0 items-center gap-2 text-sm">
        <input
          type="checkbox"
          name="member"
          value={member.userId}
          checked={on}
          onChange={(e) => setOn(e.currentTarget.checked)}
          className="size-4 accent-[var(--color-primary)]"
        />
        <span className="truncate">{member.name}</span>
        {member.paused ? <Badge variant="outline">{t('distribution.paused')}</Badge> : null}
      </label>
      <label className="flex items-center gap-1 text-xs text-muted-foreground">
        {t('distribution.weight')}
        <Input
          type="number"
          name={`weight.${member.userId}`}
          min={1}
          max={10}
          defaultValue={weight ?? 1}
          disabled={!on}
          className="h-8 w-16"
          aria-label={t('distribution.weightOf', { name: member.name })}
        />
      </label>
    </li>
  )
}

function TeamCard() {
  const { t } = useI18n()
  const { team } = useLoaderData<typeof loader>()
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t('distribution.teamTitle')}</CardTitle>
      </CardHeader>
      <CardContent>
        <p className="mb-3 text-sm text-muted-foreground">{t('distribution.teamHint')}</p>
        <ul className="flex flex-col divide-y" data-testid="distribution-team">
          {team.map((m) => (
            <Availability key={m.userId} member={m} />
          ))}
        </ul>
      </CardContent>
    </Card>
  )
}

function Availability({ member }: { member: Data['team'][number] }) {
  const { t } = useI18n()
  const fetcher = useFetcher<FormResult>()
  useResultToast(fetcher.data)
  const [custom, setCustom] = useState(member.workingHours !== null)
  const hoursError = fetcher.data?.fieldErrors?.workingHours?.map((m) => t(m)) ?? null
  return (
    <li className="py-3">
      <fetcher.Form method="post" className="grid gap-3" aria-label={member.name}>
        <input type="hidden" name="intent" value="availability" />
        <input type="hidden" name="userId" value={member.userId} />
        <div className="flex flex-wrap items-center justify-between gap-2">
          <span className="font-medium">
            {member.name} <span className="text-xs text-muted-foreground">{t(`roles.${member.role}`)}</span>
          </span>
          <div className="flex flex-wrap items-center gap-4 text-sm">
            <label className="flex items-center gap-2">
              <input
                type="checkbox"
                name="paused"
                defaultChecked={member.paused}
                className="size-4 accent-[var(--color-primary)]"
              />
              {t('distribution.pause')}
            </label>
            <label className="flex items-center gap-2">
              <input
                type="checkbox"
                name="customHours"
                checked={custom}
                onChange={(e) => setCustom(e.currentTarget.checked)}
                className="size-4 accent-[var(--color-primary)]"
              />
              {t('distribution.workingHours')}
            </label>
            <Button type="submit" size="sm" variant="outline" loading={fetcher.state !== 'idle'}>
              {t('common.save')}
            </Button>
          </div>
        </div>
        {custom ? (
          <div className="grid gap-2 sm:grid-cols-4">
            {weekOrder.map((d) => (
              <Field key={d} label={t(`settings.businessHours.days.${d}`)}>
                {(p) => (
                  <Input
                    {...p}
                    name={`hours.${d}`}
                    placeholder={t('settings.businessHours.closed')}
                    defaultValue={(
                      member.workingHours?.[d] ?? (d === 'sat' || d === 'sun' ? [] : ['09:00-18:00'])
                    ).join(', ')}
                  />
                )}
              </Field>
            ))}
          </div>
        ) : null}
        {hoursError ? (
          <p role="alert" className="text-sm text-destructive">
            {hoursError.join(' ')}
          </p>
        ) : null}
      </fetcher.Form>
    </li>
  )
}
