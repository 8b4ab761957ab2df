import { whatsappIngestJob, whatsappMediaJob, whatsappReconcileJob, whatsappSendJob } from '@impera/api/jobs'
import { downloadMessageMedia, ingestWebhookEvent, noteIngestFailure, reconcileAgency, sendQueuedMessage } from '@impera/api/services'
import { agencies } from '@impera/db'
import { defineJob } from '../define-job'

/** One stored webhook delivery → its messages and statuses. Failures stay visible on the raw event; the job retries. */
export const whatsappIngest = defineJob(whatsappIngestJob, async ({ agencyId, eventId }, { db, whatsapp, attempts, maxAttempts, log, live }) => {
  try {
    const changes = await ingestWebhookEvent({ db, runtime: whatsapp, agencyId, eventId })
    await live.whatsapp(changes)
    log.info({ eventId, changes: changes.length }, 'webhook event ingested')
  } catch (e) {
    await noteIngestFailure(db, agencyId, eventId, (e as Error).message, attempts >= maxAttempts)
    throw e
  }
})

/** One outbound message; retryable provider errors throw, so graphile-worker retries with exponential backoff. */
export const whatsappSend = defineJob(whatsappSendJob, async ({ agencyId, messageId }, { db, whatsapp, attempts, maxAttempts, log, addJob, live }) => {
  await live.whatsapp(await sendQueuedMessage({ db, runtime: whatsapp, agencyId, messageId, finalAttempt: attempts >= maxAttempts }))
  // The sandbox answers with receipts shortly after: poll it then.
  await addJob(whatsappReconcileJob.id, { agencyId }, { runAt: new Date(Date.now() + 1_200), jobKey: `wa-reconcile-${agencyId}` })
  log.info({ messageId }, 'whatsapp message processed')
})

export const whatsappMedia = defineJob(whatsappMediaJob, async ({ agencyId, messageId }, { db, whatsapp, attempts, maxAttempts, live }) => {
  await live.whatsapp(await downloadMessageMedia({ db, runtime: whatsapp, agencyId, messageId, finalAttempt: attempts >= maxAttempts }))
})

/** Every minute for all agencies (cron), or for one right after a sandbox injection; reschedules itself for due items. */
export const whatsappReconcile = defineJob(whatsappReconcileJob, async ({ agencyId }, { db, whatsapp, log, addJob }) => {
  const ids = agencyId ? [agencyId] : (await db.select({ id: agencies.id }).from(agencies)).map((a) => a.id)
  for (const id of ids) {
    const r = await reconcileAgency({ db, runtime: whatsapp, agencyId: id })
    if (r.nextAt) await addJob(whatsappReconcileJob.id, { agencyId: id }, { runAt: new Date(Math.max(r.nextAt.getTime(), Date.now() + 200)), jobKey: `wa-reconcile-${id}` })
    if (r.delivered || r.redriven) log.info({ agencyId: id, ...r }, 'whatsapp reconciled')
  }
})
