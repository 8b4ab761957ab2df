import type { AppLoadContext } from '@remix-run/node'
import { formatDocument } from '@impera/api/documents'
import { xlsxStream } from '@impera/api/exports'
import { ZListClientsInput, ZListConversationsInput, ZListLeadsInput, ZListPropertiesInput } from '@impera/api/schemas'
import { wallClock } from '@impera/api/zoned-time'
import { translator, type Locale } from '../i18n'
import { csvNumber, csvStream, type CsvSeparator } from '@impera/api/csv'
import {
  clientListParams,
  conversationListParams,
  leadListParams,
  parseListParams,
  propertyListParams,
} from './list-params'
import { resolveLocale } from './locale.server'
import { qualificationSlots as slots, slotSource, slotValue } from './qualification-format'
import { displayPhones, recordsPageContext } from './records.server'
import { dateTimeFormat } from './intl'

/** A cell of the export: text, a number, an amount in the agency's currency, or an instant. */
export type ExportCell = string | number | Date | null
export interface ExportColumn {
  header: string
  kind: 'text' | 'number' | 'money' | 'datetime'
}
export interface ListExport {
  /** The file's base name and the workbook's sheet name. */
  name: string
  sheet: string
  columns: ExportColumn[]
  rows: AsyncIterable<ExportCell[]>
  locale: Locale
  timezone: string
}
type Translate = ReturnType<typeof translator>
type Caller = Awaited<ReturnType<typeof recordsPageContext>>['caller']
interface Paged<R> {
  rows: R[]
  next: string | null
}

/**
 * A list as a table for the CSV and XLSX exports: the list's filters and order from the URL, what the person may see,
 * every page read as the file is written. A bad filter or cursor is answered before any byte of a file (a 400 with its
 * message), not as a broken download.
 */
async function listExport<R>(
  context: AppLoadContext,
  request: Request,
  read: (caller: Caller, params: URLSearchParams, timezone: string) => (after?: string) => Promise<Paged<R>>,
  table: (
    t: Translate,
    env: { country: string },
  ) => { name: string; sheet?: string; columns: ExportColumn[]; line: (r: R) => ExportCell[] },
): Promise<ListExport | Response> {
  const url = new URL(request.url)
  const { locale } = await resolveLocale(context, request)
  const t = translator(locale)
  const { caller, country, timezone } = await recordsPageContext(context)
  const page = read(caller, url.searchParams, timezone)
  let first: Paged<R>
  try {
    first = await page()
  } catch (e) {
    const d = context.app.services.describeError(e)
    if (d.code === 'INTERNAL_SERVER_ERROR') throw e
    const detail = Object.values(d.fieldErrors).flat()[0] ?? d.message
    return new Response(t(detail), {
      status: context.app.services.httpStatusOf[d.code] ?? 400,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    })
  }
  const { name, sheet, columns, line } = table(t, { country })
  async function* rows() {
    let current = first
    for (;;) {
      for (const r of current.rows) yield line(r)
      if (!current.next) return
      current = await page(current.next)
    }
  }
  return { name, sheet: sheet ?? t(`${name}.title` as 'leads.title'), columns, rows: rows(), locale, timezone }
}

const text = (header: string): ExportColumn => ({ header, kind: 'text' })
const reais = (cents: number) => cents / 100
/** The lists page through their rows a hundred at a time for an export (the most a list page holds). */
const EXPORT_PAGE = 100

/**
 * The leads list: with the qualification (each slot and who set it), the score and its reasons, the temperature and
 * the summary; labels in the reader's language.
 */
export function leadExportTable(context: AppLoadContext, request: Request) {
  return listExport(
    context,
    request,
    (caller, params, timezone) => {
      const { input } = parseListParams(ZListLeadsInput, params, leadListParams, timezone)
      return (after) => caller.leads.exportPage({ ...input, after })
    },
    (t, { country }) => ({
      name: 'leads',
      columns: [
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
      ],
      line: (r) => [
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
      ],
    }),
  )
}

/** The clients list: contact, roles, CPF/CNPJ (formatted), city, tags, owner. */
export function clientExportTable(context: AppLoadContext, request: Request) {
  return listExport(
    context,
    request,
    (caller, params, timezone) => {
      const { input } = parseListParams(ZListClientsInput, params, clientListParams, timezone)
      return (after) => caller.clients.list({ ...input, pageSize: EXPORT_PAGE, before: undefined, after })
    },
    (t, { country }) => ({
      name: 'clients',
      columns: [
        text(t('clients.name')),
        text(t('clients.phones')),
        text(t('clients.email')),
        text(t('clients.types')),
        text(t('clients.document')),
        text(t('clients.city')),
        text(t('clients.tags')),
        text(t('clients.assignee')),
        { header: t('clients.created'), kind: 'datetime' },
        { header: t('leads.updated'), kind: 'datetime' },
      ],
      line: (r) => [
        r.name,
        displayPhones(r.phones, country).join(', '),
        r.email,
        r.types.map((ct) => t(`clients.typeNames.${ct}`)).join(', '),
        r.document ? formatDocument(r.document) : null,
        r.city,
        r.tags.join(', '),
        r.assigneeName,
        new Date(r.createdAt),
        new Date(r.updatedAt),
      ],
    }),
  )
}

/** The properties list: code, title, kind, purpose, status, both prices, size, place, listing agent. */
export function propertyExportTable(context: AppLoadContext, request: Request) {
  return listExport(
    context,
    request,
    (caller, params, timezone) => {
      const { input } = parseListParams(ZListPropertiesInput, params, propertyListParams, timezone)
      return (after) => caller.properties.list({ ...input, pageSize: EXPORT_PAGE, before: undefined, after })
    },
    (t) => ({
      name: 'properties',
      columns: [
        text(t('properties.code')),
        text(t('properties.titleField')),
        text(t('properties.type')),
        text(t('properties.purpose')),
        text(t('properties.status')),
        { header: t('properties.salePrice'), kind: 'money' },
        { header: t('properties.rentPrice'), kind: 'money' },
        { header: t('properties.bedrooms'), kind: 'number' },
        { header: t('properties.parkingSpaces'), kind: 'number' },
        { header: t('lists.area'), kind: 'number' },
        text(t('clients.neighbourhood')),
        text(t('clients.city')),
        text(t('properties.assignee')),
        { header: t('leads.created'), kind: 'datetime' },
        { header: t('leads.updated'), kind: 'datetime' },
      ],
      line: (r) => [
        r.code,
        r.title,
        t(`properties.typeNames.${r.type}`),
        t(`properties.purposes.${r.purpose}`),
        t(`properties.statuses.${r.status}`),
        r.salePrice === null ? null : reais(r.salePrice),
        r.rentPrice === null ? null : reais(r.rentPrice),
        r.bedrooms,
        r.parkingSpaces,
        r.builtArea,
        r.neighbourhood,
        r.city,
        r.assigneeName,
        new Date(r.createdAt),
        new Date(r.updatedAt),
      ],
    }),
  )
}

/**
 * The inbox as it is filtered (the open ones unless another status is asked, like the page): contact, phone, status,
 * labels, who has it, who controls it, whether it waits for a reply, the last message and its time.
 */
export function conversationExportTable(context: AppLoadContext, request: Request) {
  return listExport(
    context,
    request,
    (caller, params, timezone) => {
      const withStatus = new URLSearchParams(params)
      if (!withStatus.get('status')) withStatus.set('status', 'open')
      const { input } = parseListParams(ZListConversationsInput, withStatus, conversationListParams, timezone)
      return (after) => caller.whatsapp.conversations({ ...input, pageSize: EXPORT_PAGE, before: undefined, after })
    },
    (t, { country }) => ({
      name: 'conversations',
      sheet: t('whatsapp.title'),
      columns: [
        text(t('whatsapp.export.contact')),
        text(t('whatsapp.export.phone')),
        text(t('whatsapp.state.label')),
        text(t('whatsapp.labels.title')),
        text(t('whatsapp.export.assignee')),
        text(t('whatsapp.export.controller')),
        text(t('lists.waitingReply')),
        text(t('whatsapp.export.lastMessage')),
        { header: t('whatsapp.export.lastMessageAt'), kind: 'datetime' },
      ],
      line: (r) => [
        r.displayName || r.contactName,
        displayPhones([r.contactPhone], country)[0]!,
        t(`whatsapp.state.badge.${r.status}`),
        r.labels.join(', '),
        r.assigneeName,
        t(`whatsapp.control.badge.${r.controller}`),
        r.waiting ? t('whatsapp.export.yes') : t('whatsapp.export.no'),
        r.lastMessagePreview,
        r.lastMessageAt ? new Date(r.lastMessageAt) : null,
      ],
    }),
  )
}

const attachment = (type: string, filename: string) => ({
  'Content-Type': type,
  'Content-Disposition': `attachment; filename="${filename}"`,
  'Cache-Control': 'no-store',
})
const today = () => new Date().toISOString().slice(0, 10)

/** A list as CSV: amounts with the reader's decimal mark, times in the agency's zone, `;` in pt-BR (Excel's habit). */
export function csvResponse(table: ListExport | Response, request: Request): Response {
  if (table instanceof Response) return table
  const { columns, locale, timezone, rows: source } = table
  const asked = new URL(request.url).searchParams.get('sep') ?? (locale === 'pt-BR' ? ';' : ',')
  const sep: CsvSeparator = asked === ',' ? ',' : ';'
  const when = dateTimeFormat('sv-SE', { timeZone: timezone, dateStyle: 'short', timeStyle: 'short' })
  const cell = (c: ExportCell, i: number): string | number | null =>
    c instanceof Date
      ? when.format(c)
      : typeof c === 'number' && columns[i]!.kind === 'money'
        ? csvNumber(c, locale, 2)
        : c
  async function* rows() {
    for await (const r of source) yield r.map(cell)
  }
  return new Response(
    csvStream(
      columns.map((c) => c.header),
      rows(),
      sep,
    ),
    { headers: attachment('text/csv; charset=utf-8', `${table.name}-${today()}.csv`) },
  )
}

/**
 * A list as an Excel workbook, written row by row as pages are read: amounts and counts are numbers, times are Excel
 * dates in the agency's wall-clock time (Excel has no zones).
 */
export function xlsxResponse(table: ListExport | Response): Response {
  if (table instanceof Response) return table
  const { columns, timezone, rows: source } = table
  const local = (c: ExportCell): ExportCell => {
    if (!(c instanceof Date)) return c
    const w = wallClock(c, timezone)
    return new Date(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second))
  }
  async function* rows() {
    for await (const r of source) yield r.map(local)
  }
  return new Response(xlsxStream(table.sheet, columns, rows()), {
    headers: attachment(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      `${table.name}-${today()}.xlsx`,
    ),
  })
}
