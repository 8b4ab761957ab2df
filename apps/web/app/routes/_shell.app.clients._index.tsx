import { Users } from 'lucide-react'
import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { formatDocument } from '@impera/api/documents'
import { clientTypeValues, listViewKeys, ZListClientsInput } from '@impera/api/schemas'
import { Badge, Input } from '@impera/ui'
import { BulkBar, useListSelection } from '../components/bulk-bar'
import { ClientsHeader } from '../components/clients-header'
import { ConsentFilter, DayRange, FilterPopover, MultiCheck } from '../components/list-controls'
import { RecordList, type ListColumn } from '../components/record-list'
import { useI18n } from '../i18n'
import { bulkListAction, bulkListFields } from '../lib/bulk.server'
import { clientListParams, parseListParams, visibleColumns } from '../lib/list-params'
import { displayPhones, recordsPageContext } from '../lib/records.server'
import { requirePermission } from '../lib/session.server'
import { PersonPicker } from '../components/person-picker'

const columnIds = [
  'phones',
  'email',
  'types',
  'document',
  'city',
  'tags',
  'assignee',
  'createdAt',
  'updatedAt',
] as const
type ColumnId = (typeof columnIds)[number]
const defaultColumns: ColumnId[] = ['phones', 'types', 'document', 'assignee', 'createdAt']
/** The URL keys that filter (a saved view's keys, less its order and columns). */
const filterKeys = listViewKeys.clients.filter((k) => !['sort', 'dir', 'cols'].includes(k))

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { role, identity } = await requirePermission(context, request, 'records.read')
  const p = new URL(request.url).searchParams
  const { caller, country, timezone, assignees } = await recordsPageContext(context)
  const { input, parsed, ignored } = parseListParams(ZListClientsInput, p, clientListParams, timezone)
  const [result, views] = await Promise.all([caller.clients.list(input), caller.views.list({ list: 'clients' })])
  return {
    ...result,
    rows: result.rows.map((r) => ({
      ...r,
      phones: displayPhones(r.phones, country),
      dial: r.phones[0] ? { e164: r.phones[0], display: displayPhones([r.phones[0]], country)[0]! } : null,
      document: r.document ? formatDocument(r.document) : null,
    })),
    assignees,
    views,
    ignored,
    columns: visibleColumns(p, columnIds, defaultColumns),
    sort: parsed.sort,
    dir: parsed.dir,
    types: parsed.type ?? [],
    filtered: filterKeys.some((k) => p.get(k)),
    ...bulkListFields({ role, userId: identity.userId }, p, filterKeys, ignored),
  }
}

/** Bulk actions (decisions 028, 032) on the ticked clients, or on all that match the page's filters. */
export const action = bulkListAction('client')

type Row = ReturnType<typeof useLoaderData<typeof loader>>['rows'][number]

export default function ClientsList() {
  const { t, dateTime } = useI18n()
  const data = useLoaderData<typeof loader>()
  const [params] = useSearchParams()
  const ticks = useListSelection('client', data.rows, (r) => r.name)
  const columns: ListColumn<Row, ColumnId>[] = [
    {
      id: 'phones',
      label: t('clients.phones'),
      sortable: false,
      className: 'hidden md:table-cell',
      cell: (r) => r.phones.join(', '),
    },
    { id: 'email', label: t('clients.email'), sortable: true, className: 'hidden md:table-cell', cell: (r) => r.email },
    {
      id: 'types',
      label: t('clients.types'),
      sortable: false,
      className: 'hidden sm:table-cell',
      cell: (r) => (
        <span className="flex flex-wrap gap-1">
          {r.types.map((ct) => (
            <Badge key={ct} variant="outline">
              {t(`clients.typeNames.${ct}`)}
            </Badge>
          ))}
        </span>
      ),
    },
    {
      id: 'document',
      label: t('clients.document'),
      sortable: true,
      className: 'hidden whitespace-nowrap lg:table-cell',
      cell: (r) => r.document,
    },
    { id: 'city', label: t('clients.city'), sortable: true, className: 'hidden sm:table-cell', cell: (r) => r.city },
    {
      id: 'tags',
      label: t('clients.tags'),
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
      id: 'assignee',
      label: t('clients.assignee'),
      sortable: true,
      className: 'hidden lg:table-cell',
      cell: (r) => r.assigneeName ?? <span className="text-muted-foreground">{t('records.unassigned')}</span>,
    },
    {
      id: 'createdAt',
      label: t('clients.created'),
      sortable: true,
      className: 'hidden whitespace-nowrap sm:table-cell',
      cell: (r) => dateTime(r.createdAt),
    },
    {
      id: 'updatedAt',
      label: t('leads.updated'),
      sortable: true,
      className: 'hidden whitespace-nowrap sm:table-cell',
      cell: (r) => dateTime(r.updatedAt),
    },
  ]
  const moreFilters = ['tags', 'city', 'consent', 'from', 'to', 'updatedFrom', 'updatedTo'].filter((k) =>
    params.get(k),
  ).length
  return (
    <RecordList
      list="clients"
      basePath="/app/clients"
      header={<ClientsHeader canDelete={data.canDelete} exportable />}
      data={data}
      selection={data.canWrite ? ticks.selection : undefined}
      bulkBar={data.canWrite ? <BulkBar entity="client" list={data} ticks={ticks} /> : null}
      columns={columns}
      first={{
        column: 'name',
        label: t('clients.name'),
        cell: (r) => (
          <>
            <Link to={`/app/clients/${r.id}`} className="font-medium text-primary hover:underline">
              {r.name}
            </Link>
            <div className="text-xs text-muted-foreground md:hidden">{r.phones[0] ?? r.email}</div>
          </>
        ),
      }}
      emptyIcon={Users}
      rowTestId="client-row"
      card={(r) => ({
        title: r.name,
        to: `/app/clients/${r.id}`,
        whatsapp: r.dial ? `/app/clients/${r.id}` : undefined,
        phone: r.dial,
        badges: r.types.map((ct) => (
          <Badge key={ct} variant="outline">
            {t(`clients.typeNames.${ct}`)}
          </Badge>
        )),
        subtitle: r.phones[0] ?? r.email,
        meta: [r.assigneeName ?? t('records.unassigned'), r.document].filter(Boolean).join(' · '),
      })}
      text={{
        search: t('clients.search'),
        filter: t('records.filter'),
        clear: t('records.clear'),
        empty: t('clients.empty'),
        emptyAll: t('clients.emptyAll'),
        create: t('clients.new'),
        totalKey: 'clients.total',
      }}
      filterKeys={filterKeys}
      grid={{ form: 'lg:grid-cols-5', actions: 'lg:col-span-5' }}
      filters={
        <>
          <MultiCheck
            name="type"
            label={
              data.types.length
                ? data.types.map((ct) => t(`clients.typeNames.${ct}`)).join(', ')
                : t('clients.allTypes')
            }
            options={clientTypeValues.map((ct) => ({ value: ct, label: t(`clients.typeNames.${ct}`) }))}
            selected={data.types}
          />
          <PersonPicker
            name="assignee"
            defaultValue={params.get('assignee') ?? ''}
            aria-label={t('clients.assignee')}
            choices={[
              { value: '', label: t('records.anyone') },
              { value: 'me', label: t('records.mine') },
              { value: 'unassigned', label: t('records.unassigned') },
            ]}
            people={data.assignees}
          />
          <FilterPopover label={t('lists.moreFilters')} active={moreFilters} align="end" apply={t('records.filter')}>
            <div className="grid w-[min(26rem,80vw)] gap-3 p-1">
              <label className="grid gap-1 text-sm">
                {t('clients.city')}
                <Input name="city" defaultValue={params.get('city') ?? ''} />
              </label>
              <label className="grid gap-1 text-sm">
                {t('clients.tags')}
                <Input name="tags" defaultValue={params.getAll('tags').join(', ')} placeholder={t('lists.tagsHint')} />
              </label>
              <ConsentFilter value={params.get('consent')} />
              <DayRange label={t('clients.created')} fromName="from" toName="to" />
              <DayRange label={t('leads.updated')} fromName="updatedFrom" toName="updatedTo" />
            </div>
          </FilterPopover>
        </>
      }
    />
  )
}
