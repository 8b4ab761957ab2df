import { importsRunJob, importsValidateJob } from '@impera/api/jobs'
import { runImportJob, validateImportJob } from '@impera/api/services'
import { defineJob } from '../define-job'

/** A spreadsheet import's validation report (decision 024). */
export const importsValidate = defineJob(
  importsValidateJob,
  async (payload, { db, storage, log, attempts, maxAttempts }) => {
    const planned = await validateImportJob({ db, storage }, payload, { final: attempts >= maxAttempts })
    log.info({ importId: payload.importId, planned }, 'import validated')
  },
)

/** A spreadsheet import's run; a retry resumes from the last committed batch. */
export const importsRun = defineJob(importsRunJob, async (payload, { db, storage, log, attempts, maxAttempts }) => {
  const outcome = await runImportJob({ db, storage }, payload, { final: attempts >= maxAttempts })
  log.info({ importId: payload.importId, outcome }, 'import run')
})
