import { lostReasons } from '@impera/api/schemas'
import {
  Button,
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogTitle,
  Field,
  Input,
  Select,
} from '@impera/ui'
import { useState } from 'react'
import { useT } from '../i18n'

export type LostReason = (typeof lostReasons)[number]

/** Asks why a lead was lost (required) before the move happens. */
export function LostDialog({
  open,
  leadName,
  onCancel,
  onConfirm,
}: {
  open: boolean
  leadName: string
  onCancel: () => void
  onConfirm: (reason: LostReason, detail: string) => void
}) {
  const t = useT()
  const [reason, setReason] = useState<LostReason | ''>('')
  const [detail, setDetail] = useState('')
  const [error, setError] = useState(false)
  return (
    <Dialog open={open} onOpenChange={(o) => !o && onCancel()}>
      <DialogContent closeLabel={t('common.close')}>
        <DialogTitle>{t('leads.markLost')}</DialogTitle>
        <DialogDescription>{leadName}</DialogDescription>
        <form
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault()
            if (!reason) return setError(true)
            onConfirm(reason, detail)
            setReason('')
            setDetail('')
            setError(false)
          }}
        >
          <Field label={t('leads.lostReason')} errors={error ? [t('leads.lostReasonRequired')] : null}>
            {(p) => (
              <Select
                {...p}
                value={reason}
                onChange={(e) => setReason(lostReasons.find((r) => r === e.target.value) ?? '')}
                autoFocus
              >
                <option value="">—</option>
                {lostReasons.map((r) => (
                  <option key={r} value={r}>
                    {t(`leads.lostReasons.${r}`)}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Field label={t('leads.lostDetail')}>
            {(p) => <Input {...p} value={detail} maxLength={500} onChange={(e) => setDetail(e.target.value)} />}
          </Field>
          <DialogFooter>
            <Button type="button" variant="outline" onClick={onCancel}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" variant="destructive">
              {t('leads.markLost')}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  )
}
