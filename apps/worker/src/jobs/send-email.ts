import { sendEmailJob } from '@impera/api/jobs'
import { defineJob } from '../define-job'

/** Failures throw, so graphile-worker retries with exponential backoff up to the contract's maxAttempts. */
export const sendEmail = defineJob(sendEmailJob, async (payload, { mailer, log }) => {
  await mailer.send(payload)
  log.info({ to: payload.to, subject: payload.subject, via: mailer.kind }, 'email sent')
})
