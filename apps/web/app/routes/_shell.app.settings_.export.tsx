import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Link, useFetcher, useLoaderData } from '@remix-run/react'
import {
  Alert,
  Badge,
  Button,
  Card,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
  Progress,
  Select,
} from '@impera/ui'
import { Download } from 'lucide-react'
import { useI18n } from '../i18n'
import { useResultToast } from '../components/use-result-toast'
import { readForm, runAction } from '../lib/actions.server'
import type { FormResult } from '../lib/forms'
import { useBackgroundRevalidate, useLiveSignal } from '../lib/live'
import { requirePermission } from '../lib/session.server'
import { PageHeader } from '../components/page-header'
import { numberFormat } from '../lib/intl'

/** Settings → Export: the whole agency as a ZIP of CSVs and files (decision 041), built by the worker. Managers. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(context, request, 'agency.export')
  const caller = await context.scope.caller()
  return { exports: await caller.agencyExport.list() }
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requirePermission(context, request, 'agency.export')
  const fd = await readForm(request)
  const caller = await context.scope.caller()
  if (fd.get('intent') !== 'request') return new Response('Unknown intent', { status: 400 })
  return runAction(
    context,
    () => caller.agencyExport.request({ separator: fd.get('separator') === ',' ? ',' : ';' }),
    () => ({ ok: true, message: 'agencyExport.requested' }),
  )
}

const tone = {
  queued: 'secondary',
  running: 'secondary',
  ready: 'success',
  failed: 'destructive',
  expired: 'outline',
} as const

export default function AgencyExport() {
  const { t, dateTime, locale } = useI18n()
  const { exports } = useLoaderData<typeof loader>()
  const fetcher = useFetcher<FormResult>()
  useResultToast(fetcher.data)
  useLiveSignal('exports:changed', useBackgroundRevalidate())
  const busy = fetcher.state !== 'idle' || exports.some((e) => e.status === 'queued' || e.status === 'running')
  const size = (bytes: number) =>
    numberFormat(locale, { style: 'unit', unit: 'megabyte', maximumFractionDigits: 1 }).format(
      Math.max(bytes / 1_000_000, 0.1),
    )
  return (
    <div className="flex max-w-3xl min-w-0 flex-col gap-6">
      <nav aria-label={t('settings.more')} className="flex flex-wrap gap-2 text-sm">
        <Link to="/app/settings" className="underline">
          {t('nav.settings')}
        </Link>
      </nav>
      <PageHeader title={t('agencyExport.title')} />
      <Card>
        <CardHeader>
          <CardTitle>{t('agencyExport.newTitle')}</CardTitle>
          <CardDescription>{t('agencyExport.intro')}</CardDescription>
        </CardHeader>
        <CardContent>
          <fetcher.Form method="post" className="flex flex-wrap items-end gap-3">
            <input type="hidden" name="intent" value="request" />
            <label className="grid gap-1 text-sm">
              {t('agencyExport.separator')}
              <Select name="separator" defaultValue={locale === 'pt-BR' ? ';' : ','} className="w-auto">
                <option value=";">{t('agencyExport.semicolon')}</option>
                <option value=",">{t('agencyExport.comma')}</option>
              </Select>
            </label>
            <Button type="submit" disabled={busy}>
              {fetcher.state !== 'idle' ? t('agencyExport.requesting') : t('agencyExport.request')}
            </Button>
          </fetcher.Form>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>{t('agencyExport.history')}</CardTitle>
        </CardHeader>
        <CardContent>
          {exports.length === 0 ? (
            <p className="text-sm text-muted-foreground">{t('agencyExport.none')}</p>
          ) : (
            <ul className="grid gap-4" aria-label={t('agencyExport.history')}>
              {exports.map((e) => (
                <li key={e.id} className="grid gap-2 rounded-md border p-3" data-testid="agency-export">
                  <div className="flex flex-wrap items-center justify-between gap-2">
                    <span className="text-sm">
                      {dateTime(e.createdAt)}
                      {e.requestedBy ? ` · ${e.requestedBy}` : ''}
                    </span>
                    <Badge variant={tone[e.status]}>{t(`agencyExport.status.${e.status}`)}</Badge>
                  </div>
                  {e.status === 'queued' || e.status === 'running' ? (
                    <div className="grid gap-1">
                      <Progress value={e.done} max={e.total ?? 0} label={t('agencyExport.progress')} />
                      <span className="text-sm text-muted-foreground" aria-live="polite">
                        {e.total
                          ? t('agencyExport.progressCount', {
                              done: e.done.toLocaleString(locale),
                              total: e.total.toLocaleString(locale),
                            })
                          : t('agencyExport.starting')}
                      </span>
                    </div>
                  ) : null}
                  {e.status === 'ready' ? (
                    <div className="flex flex-wrap items-center gap-3">
                      <Button asChild size="sm">
                        <a href={`/exports/${e.id}/download`} download>
                          <Download aria-hidden className="size-4" />
                          {t('agencyExport.download', { size: size(e.fileBytes ?? 0) })}
                        </a>
                      </Button>
                      {e.expiresAt ? (
                        <span className="text-sm text-muted-foreground">
                          {t('agencyExport.expires', { when: dateTime(e.expiresAt) })}
                        </span>
                      ) : null}
                    </div>
                  ) : null}
                  {e.status === 'ready' && e.counts ? (
                    <p className="text-sm text-muted-foreground">
                      {t('agencyExport.counts', {
                        leads: (e.counts['leads.csv'] ?? 0).toLocaleString(locale),
                        clients: (e.counts['clientes.csv'] ?? 0).toLocaleString(locale),
                        properties: (e.counts['imoveis.csv'] ?? 0).toLocaleString(locale),
                        messages: (e.counts['mensagens.csv'] ?? 0).toLocaleString(locale),
                        files: (e.counts.files ?? 0).toLocaleString(locale),
                      })}
                    </p>
                  ) : null}
                  {e.status === 'failed' ? <Alert variant="destructive">{t('agencyExport.failed')}</Alert> : null}
                </li>
              ))}
            </ul>
          )}
        </CardContent>
      </Card>
    </div>
  )
}
