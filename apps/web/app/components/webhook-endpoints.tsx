import { useFetcher } from '@remix-run/react'
import type { inferRouterOutputs } from '@trpc/server'
import type { AppRouter } from '@impera/api'
import { webhookEventTypes, webhookUpdatedFields } from '@impera/api/schemas'
import {
  Alert,
  Badge,
  Button,
  Card,
  CardContent,
  CardHeader,
  CardTitle,
  Dialog,
  DialogContent,
  DialogDescription,
  DialogTitle,
  DialogTrigger,
  Field,
  Input,
  Select,
  useToast,
} from '@impera/ui'
import { useCallback, useEffect, useRef, useState } from 'react'
import { useI18n } from '../i18n'
import type { FormResult } from '../lib/forms'
import { errorKey, trpc } from '../lib/trpc-client'
import { useResultToast } from './use-result-toast'

/**
 * Settings → Webhooks (decision 018): a manager's endpoints, each with its events, state and last delivery; create and
 * edit (event and field filters, the integration it feeds), a secret shown once at creation and at each rotation,
 * enable/disable, delete, a test event, and the delivery log with "send again". Forms post to `action` (the route that
 * mounts this section); the log is read through tRPC in the browser.
 */

type Outputs = inferRouterOutputs<AppRouter>
type Times = 'createdAt' | 'updatedAt' | 'disabledAt' | 'previousSecretExpiresAt'
/** An endpoint as a loader (Dates) or tRPC's browser client (strings) hands it over. */
export type WebhookEndpoint = Omit<Outputs['webhooks']['list'][number], Times> & {
  [K in Times]: Outputs['webhooks']['list'][number][K] | Date
}
type Delivery = Outputs['webhooks']['deliveries']['items'][number]
type UpdatedType = keyof typeof webhookUpdatedFields
export interface IntegrationOption {
  id: string
  name: string
  revokedAt: Date | string | null
}

const groups = ['lead', 'client', 'property', 'conversation', 'message'] as const
const eventKey = (type: string) => `webhooks.event.${type.replace(/\./g, '_')}`

/** A secret shown once: copy it now, it is never shown again. */
function NewSecret({ secret }: { secret: string }) {
  const { t } = useI18n()
  const [copied, setCopied] = useState(false)
  return (
    <Alert variant="success" data-testid="webhook-secret">
      <p className="font-medium">{t('webhooks.secretOnce')}</p>
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <code className="rounded bg-background px-2 py-1 text-xs break-all" data-testid="webhook-secret-value">
          {secret}
        </code>
        <Button
          type="button"
          size="sm"
          variant="outline"
          onClick={() => void navigator.clipboard?.writeText(secret).then(() => setCopied(true))}
        >
          {copied ? t('webhooks.copied') : t('webhooks.copy')}
        </Button>
      </div>
    </Alert>
  )
}

function EndpointForm({
  endpoint,
  integrations,
  action,
  onDone,
}: {
  endpoint?: WebhookEndpoint
  integrations: IntegrationOption[]
  action: string
  onDone: () => void
}) {
  const { t } = useI18n()
  const fetcher = useFetcher<FormResult>()
  useResultToast(fetcher.data)
  const [types, setTypes] = useState<string[]>(endpoint?.eventTypes ?? ['lead.created'])
  const errors = (f: string) => fetcher.data?.fieldErrors?.[f]?.map((m) => t(m))
  const secret = typeof fetcher.data?.meta?.secret === 'string' ? fetcher.data.meta.secret : null
  useEffect(() => {
    if (fetcher.data?.ok && endpoint) onDone()
  }, [fetcher.data, endpoint, onDone])
  if (secret) return <NewSecret secret={secret} />
  const live = integrations.filter((i) => !i.revokedAt || i.id === endpoint?.integrationId)
  return (
    <fetcher.Form method="post" action={action} className="grid gap-4" noValidate>
      <input type="hidden" name="intent" value={endpoint ? 'update' : 'create'} />
      {endpoint ? <input type="hidden" name="id" value={endpoint.id} /> : null}
      <Field label={t('webhooks.url')} hint={t('webhooks.urlHint')} errors={errors('url')}>
        {(p) => (
          <Input
            {...p}
            name="url"
            type="url"
            inputMode="url"
            defaultValue={endpoint?.url}
            placeholder="https://"
            required
            maxLength={2000}
            autoFocus
          />
        )}
      </Field>
      <Field label={t('webhooks.description')} errors={errors('description')}>
        {(p) => <Input {...p} name="description" defaultValue={endpoint?.description ?? ''} maxLength={200} />}
      </Field>
      <fieldset className="grid gap-3">
        <legend className="mb-1 text-sm font-medium">{t('webhooks.events')}</legend>
        <div className="grid gap-3 sm:grid-cols-2">
          {groups.map((g) => (
            <fieldset key={g} className="grid gap-1">
              <legend className="text-xs font-semibold text-muted-foreground uppercase">
                {t(`webhooks.group.${g}`)}
              </legend>
              {webhookEventTypes
                .filter((type) => type.startsWith(`${g}.`))
                .map((type) => (
                  <label key={type} className="flex items-start gap-2 text-sm">
                    <input
                      type="checkbox"
                      name="eventTypes"
                      value={type}
                      checked={types.includes(type)}
                      onChange={(e) =>
                        setTypes((xs) => (e.target.checked ? [...xs, type] : xs.filter((x) => x !== type)))
                      }
                      className="mt-0.5 size-4 accent-primary"
                    />
                    <span>
                      {t(eventKey(type))} <code className="text-xs text-muted-foreground">{type}</code>
                    </span>
                  </label>
                ))}
            </fieldset>
          ))}
        </div>
        {errors('eventTypes')?.map((m) => (
          <p key={m} className="text-sm text-destructive" role="alert">
            {m}
          </p>
        ))}
      </fieldset>
      {(Object.keys(webhookUpdatedFields) as UpdatedType[])
        .filter((type) => types.includes(type))
        .map((type) => (
          <details key={type} className="rounded-md border p-3" open={!!endpoint?.updatedFields[type]?.length}>
            <summary className="cursor-pointer text-sm font-medium">
              {t('webhooks.fieldFilter', { event: t(eventKey(type)) })}
            </summary>
            <p className="mt-1 text-xs text-muted-foreground">{t('webhooks.fieldFilterHint')}</p>
            <div className="mt-2 grid grid-cols-2 gap-1 sm:grid-cols-3">
              {webhookUpdatedFields[type].map((f) => (
                <label key={f} className="flex items-center gap-2 text-sm">
                  <input
                    type="checkbox"
                    name={`fields:${type}`}
                    value={f}
                    defaultChecked={endpoint?.updatedFields[type]?.includes(f)}
                    className="size-4 accent-primary"
                  />
                  <code className="text-xs">{f}</code>
                </label>
              ))}
            </div>
          </details>
        ))}
      {live.length ? (
        <Field label={t('webhooks.integration')} hint={t('webhooks.integrationHint')} errors={errors('integrationId')}>
          {(p) => (
            <Select {...p} name="integrationId" defaultValue={endpoint?.integrationId ?? ''}>
              <option value="">{t('webhooks.noIntegration')}</option>
              {live.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.name}
                </option>
              ))}
            </Select>
          )}
        </Field>
      ) : null}
      <Button type="submit" loading={fetcher.state !== 'idle'}>
        {endpoint ? t('common.save') : t('webhooks.create')}
      </Button>
    </fetcher.Form>
  )
}

function CreateEndpoint({ integrations, action }: { integrations: IntegrationOption[]; action: string }) {
  const { t } = useI18n()
  const [open, setOpen] = useState(false)
  // A fresh form each time: the secret of the last creation is not shown again.
  const [round, setRound] = useState(0)
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next)
        if (!next) setRound((r) => r + 1)
      }}
    >
      <DialogTrigger asChild>
        <Button>{t('webhooks.new')}</Button>
      </DialogTrigger>
      <DialogContent closeLabel={t('common.close')} className="max-h-[90vh] overflow-y-auto">
        <DialogTitle>{t('webhooks.new')}</DialogTitle>
        <DialogDescription>{t('webhooks.newHelp')}</DialogDescription>
        <EndpointForm key={round} integrations={integrations} action={action} onDone={() => setOpen(false)} />
      </DialogContent>
    </Dialog>
  )
}

function stateOf(e: Pick<WebhookEndpoint, 'enabled' | 'disabledReason'>) {
  return e.enabled ? ('active' as const) : (e.disabledReason ?? 'manual')
}

function outcome(d: Pick<Delivery, 'responseStatus' | 'error'>, t: (k: string) => string) {
  if (d.error && d.error !== 'http') return t(`webhooks.error.${d.error}`)
  return d.responseStatus ? `HTTP ${d.responseStatus}` : ''
}

/** The delivery log of one endpoint, newest first, paged; it refreshes itself while a delivery is about to go. */
function DeliveryLog({ endpoint, version }: { endpoint: WebhookEndpoint; version: number }) {
  const { t, dateTime } = useI18n()
  const toast = useToast()
  const [items, setItems] = useState<Delivery[] | null>(null)
  const [next, setNext] = useState<number | null>(null)
  const [failed, setFailed] = useState(false)
  const [busy, setBusy] = useState(false)
  const seq = useRef(0)
  const load = useCallback(async () => {
    const mine = ++seq.current
    try {
      const page = await trpc.webhooks.deliveries.query({ endpointId: endpoint.id, limit: 20 })
      if (mine !== seq.current) return
      setItems(page.items)
      setNext(page.nextBefore)
      setFailed(false)
    } catch {
      if (mine === seq.current) setFailed(true)
    }
  }, [endpoint.id])
  useEffect(() => void load(), [load, version])
  // While something waits to go out soon (a test just sent, a retry in seconds), look again shortly.
  const soon = items?.some(
    (d) => d.state === 'pending' && new Date(d.nextAttemptAt).getTime() - Date.now() < 30_000 && endpoint.enabled,
  )
  useEffect(() => {
    if (!soon) return
    const timer = setTimeout(() => void load(), 1_000)
    return () => clearTimeout(timer)
  }, [soon, items, load])
  const older = async () => {
    if (next === null) return
    setBusy(true)
    try {
      const page = await trpc.webhooks.deliveries.query({ endpointId: endpoint.id, limit: 20, before: next })
      setItems((xs) => [...(xs ?? []), ...page.items])
      setNext(page.nextBefore)
    } catch {
      setFailed(true)
    } finally {
      setBusy(false)
    }
  }
  const again = async (d: Delivery) => {
    try {
      await trpc.webhooks.redeliver.mutate({ deliveryId: d.id })
      toast({ title: t('webhooks.sentAgain'), variant: 'success' })
      await load()
    } catch (e) {
      toast({ title: t(errorKey(e)), variant: 'destructive' })
    }
  }
  return (
    <section aria-label={t('webhooks.logFor', { url: endpoint.url })} className="grid gap-2" data-testid="webhook-log">
      <div className="flex items-center justify-between gap-2">
        <h3 className="text-sm font-semibold">{t('webhooks.log')}</h3>
        <Button type="button" size="sm" variant="ghost" onClick={() => void load()}>
          {t('webhooks.refresh')}
        </Button>
      </div>
      {failed ? (
        <p className="text-sm text-destructive" role="alert">
          {t('webhooks.loadFailed')}
        </p>
      ) : items === null ? (
        <p className="text-sm text-muted-foreground" role="status">
          {t('common.loading')}
        </p>
      ) : items.length === 0 ? (
        <p className="text-sm text-muted-foreground">{t('webhooks.logEmpty')}</p>
      ) : (
        <ol className="grid divide-y rounded-md border">
          {items.map((d) => (
            <li key={d.id} className="grid gap-1 p-2 text-sm" data-testid="webhook-delivery">
              <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
                <span className="text-xs text-muted-foreground tabular-nums">#{d.seq}</span>
                <span className="font-medium">{t(eventKey(d.type))}</span>
                <code className="text-xs text-muted-foreground">{d.type}</code>
                {d.trigger !== 'event' ? <Badge variant="outline">{t(`webhooks.trigger.${d.trigger}`)}</Badge> : null}
                <Badge
                  variant={d.state === 'delivered' ? 'success' : d.state === 'failed' ? 'destructive' : 'warning'}
                  data-testid="webhook-delivery-state"
                >
                  {t(`webhooks.deliveryState.${d.state}`)}
                </Badge>
              </div>
              <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-muted-foreground">
                <span>{dateTime(d.lastAttemptAt ?? d.occurredAt)}</span>
                {outcome(d, t) ? <span>{outcome(d, t)}</span> : null}
                {d.latencyMs !== null ? <span className="tabular-nums">{d.latencyMs} ms</span> : null}
                {d.attempts > 1 ? <span>{t('webhooks.attempts', { count: d.attempts })}</span> : null}
                {d.state === 'pending' && d.attempts > 0 ? (
                  <span>{t('webhooks.nextAttempt', { at: dateTime(d.nextAttemptAt) })}</span>
                ) : null}
                <code className="break-all">{d.messageId}</code>
              </div>
              {d.responseExcerpt ? (
                <pre className="max-h-24 overflow-auto rounded bg-muted p-1.5 text-xs break-all whitespace-pre-wrap">
                  {d.responseExcerpt}
                </pre>
              ) : null}
              {d.state !== 'pending' && endpoint.enabled ? (
                <div>
                  <Button type="button" size="sm" variant="outline" onClick={() => void again(d)}>
                    {t('webhooks.sendAgain')}
                  </Button>
                </div>
              ) : null}
            </li>
          ))}
        </ol>
      )}
      {next !== null ? (
        <Button type="button" size="sm" variant="ghost" onClick={() => void older()} loading={busy}>
          {t('webhooks.older')}
        </Button>
      ) : null}
    </section>
  )
}

function EndpointCard({
  endpoint,
  integrations,
  action,
}: {
  endpoint: WebhookEndpoint
  integrations: IntegrationOption[]
  action: string
}) {
  const { t, dateTime } = useI18n()
  const [editing, setEditing] = useState(false)
  const [showLog, setShowLog] = useState(false)
  const [version, setVersion] = useState(0)
  const rotate = useFetcher<FormResult>()
  const row = useFetcher<FormResult>()
  const test = useFetcher<FormResult>()
  useResultToast(rotate.data)
  useResultToast(row.data)
  useResultToast(test.data)
  useEffect(() => {
    if (test.data?.ok) {
      setShowLog(true)
      setVersion((v) => v + 1)
    }
  }, [test.data])
  const state = stateOf(endpoint)
  const rotated = typeof rotate.data?.meta?.secret === 'string' ? rotate.data.meta.secret : null
  const last = endpoint.lastDelivery
  const logId = `webhook-log-${endpoint.id}`
  return (
    <Card id={`endpoint-${endpoint.id}`} data-testid="webhook-endpoint" aria-label={endpoint.url}>
      <CardHeader className="flex flex-row flex-wrap items-start justify-between gap-2">
        <div className="grid min-w-0 gap-1">
          <CardTitle className="text-base break-all">{endpoint.url}</CardTitle>
          {endpoint.description ? <p className="text-sm text-muted-foreground">{endpoint.description}</p> : null}
          {endpoint.integrationName ? (
            <p className="text-xs text-muted-foreground">
              {t('webhooks.integration')}: {endpoint.integrationName}
            </p>
          ) : null}
        </div>
        <Badge variant={state === 'active' ? 'success' : 'secondary'} data-testid="webhook-state">
          {t(`webhooks.state.${state}`)}
        </Badge>
      </CardHeader>
      <CardContent className="grid gap-4">
        <div className="flex flex-wrap gap-1">
          {endpoint.eventTypes.map((type) => (
            <Badge key={type} variant="outline" title={t(eventKey(type))}>
              <code className="text-xs">{type}</code>
              {endpoint.updatedFields[type as UpdatedType]?.length ? (
                <span className="ml-1 font-normal">({endpoint.updatedFields[type as UpdatedType]!.join(', ')})</span>
              ) : null}
            </Badge>
          ))}
        </div>
        <p className="text-sm" data-testid="webhook-last">
          <span className="text-muted-foreground">{t('webhooks.lastDelivery')}: </span>
          {last
            ? `${t(`webhooks.deliveryState.${last.state}`)} · ${dateTime(last.at)}${
                outcome(last, t) ? ` · ${outcome(last, t)}` : ''
              }${last.latencyMs !== null ? ` · ${last.latencyMs} ms` : ''}`
            : t('webhooks.never')}
          {endpoint.pending ? (
            <span className="text-muted-foreground"> · {t('webhooks.waiting', { count: endpoint.pending })}</span>
          ) : null}
        </p>
        {rotated ? <NewSecret secret={rotated} /> : null}
        {rotate.data?.ok && typeof rotate.data.meta?.until === 'string' ? (
          <p className="text-xs text-muted-foreground">
            {t('webhooks.rotated', { at: dateTime(rotate.data.meta.until) })}
          </p>
        ) : null}
        <div className="flex flex-wrap gap-2">
          <test.Form method="post" action={action}>
            <input type="hidden" name="intent" value="test" />
            <input type="hidden" name="id" value={endpoint.id} />
            <Button type="submit" variant="outline" disabled={!endpoint.enabled} loading={test.state !== 'idle'}>
              {t('webhooks.sendTest')}
            </Button>
          </test.Form>
          <Button
            type="button"
            variant="outline"
            aria-expanded={showLog}
            aria-controls={logId}
            onClick={() => setShowLog((s) => !s)}
          >
            {t('webhooks.log')}
          </Button>
          <Dialog open={editing} onOpenChange={setEditing}>
            <DialogTrigger asChild>
              <Button variant="outline">{t('common.edit')}</Button>
            </DialogTrigger>
            <DialogContent closeLabel={t('common.close')} className="max-h-[90vh] overflow-y-auto">
              <DialogTitle className="break-all">{endpoint.url}</DialogTitle>
              <EndpointForm
                endpoint={endpoint}
                integrations={integrations}
                action={action}
                onDone={() => setEditing(false)}
              />
            </DialogContent>
          </Dialog>
          <rotate.Form
            method="post"
            action={action}
            onSubmit={(e) => {
              if (!window.confirm(t('webhooks.rotateConfirm'))) e.preventDefault()
            }}
          >
            <input type="hidden" name="intent" value="rotate" />
            <input type="hidden" name="id" value={endpoint.id} />
            <Button type="submit" variant="outline" loading={rotate.state !== 'idle'}>
              {t('webhooks.rotate')}
            </Button>
          </rotate.Form>
          <row.Form method="post" action={action}>
            <input type="hidden" name="intent" value={endpoint.enabled ? 'disable' : 'enable'} />
            <input type="hidden" name="id" value={endpoint.id} />
            <Button type="submit" variant="outline" loading={row.state !== 'idle'}>
              {endpoint.enabled ? t('webhooks.disable') : t('webhooks.enable')}
            </Button>
          </row.Form>
          <row.Form
            method="post"
            action={action}
            onSubmit={(e) => {
              if (!window.confirm(t('webhooks.deleteConfirm', { url: endpoint.url }))) e.preventDefault()
            }}
          >
            <input type="hidden" name="intent" value="delete" />
            <input type="hidden" name="id" value={endpoint.id} />
            <Button type="submit" variant="destructive">
              {t('webhooks.delete')}
            </Button>
          </row.Form>
        </div>
        <div id={logId} hidden={!showLog}>
          {showLog ? <DeliveryLog endpoint={endpoint} version={version} /> : null}
        </div>
      </CardContent>
    </Card>
  )
}

export function WebhookEndpoints({
  endpoints,
  integrations,
  action = '/app/settings/webhooks',
  heading = 'h2',
}: {
  endpoints: WebhookEndpoint[]
  integrations: IntegrationOption[]
  /** The route whose action takes this section's forms. */
  action?: string
  /** h1 on a page of its own, h2 as a section of another page. */
  heading?: 'h1' | 'h2'
}) {
  const { t } = useI18n()
  const Heading = heading
  return (
    <section aria-labelledby="webhooks-title" className="flex min-w-0 flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <Heading id="webhooks-title" className={heading === 'h1' ? 'text-2xl font-bold' : 'text-xl font-semibold'}>
          {t('webhooks.title')}
        </Heading>
        <CreateEndpoint integrations={integrations} action={action} />
      </div>
      <p className="text-sm text-muted-foreground">{t('webhooks.intro')}</p>
      {endpoints.length ? (
        endpoints.map((e) => <EndpointCard key={e.id} endpoint={e} integrations={integrations} action={action} />)
      ) : (
        <Card>
          <CardContent className="py-10 text-center text-sm text-muted-foreground">{t('webhooks.empty')}</CardContent>
        </Card>
      )}
    </section>
  )
}
