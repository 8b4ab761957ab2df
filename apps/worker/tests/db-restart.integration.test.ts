import { spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { receiveWebhook } from '@impera/api/services'
import { createStorage } from '@impera/api/storage'
import { createSecretBox, type WhatsAppRuntime } from '@impera/api/whatsapp'
import { appUrlFrom, createDb, sql, type DbHandle } from '@impera/db'
import { startEmbeddedPostgres, type EmbeddedServer } from '@impera/db/embedded'
import { migrateDatabase } from '@impera/db/migrate'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startGraphStandIn, webhook } from '../../../packages/api/tests/stand-ins/graph'

/**
 * Fault test: the database itself restarts in the middle of a burst of outbound sends and inbound deliveries, with
 * the real worker process running. Its own cluster (not the shared test one), so the restart disturbs nothing else.
 * While the database is down Meta's deliveries fail (it retries them; so do we), and the worker loses its
 * connections: it exits and its supervisor starts it again, as in production. Nothing may be lost or sent twice.
 *
 * The test process holds no connection across the restart (postgres.js 3.4 can throw an uncaught error when a
 * socket dies mid-write); it closes its clients before stopping the server and opens new ones after.
 */
const WORKER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const KEY = Buffer.alloc(32, 13).toString('base64')
const TOKEN = 'restart-token'
const SECRET = 'restart-app-secret'
const PHONE_ID = '555000222'
const APP_PASSWORD = 'restart-app-password'

let server: EmbeddedServer
let dataDir: string
let port: number
let ownerUrl: string
let appUrl: string
let owner: DbHandle | null = null
let app: DbHandle | null = null
let graph: Awaited<ReturnType<typeof startGraphStandIn>>
let dir: string
let runtime: WhatsAppRuntime
let agencyId: string
let accountId: string
let conversationId: string
let worker: ChildProcess | null = null
let supervising = true
/** Receipts Meta could not deliver while we were down; it retries them, and so does this test. */
const undelivered: Buffer[] = []

function startWorker() {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: WORKER,
    env: {
      ...process.env,
      DATABASE_URL: ownerUrl,
      APP_DB_PASSWORD: APP_PASSWORD,
      SECRETS_KEY: KEY,
      WHATSAPP_GRAPH_URL: graph.url,
      WHATSAPP_GRAPH_VERSION: graph.version,
      UPLOADS_DIR: dir,
      LOG_LEVEL: 'silent',
      NODE_ENV: 'test',
    },
    stdio: 'ignore',
  })
  worker = child
  // The supervisor (systemd, a container runtime) restarts a worker that exits.
  child.once('exit', () => {
    if (supervising) setTimeout(() => supervising && startWorker(), 500)
  })
}

async function until(fn: () => Promise<boolean>, ms = 60_000) {
  const end = Date.now() + ms
  while (!(await fn().catch(() => false))) {
    if (Date.now() > end) {
      // Say what was stuck: message states, jobs waiting, and whether the worker process is up.
      const state = owner
        ? JSON.stringify({
            messages: await owner.db.execute(
              sql`select direction, status, count(*)::int as n from whatsapp_messages group by 1, 2`,
            ),
            events: await owner.db.execute(
              sql`select state, count(*)::int as n from whatsapp_webhook_events group by 1`,
            ),
            jobs: await owner.db.execute(
              sql`select count(*)::int as n, count(*) filter (where locked_at is not null)::int as locked from graphile_worker._private_jobs`,
            ),
          })
        : 'no database connection'
      throw new Error(`timed out; worker ${worker?.exitCode === null ? 'running' : 'exited'}; ${state}`)
    }
    await new Promise((r) => setTimeout(r, 200))
  }
}

const count = async (q: ReturnType<typeof sql>) => (await owner!.db.execute<{ n: number }>(q))[0]!.n

async function deliver(body: Buffer) {
  if (!app) return void undelivered.push(body)
  const res = await receiveWebhook(
    { db: app.db, whatsapp: runtime },
    { accountId, rawBody: body, headers: { 'x-hub-signature-256': graph.sign(body) } },
  ).catch(() => null)
  if (res?.status !== 200) undelivered.push(body)
}

function connect() {
  owner = createDb(ownerUrl, { max: 2 })
  app = createDb(appUrl, { max: 4 })
}

async function disconnect() {
  const handles = [owner, app]
  owner = null
  app = null
  for (const h of handles) await h?.close()
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'impera-restart-pg-'))
  // As root, Postgres runs as its own OS user, which must be able to create its data directory here.
  await chmod(dataDir, 0o777)
  dir = await mkdtemp(path.join(tmpdir(), 'impera-restart-'))
  server = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'pg'), persistent: true })
  port = server.port
  ownerUrl = server.ownerUrl('postgres')
  appUrl = appUrlFrom(ownerUrl, APP_PASSWORD)
  await migrateDatabase({ ownerUrl, appPassword: APP_PASSWORD })
  graph = await startGraphStandIn({ accessToken: TOKEN, appSecret: SECRET })
  const secrets = createSecretBox(KEY)
  runtime = {
    secrets,
    graphUrl: graph.url,
    graphVersion: graph.version,
    storage: createStorage({ driver: 'local', dir }),
  }
  connect()
  const [agency] = await owner!.db.execute<{ id: string }>(
    sql`insert into agencies (name, slug) values ('Reinício', 'reinicio') returning id`,
  )
  agencyId = agency!.id
  const [account] = await owner!.db.execute<{ id: string }>(
    sql`insert into whatsapp_accounts (agency_id, provider, label, phone_number_id, display_number, access_token_enc, app_secret_enc, verify_token_enc)
        values (${agencyId}, 'cloud_api', 'Loja', ${PHONE_ID}, '+5511955550001', ${secrets.seal(TOKEN)}, ${secrets.seal(SECRET)}, ${secrets.seal('v')}) returning id`,
  )
  accountId = account!.id
  const [conversation] = await owner!.db.execute<{ id: string }>(
    sql`insert into whatsapp_conversations (agency_id, account_id, contact_phone, last_inbound_at) values (${agencyId}, ${accountId}, '+5511988886666', now()) returning id`,
  )
  conversationId = conversation!.id
  graph.onSend(
    ({ wamid, ourId }) =>
      void deliver(
        Buffer.from(
          JSON.stringify(webhook.envelope(PHONE_ID, [webhook.status(wamid, 'sent', { correlationId: ourId })])),
        ),
      ),
  )
}, 120_000)

afterAll(async () => {
  supervising = false
  worker?.kill('SIGKILL')
  await disconnect()
  await graph?.close()
  await server?.stop()
  await rm(dataDir, { recursive: true, force: true })
  await rm(dir, { recursive: true, force: true })
})

it('a database restart mid-burst loses nothing and sends nothing twice', async () => {
  graph.setSendDelay(120)
  const outbound = Array.from({ length: 24 }, () => randomUUID())
  for (const id of outbound) {
    await owner!.db.execute(
      sql`insert into whatsapp_messages (id, agency_id, conversation_id, account_id, direction, type, body, status, provider_at) values (${id}, ${agencyId}, ${conversationId}, ${accountId}, 'outbound', 'text', ${`msg ${id}`}, 'queued', now())`,
    )
    await owner!.db.execute(
      sql`select enqueue_job('whatsapp:send-pending', ${JSON.stringify({ agencyId, accountId })}::json, null, 25, ${`wa-sender-${accountId}`})`,
    )
  }
  const inbound = (i: number) =>
    Buffer.from(
      JSON.stringify(
        webhook.envelope(PHONE_ID, [
          webhook.text('5511977100' + String(i).padStart(3, '0'), `entrada ${i}`, { id: `wamid.RESTART${i}` }),
        ]),
      ),
    )
  for (let i = 0; i < 15; i++) await deliver(inbound(i))

  startWorker()
  await until(async () => graph.sends.length >= 6)

  // The database goes away mid-burst, and comes back on the same port with the same data.
  expect(graph.sends.length).toBeLessThan(outbound.length)
  await disconnect()
  await server.stop()
  const whileDown = Array.from({ length: 5 }, (_, k) => inbound(15 + k))
  for (const body of whileDown) await deliver(body)
  expect(undelivered.length).toBeGreaterThanOrEqual(5)
  await new Promise((r) => setTimeout(r, 1500))
  server = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'pg'), port, persistent: true })
  connect()

  // Meta retries what failed while we were down (and redelivers one we already have).
  for (const body of undelivered.splice(0)) await deliver(body)
  await deliver(inbound(3))
  // Time passes: whatever the dead connections left locked or half-done is re-driven by the reconcile job.
  await until(async () => (await count(sql`select count(*)::int as n from agencies`)) === 1)
  await owner!.db.execute(
    sql`update whatsapp_messages set updated_at = now() - interval '10 minutes' where agency_id = ${agencyId} and status in ('queued', 'sending')`,
  )
  await owner!.db.execute(
    sql`update whatsapp_webhook_events set received_at = now() - interval '10 minutes' where agency_id = ${agencyId} and state = 'pending'`,
  )
  // Retries that backed off during the outage come due, and locks held by the workers that died are released (what
  // graphile-worker does on its own after its stale-lock timeout); a send job that runs twice still sends once.
  await owner!.db.execute(
    sql`update graphile_worker._private_jobs set run_at = now(), locked_at = null, locked_by = null`,
  )
  await owner!.db.execute(
    sql`select enqueue_job('whatsapp:reconcile', ${JSON.stringify({ agencyId })}::json, null, 3, null)`,
  )
  await until(
    async () =>
      (await count(
        sql`select count(*)::int as n from whatsapp_messages where agency_id = ${agencyId} and direction = 'outbound' and status in ('queued', 'sending')`,
      )) === 0,
    150_000,
  )
  await until(
    async () =>
      (await count(
        sql`select count(*)::int as n from whatsapp_webhook_events where agency_id = ${agencyId} and state = 'pending'`,
      )) === 0,
    150_000,
  )

  // Inbound: all 20 contacts' messages, each exactly once (the redelivery included).
  expect(
    await count(
      sql`select count(*)::int as n from whatsapp_messages where agency_id = ${agencyId} and direction = 'inbound'`,
    ),
  ).toBe(20)
  expect(
    await count(
      sql`select count(distinct provider_message_id)::int as n from whatsapp_messages where agency_id = ${agencyId} and direction = 'inbound'`,
    ),
  ).toBe(20)
  // Outbound: never twice. A send whose outcome the restart hid is settled by its receipt or shown as uncertain.
  for (const id of outbound) expect(graph.sendsFor(id), id).toBeLessThanOrEqual(1)
  for (const body of undelivered.splice(0)) await deliver(body)
  await until(async () => {
    const rows = await owner!.db.execute<{ id: string; status: string; error_code: string | null }>(
      sql`select id, status, error_code from whatsapp_messages where agency_id = ${agencyId} and direction = 'outbound'`,
    )
    return rows.every((r) =>
      graph.sendsFor(r.id) === 1 ? r.status === 'sent' : r.status === 'failed' && r.error_code === 'ambiguous',
    )
  }, 30_000)
  // A person retries the uncertain ones: then everything is out, once.
  const uncertain = await owner!.db.execute<{ id: string }>(
    sql`select id from whatsapp_messages where agency_id = ${agencyId} and status = 'failed'`,
  )
  for (const r of uncertain) {
    await owner!.db.execute(
      sql`update whatsapp_messages set status = 'queued', error_code = null, error_reason = null where id = ${r.id}`,
    )
    await owner!.db.execute(
      sql`select enqueue_job('whatsapp:send-pending', ${JSON.stringify({ agencyId, accountId })}::json, null, 25, ${`wa-sender-${accountId}`})`,
    )
  }
  await until(
    async () =>
      (await count(
        sql`select count(*)::int as n from whatsapp_messages where agency_id = ${agencyId} and direction = 'outbound' and status <> 'sent'`,
      )) === 0,
    60_000,
  )
  for (const id of outbound) expect(graph.sendsFor(id), id).toBe(1)
}, 420_000)
