import type { JobDefinition } from './define-job'
import { purgeAuthData } from './jobs/purge-auth-data'
import { purgeTrash } from './jobs/purge-trash'
import { deleteStoredFiles } from './jobs/delete-stored-files'
import { sendEmail } from './jobs/send-email'

/** Every job the worker runs: one file per job under ./jobs, listed here. */
export const jobs: JobDefinition[] = [sendEmail, purgeAuthData, purgeTrash, deleteStoredFiles] as JobDefinition[]

export const crontab = [`0 * * * * ${purgeAuthData.contract.id}`, `30 3 * * * ${purgeTrash.contract.id}`].join('\n')
