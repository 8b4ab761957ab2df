import { agencies, eq, sql, type DbOrTx } from '@impera/db'
import { liveNotification, rooms, roomsForConversation, type ServerToClientEvents } from '../live'

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
  await db.execute(sql`select pg_notify(${channel}, ${payload})`)
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
