import { useFetcher } from '@remix-run/react'
import { Badge, Button, Select } from '@impera/ui'
import type { LeadTemperature } from '@impera/db/enums'
import { useI18n } from '../i18n'
import { formatMoney } from '../lib/format'
import type { FormResult } from '../lib/forms'
import { qualificationSlots, slotSource, slotValue, type QualificationSlot } from '../lib/qualification-format'
import { useResultToast } from './use-result-toast'

type Slot = { value: unknown; source: 'person' | 'bot' | 'import' }
export interface QualificationData {
  slots: Partial<Record<string, Slot>>
  score: number | null
  reasons: string[]
  temperature: LeadTemperature | null
  summary: string | null
}

export const temperatureVariant = { cold: 'outline', warm: 'warning', hot: 'destructive' } as const
const financingKinds = ['financing', 'fgts', 'cash', 'unknown'] as const
const moveIns = ['now', 'up_to_3_months', 'up_to_6_months', 'up_to_12_months', 'later'] as const

/**
 * A lead's qualification (decision 020): score and temperature, the summary, and each known slot with who said so
 * ("pela IA", "por uma pessoa"). People edit payment and move-in here (the rest is in the lead form); their value wins.
 */
export function LeadQualification({
  qualification,
  currency,
  canEdit,
}: {
  qualification: QualificationData
  currency: string
  canEdit: boolean
}) {
  const { t, locale } = useI18n()
  const fetcher = useFetcher<FormResult>()
  useResultToast(fetcher.data)
  const q = qualification
  const shown = (name: QualificationSlot, v: unknown) =>
    String(slotValue(t, name, v, (cents) => formatMoney(cents, currency, locale) ?? ''))
  const known = qualificationSlots.filter((name) => q.slots[name])
  return (
    <div className="grid gap-3" data-testid="lead-qualification">
      <div className="flex flex-wrap items-center gap-2">
        {q.score !== null ? (
          <Badge variant="secondary" data-testid="qualification-score">
            {t('ai.qualification.score')}: {q.score}
          </Badge>
        ) : null}
        {q.temperature ? (
          <Badge variant={temperatureVariant[q.temperature]} data-testid="qualification-temperature">
            {t(`ai.qualification.temperature.${q.temperature}`)}
          </Badge>
        ) : null}
      </div>
      {q.summary ? (
        <p className="text-sm" data-testid="qualification-summary">
          {q.summary}
        </p>
      ) : null}
      {known.length ? (
        <dl className="grid gap-2 sm:grid-cols-2" data-testid="qualification-slots">
          {known.map((name) => {
            const slot = q.slots[name]!
            return (
              <div key={name} className="grid gap-0.5" data-slot={name}>
                <dt className="text-xs text-muted-foreground">{t(`ai.qualification.slots.${name}`)}</dt>
                <dd className="text-sm">
                  {shown(name, slot.value)}{' '}
                  <span className="text-xs text-muted-foreground">({slotSource(t, slot.source)})</span>
                </dd>
              </div>
            )
          })}
        </dl>
      ) : (
        <p className="text-sm text-muted-foreground">{t('ai.qualification.empty')}</p>
      )}
      {q.reasons.length ? (
        <p className="text-xs text-muted-foreground">
          {q.reasons.map((r) => t(`ai.qualification.reasons.${r as 'budget'}`)).join(' · ')}
        </p>
      ) : null}
      {canEdit ? (
        <fetcher.Form method="post" className="flex flex-wrap items-end gap-2 border-t pt-3">
          <input type="hidden" name="intent" value="qualify" />
          <label className="grid gap-1 text-xs text-muted-foreground">
            {t('ai.qualification.slots.financing')}
            <Select name="financing" defaultValue={String(q.slots.financing?.value ?? '')} className="h-9 w-auto">
              <option value="">—</option>
              {financingKinds.map((k) => (
                <option key={k} value={k}>
                  {t(`ai.qualification.financing.${k}`)}
                </option>
              ))}
            </Select>
          </label>
          <label className="grid gap-1 text-xs text-muted-foreground">
            {t('ai.qualification.slots.moveIn')}
            <Select name="moveIn" defaultValue={String(q.slots.moveIn?.value ?? '')} className="h-9 w-auto">
              <option value="">—</option>
              {moveIns.map((k) => (
                <option key={k} value={k}>
                  {t(`ai.qualification.moveIn.${k}`)}
                </option>
              ))}
            </Select>
          </label>
          <Button type="submit" size="sm" variant="outline" loading={fetcher.state !== 'idle'}>
            {t('common.save')}
          </Button>
        </fetcher.Form>
      ) : null}
    </div>
  )
}
