import { pushSettings, webPushSender } from '@impera/api/push'
import { createStorage, storageConfigFromEnv } from '@impera/api/storage'
import { targetPolicy } from '@impera/api/webhooks'
import { createSecretBox } from '@impera/api/whatsapp'
import { appUrlFrom, createDb } from '@impera/db'
import pg from 'pg'
import { logSerializers } from '@impera/api/log'
import pino from 'pino'
import { loadWorkerEnv } from './env'
import { createLive, createMailer, startWorker } from './index'
import { holdWorkerInstance } from './instance'

const env = loadWorkerEnv()
const log = pino({ level: env.LOG_LEVEL, base: { app: 'worker' }, serializers: logSerializers })
const appUrl = env.APP_DATABASE_URL ?? appUrlFrom(env.DATABASE_URL, env.APP_DB_PASSWORD)
const handle = createDb(appUrl, { max: env.DB_POOL_MAX })
// Live updates to the web instances' sockets go out with NOTIFY (Socket.IO's Postgres emitter).
const livePool = new pg.Pool({ connectionString: appUrl, max: 2 })
livePool.on('error', (err) => log.warn({ err }, 'live pool error'))
const mailer = createMailer({ smtpUrl: env.SMTP_URL, from: env.MAIL_FROM, db: handle.db })
const storage = createStorage(storageConfigFromEnv(env))
const whatsapp = {
  secrets: createSecretBox(env.SECRETS_KEY),
  graphUrl: env.WHATSAPP_GRAPH_URL,
  graphVersion: env.WHATSAPP_GRAPH_VERSION,
  storage,
}
const pushConfig = pushSettings(env)
const instance = await holdWorkerInstance(handle.sql)
// Declared before the runner starts: a job slot may die (and call stopThenExit) as soon as jobs run.
let stopping = false
const runner = await startWorker({
  queueUrl: env.DATABASE_URL,
  db: handle.db,
  mailer,
  storage,
  whatsapp,
  webhooks: { targets: targetPolicy(env.WEBHOOKS_ALLOW_PRIVATE_TARGETS) },
  live: createLive(livePool, handle.db, log),
  push: pushConfig && webPushSender(pushConfig),
  origin: env.PUBLIC_URL?.replace(/\/$/, ''),
  log,
  instanceId: instance.id,
  // A dead job slot is never replaced by graphile-worker: finish what the others are doing, free the dead slot's job
  // (only once nothing here fetches any more), then exit for a restart.
  onFatal: (_error, releaseJob) => void stopThenExit(1, releaseJob),
})
log.info(
  {
    mail: mailer.kind,
    storage: storage.kind,
    push: pushConfig ? 'web-push' : 'off (no VAPID key)',
    instance: instance.id,
  },
  'worker started',
)
// If graphile-worker gives up (e.g. the database went away for good), exit so the process manager restarts us, rather
// than lingering without processing jobs. Nothing is lost: jobs and their data are in the database.
void runner.promise.then(
  () => undefined,
  (err: unknown) => {
    log.fatal({ err }, 'job runner stopped; exiting for a restart')
    process.exit(1)
  },
)

// Watchdog: after the database restarts, a postgres.js pool whose sockets died mid-write can leave queries waiting
// forever, and with them every job slot. If a trivial query through the pool does not answer in time (or fails), exit
// and let the process manager start a clean worker; jobs are in the database, so nothing is lost.
const watchdog = setInterval(() => {
  const deadline = setTimeout(() => {
    log.fatal('database unresponsive through the pool; exiting for a restart')
    process.exit(1)
  }, 15_000)
  // The instance lock's own connection too: without it, other workers take this one's sends for interrupted.
  Promise.all([handle.sql`select 1`, instance.check()]).then(
    () => clearTimeout(deadline),
    (err: unknown) => {
      clearTimeout(deadline)
      log.fatal({ err }, 'database unreachable; exiting for a restart')
      process.exit(1)
    },
  )
}, 5_000)
watchdog.unref()

async function stopThenExit(code: number, releaseJob?: () => Promise<void>) {
  // Already stopping: the runner fetches nothing more, so a slot that died meanwhile can free its job now.
  if (stopping) return void releaseJob?.()
  stopping = true
  try {
    clearInterval(watchdog)
    // In-flight jobs finish (and release their locks) unless that takes too long.
    await Promise.race([runner.stop(), new Promise((r) => setTimeout(r, 20_000).unref())])
    await releaseJob?.()
    await instance.release()
    await handle.close()
    await livePool.end()
  } catch (err) {
    log.error({ err }, 'worker did not stop cleanly')
  } finally {
    process.exit(code)
  }
}
process.on('SIGTERM', () => {
  log.info({ signal: 'SIGTERM' }, 'worker stopping')
  void stopThenExit(0)
})
process.on('SIGINT', () => {
  log.info({ signal: 'SIGINT' }, 'worker stopping')
  void stopThenExit(0)
})
