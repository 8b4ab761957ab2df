import { Form, useNavigation, useSearchParams } from '@remix-run/react'
import { Button, Input, Select } from '@impera/ui'
import { useState } from 'react'
import { useT } from '../../i18n'
import { PersonPicker } from '../person-picker'

/**
 * Period (today / 7 / 30 days / custom) and, for managers, whose figures: a GET form, so the choice lives in the URL
 * (bookmarkable, shareable) and the loader does the work.
 */
export function PeriodBar({
  members,
  canPickAgent,
  extra,
}: {
  members: { userId: string; name: string }[]
  canPickAgent: boolean
  extra?: Record<string, string>
}) {
  const t = useT()
  const [params] = useSearchParams()
  const navigation = useNavigation()
  const [period, setPeriod] = useState(params.get('period') ?? '30d')
  return (
    <Form
      method="get"
      className="flex flex-wrap items-end gap-2"
      aria-label={t('insights.filters')}
      data-testid="period-bar"
    >
      {extra ? Object.entries(extra).map(([k, v]) => <input key={k} type="hidden" name={k} value={v} />) : null}
      <label className="grid gap-1 text-sm">
        <span className="font-medium">{t('insights.period')}</span>
        <Select name="period" value={period} onChange={(e) => setPeriod(e.target.value)} className="w-40">
          {(['today', '7d', '30d', 'custom'] as const).map((p) => (
            <option key={p} value={p}>
              {t(`insights.periods.${p}`)}
            </option>
          ))}
        </Select>
      </label>
      {period === 'custom' ? (
        <>
          <label className="grid gap-1 text-sm">
            <span className="font-medium">{t('insights.from')}</span>
            <Input type="date" name="from" defaultValue={params.get('from') ?? ''} required className="w-40" />
          </label>
          <label className="grid gap-1 text-sm">
            <span className="font-medium">{t('insights.to')}</span>
            <Input type="date" name="to" defaultValue={params.get('to') ?? ''} required className="w-40" />
          </label>
        </>
      ) : null}
      {canPickAgent ? (
        <label className="grid gap-1 text-sm">
          <span className="font-medium">{t('insights.agent')}</span>
          <PersonPicker
            name="agentId"
            defaultValue={params.get('agentId') ?? ''}
            className="w-48"
            choices={[{ value: '', label: t('insights.wholeAgency') }]}
            people={members}
          />
        </label>
      ) : null}
      <Button type="submit" variant="outline" loading={navigation.state === 'loading'}>
        {t('insights.apply')}
      </Button>
    </Form>
  )
}

export interface InsightsParams {
  period: 'today' | '7d' | '30d' | 'custom'
  from: string | undefined
  to: string | undefined
  agentId: string | undefined
}

/** Reads the period params of a request, for loaders. Unknown values are left to the schema (a 400 with a message). */
export function insightsParams(url: URL): InsightsParams {
  const get = (k: string) => url.searchParams.get(k) || undefined
  return {
    period: (get('period') ?? '30d') as InsightsParams['period'],
    from: get('from'),
    to: get('to'),
    agentId: get('agentId'),
  }
}

/**
 * When the URL's filters were refused (a 400): the params to ask for instead, and what to tell the reader. Only the
 * refused filters go (a bad period falls back to 30 days, a bad member to the whole agency), so a mistyped or stale
 * link still opens the page, saying what it ignored.
 */
export function withoutRefused(
  params: InsightsParams,
  d: { message: string; fieldErrors: Record<string, string[]> },
): { params: InsightsParams; error: string } {
  const refused = Object.keys(d.fieldErrors)
  const badPeriod = !refused.length || refused.some((k) => k !== 'agentId')
  const badAgent = !refused.length || refused.includes('agentId')
  return {
    params: {
      ...(badPeriod ? { period: '30d', from: undefined, to: undefined } : params),
      agentId: badAgent ? undefined : params.agentId,
    },
    error: badPeriod
      ? (Object.entries(d.fieldErrors).find(([k]) => k !== 'agentId')?.[1][0] ?? d.message)
      : 'insights.agentIgnored',
  }
}
