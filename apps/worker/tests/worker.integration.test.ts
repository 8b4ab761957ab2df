import { mkdtemp, readdir, rm, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createLocalAuth } from '@impera/api/auth'
import { createStorage } from '@impera/api/storage'
import { createSecretBox } from '@impera/api/whatsapp'
import { devMailbox, sql } from '@impera/db'
import { createTestDatabase, insertUser, type TestDatabase } from '@impera/db/testing'
import type { Runner } from 'graphile-worker'
import pino from 'pino'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createMailer, startWorker } from '../src/index'
import { crontab } from '../src/registry'

let t: TestDatabase
let runner: Runner
let uploads: string
beforeAll(async () => {
  t = await createTestDatabase()
  uploads = await mkdtemp(path.join(tmpdir(), 'impera-worker-uploads-'))
  runner = await startWorker({
    queueUrl: t.ownerUrl,
    db: t.app.db,
    mailer: createMailer({ from: 'test@impera', db: t.app.db }),
    storage: createStorage({ driver: 'local', dir: uploads }),
    whatsapp: {
      secrets: createSecretBox(Buffer.alloc(32, 1).toString('base64')),
      graphUrl: 'http://127.0.0.1:9',
      graphVersion: 'v21.0',
      storage: createStorage({ driver: 'local', dir: uploads }),
    },
    log: pino({ level: 'silent' }),
  })
})
afterAll(async () => {
  await runner.stop()
  await t.close()
  await rm(uploads, { recursive: true, force: true })
})

async function waitFor<T>(fn: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = await fn()
    if (v !== undefined) return v
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 100))
  }
}

it('web → queue → worker: a password-reset request ends in the mailbox with a working link', async () => {
  const user = await insertUser(t.owner.db, { email: 'corretor@example.test', locale: 'en' })
  const auth = createLocalAuth({
    db: t.app.db,
    cookieSecrets: ['s'],
    secureCookies: false,
    meta: () => ({ ip: '1.2.3.4', userAgent: null }),
  })
  await auth.requestPasswordReset(new Request('http://x/'), user.email, {
    resetUrl: (tok) => `http://crm.test/reset-password/${tok}`,
    locale: 'en',
  })
  const mail = await waitFor(
    async () =>
      (
        await t.owner.db
          .select()
          .from(devMailbox)
          .where(sql`${devMailbox.to} = ${user.email}`)
      )[0],
  )
  expect(mail.subject).toBe('Reset your Impera CRM password')
  const token = /reset-password\/([\w-]+)/.exec(mail.text)![1]!
  expect((await auth.completePasswordReset(new Request('http://x/'), token, 'brand new passphrase')).ok).toBe(true)
})

it('a job with an invalid payload fails visibly (kept with its error) instead of running', async () => {
  await t.owner.db.execute(sql`select enqueue_job('email:send', '{"to":"not-an-email"}'::json, null, 1, null)`)
  const failed = await waitFor(async () => {
    const [row] = await t.owner.db.execute<{ last_error: string | null; attempts: number }>(
      sql`select last_error, attempts from graphile_worker.jobs where task_identifier = 'email:send' and attempts > 0 and last_error is not null`,
    )
    return row
  })
  expect(failed.last_error).toContain('invalid payload for email:send')
})

it('purges leads that have been in the trash for more than 30 days, and only those', async () => {
  const { insertAgency } = await import('@impera/db/testing')
  const agency = await insertAgency(t.owner.db)
  const rows = await t.owner.db.execute<{ id: string }>(sql`
    insert into leads (agency_id, name, deleted_at) values
      (${agency.id}, 'velho', now() - interval '31 days'),
      (${agency.id}, 'recente', now() - interval '2 days'),
      (${agency.id}, 'ativo', null)
    returning id`)
  expect(rows).toHaveLength(3)
  await t.owner.db.execute(sql`select enqueue_job('trash:purge', '{}'::json, null, 1, null)`)
  await waitFor(async () => {
    const [left] = await t.owner.db.execute<{ n: number }>(
      sql`select count(*)::int as n from leads where agency_id = ${agency.id}`,
    )
    return left!.n === 2 ? true : undefined
  })
  const names = await t.owner.db.execute<{ name: string }>(
    sql`select name from leads where agency_id = ${agency.id} order by name`,
  )
  expect(names.map((n) => n.name)).toEqual(['ativo', 'recente'])
})

it('purges old trashed clients (unlinking their leads and properties) and properties with their photo files', async () => {
  const { insertAgency } = await import('@impera/db/testing')
  const agency = await insertAgency(t.owner.db)
  const [client] = await t.owner.db.execute<{ id: string }>(
    sql`insert into clients (agency_id, name, deleted_at) values (${agency.id}, 'cliente velho', now() - interval '40 days') returning id`,
  )
  const [lead] = await t.owner.db.execute<{ id: string }>(
    sql`insert into leads (agency_id, name, status, client_id) values (${agency.id}, 'convertido', 'converted', ${client!.id}) returning id`,
  )
  const [kept] = await t.owner.db.execute<{ id: string }>(
    sql`insert into properties (agency_id, code, title, type, purpose, owner_client_id) values (${agency.id}, 'AP1', 'fica', 'apartment', 'sale', ${client!.id}) returning id`,
  )
  const [old] = await t.owner.db.execute<{ id: string }>(
    sql`insert into properties (agency_id, code, title, type, purpose, deleted_at) values (${agency.id}, 'AP2', 'sai', 'apartment', 'sale', now() - interval '31 days') returning id`,
  )
  const key = `${agency.id}/properties/${old!.id}/photo`
  await mkdir(path.join(uploads, path.dirname(key)), { recursive: true })
  await writeFile(path.join(uploads, `${key}.webp`), 'x')
  await writeFile(path.join(uploads, `${key}_thumb.webp`), 'x')
  await t.owner.db.execute(
    sql`insert into property_photos (agency_id, property_id, storage_key, thumb_key, width, height, bytes, position) values (${agency.id}, ${old!.id}, ${`${key}.webp`}, ${`${key}_thumb.webp`}, 1, 1, 1, 0)`,
  )
  await t.owner.db.execute(sql`select enqueue_job('trash:purge', '{}'::json, null, 1, null)`)
  await waitFor(async () => {
    const [left] = await t.owner.db.execute<{ n: number }>(
      sql`select count(*)::int as n from clients where agency_id = ${agency.id}`,
    )
    return left!.n === 0 ? true : undefined
  })
  const [l] = await t.owner.db.execute<{ status: string; client_id: string | null }>(
    sql`select status, client_id from leads where id = ${lead!.id}`,
  )
  expect(l).toEqual({ status: 'converted', client_id: null })
  const props = await t.owner.db.execute<{ id: string; owner_client_id: string | null }>(
    sql`select id, owner_client_id from properties where agency_id = ${agency.id}`,
  )
  expect(props).toEqual([{ id: kept!.id, owner_client_id: null }])
  await waitFor(async () => ((await readdir(path.join(uploads, path.dirname(key)))).length === 0 ? true : undefined))
})

it('whatsapp:purge-events (daily) removes raw webhook bodies past their retention, agency by agency', async () => {
  const { insertAgency } = await import('@impera/db/testing')
  const agency = await insertAgency(t.owner.db)
  const [account] = await t.owner.db.execute<{ id: string }>(
    sql`insert into whatsapp_accounts (agency_id, provider, label, phone_number_id, display_number) values (${agency.id}, 'sandbox', 'S', ${`sandbox-${agency.id}`}, '+55 11 90000-0003') returning id`,
  )
  await t.owner.db.execute(sql`
    insert into whatsapp_webhook_events (agency_id, account_id, headers, raw_body, body_sha256, signature_ok, state, received_at) values
      (${agency.id}, ${account!.id}, '{}'::jsonb, '\x7b7d'::bytea, 'old', true, 'processed', now() - interval '45 days'),
      (${agency.id}, ${account!.id}, '{}'::jsonb, '\x7b7d'::bytea, 'new', true, 'processed', now() - interval '1 day')`)
  expect(crontab).toContain('whatsapp:purge-events')
  await t.owner.db.execute(sql`select enqueue_job('whatsapp:purge-events', '{}'::json, null, 1, null)`)
  const left = await waitFor(async () => {
    const rows = await t.owner.db.execute<{ body_sha256: string }>(
      sql`select body_sha256 from whatsapp_webhook_events where agency_id = ${agency.id}`,
    )
    return rows.length === 1 ? rows : undefined
  })
  expect(left.map((r) => r.body_sha256)).toEqual(['new'])
})

it('api:purge-expired (hourly) removes idempotency answers past their hours and refilled rate buckets, only those', async () => {
  const { insertAgency } = await import('@impera/db/testing')
  const { API_RATE, PURGE_BATCH } = await import('@impera/api/integrations')
  const { IDEMPOTENCY_HOURS } = await import('@impera/api/public-api')
  /** An agency with an integration and one key: its answers, by age, and its key's bucket id. */
  const setUp = async (label: string) => {
    const agency = await insertAgency(t.owner.db)
    const user = await insertUser(t.owner.db, { kind: 'integration', password: null })
    const [integration] = await t.owner.db.execute<{ id: string }>(
      sql`insert into integrations (agency_id, user_id, name, scopes) values (${agency.id}, ${user.id}, ${label}, '{leads:write}') returning id`,
    )
    const [key] = await t.owner.db.execute<{ id: string }>(
      sql`insert into api_keys (agency_id, integration_id, prefix, secret_hash) values (${agency.id}, ${integration!.id}, ${`p${label}`.padEnd(12, 'x')}, 'h') returning id`,
    )
    const answer = (key: string, age: ReturnType<typeof sql>) =>
      t.owner.db.execute(
        sql`insert into api_idempotency_keys (agency_id, integration_id, key, request_hash, status, response, created_at) values (${agency.id}, ${integration!.id}, ${key}, 'h', 201, '{}'::jsonb, now() - ${age})`,
      )
    await answer('expired', sql`make_interval(hours => ${IDEMPOTENCY_HOURS}, mins => 1)`)
    await answer('live', sql`make_interval(hours => ${IDEMPOTENCY_HOURS}, mins => -1)`)
    await answer('fresh', sql`interval '0'`)
    return { agencyId: agency.id, integrationId: integration!.id, keyId: key!.id }
  }
  const a = await setUp('alfa')
  const b = await setUp('beta')
  // More than a batch of expired answers in one agency: the purge goes on until none is left.
  await t.owner.db.execute(sql`
    insert into api_idempotency_keys (agency_id, integration_id, key, request_hash, status, response, created_at)
    select ${a.agencyId}, ${a.integrationId}, 'old-' || i, 'h', 201, '{}'::jsonb, now() - make_interval(hours => ${IDEMPOTENCY_HOURS} + 1)
    from generate_series(1, ${PURGE_BATCH * 2 + 1}) i`)
  // Buckets, by how far they have refilled since their last request (empty to full takes capacity / perSecond).
  const { capacity, perSecond } = API_RATE
  const buckets = [
    { keyId: a.keyId, tokens: 0, idleSeconds: capacity / perSecond + 5, stays: false }, // refilled
    { keyId: crypto.randomUUID(), tokens: 0, idleSeconds: capacity / perSecond / 2, stays: true }, // half refilled
    { keyId: crypto.randomUUID(), tokens: capacity - 2 * perSecond, idleSeconds: 3, stays: false }, // full after 2 s
    { keyId: b.keyId, tokens: capacity - 2 * perSecond, idleSeconds: 0, stays: true }, // just used
  ]
  for (const { keyId, tokens, idleSeconds } of buckets)
    await t.owner.db.execute(
      sql`insert into api_rate_buckets (key_id, tokens, updated_at) values (${keyId}, ${tokens}, now() - make_interval(secs => ${idleSeconds}))`,
    )
  expect(crontab).toContain('api:purge-expired')
  await t.owner.db.execute(sql`select enqueue_job('api:purge-expired', '{}'::json, null, 1, null)`)
  const answers = await waitFor(async () => {
    const rows = await t.owner.db.execute<{ agency_id: string; key: string }>(
      sql`select agency_id, key from api_idempotency_keys where agency_id in (${a.agencyId}, ${b.agencyId}) order by agency_id, key`,
    )
    return rows.length === 4 ? rows : undefined
  })
  const keysOf = (agencyId: string) => answers.filter((r) => r.agency_id === agencyId).map((r) => r.key)
  expect(keysOf(a.agencyId)).toEqual(['fresh', 'live'])
  expect(keysOf(b.agencyId)).toEqual(['fresh', 'live'])
  const left = await waitFor(async () => {
    const [job] = await t.owner.db.execute<{ n: number }>(
      sql`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'api:purge-expired'`,
    )
    if (job!.n) return undefined
    return t.owner.db.execute<{ key_id: string }>(sql`select key_id from api_rate_buckets`)
  })
  expect(left.map((r) => r.key_id).sort()).toEqual(
    buckets
      .filter((x) => x.stays)
      .map((x) => x.keyId)
      .sort(),
  )
})

it("whatsapp:sync-templates (daily, no ids) refreshes every number's templates", async () => {
  const { insertAgency } = await import('@impera/db/testing')
  const agency = await insertAgency(t.owner.db)
  const [account] = await t.owner.db.execute<{ id: string }>(
    sql`insert into whatsapp_accounts (agency_id, provider, label, phone_number_id, display_number) values (${agency.id}, 'sandbox', 'S', ${`sandbox-tpl-${agency.id}`}, '+55 11 90000-0004') returning id`,
  )
  expect(crontab).toContain('whatsapp:sync-templates')
  await t.owner.db.execute(sql`select enqueue_job('whatsapp:sync-templates', '{}'::json, null, 1, null)`)
  const names = await waitFor(async () => {
    const rows = await t.owner.db.execute<{ name: string }>(
      sql`select name from whatsapp_templates where account_id = ${account!.id} order by name`,
    )
    return rows.length ? rows.map((r) => r.name) : undefined
  })
  expect(names).toEqual(['documentos_pendentes', 'oferta_semana', 'retomar_contato', 'visita_confirmada'])
})

it('storage:delete removes files, and a missing file is not an error', async () => {
  await mkdir(path.join(uploads, 'x'), { recursive: true })
  await writeFile(path.join(uploads, 'x/a.webp'), 'x')
  await t.owner.db.execute(
    sql`select enqueue_job('storage:delete', ${JSON.stringify({ keys: ['x/a.webp', 'x/missing.webp'] })}::json, null, 1, null)`,
  )
  await waitFor(async () => ((await readdir(path.join(uploads, 'x'))).length === 0 ? true : undefined))
  // Succeeded jobs leave the queue; a failed one would stay with its error.
  await waitFor(async () => {
    const [job] = await t.owner.db.execute<{ n: number }>(
      sql`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'storage:delete'`,
    )
    return job!.n === 0 ? true : undefined
  })
})
