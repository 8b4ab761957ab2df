import { createServer } from 'node:http'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createStorage, storageConfigFromEnv } from '@impera/api/storage'
import { appUrlFrom, createDb, sql } from '@impera/db'
import pg from 'pg'
import { attachLive } from './live'
import type { ServerBuild } from '@remix-run/node'
import express from 'express'
import { logSerializers } from '@impera/api/log'
import pino from 'pino'
import { createWebApp } from './app'
import { loadWebEnv } from './env'
import { createHttpApp } from './http'

const env = loadWebEnv()
const log = pino({ level: env.LOG_LEVEL, base: { app: 'web' }, serializers: logSerializers })
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const appUrl = env.APP_DATABASE_URL ?? appUrlFrom(env.DATABASE_URL, env.APP_DB_PASSWORD)
const handle = createDb(appUrl, { max: env.DB_POOL_MAX })

// Refuse to serve if the runtime role could bypass row-level security: tenancy would silently be off.
const [role] = await handle.db.execute<{ rolsuper: boolean; rolbypassrls: boolean; rolname: string }>(
  sql`select rolname, rolsuper, rolbypassrls from pg_roles where rolname = current_user`,
)
if (!role || role.rolsuper || role.rolbypassrls) {
  log.fatal({ role }, 'the application database role must be neither superuser nor BYPASSRLS')
  process.exit(1)
}

const app = createWebApp({ env, db: handle.db, log, storage: createStorage(storageConfigFromEnv(env)) })
const production = env.NODE_ENV === 'production'

// Created before the app so Vite's HMR websocket can share it: no second, fixed port (24678) that a second dev
// server on the same host could not open.
const httpServer = createServer()
let build: () => Promise<ServerBuild>
let before: ((server: express.Express) => void) | undefined
let closeDevServer = async () => {}
if (production) {
  const serverBuild = (await import(path.join(root, 'build/server/index.js'))) as ServerBuild
  build = async () => serverBuild
  before = (server) => {
    server.use('/assets', express.static(path.join(root, 'build/client/assets'), { immutable: true, maxAge: '1y' }))
    server.use(express.static(path.join(root, 'build/client'), { maxAge: '1h' }))
  }
} else {
  const vite = await import('vite')
  const devServer = await vite.createServer({ root, server: { middlewareMode: true, hmr: { server: httpServer } } })
  build = () => devServer.ssrLoadModule('virtual:remix/server-build') as Promise<ServerBuild>
  before = (server) => server.use(devServer.middlewares)
  closeDevServer = () => devServer.close()
}

const server = createHttpApp({
  app,
  sql: handle.sql,
  build,
  mode: production ? 'production' : 'development',
  trustProxy: env.TRUST_PROXY,
  before,
})
const listener = httpServer.on('request', server).listen(env.PORT, env.host, () => {
  log.info({ url: env.origin, auth: app.auth.kind }, 'web server listening')
})
// Socket.IO's Postgres adapter holds one LISTEN connection and publishes with NOTIFY.
const livePool = new pg.Pool({ connectionString: appUrl, max: 2 })
livePool.on('error', (err) => log.warn({ err }, 'live pool error'))
const io = attachLive(listener, app, livePool)

function shutdown(signal: string) {
  log.info({ signal }, 'web server stopping')
  void io.close()
  void closeDevServer()
  listener.close(() => void Promise.all([handle.close(), livePool.end()]).then(() => process.exit(0)))
  setTimeout(() => process.exit(0), 5000).unref()
}
process.on('SIGTERM', () => shutdown('SIGTERM'))
process.on('SIGINT', () => shutdown('SIGINT'))
