import type { LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { can } from '@impera/api/permissions'
import { leadSources, leadStatuses, ZListLeadsInput } from '@impera/api/schemas'
import {
  Badge,
  Button,
  Card,
  CardContent,
  Input,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@impera/ui'
import { LeadsHeader, statusBadge } from '../components/leads-header'
import {
  ColumnChooser,
  CursorPager,
  DayRange,
  FilterPopover,
  FoldedFilters,
  IgnoredFilters,
  KeepParams,
  MultiCheck,
  SortHeader,
  useTotalLabel,
  ViewsMenu,
} from '../components/list-controls'
import { useI18n } from '../i18n'
import { formatMoney } from '../lib/format'
import { parseListParams, visibleColumns } from '../lib/list-params'
import { displayPhones, recordsPageContext } from '../lib/records.server'
import { requirePermission } from '../lib/session.server'

/** The columns that can be shown (name always is), and which ones a fresh list shows. */
const columnIds = [
  'phones',
  'email',
  'status',
  'source',
  'assignee',
  'interest',
  'budget',
  'tags',
  'firstContactAt',
  'createdAt',
  'updatedAt',
] as const
type ColumnId = (typeof columnIds)[number]
const defaultColumns: ColumnId[] = ['phones', 'status', 'source', 'assignee', 'createdAt']
const filterKeys = ['q', 'status', 'source', 'assignee', 'tags', 'interest', 'from', 'to', 'updatedFrom', 'updatedTo']

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { role } = await requirePermission(context, request, 'records.read')
  const p = new URL(request.url).searchParams
  const { caller, country, currency, timezone, assignees } = await recordsPageContext(context)
  const { input, parsed, ignored } = parseListParams(
    ZListLeadsInput,
    p,
    {
      multi: ['status', 'source', 'tags'],
      days: {
        from: { key: 'createdFrom' },
        to: { key: 'createdTo', end: true },
        updatedFrom: { key: 'updatedFrom' },
        updatedTo: { key: 'updatedTo', end: true },
      },
    },
    timezone,
  )
  const [result, views] = await Promise.all([caller.leads.list(input), caller.views.list({ list: 'leads' })])
  return {
    ...result,
    rows: result.rows.map((r) => ({ ...r, phones: displayPhones(r.phones, country) })),
    assignees,
    currency,
    views,
    ignored,
    columns: visibleColumns(p, columnIds, defaultColumns) as ColumnId[],
    sort: parsed.sort,
    dir: parsed.dir,
    filters: { status: parsed.status ?? [], source: parsed.source ?? [] },
    filtered: filterKeys.some((k) => p.get(k)),
    canDelete: can(role, 'records.delete'),
  }
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>['rows'][number]

export default function LeadsTable() {
  const { t, locale, dateTime } = useI18n()
  const data = useLoaderData<typeof loader>()
  const [params] = useSearchParams()
  const navigation = useNavigation()
  const totalLabel = useTotalLabel()
  const shown = new Set(data.columns)
  const loading = navigation.state === 'loading' && navigation.location?.pathname === '/app/leads'
  const columns: {
    id: ColumnId
    label: string
    sortable: boolean
    className?: string
    cell: (r: Row) => React.ReactNode
  }[] = [
    {
      id: 'phones',
      label: t('leads.phones'),
      sortable: false,
      className: 'hidden md:table-cell',
      cell: (r) => r.phones.join(', '),
    },
    { id: 'email', label: t('leads.email'), sortable: true, className: 'hidden md:table-cell', cell: (r) => r.email },
    {
      id: 'status',
      label: t('leads.status'),
      sortable: true,
      cell: (r) => <Badge variant={statusBadge[r.status]}>{t(`leads.statuses.${r.status}`)}</Badge>,
    },
    {
      id: 'source',
      label: t('leads.source'),
      sortable: true,
      className: 'hidden sm:table-cell',
      cell: (r) => t(`leads.sources.${r.source}`),
    },
    {
      id: 'assignee',
      label: t('leads.assignee'),
      sortable: true,
      className: 'hidden lg:table-cell',
      cell: (r) => r.assigneeName ?? <span className="text-muted-foreground">{t('leads.unassigned')}</span>,
    },
    {
      id: 'interest',
      label: t('leads.interest'),
      sortable: true,
      className: 'hidden sm:table-cell',
      cell: (r) => (r.interest ? t(`leads.interests.${r.interest}`) : null),
    },
    {
      id: 'budget',
      label: t('lists.budget'),
      sortable: true,
      className: 'hidden sm:table-cell whitespace-nowrap',
      cell: (r) =>
        [r.budgetMin, r.budgetMax]
          .map((v) => (v === null ? '' : formatMoney(v, data.currency, locale)))
          .filter(Boolean)
          .join(' – '),
    },
    {
      id: 'tags',
      label: t('leads.tags'),
      sortable: false,
      className: 'hidden md:table-cell',
      cell: (r) =>
        r.tags.map((tag) => (
          <Badge key={tag} variant="secondary" className="mr-1">
            {tag}
          </Badge>
        )),
    },
    {
      id: 'firstContactAt',
      label: t('lists.firstContact'),
      sortable: true,
      className: 'hidden md:table-cell whitespace-nowrap',
      cell: (r) => (r.firstContactAt ? dateTime(r.firstContactAt) : null),
    },
    {
      id: 'createdAt',
      label: t('leads.created'),
      sortable: true,
      className: 'whitespace-nowrap',
      cell: (r) => dateTime(r.createdAt),
    },
    {
      id: 'updatedAt',
      label: t('leads.updated'),
      sortable: true,
      className: 'hidden sm:table-cell whitespace-nowrap',
      cell: (r) => dateTime(r.updatedAt),
    },
  ]
  const visible = columns.filter((c) => shown.has(c.id))
  const moreFilters = ['tags', 'interest', 'from', 'to', 'updatedFrom', 'updatedTo'].filter((k) => params.get(k)).length
  return (
    <div className="flex min-w-0 flex-col gap-4">
      <LeadsHeader canDelete={data.canDelete} />
      <div className="flex flex-wrap items-center justify-between gap-2">
        <ViewsMenu list="leads" views={data.views} basePath="/app/leads" />
        <ColumnChooser columns={columns.map((c) => ({ id: c.id, label: c.label }))} visible={data.columns} />
      </div>
      <Form
        method="get"
        className="grid gap-2 sm:grid-cols-2 lg:grid-cols-6"
        role="search"
        aria-label={t('lists.filters')}
      >
        <KeepParams keys={['view', 'cols', 'sort', 'dir']} />
        <Input
          name="q"
          type="search"
          defaultValue={params.get('q') ?? ''}
          placeholder={t('leads.search')}
          aria-label={t('leads.search')}
          className="lg:col-span-2"
        />
        <FoldedFilters active={filterKeys.filter((k) => k !== 'q' && params.get(k)).length}>
          <MultiCheck
            name="status"
            label={
              data.filters.status.length
                ? data.filters.status.map((s) => t(`leads.statuses.${s}`)).join(', ')
                : t('leads.allStatuses')
            }
            options={leadStatuses.map((s) => ({ value: s, label: t(`leads.statuses.${s}`) }))}
            selected={data.filters.status}
          />
          <MultiCheck
            name="source"
            label={
              data.filters.source.length
                ? data.filters.source.map((s) => t(`leads.sources.${s}`)).join(', ')
                : t('leads.allSources')
            }
            options={leadSources.map((s) => ({ value: s, label: t(`leads.sources.${s}`) }))}
            selected={data.filters.source}
          />
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
          <FilterPopover label={t('lists.moreFilters')} active={moreFilters} align="end">
            <div className="grid w-[min(26rem,80vw)] gap-3 p-1">
              <label className="grid gap-1 text-sm">
                {t('leads.tags')}
                <Input name="tags" defaultValue={params.getAll('tags').join(', ')} placeholder={t('lists.tagsHint')} />
              </label>
              <label className="grid gap-1 text-sm">
                {t('leads.interest')}
                <Select name="interest" defaultValue={params.get('interest') ?? ''}>
                  <option value="">{t('lists.any')}</option>
                  <option value="buy">{t('leads.interests.buy')}</option>
                  <option value="rent">{t('leads.interests.rent')}</option>
                </Select>
              </label>
              <DayRange label={t('leads.created')} fromName="from" toName="to" />
              <DayRange label={t('leads.updated')} fromName="updatedFrom" toName="updatedTo" />
            </div>
          </FilterPopover>
        </FoldedFilters>
        <div className="flex gap-2 lg:col-span-6 lg:justify-end">
          <Button type="submit" variant="secondary" loading={loading}>
            {t('leads.filter')}
          </Button>
          {data.filtered ? (
            <Button asChild variant="ghost">
              <Link to="/app/leads">{t('leads.clear')}</Link>
            </Button>
          ) : null}
        </div>
      </Form>
      <IgnoredFilters ignored={data.ignored} />
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
            <Table aria-busy={loading} className={loading ? 'opacity-60 transition-opacity' : undefined}>
              <TableHeader>
                <TableRow>
                  <SortHeader column="name" label={t('leads.name')} sort={data.sort} dir={data.dir} />
                  {visible.map((c) =>
                    c.sortable ? (
                      <SortHeader
                        key={c.id}
                        column={c.id}
                        label={c.label}
                        sort={data.sort}
                        dir={data.dir}
                        className={c.className}
                      />
                    ) : (
                      <TableHead key={c.id} className={c.className}>
                        {c.label}
                      </TableHead>
                    ),
                  )}
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
                    {visible.map((c) => (
                      <TableCell key={c.id} className={c.className}>
                        {c.cell(r)}
                      </TableCell>
                    ))}
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>
      <CursorPager next={data.next} prev={data.prev} totalLabel={totalLabel(data.total, 'leads.total')} />
    </div>
  )
}
