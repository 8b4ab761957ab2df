import { bulkRunJob } from '@impera/api/jobs'
import { runBulkChunk } from '@impera/api/services'
import { withAgency } from '@impera/db'
import { defineJob } from '../define-job'

/**
 * A bulk operation too big for a request (decision 028): chunk after chunk, each in its own tenant transaction that
 * changes its leads and ticks their items off together, so a restart resumes where the last commit left it.
 */
export const bulkRun = defineJob(bulkRunJob, async ({ agencyId, operationId }, { db, log }) => {
  let chunks = 0
  while (
    (await withAgency(db, { agencyId, userId: null }, (tx) => runBulkChunk(tx, { agencyId, operationId }))) === 'more'
  )
    chunks++
  log.info({ operationId, chunks: chunks + 1 }, 'bulk operation finished')
})
