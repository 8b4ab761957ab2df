import type { LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { can } from '@impera/api/permissions'
import { leadSourceValues, leadStatusValues, ZListLeadsInput } from '@impera/api/schemas'
import { Badge, Button, Card, CardContent, Input, Select, Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@impera/ui'
import { LeadsHeader, statusBadge } from '../components/leads-header'
import { formatDateTime, useI18n } from '../i18n'
import { displayPhones, recordsPageContext } from '../lib/records.server'
import { requirePermission } from '../lib/session.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { role } = await requirePermission(context, request, 'records.read')
  const url = new URL(request.url)
  const p = url.searchParams
  // Filters live in the URL so a view can be bookmarked or sent; unknown or bad values fall back to defaults.
  const parsed = ZListLeadsInput.safeParse({
    page: p.get('page') ?? undefined,
    sort: p.get('sort') ?? undefined,
    dir: p.get('dir') ?? undefined,
    q: p.get('q') || undefined,
    status: p.get('status') ? [p.get('status')] : undefined,
    source: p.get('source') ? [p.get('source')] : undefined,
    assignee: p.get('assignee') || undefined,
    createdFrom: p.get('from') || undefined,
    createdTo: p.get('to') ? new Date(new Date(p.get('to')!).getTime() + 24 * 3600 * 1000) : undefined,
  })
  const input = parsed.success ? parsed.data : ZListLeadsInput.parse({})
  const { caller, country, assignees } = await recordsPageContext(context)
  const result = await caller.leads.list(input)
  return {
    ...result,
    rows: result.rows.map((r) => ({ ...r, phones: displayPhones(r.phones, country) })),
    assignees,
    sort: input.sort,
    dir: input.dir,
    filtered: Boolean(input.q || input.status || input.source || input.assignee || input.createdFrom || input.createdTo),
    canDelete: can(role, 'records.delete'),
  }
}

function SortHeader({ column, label }: { column: string; label: string }) {
  const [params] = useSearchParams()
  const { sort, dir } = useLoaderData<typeof loader>()
  const next = new URLSearchParams(params)
  next.set('sort', column)
  next.set('dir', sort === column && dir === 'asc' ? 'desc' : 'asc')
  next.delete('page')
  return (
    <TableHead aria-sort={sort === column ? (dir === 'asc' ? 'ascending' : 'descending') : undefined}>
      <Link to={`?${next}`} className="inline-flex items-center gap-1 hover:text-foreground">
        {label}
        {sort === column ? <span aria-hidden>{dir === 'asc' ? '▲' : '▼'}</span> : null}
      </Link>
    </TableHead>
  )
}

export default function LeadsTable() {
  const { t, locale } = useI18n()
  const data = useLoaderData<typeof loader>()
  const [params] = useSearchParams()
  const navigation = useNavigation()
  const pages = Math.max(1, Math.ceil(data.total / data.pageSize))
  const pageLink = (page: number) => {
    const next = new URLSearchParams(params)
    next.set('page', String(page))
    return `?${next}`
  }
  return (
    <div className="flex min-w-0 flex-col gap-4">
      <LeadsHeader canDelete={data.canDelete} />
      <Form method="get" className="grid gap-2 sm:grid-cols-2 lg:grid-cols-6" role="search">
        <Input name="q" type="search" defaultValue={params.get('q') ?? ''} placeholder={t('leads.search')} aria-label={t('leads.search')} className="lg:col-span-2" />
        <Select name="status" defaultValue={params.get('status') ?? ''} aria-label={t('leads.status')}>
          <option value="">{t('leads.allStatuses')}</option>
          {leadStatusValues.map((s) => (
            <option key={s} value={s}>
              {t(`leads.statuses.${s}`)}
            </option>
          ))}
        </Select>
        <Select name="source" defaultValue={params.get('source') ?? ''} aria-label={t('leads.source')}>
          <option value="">{t('leads.allSources')}</option>
          {leadSourceValues.map((s) => (
            <option key={s} value={s}>
              {t(`leads.sources.${s}`)}
            </option>
          ))}
        </Select>
        <Select name="assignee" defaultValue={params.get('assignee') ?? ''} aria-label={t('leads.assignee')}>
          <option value="">{t('leads.anyone')}</option>
          <option value="me">{t('leads.mine')}</option>
          <option value="unassigned">{t('leads.unassigned')}</option>
          {data.assignees.map((a) => (
            <option key={a.userId} value={a.userId}>
              {a.name}
            </option>
          ))}
        </Select>
        <div className="flex gap-2">
          <Button type="submit" variant="secondary" loading={navigation.state === 'loading' && navigation.location?.pathname === '/app/leads'}>
            {t('leads.filter')}
          </Button>
          {data.filtered ? (
            <Button asChild variant="ghost">
              <Link to="/app/leads">{t('leads.clear')}</Link>
            </Button>
          ) : null}
        </div>
        <label className="flex items-center gap-2 text-sm lg:col-span-3">
          {t('leads.from')}
          <Input name="from" type="date" defaultValue={params.get('from') ?? ''} className="w-auto" />
          {t('leads.to')}
          <Input name="to" type="date" defaultValue={params.get('to') ?? ''} className="w-auto" aria-label={t('leads.to')} />
        </label>
      </Form>
      <Card>
        <CardContent className="p-0 sm:p-0">
          {data.rows.length === 0 ? (
            <div className="grid justify-items-center gap-3 p-10 text-center text-muted-foreground">
              <p>{data.filtered ? t('leads.empty') : t('leads.emptyAll')}</p>
              {data.filtered ? null : (
                <Button asChild>
                  <Link to="/app/leads/new">{t('leads.new')}</Link>
                </Button>
              )}
            </div>
          ) : (
            <Table aria-busy={navigation.state === 'loading'}>
              <TableHeader>
                <TableRow>
                  <SortHeader column="name" label={t('leads.name')} />
                  <TableHead className="hidden md:table-cell">{t('leads.phones')}</TableHead>
                  <SortHeader column="status" label={t('leads.status')} />
                  <TableHead className="hidden sm:table-cell">{t('leads.source')}</TableHead>
                  <TableHead className="hidden lg:table-cell">{t('leads.assignee')}</TableHead>
                  <SortHeader column="createdAt" label={t('leads.created')} />
                </TableRow>
              </TableHeader>
              <TableBody>
                {data.rows.map((r) => (
                  <TableRow key={r.id} data-testid="lead-row">
                    <TableCell>
                      <Link to={`/app/leads/${r.id}`} className="font-medium text-primary hover:underline">
                        {r.name}
                      </Link>
                      <div className="text-xs text-muted-foreground md:hidden">{r.phones[0] ?? r.email}</div>
                    </TableCell>
                    <TableCell className="hidden md:table-cell">{r.phones.join(', ') || r.email}</TableCell>
                    <TableCell>
                      <Badge variant={statusBadge[r.status]}>{t(`leads.statuses.${r.status}`)}</Badge>
                    </TableCell>
                    <TableCell className="hidden sm:table-cell">{t(`leads.sources.${r.source}`)}</TableCell>
                    <TableCell className="hidden lg:table-cell">{r.assigneeName ?? <span className="text-muted-foreground">{t('leads.unassigned')}</span>}</TableCell>
                    <TableCell className="whitespace-nowrap">{formatDateTime(locale, r.createdAt)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>
      <nav className="flex flex-wrap items-center justify-between gap-2 text-sm" aria-label={t('leads.page', { page: data.page, pages })}>
        <span className="text-muted-foreground">{t('leads.total', { total: data.total })}</span>
        <div className="flex items-center gap-2">
          {data.page > 1 ? (
            <Button asChild variant="outline" size="sm">
              <Link to={pageLink(data.page - 1)}>{t('leads.previous')}</Link>
            </Button>
          ) : null}
          <span>{t('leads.page', { page: data.page, pages })}</span>
          {data.page < pages ? (
            <Button asChild variant="outline" size="sm">
              <Link to={pageLink(data.page + 1)}>{t('leads.next')}</Link>
            </Button>
          ) : null}
        </div>
      </nav>
    </div>
  )
}
