import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Link, useFetcher, useLoaderData } from '@remix-run/react'
import {
  Alert,
  Badge,
  Button,
  Card,
  CardContent,
  CardHeader,
  CardTitle,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@impera/ui'
import { useState } from 'react'
import { useResultToast } from '../components/use-result-toast'
import { useI18n } from '../i18n'
import { readForm, runAction } from '../lib/actions.server'
import type { FormResult } from '../lib/forms'
import { requirePermission } from '../lib/session.server'
import { PageHeader } from '../components/page-header'

/** Settings → Portals: the agency's door for Grupo OLX's lead push (decision 022), for managers. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(context, request, 'integrations.manage')
  const caller = await context.scope.caller()
  const [door, feed] = await Promise.all([caller.portals.get({ portal: 'grupo_olx' }), caller.portals.feed()])
  return { ...door, feed, origin: context.app.env.origin }
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requirePermission(context, request, 'integrations.manage')
  const fd = await readForm(request)
  const caller = await context.scope.caller()
  switch (fd.get('intent')) {
    case 'connect':
      return runAction(
        context,
        () => caller.portals.connect({ portal: 'grupo_olx' }),
        // The one answer that carries the password; the page never reads it back.
        (r) => ({ ok: true, meta: { secret: r.secret, path: r.path } }),
      )
    case 'rotateFeed':
      return runAction(
        context,
        () => caller.portals.rotateFeed(),
        () => ({ ok: true, message: 'common.saved' }),
      )
    case 'deleteFeed':
      return runAction(
        context,
        () => caller.portals.deleteFeed(),
        () => ({ ok: true, message: 'feed.removed' }),
      )
    case 'disconnect':
      return runAction(
        context,
        () => caller.portals.disconnect({ portal: 'grupo_olx' }),
        () => ({ ok: true, message: 'portals.disconnected' }),
      )
    default:
      return new Response('Unknown intent', { status: 400 })
  }
}

function CopyValue({ value, testId }: { value: string; testId: string }) {
  const { t } = useI18n()
  const [copied, setCopied] = useState(false)
  return (
    <div className="flex min-w-0 flex-wrap items-center gap-2">
      <code className="min-w-0 rounded bg-muted px-2 py-1 text-xs break-all" data-testid={testId}>
        {value}
      </code>
      <Button
        type="button"
        size="sm"
        variant="outline"
        onClick={() => void navigator.clipboard?.writeText(value).then(() => setCopied(true))}
      >
        {copied ? t('portals.copied') : t('portals.copy')}
      </Button>
    </div>
  )
}

function Door() {
  const { t, dateTime } = useI18n()
  const { connection, origin } = useLoaderData<typeof loader>()
  const fetcher = useFetcher<FormResult>()
  const [confirming, setConfirming] = useState(false)
  useResultToast(fetcher.data)
  const busy = fetcher.state !== 'idle'
  const fresh =
    typeof fetcher.data?.meta?.secret === 'string'
      ? { secret: fetcher.data.meta.secret, path: String(fetcher.data.meta.path) }
      : null
  const path = fresh?.path ?? connection?.path
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t('portals.grupoOlx')}</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-4">
        <p className="text-sm text-muted-foreground">{t('portals.intro')}</p>
        {!path ? (
          <div className="flex flex-wrap items-center gap-3">
            <p className="text-sm">{t('portals.notConnected')}</p>
            <fetcher.Form method="post">
              <input type="hidden" name="intent" value="connect" />
              <Button type="submit" disabled={busy}>
                {t('portals.connect')}
              </Button>
            </fetcher.Form>
          </div>
        ) : (
          <>
            <p className="text-sm">{t('portals.howTo')}</p>
            <dl className="grid gap-3 text-sm">
              <div className="grid gap-1">
                <dt className="font-medium">{t('portals.url')}</dt>
                <dd>
                  <CopyValue value={`${origin}${path}`} testId="portal-url" />
                </dd>
              </div>
              <div className="grid gap-1">
                <dt className="font-medium">{t('portals.user')}</dt>
                <dd>
                  <CopyValue value="vivareal" testId="portal-user" />
                </dd>
              </div>
              <div className="grid gap-1">
                <dt className="font-medium">{t('portals.password')}</dt>
                <dd>
                  {fresh ? (
                    <Alert variant="success" data-testid="portal-secret">
                      <p className="mb-2 font-medium">{t('portals.secretOnce')}</p>
                      <CopyValue value={fresh.secret} testId="portal-secret-value" />
                    </Alert>
                  ) : (
                    <span className="text-muted-foreground">
                      •••••• {connection ? t('portals.passwordHint', { hint: connection.secretHint }) : null}
                    </span>
                  )}
                </dd>
              </div>
            </dl>
            <p className="text-sm text-muted-foreground" data-testid="portal-last-received">
              {connection?.lastReceivedAt
                ? t('portals.lastReceived', { when: dateTime(connection.lastReceivedAt) })
                : t('portals.neverReceived')}
            </p>
            <div className="flex flex-wrap items-center gap-2">
              <fetcher.Form method="post">
                <input type="hidden" name="intent" value="connect" />
                <Button type="submit" variant="outline" disabled={busy} title={t('portals.rotateHelp')}>
                  {t('portals.rotate')}
                </Button>
              </fetcher.Form>
              {confirming ? (
                <fetcher.Form method="post" className="flex flex-wrap items-center gap-2" role="alert">
                  <input type="hidden" name="intent" value="disconnect" />
                  <span className="text-sm">{t('portals.disconnectConfirm')}</span>
                  <Button type="submit" variant="destructive" disabled={busy} autoFocus>
                    {t('portals.disconnect')}
                  </Button>
                  <Button type="button" variant="ghost" onClick={() => setConfirming(false)}>
                    {t('common.cancel')}
                  </Button>
                </fetcher.Form>
              ) : (
                <Button type="button" variant="ghost" onClick={() => setConfirming(true)}>
                  {t('portals.disconnect')}
                </Button>
              )}
            </div>
          </>
        )}
      </CardContent>
    </Card>
  )
}

function Feed() {
  const { t } = useI18n()
  const { feed, origin } = useLoaderData<typeof loader>()
  const fetcher = useFetcher<FormResult>()
  useResultToast(fetcher.data)
  const busy = fetcher.state !== 'idle'
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t('feed.title')}</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-4">
        <p className="text-sm text-muted-foreground">{t('feed.intro')}</p>
        {feed.path ? (
          <>
            <p className="text-sm">{t('feed.howTo')}</p>
            <CopyValue value={`${origin}${feed.path}`} testId="feed-url" />
          </>
        ) : null}
        <ul className="grid gap-1 text-sm" data-testid="feed-counts">
          <li>{t('feed.published', { count: feed.published })}</li>
          {feed.unavailable ? <li>{t('feed.unavailable', { count: feed.unavailable })}</li> : null}
        </ul>
        <div className="flex flex-wrap items-center gap-2">
          <fetcher.Form method="post">
            <input type="hidden" name="intent" value="rotateFeed" />
            <Button
              type="submit"
              variant={feed.path ? 'outline' : 'default'}
              disabled={busy}
              title={feed.path ? t('feed.rotateHelp') : undefined}
            >
              {feed.path ? t('feed.rotate') : t('feed.create')}
            </Button>
          </fetcher.Form>
          {feed.path ? (
            <fetcher.Form method="post">
              <input type="hidden" name="intent" value="deleteFeed" />
              <Button type="submit" variant="ghost" disabled={busy}>
                {t('feed.remove')}
              </Button>
            </fetcher.Form>
          ) : null}
        </div>
        <section className="grid gap-2" aria-labelledby="feed-refused">
          <h2 id="feed-refused" className="font-medium">
            {t('feed.refusedTitle', { count: feed.refusedCount })}
          </h2>
          {feed.refused.length === 0 ? (
            <p className="text-sm text-muted-foreground">{t('feed.noneRefused')}</p>
          ) : (
            <ul className="grid gap-2" data-testid="feed-refused">
              {feed.refused.map((r) => (
                <li key={r.id} className="rounded-md border p-2 text-sm">
                  <Link to={`/app/properties/${r.id}/edit`} className="font-medium text-primary underline">
                    {r.code} · {r.title}
                  </Link>
                  <ul className="mt-1 list-disc pl-5 text-muted-foreground">
                    {r.reasons.map((reason) => (
                      <li key={reason}>{t(reason)}</li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          )}
        </section>
      </CardContent>
    </Card>
  )
}

function Recent() {
  const { t, dateTime } = useI18n()
  const { recent } = useLoaderData<typeof loader>()
  if (!recent.length) return null
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t('portals.recent')}</CardTitle>
      </CardHeader>
      <CardContent className="overflow-x-auto">
        <Table data-testid="portal-recent">
          <TableHeader>
            <TableRow>
              <TableHead>{t('portals.received')}</TableHead>
              <TableHead>{t('portals.listing')}</TableHead>
              <TableHead>{t('portals.result')}</TableHead>
              <TableHead>{t('portals.lead')}</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {recent.map((r) => {
              const outcome = r.outcome ?? (r.state === 'failed' ? 'failed' : 'pending')
              return (
                <TableRow key={r.id}>
                  <TableCell className="whitespace-nowrap">{dateTime(r.receivedAt)}</TableCell>
                  <TableCell className="max-w-40 truncate">{r.listingCode}</TableCell>
                  <TableCell>
                    <Badge
                      variant={outcome === 'failed' ? 'destructive' : 'secondary'}
                      title={r.lastError ?? undefined}
                    >
                      {t(`portals.outcomes.${outcome}`)}
                    </Badge>
                  </TableCell>
                  <TableCell className="max-w-48 truncate">
                    {r.leadId && r.leadName ? (
                      <Link to={`/app/leads/${r.leadId}`} className="text-primary underline">
                        {r.leadName}
                      </Link>
                    ) : (
                      '—'
                    )}
                  </TableCell>
                </TableRow>
              )
            })}
          </TableBody>
        </Table>
      </CardContent>
    </Card>
  )
}

export default function PortalsSettings() {
  const { t } = useI18n()
  return (
    <div className="flex max-w-3xl min-w-0 flex-col gap-6">
      <nav aria-label={t('settings.more')} className="flex flex-wrap gap-2 text-sm">
        <Link to="/app/settings" className="underline">
          {t('nav.settings')}
        </Link>
        <Link to="/app/settings/integrations" className="underline">
          {t('integrations.title')}
        </Link>
      </nav>
      <PageHeader title={t('portals.title')} />
      <Door />
      <Recent />
      <Feed />
    </div>
  )
}
