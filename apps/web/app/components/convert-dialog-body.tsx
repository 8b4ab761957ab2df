import { useFetcher } from '@remix-run/react'
import { Alert, Button, Dialog, DialogContent, DialogDescription, DialogFooter, DialogTitle } from '@impera/ui'
import { useCallback, useState } from 'react'
import { useT } from '../i18n'
import type { FormResult } from '../lib/forms'
import { trpc } from '../lib/trpc-client'
import { RecordPicker, type PickerItem } from './record-picker'
import { useResultToast } from './use-result-toast'

/** The conversion dialog (convert-dialog.tsx opens it): a new client from the lead's data, or an existing one. */
export function ConvertDialogBody({
  leadName,
  open,
  setOpen,
}: {
  leadName: string
  open: boolean
  setOpen: (open: boolean) => void
}) {
  const t = useT()
  const [mode, setMode] = useState<'new' | 'existing'>('new')
  const [client, setClient] = useState<PickerItem | null>(null)
  const fetcher = useFetcher<FormResult>()
  useResultToast(fetcher.data)
  const search = useCallback(
    async (q: string) =>
      (await trpc.clients.pick.query({ q })).map((c) => ({
        id: c.id,
        label: c.name,
        hint: [c.phones[0], c.email].filter(Boolean).join(' · '),
      })),
    [],
  )
  const busy = fetcher.state !== 'idle'
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogContent closeLabel={t('common.close')}>
        <DialogTitle>{t('leads.convertTitle', { name: leadName })}</DialogTitle>
        <DialogDescription>{t('leads.convertHelp')}</DialogDescription>
        <fetcher.Form method="post" className="grid gap-4" onSubmit={() => setOpen(false)}>
          <input type="hidden" name="intent" value="convert" />
          <fieldset className="grid gap-2">
            <legend className="sr-only">{t('leads.convert')}</legend>
            <label className="flex items-center gap-2 text-sm">
              <input
                type="radio"
                name="mode"
                value="new"
                checked={mode === 'new'}
                onChange={() => setMode('new')}
                className="size-4"
              />
              {t('leads.convertNew')}
            </label>
            <label className="flex items-center gap-2 text-sm">
              <input
                type="radio"
                name="mode"
                value="existing"
                checked={mode === 'existing'}
                onChange={() => setMode('existing')}
                className="size-4"
              />
              {t('leads.convertExisting')}
            </label>
          </fieldset>
          {mode === 'existing' ? (
            client ? (
              <Alert className="flex items-center justify-between gap-2">
                <span>
                  {t('leads.chooseClient')}: <strong data-testid="picked-client">{client.label}</strong>
                </span>
                <Button type="button" size="sm" variant="ghost" onClick={() => setClient(null)}>
                  {t('records.clear')}
                </Button>
                <input type="hidden" name="clientId" value={client.id} />
              </Alert>
            ) : (
              <RecordPicker
                search={search}
                onPick={setClient}
                placeholder={t('clients.search')}
                label={t('leads.chooseClient')}
                autoFocus
              />
            )
          ) : null}
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => setOpen(false)}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy} disabled={mode === 'existing' && !client}>
              {t('leads.convertSubmit')}
            </Button>
          </DialogFooter>
        </fetcher.Form>
      </DialogContent>
    </Dialog>
  )
}
