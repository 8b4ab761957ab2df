import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { useFetcher, useLoaderData } from '@remix-run/react'
import { Button, Card, CardContent, Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@impera/ui'
import { LeadsHeader } from '../components/leads-header'
import { useResultToast } from '../components/use-result-toast'
import { formatDateTime, useI18n } from '../i18n'
import { runAction } from '../lib/actions.server'
import type { FormResult } from '../lib/forms'
import { requirePermission } from '../lib/session.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(context, request, 'records.delete')
  const caller = await context.scope.caller()
  return { items: await caller.leads.trash() }
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requirePermission(context, request, 'records.delete')
  const fd = await request.formData()
  const caller = await context.scope.caller()
  return runAction(context, () => caller.leads.restore({ id: String(fd.get('id') ?? '') }), () => ({ ok: true, message: 'leads.restored' }))
}

function RestoreButton({ id }: { id: string }) {
  const { t } = useI18n()
  const fetcher = useFetcher<FormResult>()
  useResultToast(fetcher.data)
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="id" value={id} />
      <Button type="submit" size="sm" variant="outline" loading={fetcher.state !== 'idle'}>
        {t('leads.restore')}
      </Button>
    </fetcher.Form>
  )
}

export default function LeadTrash() {
  const { t, locale } = useI18n()
  const { items } = useLoaderData<typeof loader>()
  return (
    <div className="flex min-w-0 flex-col gap-4">
      <LeadsHeader canDelete />
      <p className="text-sm text-muted-foreground">{t('leads.trashHelp')}</p>
      <Card>
        <CardContent className="p-0 sm:p-0">
          {items.length === 0 ? (
            <p className="p-6 text-muted-foreground">{t('leads.trashEmpty')}</p>
          ) : (
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>{t('leads.name')}</TableHead>
                  <TableHead>{t('leads.deletedAt')}</TableHead>
                  <TableHead className="hidden sm:table-cell">{t('leads.deletedBy')}</TableHead>
                  <TableHead>{t('common.actions')}</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {items.map((i) => (
                  <TableRow key={i.id} data-testid="trash-row">
                    <TableCell>{i.name}</TableCell>
                    <TableCell className="whitespace-nowrap">{i.deletedAt ? formatDateTime(locale, i.deletedAt) : ''}</TableCell>
                    <TableCell className="hidden sm:table-cell">{i.deletedByName ?? '—'}</TableCell>
                    <TableCell>
                      <RestoreButton id={i.id} />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>
    </div>
  )
}
