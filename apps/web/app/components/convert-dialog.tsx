import { Button } from '@impera/ui'
import { useState } from 'react'
import { useT } from '../i18n'
import { lazyPart } from '../lib/lazy-part'

const ConvertDialogBody = lazyPart(() => import('./convert-dialog-body').then((m) => m.ConvertDialogBody))

/**
 * Converts a qualified lead: into a new client from its data, or linked to an existing client chosen by search. The
 * dialog's code loads when it is first opened, and stays (so it closes as it opened).
 */
export function ConvertDialog({ leadName }: { leadName: string }) {
  const t = useT()
  const [open, setOpen] = useState(false)
  const [opened, setOpened] = useState(false)
  return (
    <>
      <Button
        size="sm"
        onClick={() => {
          setOpened(true)
          setOpen(true)
        }}
        data-testid="convert-open"
      >
        {t('leads.convert')}
      </Button>
      {opened ? <ConvertDialogBody leadName={leadName} open={open} setOpen={setOpen} /> : null}
    </>
  )
}
