import { and, eq, lt, ne, sql, webhookDeliveries, webhookEvents, withAgency, type Db } from '@impera/db'

/**
 * Retention of the delivery log and sent events (they carry records' data: LGPD): settled deliveries and events go
 * after 30 days. Pending deliveries and their events stay however old they are — they still have to go out.
 */
export const WEBHOOK_RETENTION_DAYS = 30

export async function purgeWebhookDeliveries(
  db: Db,
  { agencyId, now = new Date() }: { agencyId: string; now?: Date },
): Promise<number> {
  const cutoff = new Date(now.getTime() - WEBHOOK_RETENTION_DAYS * 86_400_000)
  return withAgency(db, { agencyId, userId: null }, async (tx) => {
    const deliveries = await tx
      .delete(webhookDeliveries)
      .where(
        and(
          eq(webhookDeliveries.agencyId, agencyId),
          ne(webhookDeliveries.state, 'pending'),
          lt(webhookDeliveries.createdAt, cutoff),
        ),
      )
      .returning({ id: webhookDeliveries.id })
    const events = await tx
      .delete(webhookEvents)
      .where(
        and(
          eq(webhookEvents.agencyId, agencyId),
          lt(webhookEvents.occurredAt, cutoff),
          sql`not exists (select 1 from ${webhookDeliveries} d where d.agency_id = ${webhookEvents.agencyId} and d.event_id = ${webhookEvents.id})`,
        ),
      )
      .returning({ id: webhookEvents.id })
    return deliveries.length + events.length
  })
}
