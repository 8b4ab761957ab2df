import type { LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { formatDocument } from '@impera/api/documents'
import { can } from '@impera/api/permissions'
import { clientTypeValues, ZListClientsInput } from '@impera/api/schemas'
import { Badge, Button, Card, CardContent, Input, Select, Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@impera/ui'
import { ClientsHeader } from '../components/clients-header'
import { Pagination, SortHeader } from '../components/record-list'
import { formatDateTime, useI18n } from '../i18n'
import { displayPhones, recordsPageContext } from '../lib/records.server'
import { requirePermission } from '../lib/session.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { role } = await requirePermission(context, request, 'records.read')
  const p = new URL(request.url).searchParams
  // Filters live in the URL so a view can be bookmarked or sent; bad values fall back to defaults.
  const parsed = ZListClientsInput.safeParse({
    page: p.get('page') ?? undefined,
    sort: p.get('sort') ?? undefined,
    dir: p.get('dir') ?? undefined,
    q: p.get('q') || undefined,
    type: p.get('type') ? [p.get('type')] : undefined,
    assignee: p.get('assignee') || undefined,
  })
  const input = parsed.success ? parsed.data : ZListClientsInput.parse({})
  const { caller, country, assignees } = await recordsPageContext(context)
  const result = await caller.clients.list(input)
  return {
    ...result,
    rows: result.rows.map((r) => ({ ...r, phones: displayPhones(r.phones, country), document: r.document ? formatDocument(r.document) : null })),
    assignees,
    sort: input.sort,
    dir: input.dir,
    filtered: Boolean(input.q || input.type || input.assignee),
    canDelete: can(role, 'records.delete'),
  }
}

export default function ClientsList() {
  const { t, locale } = useI18n()
  const data = useLoaderData<typeof loader>()
  const [params] = useSearchParams()
  const navigation = useNavigation()
  return (
    <div className="flex min-w-0 flex-col gap-4">
      <ClientsHeader canDelete={data.canDelete} />
      <Form method="get" className="grid gap-2 sm:grid-cols-2 lg:grid-cols-5" role="search">
        <Input name="q" type="search" defaultValue={params.get('q') ?? ''} placeholder={t('clients.search')} aria-label={t('clients.search')} className="lg:col-span-2" />
        <Select name="type" defaultValue={params.get('type') ?? ''} aria-label={t('clients.types')}>
          <option value="">{t('clients.allTypes')}</option>
          {clientTypeValues.map((ct) => (
            <option key={ct} value={ct}>
              {t(`clients.typeNames.${ct}`)}
            </option>
          ))}
        </Select>
        <Select name="assignee" defaultValue={params.get('assignee') ?? ''} aria-label={t('clients.assignee')}>
          <option value="">{t('records.anyone')}</option>
          <option value="me">{t('records.mine')}</option>
          <option value="unassigned">{t('records.unassigned')}</option>
          {data.assignees.map((a) => (
            <option key={a.userId} value={a.userId}>
              {a.name}
            </option>
          ))}
        </Select>
        <div className="flex gap-2">
          <Button type="submit" variant="secondary" loading={navigation.state === 'loading' && navigation.location?.pathname === '/app/clients'}>
            {t('records.filter')}
          </Button>
          {data.filtered ? (
            <Button asChild variant="ghost">
              <Link to="/app/clients">{t('records.clear')}</Link>
            </Button>
          ) : null}
        </div>
      </Form>
      <Card>
        <CardContent className="p-0 sm:p-0">
          {data.rows.length === 0 ? (
            <div className="grid justify-items-center gap-3 p-10 text-center text-muted-foreground">
              <p>{data.filtered ? t('clients.empty') : t('clients.emptyAll')}</p>
              {data.filtered ? null : (
                <Button asChild>
                  <Link to="/app/clients/new">{t('clients.new')}</Link>
                </Button>
              )}
            </div>
          ) : (
            <Table aria-busy={navigation.state === 'loading'}>
              <TableHeader>
                <TableRow>
                  <SortHeader column="name" label={t('clients.name')} />
                  <TableHead className="hidden md:table-cell">{t('clients.phones')}</TableHead>
                  <TableHead className="hidden sm:table-cell">{t('clients.types')}</TableHead>
                  <TableHead className="hidden lg:table-cell">{t('clients.document')}</TableHead>
                  <TableHead className="hidden lg:table-cell">{t('clients.assignee')}</TableHead>
                  <SortHeader column="createdAt" label={t('clients.created')} className="hidden sm:table-cell" />
                </TableRow>
              </TableHeader>
              <TableBody>
                {data.rows.map((r) => (
                  <TableRow key={r.id} data-testid="client-row">
                    <TableCell>
                      <Link to={`/app/clients/${r.id}`} className="font-medium text-primary hover:underline">
                        {r.name}
                      </Link>
                      <div className="text-xs text-muted-foreground md:hidden">{r.phones[0] ?? r.email}</div>
                    </TableCell>
                    <TableCell className="hidden md:table-cell">{r.phones.join(', ') || r.email}</TableCell>
                    <TableCell className="hidden sm:table-cell">
                      <span className="flex flex-wrap gap-1">
                        {r.types.map((ct) => (
                          <Badge key={ct} variant="outline">
                            {t(`clients.typeNames.${ct}`)}
                          </Badge>
                        ))}
                      </span>
                    </TableCell>
                    <TableCell className="hidden whitespace-nowrap lg:table-cell">{r.document}</TableCell>
                    <TableCell className="hidden lg:table-cell">{r.assigneeName ?? <span className="text-muted-foreground">{t('records.unassigned')}</span>}</TableCell>
                    <TableCell className="hidden whitespace-nowrap sm:table-cell">{formatDateTime(locale, r.createdAt)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>
      <Pagination total={data.total} page={data.page} pageSize={data.pageSize} totalLabel={t('clients.total', { total: data.total })} />
    </div>
  )
}
