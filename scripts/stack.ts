import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import net from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createStorage, seedDemoPhotoFiles, storageConfigFromEnv } from '@impera/api/storage'
import { generateVapidKeys } from '@impera/api/push'
import { createSecretBox, seedDemoWhatsapp } from '@impera/api/whatsapp'
import { storageEnv } from '@impera/config/env'
import { createDb } from '@impera/db'
import { EmbeddedAccessError, freePort, spawnEmbeddedPostgres, type EmbeddedProcess } from '@impera/db/embedded'
import { migrateDatabase } from '@impera/db/migrate'
import { DEMO_PASSWORD, demoLogins, seedDemo } from '@impera/db/seed'
import postgres from 'postgres'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

interface LocalSecrets {
  sessionSecret: string
  appDbPassword: string
  pgPassword: string
  secretsKey: string
  vapidPublicKey: string
  vapidPrivateKey: string
}

/** Secrets for a machine with no configuration: generated once, kept in .data/ (git-ignored), never committed. */
async function localSecrets(data: string): Promise<LocalSecrets> {
  const file = path.join(data, 'local-secrets.json')
  const existing = existsSync(file) ? (JSON.parse(await readFile(file, 'utf8')) as Partial<LocalSecrets>) : null
  // Files from before a secret existed gain it; existing values never change (they seal stored data, and browsers'
  // push subscriptions are bound to the VAPID key).
  const vapid = generateVapidKeys()
  const secrets: LocalSecrets = {
    vapidPublicKey: vapid.publicKey,
    vapidPrivateKey: vapid.privateKey,
    sessionSecret: randomBytes(32).toString('hex'),
    appDbPassword: randomBytes(18).toString('hex'),
    pgPassword: randomBytes(18).toString('hex'),
    secretsKey: randomBytes(32).toString('base64'),
    ...existing,
  }
  if (JSON.stringify(secrets) !== JSON.stringify(existing)) {
    await mkdir(data, { recursive: true })
    await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 })
  }
  return secrets
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net
      .createServer()
      .once('error', () => resolve(false))
      .once('listening', () => s.close(() => resolve(true)))
    s.listen(port, '127.0.0.1')
  })
}

export interface Stack {
  env: Record<string, string>
  /** The embedded database's server process (null with DATABASE_URL). */
  embedded: EmbeddedProcess | null
  /** Stops the embedded database, if any (see EmbeddedProcess.stop). */
  stop: (withinMs?: number) => Promise<void>
}

/**
 * Everything `pnpm dev` and `pnpm start` need before the processes start: a database (embedded under .data/pg when
 * DATABASE_URL is unset), migrations, the demo seed when empty, and the environment handed to web and worker.
 */
export async function prepareStack(opts: { production: boolean; log: (m: string) => void }): Promise<Stack> {
  // Orchestration reads the developer's environment to decide what to provide; the apps parse theirs with zod.
  const given = process.env
  // DATA_DIR lets a second stack (a test, a second checkout's tooling) keep its secrets, database and uploads apart.
  const data = path.resolve(ROOT, given.DATA_DIR ?? '.data')
  const secrets = await localSecrets(data)
  let embedded: EmbeddedProcess | null = null
  let ownerUrl = given.DATABASE_URL
  const appPassword = given.APP_DB_PASSWORD ?? secrets.appDbPassword
  if (!ownerUrl) {
    const wanted = Number(given.EMBEDDED_PG_PORT ?? 54329)
    const port = (await portFree(wanted)) ? wanted : await freePort()
    const dataDir = path.join(data, 'pg')
    const shown = path.relative(ROOT, dataDir)
    opts.log(`starting embedded PostgreSQL (data in ${shown.startsWith('..') ? dataDir : shown}, port ${port})…`)
    embedded = await spawnEmbeddedPostgres({ dataDir, port, password: secrets.pgPassword, persistent: true }).catch(
      (err: unknown) => {
        // Its message says what to do; a stack trace would only bury it.
        if (!(err instanceof EmbeddedAccessError)) throw err
        console.error(err.message)
        return process.exit(1)
      },
    )
    const admin = postgres(embedded.ownerUrl(), { max: 1, onnotice: () => {} })
    const [exists] = await admin`select 1 from pg_database where datname = 'impera'`
    if (!exists) await admin.unsafe('create database impera')
    await admin.end()
    ownerUrl = embedded.ownerUrl('impera')
  }
  await migrateDatabase({ ownerUrl, appPassword, log: opts.log })
  // Uploads default to .data/uploads at the repository root, the same directory for web and worker.
  const storage = storageEnv.parse({
    ...given,
    UPLOADS_DIR: path.resolve(ROOT, given.UPLOADS_DIR ?? path.join(data, 'uploads')),
  })
  const owner = createDb(ownerUrl, { max: 1 })
  if (given.SEED_DEMO !== 'false' && (await seedDemo(owner.db))) {
    const photos = await seedDemoPhotoFiles(owner.db, createStorage(storageConfigFromEnv(storage)))
    const chats = await seedDemoWhatsapp(owner.db, createSecretBox(given.SECRETS_KEY ?? secrets.secretsKey))
    opts.log(`demo data seeded (${photos} property photos, ${chats} WhatsApp conversations on sandbox numbers)`)
  }
  await owner.close()
  const env: Record<string, string> = {
    DATABASE_URL: ownerUrl,
    APP_DB_PASSWORD: appPassword,
    SESSION_SECRET: given.SESSION_SECRET ?? secrets.sessionSecret,
    NODE_ENV: opts.production ? 'production' : 'development',
    PORT: given.PORT ?? '3000',
    UPLOADS_DIR: storage.UPLOADS_DIR,
    SECRETS_KEY: given.SECRETS_KEY ?? secrets.secretsKey,
    // A configured pair wins whole: half of each would sign with a key the browsers were not given.
    ...(given.VAPID_PUBLIC_KEY || given.VAPID_PRIVATE_KEY
      ? {}
      : { VAPID_PUBLIC_KEY: secrets.vapidPublicKey, VAPID_PRIVATE_KEY: secrets.vapidPrivateKey }),
  }
  return { env, embedded, stop: async (withinMs?: number) => void (await embedded?.stop(withinMs)) }
}

export function printWelcome(port: string, log: (m: string) => void) {
  log(`\n  Impera CRM is running at http://localhost:${port}\n`)
  log(`  Demo logins (password: ${DEMO_PASSWORD}):`)
  for (const l of demoLogins) log(`    ${l.role.padEnd(15)} ${l.email.padEnd(30)} ${l.agency}`)
  log('')
}

/** Signals a child's whole process group (children run detached, each leading its own group). */
function signalGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal)
  } catch {
    // Already gone.
  }
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) =>
    child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve()),
  )

/** Restart delays: doubling from the first to the cap across quick successive exits. */
const RESTART_FIRST_MS = 1000
const RESTART_MAX_MS = 30_000
/** A process that ran this long before exiting starts again from the first delay. */
const HEALTHY_RUN_MS = 30_000
/** On Ctrl-C / SIGTERM everything is down within this (5 s, less a margin); the apps get at most APPS_STOP_MS of it. */
const STOP_WITHIN_MS = 4000
const APPS_STOP_MS = 2000

/**
 * Supervises web and worker with the prepared env, like a process manager: a process that exits is started again
 * after a delay (doubling across quick successive exits) while the others keep running. SIGINT, SIGTERM and SIGHUP stop
 * the apps, then the embedded database, within 5 s, and exit. Children run in their own process groups so that a
 * terminal's Ctrl-C reaches only this supervisor, which stops them in order (apps before the database they use).
 */
export function runProcesses(
  stack: Stack,
  commands: { name: string; cwd: string; args: string[] }[],
  log: (m: string) => void,
) {
  const running = new Set<ChildProcess>()
  const restarts = new Set<NodeJS.Timeout>()
  let stopping = false

  const start = (cmd: { name: string; cwd: string; args: string[] }, quickExits = 0) => {
    const startedAt = Date.now()
    const child = spawn(process.execPath, cmd.args, {
      cwd: path.join(ROOT, cmd.cwd),
      env: { ...process.env, ...stack.env },
      stdio: 'inherit',
      detached: true,
    })
    running.add(child)
    log(`${cmd.name} started (pid ${child.pid})`)
    child.once('exit', (code, signal) => {
      running.delete(child)
      if (stopping) return
      const quick = Date.now() - startedAt < HEALTHY_RUN_MS ? quickExits + 1 : 1
      const delay = Math.min(RESTART_MAX_MS, RESTART_FIRST_MS * 2 ** (quick - 1))
      log(`${cmd.name} exited (${signal ?? `code ${code}`}); restarting in ${delay / 1000} s`)
      const timer = setTimeout(() => {
        restarts.delete(timer)
        start(cmd, quick)
      }, delay)
      restarts.add(timer)
    })
  }

  const stopAll = async (code: number) => {
    if (stopping) return
    stopping = true
    const stopStarted = Date.now()
    for (const timer of restarts) clearTimeout(timer)
    const children = [...running]
    for (const child of children) child.kill('SIGTERM')
    const kill = setTimeout(() => children.forEach((c) => signalGroup(c.pid!, 'SIGKILL')), APPS_STOP_MS)
    await Promise.all(children.map(exited))
    clearTimeout(kill)
    // The database gets what the apps left of the budget (they usually take well under a second).
    await stack.stop(STOP_WITHIN_MS - (Date.now() - stopStarted))
    process.exit(code)
  }

  for (const cmd of commands) start(cmd)
  void stack.embedded?.exited.then(() => {
    if (stopping) return
    log('the embedded PostgreSQL stopped unexpectedly; stopping')
    void stopAll(1)
  })
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stopAll(0))
  // If this process dies some other way (an exception), take the apps with it; the database stops by itself when its
  // IPC channel to us closes.
  process.once('exit', () => running.forEach((c) => signalGroup(c.pid!, 'SIGKILL')))
}
