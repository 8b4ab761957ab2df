import type { FileStorage } from '@impera/api/storage'
import type { WhatsAppRuntime } from '@impera/api/whatsapp'
import type { Db } from '@impera/db'
import { Logger as GraphileLogger, run, type Runner, type TaskList } from 'graphile-worker'
import type { Logger } from 'pino'
import type { Live } from './live'
import type { Mailer } from './mailer'
import { crontab, jobs } from './registry'

export { createMailer, type Mailer } from './mailer'
export { createLive, noLive, type Live } from './live'
import { noLive } from './live'

export interface StartWorkerOptions {
  /** Owner URL: graphile-worker manages its own schema and private tables with it. */
  queueUrl: string
  db: Db
  mailer: Mailer
  storage: FileStorage
  whatsapp: WhatsAppRuntime
  live?: Live
  /** The web app's public origin, for links in e-mails. */
  origin?: string
  log: Logger
  concurrency?: number
}

/**
 * Starts graphile-worker with the typed registry. Each payload is validated with its contract's schema before the
 * handler runs; a bad payload fails the job visibly instead of running with garbage.
 */
export async function startWorker(opts: StartWorkerOptions): Promise<Runner> {
  const taskList: TaskList = {}
  for (const job of jobs) {
    taskList[job.contract.id] = async (raw, helpers) => {
      const parsed = job.contract.schema.safeParse(raw)
      if (!parsed.success) {
        opts.log.error({ job: job.contract.id, jobId: helpers.job.id, issues: parsed.error.issues }, 'invalid job payload')
        throw new Error(`invalid payload for ${job.contract.id}`)
      }
      try {
        await job.handler(parsed.data, { db: opts.db, log: opts.log.child({ job: job.contract.id, jobId: helpers.job.id }), mailer: opts.mailer,
          storage: opts.storage,
          whatsapp: opts.whatsapp,
          live: opts.live ?? noLive,
          origin: opts.origin ?? 'http://localhost:3000',
          attempts: helpers.job.attempts,
          maxAttempts: helpers.job.max_attempts,
          jobId: helpers.job.id,
          addJob: async (id, payload, o) => void (await helpers.addJob(id, payload as never, { runAt: o?.runAt, jobKey: o?.jobKey })),
        })
      } catch (e) {
        opts.log.error({ err: e, job: job.contract.id, jobId: helpers.job.id, attempt: helpers.job.attempts }, 'job failed')
        throw e
      }
    }
  }
  const logger = new GraphileLogger((scope) => (level, message, meta) => {
    if (level === 'error' || level === 'warning') opts.log[level === 'error' ? 'error' : 'warn']({ scope, meta }, message)
  })
  return run({ connectionString: opts.queueUrl, concurrency: opts.concurrency ?? 4, taskList, crontab, logger, noHandleSignals: true, pollInterval: 1000 })
}
