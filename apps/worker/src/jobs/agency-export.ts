import { agencyExportJob } from '@impera/api/jobs'
import { runAgencyExportJob } from '@impera/api/services'
import { defineJob } from '../define-job'

/** A manager's export of the whole agency (decision 041): a ZIP of CSVs and files, into the file store. */
export const agencyExport = defineJob(agencyExportJob, async (payload, { db, storage, log, attempts, maxAttempts }) => {
  const outcome = await runAgencyExportJob({ db, storage }, payload, { final: attempts >= maxAttempts })
  log.info({ exportId: payload.exportId, outcome }, 'agency export')
})
