import { webhooksDeliverJob, webhooksPurgeJob, webhooksSweepJob } from '@impera/api/jobs'
import { deliverEndpointQueue, purgeWebhookDeliveries, redriveEndpoints } from '@impera/api/webhooks'
import { agencies, withAgency } from '@impera/db'
import { defineJob } from '../define-job'

/** One endpoint's queue, in order (decision 018); the step reschedules this job for its next retry itself. */
export const webhooksDeliver = defineJob(webhooksDeliverJob, async (payload, { db, webhooks, log }) => {
  const r = await deliverEndpointQueue({ db, webhooks }, payload)
  if (r.failed) log.info({ ...payload, ...r }, 'webhook deliveries failed')
})

/** Every five minutes: endpoints with pending deliveries get their job back if it was lost. */
export const webhooksSweep = defineJob(webhooksSweepJob, async (_payload, { db, log }) => {
  let woken = 0
  for (const { id } of await db.select({ id: agencies.id }).from(agencies))
    woken += await withAgency(db, { agencyId: id, userId: null }, (tx) => redriveEndpoints(tx, id))
  if (woken) log.info({ woken }, 'webhook endpoints woken')
})

/** Daily: the delivery log and sent events past their retention, agency by agency in each one's tenant context. */
export const webhooksPurge = defineJob(webhooksPurgeJob, async (_payload, { db, log }) => {
  let purged = 0
  for (const { id } of await db.select({ id: agencies.id }).from(agencies))
    purged += await purgeWebhookDeliveries(db, { agencyId: id })
  log.info({ purged }, 'webhook deliveries purged')
})
