import { notificationsPushJob } from '@impera/api/jobs'
import { dropPendingPushes, sendPendingPushes } from '@impera/api/services'
import { withAgency } from '@impera/db'
import { defineJob } from '../define-job'

/**
 * Sends a member's pending notifications to their devices (decision 035), as the system in the agency's context. A
 * push service's "try again" fails the job, which graphile-worker retries with backoff. A worker without a VAPID key
 * (it says so when it starts) lets them go: the bell and the e-mails still have them.
 */
export const notificationsPush = defineJob(notificationsPushJob, async (payload, { db, push, log }) => {
  const result = await withAgency(db, { agencyId: payload.agencyId, userId: null }, (tx) =>
    push ? sendPendingPushes(tx, db, push, payload) : dropPendingPushes(tx, payload),
  )
  if (result.sent || result.gone) log.info({ ...payload, ...result }, 'pushes sent')
})
