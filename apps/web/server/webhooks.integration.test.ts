import { createHmac } from 'node:crypto'
import type { Server } from 'node:http'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createStorage } from '@impera/api/storage'
import { createSecretBox } from '@impera/api/whatsapp'
import { sql } from '@impera/db'
import { createTestDatabase, insertAgency, type TestDatabase } from '@impera/db/testing'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createWebApp } from './app'
import type { WebEnv } from './env'
import { createHttpApp } from './http'

/** The WhatsApp webhook endpoints over real HTTP: what a caller on the internet can send us, and what it gets back. */
const KEY = Buffer.alloc(32, 5).toString('base64')
const SECRET = 'webhook-http-app-secret'
let t: TestDatabase
let server: Server
let base: string
let dir: string
let accountId: string

beforeAll(async () => {
  t = await createTestDatabase()
  dir = await mkdtemp(path.join(tmpdir(), 'impera-webhooks-http-'))
  const env = {
    NODE_ENV: 'test',
    SESSION_SECRET: ['x'.repeat(32)],
    origin: 'http://crm.test',
    devMailbox: false,
    SECRETS_KEY: KEY,
    WHATSAPP_GRAPH_URL: 'http://127.0.0.1:9',
    WHATSAPP_GRAPH_VERSION: 'v21.0',
  } as unknown as WebEnv
  const app = createWebApp({
    env,
    db: t.app.db,
    log: pino({ level: 'silent' }),
    storage: createStorage({ driver: 'local', dir }),
  })
  const http = createHttpApp({
    app,
    sql: t.app.sql,
    build: () => Promise.reject(new Error('no Remix build in this test')),
    mode: 'production',
    trustProxy: false,
  })
  await new Promise<void>((r) => (server = http.listen(0, '127.0.0.1', r)))
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  const agency = await insertAgency(t.owner.db)
  const secrets = createSecretBox(KEY)
  const [account] = await t.owner.db.execute<{ id: string }>(
    sql`insert into whatsapp_accounts (agency_id, provider, label, phone_number_id, display_number, access_token_enc, app_secret_enc, verify_token_enc)
        values (${agency.id}, 'cloud_api', 'HTTP', '5550001111', '+5511955550000', ${secrets.seal('token')}, ${secrets.seal(SECRET)}, ${secrets.seal('verify-token')}) returning id`,
  )
  accountId = account!.id
})
afterAll(async () => {
  await new Promise((r) => server.close(r))
  await t.close()
  await rm(dir, { recursive: true, force: true })
})

const sign = (raw: string) => `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}`

describe('WhatsApp webhook over HTTP', () => {
  it('answers 404, never 500, for account ids that only look like uuids', async () => {
    const ids = [
      'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz',
      '------------------------------------',
      '0123456789abcdef0123456789abcdef----',
      'a-b-c-d-e-f-0123456789abcdef01234567',
      // Right shape, but version (9) and variant (c) digits no uuid has.
      '123e4567-e89b-92d3-c456-426614174000',
      '{123e4567-e89b-42d3-a456-426614174000}',
      'not-a-uuid',
    ]
    const body = '{"object":"whatsapp_business_account","entry":[]}'
    for (const id of ids) {
      const get = await fetch(
        `${base}/webhooks/whatsapp/${encodeURIComponent(id)}?hub.mode=subscribe&hub.verify_token=verify-token&hub.challenge=1`,
      )
      expect([id, get.status]).toEqual([id, 404])
      const post = await fetch(`${base}/webhooks/whatsapp/${encodeURIComponent(id)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body) },
        body,
      })
      expect([id, post.status]).toEqual([id, 404])
    }
    // The real account still answers.
    expect(
      (
        await fetch(
          `${base}/webhooks/whatsapp/${accountId}?hub.mode=subscribe&hub.verify_token=verify-token&hub.challenge=42`,
        )
      ).status,
    ).toBe(200)
    expect(
      (
        await fetch(`${base}/webhooks/whatsapp/${accountId}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body) },
          body,
        })
      ).status,
    ).toBe(200)
  })
})
