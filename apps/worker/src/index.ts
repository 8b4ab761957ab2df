import { EventEmitter } from 'node:events'
import { whatsappReconcileJob } from '@impera/api/jobs'
import { cleanText } from '@impera/api/schemas'
import type { PushSender } from '@impera/api/push'
import type { FileStorage } from '@impera/api/storage'
import { strictTargets, type TargetPolicy } from '@impera/api/webhooks'
import type { WhatsAppRuntime } from '@impera/api/whatsapp'
import type { Db } from '@impera/db'
import {
  Logger as GraphileLogger,
  makeWorkerUtils,
  run,
  type Runner,
  type TaskList,
  type WorkerEvents,
} from 'graphile-worker'
import type { Logger } from 'pino'
import type { Live } from './live'
import type { Mailer } from './mailer'
import { crontab, jobs } from './registry'

/** Job slots per worker process (see the comment where it is used). */
export const WORKER_CONCURRENCY = 8

export { createMailer, type Mailer } from './mailer'
export { createLive, type Live } from './live'
import { noLive } from './live'

export interface StartWorkerOptions {
  /** Owner URL: graphile-worker manages its own schema and private tables with it. */
  queueUrl: string
  db: Db
  mailer: Mailer
  storage: FileStorage
  whatsapp: WhatsAppRuntime
  /**
   * Where webhook endpoints may point (WEBHOOKS_ALLOW_PRIVATE_TARGETS; default: no private targets), and a shorter
   * per-attempt limit for tests. Endpoint secrets are opened with the WhatsApp runtime's key (SECRETS_KEY).
   */
  webhooks?: { targets: TargetPolicy; timeoutMs?: number }
  live?: Live
  /** Web push (decision 035); absent: the install has no VAPID key and pushes stay pending. */
  push?: PushSender | null
  /** The web app's public origin, for links in e-mails. */
  origin?: string
  log: Logger
  concurrency?: number
  /** This process's instance id (holdWorkerInstance), stamped on the sends it claims. */
  instanceId?: string
  /**
   * Called when one of the runner's job slots dies (graphile-worker could not record a job's outcome and stopped that
   * slot): the process should exit for its supervisor, since the runner never replaces the slot. `releaseJob` frees
   * the dead slot's job; call it once the runner stopped fetching, or one of this process's own slots takes the job
   * again, dies on it too and leaves it locked at exit. Without `onFatal` the job is freed at once.
   */
  onFatal?: (error: unknown, releaseJob: () => Promise<void>) => void
}

/**
 * What goes back to graphile-worker as a job's error: it writes the message into the job's row, and a message that
 * quotes content Postgres refuses (a NUL echoed in a failed query's parameters) would fail that write and kill the job
 * slot with the job still locked. So: cut, then cleaned. The full error is logged before.
 */
function storableError(e: unknown): Error {
  const message = e instanceof Error ? e.message : String(e)
  return new Error(cleanText(message.slice(0, 2000)) || 'job failed')
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
        opts.log.error(
          { job: job.contract.id, jobId: helpers.job.id, issues: parsed.error.issues },
          'invalid job payload',
        )
        throw new Error(`invalid payload for ${job.contract.id}`)
      }
      try {
        await job.handler(parsed.data, {
          db: opts.db,
          log: opts.log.child({ job: job.contract.id, jobId: helpers.job.id }),
          mailer: opts.mailer,
          storage: opts.storage,
          whatsapp: opts.whatsapp,
          webhooks: {
            secrets: opts.whatsapp.secrets,
            targets: opts.webhooks?.targets ?? strictTargets,
            timeoutMs: opts.webhooks?.timeoutMs,
          },
          live: opts.live ?? noLive,
          push: opts.push ?? null,
          origin: opts.origin ?? 'http://localhost:3000',
          instanceId: opts.instanceId,
          attempts: helpers.job.attempts,
          maxAttempts: helpers.job.max_attempts,
          jobId: helpers.job.id,
          addJob: async (id, payload, o) =>
            void (await helpers.addJob(id, payload as never, { runAt: o?.runAt, jobKey: o?.jobKey })),
        })
      } catch (e) {
        opts.log.error(
          { err: e, job: job.contract.id, jobId: helpers.job.id, attempt: helpers.job.attempts },
          'job failed',
        )
        throw storableError(e)
      }
    }
  }
  const logger = new GraphileLogger((scope) => (level, message, meta) => {
    if (level === 'error' || level === 'warning')
      opts.log[level === 'error' ? 'error' : 'warn']({ scope, meta }, message)
  })
  const events = new EventEmitter() as WorkerEvents
  events.on('worker:fatalError', ({ worker, error }) => {
    opts.log.fatal({ err: error, workerId: worker.workerId }, 'a job slot stopped')
    // Its job stays locked for hours otherwise: free it so the next runner takes it at once (jobs are idempotent).
    const releaseJob = () =>
      unlockWorker(opts.queueUrl, worker.workerId).catch((err: unknown) =>
        opts.log.error({ err }, "could not unlock the stopped slot's job"),
      )
    if (opts.onFatal) opts.onFatal(error, releaseJob)
    else void releaseJob()
  })
  const runner = await run({
    connectionString: opts.queueUrl,
    // Most jobs wait on I/O (a provider's HTTP answer, the database), not the CPU: 8 slots. Measured in `pnpm bench`
    // against 4: outbound sends 61 → 71–85 msg/s; the AI agent's reply at 20 new conversations/s, p50 1.3–1.9 s →
    // 0.5–1.7 s (still short of its target: the slots share 2 cores with Postgres and the web server).
    concurrency: opts.concurrency ?? WORKER_CONCURRENCY,
    taskList,
    crontab,
    logger,
    events,
    noHandleSignals: true,
    pollInterval: 1000,
  })
  // At once rather than at the next minute: sends a previous, vanished instance left mid-call become visible as
  // uncertain, and what it left queued or pending is driven again.
  await runner.addJob(whatsappReconcileJob.id, {})
  return runner
}

async function unlockWorker(queueUrl: string, workerId: string) {
  const utils = await makeWorkerUtils({ connectionString: queueUrl })
  try {
    await utils.forceUnlockWorkers([workerId])
  } finally {
    await utils.release()
  }
}
