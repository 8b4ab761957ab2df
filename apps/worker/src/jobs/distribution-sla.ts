import { distributionSlaJob } from '@impera/api/jobs'
import { breachOverdueAssignments, expireLeadOffers } from '@impera/api/services'
import { agencies, eq, withAgency } from '@impera/db'
import { defineJob } from '../define-job'

/**
 * Every minute, agency by agency in its tenant context: leads the distribution gave out whose first-contact deadline
 * passed uncontacted go to the next in line, and the managers are told (decision 027); offers nobody claimed in time
 * go by turns (decision 031). Rows are taken with SKIP LOCKED, so two workers never move the same lead twice.
 */
export const distributionSla = defineJob(distributionSlaJob, async (_payload, { db, log }) => {
  const all = await db.select({ id: agencies.id }).from(agencies).where(eq(agencies.status, 'active'))
  let moved = 0
  let unclaimed = 0
  for (const agency of all)
    await withAgency(db, { agencyId: agency.id, userId: null }, async (tx) => {
      unclaimed += await expireLeadOffers(tx, { agencyId: agency.id })
      moved += await breachOverdueAssignments(tx, { agencyId: agency.id })
    })
  if (unclaimed) log.info({ unclaimed }, 'offered leads nobody claimed given by turns')
  if (moved) log.info({ moved }, 'leads past their first-contact SLA moved on')
})
