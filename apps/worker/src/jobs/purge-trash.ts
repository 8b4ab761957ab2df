import { purgeTrashJob } from '@impera/api/jobs'
import { TRASH_DAYS } from '@impera/api/services'
import { agencies, and, isNotNull, leads, lt, withAgency } from '@impera/db'
import { defineJob } from '../define-job'

/**
 * Daily: records deleted more than 30 days ago leave the trash for good. Runs agency by agency in each one's tenant
 * context, so even the worker's deletes pass through row-level security.
 */
export const purgeTrash = defineJob(purgeTrashJob, async (_payload, { db, log }) => {
  const cutoff = new Date(Date.now() - TRASH_DAYS * 24 * 3600 * 1000)
  const all = await db.select({ id: agencies.id }).from(agencies)
  let purged = 0
  for (const { id } of all) {
    const rows = await withAgency(db, { agencyId: id, userId: null }, (tx) =>
      tx.delete(leads).where(and(isNotNull(leads.deletedAt), lt(leads.deletedAt, cutoff))).returning({ id: leads.id }),
    )
    purged += rows.length
  }
  log.info({ purged }, 'trash purged')
})
