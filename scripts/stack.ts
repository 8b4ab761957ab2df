import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import net from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createStorage, seedDemoPhotoFiles, storageConfigFromEnv } from '@impera/api/storage'
import { createSecretBox, seedDemoWhatsapp } from '@impera/api/whatsapp'
import { storageEnv } from '@impera/config/env'
import { createDb } from '@impera/db'
import { freePort, startEmbeddedPostgres, type EmbeddedServer } from '@impera/db/embedded'
import { migrateDatabase } from '@impera/db/migrate'
import { DEMO_PASSWORD, demoLogins, seedDemo } from '@impera/db/seed'
import postgres from 'postgres'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const DATA = path.join(ROOT, '.data')

interface LocalSecrets {
  sessionSecret: string
  appDbPassword: string
  pgPassword: string
  secretsKey: string
}

/** Secrets for a machine with no configuration: generated once, kept in .data/ (git-ignored), never committed. */
async function localSecrets(): Promise<LocalSecrets> {
  const file = path.join(DATA, 'local-secrets.json')
  const existing = existsSync(file) ? (JSON.parse(await readFile(file, 'utf8')) as Partial<LocalSecrets>) : null
  // Files from before a secret existed gain it; existing values never change (they seal stored data).
  const secrets: LocalSecrets = {
    sessionSecret: randomBytes(32).toString('hex'),
    appDbPassword: randomBytes(18).toString('hex'),
    pgPassword: randomBytes(18).toString('hex'),
    secretsKey: randomBytes(32).toString('base64'),
    ...existing,
  }
  if (JSON.stringify(secrets) !== JSON.stringify(existing)) {
    await mkdir(DATA, { recursive: true })
    await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 })
  }
  return secrets
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer().once('error', () => resolve(false)).once('listening', () => s.close(() => resolve(true)))
    s.listen(port, '127.0.0.1')
  })
}

export interface Stack {
  env: Record<string, string>
  embedded: EmbeddedServer | null
  stop: () => Promise<void>
}

/**
 * Everything `pnpm dev` and `pnpm start` need before the processes start: a database (embedded under .data/pg when
 * DATABASE_URL is unset), migrations, the demo seed when empty, and the environment handed to web and worker.
 */
export async function prepareStack(opts: { production: boolean; log: (m: string) => void }): Promise<Stack> {
  // Orchestration reads the developer's environment to decide what to provide; the apps parse theirs with zod.
  const given = process.env
  const secrets = await localSecrets()
  let embedded: EmbeddedServer | null = null
  let ownerUrl = given.DATABASE_URL
  const appPassword = given.APP_DB_PASSWORD ?? secrets.appDbPassword
  if (!ownerUrl) {
    const wanted = Number(given.EMBEDDED_PG_PORT ?? 54329)
    const port = (await portFree(wanted)) ? wanted : await freePort()
    opts.log(`starting embedded PostgreSQL (data in .data/pg, port ${port})…`)
    embedded = await startEmbeddedPostgres({ dataDir: path.join(DATA, 'pg'), port, password: secrets.pgPassword, persistent: true })
    const admin = postgres(embedded.ownerUrl(), { max: 1, onnotice: () => {} })
    const [exists] = await admin`select 1 from pg_database where datname = 'impera'`
    if (!exists) await admin.unsafe('create database impera')
    await admin.end()
    ownerUrl = embedded.ownerUrl('impera')
  }
  await migrateDatabase({ ownerUrl, appPassword, log: opts.log })
  // Uploads default to .data/uploads at the repository root, the same directory for web and worker.
  const storage = storageEnv.parse({ ...given, UPLOADS_DIR: path.resolve(ROOT, given.UPLOADS_DIR ?? path.join(DATA, 'uploads')) })
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
  }
  return { env, embedded, stop: async () => void (await embedded?.stop()) }
}

export function printWelcome(port: string, log: (m: string) => void) {
  log(`\n  Impera CRM is running at http://localhost:${port}\n`)
  log(`  Demo logins (password: ${DEMO_PASSWORD}):`)
  for (const l of demoLogins) log(`    ${l.role.padEnd(15)} ${l.email.padEnd(30)} ${l.agency}`)
  log('')
}

/** Runs web and worker as child processes with the prepared env; stops everything when either exits or on Ctrl-C. */
export function runProcesses(stack: Stack, commands: { name: string; cwd: string; args: string[] }[], log: (m: string) => void) {
  const children: ChildProcess[] = []
  let stopping = false
  const stopAll = async (code: number) => {
    if (stopping) return
    stopping = true
    for (const c of children) c.kill('SIGTERM')
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))))
    await stack.stop()
    process.exit(code)
  }
  for (const cmd of commands) {
    const child = spawn(process.execPath, cmd.args, { cwd: path.join(ROOT, cmd.cwd), env: { ...process.env, ...stack.env }, stdio: 'inherit' })
    child.on('exit', (code) => {
      if (!stopping) log(`${cmd.name} exited with code ${code}; stopping`)
      void stopAll(code ?? 1)
    })
    children.push(child)
  }
  process.on('SIGINT', () => void stopAll(0))
  process.on('SIGTERM', () => void stopAll(0))
}
