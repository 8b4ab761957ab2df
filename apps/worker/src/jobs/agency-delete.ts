import { agencyDeleteJob } from '@impera/api/jobs'
import { deleteRequestedAgency } from '@impera/api/services'
import { defineJob } from '../define-job'

/** An agency platform staff asked to delete goes, with everything it owns; its files follow (decision 040). */
export const agencyDelete = defineJob(agencyDeleteJob, async ({ agencyId }, { db, log }) => {
  const deleted = await deleteRequestedAgency(db, agencyId)
  log.info({ agencyId, deleted }, deleted ? 'agency deleted' : 'no agency to delete')
})
