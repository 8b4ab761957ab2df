import { consentBases } from '@impera/db/enums'
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
import { useI18n } from '../i18n'
import type { ConsentView } from './consent-summary'

/** Records a grant (with its legal basis and wording) or a revocation, above the record's consent history. */
export function ConsentDialog({
  consent,
  busy,
  onClose,
  onSubmit,
}: {
  consent: ConsentView
  busy: boolean
  onClose: () => void
  onSubmit: (fields: Record<string, string>) => void
}) {
  const { t, dateTime } = useI18n()
  const [granted, setGranted] = useState(consent.status !== 'granted')
  const [basis, setBasis] = useState<string>('consent')
  const [textVersion, setTextVersion] = useState('')
  return (
    <Dialog open onOpenChange={(o) => !o && onClose()}>
      <DialogContent closeLabel={t('common.close')}>
        <DialogTitle>{t('consent.title')}</DialogTitle>
        <DialogDescription>{t('consent.explain')}</DialogDescription>
        <form
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault()
            onSubmit({ granted: String(granted), basis, textVersion })
          }}
        >
          <fieldset className="grid gap-2">
            <legend className="sr-only">{t('consent.title')}</legend>
            {[true, false].map((g) => (
              <label key={String(g)} className="flex items-center gap-2 text-sm">
                <input type="radio" name="granted" checked={granted === g} onChange={() => setGranted(g)} />
                {t(g ? 'consent.grant' : 'consent.revoke')}
              </label>
            ))}
          </fieldset>
          {granted ? (
            <Field label={t('consent.basis')}>
              {(p) => (
                <Select {...p} value={basis} onChange={(e) => setBasis(e.target.value)}>
                  {consentBases.map((b) => (
                    <option key={b} value={b}>
                      {t(`consent.bases.${b}`)}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
          ) : null}
          <Field label={t('consent.textVersion')}>
            {(p) => (
              <Input {...p} value={textVersion} maxLength={500} onChange={(e) => setTextVersion(e.target.value)} />
            )}
          </Field>
          <DialogFooter>
            <Button type="button" variant="outline" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy}>
              {t('common.save')}
            </Button>
          </DialogFooter>
        </form>
        {consent.history.length ? (
          <section aria-labelledby="consent-history" className="border-t pt-3">
            <h3 id="consent-history" className="mb-2 text-sm font-medium">
              {t('consent.history')}
            </h3>
            <ol className="grid max-h-48 gap-1 overflow-y-auto text-xs" data-testid="consent-history">
              {consent.history.map((h) => (
                <li key={h.id}>
                  <span className="font-medium">{t(`consent.status.${h.granted ? 'granted' : 'revoked'}`)}</span>
                  {' · '}
                  {t(`consent.sources.${h.source}`)}
                  {h.basis ? ` · ${t(`consent.bases.${h.basis}`)}` : ''} · {dateTime(h.recordedAt)}
                  {h.textVersion ? <span className="block text-muted-foreground">“{h.textVersion}”</span> : null}
                </li>
              ))}
            </ol>
          </section>
        ) : null}
      </DialogContent>
    </Dialog>
  )
}
