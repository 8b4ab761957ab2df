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
import { freePort, startEmbeddedPostgres, type EmbeddedServer } from '@impera/db/embedded'
import { migrateDatabase } from '@impera/db/migrate'
import { addMember, insertAgency, insertUser } from '@impera/db/testing'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startGraphStandIn, webhook } from '../../../packages/api/tests/stand-ins/graph'

/**
 * Fault test: the database restarts in the middle of a burst (its own cluster, so the rest of the suite is not
 * disturbed). The worker and the web side's connections come back by themselves; every inbound message ends stored
 * once and no message is sent twice.
 */
const WORKER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const KEY = Buffer.alloc(32, 12).toString('base64')
const TOKEN = 'restart-token'
const SECRET = 'restart-secret'
const PHONE_ID = '555000222'
const APP_PASSWORD = 'restart-app-password'

let dir: string
let dataDir: string
let port: number
let server: EmbeddedServer
let owner: DbHandle
let app: DbHandle
let ownerUrl: string
let graph: Awaited<ReturnType<typeof startGraphStandIn>>
let runtime: WhatsAppRuntime
let worker: ChildProcess | null = null
let agencyId: string
let accountId: string
let conversationId: string

const start = () => startEmbeddedPostgres({ dataDir, port, persistent: true })

async function until(fn: () => Promise<boolean>, ms = 60_000) {
  const end = Date.now() + ms
  for (;;) {
    if (await fn().catch(() => false)) return
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 200))
  }
}
const count = async (q: ReturnType<typeof sql>) => (await owner.db.execute<{ n: number }>(q))[0]!.n

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'impera-restart-'))
  await chmod(dir, 0o755)
  dataDir = path.join(dir, 'pg')
  port = await freePort()
  server = await start()
  ownerUrl = server.ownerUrl()
  await migrateDatabase({ ownerUrl, appPassword: APP_PASSWORD })
  owner = createDb(ownerUrl, { max: 2 })
  app = createDb(appUrlFrom(ownerUrl, APP_PASSWORD), { max: 4 })
  graph = await startGraphStandIn({ accessToken: TOKEN, appSecret: SECRET })
  const secrets = createSecretBox(KEY)
  runtime = { secrets, graphUrl: graph.url, graphVersion: graph.version, storage: createStorage({ driver: 'local', dir }) }
  agencyId = (await insertAgency(owner.db)).id
  const user = await insertUser(owner.db)
  await addMember(owner.db, { agencyId, userId: user.id, role: 'manager' })
  accountId = (
    await owner.db.execute<{ id: string }>(
      sql`insert into whatsapp_accounts (agency_id, provider, label, phone_number_id, display_number, access_token_enc, app_secret_enc, verify_token_enc)
          values (${agencyId}, 'cloud_api', 'Loja', ${PHONE_ID}, '+5511955550000', ${secrets.seal(TOKEN)}, ${secrets.seal(SECRET)}, ${secrets.seal('v')}) returning id`,
    )
  )[0]!.id
  conversationId = (await owner.db.execute<{ id: string }>(sql`insert into whatsapp_conversations (agency_id, account_id, contact_phone, last_inbound_at) values (${agencyId}, ${accountId}, '+5511988886666', now()) returning id`))[0]!.id
  graph.onSend(({ wamid, ourId }) => {
    const body = Buffer.from(JSON.stringify(webhook.envelope(PHONE_ID, [webhook.status(wamid, 'sent', { correlationId: ourId })])))
    // Receipts retry until the database is back, as Meta's deliveries do.
    void until(async () => (await receiveWebhook({ db: app.db, runtime, accountId, rawBody: body, headers: { 'x-hub-signature-256': graph.sign(body) } })).status === 200)
  })
}, 120_000)

afterAll(async () => {
  worker?.kill('SIGKILL')
  await graph?.close()
  await app?.close()
  await owner?.close()
  await server?.stop().catch(() => {})
  await rm(dir, { recursive: true, force: true })
}, 60_000)

it('a database restart mid-burst: connections recover, inbound is stored once, nothing is sent twice', async () => {
  graph.setSendDelay(100)
  const outbound = Array.from({ length: 20 }, () => randomUUID())
  for (const id of outbound) {
    await owner.db.execute(sql`insert into whatsapp_messages (id, agency_id, conversation_id, account_id, direction, type, body, status, provider_at) values (${id}, ${agencyId}, ${conversationId}, ${accountId}, 'outbound', 'text', 'oi', 'queued', now())`)
    await owner.db.execute(sql`select enqueue_job('whatsapp:send', ${JSON.stringify({ agencyId, messageId: id })}::json, null, 25, ${`wa-send-${id}`})`)
  }
  const deliveries = Array.from({ length: 20 }, (_, i) => Buffer.from(JSON.stringify(webhook.envelope(PHONE_ID, [webhook.text(`55119770${String(i).padStart(5, '0')}`, `entrada ${i}`, { id: `wamid.RST${i}` })]))))
  for (const body of deliveries.slice(0, 10)) expect((await receiveWebhook({ db: app.db, runtime, accountId, rawBody: body, headers: { 'x-hub-signature-256': graph.sign(body) } })).status).toBe(200)

  worker = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: WORKER,
    env: { ...process.env, DATABASE_URL: ownerUrl, APP_DB_PASSWORD: APP_PASSWORD, SECRETS_KEY: KEY, WHATSAPP_GRAPH_URL: graph.url, WHATSAPP_GRAPH_VERSION: graph.version, UPLOADS_DIR: dir, LOG_LEVEL: 'silent', NODE_ENV: 'test' },
    stdio: 'ignore',
  })
  await until(async () => graph.sends.length >= 5)
  await server.stop()
  // While it is down, a webhook cannot be stored: the intake fails (the HTTP layer answers 5xx and Meta retries).
  await expect(receiveWebhook({ db: app.db, runtime, accountId, rawBody: deliveries[10]!, headers: { 'x-hub-signature-256': graph.sign(deliveries[10]!) } })).rejects.toThrow()
  await new Promise((r) => setTimeout(r, 1500))
  server = await start()
  // Meta's retries of the refused delivery and the rest of the burst.
  for (const body of deliveries.slice(10)) await until(async () => (await receiveWebhook({ db: app.db, runtime, accountId, rawBody: body, headers: { 'x-hub-signature-256': graph.sign(body) } })).status === 200)
  // Jobs the outage interrupted stay locked by graphile-worker; reconcile (made due by ageing rows) re-drives them.
  await until(async () => {
    await owner.db.execute(sql`update whatsapp_messages set updated_at = now() - interval '10 minutes' where agency_id = ${agencyId} and status in ('queued', 'sending')`)
    await owner.db.execute(sql`update whatsapp_webhook_events set received_at = now() - interval '10 minutes' where agency_id = ${agencyId} and state = 'pending'`)
    await owner.db.execute(sql`select enqueue_job('whatsapp:reconcile', ${JSON.stringify({ agencyId })}::json, null, 3, ${'wa-reconcile-test'})`)
    const open = await count(sql`select count(*)::int as n from whatsapp_messages where agency_id = ${agencyId} and direction = 'outbound' and status in ('queued', 'sending')`)
    const pending = await count(sql`select count(*)::int as n from whatsapp_webhook_events where agency_id = ${agencyId} and state = 'pending'`)
    return open === 0 && pending === 0
  }, 90_000)
  expect(await count(sql`select count(*)::int as n from whatsapp_messages where agency_id = ${agencyId} and direction = 'inbound'`)).toBe(20)
  for (const id of outbound) expect(graph.sendsFor(id), id).toBeLessThanOrEqual(1)
  const rows = await owner.db.execute<{ id: string; status: string; error_code: string | null }>(sql`select id, status, error_code from whatsapp_messages where agency_id = ${agencyId} and direction = 'outbound'`)
  for (const r of rows) {
    if (graph.sendsFor(r.id) === 1) expect(r.status, r.id).toBe('sent')
    else expect([r.status, r.error_code], r.id).toEqual(['failed', 'ambiguous'])
  }
}, 240_000)
