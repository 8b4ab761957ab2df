import { zonedInstant } from '@impera/api/zoned-time'
import type { z } from 'zod'

/**
 * A list's state lives in its URL (filters, sort, columns, cursor), so any view can be bookmarked or sent. This turns
 * those params into the list procedure's input: repeated or comma-separated params become arrays, day fields become
 * instants in the agency's time zone (an end day is inclusive), and a param the schema rejects is dropped on its own
 * and reported, rather than throwing the whole view away.
 */
export interface ListParamSpec {
  /** URL keys holding several values (`status=new&status=lost` or `status=new,lost`). */
  multi?: readonly string[]
  /** URL day keys → the input's instant key; `end` days are inclusive, so they map to the next day's start. */
  days?: Record<string, { key: string; end?: boolean }>
}

const dayPattern = /^\d{4}-\d{2}-\d{2}$/

/** The instant a calendar day starts in a time zone. */
export function zonedDayStart(day: string, timeZone: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  return new Date(zonedInstant(timeZone, y, m, d))
}

/**
 * `input` is what to send to the procedure (it parses again: cursors and money are transformed, and a transform's output
 * is not valid input); `parsed` is the same after parsing, for the page to show what is applied.
 */
export function parseListParams<S extends z.ZodType>(
  schema: S,
  params: URLSearchParams,
  spec: ListParamSpec,
  timeZone: string,
): { input: z.input<S>; parsed: z.output<S>; ignored: string[] } {
  const raw: Record<string, unknown> = {}
  const urlKeyOf: Record<string, string> = {}
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key).filter((v) => v !== '')
    if (!values.length) continue
    const day = spec.days?.[key]
    if (day) {
      const value = values[0]!
      urlKeyOf[day.key] = key
      raw[day.key] = dayPattern.test(value)
        ? new Date(zonedDayStart(value, timeZone).getTime() + (day.end ? 24 * 3600 * 1000 : 0))
        : value
    } else if (spec.multi?.includes(key)) {
      raw[key] = values.flatMap((v) => v.split(',')).filter(Boolean)
    } else raw[key] = values[0]
  }
  const ignored: string[] = []
  for (let attempt = 0; attempt < 5; attempt++) {
    const parsed = schema.safeParse(raw)
    if (parsed.success) return { input: raw as z.input<S>, parsed: parsed.data, ignored }
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? '')
      if (key in raw) {
        delete raw[key]
        ignored.push(urlKeyOf[key] ?? key)
      }
    }
  }
  return { input: {} as z.input<S>, parsed: schema.parse({}), ignored: [...params.keys()] }
}

/** The visible columns: `cols` from the URL (repeated or comma-separated) when it names known ones, else the defaults. */
export function visibleColumns<C extends string>(
  params: URLSearchParams,
  known: readonly C[],
  defaults: readonly C[],
): C[] {
  const asked = params
    .getAll('cols')
    .flatMap((v) => v.split(','))
    .filter((c): c is C => (known as readonly string[]).includes(c))
  return asked.length ? asked : [...defaults]
}

const dayParams: ListParamSpec['days'] = {
  from: { key: 'createdFrom' },
  to: { key: 'createdTo', end: true },
  updatedFrom: { key: 'updatedFrom' },
  updatedTo: { key: 'updatedTo', end: true },
}

/** How the leads list reads its URL: the page, its bulk actions and its exports parse the same filters the same way. */
export const leadListParams: ListParamSpec = { multi: ['status', 'source', 'tags', 'temperature'], days: dayParams }

/** How the clients list reads its URL (the page, its bulk actions and its exports alike). */
export const clientListParams: ListParamSpec = { multi: ['type', 'tags'], days: dayParams }

/** How the properties list reads its URL (the page, its bulk actions and its exports alike). */
export const propertyListParams: ListParamSpec = { multi: ['status', 'type'], days: dayParams }

/** How the inbox reads its URL (the list and its bulk bar's "all that match"). */
export const conversationListParams: ListParamSpec = { days: { from: { key: 'from' }, to: { key: 'to', end: true } } }

/**
 * What a bulk action's "all that match" stands for: the filters the loader applied, as it read them — never the
 * browser's idea of the URL, and never a filter the loader ignored (the selection must not widen past the count shown).
 */
export function bulkFilterOf(params: URLSearchParams, filterKeys: readonly string[], ignored: string[]): string {
  const out = new URLSearchParams()
  for (const [k, v] of params) if (filterKeys.includes(k) && !ignored.includes(k)) out.append(k, v)
  return out.toString()
}
