import { Building2, House } from 'lucide-react'
import type { LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { propertyStatuses, propertyTypes, ZListPropertiesInput } from '@impera/api/schemas'
import { Badge, Button, cn, Input, Select } from '@impera/ui'
import { BulkBar, useListSelection } from '../components/bulk-bar'
import { PropertiesHeader, propertyStatusBadge } from '../components/properties-header'
import { ColumnChooser, DayRange, FilterPopover, KeepParams, MultiCheck } from '../components/list-controls'
import { RecordList, useListLoading, type ListColumn, type RowSelection } from '../components/record-list'
import { useI18n } from '../i18n'
import { formatMoney } from '../lib/format'
import { bulkListAction, bulkListFields } from '../lib/bulk.server'
import { parseListParams, propertyListParams, visibleColumns } from '../lib/list-params'
import { recordsPageContext } from '../lib/records.server'
import { requirePermission } from '../lib/session.server'
import { PersonPicker } from '../components/person-picker'
import { numberFormat } from '../lib/intl'

/** Switching between grid and table keeps the ticked properties. */
const keepLayout = ['layout']
const filterKeys = [
  'q',
  'status',
  'type',
  'purpose',
  'priceMin',
  'priceMax',
  'minBedrooms',
  'neighbourhood',
  'city',
  'assignee',
  'stale',
  'from',
  'to',
  'updatedFrom',
  'updatedTo',
] as const
const columnIds = [
  'title',
  'type',
  'price',
  'bedrooms',
  'area',
  'neighbourhood',
  'city',
  'status',
  'assignee',
  'createdAt',
  'updatedAt',
] as const
type ColumnId = (typeof columnIds)[number]
const defaultColumns: ColumnId[] = ['title', 'type', 'price', 'bedrooms', 'neighbourhood', 'status', 'assignee']

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { role, identity } = await requirePermission(context, request, 'records.read')
  const p = new URL(request.url).searchParams
  const { caller, currency, timezone, assignees } = await recordsPageContext(context)
  const { input, parsed, ignored } = parseListParams(ZListPropertiesInput, p, propertyListParams, timezone)
  const [result, views] = await Promise.all([caller.properties.list(input), caller.views.list({ list: 'properties' })])
  return {
    ...result,
    currency,
    assignees,
    views,
    ignored,
    columns: visibleColumns(p, columnIds, defaultColumns),
    sort: parsed.sort,
    dir: parsed.dir,
    statuses: parsed.status ?? [],
    types: parsed.type ?? [],
    layout: p.get('layout') === 'table' ? ('table' as const) : ('grid' as const),
    filtered: filterKeys.some((k) => p.get(k)),
    ...bulkListFields({ role, userId: identity.userId }, p, filterKeys, ignored),
  }
}

/** Bulk actions (decisions 028, 032) on the ticked properties, or on all that match the page's filters. */
export const action = bulkListAction('property')

type Row = ReturnType<typeof useLoaderData<typeof loader>>['rows'][number]

function usePrice() {
  const { t, locale } = useI18n()
  const { currency } = useLoaderData<typeof loader>()
  return (r: Pick<Row, 'salePrice' | 'rentPrice' | 'purpose'>) =>
    [
      r.salePrice !== null ? formatMoney(r.salePrice, currency, locale) : null,
      r.rentPrice !== null ? `${formatMoney(r.rentPrice, currency, locale)}${t('properties.perMonth')}` : null,
    ]
      .filter(Boolean)
      .join(' · ')
}

/** A finger-sized target around a small box, on a card or above the grid. */
function Tick({
  label,
  checked,
  onChange,
  className,
}: {
  label: string
  checked: boolean
  onChange: (on: boolean) => void
  className?: string
}) {
  return (
    <label className={cn('inline-flex items-center gap-2 p-2 text-sm', className)}>
      <input
        type="checkbox"
        aria-label={label}
        checked={checked}
        onChange={(e) => onChange(e.currentTarget.checked)}
        className="size-4 accent-[var(--color-primary)]"
      />
    </label>
  )
}

function PropertyCard({ r, selection }: { r: Row; selection?: RowSelection }) {
  const { t, locale } = useI18n()
  const price = usePrice()
  const facts = [
    r.builtArea !== null ? t('properties.areaUnit', { area: numberFormat(locale).format(r.builtArea) }) : null,
    r.bedrooms !== null ? t('properties.bedroomsShort', { n: r.bedrooms }) : null,
    r.parkingSpaces ? t('properties.parkingShort', { n: r.parkingSpaces }) : null,
  ].filter(Boolean)
  return (
    <li data-testid="property-card" className="relative">
      {selection ? (
        <Tick
          label={selection.label(r)}
          checked={selection.all || selection.selected.has(r.id)}
          onChange={(on) => selection.toggle(r.id, on)}
          className="absolute top-1 right-1 z-10 rounded-md bg-background/90 shadow-sm"
        />
      ) : null}
      <Link
        to={`/app/properties/${r.id}`}
        className="group grid overflow-hidden rounded-lg border bg-card focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
      >
        <div className="relative aspect-[4/3] bg-muted">
          {r.coverPhotoId ? (
            <img
              src={`/media/photos/${r.coverPhotoId}/thumb`}
              alt=""
              loading="lazy"
              className="size-full object-cover transition-transform group-hover:scale-[1.02]"
            />
          ) : (
            // No photo yet: the kind of place, drawn, instead of an empty box.
            <span className="flex size-full items-center justify-center text-muted-foreground/40">
              {r.type === 'house' ? (
                <House aria-hidden className="size-16" strokeWidth={1.25} />
              ) : (
                <Building2 aria-hidden className="size-16" strokeWidth={1.25} />
              )}
            </span>
          )}
          <Badge variant={propertyStatusBadge[r.status]} className="absolute top-2 left-2">
            {t(`properties.statuses.${r.status}`)}
          </Badge>
        </div>
        <div className="grid gap-1 p-3">
          <span className="text-xs text-muted-foreground">
            {r.code} · {t(`properties.typeNames.${r.type}`)}
          </span>
          <span className="line-clamp-2 font-medium">{r.title}</span>
          <span className="text-sm text-muted-foreground">{[r.neighbourhood, r.city].filter(Boolean).join(', ')}</span>
          <span className="font-semibold">{price(r)}</span>
          {facts.length ? <span className="text-xs text-muted-foreground">{facts.join(' · ')}</span> : null}
        </div>
      </Link>
    </li>
  )
}

export default function PropertiesList() {
  const { t, locale, dateTime } = useI18n()
  const data = useLoaderData<typeof loader>()
  const [params] = useSearchParams()
  const price = usePrice()
  const loading = useListLoading('/app/properties')
  const ticks = useListSelection('property', data.rows, (r) => `${r.code} ${r.title}`, keepLayout)
  const ticking = data.canWrite ? ticks.selection : undefined
  const layoutLink = (layout: 'grid' | 'table') => {
    const next = new URLSearchParams(params)
    next.set('layout', layout)
    return `?${next}`
  }
  const layoutTab = (active: boolean) =>
    cn(
      'rounded-sm px-3 py-1.5 text-sm font-medium focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none',
      active ? 'bg-background shadow-sm' : 'text-muted-foreground',
    )
  const columns: ListColumn<Row, ColumnId>[] = [
    { id: 'title', label: t('properties.titleField'), sortable: true, cell: (r) => r.title },
    {
      id: 'type',
      label: t('properties.type'),
      sortable: true,
      className: 'hidden md:table-cell',
      cell: (r) => t(`properties.typeNames.${r.type}`),
    },
    {
      id: 'price',
      label: t('properties.price'),
      sortable: true,
      className: 'whitespace-nowrap',
      cell: (r) => price(r),
    },
    {
      id: 'bedrooms',
      label: t('properties.bedrooms'),
      sortable: true,
      className: 'hidden sm:table-cell',
      cell: (r) => r.bedrooms ?? '—',
    },
    {
      id: 'area',
      label: t('lists.area'),
      sortable: true,
      className: 'hidden sm:table-cell whitespace-nowrap',
      cell: (r) =>
        r.builtArea !== null ? t('properties.areaUnit', { area: numberFormat(locale).format(r.builtArea) }) : '—',
    },
    {
      id: 'neighbourhood',
      label: t('clients.neighbourhood'),
      sortable: true,
      className: 'hidden lg:table-cell',
      cell: (r) => r.neighbourhood,
    },
    { id: 'city', label: t('clients.city'), sortable: true, className: 'hidden lg:table-cell', cell: (r) => r.city },
    {
      id: 'status',
      label: t('properties.status'),
      sortable: true,
      cell: (r) => <Badge variant={propertyStatusBadge[r.status]}>{t(`properties.statuses.${r.status}`)}</Badge>,
    },
    {
      id: 'assignee',
      label: t('properties.assignee'),
      sortable: true,
      className: 'hidden xl:table-cell',
      cell: (r) => r.assigneeName ?? <span className="text-muted-foreground">{t('records.unassigned')}</span>,
    },
    {
      id: 'createdAt',
      label: t('leads.created'),
      sortable: true,
      className: 'hidden md:table-cell whitespace-nowrap',
      cell: (r) => dateTime(r.createdAt),
    },
    {
      id: 'updatedAt',
      label: t('leads.updated'),
      sortable: true,
      className: 'hidden md:table-cell whitespace-nowrap',
      cell: (r) => dateTime(r.updatedAt),
    },
  ]
  const moreFilters = [
    'minBedrooms',
    'neighbourhood',
    'city',
    'stale',
    'from',
    'to',
    'updatedFrom',
    'updatedTo',
  ].filter((k) => params.get(k)).length
  return (
    <RecordList
      list="properties"
      basePath="/app/properties"
      header={<PropertiesHeader canDelete={data.canDelete} exportable />}
      data={data}
      selection={ticking}
      bulkBar={ticking ? <BulkBar entity="property" list={data} ticks={ticks} /> : null}
      columns={columns}
      first={{
        column: 'code',
        label: t('properties.code'),
        className: 'whitespace-nowrap',
        cell: (r) => (
          <Link to={`/app/properties/${r.id}`} className="font-medium text-primary hover:underline">
            {r.code}
          </Link>
        ),
      }}
      emptyIcon={House}
      rowTestId="property-row"
      text={{
        search: t('properties.search'),
        filter: t('records.filter'),
        clear: t('records.clear'),
        empty: t('properties.empty'),
        emptyAll: t('properties.emptyAll'),
        create: t('properties.new'),
        totalKey: 'properties.total',
      }}
      filterKeys={filterKeys}
      grid={{ form: 'lg:grid-cols-6', actions: 'lg:col-span-3' }}
      keep={['layout']}
      clearTo={`/app/properties?layout=${data.layout}`}
      toolbar={
        <div className="flex flex-wrap items-center gap-2">
          <Form method="get" className="flex min-w-0 flex-wrap items-center gap-2" aria-label={t('lists.sortBy')}>
            <KeepParams keys={[...filterKeys, 'view', 'cols', 'layout']} />
            <Select
              name="sort"
              defaultValue={data.sort}
              aria-label={t('lists.sortBy')}
              className="h-9 w-auto"
              onChange={(e) => e.currentTarget.form?.requestSubmit()}
            >
              {(
                [
                  'createdAt',
                  'updatedAt',
                  'price',
                  'bedrooms',
                  'area',
                  'code',
                  'title',
                  'neighbourhood',
                  'city',
                  'status',
                ] as const
              ).map((s) => (
                <option key={s} value={s}>
                  {t(`lists.propertySorts.${s}`)}
                </option>
              ))}
            </Select>
            <Select
              name="dir"
              defaultValue={data.dir}
              aria-label={t('lists.direction')}
              className="h-9 w-auto"
              onChange={(e) => e.currentTarget.form?.requestSubmit()}
            >
              <option value="asc">{t('lists.ascending')}</option>
              <option value="desc">{t('lists.descending')}</option>
            </Select>
            <noscript>
              <Button type="submit" size="sm" variant="outline">
                {t('lists.apply')}
              </Button>
            </noscript>
          </Form>
          {data.layout === 'table' ? <ColumnChooser columns={columns} visible={data.columns} /> : null}
          <nav aria-label={t('lists.layout')} className="inline-flex rounded-md bg-muted p-1">
            <Link
              to={layoutLink('grid')}
              className={layoutTab(data.layout === 'grid')}
              aria-current={data.layout === 'grid' ? 'page' : undefined}
            >
              {t('properties.grid')}
            </Link>
            <Link
              to={layoutLink('table')}
              className={layoutTab(data.layout === 'table')}
              aria-current={data.layout === 'table' ? 'page' : undefined}
            >
              {t('properties.table')}
            </Link>
          </nav>
        </div>
      }
      body={
        data.layout === 'grid' ? (
          <div className="grid gap-2">
            {ticking ? (
              <Tick
                label={ticking.pageLabel}
                checked={data.rows.every((r) => ticking.all || ticking.selected.has(r.id))}
                onChange={(on) => ticking.togglePage(on)}
                className="-my-2 self-start"
              />
            ) : null}
            <ul
              className={cn(
                'grid gap-4 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-4',
                loading && 'opacity-60 transition-opacity',
              )}
              aria-busy={loading}
            >
              {data.rows.map((r) => (
                <PropertyCard key={r.id} r={r} selection={ticking} />
              ))}
            </ul>
          </div>
        ) : undefined
      }
      filters={
        <>
          <MultiCheck
            name="status"
            label={
              data.statuses.length
                ? data.statuses.map((s) => t(`properties.statuses.${s}`)).join(', ')
                : t('properties.allStatuses')
            }
            options={propertyStatuses.map((s) => ({ value: s, label: t(`properties.statuses.${s}`) }))}
            selected={data.statuses}
          />
          <MultiCheck
            name="type"
            label={
              data.types.length
                ? data.types.map((s) => t(`properties.typeNames.${s}`)).join(', ')
                : t('properties.allTypes')
            }
            options={propertyTypes.map((s) => ({ value: s, label: t(`properties.typeNames.${s}`) }))}
            selected={data.types}
          />
          <Select name="purpose" defaultValue={params.get('purpose') ?? ''} aria-label={t('properties.purpose')}>
            <option value="">{t('properties.anyPurpose')}</option>
            <option value="sale">{t('properties.forSale')}</option>
            <option value="rent">{t('properties.forRent')}</option>
          </Select>
          <PersonPicker
            name="assignee"
            defaultValue={params.get('assignee') ?? ''}
            aria-label={t('properties.assignee')}
            choices={[
              { value: '', label: t('records.anyone') },
              { value: 'me', label: t('records.mine') },
              { value: 'unassigned', label: t('records.unassigned') },
            ]}
            people={data.assignees}
          />
          <Input
            name="priceMin"
            inputMode="decimal"
            defaultValue={params.get('priceMin') ?? ''}
            placeholder={t('properties.priceMin')}
            aria-label={t('properties.priceMin')}
          />
          <Input
            name="priceMax"
            inputMode="decimal"
            defaultValue={params.get('priceMax') ?? ''}
            placeholder={t('properties.priceMax')}
            aria-label={t('properties.priceMax')}
          />
          <FilterPopover label={t('lists.moreFilters')} active={moreFilters} align="end" apply={t('records.filter')}>
            <div className="grid w-[min(26rem,80vw)] gap-3 p-1">
              <label className="grid gap-1 text-sm">
                {t('properties.minBedrooms')}
                <Input
                  name="minBedrooms"
                  type="number"
                  min={0}
                  inputMode="numeric"
                  defaultValue={params.get('minBedrooms') ?? ''}
                />
              </label>
              <label className="grid gap-1 text-sm">
                {t('clients.neighbourhood')}
                <Input name="neighbourhood" defaultValue={params.get('neighbourhood') ?? ''} />
              </label>
              <label className="grid gap-1 text-sm">
                {t('clients.city')}
                <Input name="city" defaultValue={params.get('city') ?? ''} />
              </label>
              <label className="flex items-center gap-1.5 text-sm">
                <input
                  type="checkbox"
                  name="stale"
                  value="true"
                  defaultChecked={params.get('stale') === 'true'}
                  className="size-4 accent-[var(--color-primary)]"
                />
                {t('properties.staleFilter')}
              </label>
              <DayRange label={t('leads.created')} fromName="from" toName="to" />
              <DayRange label={t('leads.updated')} fromName="updatedFrom" toName="updatedTo" />
            </div>
          </FilterPopover>
        </>
      }
    />
  )
}
