import { useFetcher } from '@remix-run/react'
import { Button, Card, CardContent, Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@impera/ui'
import { useI18n } from '../i18n'
import type { FormResult } from '../lib/forms'
import { useResultToast } from './use-result-toast'

function RestoreButton({ id }: { id: string }) {
  const { t } = useI18n()
  const fetcher = useFetcher<FormResult>()
  useResultToast(fetcher.data)
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="id" value={id} />
      <Button type="submit" size="sm" variant="outline" loading={fetcher.state !== 'idle'}>
        {t('records.restore')}
      </Button>
    </fetcher.Form>
  )
}

/** The trash of one record type; the route's action restores the posted id. */
export function TrashTable({
  items,
  nameLabel,
}: {
  items: { id: string; name: string; deletedAt: Date | string | null; deletedByName: string | null }[]
  nameLabel: string
}) {
  const { t, dateTime } = useI18n()
  return (
    <Card>
      <CardContent className="p-0 sm:p-0">
        <p className="p-4 text-sm text-muted-foreground">{t('records.trashHelp')}</p>
        {items.length === 0 ? (
          <p className="p-10 text-center text-muted-foreground">{t('records.trashEmpty')}</p>
        ) : (
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>{nameLabel}</TableHead>
                <TableHead>{t('records.deletedAt')}</TableHead>
                <TableHead className="hidden sm:table-cell">{t('records.deletedBy')}</TableHead>
                <TableHead>
                  <span className="sr-only">{t('common.actions')}</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {items.map((i) => (
                <TableRow key={i.id} data-testid="trash-row">
                  <TableCell className="font-medium">{i.name}</TableCell>
                  <TableCell className="whitespace-nowrap">{i.deletedAt ? dateTime(i.deletedAt) : ''}</TableCell>
                  <TableCell className="hidden sm:table-cell">{i.deletedByName ?? '—'}</TableCell>
                  <TableCell className="text-right">
                    <RestoreButton id={i.id} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  )
}
