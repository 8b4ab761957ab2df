import { sql } from '@impera/db'
import type { SQL } from 'drizzle-orm'
import type { AgencyCtx } from '../ctx'
import { invalidField } from '../errors'
import { encodeCursor, type ListCursor } from '../schemas'
import { timeKey } from './list-query'

/**
 * The agency's change history across its records, oldest first: every row of the lead, client and property histories
 * (`lead_events`, `client_events`, `property_events`) — the same rows the timelines show — as one feed that a reader
 * pages through by cursor and can come back to later for what happened since (the public API's events log).
 *
 * Rows newer than SETTLE_SECONDS are held back: a history row carries its transaction's start time, so one committed
 * late could otherwise land behind a cursor a reader already holds and never be seen.
 */
export const historyEntities = ['lead', 'client', 'property'] as const
export type HistoryEntity = (typeof historyEntities)[number]

export const SETTLE_SECONDS = 5

export interface HistoryQuery {
  /** The entities to include (each the caller may read). */
  entities: HistoryEntity[]
  /** Rows after this cursor (from a previous page's `next`). */
  after?: ListCursor
  /** Rows at or after this instant, when no cursor is given. */
  since?: Date
  /** One record's history only. */
  entityId?: string
  pageSize: number
}

export interface HistoryRow {
  id: string
  entity: HistoryEntity
  entityId: string
  kind: string
  data: Record<string, unknown>
  at: Date
  actorUserId: string | null
  actorName: string | null
  actorKind: 'person' | 'integration' | null
}

const sources: Record<HistoryEntity, { table: string; column: string }> = {
  lead: { table: 'lead_events', column: 'lead_id' },
  client: { table: 'client_events', column: 'client_id' },
  property: { table: 'property_events', column: 'property_id' },
}

const at = timeKey(sql`at`)

export async function listHistory(ctx: AgencyCtx, q: HistoryQuery) {
  const cursor = q.after
  if (cursor && (cursor.sort !== 'at' || cursor.dir !== 'asc' || cursor.key === null || !at.accepts(cursor.key)))
    throw invalidField('after', 'lists.badCursor')
  const limit = q.pageSize + 1
  // Each source reads its own page from its (agency_id, at) index; the union keeps the first `limit` of them.
  const branch = (entity: HistoryEntity): SQL => {
    const { table, column } = sources[entity]
    const conditions: SQL[] = [
      sql`agency_id = ${ctx.actor.agencyId}`,
      sql`at < now() - make_interval(secs => ${SETTLE_SECONDS})`,
    ]
    if (cursor) conditions.push(sql`(at, id) > (${cursor.key}::timestamptz, ${cursor.id}::uuid)`)
    else if (q.since) conditions.push(sql`at >= ${q.since.toISOString()}::timestamptz`)
    if (q.entityId) conditions.push(sql`${sql.raw(column)} = ${q.entityId}`)
    return sql`(select id, ${entity}::text as entity, ${sql.raw(column)} as entity_id, kind::text as kind, data, at, actor_user_id
      from ${sql.raw(table)} where ${sql.join(conditions, sql` and `)} order by at, id limit ${limit})`
  }
  const rows = await ctx.db.execute<{
    id: string
    entity: HistoryEntity
    entity_id: string
    kind: string
    data: Record<string, unknown>
    at: string
    key: string
    actor_user_id: string | null
    actor_name: string | null
    actor_kind: 'person' | 'integration' | null
  }>(sql`
    select e.id, e.entity, e.entity_id, e.kind, e.data, e.at, e.at::text as key, e.actor_user_id,
      u.name as actor_name, u.kind::text as actor_kind
    from (select * from (${sql.join(q.entities.map(branch), sql` union all `)}) u order by at, id limit ${limit}) e
    left join users u on u.id = e.actor_user_id
    order by e.at, e.id`)
  const page = rows.slice(0, q.pageSize)
  const last = page[page.length - 1]
  return {
    rows: page.map((r): HistoryRow => ({
      id: r.id,
      entity: r.entity,
      entityId: r.entity_id,
      kind: r.kind,
      data: r.data,
      at: new Date(r.at),
      actorUserId: r.actor_user_id,
      actorName: r.actor_name,
      actorKind: r.actor_kind,
    })),
    /** Where to continue: after the last row, or where this page started when there was nothing new yet. */
    next: last
      ? encodeCursor({ sort: 'at', dir: 'asc', key: last.key, id: last.id })
      : cursor
        ? encodeCursor(cursor)
        : null,
    more: rows.length > q.pageSize,
  }
}
