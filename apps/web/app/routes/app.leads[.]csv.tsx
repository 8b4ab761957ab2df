import type { LoaderFunctionArgs } from '@remix-run/node'
import { ZListLeadsInput } from '@impera/api/schemas'
import { translator } from '../i18n'
import { csvNumber, csvStream, type CsvSeparator } from '../lib/csv'
import { leadListParams, parseListParams } from '../lib/list-params'
import { resolveLocale } from '../lib/locale.server'
import { qualificationSlots, slotSource, slotValue } from '../lib/qualification-format'
import { displayPhones, recordsPageContext } from '../lib/records.server'
import { requirePermission } from '../lib/session.server'

/**
 * The leads list as CSV ("Exportar CSV"): the list's filters and order from the URL, what the person may see, every
 * page of it streamed as it is read, with the qualification (each slot and who set it), the score and its reasons,
 * the temperature and the summary. Labels in the reader's language, times in the agency's zone, `sep=;` in pt-BR.
 */
const slots = qualificationSlots

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(context, request, 'records.read')
  const url = new URL(request.url)
  const { locale } = await resolveLocale(context, request)
  const t = translator(locale)
  const sep: CsvSeparator = (url.searchParams.get('sep') ?? (locale === 'pt-BR' ? ';' : ',')) === ',' ? ',' : ';'
  const { caller, country, timezone } = await recordsPageContext(context)
  const { input } = parseListParams(ZListLeadsInput, url.searchParams, leadListParams, timezone)
  // The first page is read before answering, so a bad filter or cursor is a 400 with its message, not a broken file.
  let first: Awaited<ReturnType<typeof caller.leads.exportPage>>
  try {
    first = await caller.leads.exportPage(input)
  } catch (e) {
    const d = context.app.services.describeError(e)
    if (d.code === 'INTERNAL_SERVER_ERROR') throw e
    const detail = Object.values(d.fieldErrors).flat()[0] ?? d.message
    return new Response(t(detail), {
      status: context.app.services.httpStatusOf[d.code] ?? 400,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    })
  }
  const when = new Intl.DateTimeFormat('sv-SE', { timeZone: timezone, dateStyle: 'short', timeStyle: 'short' })
  const money = (cents: number) => csvNumber(cents / 100, locale, 2)
  type Row = (typeof first.rows)[number]
  const line = (r: Row): (string | number | null)[] => [
    r.name,
    displayPhones(r.phones, country).join(', '),
    r.email,
    t(`leads.statuses.${r.status}`),
    t(`leads.sources.${r.source}`),
    r.assigneeName,
    r.interest ? t(`leads.interests.${r.interest}`) : null,
    r.budgetMin === null ? null : money(r.budgetMin),
    r.budgetMax === null ? null : money(r.budgetMax),
    r.tags.join(', '),
    r.qualificationScore,
    r.temperature ? t(`ai.qualification.temperature.${r.temperature}`) : null,
    ...slots.map((s) => {
      const value = r.qualification[s]?.value
      return value === undefined || value === null ? null : slotValue(t, s, value, money)
    }),
    slots
      .flatMap((s) => {
        const slot = r.qualification[s]
        return slot ? [`${t(`ai.qualification.slots.${s}`)}: ${slotSource(t, slot.source)}`] : []
      })
      .join('; '),
    r.qualificationReasons.map((k) => t(`ai.qualification.reasons.${k as 'budget'}`)).join('; '),
    r.aiSummary,
    when.format(r.createdAt),
    when.format(r.updatedAt),
  ]
  const header = [
    t('leads.name'),
    t('leads.phones'),
    t('leads.email'),
    t('leads.status'),
    t('leads.source'),
    t('leads.assignee'),
    t('leads.interest'),
    t('leads.budgetMin'),
    t('leads.budgetMax'),
    t('leads.tags'),
    t('ai.qualification.score'),
    t('ai.qualification.temperatureLabel'),
    ...slots.map((s) => `${t('ai.qualification.title')}: ${t(`ai.qualification.slots.${s}`)}`),
    t('leads.export.sources'),
    t('leads.export.reasons'),
    t('leads.export.summary'),
    t('leads.created'),
    t('leads.updated'),
  ]
  async function* rows() {
    let page = first
    for (;;) {
      for (const r of page.rows) yield line(r)
      if (!page.next) return
      page = await caller.leads.exportPage({ ...input, after: page.next })
    }
  }
  const filename = `leads-${new Date().toISOString().slice(0, 10)}.csv`
  return new Response(csvStream(header, rows(), sep), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Cache-Control': 'no-store',
    },
  })
}
