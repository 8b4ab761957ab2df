import { notificationsPushJob } from '@impera/api/jobs'
import { sendPendingPushes } from '@impera/api/services'
import { withAgency } from '@impera/db'
import { defineJob } from '../define-job'

/**
 * Sends a member's pending notifications to their devices (decision 035), as the system in the agency's context. A
 * push service's "try again" fails the job, which graphile-worker retries with backoff.
 */
export const notificationsPush = defineJob(notificationsPushJob, async (payload, { db, push, log }) => {
  if (!push) {
    log.warn(payload, 'a push is pending but this worker has no VAPID key (VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY)')
    return
  }
  const result = await withAgency(db, { agencyId: payload.agencyId, userId: null }, (tx) =>
    sendPendingPushes(tx, db, push, payload),
  )
  if (result.sent || result.gone) log.info({ ...payload, ...result }, 'pushes sent')
})
