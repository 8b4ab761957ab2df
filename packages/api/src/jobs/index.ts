import { sql, type DbOrTx } from '@impera/db'
import { notificationKinds } from '@impera/db/enums'
import { z } from 'zod'

/**
 * Job contracts: id + payload schema. Services enqueue through these; apps/worker binds one handler per contract
 * (apps/worker/src/jobs/<job>.ts), so producer and consumer share the payload type and validation.
 */
export interface JobContract<S extends z.ZodType> {
  id: string
  schema: S
  maxAttempts?: number
  /**
   * graphile-worker's priority, lower first (default 0): under load a contact's message and the AI's answer to it go
   * before receipts' side effects, sends and housekeeping; nothing starves, the queue only reorders what waits.
   */
  priority?: number
}

function defineJobContract<S extends z.ZodType>(c: JobContract<S>): JobContract<S> {
  return c
}

export const sendEmailJob = defineJobContract({
  // Ids use graphile-worker's identifier alphabet (letters, digits, _ - :), which its crontab requires.
  id: 'email:send',
  schema: z.object({
    to: z.email(),
    subject: z.string().min(1).max(300),
    text: z.string().min(1),
    html: z.string().optional(),
  }),
  maxAttempts: 10,
})

/** Every few minutes: raises "lead waiting" notifications and sends the batched notification e-mails. */
export const notificationsSweepJob = defineJobContract({
  id: 'notifications:sweep',
  schema: z.object({}),
  maxAttempts: 3,
})

/**
 * Something the members were invited to act on is over (an offer claimed by one of them): their notifications of it
 * are marked read as the system, since a member's own transaction may only touch their own notifications (RLS).
 */
export const notificationsSettleJob = defineJobContract({
  id: 'notifications:settle',
  schema: z.object({
    agencyId: z.uuid(),
    kind: z.enum(notificationKinds),
    entityId: z.uuid(),
    userIds: z.array(z.uuid()).max(500),
  }),
  maxAttempts: 5,
})

/**
 * Web push (decision 035): what is pending for one member goes to their devices. Keyed per member, so a burst of
 * notifications waits in one job and leaves in one run.
 */
export const notificationsPushJob = defineJobContract({
  id: 'notifications:push',
  schema: z.object({ agencyId: z.uuid(), userId: z.uuid() }),
  maxAttempts: 8,
  priority: 1,
})

/** A listing new or changed: tells the members whose open leads it suits (after a pause, so edits coalesce). */
export const propertiesMatchLeadsJob = defineJobContract({
  id: 'properties:match-leads',
  schema: z.object({ agencyId: z.uuid(), propertyId: z.uuid() }),
  maxAttempts: 5,
})

/** Every minute: reminders of tasks and visits whose time has come (decision 025). */
export const tasksRemindJob = defineJobContract({
  id: 'tasks:remind',
  schema: z.object({}),
  maxAttempts: 3,
})

/** A bulk operation over more records than a request should hold (decision 028), run in checkpointed chunks. */
export const bulkRunJob = defineJobContract({
  id: 'bulk:run',
  schema: z.object({ agencyId: z.uuid(), operationId: z.uuid() }),
  maxAttempts: 5,
  priority: 5,
})

/** Every minute: new leads past their first-contact SLA move to the next in line (decision 027). */
export const distributionSlaJob = defineJobContract({
  id: 'distribution:sla',
  schema: z.object({}),
  maxAttempts: 3,
})

/** Every few minutes: conversations people left idle past the agency's rule go back to the AI (decision 019). */
export const conversationsReturnToAiJob = defineJobContract({
  id: 'conversations:return-to-ai',
  schema: z.object({}),
  maxAttempts: 3,
})

/**
 * The AI step of a conversation in `auto` (decision 020): keyed per conversation, so a burst of messages is one turn
 * (each new message pushes the built-in agent's run back by the agency's pause; an external agent's deadline keeps
 * its first time).
 */
export const aiStepJob = defineJobContract({
  id: 'ai:step',
  schema: z.object({ agencyId: z.uuid(), conversationId: z.uuid() }),
  maxAttempts: 5,
  priority: -10,
})

/** Scores the leads written without the qualification owner (the seed, rows from before migration 0048). */
export const leadsRefreshQualificationJob = defineJobContract({
  id: 'leads:refresh-qualification',
  schema: z.object({}),
  maxAttempts: 5,
})

/**
 * Tells an external AI agent to take its turn once the contact's burst settles (decision 020): keyed per conversation,
 * each new message pushes it back by the agency's pause, so a burst is one `conversation.turn_requested`.
 */
export const aiRequestTurnJob = defineJobContract({
  id: 'ai:request-turn',
  schema: z.object({ agencyId: z.uuid(), conversationId: z.uuid() }),
  maxAttempts: 5,
})

export const purgeAuthDataJob = defineJobContract({
  id: 'auth:purge-expired',
  schema: z.object({}),
  maxAttempts: 3,
})

/**
 * Adds a job inside the caller's transaction: it exists only if that transaction commits. Payloads are validated here
 * so a bad one fails at the producer, not later in the worker.
 */
export async function enqueue<S extends z.ZodType>(
  db: DbOrTx,
  job: JobContract<S>,
  payload: z.input<S>,
  opts: { runAt?: Date; jobKey?: string; jobKeyMode?: 'replace' | 'preserve_run_at'; priority?: number } = {},
): Promise<string> {
  const parsed = job.schema.parse(payload)
  // With a job key, graphile-worker replaces a waiting job of that key; 'preserve_run_at' keeps its scheduled time.
  // Every argument is typed: enqueue_job has three signatures (migrations 0044, 0052), so Postgres cannot infer them.
  const rows = await db.execute<{ id: string }>(
    sql`select enqueue_job(${job.id}::text, ${JSON.stringify(parsed)}::json, ${opts.runAt?.toISOString() ?? null}::timestamptz, ${job.maxAttempts ?? null}::int, ${opts.jobKey ?? null}::text, ${opts.jobKeyMode ?? null}::text, ${opts.priority ?? job.priority ?? 0}::int)::text as id`,
  )
  return rows[0]!.id
}

export const purgeTrashJob = defineJobContract({
  id: 'trash:purge',
  schema: z.object({}),
  maxAttempts: 3,
})

/** Removes files from storage after the rows pointing at them are gone (enqueued in the same transaction). */
export const deleteStoredFilesJob = defineJobContract({
  id: 'storage:delete',
  schema: z.object({ keys: z.array(z.string().min(1)).min(1).max(1000) }),
  maxAttempts: 10,
})

/**
 * Drains an agency's stored webhook deliveries, many per transaction (decision 047). Keyed per agency and lane: the
 * intake schedules one lane's run with each delivery, and a delivery stored while it runs schedules the lane's next.
 */
export const whatsappIngestPendingJob = defineJobContract({
  id: 'whatsapp:ingest-pending',
  schema: z.object({ agencyId: z.uuid(), lane: z.number().int().min(0).max(15).default(0) }),
  maxAttempts: 25,
  priority: -5,
})

/** One stored webhook delivery (every event in it): the retries of a delivery that failed in a batch, the re-drives. */
export const whatsappIngestJob = defineJobContract({
  id: 'whatsapp:ingest',
  schema: z.object({ agencyId: z.uuid(), eventId: z.number().int() }),
  maxAttempts: 12,
  priority: -5,
})

/** One stored portal push → a lead (decision 022); as urgent as a WhatsApp message: a person is waiting. */
export const portalIngestJob = defineJobContract({
  id: 'portal:ingest',
  schema: z.object({ agencyId: z.uuid(), eventId: z.number().int() }),
  maxAttempts: 12,
  priority: -5,
})

/**
 * A spreadsheet import's validation report and its run (decision 024). Behind people's messages (priority 5): an
 * import of 100,000 rows must not hold a WhatsApp reply back. A retried run resumes from its checkpoint.
 */
export const importsValidateJob = defineJobContract({
  id: 'imports:validate',
  schema: z.object({ agencyId: z.uuid(), importId: z.uuid() }),
  maxAttempts: 3,
  priority: 5,
})

export const importsRunJob = defineJobContract({
  id: 'imports:run',
  schema: z.object({ agencyId: z.uuid(), importId: z.uuid() }),
  maxAttempts: 5,
  priority: 5,
})

/**
 * Sends one number's queued messages, paced to its throughput, one in flight per recipient (decision 049). Scheduled
 * with `scheduleSends` whenever a message is queued; a run hands over to a fresh job after a while, and schedules one
 * for the earliest back-off it leaves waiting. Per-message retries are the sender's own (`send_after`), so a failed run
 * is only a run that could not reach the database.
 */
export const whatsappSendPendingJob = defineJobContract({
  id: 'whatsapp:send-pending',
  schema: z.object({ agencyId: z.uuid(), accountId: z.uuid() }),
  maxAttempts: 25,
})

/**
 * Job keys a number's "send now" is spread over. A job key's row is locked by the transaction that schedules it until
 * that commits — which is what makes the run see the message — so agents sending on one number at once would queue
 * behind a single key's row; over four keys they mostly do not. The runs are still one at a time (the sender's lock).
 */
export const SEND_LANES = 4

/**
 * The number's sender, now (whenever a message is queued) or at `runAt` (the end of the earliest back-off). A waiting
 * run is moved rather than doubled (job keys), and a wake-up for later, under a key of its own, never postpones a run
 * for now.
 */
export function scheduleSends(db: DbOrTx, agencyId: string, accountId: string, runAt?: Date) {
  const jobKey = runAt
    ? `wa-sender-wake-${accountId}`
    : `wa-sender-${accountId}-${Math.floor(Math.random() * SEND_LANES)}`
  return enqueue(db, whatsappSendPendingJob, { agencyId, accountId }, { jobKey, runAt })
}

/** Downloads one inbound message's media into storage; its own job so a failure never loses the message. */
export const whatsappMediaJob = defineJobContract({
  id: 'whatsapp:media',
  schema: z.object({ agencyId: z.uuid(), messageId: z.uuid() }),
  maxAttempts: 6,
})

/** Fetches one number's message templates from the provider (on request and daily); without ids, every number's. */
export const whatsappSyncTemplatesJob = defineJobContract({
  id: 'whatsapp:sync-templates',
  schema: z.object({ agencyId: z.uuid(), accountId: z.uuid() }).or(z.object({})),
  maxAttempts: 3,
})

/**
 * Daily: raw webhook bodies (personal data) leave once they have done their job — see purgeWebhookEvents.
 */
export const whatsappPurgeEventsJob = defineJobContract({
  id: 'whatsapp:purge-events',
  schema: z.object({}),
  maxAttempts: 3,
})

/** Every minute, and on demand: re-drives stuck sends and unprocessed events, polls pull-type providers (sandbox). */
export const whatsappReconcileJob = defineJobContract({
  id: 'whatsapp:reconcile',
  schema: z.object({ agencyId: z.uuid().optional() }),
  maxAttempts: 3,
})

/**
 * Delivers an endpoint's queued webhooks in order (decision 018). One job key per endpoint; the job reschedules itself
 * for the next retry, so graphile's own retries are only for crashes.
 */
export const webhooksDeliverJob = defineJobContract({
  id: 'webhooks:deliver',
  schema: z.object({ agencyId: z.uuid(), endpointId: z.uuid() }),
  maxAttempts: 5,
})

/**
 * Every five minutes: wakes the delivery job of every enabled endpoint with pending deliveries (a job lost to repeated
 * crashes must not strand its queue); a job waiting for a retry keeps its time.
 */
export const webhooksSweepJob = defineJobContract({
  id: 'webhooks:sweep',
  schema: z.object({}),
  maxAttempts: 3,
})

/** Daily: deliveries and events past their retention (never pending ones). */
export const webhooksPurgeJob = defineJobContract({
  id: 'webhooks:purge',
  schema: z.object({}),
  maxAttempts: 3,
})

/**
 * Hourly: the public API's stored answers to Idempotency-Keys past their 24 hours, and rate-limit buckets that have
 * refilled (see purgeIdempotencyKeys, purgeRateBuckets).
 */
export const purgeApiDataJob = defineJobContract({
  id: 'api:purge-expired',
  schema: z.object({}),
  maxAttempts: 3,
})

/** Deletes an agency whose deletion platform staff asked for, and then its files (decision 040). */
export const agencyDeleteJob = defineJobContract({
  id: 'agency:delete',
  schema: z.object({ agencyId: z.uuid() }),
  maxAttempts: 5,
})

/**
 * After an agency is deleted: its whole folder in the store goes, files no row pointed at included (written by a job
 * that was running while it was deleted). Queued twice by the deletion: at once and a while later. Refuses to touch
 * the folder of an agency that exists.
 */
export const storageDeleteAgencyFilesJob = defineJobContract({
  id: 'storage:delete-agency-files',
  schema: z.object({ agencyId: z.uuid() }),
  maxAttempts: 10,
})

/** A manager's export of the whole agency (decision 041); a retry starts the file over. */
export const agencyExportJob = defineJobContract({
  id: 'agency:export',
  schema: z.object({ agencyId: z.uuid(), exportId: z.uuid() }),
  maxAttempts: 3,
})
