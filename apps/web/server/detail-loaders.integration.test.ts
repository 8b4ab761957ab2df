import { existsSync } from 'node:fs'
import type { Server } from 'node:http'
import path from 'node:path'
import { Writable } from 'node:stream'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createStorage } from '@impera/api/storage'
import { addMember, createTestDatabase, insertAgency, insertUser, type TestDatabase } from '@impera/db/testing'
import type { ServerBuild } from '@remix-run/node'
import pino from 'pino'
import { tsImport } from 'tsx/esm/api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createWebApp } from './app'
import type { WebEnv } from './env'
import { createHttpApp } from './http'

/**
 * The detail and edit pages of records and conversations answer 404 only when their procedure says NOT_FOUND. Any
 * other failure keeps its own status (a malformed id is the procedure's 400) or is the server's (a 500, logged), never
 * disguised as a missing record.
 */
const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const PASSWORD = 'correct horse battery'
const detailPages = [
  '/app/leads/:id',
  '/app/leads/:id/edit',
  '/app/clients/:id',
  '/app/clients/:id/edit',
  '/app/properties/:id',
  '/app/properties/:id/edit',
  '/app/inbox/:id',
]

let t: TestDatabase
let server: Server
let base: string
let cookie: string
const errorLogs: { msg?: string; path?: string }[] = []

const page = (p: string) => fetch(`${base}${p}`, { headers: { cookie }, redirect: 'manual' })

beforeAll(async () => {
  const serverBuild = path.join(WEB, 'build/server/index.js')
  if (!existsSync(serverBuild)) throw new Error('apps/web is not built: run `pnpm build` first (pnpm test does).')
  // Loaded by Node itself, as server/main.ts does in production (see security.integration.test.ts).
  const build = (await tsImport(pathToFileURL(serverBuild).href, import.meta.url)) as ServerBuild
  t = await createTestDatabase()
  const agency = await insertAgency(t.owner.db)
  const user = await insertUser(t.owner.db, { email: 'gestora@example.test', password: PASSWORD })
  await addMember(t.owner.db, { agencyId: agency.id, userId: user.id, role: 'manager' })
  const log = pino(
    { level: 'error' },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        errorLogs.push(JSON.parse(chunk.toString()) as { msg?: string; path?: string })
        done()
      },
    }),
  )
  const env = {
    NODE_ENV: 'production',
    SESSION_SECRET: ['x'.repeat(32)],
    origin: 'http://placeholder',
    devMailbox: false,
    SECRETS_KEY: Buffer.alloc(32, 5).toString('base64'),
    WHATSAPP_GRAPH_URL: 'http://127.0.0.1:9',
    WHATSAPP_GRAPH_VERSION: 'v21.0',
  } as unknown as WebEnv
  const app = createWebApp({
    env,
    db: t.app.db,
    log,
    storage: createStorage({ driver: 'local', dir: '/tmp/impera-detail-loaders-test' }),
  })
  const http = createHttpApp({ app, sql: t.app.sql, build: async () => build, mode: 'production', trustProxy: false })
  server = await new Promise<Server>((r) => {
    const s = http.listen(0, '127.0.0.1', () => r(s))
  })
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  ;(app.env as { origin: string }).origin = base
  const signIn = await app.auth.signIn(new Request(base), { email: 'gestora@example.test', password: PASSWORD })
  cookie = `${signIn.headers.get('set-cookie')!.split(';')[0]}; impera_agency=${agency.id}`
})

afterAll(async () => {
  if (server) await new Promise((r) => server.close(r))
  await t?.close()
})

describe('detail and edit loaders', () => {
  it('answer 404 for a record that does not exist', async () => {
    const id = '0b9d6d8e-4c1a-4f6e-9a57-3f1f2b7c8d90'
    for (const p of detailPages) expect([p, (await page(p.replace(':id', id))).status]).toEqual([p, 404])
  })

  it('answer the procedure’s 400 for an id that is not one, not a 404', async () => {
    for (const p of detailPages) expect([p, (await page(p.replace(':id', 'not-an-id'))).status]).toEqual([p, 400])
    expect(errorLogs).toEqual([])
  })

  it('answer a logged 500 when the database fails, not a 404', async () => {
    const created = await fetch(`${base}/api/trpc/leads.create`, {
      method: 'POST',
      headers: { cookie, origin: base, 'content-type': 'application/json' },
      body: JSON.stringify({ data: { name: 'Lead Existente', phones: ['+55 11 98888-7777'] } }),
    })
    expect(created.status, JSON.stringify(errorLogs).slice(0, 2000)).toBe(200)
    const { id } = ((await created.json()) as { result: { data: { id: string } } }).result.data
    expect((await page(`/app/leads/${id}`)).status).toBe(200)
    // The lead is there; reading its notes is refused by the database, as a broken migration or grant would be.
    await t.owner.sql.unsafe('revoke select on lead_notes from app_rls')
    try {
      expect((await page(`/app/leads/${id}`)).status).toBe(500)
      expect(errorLogs.some((l) => l.path === `/app/leads/${id}`)).toBe(true)
    } finally {
      await t.owner.sql.unsafe('grant select on lead_notes to app_rls')
    }
    expect((await page(`/app/leads/${id}`)).status).toBe(200)
  })
})
