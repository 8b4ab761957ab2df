import { Button, Dialog, DialogContent, DialogDescription, DialogFooter, DialogTitle, Field, Input } from '@impera/ui'
import { useState } from 'react'
import { useT } from '../i18n'

/** Anonymising cannot be undone: the manager types the confirmation word before the button does anything. */
export function AnonymiseDialog({
  name,
  busy,
  onClose,
  onConfirm,
}: {
  name: string
  busy: boolean
  onClose: () => void
  onConfirm: () => void
}) {
  const t = useT()
  const word = t('privacy.confirmWord')
  const [typed, setTyped] = useState('')
  const ready = typed.trim().toUpperCase() === word
  return (
    <Dialog open onOpenChange={(o) => !o && onClose()}>
      <DialogContent closeLabel={t('common.close')}>
        <DialogTitle>{t('privacy.anonymiseTitle', { name })}</DialogTitle>
        <DialogDescription>{t('privacy.anonymiseExplain')}</DialogDescription>
        <form
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault()
            if (ready) onConfirm()
          }}
        >
          <Field label={t('privacy.confirmLabel', { word })}>
            {(p) => <Input {...p} value={typed} autoComplete="off" onChange={(e) => setTyped(e.target.value)} />}
          </Field>
          <DialogFooter>
            <Button type="button" variant="outline" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" variant="destructive" disabled={!ready} loading={busy}>
              {t('privacy.confirm')}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  )
}
