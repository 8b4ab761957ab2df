import { createStorage, storageConfigFromEnv } from '@impera/api/storage'
import { createSecretBox } from '@impera/api/whatsapp'
import { appUrlFrom, createDb } from '@impera/db'
import pg from 'pg'
import pino from 'pino'
import { loadWorkerEnv } from './env'
import { createLive, createMailer, startWorker } from './index'

const env = loadWorkerEnv()
const log = pino({ level: env.LOG_LEVEL, base: { app: 'worker' } })
const appUrl = env.APP_DATABASE_URL ?? appUrlFrom(env.DATABASE_URL, env.APP_DB_PASSWORD)
const handle = createDb(appUrl, { max: env.DB_POOL_MAX })
// Live updates to the web instances' sockets go out with NOTIFY (Socket.IO's Postgres emitter).
const livePool = new pg.Pool({ connectionString: appUrl, max: 2 })
livePool.on('error', (err) => log.warn({ err }, 'live pool error'))
const mailer = createMailer({ smtpUrl: env.SMTP_URL, from: env.MAIL_FROM, db: handle.db })
const storage = createStorage(storageConfigFromEnv(env))
const whatsapp = { secrets: createSecretBox(env.SECRETS_KEY), graphUrl: env.WHATSAPP_GRAPH_URL, graphVersion: env.WHATSAPP_GRAPH_VERSION, storage }
const runner = await startWorker({ queueUrl: env.DATABASE_URL, db: handle.db, mailer, storage, whatsapp, live: createLive(livePool, handle.db, log), origin: env.PUBLIC_URL?.replace(/\/$/, ''), log })
log.info({ mail: mailer.kind, storage: storage.kind }, 'worker started')
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
  handle.sql`select 1`.then(
    () => clearTimeout(deadline),
    (err: unknown) => {
      clearTimeout(deadline)
      log.fatal({ err }, 'database unreachable; exiting for a restart')
      process.exit(1)
    },
  )
}, 5_000)
watchdog.unref()

async function shutdown(signal: string) {
  clearInterval(watchdog)
  log.info({ signal }, 'worker stopping')
  await runner.stop()
  await handle.close()
  await livePool.end()
  process.exit(0)
}
process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))
