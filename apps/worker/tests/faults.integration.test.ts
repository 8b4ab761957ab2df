import { spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { receiveWebhook } from '@impera/api/services'
import { createStorage } from '@impera/api/storage'
import { createSecretBox, type WhatsAppRuntime } from '@impera/api/whatsapp'
import { sql } from '@impera/db'
import { addMember, createTestDatabase, insertAgency, insertUser, type TestDatabase } from '@impera/db/testing'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startGraphStandIn, webhook } from '../../../packages/api/tests/stand-ins/graph'

/**
 * Fault test: the real worker process is killed (SIGKILL) in the middle of a burst of outbound sends and inbound
 * deliveries, then restarted. Nothing may be lost or doubled: every inbound message is stored once, no message is
 * ever sent twice, and any send cut off mid-call is settled by the provider's receipt or shown for a person to retry.
 */
const WORKER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const KEY = Buffer.alloc(32, 11).toString('base64')
const TOKEN = 'fault-token'
const SECRET = 'fault-app-secret'
const PHONE_ID = '555000111'

let t: TestDatabase
let graph: Awaited<ReturnType<typeof startGraphStandIn>>
let dir: string
let runtime: WhatsAppRuntime
let agencyId: string
let accountId: string
let conversationId: string
let worker: ChildProcess | null = null

function startWorker() {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: WORKER,
    env: {
      ...process.env,
      DATABASE_URL: t.ownerUrl,
      APP_DB_PASSWORD: decodeURIComponent(new URL(t.appUrl).password),
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
  return child
}

async function until(fn: () => Promise<boolean>, ms = 30_000) {
  const end = Date.now() + ms
  while (!(await fn())) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 100))
  }
}

const count = async (q: ReturnType<typeof sql>) => (await t.owner.db.execute<{ n: number }>(q))[0]!.n

beforeAll(async () => {
  t = await createTestDatabase()
  dir = await mkdtemp(path.join(tmpdir(), 'impera-faults-'))
  graph = await startGraphStandIn({ accessToken: TOKEN, appSecret: SECRET })
  const secrets = createSecretBox(KEY)
  runtime = {
    secrets,
    graphUrl: graph.url,
    graphVersion: graph.version,
    storage: createStorage({ driver: 'local', dir }),
  }
  const agency = await insertAgency(t.owner.db)
  agencyId = agency.id
  const user = await insertUser(t.owner.db)
  await addMember(t.owner.db, { agencyId, userId: user.id, role: 'manager' })
  const [account] = await t.owner.db.execute<{ id: string }>(
    sql`insert into whatsapp_accounts (agency_id, provider, label, phone_number_id, display_number, access_token_enc, app_secret_enc, verify_token_enc)
        values (${agencyId}, 'cloud_api', 'Loja', ${PHONE_ID}, '+5511955550000', ${secrets.seal(TOKEN)}, ${secrets.seal(SECRET)}, ${secrets.seal('v')}) returning id`,
  )
  accountId = account!.id
  const [conversation] = await t.owner.db.execute<{ id: string }>(
    sql`insert into whatsapp_conversations (agency_id, account_id, contact_phone, last_inbound_at) values (${agencyId}, ${accountId}, '+5511988887777', now()) returning id`,
  )
  conversationId = conversation!.id
  // Meta's receipts, echoing our id, arrive through the real webhook path for every send it accepted.
  graph.onSend(({ wamid, ourId }) => {
    const body = Buffer.from(
      JSON.stringify(webhook.envelope(PHONE_ID, [webhook.status(wamid, 'sent', { correlationId: ourId })])),
    )
    void receiveWebhook(
      { db: t.app.db, whatsapp: runtime },
      { accountId, rawBody: body, headers: { 'x-hub-signature-256': graph.sign(body) } },
    )
  })
})
afterAll(async () => {
  worker?.kill('SIGKILL')
  await graph.close()
  await t.close()
  await rm(dir, { recursive: true, force: true })
})

it('a worker killed mid-burst loses nothing and sends nothing twice', async () => {
  graph.setSendDelay(150)
  const outbound = Array.from({ length: 30 }, () => randomUUID())
  for (const id of outbound) {
    await t.owner.db.execute(
      sql`insert into whatsapp_messages (id, agency_id, conversation_id, account_id, direction, type, body, status, provider_at) values (${id}, ${agencyId}, ${conversationId}, ${accountId}, 'outbound', 'text', ${`msg ${id}`}, 'queued', now())`,
    )
    await t.owner.db.execute(
      sql`select enqueue_job('whatsapp:send-pending', ${JSON.stringify({ agencyId, accountId })}::json, null, 25, ${`wa-sender-${accountId}`})`,
    )
  }
  for (let i = 0; i < 30; i++) {
    const body = Buffer.from(
      JSON.stringify(
        webhook.envelope(PHONE_ID, [
          webhook.text('5511977000' + String(i).padStart(3, '0'), `entrada ${i}`, { id: `wamid.BURST${i}` }),
        ]),
      ),
    )
    expect(
      (
        await receiveWebhook(
          { db: t.app.db, whatsapp: runtime },
          { accountId, rawBody: body, headers: { 'x-hub-signature-256': graph.sign(body) } },
        )
      ).status,
    ).toBe(200)
  }

  const first = startWorker()
  await until(async () => graph.sends.length >= 8)
  first.kill('SIGKILL')
  await new Promise((r) => first.once('exit', r))
  const sentBeforeCrash = graph.sends.length
  expect(sentBeforeCrash).toBeLessThan(30)

  // Time passes: the dead worker's jobs stay locked, so recovery is the reconcile job's (made due by ageing rows).
  await t.owner.db.execute(
    sql`update whatsapp_messages set updated_at = now() - interval '10 minutes' where agency_id = ${agencyId} and status in ('queued', 'sending')`,
  )
  await t.owner.db.execute(
    sql`update whatsapp_webhook_events set received_at = now() - interval '10 minutes' where agency_id = ${agencyId} and state = 'pending'`,
  )
  startWorker()
  await t.owner.db.execute(
    sql`select enqueue_job('whatsapp:reconcile', ${JSON.stringify({ agencyId })}::json, null, 3, null)`,
  )
  await until(
    async () =>
      (await count(
        sql`select count(*)::int as n from whatsapp_messages where agency_id = ${agencyId} and direction = 'outbound' and status in ('queued', 'sending')`,
      )) === 0,
    60_000,
  )
  await until(
    async () =>
      (await count(
        sql`select count(*)::int as n from whatsapp_webhook_events where agency_id = ${agencyId} and state = 'pending'`,
      )) === 0,
    60_000,
  )

  // Inbound: every message exactly once.
  expect(
    await count(
      sql`select count(*)::int as n from whatsapp_messages where agency_id = ${agencyId} and direction = 'inbound'`,
    ),
  ).toBe(30)
  expect(
    await count(
      sql`select count(distinct provider_message_id)::int as n from whatsapp_messages where agency_id = ${agencyId} and direction = 'inbound'`,
    ),
  ).toBe(30)
  // Outbound: never twice; a send cut off mid-call was settled by its receipt, or is visible as uncertain, not resent.
  for (const id of outbound) expect(graph.sendsFor(id), id).toBeLessThanOrEqual(1)
  const rows = await t.owner.db.execute<{
    id: string
    status: string
    error_code: string | null
    provider_message_id: string | null
  }>(
    sql`select id, status, error_code, provider_message_id from whatsapp_messages where agency_id = ${agencyId} and direction = 'outbound'`,
  )
  for (const r of rows) {
    if (graph.sendsFor(r.id) === 1) expect(r.status, r.id).toBe('sent')
    else expect([r.status, r.error_code], r.id).toEqual(['failed', 'ambiguous'])
  }
  // A person retries the uncertain ones (the receipt never came, so nothing went out): then everything is out, once.
  for (const r of rows.filter((x) => x.status === 'failed')) {
    await t.owner.db.execute(
      sql`update whatsapp_messages set status = 'queued', error_code = null, error_reason = null where id = ${r.id}`,
    )
    await t.owner.db.execute(
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
}, 180_000)
