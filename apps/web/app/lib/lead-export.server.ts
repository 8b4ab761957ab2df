import type { AppLoadContext } from '@remix-run/node'
import { ZListLeadsInput } from '@impera/api/schemas'
import { translator, type Locale } from '../i18n'
import { leadListParams, parseListParams } from './list-params'
import { resolveLocale } from './locale.server'
import { qualificationSlots as slots, slotSource, slotValue } from './qualification-format'
import { displayPhones, recordsPageContext } from './records.server'

/** A cell of the export: text, a number, an amount in the agency's currency, or an instant. */
export type ExportCell = string | number | Date | null
export interface ExportColumn {
  header: string
  kind: 'text' | 'number' | 'money' | 'datetime'
}
export interface LeadExport {
  columns: ExportColumn[]
  rows: AsyncIterable<ExportCell[]>
  locale: Locale
  timezone: string
}

/**
 * The leads list as a table, for the CSV and the XLSX exports alike: the list's filters and order from the URL, what
 * the person may see, every page read as the file is written, with the qualification (each slot and who set it), the
 * score and its reasons, the temperature and the summary; labels in the reader's language. A bad filter or cursor is
 * answered before any byte of a file (a 400 with its message), not as a broken download.
 */
export async function leadExportTable(context: AppLoadContext, request: Request): Promise<LeadExport | Response> {
  const url = new URL(request.url)
  const { locale } = await resolveLocale(context, request)
  const t = translator(locale)
  const { caller, country, timezone } = await recordsPageContext(context)
  const { input } = parseListParams(ZListLeadsInput, url.searchParams, leadListParams, timezone)
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
  const reais = (cents: number) => cents / 100
  type Row = (typeof first.rows)[number]
  const line = (r: Row): ExportCell[] => [
    r.name,
    displayPhones(r.phones, country).join(', '),
    r.email,
    t(`leads.statuses.${r.status}`),
    t(`leads.sources.${r.source}`),
    r.assigneeName,
    r.interest ? t(`leads.interests.${r.interest}`) : null,
    r.budgetMin === null ? null : reais(r.budgetMin),
    r.budgetMax === null ? null : reais(r.budgetMax),
    r.tags.join(', '),
    r.qualificationScore,
    r.temperature ? t(`ai.qualification.temperature.${r.temperature}`) : null,
    ...slots.map((s) => {
      const value = r.qualification[s]?.value
      return value === undefined || value === null ? null : slotValue(t, s, value, reais)
    }),
    slots
      .flatMap((s) => {
        const slot = r.qualification[s]
        return slot ? [`${t(`ai.qualification.slots.${s}`)}: ${slotSource(t, slot.source)}`] : []
      })
      .join('; '),
    r.qualificationReasons.map((k) => t(`ai.qualification.reasons.${k as 'budget'}`)).join('; '),
    r.aiSummary,
    new Date(r.createdAt),
    new Date(r.updatedAt),
  ]
  const text = (header: string): ExportColumn => ({ header, kind: 'text' })
  const columns: ExportColumn[] = [
    text(t('leads.name')),
    text(t('leads.phones')),
    text(t('leads.email')),
    text(t('leads.status')),
    text(t('leads.source')),
    text(t('leads.assignee')),
    text(t('leads.interest')),
    { header: t('leads.budgetMin'), kind: 'money' },
    { header: t('leads.budgetMax'), kind: 'money' },
    text(t('leads.tags')),
    { header: t('ai.qualification.score'), kind: 'number' },
    text(t('ai.qualification.temperatureLabel')),
    ...slots.map((s): ExportColumn => ({
      header: `${t('ai.qualification.title')}: ${t(`ai.qualification.slots.${s}`)}`,
      kind: s === 'budgetMin' || s === 'budgetMax' ? 'money' : 'text',
    })),
    text(t('leads.export.sources')),
    text(t('leads.export.reasons')),
    text(t('leads.export.summary')),
    { header: t('leads.created'), kind: 'datetime' },
    { header: t('leads.updated'), kind: 'datetime' },
  ]
  async function* rows() {
    let page = first
    for (;;) {
      for (const r of page.rows) yield line(r)
      if (!page.next) return
      page = await caller.leads.exportPage({ ...input, after: page.next })
    }
  }
  return { columns, rows: rows(), locale, timezone }
}
