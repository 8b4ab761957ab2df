import { deleteStoredFilesJob } from '@impera/api/jobs'
import { defineJob } from '../define-job'

/** Enqueued in the transaction that deleted the rows, so files go only once nothing points at them any more. */
export const deleteStoredFiles = defineJob(deleteStoredFilesJob, async (payload, { storage, log }) => {
  await storage.delete(payload.keys)
  log.info({ files: payload.keys.length }, 'stored files deleted')
})
