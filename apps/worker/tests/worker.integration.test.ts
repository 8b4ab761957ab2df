import { createLocalAuth } from '@impera/api/auth'
import { devMailbox, sql } from '@impera/db'
import { createTestDatabase, insertUser, type TestDatabase } from '@impera/db/testing'
import type { Runner } from 'graphile-worker'
import pino from 'pino'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createMailer, startWorker } from '../src/index'

let t: TestDatabase
let runner: Runner
beforeAll(async () => {
  t = await createTestDatabase()
  runner = await startWorker({ queueUrl: t.ownerUrl, db: t.app.db, mailer: createMailer({ from: 'test@impera', db: t.app.db }), log: pino({ level: 'silent' }) })
})
afterAll(async () => {
  await runner.stop()
  await t.close()
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
  const auth = createLocalAuth({ db: t.app.db, cookieSecrets: ['s'], secureCookies: false, meta: () => ({ ip: '1.2.3.4', userAgent: null }) })
  await auth.requestPasswordReset(new Request('http://x/'), user.email, { resetUrl: (tok) => `http://crm.test/reset-password/${tok}`, locale: 'en' })
  const mail = await waitFor(async () => (await t.owner.db.select().from(devMailbox).where(sql`${devMailbox.to} = ${user.email}`))[0])
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
    const [left] = await t.owner.db.execute<{ n: number }>(sql`select count(*)::int as n from leads where agency_id = ${agency.id}`)
    return left!.n === 2 ? true : undefined
  })
  const names = await t.owner.db.execute<{ name: string }>(sql`select name from leads where agency_id = ${agency.id} order by name`)
  expect(names.map((n) => n.name)).toEqual(['ativo', 'recente'])
})
