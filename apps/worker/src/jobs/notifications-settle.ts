import { notificationsSettleJob } from '@impera/api/jobs'
import { settleNotifications } from '@impera/api/services'
import { withAgency } from '@impera/db'
import { defineJob } from '../define-job'

/** Marks read, for everyone it was sent to, a notification about something that is over (as the system: RLS). */
export const notificationsSettle = defineJob(notificationsSettleJob, async (payload, { db }) => {
  await withAgency(db, { agencyId: payload.agencyId, userId: null }, (tx) => settleNotifications(tx, payload))
})
