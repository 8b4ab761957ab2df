import { createStorage, storageConfigFromEnv } from '@impera/api/storage'
import { appUrlFrom, createDb } from '@impera/db'
import pino from 'pino'
import { loadWorkerEnv } from './env'
import { createMailer, startWorker } from './index'

const env = loadWorkerEnv()
const log = pino({ level: env.LOG_LEVEL, base: { app: 'worker' } })
const handle = createDb(env.APP_DATABASE_URL ?? appUrlFrom(env.DATABASE_URL, env.APP_DB_PASSWORD), { max: env.DB_POOL_MAX })
const mailer = createMailer({ smtpUrl: env.SMTP_URL, from: env.MAIL_FROM, db: handle.db })
const storage = createStorage(storageConfigFromEnv(env))
const runner = await startWorker({ queueUrl: env.DATABASE_URL, db: handle.db, mailer, storage, log })
log.info({ mail: mailer.kind, storage: storage.kind }, 'worker started')

async function shutdown(signal: string) {
  log.info({ signal }, 'worker stopping')
  await runner.stop()
  await handle.close()
  process.exit(0)
}
process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))
