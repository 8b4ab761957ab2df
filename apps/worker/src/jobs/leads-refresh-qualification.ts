import { leadsRefreshQualificationJob } from '@impera/api/jobs'
import { refreshUnscoredLeads } from '@impera/api/services'
import { agencies, withAgency } from '@impera/db'
import { defineJob } from '../define-job'

/**
 * Once, after migration 0048 and after a demo seed (both enqueue it): every agency's leads that have lead fields but no
 * qualification score get one, batch by batch in the agency's tenant transaction. Idempotent: a scored lead is never
 * picked again, so a retry or a second run only finishes what is left.
 */
export const leadsRefreshQualification = defineJob(leadsRefreshQualificationJob, async (_payload, { db, log }) => {
  const all = await db.select({ id: agencies.id }).from(agencies)
  let scored = 0
  for (const { id } of all) {
    for (;;) {
      const done = await withAgency(db, { agencyId: id, userId: null }, (tx) =>
        refreshUnscoredLeads(tx, { agencyId: id }),
      )
      scored += done
      if (done === 0) break
    }
  }
  if (scored) log.info({ scored }, 'leads scored')
})
