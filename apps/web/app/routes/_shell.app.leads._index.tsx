import { Target } from 'lucide-react'
import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { leadSources, leadStatuses, leadTemperatures, listViewKeys, ZListLeadsInput } from '@impera/api/schemas'
import { Badge, Input, Select } from '@impera/ui'
import { BulkBar, useListSelection } from '../components/bulk-bar'
import { LeadsHeader, statusBadge } from '../components/leads-header'
import { temperatureVariant } from '../components/lead-qualification'
import { ConsentFilter, DayRange, FilterPopover, MultiCheck } from '../components/list-controls'
import { RecordList, type ListColumn } from '../components/record-list'
import { useI18n } from '../i18n'
import { formatMoney } from '../lib/format'
import { leadListParams, parseListParams, visibleColumns } from '../lib/list-params'
import { displayPhones, recordsPageContext } from '../lib/records.server'
import { bulkListAction, bulkListFields } from '../lib/bulk.server'
import { requirePermission } from '../lib/session.server'
import { PersonPicker } from '../components/person-picker'

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
  'score',
  'temperature',
  'createdAt',
  'updatedAt',
] as const
type ColumnId = (typeof columnIds)[number]
const defaultColumns: ColumnId[] = ['phones', 'status', 'source', 'assignee', 'createdAt']
/** The URL keys that filter (a saved view's keys, less its order and columns). */
const filterKeys = listViewKeys.leads.filter((k) => !['sort', 'dir', 'cols'].includes(k))

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { role, identity } = await requirePermission(context, request, 'records.read')
  const p = new URL(request.url).searchParams
  const { caller, country, currency, timezone, assignees } = await recordsPageContext(context)
  const { input, parsed, ignored } = parseListParams(ZListLeadsInput, p, leadListParams, timezone)
  const [result, views] = await Promise.all([caller.leads.list(input), caller.views.list({ list: 'leads' })])
  return {
    ...result,
    rows: result.rows.map((r) => ({
      ...r,
      phones: displayPhones(r.phones, country),
      dial: r.phones[0] ? { e164: r.phones[0], display: displayPhones([r.phones[0]], country)[0]! } : null,
    })),
    assignees,
    currency,
    views,
    ignored,
    columns: visibleColumns(p, columnIds, defaultColumns),
    sort: parsed.sort,
    dir: parsed.dir,
    filters: { status: parsed.status ?? [], source: parsed.source ?? [], temperature: parsed.temperature ?? [] },
    filtered: filterKeys.some((k) => p.get(k)),
    ...bulkListFields({ role, userId: identity.userId }, p, filterKeys, ignored),
  }
}

/** Bulk actions (decisions 028, 032) on the ticked leads, or on all that match the page's filters. */
export const action = bulkListAction('lead')

type Row = ReturnType<typeof useLoaderData<typeof loader>>['rows'][number]

export default function LeadsTable() {
  const { t, locale, dateTime } = useI18n()
  const data = useLoaderData<typeof loader>()
  const [params] = useSearchParams()
  const ticks = useListSelection('lead', data.rows, (r) => r.name)
  const columns: ListColumn<Row, ColumnId>[] = [
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
      id: 'score',
      label: t('ai.qualification.score'),
      sortable: true,
      className: 'hidden sm:table-cell tabular-nums',
      cell: (r) => r.qualificationScore,
    },
    {
      id: 'temperature',
      label: t('ai.qualification.temperatureLabel'),
      sortable: false,
      className: 'hidden sm:table-cell',
      cell: (r) =>
        r.temperature ? (
          <Badge variant={temperatureVariant[r.temperature]}>
            {t(`ai.qualification.temperature.${r.temperature}`)}
          </Badge>
        ) : null,
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
  const moreFilters = [
    'tags',
    'interest',
    'temperature',
    'overdue',
    'consent',
    'from',
    'to',
    'updatedFrom',
    'updatedTo',
  ].filter((k) => params.get(k)).length
  return (
    <RecordList
      list="leads"
      basePath="/app/leads"
      header={<LeadsHeader canDelete={data.canDelete} exportable />}
      data={data}
      selection={data.canWrite ? ticks.selection : undefined}
      bulkBar={data.canWrite ? <BulkBar entity="lead" list={data} ticks={ticks} /> : null}
      columns={columns}
      first={{
        column: 'name',
        label: t('leads.name'),
        cell: (r) => (
          <>
            <Link to={`/app/leads/${r.id}`} className="font-medium text-primary hover:underline">
              {r.name}
            </Link>
            <div className="text-xs text-muted-foreground md:hidden">{r.phones[0] ?? r.email}</div>
          </>
        ),
      }}
      emptyIcon={Target}
      rowTestId="lead-row"
      card={(r) => ({
        title: r.name,
        to: `/app/leads/${r.id}`,
        whatsapp: r.dial ? `/app/leads/${r.id}` : undefined,
        phone: r.dial,
        badges: <Badge variant={statusBadge[r.status]}>{t(`leads.statuses.${r.status}`)}</Badge>,
        subtitle: r.phones[0] ?? r.email,
        meta: [r.assigneeName ?? t('leads.unassigned'), dateTime(r.createdAt)].join(' · '),
      })}
      text={{
        search: t('leads.search'),
        filter: t('leads.filter'),
        clear: t('leads.clear'),
        empty: t('leads.empty'),
        emptyAll: t('leads.emptyAll'),
        create: t('leads.new'),
        totalKey: 'leads.total',
      }}
      filterKeys={filterKeys}
      grid={{ form: 'lg:grid-cols-6', actions: 'lg:col-span-6' }}
      filters={
        <>
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
          <PersonPicker
            name="assignee"
            defaultValue={params.get('assignee') ?? ''}
            aria-label={t('leads.assignee')}
            choices={[
              { value: '', label: t('leads.anyone') },
              { value: 'me', label: t('leads.mine') },
              { value: 'unassigned', label: t('leads.unassigned') },
            ]}
            people={data.assignees}
          />
          <FilterPopover label={t('lists.moreFilters')} active={moreFilters} align="end" apply={t('leads.filter')}>
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
              <fieldset className="grid gap-1 text-sm">
                <legend className="mb-1">{t('ai.qualification.temperatureLabel')}</legend>
                <div className="flex flex-wrap gap-3">
                  {leadTemperatures.map((v) => (
                    <label key={v} className="flex items-center gap-1.5">
                      <input
                        type="checkbox"
                        name="temperature"
                        value={v}
                        defaultChecked={data.filters.temperature.includes(v)}
                        className="size-4 accent-[var(--color-primary)]"
                      />
                      {t(`ai.qualification.temperature.${v}`)}
                    </label>
                  ))}
                </div>
              </fieldset>
              <label className="flex items-center gap-1.5 text-sm">
                <input
                  type="checkbox"
                  name="overdue"
                  value="true"
                  defaultChecked={params.get('overdue') === 'true'}
                  className="size-4 accent-[var(--color-primary)]"
                />
                {t('leads.overdueFilter')}
              </label>
              <ConsentFilter value={params.get('consent')} />
              <DayRange label={t('leads.created')} fromName="from" toName="to" />
              <DayRange label={t('leads.updated')} fromName="updatedFrom" toName="updatedTo" />
            </div>
          </FilterPopover>
        </>
      }
    />
  )
}
