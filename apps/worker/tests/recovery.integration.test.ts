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
import type { Runner } from 'graphile-worker'
import pino from 'pino'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startGraphStandIn, webhook } from '../../../packages/api/tests/stand-ins/graph'
import { createMailer, startWorker } from '../src/index'

/**
 * The worker facing what kills job runners: content Postgres refuses (NUL, lone surrogates) in what it ingests and in
 * the errors it records, a job slot that dies anyway, and a process killed in the middle of a send.
 */
const WORKER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const KEY = Buffer.alloc(32, 17).toString('base64')
const TOKEN = 'recovery-token'
const SECRET = 'recovery-app-secret'
const PHONE_ID = '555000333'

let t: TestDatabase
let graph: Awaited<ReturnType<typeof startGraphStandIn>>
let dir: string
let runtime: WhatsAppRuntime
let agencyId: string
let accountId: string
let children: ChildProcess[] = []

beforeAll(async () => {
  t = await createTestDatabase()
  dir = await mkdtemp(path.join(tmpdir(), 'impera-recovery-'))
  graph = await startGraphStandIn({ accessToken: TOKEN, appSecret: SECRET })
  const secrets = createSecretBox(KEY)
  runtime = {
    secrets,
    graphUrl: graph.url,
    graphVersion: graph.version,
    storage: createStorage({ driver: 'local', dir }),
  }
  agencyId = (await insertAgency(t.owner.db)).id
  await addMember(t.owner.db, { agencyId, userId: (await insertUser(t.owner.db)).id, role: 'manager' })
  const [account] = await t.owner.db.execute<{ id: string }>(
    sql`insert into whatsapp_accounts (agency_id, provider, label, phone_number_id, display_number, access_token_enc, app_secret_enc, verify_token_enc)
        values (${agencyId}, 'cloud_api', 'Loja', ${PHONE_ID}, '+5511955550000', ${secrets.seal(TOKEN)}, ${secrets.seal(SECRET)}, ${secrets.seal('v')}) returning id`,
  )
  accountId = account!.id
})
afterEach(() => {
  for (const c of children) c.kill('SIGKILL')
  children = []
})
afterAll(async () => {
  await graph.close()
  await t.close()
  await rm(dir, { recursive: true, force: true })
})

async function until<T>(fn: () => Promise<T | undefined | false>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = await fn()
    if (v !== undefined && v !== false) return v
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 100))
  }
}

function spawnWorker() {
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
  children.push(child)
  return child
}

const signed = async (body: unknown) => {
  const raw = Buffer.from(JSON.stringify(body))
  return (
    await receiveWebhook(
      { db: t.app.db, whatsapp: runtime },
      { accountId, rawBody: raw, headers: { 'x-hub-signature-256': graph.sign(raw) } },
    )
  ).status
}

describe('content Postgres refuses', () => {
  let runner: Runner
  afterEach(async () => runner?.stop())

  it('NUL and lone surrogates in messages and profile names are ingested sanitised, and later jobs still run', async () => {
    runner = await startWorker({
      queueUrl: t.ownerUrl,
      db: t.app.db,
      mailer: createMailer({ from: 'test@impera', db: t.app.db }),
      storage: runtime.storage,
      whatsapp: runtime,
      log: pino({ level: 'silent' }),
    })
    // More poisoned deliveries than the runner has job slots (4).
    for (let i = 0; i < 6; i++) {
      const from = `55119770000${i}`
      const body = webhook.envelope(PHONE_ID, [
        {
          contacts: [{ profile: { name: `Nome\u0000 ${i} \ud83d` }, wa_id: from }],
          messages: [
            {
              from,
              id: `wamid.POISON${i}`,
              timestamp: String(Math.floor(Date.now() / 1000)),
              type: 'text',
              text: { body: `oi\u0000 ${i} \udc00` },
            },
          ],
        },
      ])
      expect(await signed(body)).toBe(200)
    }
    // And e-mails whose failure quotes a NUL (the development mailbox refuses it; the database error echoes it).
    for (let i = 0; i < 6; i++)
      await t.owner.db.execute(
        sql`select enqueue_job('email:send', ${JSON.stringify({ to: `poison${i}@example.test`, subject: 'veneno', text: `a\u0000b ${i}` })}::json, null, 1, null)`,
      )
    await t.owner.db.execute(
      sql`select enqueue_job('email:send', ${JSON.stringify({ to: 'depois@example.test', subject: 'depois', text: 'chegou' })}::json, null, 1, null)`,
    )

    await until(
      async () =>
        (await t.owner.db.execute(sql`select 1 from dev_mailbox where "to" = 'depois@example.test'`)).length > 0,
    )
    const rows = await until(async () => {
      const r = await t.owner.db.execute<{ body: string; contact_name: string }>(
        sql`select m.body, c.contact_name from whatsapp_messages m join whatsapp_conversations c on c.id = m.conversation_id where m.agency_id = ${agencyId} and m.provider_message_id like 'wamid.POISON%' order by m.provider_message_id`,
      )
      return r.length === 6 ? r : undefined
    })
    expect(rows[0]).toEqual({ body: 'oi 0 \ufffd', contact_name: 'Nome 0 \ufffd' })
    // The failed e-mails are recorded, cleaned, and released (not held by a dead slot).
    const failed = await until(async () => {
      const r = await t.owner.db.execute<{ last_error: string; locked_by: string | null }>(
        sql`select j.last_error, j.locked_by from graphile_worker._private_jobs j join graphile_worker._private_tasks k on k.id = j.task_id where k.identifier = 'email:send' and j.attempts > 0 and j.last_error is not null`,
      )
      return r.length === 6 ? r : undefined
    })
    for (const f of failed) {
      expect(f.locked_by).toBeNull()
      expect(f.last_error).not.toContain('\u0000')
    }
  })
})

describe('a dead runner slot', () => {
  it('makes the process exit for its supervisor, its job unlocked for the next one', async () => {
    // Recording this job's failure fails (as a NUL in the message did before messages were cleaned).
    await t.owner.db.execute(
      sql`create function refuse_probe() returns trigger language plpgsql as $$ begin raise exception 'cannot record this failure'; end $$`,
    )
    await t.owner.db.execute(
      sql`create trigger refuse_probe before update on graphile_worker._private_jobs for each row when (new.last_error like '%fatal-probe%') execute function refuse_probe()`,
    )
    try {
      const child = spawnWorker()
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
      await t.owner.db.execute(
        sql`select enqueue_job('email:send', ${JSON.stringify({ to: 'probe@example.test', subject: 'fatal-probe', text: 'x\u0000y' })}::json, null, 3, 'fatal-probe')`,
      )
      expect(await exited).toBe(1)
      const [job] = await t.owner.db.execute<{ locked_by: string | null; attempts: number }>(
        sql`select locked_by, attempts from graphile_worker._private_jobs where key = 'fatal-probe'`,
      )
      expect(job).toEqual({ locked_by: null, attempts: 1 })
    } finally {
      await t.owner.db.execute(sql`drop trigger refuse_probe on graphile_worker._private_jobs`)
      await t.owner.db.execute(sql`drop function refuse_probe()`)
      await t.owner.db.execute(sql`delete from graphile_worker._private_jobs where key = 'fatal-probe'`)
    }
  }, 60_000)
})

describe('a worker killed mid-send', () => {
  it('leaves the send shown as uncertain within a minute of the next worker starting, never resent', async () => {
    const [conversation] = await t.owner.db.execute<{ id: string }>(
      sql`insert into whatsapp_conversations (agency_id, account_id, contact_phone, last_inbound_at) values (${agencyId}, ${accountId}, '+5511988880001', now()) returning id`,
    )
    const id = randomUUID()
    await t.owner.db.execute(
      sql`insert into whatsapp_messages (id, agency_id, conversation_id, account_id, direction, type, body, status, provider_at) values (${id}, ${agencyId}, ${conversation!.id}, ${accountId}, 'outbound', 'text', 'no meio do envio', 'queued', now())`,
    )
    // Meta takes the request and answers late: the worker is killed while it waits.
    graph.setSendDelay(120_000)
    const first = spawnWorker()
    await t.owner.db.execute(
      sql`select enqueue_job('whatsapp:send-pending', ${JSON.stringify({ agencyId, accountId })}::json, null, 25, ${`wa-sender-${accountId}`})`,
    )
    await until(async () => graph.sendsFor(id) === 1)
    const [claimed] = await t.owner.db.execute<{ status: string; claimed_by: string | null }>(
      sql`select status, claimed_by from whatsapp_messages where id = ${id}`,
    )
    expect(claimed!.status).toBe('sending')
    expect(claimed!.claimed_by).toMatch(/^[0-9a-f-]{36}$/)
    first.kill('SIGKILL')
    await new Promise((r) => first.once('exit', r))
    graph.setSendDelay(0)

    const restarted = Date.now()
    spawnWorker()
    const settled = await until(async () => {
      const [m] = await t.owner.db.execute<{ status: string; error_code: string | null }>(
        sql`select status, error_code from whatsapp_messages where id = ${id}`,
      )
      return m!.status === 'failed' ? m : undefined
    }, 60_000)
    expect(settled).toEqual({ status: 'failed', error_code: 'ambiguous' })
    expect(Date.now() - restarted).toBeLessThan(60_000)
    expect(graph.sendsFor(id)).toBe(1)
  }, 120_000)
})
