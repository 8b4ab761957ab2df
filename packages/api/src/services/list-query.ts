import { eq, sql, users, type DbOrTx } from '@impera/db'
import type { AnyColumn, SQL } from 'drizzle-orm'
import type { AnyPgColumn, AnyPgTable } from 'drizzle-orm/pg-core'
import { invalidField } from '../errors'
import { encodeCursor, isCalendarDay, type ListCursor } from '../schemas'

/**
 * Keyset pagination and cheap counts for the lists (decision 011).
 *
 * Offset pagination reads and throws away every row before the page, and an exact count reads every matching row:
 * both grow with the agency. Here a page continues from the last row's (sort key, id), which an index on
 * (agency_id, key, id) answers by reading one page; and the count reads at most COUNT_CAP rows, beyond which the
 * planner's estimate is shown as approximate.
 */
export const COUNT_CAP = 10_000

export interface SortKey {
  expr: SQL | AnyColumn
  /** The Postgres type to read the cursor's key back as (the key travels as the text Postgres printed). */
  type: string
  nullable: boolean
  /** Whether a cursor's key can be read as `type`: a forged cursor gets a 400, not a cast error. */
  accepts: (key: string) => boolean
}

const timestampText = /^(\d{4}-\d{2}-\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?[+-](\d{2})(:\d{2})?$/
/** The shape Postgres prints a timestamptz in, with a day that exists and a time of day in range. */
function isTimestampText(k: string): boolean {
  const m = timestampText.exec(k)
  return !!m && isCalendarDay(m[1]!) && Number(m[2]) < 24 && Number(m[3]) < 60 && Number(m[4]) < 60 && Number(m[6]) < 16
}
export const timeKey = (expr: SQL | AnyColumn, nullable = false): SortKey => ({
  expr,
  type: 'timestamptz',
  nullable,
  accepts: isTimestampText,
})
/**
 * People's text sorts as people read it: case- and accent-blind ("Álvaro" beside "alvaro", not after "Zeca", whatever
 * the database's collation), through the same `search_norm` the search indexes use (migration 0014).
 */
export const textKey = (expr: SQL | AnyColumn, nullable = false): SortKey => ({
  expr: sql`search_norm(${expr})`,
  type: 'text',
  nullable,
  accepts: () => true,
})
const numberText = { numeric: /^-?\d{1,20}(\.\d{1,10})?$/, bigint: /^-?\d{1,18}$/, int: /^-?\d{1,10}$/ }
export const numberKey = (expr: SQL | AnyColumn, type: 'int' | 'bigint' | 'numeric'): SortKey => ({
  expr,
  type,
  nullable: true,
  // An int key must also fit in 32 bits, or the cast fails in Postgres instead of here.
  accepts: (k) => numberText[type].test(k) && (type !== 'int' || Math.abs(Number(k)) <= 2 ** 31 - 1),
})
export const enumKey = (expr: SQL | AnyColumn, type: string, values: readonly string[], nullable = false): SortKey => ({
  expr,
  type,
  nullable,
  accepts: (k) => values.includes(k),
})

export interface Paging {
  sort: string
  dir: 'asc' | 'desc'
  after?: ListCursor
  before?: ListCursor
  pageSize: number
}

export interface Keyset {
  where: SQL | undefined
  orderBy: SQL[]
  /** Select this as `sortKey` so cursors carry the exact key (text keeps microseconds a JS Date would drop). */
  keyText: SQL<string | null>
  limit: number
}

/**
 * The order is always `key dir nulls last, id dir`. A previous page is read in the reverse order from its cursor and
 * flipped back, so both directions use the same index.
 */
export function keyset(key: SortKey, id: AnyColumn, paging: Paging): Keyset {
  const backward = Boolean(paging.before)
  const cursor = paging.before ?? paging.after
  const dir = backward ? (paging.dir === 'asc' ? 'desc' : 'asc') : paging.dir
  const op = sql.raw(dir === 'asc' ? '>' : '<')
  const direction = sql.raw(dir)
  // Nulls go last in the list's order. For a key that is never null the clause is left out: Postgres does not use NOT
  // NULL to match `desc nulls last` to a backward index scan, and would sort the whole agency instead.
  const nulls = key.nullable ? sql.raw(backward ? ' nulls first' : ' nulls last') : sql``
  const orderBy = [sql`${key.expr} ${direction}${nulls}`, sql`${id} ${direction}`]
  let where: SQL | undefined
  if (cursor) {
    if (cursor.key !== null && !key.accepts(cursor.key))
      throw invalidField(paging.before ? 'before' : 'after', 'lists.badCursor')
    if (cursor.key === null && !key.nullable) throw invalidField(paging.before ? 'before' : 'after', 'lists.badCursor')
    const value = sql`${cursor.key}::${sql.raw(key.type)}`
    if (cursor.key === null)
      where = backward
        ? sql`(${key.expr} is not null or ${id} ${op} ${cursor.id})`
        : sql`(${key.expr} is null and ${id} ${op} ${cursor.id})`
    else if (!backward && key.nullable)
      where = sql`((${key.expr}, ${id}) ${op} (${value}, ${cursor.id}::uuid) or ${key.expr} is null)`
    else where = sql`(${key.expr}, ${id}) ${op} (${value}, ${cursor.id}::uuid)`
  }
  return { where, orderBy, keyText: sql<string | null>`(${key.expr})::text`, limit: paging.pageSize + 1 }
}

/**
 * The ids of one page, found first and alone: with only the filter and sort columns needed, the covering indexes
 * (migrations 0021, 0027) answer it without reading table rows, and the page's full rows are then read by id — 25
 * rows instead of every row the scan passes on its way to 25 matches. The assignee join is there for its sort.
 */
export function pageIds(
  db: DbOrTx,
  table: AnyPgTable,
  id: AnyPgColumn,
  assignedTo: AnyPgColumn,
  where: SQL | undefined,
  page: Keyset,
) {
  return db
    .select({ id })
    .from(table)
    .leftJoin(users, eq(users.id, assignedTo))
    .where(where)
    .orderBy(...page.orderBy)
    .limit(page.limit)
}

export interface Page<T> {
  rows: T[]
  /** Cursor for the next page (`after`), null on the last page. */
  next: string | null
  /** Cursor for the previous page (`before`), null on the first page. */
  prev: string | null
}

/** Turns the limit+1 rows a keyset query read into a page with its neighbours' cursors. */
export function toPage<T extends { id: string; sortKey: string | null }>(
  fetched: T[],
  paging: Paging,
): Page<Omit<T, 'sortKey'>> {
  const backward = Boolean(paging.before)
  const more = fetched.length > paging.pageSize
  const rows = fetched.slice(0, paging.pageSize)
  if (backward) rows.reverse()
  const cursorOf = (row: T | undefined) =>
    row ? encodeCursor({ sort: paging.sort, dir: paging.dir, key: row.sortKey, id: row.id }) : null
  const first = rows[0]
  const last = rows[rows.length - 1]
  return {
    rows: rows.map(({ sortKey: _, ...row }) => row),
    next: backward || more ? cursorOf(last) : null,
    prev: backward ? (more ? cursorOf(first) : null) : paging.after ? cursorOf(first) : null,
  }
}

export interface ListTotal {
  count: number
  /** False when the count passed COUNT_CAP and `count` is the planner's estimate. */
  exact: boolean
}

/**
 * Counts the rows of `query` (a select of the list's filtered rows) by reading at most COUNT_CAP + 1 of them; past
 * that, asks the planner for its estimate of the same query, which costs nothing however many rows match.
 */
export async function cheapCount(db: DbOrTx, query: SQL): Promise<ListTotal> {
  const [capped] = await db.execute<{ n: number }>(
    sql`select count(*)::int as n from (${query} limit ${COUNT_CAP + 1}) capped`,
  )
  if (capped!.n <= COUNT_CAP) return { count: capped!.n, exact: true }
  const [plan] = await db.execute<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }>(
    sql`explain (format json) ${query}`,
  )
  const estimate = Math.round(plan!['QUERY PLAN'][0].Plan['Plan Rows'])
  return { count: Math.max(estimate, COUNT_CAP + 1), exact: false }
}
