import { and, asc, eq, sql, webhookDeliveries, webhookEndpoints, webhookEvents, withAgency, type Db } from '@impera/db'
import { enqueue, webhooksDeliverJob } from '../jobs'
import { assigneeOrManagers, raiseNotification } from '../services/notifications'
import type { SecretBox } from '../whatsapp/secrets'
import { deliverJobKey } from './outbox'
import { nextAttemptDelay, postWebhook, type AttemptResult } from './send'
import { webhookHeaders, webhookMessageId } from './signing'
import type { TargetPolicy } from './targets'

/** What the worker hands the delivery step: the key that opens endpoint secrets, and where webhooks may go. */
export interface WebhookRuntime {
  secrets: SecretBox
  targets: TargetPolicy
  /** Per-attempt limit (15 s); tests shorten it. */
  timeoutMs?: number
}

export interface WebhookSystemCtx {
  db: Db
  webhooks: WebhookRuntime
}

/** How long one job run keeps delivering before it hands the slot back (and runs again at once). */
const RUN_BUDGET_MS = 20_000
/** The lease outlives a run's budget plus one attempt's timeout: no two runs deliver one endpoint at once. */
const LEASE_SECONDS = 60
const BATCH = 25

/** The JSON body of a delivery: the Standard Webhooks envelope plus our metadata at the top level. */
export function webhookBody(d: {
  type: string
  occurredAt: Date
  agencyId: string
  seq: number
  origin: string
  actorUserId: string | null
  data: Record<string, unknown>
}): string {
  return JSON.stringify({
    type: d.type,
    timestamp: d.occurredAt.toISOString(),
    agencyId: d.agencyId,
    seq: d.seq,
    origin: d.origin,
    actorUserId: d.actorUserId,
    data: d.data,
  })
}

/**
 * Worker step (job `webhooks:deliver`): delivers an endpoint's pending deliveries in sequence order, one at a time,
 * until the queue is empty, the head must wait for its retry, the endpoint is disabled, or the run's budget is spent.
 * One run at a time per endpoint (a lease on its row); a run that finds the lease taken leaves, and the holder looks
 * again after letting go, so nothing committed meanwhile is stranded. At least once: a crash between the POST and its
 * record sends that delivery again.
 */
export async function deliverEndpointQueue(
  ctx: WebhookSystemCtx,
  { agencyId, endpointId }: { agencyId: string; endpointId: string },
): Promise<{ delivered: number; failed: number }> {
  const counts = { delivered: 0, failed: 0 }
  const started = Date.now()
  for (;;) {
    const endpoint = await claim(ctx.db, agencyId, endpointId)
    if (!endpoint) return counts
    let outcome: 'idle' | 'waiting' | 'disabled' | 'budget' = 'idle'
    let waitUntil: Date | null = null
    try {
      const secrets = [ctx.webhooks.secrets.open(endpoint.secretEnc)]
      if (
        endpoint.previousSecretEnc &&
        endpoint.previousSecretExpiresAt &&
        endpoint.previousSecretExpiresAt > new Date()
      )
        secrets.push(ctx.webhooks.secrets.open(endpoint.previousSecretEnc))
      batches: for (;;) {
        const heads = await pendingHeads(ctx.db, agencyId, endpointId)
        if (!heads.length) break
        for (const d of heads) {
          if (Date.now() - started > RUN_BUDGET_MS) {
            outcome = 'budget'
            break batches
          }
          if (d.nextAttemptAt > new Date()) {
            outcome = 'waiting'
            waitUntil = d.nextAttemptAt
            break batches
          }
          const body = webhookBody({ ...d, agencyId })
          const result = await postWebhook({
            url: endpoint.url,
            body,
            headers: webhookHeaders(secrets, webhookMessageId(d.eventId), body),
            policy: ctx.webhooks.targets,
            timeoutMs: ctx.webhooks.timeoutMs,
          })
          const next = await record(ctx.db, { agencyId, endpointId, url: endpoint.url }, d, result)
          if (next.state === 'delivered') counts.delivered++
          else counts.failed++
          if (next.disabled) {
            outcome = 'disabled'
            break batches
          }
          if (next.retryAt) {
            outcome = 'waiting'
            waitUntil = next.retryAt
            break batches
          }
        }
      }
    } finally {
      await release(ctx.db, agencyId, endpointId)
    }
    if (outcome === 'disabled') return counts
    if (outcome === 'waiting' || outcome === 'budget') {
      await schedule(ctx.db, agencyId, endpointId, outcome === 'waiting' ? waitUntil : null)
      return counts
    }
    // Idle: a delivery committed while we held the lease found it taken and left; look once more.
    if (!(await hasDueHead(ctx.db, agencyId, endpointId))) return counts
  }
}

async function claim(db: Db, agencyId: string, endpointId: string) {
  return withAgency(db, { agencyId, userId: null }, async (tx) => {
    const [row] = await tx
      .update(webhookEndpoints)
      .set({ leaseUntil: sql`now() + make_interval(secs => ${LEASE_SECONDS})` })
      .where(
        and(
          eq(webhookEndpoints.agencyId, agencyId),
          eq(webhookEndpoints.id, endpointId),
          eq(webhookEndpoints.enabled, true),
          sql`(${webhookEndpoints.leaseUntil} is null or ${webhookEndpoints.leaseUntil} < now())`,
        ),
      )
      .returning({
        url: webhookEndpoints.url,
        secretEnc: webhookEndpoints.secretEnc,
        previousSecretEnc: webhookEndpoints.previousSecretEnc,
        previousSecretExpiresAt: webhookEndpoints.previousSecretExpiresAt,
      })
    return row ?? null
  })
}

function release(db: Db, agencyId: string, endpointId: string) {
  return withAgency(db, { agencyId, userId: null }, (tx) =>
    tx
      .update(webhookEndpoints)
      .set({ leaseUntil: null })
      .where(and(eq(webhookEndpoints.agencyId, agencyId), eq(webhookEndpoints.id, endpointId))),
  )
}

function pendingHeads(db: Db, agencyId: string, endpointId: string) {
  return withAgency(db, { agencyId, userId: null }, (tx) =>
    tx
      .select({
        id: webhookDeliveries.id,
        seq: webhookDeliveries.seq,
        attempts: webhookDeliveries.attempts,
        nextAttemptAt: webhookDeliveries.nextAttemptAt,
        eventId: webhookDeliveries.eventId,
        type: webhookEvents.type,
        data: webhookEvents.data,
        occurredAt: webhookEvents.occurredAt,
        origin: webhookEvents.origin,
        actorUserId: webhookEvents.actorUserId,
      })
      .from(webhookDeliveries)
      .innerJoin(
        webhookEvents,
        and(eq(webhookEvents.agencyId, webhookDeliveries.agencyId), eq(webhookEvents.id, webhookDeliveries.eventId)),
      )
      .where(
        and(
          eq(webhookDeliveries.agencyId, agencyId),
          eq(webhookDeliveries.endpointId, endpointId),
          eq(webhookDeliveries.state, 'pending'),
        ),
      )
      .orderBy(asc(webhookDeliveries.seq))
      .limit(BATCH),
  )
}

async function hasDueHead(db: Db, agencyId: string, endpointId: string) {
  const [head] = await pendingHeads(db, agencyId, endpointId)
  return !!head && head.nextAttemptAt <= new Date()
}

/** The next run of the endpoint's job: at a retry's time, or at once (a run that used up its budget). */
function schedule(db: Db, agencyId: string, endpointId: string, at: Date | null) {
  return withAgency(db, { agencyId, userId: null }, (tx) =>
    enqueue(
      tx,
      webhooksDeliverJob,
      { agencyId, endpointId },
      { jobKey: deliverJobKey(endpointId), runAt: at ?? undefined },
    ),
  )
}

/**
 * Records an attempt on its delivery and decides what follows: delivered; a retry at a jittered, growing delay (or
 * what Retry-After asked); or, on 410 Gone or when the ten attempts are spent, the delivery given up and the endpoint
 * disabled, with the agency's managers notified.
 */
async function record(
  db: Db,
  endpoint: { agencyId: string; endpointId: string; url: string },
  d: { id: string; attempts: number },
  r: AttemptResult,
): Promise<{ state: 'delivered' | 'pending' | 'failed'; retryAt: Date | null; disabled: boolean }> {
  const { agencyId, endpointId } = endpoint
  const attempts = d.attempts + 1
  const gone = r.status === 410
  const delay = r.ok || gone ? null : nextAttemptDelay(attempts, r.retryAfterMs)
  const state = r.ok ? 'delivered' : gone || delay === null ? 'failed' : 'pending'
  const retryAt = state === 'pending' ? new Date(Date.now() + delay!) : null
  const disable = state === 'failed'
  await withAgency(db, { agencyId, userId: null }, async (tx) => {
    await tx
      .update(webhookDeliveries)
      .set({
        state,
        attempts,
        lastAttemptAt: sql`now()`,
        responseStatus: r.status,
        latencyMs: r.latencyMs,
        responseExcerpt: r.excerpt,
        error: r.error,
        ...(retryAt ? { nextAttemptAt: retryAt } : {}),
        ...(r.ok ? { deliveredAt: sql`now()` } : {}),
      })
      .where(and(eq(webhookDeliveries.agencyId, agencyId), eq(webhookDeliveries.id, d.id)))
    if (!disable) return
    const reason = gone ? 'gone' : 'failing'
    const [off] = await tx
      .update(webhookEndpoints)
      .set({ enabled: false, disabledReason: reason, disabledAt: sql`now()`, updatedAt: sql`now()` })
      .where(
        and(
          eq(webhookEndpoints.agencyId, agencyId),
          eq(webhookEndpoints.id, endpointId),
          eq(webhookEndpoints.enabled, true),
        ),
      )
      .returning({ id: webhookEndpoints.id })
    if (!off) return
    await raiseNotification(tx, {
      agencyId,
      userIds: await assigneeOrManagers(tx, { agencyId, assignedTo: null }),
      kind: 'webhook_disabled',
      entity: 'webhook_endpoint',
      entityId: endpointId,
      data: { url: endpoint.url.slice(0, 200), reason },
      bump: true,
    })
  })
  return { state, retryAt, disabled: disable }
}
