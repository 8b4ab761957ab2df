import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Link, useFetcher, useLoaderData } from '@remix-run/react'
import { integrationScopes } from '@impera/api/schemas'
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
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Textarea,
} from '@impera/ui'
import { useEffect, useState } from 'react'
import { useResultToast } from '../components/use-result-toast'
import { useI18n } from '../i18n'
import { readForm, runAction } from '../lib/actions.server'
import { fromForm, type FormResult, type RouterInputs } from '../lib/forms'
import { requirePermission } from '../lib/session.server'
import { PageHeader } from '../components/page-header'

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(context, request, 'integrations.manage')
  const caller = await context.scope.caller()
  return { integrations: await caller.integrations.list(), origin: context.app.env.origin }
}

/** The integration fields of the create and edit forms, as the procedures take them. */
function integrationFields(fd: FormData) {
  const text = (k: string) => String(fd.get(k) ?? '')
  const expires = text('expiresAt')
  return {
    name: text('name'),
    scopes: fd.getAll('scopes').map(String),
    ipAllowlist: text('ipAllowlist')
      .split(/[\s,]+/)
      .filter(Boolean),
    // A day typed in the form ends the integration at the end of that day.
    expiresAt: expires ? `${expires}T23:59:59` : null,
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requirePermission(context, request, 'integrations.manage')
  const fd = await readForm(request)
  const caller = await context.scope.caller()
  const id = String(fd.get('id') ?? '')
  switch (fd.get('intent')) {
    case 'create':
      return runAction(
        context,
        () => caller.integrations.create(fromForm<RouterInputs['integrations']['create']>(integrationFields(fd))),
        (r) => ({ ok: true, message: 'integrations.created', meta: { key: r.key.key, name: r.integration.name } }),
      )
    case 'update':
      return runAction(
        context,
        () =>
          caller.integrations.update(
            fromForm<RouterInputs['integrations']['update']>({ id, ...integrationFields(fd) }),
          ),
        () => ({ ok: true, message: 'common.saved' }),
      )
    case 'rotate':
      return runAction(
        context,
        () => caller.integrations.rotateKey({ id, overlapHours: Number(fd.get('overlapHours') ?? 24) }),
        (key) => ({ ok: true, message: 'integrations.rotated', meta: { key: key.key } }),
      )
    case 'revokeKey':
      return runAction(
        context,
        () => caller.integrations.revokeKey({ keyId: String(fd.get('keyId') ?? '') }),
        () => ({ ok: true, message: 'integrations.keyRevoked' }),
      )
    case 'revoke':
      return runAction(
        context,
        () => caller.integrations.revoke({ id }),
        () => ({ ok: true, message: 'integrations.revoked' }),
      )
    default:
      return new Response('Unknown intent', { status: 400 })
  }
}

type Integration = ReturnType<typeof useLoaderData<typeof loader>>['integrations'][number]

/** A secret shown once: copy it now, it is never shown again. */
function NewKey({ secret }: { secret: string }) {
  const { t } = useI18n()
  const [copied, setCopied] = useState(false)
  return (
    <Alert variant="success" data-testid="new-key">
      <p className="font-medium">{t('integrations.keyOnce')}</p>
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <code className="rounded bg-background px-2 py-1 text-xs break-all" data-testid="new-key-value">
          {secret}
        </code>
        <Button
          type="button"
          size="sm"
          variant="outline"
          onClick={() => void navigator.clipboard?.writeText(secret).then(() => setCopied(true))}
        >
          {copied ? t('integrations.copied') : t('integrations.copy')}
        </Button>
      </div>
    </Alert>
  )
}

function IntegrationForm({ integration, onDone }: { integration?: Integration; onDone: () => void }) {
  const { t } = useI18n()
  const fetcher = useFetcher<FormResult>()
  useResultToast(fetcher.data)
  const errors = (f: string) => fetcher.data?.fieldErrors?.[f]?.map((m) => t(m))
  const secret = typeof fetcher.data?.meta?.key === 'string' ? fetcher.data.meta.key : null
  useEffect(() => {
    if (fetcher.data?.ok && integration) onDone()
  }, [fetcher.data, integration, onDone])
  if (secret) return <NewKey secret={secret} />
  return (
    <fetcher.Form method="post" className="grid gap-4" noValidate>
      <input type="hidden" name="intent" value={integration ? 'update' : 'create'} />
      {integration ? <input type="hidden" name="id" value={integration.id} /> : null}
      <Field label={t('integrations.name')} errors={errors('name')}>
        {(p) => <Input {...p} name="name" defaultValue={integration?.name} required maxLength={80} autoFocus />}
      </Field>
      <fieldset className="grid gap-2">
        <legend className="mb-1 text-sm font-medium">{t('integrations.scopes')}</legend>
        <div className="grid gap-1 sm:grid-cols-2">
          {integrationScopes.map((scope) => (
            <label key={scope} className="flex items-start gap-2 text-sm">
              <input
                type="checkbox"
                name="scopes"
                value={scope}
                defaultChecked={integration?.scopes.includes(scope)}
                className="mt-0.5 size-4 accent-primary"
              />
              <span>
                <code className="text-xs">{scope}</code>
                <span className="block text-xs text-muted-foreground">{t(`integrations.scope.${scope}`)}</span>
              </span>
            </label>
          ))}
        </div>
        {errors('scopes')?.map((m) => (
          <p key={m} className="text-sm text-destructive" role="alert">
            {m}
          </p>
        ))}
      </fieldset>
      <Field
        label={t('integrations.ipAllowlist')}
        hint={t('integrations.ipAllowlistHint')}
        errors={errors('ipAllowlist')}
      >
        {(p) => <Textarea {...p} name="ipAllowlist" rows={2} defaultValue={integration?.ipAllowlist.join('\n')} />}
      </Field>
      <Field label={t('integrations.expiresAt')} hint={t('integrations.expiresAtHint')} errors={errors('expiresAt')}>
        {(p) => (
          <Input
            {...p}
            name="expiresAt"
            type="date"
            defaultValue={integration?.expiresAt ? new Date(integration.expiresAt).toISOString().slice(0, 10) : ''}
          />
        )}
      </Field>
      <Button type="submit" loading={fetcher.state !== 'idle'}>
        {integration ? t('common.save') : t('integrations.create')}
      </Button>
    </fetcher.Form>
  )
}

function CreateIntegration() {
  const { t } = useI18n()
  const [open, setOpen] = useState(false)
  // A new dialog each time: the key of the last creation is not shown again.
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
        <Button>{t('integrations.new')}</Button>
      </DialogTrigger>
      <DialogContent closeLabel={t('common.close')}>
        <DialogTitle>{t('integrations.new')}</DialogTitle>
        <DialogDescription>{t('integrations.newHelp')}</DialogDescription>
        <IntegrationForm key={round} onDone={() => setOpen(false)} />
      </DialogContent>
    </Dialog>
  )
}

function state(i: { revokedAt: Date | string | null; expiresAt: Date | string | null }) {
  if (i.revokedAt) return 'revoked' as const
  if (i.expiresAt && new Date(i.expiresAt).getTime() <= Date.now()) return 'expired' as const
  return 'active' as const
}

function IntegrationCard({ integration }: { integration: Integration }) {
  const { t, dateTime } = useI18n()
  const [editing, setEditing] = useState(false)
  const rotate = useFetcher<FormResult>()
  const row = useFetcher<FormResult>()
  useResultToast(rotate.data)
  useResultToast(row.data)
  const status = state(integration)
  const rotatedKey = typeof rotate.data?.meta?.key === 'string' ? rotate.data.meta.key : null
  return (
    <Card data-testid="integration" aria-label={integration.name}>
      <CardHeader className="flex flex-row flex-wrap items-start justify-between gap-2">
        <div className="grid gap-1">
          <CardTitle>{integration.name}</CardTitle>
          <p className="text-sm text-muted-foreground">
            {t('integrations.createdBy', {
              name: integration.createdByName ?? '—',
              at: dateTime(integration.createdAt),
            })}
          </p>
        </div>
        <Badge variant={status === 'active' ? 'success' : 'secondary'}>{t(`integrations.state.${status}`)}</Badge>
      </CardHeader>
      <CardContent className="grid gap-4">
        <div className="flex flex-wrap gap-1">
          {integration.scopes.map((s) => (
            <Badge key={s} variant="outline">
              <code className="text-xs">{s}</code>
            </Badge>
          ))}
        </div>
        {integration.ipAllowlist.length ? (
          <p className="text-sm">
            {t('integrations.ipAllowlist')}: <code className="text-xs">{integration.ipAllowlist.join(', ')}</code>
          </p>
        ) : null}
        {rotatedKey ? <NewKey secret={rotatedKey} /> : null}
        <div className="overflow-x-auto">
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>{t('integrations.key')}</TableHead>
                <TableHead>{t('integrations.lastUsed')}</TableHead>
                <TableHead>{t('integrations.keyState')}</TableHead>
                <TableHead className="sr-only">{t('common.actions')}</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {integration.keys.map((k) => {
                const keyState = state(k)
                return (
                  <TableRow key={k.id} data-testid="api-key">
                    <TableCell>
                      <code className="text-xs">imp_live_{k.prefix}_…</code>
                    </TableCell>
                    <TableCell className="text-sm">
                      {k.lastUsedAt
                        ? `${dateTime(k.lastUsedAt)} · ${k.lastUsedIp ?? '—'}`
                        : t('integrations.neverUsed')}
                    </TableCell>
                    <TableCell className="text-sm">
                      {keyState === 'active' && k.expiresAt
                        ? t('integrations.endsAt', { at: dateTime(k.expiresAt) })
                        : t(`integrations.state.${keyState}`)}
                    </TableCell>
                    <TableCell className="text-right">
                      {keyState === 'active' && status === 'active' ? (
                        <row.Form method="post">
                          <input type="hidden" name="intent" value="revokeKey" />
                          <input type="hidden" name="keyId" value={k.id} />
                          <Button size="sm" variant="outline" type="submit" loading={row.state !== 'idle'}>
                            {t('integrations.revokeKey')}
                          </Button>
                        </row.Form>
                      ) : null}
                    </TableCell>
                  </TableRow>
                )
              })}
            </TableBody>
          </Table>
        </div>
        {status === 'active' ? (
          <div className="flex flex-wrap items-end gap-2">
            <rotate.Form method="post" className="flex flex-wrap items-end gap-2">
              <input type="hidden" name="intent" value="rotate" />
              <input type="hidden" name="id" value={integration.id} />
              <Field label={t('integrations.overlap')}>
                {(p) => (
                  <Select {...p} name="overlapHours" defaultValue="24" className="w-auto">
                    {[0, 1, 24, 72].map((h) => (
                      <option key={h} value={h}>
                        {t('integrations.overlapHours', { hours: h })}
                      </option>
                    ))}
                  </Select>
                )}
              </Field>
              <Button type="submit" variant="outline" loading={rotate.state !== 'idle'}>
                {t('integrations.rotate')}
              </Button>
            </rotate.Form>
            <Dialog open={editing} onOpenChange={setEditing}>
              <DialogTrigger asChild>
                <Button variant="outline">{t('common.edit')}</Button>
              </DialogTrigger>
              <DialogContent closeLabel={t('common.close')}>
                <DialogTitle>{integration.name}</DialogTitle>
                <IntegrationForm integration={integration} onDone={() => setEditing(false)} />
              </DialogContent>
            </Dialog>
            <row.Form
              method="post"
              onSubmit={(e) => {
                if (!window.confirm(t('integrations.revokeConfirm', { name: integration.name }))) e.preventDefault()
              }}
            >
              <input type="hidden" name="intent" value="revoke" />
              <input type="hidden" name="id" value={integration.id} />
              <Button type="submit" variant="destructive">
                {t('integrations.revoke')}
              </Button>
            </row.Form>
          </div>
        ) : null}
      </CardContent>
    </Card>
  )
}

export default function Integrations() {
  const { t } = useI18n()
  const { integrations } = useLoaderData<typeof loader>()
  return (
    <div className="flex max-w-3xl min-w-0 flex-col gap-6">
      <PageHeader title={t('integrations.title')} primary={<CreateIntegration />} />
      <p className="text-sm text-muted-foreground">
        {t('integrations.intro')}{' '}
        <Link to="/api/docs" reloadDocument className="underline">
          {t('integrations.docs')}
        </Link>
      </p>
      {integrations.length ? (
        integrations.map((i) => <IntegrationCard key={i.id} integration={i} />)
      ) : (
        <Card>
          <CardContent className="py-10 text-center text-sm text-muted-foreground">
            {t('integrations.empty')}
          </CardContent>
        </Card>
      )}
    </div>
  )
}
