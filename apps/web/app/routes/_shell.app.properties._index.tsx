import type { LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { can } from '@impera/api/permissions'
import { propertyStatusValues, propertyTypeValues, ZListPropertiesInput } from '@impera/api/schemas'
import { Badge, Button, Card, CardContent, cn, Input, Select, Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@impera/ui'
import { PropertiesHeader, propertyStatusBadge } from '../components/properties-header'
import { Pagination, SortHeader } from '../components/record-list'
import { useI18n } from '../i18n'
import { formatMoney } from '../lib/format'
import { recordsPageContext } from '../lib/records.server'
import { requirePermission } from '../lib/session.server'

const filterKeys = ['q', 'status', 'type', 'purpose', 'priceMin', 'priceMax', 'minBedrooms', 'neighbourhood', 'assignee'] as const

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { role } = await requirePermission(context, request, 'records.read')
  const p = new URL(request.url).searchParams
  const value = (k: string) => p.get(k) || undefined
  // Filters live in the URL so a search can be bookmarked or sent to a colleague; bad values fall back to defaults.
  const parsed = ZListPropertiesInput.safeParse({
    page: value('page'),
    sort: value('sort'),
    dir: value('dir'),
    q: value('q'),
    status: p.get('status') ? [p.get('status')] : undefined,
    type: p.get('type') ? [p.get('type')] : undefined,
    purpose: value('purpose'),
    priceMin: value('priceMin'),
    priceMax: value('priceMax'),
    minBedrooms: value('minBedrooms'),
    neighbourhood: value('neighbourhood'),
    assignee: value('assignee'),
  })
  const input = parsed.success ? parsed.data : ZListPropertiesInput.parse({})
  const { caller, currency, assignees } = await recordsPageContext(context)
  const result = await caller.properties.list(input)
  return {
    ...result,
    currency,
    assignees,
    sort: input.sort,
    dir: input.dir,
    view: p.get('view') === 'table' ? ('table' as const) : ('grid' as const),
    invalidFilters: !parsed.success,
    filtered: filterKeys.some((k) => p.get(k)),
    canDelete: can(role, 'records.delete'),
  }
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>['rows'][number]

function usePrice() {
  const { t, locale } = useI18n()
  const { currency } = useLoaderData<typeof loader>()
  return (r: Pick<Row, 'salePrice' | 'rentPrice' | 'purpose'>) =>
    [r.salePrice !== null ? formatMoney(r.salePrice, currency, locale) : null, r.rentPrice !== null ? `${formatMoney(r.rentPrice, currency, locale)}${t('properties.perMonth')}` : null].filter(Boolean).join(' · ')
}

function PropertyCard({ r }: { r: Row }) {
  const { t, locale } = useI18n()
  const price = usePrice()
  const facts = [r.builtArea !== null ? t('properties.areaUnit', { area: new Intl.NumberFormat(locale).format(r.builtArea) }) : null, r.bedrooms !== null ? t('properties.bedroomsShort', { n: r.bedrooms }) : null, r.parkingSpaces ? t('properties.parkingShort', { n: r.parkingSpaces }) : null].filter(Boolean)
  return (
    <li data-testid="property-card">
      <Link to={`/app/properties/${r.id}`} className="group grid overflow-hidden rounded-lg border bg-card focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring">
        <div className="relative aspect-[4/3] bg-muted">
          {r.coverPhotoId ? <img src={`/media/photos/${r.coverPhotoId}/thumb`} alt="" loading="lazy" className="size-full object-cover transition-transform group-hover:scale-[1.02]" /> : null}
          <Badge variant={propertyStatusBadge[r.status]} className="absolute left-2 top-2">
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
  const { t } = useI18n()
  const data = useLoaderData<typeof loader>()
  const [params] = useSearchParams()
  const navigation = useNavigation()
  const price = usePrice()
  const viewLink = (view: 'grid' | 'table') => {
    const next = new URLSearchParams(params)
    next.set('view', view)
    return `?${next}`
  }
  const viewTab = (active: boolean) => cn('rounded-sm px-3 py-1.5 text-sm font-medium focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring', active ? 'bg-background shadow-sm' : 'text-muted-foreground')
  return (
    <div className="flex min-w-0 flex-col gap-4">
      <PropertiesHeader canDelete={data.canDelete} />
      <Form method="get" className="grid gap-2 sm:grid-cols-2 lg:grid-cols-6" role="search">
        <input type="hidden" name="view" value={data.view} />
        <Input name="q" type="search" defaultValue={params.get('q') ?? ''} placeholder={t('properties.search')} aria-label={t('properties.search')} className="lg:col-span-2" />
        <Select name="status" defaultValue={params.get('status') ?? ''} aria-label={t('properties.status')}>
          <option value="">{t('properties.allStatuses')}</option>
          {propertyStatusValues.map((s) => (
            <option key={s} value={s}>
              {t(`properties.statuses.${s}`)}
            </option>
          ))}
        </Select>
        <Select name="type" defaultValue={params.get('type') ?? ''} aria-label={t('properties.type')}>
          <option value="">{t('properties.allTypes')}</option>
          {propertyTypeValues.map((s) => (
            <option key={s} value={s}>
              {t(`properties.typeNames.${s}`)}
            </option>
          ))}
        </Select>
        <Select name="purpose" defaultValue={params.get('purpose') ?? ''} aria-label={t('properties.purpose')}>
          <option value="">{t('properties.anyPurpose')}</option>
          <option value="sale">{t('properties.forSale')}</option>
          <option value="rent">{t('properties.forRent')}</option>
        </Select>
        <Select name="assignee" defaultValue={params.get('assignee') ?? ''} aria-label={t('properties.assignee')}>
          <option value="">{t('records.anyone')}</option>
          <option value="me">{t('records.mine')}</option>
          <option value="unassigned">{t('records.unassigned')}</option>
          {data.assignees.map((a) => (
            <option key={a.userId} value={a.userId}>
              {a.name}
            </option>
          ))}
        </Select>
        <Input name="priceMin" inputMode="decimal" defaultValue={params.get('priceMin') ?? ''} placeholder={t('properties.priceMin')} aria-label={t('properties.priceMin')} />
        <Input name="priceMax" inputMode="decimal" defaultValue={params.get('priceMax') ?? ''} placeholder={t('properties.priceMax')} aria-label={t('properties.priceMax')} />
        <Input name="minBedrooms" type="number" min={0} inputMode="numeric" defaultValue={params.get('minBedrooms') ?? ''} placeholder={t('properties.minBedrooms')} aria-label={t('properties.minBedrooms')} />
        <Input name="neighbourhood" defaultValue={params.get('neighbourhood') ?? ''} placeholder={t('clients.neighbourhood')} aria-label={t('clients.neighbourhood')} />
        <div className="flex gap-2 lg:col-span-2">
          <Button type="submit" variant="secondary" loading={navigation.state === 'loading' && navigation.location?.pathname === '/app/properties'}>
            {t('records.filter')}
          </Button>
          {data.filtered ? (
            <Button asChild variant="ghost">
              <Link to={`/app/properties?view=${data.view}`}>{t('records.clear')}</Link>
            </Button>
          ) : null}
        </div>
      </Form>
      {data.invalidFilters ? <p className="text-sm text-destructive">{t('errors.invalidInput')}</p> : null}
      <div className="flex items-center justify-end">
        <nav aria-label={t('properties.title')} className="inline-flex rounded-md bg-muted p-1">
          <Link to={viewLink('grid')} className={viewTab(data.view === 'grid')} aria-current={data.view === 'grid' ? 'page' : undefined}>
            {t('properties.grid')}
          </Link>
          <Link to={viewLink('table')} className={viewTab(data.view === 'table')} aria-current={data.view === 'table' ? 'page' : undefined}>
            {t('properties.table')}
          </Link>
        </nav>
      </div>
      {data.rows.length === 0 ? (
        <Card>
          <CardContent className="grid justify-items-center gap-3 p-10 text-center text-muted-foreground">
            <p>{data.filtered ? t('properties.empty') : t('properties.emptyAll')}</p>
            {data.filtered ? null : (
              <Button asChild>
                <Link to="/app/properties/new">{t('properties.new')}</Link>
              </Button>
            )}
          </CardContent>
        </Card>
      ) : data.view === 'grid' ? (
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-4" aria-busy={navigation.state === 'loading'}>
          {data.rows.map((r) => (
            <PropertyCard key={r.id} r={r} />
          ))}
        </ul>
      ) : (
        <Card>
          <CardContent className="p-0 sm:p-0">
            <Table aria-busy={navigation.state === 'loading'}>
              <TableHeader>
                <TableRow>
                  <SortHeader column="code" label={t('properties.code')} />
                  <SortHeader column="title" label={t('properties.titleField')} />
                  <TableHead className="hidden md:table-cell">{t('properties.type')}</TableHead>
                  <SortHeader column="price" label={t('properties.price')} />
                  <SortHeader column="bedrooms" label={t('properties.bedrooms')} className="hidden sm:table-cell" />
                  <TableHead className="hidden lg:table-cell">{t('clients.neighbourhood')}</TableHead>
                  <TableHead>{t('properties.status')}</TableHead>
                  <TableHead className="hidden xl:table-cell">{t('properties.assignee')}</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {data.rows.map((r) => (
                  <TableRow key={r.id} data-testid="property-row">
                    <TableCell className="whitespace-nowrap">
                      <Link to={`/app/properties/${r.id}`} className="font-medium text-primary hover:underline">
                        {r.code}
                      </Link>
                    </TableCell>
                    <TableCell>{r.title}</TableCell>
                    <TableCell className="hidden md:table-cell">{t(`properties.typeNames.${r.type}`)}</TableCell>
                    <TableCell className="whitespace-nowrap">{price(r)}</TableCell>
                    <TableCell className="hidden sm:table-cell">{r.bedrooms ?? '—'}</TableCell>
                    <TableCell className="hidden lg:table-cell">{r.neighbourhood}</TableCell>
                    <TableCell>
                      <Badge variant={propertyStatusBadge[r.status]}>{t(`properties.statuses.${r.status}`)}</Badge>
                    </TableCell>
                    <TableCell className="hidden xl:table-cell">{r.assigneeName ?? <span className="text-muted-foreground">{t('records.unassigned')}</span>}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </CardContent>
        </Card>
      )}
      <Pagination total={data.total} page={data.page} pageSize={data.pageSize} totalLabel={t('properties.total', { total: data.total })} />
    </div>
  )
}
