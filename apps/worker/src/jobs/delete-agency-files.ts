import { storageDeleteAgencyFilesJob } from '@impera/api/jobs'
import { sweepDeletedAgencyFiles } from '@impera/api/services'
import { defineJob } from '../define-job'

/** A deleted agency's folder in the store, whatever is left in it (decision 040). Never a live agency's. */
export const deleteAgencyFiles = defineJob(storageDeleteAgencyFilesJob, async ({ agencyId }, { db, storage, log }) => {
  const files = await sweepDeletedAgencyFiles({ db, storage }, agencyId)
  if (files === null) log.warn({ agencyId }, 'agency exists: its files stay')
  else log.info({ agencyId, files }, 'deleted agency files swept')
})
