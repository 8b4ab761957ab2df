import { z } from 'zod'
import { requiredText, zInstant, zText, zUuid } from './common'
import { listNames } from './list-views'

export { listNames, listViewKeys, normalizeViewQuery, type ListName } from './list-views'

/**
 * What every list (leads, clients, properties, conversations) shares: keyset pagination and saved views.
 *
 * A cursor is the sort key and id of the row a page starts after (or ends before), plus the sort it was made for, so a
 * stale cursor cannot silently mix two orders. It is opaque to clients (base64url of JSON) and travels in the URL.
 */
export interface ListCursor {
  sort: string
  dir: 'asc' | 'desc'
  /** The row's sort key as Postgres prints it (full timestamp precision), or null when that row has none. */
  key: string | null
  id: string
}

function toBase64Url(text: string): string {
  let binary = ''
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function fromBase64Url(encoded: string): string {
  const binary = atob(encoded.replace(/-/g, '+').replace(/_/g, '/'))
  return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)))
}

export function encodeCursor(cursor: ListCursor): string {
  return toBase64Url(JSON.stringify([cursor.sort, cursor.dir, cursor.key, cursor.id]))
}

const ZCursorTuple = z.tuple([zText().max(40), z.enum(['asc', 'desc']), zText().max(300).nullable(), zUuid])

export const zCursor = z
  .string()
  .max(600, 'lists.badCursor')
  .transform((value, ctx): ListCursor => {
    try {
      const [sort, dir, key, id] = ZCursorTuple.parse(JSON.parse(fromBase64Url(value)))
      return { sort, dir, key, id }
    } catch {
      ctx.addIssue({ code: 'custom', message: 'lists.badCursor' })
      return z.NEVER
    }
  })

export const listPaging = {
  /** Rows after this cursor (next page) … */
  after: zCursor.optional(),
  /** … or before it (previous page); not both. */
  before: zCursor.optional(),
  pageSize: z.coerce.number().int().min(5).max(100).default(25),
  dir: z.enum(['asc', 'desc']).default('desc'),
}

/** The object-level checks of a list input: one cursor at most, made for the sort being asked for. */
export function checkPaging(
  v: { after?: ListCursor; before?: ListCursor; sort: string; dir: string },
  ctx: z.RefinementCtx,
) {
  if (v.after && v.before) ctx.addIssue({ code: 'custom', path: ['before'], message: 'lists.badCursor' })
  const cursor = v.after ?? v.before
  if (cursor && (cursor.sort !== v.sort || cursor.dir !== v.dir))
    ctx.addIssue({ code: 'custom', path: [v.after ? 'after' : 'before'], message: 'lists.badCursor' })
}

/** A date range end typed as a day is inclusive for people; the API's `…To` bounds are exclusive instants. */
export const zDateBound = zInstant.optional()

/** Tags to match (any of them), from repeated URL params or a comma list. */
export const zTagFilter = z
  .union([z.array(z.string()), z.string()])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(zText().max(40, 'validation.tooLong')).max(10, 'validation.tooMany'))
  .optional()
  .transform((v) => (v?.length ? v : undefined))

const zViewName = requiredText(60)
const zViewQuery = zText().max(2000, 'validation.tooLong')

export const ZListViewsInput = z.object({ list: z.enum(listNames) })
export type TListViewsInput = z.infer<typeof ZListViewsInput>
export const ZCreateViewInput = z.object({
  list: z.enum(listNames),
  name: zViewName,
  query: zViewQuery,
  shared: z.boolean().default(false),
})
export type TCreateViewInput = z.infer<typeof ZCreateViewInput>
export const ZUpdateViewInput = z.object({
  id: zUuid,
  name: zViewName.optional(),
  query: zViewQuery.optional(),
  shared: z.boolean().optional(),
})
export type TUpdateViewInput = z.infer<typeof ZUpdateViewInput>
export const ZViewIdInput = z.object({ id: zUuid })
export type TViewIdInput = z.infer<typeof ZViewIdInput>
