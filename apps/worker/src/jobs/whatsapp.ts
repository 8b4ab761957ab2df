import {
  whatsappIngestJob,
  whatsappIngestPendingJob,
  whatsappMediaJob,
  whatsappPurgeEventsJob,
  whatsappReconcileJob,
  whatsappSendPendingJob,
  scheduleSends,
  whatsappSyncTemplatesJob,
} from '@impera/api/jobs'
import {
  downloadMessageMedia,
  hasWaitingEvents,
  ingestPendingEvents,
  ingestWebhookEvent,
  ingestLane,
  noteIngestFailure,
  purgePortalLeadEvents,
  purgeWebhookEvents,
  reconcileAgency,
  sendDueMessages,
  syncWhatsappTemplates,
} from '@impera/api/services'
import { agencies, whatsappAccounts, withAgency } from '@impera/db'
import { defineJob } from '../define-job'

/** How long one run drains before it hands over to a fresh job (other kinds of work get their turn on its slot). */
const DRAIN_MS = 20_000

/**
 * The agency's stored deliveries → their messages and statuses, a batch per transaction until none is waiting
 * (decision 047). Each batch's live events go out after its commit. One batch per lane at a time (INGEST_LANES, each a
 * job key and a lock): a run that finds its lane taken leaves (the holder looks again before it stops), so batches
 * grow with the load instead of eight runs taking a delivery or two each. The lock is a transaction's: a worker that
 * dies mid-batch frees its lane at once, where a graphile-worker queue would stay locked by the dead job for hours.
 */
export const whatsappIngestPending = defineJob(
  whatsappIngestPendingJob,
  async ({ agencyId, lane }, { db, whatsapp, log, live, addJob }) => {
    const until = Date.now() + DRAIN_MS
    const key = ingestLane(agencyId, lane)
    for (;;) {
      const r = await ingestPendingEvents({ db, whatsapp }, { agencyId, lane })
      // Another run holds the lane: it looks for waiting deliveries after its last batch has committed, and what this
      // run was scheduled for was committed before, so that run takes it.
      if (r.busy) return
      await live.whatsapp(r.changes)
      if (r.taken) log.info({ agencyId, taken: r.taken, failed: r.failed }, 'webhook events ingested')
      if (!r.taken && !(await hasWaitingEvents({ db }, { agencyId }))) return
      if (Date.now() > until) {
        await addJob(whatsappIngestPendingJob.id, { agencyId, lane }, { jobKey: key })
        return
      }
    }
  },
)

/** One stored webhook delivery → its messages and statuses. Failures stay visible on the raw event; the job retries. */
export const whatsappIngest = defineJob(
  whatsappIngestJob,
  async ({ agencyId, eventId }, { db, whatsapp, attempts, maxAttempts, log, live }) => {
    try {
      const changes = await ingestWebhookEvent({ db, whatsapp }, { agencyId, eventId })
      await live.whatsapp(changes)
      log.info({ eventId, changes: changes.length }, 'webhook event ingested')
    } catch (e) {
      // The job's own failure (and its retry) matters more than the note: a note that cannot be written is only logged.
      await noteIngestFailure(
        { db },
        { agencyId, eventId, error: (e as Error).message, final: attempts >= maxAttempts },
      ).catch((err: unknown) => log.error({ err, eventId }, 'ingest failure not recorded'))
      throw e
    }
  },
)

/**
 * One number's queued messages, paced (decision 049). A run hands over to a fresh job after 20 s, like the ingest's
 * drain, and leaves a wake-up for the earliest back-off it leaves waiting.
 */
export const whatsappSendPending = defineJob(
  whatsappSendPendingJob,
  async ({ agencyId, accountId }, { db, whatsapp, log, addJob, live, instanceId }) => {
    const run = await sendDueMessages(
      { db, whatsapp, instanceId },
      { agencyId, accountId, runForMs: DRAIN_MS, onChanges: (changes) => live.whatsapp(changes) },
    )
    if (run.busy) return
    if (run.handover) await scheduleSends(db, agencyId, accountId)
    if (run.wakeAt) await scheduleSends(db, agencyId, accountId, run.wakeAt)
    // The sandbox answers with receipts shortly after: poll it then.
    if (run.settled)
      await addJob(
        whatsappReconcileJob.id,
        { agencyId },
        { runAt: new Date(Date.now() + 1_200), jobKey: `wa-reconcile-${agencyId}` },
      )
    if (run.settled || run.retried) log.info({ accountId, ...run }, 'whatsapp messages sent')
  },
)

export const whatsappMedia = defineJob(
  whatsappMediaJob,
  async ({ agencyId, messageId }, { db, whatsapp, attempts, maxAttempts, live }) => {
    await live.whatsapp(
      await downloadMessageMedia({ db, whatsapp }, { agencyId, messageId, finalAttempt: attempts >= maxAttempts }),
    )
  },
)

/** Every minute for all agencies (cron), or for one right after a sandbox injection; reschedules itself for due items. */
export const whatsappReconcile = defineJob(
  whatsappReconcileJob,
  async ({ agencyId }, { db, whatsapp, log, addJob }) => {
    const ids = agencyId ? [agencyId] : (await db.select({ id: agencies.id }).from(agencies)).map((a) => a.id)
    for (const id of ids) {
      const r = await reconcileAgency({ db, whatsapp }, { agencyId: id })
      if (r.nextAt)
        await addJob(
          whatsappReconcileJob.id,
          { agencyId: id },
          { runAt: new Date(Math.max(r.nextAt.getTime(), Date.now() + 200)), jobKey: `wa-reconcile-${id}` },
        )
      if (r.delivered || r.redriven) log.info({ agencyId: id, ...r }, 'whatsapp reconciled')
    }
  },
)

/** Daily: raw webhook bodies past their retention, agency by agency in each one's tenant context. */
export const whatsappPurgeEvents = defineJob(whatsappPurgeEventsJob, async (_payload, { db, log }) => {
  let purged = 0
  // Portal pushes (decision 022) are raw bodies from outside too, kept as long.
  for (const { id } of await db.select({ id: agencies.id }).from(agencies))
    purged +=
      (await purgeWebhookEvents({ db }, { agencyId: id })) + (await purgePortalLeadEvents({ db }, { agencyId: id }))
  log.info({ purged }, 'raw webhook events and portal pushes purged')
})

/** One number's templates (on request, or when it is added), or every number's (daily, from the crontab). */
export const whatsappSyncTemplates = defineJob(whatsappSyncTemplatesJob, async (payload, { db, whatsapp, log }) => {
  const targets =
    'accountId' in payload
      ? [payload]
      : (
          await Promise.all(
            (await db.select({ id: agencies.id }).from(agencies)).map(({ id }) =>
              withAgency(db, { agencyId: id, userId: null }, (tx) =>
                tx
                  .select({ agencyId: whatsappAccounts.agencyId, accountId: whatsappAccounts.id })
                  .from(whatsappAccounts),
              ),
            ),
          )
        ).flat()
  for (const t of targets) {
    const r = await syncWhatsappTemplates({ db, whatsapp }, { agencyId: t.agencyId, accountId: t.accountId })
    log.info({ accountId: t.accountId, ...r }, 'whatsapp templates synced')
  }
})
