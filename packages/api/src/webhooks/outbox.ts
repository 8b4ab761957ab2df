import { and, asc, eq, integrations, sql, webhookEndpoints, webhookEvents, type DbOrTx } from '@impera/db'
import type { WebhookUpdatedEventType } from '@impera/db/enums'
import type { DomainEvent } from '../events'
import { enqueue, webhooksDeliverJob } from '../jobs'
import { memoRead } from '../read-memo'
import { changedFieldsOf, webhookData, webhookTypeOf } from './payloads'

/**
 * The webhook outbox (decision 018), written by `emitDomainEvent` in the transaction of the change: the event row, one
 * delivery per subscribed endpoint at the end of its queue, and the endpoint's delivery job. Nothing is sent here.
 *
 * An endpoint gets an event when it is enabled, subscribes to the type, its field filter (for `*.updated`) names a
 * changed field, and the event was not caused by the integration the endpoint feeds (an integration never hears of its
 * own changes, whether through the API or MCP).
 */
export async function queueWebhookEvent(db: DbOrTx, event: DomainEvent): Promise<void> {
  const type = webhookTypeOf(event)
  if (!type) return
  const endpoints = await memoRead(`webhook-endpoints:${event.agencyId}:${type}`, () =>
    db
      .select({
        id: webhookEndpoints.id,
        updatedFields: webhookEndpoints.updatedFields,
        integrationUserId: integrations.userId,
      })
      .from(webhookEndpoints)
      .leftJoin(
        integrations,
        and(eq(integrations.agencyId, webhookEndpoints.agencyId), eq(integrations.id, webhookEndpoints.integrationId)),
      )
      .where(
        and(
          eq(webhookEndpoints.agencyId, event.agencyId),
          eq(webhookEndpoints.enabled, true),
          sql`${type} = any(${webhookEndpoints.eventTypes})`,
        ),
      )
      .orderBy(asc(webhookEndpoints.id)),
  )
  if (!endpoints.length) return
  const changed = changedFieldsOf(event)
  const targets = endpoints.filter((e) => {
    if (isOwnChange(e.integrationUserId, event)) return false
    const only = changed ? e.updatedFields[type as WebhookUpdatedEventType] : undefined
    return !only?.length || changed!.some((f) => only.includes(f))
  })
  if (!targets.length) return
  const data = await webhookData(db, event)
  if (!data) return
  const [row] = await db
    .insert(webhookEvents)
    .values({ agencyId: event.agencyId, type, data, actorUserId: event.actorUserId, origin: event.origin })
    .returning({ id: webhookEvents.id })
  await appendDeliveries(db, {
    agencyId: event.agencyId,
    eventId: row!.id,
    endpointIds: targets.map((t) => t.id),
    trigger: 'event',
  })
}

/**
 * The seam for "this event was caused by the integration this endpoint feeds": the integration acts as its own users
 * row (decision 017), so its changes carry that user as the actor.
 */
export function isOwnChange(integrationUserId: string | null, event: Pick<DomainEvent, 'actorUserId'>): boolean {
  return !!integrationUserId && event.actorUserId === integrationUserId
}

/**
 * Puts an event at the end of each endpoint's queue and wakes its delivery job. The endpoints' rows are locked in id
 * order (no deadlock between two changes that feed the same endpoints) and hold their sequence until commit, so the
 * numbers follow commit order. No job is added while a run holds the endpoint's lease: the run lets go of the lease
 * only after this transaction ends (the row is locked until then) and looks for new deliveries after letting go, so
 * a busy endpoint is not handed a job per event. A job waiting for a retry keeps its time, since nothing behind the
 * retried delivery may overtake it.
 */
export async function appendDeliveries(
  db: DbOrTx,
  opts: { agencyId: string; eventId: string; endpointIds: string[]; trigger: 'event' | 'redelivery' | 'test' },
): Promise<{ id: string; endpointId: string; seq: number }[]> {
  const rows = await db.execute<{ id: string; endpoint_id: string; seq: number; busy: boolean }>(sql`
    with locked as (
      select id from ${webhookEndpoints}
      where agency_id = ${opts.agencyId} and id = any(array[${sql.join(
        opts.endpointIds.map((id) => sql`${id}`),
        sql`, `,
      )}]::uuid[])
      order by id
      for update
    ), bumped as (
      update ${webhookEndpoints} e set last_seq = e.last_seq + 1
      from locked where e.id = locked.id and e.agency_id = ${opts.agencyId}
      returning e.id, e.last_seq, coalesce(e.lease_until > now(), false) as busy
    ), queued as (
      insert into webhook_deliveries (agency_id, endpoint_id, event_id, seq, trigger)
      select ${opts.agencyId}, bumped.id, ${opts.eventId}, bumped.last_seq, ${opts.trigger} from bumped
      returning id, endpoint_id, seq
    )
    select queued.id, queued.endpoint_id, queued.seq::int as seq, bumped.busy
    from queued join bumped on bumped.id = queued.endpoint_id`)
  for (const r of rows)
    if (!r.busy)
      await enqueue(
        db,
        webhooksDeliverJob,
        { agencyId: opts.agencyId, endpointId: r.endpoint_id },
        { jobKey: deliverJobKey(r.endpoint_id), jobKeyMode: opts.trigger === 'event' ? 'preserve_run_at' : 'replace' },
      )
  return rows.map((r) => ({ id: r.id, endpointId: r.endpoint_id, seq: r.seq }))
}

export const deliverJobKey = (endpointId: string) => `webhooks-deliver-${endpointId}`

/** Endpoints of the agency with pending deliveries and no run under way: their jobs are woken (the sweep). */
export async function redriveEndpoints(db: DbOrTx, agencyId: string): Promise<number> {
  const rows = await db.execute<{ id: string }>(sql`
    select e.id from ${webhookEndpoints} e
    where e.agency_id = ${agencyId} and e.enabled and (e.lease_until is null or e.lease_until < now())
      and exists (select 1 from webhook_deliveries d where d.agency_id = e.agency_id and d.endpoint_id = e.id and d.state = 'pending')`)
  for (const r of rows)
    await enqueue(
      db,
      webhooksDeliverJob,
      { agencyId, endpointId: r.id },
      { jobKey: deliverJobKey(r.id), jobKeyMode: 'preserve_run_at' },
    )
  return rows.length
}
