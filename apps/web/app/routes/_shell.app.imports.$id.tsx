import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useFetcher, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import {
  Alert,
  Badge,
  Button,
  Card,
  CardContent,
  CardHeader,
  CardTitle,
  Progress as UiProgress,
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
import { useBackgroundRevalidate, useLiveSignal } from '../lib/live'
import { requirePermission } from '../lib/session.server'
import { recordPaths, statusTone } from './_shell.app.imports._index'
import { PageHeader } from '../components/page-header'

const outcomes = ['refuse', 'skip', 'update', 'create'] as const
type Outcome = (typeof outcomes)[number]

/** One import (decisions 024, 045): map the columns, read the report, run it with live progress, cancel, undo. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requirePermission(context, request, 'records.import')
  const caller = await context.scope.caller()
  const url = new URL(request.url)
  const raw = url.searchParams.get('outcome')
  const outcome = (outcomes as readonly string[]).includes(raw ?? '') ? (raw as Outcome) : undefined
  const after = Number(url.searchParams.get('after') ?? '')
  const item = await caller.imports.get({ id: params.id! })
  const report = await caller.imports.rows({
    id: params.id!,
    outcome,
    after: Number.isSafeInteger(after) && after > 0 ? after : undefined,
  })
  return { item, report, outcome: outcome ?? null }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  await requirePermission(context, request, 'records.import')
  const fd = await readForm(request)
  const caller = await context.scope.caller()
  const id = params.id!
  switch (fd.get('intent')) {
    case 'validate': {
      const width = Number(fd.get('columns'))
      const mapping = Array.from(
        { length: Number.isSafeInteger(width) && width > 0 ? Math.min(width, 500) : 0 },
        (_, i) => {
          const v = fd.get(`column-${i}`)
          return typeof v === 'string' && v ? v : null
        },
      )
      const policy = String(fd.get('duplicatePolicy') ?? 'skip')
      return runAction(
        context,
        () =>
          caller.imports.validate({
            id,
            mapping,
            duplicatePolicy: policy as 'skip' | 'update' | 'create',
            distribute: fd.get('distribute') === 'on',
          }),
        () => ({ ok: true }),
      )
    }
    case 'start':
      return runAction(
        context,
        () => caller.imports.start({ id }),
        () => ({ ok: true }),
      )
    case 'cancel':
      return runAction(
        context,
        () => caller.imports.cancel({ id }),
        () => ({ ok: true, message: 'imports.cancelled' }),
      )
    case 'undo':
      return runAction(
        context,
        () => caller.imports.undo({ id }),
        () => ({ ok: true, message: 'imports.undoneToast' }),
      )
    default:
      return new Response('Unknown intent', { status: 400 })
  }
}

function Mapping() {
  const { t } = useI18n()
  const { item } = useLoaderData<typeof loader>()
  const result = useActionData<FormResult>()
  const navigation = useNavigation()
  const busy = navigation.state !== 'idle'
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t('imports.mapping.title')}</CardTitle>
      </CardHeader>
      <CardContent>
        <Form method="post" className="grid gap-4">
          <input type="hidden" name="intent" value="validate" />
          <input type="hidden" name="columns" value={item.headers.length} />
          <p className="text-sm text-muted-foreground">{t('imports.mapping.intro')}</p>
          <div className="overflow-x-auto">
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>{t('imports.mapping.column')}</TableHead>
                  <TableHead>{t('imports.mapping.sample')}</TableHead>
                  <TableHead>{t('imports.mapping.field')}</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {item.headers.map((h, i) => (
                  <TableRow key={i}>
                    <TableCell className="font-medium">{h}</TableCell>
                    <TableCell className="max-w-xs text-sm text-muted-foreground">
                      <span className="line-clamp-2 break-all">
                        {item.sample
                          .map((r) => r[i])
                          .filter(Boolean)
                          .slice(0, 3)
                          .join(' · ') || '—'}
                      </span>
                    </TableCell>
                    <TableCell>
                      <select
                        name={`column-${i}`}
                        aria-label={t('imports.mapping.fieldFor', { column: h })}
                        defaultValue={item.mapping?.[i] ?? ''}
                        className="h-9 rounded-md border border-input bg-background px-2 text-sm focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
                        data-testid={`map-${i}`}
                      >
                        <option value="">{t('imports.mapping.ignore')}</option>
                        {item.fields.map((f) => (
                          <option key={f} value={f}>
                            {t(`imports.fields.${f}`)}
                          </option>
                        ))}
                      </select>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
          <fieldset className="grid gap-2">
            <legend className="mb-1 text-sm font-medium">{t(`imports.duplicates.title.${item.kind}`)}</legend>
            {(['skip', 'update', 'create'] as const).map((p) => (
              <label key={p} className="flex items-start gap-2 text-sm">
                <input
                  type="radio"
                  name="duplicatePolicy"
                  value={p}
                  defaultChecked={item.duplicatePolicy === p}
                  className="mt-1"
                />
                <span>
                  <span className="font-medium">{t(`imports.duplicates.${p}`)}</span>
                  <span className="block text-muted-foreground">{t(`imports.duplicates.${p}Help.${item.kind}`)}</span>
                </span>
              </label>
            ))}
          </fieldset>
          {item.kind === 'leads' ? (
            <label className="flex items-start gap-2 text-sm">
              <input type="checkbox" name="distribute" defaultChecked={item.distribute} className="mt-1" />
              <span>
                <span className="font-medium">{t('imports.distribute')}</span>
                <span className="block text-muted-foreground">{t('imports.distributeHelp')}</span>
              </span>
            </label>
          ) : null}
          {result && !result.ok ? (
            <Alert variant="destructive" role="alert" data-testid="import-mapping-error">
              {t(result.formError ?? Object.values(result.fieldErrors ?? {})[0]?.[0] ?? 'errors.invalidInput')}
            </Alert>
          ) : null}
          <div>
            <Button type="submit" disabled={busy} data-testid="import-validate">
              {t('imports.mapping.validate')}
            </Button>
          </div>
        </Form>
      </CardContent>
    </Card>
  )
}

function Progress({ value, max, label }: { value: number; max: number; label: string }) {
  const percent = max > 0 ? Math.min(100, Math.round((value / max) * 100)) : 0
  return (
    <div className="grid gap-1">
      <UiProgress value={value} max={max} label={label} />
      <span className="text-sm text-muted-foreground" data-testid="import-progress" aria-live="polite">
        {percent}%
      </span>
    </div>
  )
}

function Counts({ counts, planned }: { counts: Record<Outcome, number>; planned: boolean }) {
  const { t, locale } = useI18n()
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
      {(['create', 'update', 'skip', 'refuse'] as const).map((o) => (
        <div key={o} className="rounded-md border p-3" data-testid={`count-${o}`}>
          <dt className="text-xs text-muted-foreground">{t(`imports.${planned ? 'planned' : 'result'}.${o}`)}</dt>
          <dd className="text-xl font-semibold">{counts[o].toLocaleString(locale)}</dd>
        </div>
      ))}
    </dl>
  )
}

function Report() {
  const { t } = useI18n()
  const { item, report, outcome } = useLoaderData<typeof loader>()
  const [params] = useSearchParams()
  const filter = (o: Outcome | null) => {
    const next = new URLSearchParams(params)
    next.delete('after')
    if (o) next.set('outcome', o)
    else next.delete('outcome')
    const q = next.toString()
    return q ? `?${q}` : '.'
  }
  return (
    <Card>
      <CardHeader className="flex flex-row flex-wrap items-center justify-between gap-2">
        <CardTitle>{t('imports.report.title')}</CardTitle>
        {report.rows.length || outcome ? (
          // A document download, not a page: the browser saves the file (reloadDocument skips the client router).
          <Button asChild size="sm" variant="outline">
            <Link to={`/app/imports/${item.id}/report.csv`} reloadDocument data-testid="import-report-csv">
              {t('imports.report.download')}
            </Link>
          </Button>
        ) : null}
      </CardHeader>
      <CardContent className="grid gap-3">
        <nav aria-label={t('imports.report.title')} className="flex flex-wrap gap-2">
          {[null, ...outcomes].map((o) => (
            <Button key={o ?? 'all'} asChild size="sm" variant={outcome === o ? 'default' : 'outline'}>
              <Link to={filter(o)} preventScrollReset>
                {o ? t(`imports.outcome.${o}`) : t('imports.report.all')}
              </Link>
            </Button>
          ))}
        </nav>
        {report.rows.length === 0 ? (
          <p className="text-sm text-muted-foreground">{t(`imports.report.empty.${item.kind}`)}</p>
        ) : (
          <div className="overflow-x-auto">
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>{t('imports.report.row')}</TableHead>
                  <TableHead>{t('imports.report.outcome')}</TableHead>
                  <TableHead>{t('imports.report.why')}</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {report.rows.map((r) => (
                  <TableRow key={r.row} data-testid="import-report-row">
                    <TableCell>{r.row}</TableCell>
                    <TableCell>
                      <Badge variant={r.outcome === 'refuse' ? 'destructive' : 'outline'}>
                        {t(`imports.outcome.${r.outcome}`)}
                      </Badge>
                    </TableCell>
                    <TableCell className="text-sm">
                      {r.reasons.map((why) => t(`imports.reasons.${why}`)).join('; ')}
                      {r.recordId && item.status !== 'undone' ? (
                        <>
                          {' '}
                          <Link to={`${recordPaths[item.kind]}/${r.recordId}`} className="underline">
                            {t(`imports.report.open.${item.kind}`)}
                          </Link>
                        </>
                      ) : null}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        )}
        {report.next ? (
          <div>
            <Button asChild variant="outline" size="sm">
              <Link
                to={`?${new URLSearchParams({ ...Object.fromEntries(params), after: String(report.next) }).toString()}`}
                preventScrollReset
              >
                {t('imports.report.more')}
              </Link>
            </Button>
          </div>
        ) : null}
      </CardContent>
    </Card>
  )
}

function Actions() {
  const { t } = useI18n()
  const { item } = useLoaderData<typeof loader>()
  const fetcher = useFetcher<FormResult>()
  const [confirmUndo, setConfirmUndo] = useState(false)
  useResultToast(fetcher.data)
  const busy = fetcher.state !== 'idle'
  const error = fetcher.data && !fetcher.data.ok ? (fetcher.data.formError ?? 'errors.invalidInput') : null
  return (
    <div className="grid gap-3">
      <div className="flex flex-wrap items-center gap-2">
        {item.status === 'validated' ? (
          <fetcher.Form method="post">
            <input type="hidden" name="intent" value="start" />
            <Button type="submit" disabled={busy} data-testid="import-start">
              {t(`imports.start.${item.kind}`, { count: item.planned ? item.planned.create + item.planned.update : 0 })}
            </Button>
          </fetcher.Form>
        ) : null}
        {item.status === 'validating' || item.status === 'running' ? (
          <fetcher.Form method="post">
            <input type="hidden" name="intent" value="cancel" />
            <Button type="submit" variant="outline" disabled={busy} data-testid="import-cancel">
              {t('imports.cancel')}
            </Button>
          </fetcher.Form>
        ) : null}
        {item.status === 'done' || item.status === 'cancelled' ? (
          confirmUndo ? (
            <fetcher.Form method="post" className="flex flex-wrap items-center gap-2" role="alert">
              <input type="hidden" name="intent" value="undo" />
              <span className="text-sm">{t(`imports.undoConfirm.${item.kind}`)}</span>
              <Button type="submit" variant="destructive" disabled={busy} autoFocus data-testid="import-undo-confirm">
                {t('imports.undo')}
              </Button>
              <Button type="button" variant="ghost" onClick={() => setConfirmUndo(false)}>
                {t('common.cancel')}
              </Button>
            </fetcher.Form>
          ) : (
            <Button type="button" variant="outline" onClick={() => setConfirmUndo(true)} data-testid="import-undo">
              {t('imports.undo')}
            </Button>
          )
        ) : null}
      </div>
      {error ? (
        <Alert variant="destructive" role="alert">
          {t(error, { count: Number(fetcher.data?.meta?.count ?? 0) })}
        </Alert>
      ) : null}
    </div>
  )
}

export default function ImportPage() {
  const { t, dateTime } = useI18n()
  const { item } = useLoaderData<typeof loader>()
  useLiveSignal('imports:changed', useBackgroundRevalidate(), 200)
  const mapping = item.status === 'uploaded' || item.status === 'validated' || item.status === 'failed'
  const done = item.done.create + item.done.update + item.done.skip + item.done.refuse
  return (
    <div className="grid grid-cols-[minmax(0,1fr)] gap-6">
      <PageHeader
        back={{ to: '/app/imports', label: t('imports.title') }}
        title={<span className="break-all">{item.fileName}</span>}
        description={
          <p className="text-sm text-muted-foreground">
            {t(`imports.kinds.${item.kind}`)} · {t('imports.uploadedAt', { when: dateTime(item.createdAt) })}
            {item.encoding ? ` · ${item.encoding}` : ''}
            {item.separator ? ` · “${item.separator === '\t' ? 'tab' : item.separator}”` : ''}
          </p>
        }
        controls={
          <Badge variant={statusTone[item.status]} data-testid="import-status">
            {t(`imports.status.${item.status}`)}
          </Badge>
        }
      />
      {item.error ? (
        <Alert variant="destructive" role="alert" data-testid="import-error">
          {t(item.error)}
        </Alert>
      ) : null}
      {item.status === 'validating' ? (
        <Card>
          <CardContent className="grid gap-3 pt-6" aria-live="polite">
            <p className="text-sm">{t('imports.validating')}</p>
            <Actions />
          </CardContent>
        </Card>
      ) : null}
      {item.status === 'validated' && item.planned ? (
        <Card>
          <CardHeader>
            <CardTitle>{t('imports.planned.title', { count: item.totalRows ?? 0 })}</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-4">
            <Counts counts={item.planned} planned />
            <Actions />
          </CardContent>
        </Card>
      ) : null}
      {item.status === 'running' ||
      item.status === 'done' ||
      item.status === 'cancelled' ||
      item.status === 'undone' ? (
        <Card>
          <CardHeader>
            <CardTitle>{t(`imports.result.title.${item.status}`)}</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-4">
            {item.status === 'running' ? (
              <Progress value={done} max={item.totalRows ?? 0} label={t('imports.result.title.running')} />
            ) : null}
            <Counts counts={item.done} planned={false} />
            {item.finishedAt ? (
              <p className="text-sm text-muted-foreground">
                {t('imports.finishedAt', { when: dateTime(item.finishedAt) })}
              </p>
            ) : null}
            {item.status === 'done' || item.status === 'cancelled' ? (
              <Button asChild variant="outline" className="w-fit">
                <Link to={recordPaths[item.kind]}>{t(`imports.see.${item.kind}`)}</Link>
              </Button>
            ) : null}
            <Actions />
          </CardContent>
        </Card>
      ) : null}
      {mapping && item.fileKept ? <Mapping /> : null}
      {item.status !== 'uploaded' && item.status !== 'validating' ? <Report /> : null}
    </div>
  )
}
