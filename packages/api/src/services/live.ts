import { AsyncLocalStorage } from 'node:async_hooks'
import { agencies, eq, sql, type DbOrTx } from '@impera/db'
import { liveNotification, rooms, roomsForConversation, type ServerToClientEvents } from '../live'

const deferred = new AsyncLocalStorage<Map<string, { channel: string; payload: string }>>()

/**
 * Runs `fn` with its live events held back, then sends them in one statement — or, inside another such scope, hands
 * them to it. A batch of ingested deliveries (decision 047) sent two or three NOTIFYs per message, most of them the
 * same ("activity changed"). Nothing changes for a reader: NOTIFY leaves only at commit, and Postgres folds identical
 * ones anyway. If `fn` throws, its events are dropped, as a rolled-back savepoint drops its NOTIFYs.
 */
export async function deferLiveEvents<T>(db: DbOrTx, fn: () => Promise<T>): Promise<T> {
  const parent = deferred.getStore()
  const mine = new Map<string, { channel: string; payload: string }>()
  const out = await deferred.run(mine, fn)
  if (parent) for (const [k, v] of mine) parent.set(k, v)
  else if (mine.size)
    await db.execute(
      sql`select pg_notify(n->>0, n->>1) from jsonb_array_elements(${JSON.stringify([...mine.values()].map((n) => [n.channel, n.payload]))}::jsonb) with ordinality as u(n, i) order by i`,
    )
  return out
}

/**
 * Emits a live event from inside the caller's transaction. NOTIFY is transactional: the event leaves only if the
 * change commits (never for a rolled-back one), and identical events in one transaction go out once. Works the same
 * from a web request and from a worker job.
 */
export async function emitLive<E extends keyof ServerToClientEvents>(
  db: DbOrTx,
  to: string | string[],
  event: E,
  ...args: Parameters<ServerToClientEvents[E]>
) {
  const { channel, payload } = liveNotification(to, event, args)
  const held = deferred.getStore()
  if (held) held.set(`${channel}\n${payload}`, { channel, payload })
  else await db.execute(sql`select pg_notify(${channel}, ${payload})`)
}

/** The agency's dashboards refetch their feed and figures (each reader's query applies its own visibility). */
export function activityChanged(db: DbOrTx, agencyId: string) {
  return emitLive(db, rooms.agency(agencyId), 'activity:changed')
}

/**
 * A conversation's own state changed (control, status, labels, a note): the inbox and the open thread refetch — its
 * readers only (its assignee, the managers, and every agent when agents see all), like a message's live event.
 */
export async function conversationChanged(
  db: DbOrTx,
  c: { agencyId: string; id: string; assignedTo: string | null },
): Promise<void> {
  const [agency] = await db
    .select({ agentsSeeAll: agencies.agentsSeeAll })
    .from(agencies)
    .where(eq(agencies.id, c.agencyId))
  await emitLive(db, roomsForConversation(c.agencyId, c.assignedTo, !!agency?.agentsSeeAll), 'wa:changed', {
    conversationId: c.id,
    kind: 'conversation',
  })
}
