import { createTestDatabase, insertAgency, insertUser, addMember, type TestDatabase } from '@impera/db/testing'
import type { Server } from 'node:http'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createWebApp } from './app'
import type { WebEnv } from './env'
import { createHttpApp } from './http'

let t: TestDatabase
let server: Server
let base: string
let cookie: string

beforeAll(async () => {
  t = await createTestDatabase()
  const agency = await insertAgency(t.owner.db)
  const user = await insertUser(t.owner.db, { email: 'gestor@example.test', password: 'correct horse battery' })
  await addMember(t.owner.db, { agencyId: agency.id, userId: user.id, role: 'manager' })
  const env = { NODE_ENV: 'test', SESSION_SECRET: ['x'.repeat(32)], origin: 'http://crm.test', devMailbox: false } as unknown as WebEnv
  const app = createWebApp({ env, db: t.app.db, log: pino({ level: 'silent' }) })
  const http = createHttpApp({ app, sql: t.app.sql, build: () => Promise.reject(new Error('no Remix build in this test')), mode: 'production', trustProxy: false })
  await new Promise<void>((r) => (server = http.listen(0, '127.0.0.1', r)))
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  const signIn = await app.auth.signIn(new Request(base), { email: 'gestor@example.test', password: 'correct horse battery' })
  cookie = `${signIn.headers.get('set-cookie')!.split(';')[0]}; impera_agency=${agency.id}`
})
afterAll(async () => {
  await new Promise((r) => server.close(r))
  await t.close()
})

const trpc = (path: string, input: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/api/trpc/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(input) })

describe('HTTP server', () => {
  it('answers health and readiness, with a request id', async () => {
    const health = await fetch(`${base}/healthz`)
    expect(health.status).toBe(200)
    expect(health.headers.get('x-request-id')).toMatch(/[0-9a-f-]{36}/)
    const ready = await fetch(`${base}/readyz`)
    expect(await ready.json()).toEqual({ ok: true, database: 'up', pendingMigrations: 0 })
  })

  it('serves tRPC: 401 without a session, 200 with one', async () => {
    expect((await fetch(`${base}/api/trpc/members.list`)).status).toBe(401)
    const ok = await fetch(`${base}/api/trpc/members.list`, { headers: { cookie } })
    expect(ok.status).toBe(200)
    expect(JSON.stringify(await ok.json())).toContain('gestor@example.test')
  })

  it('turns bad input into a 400 with field errors, never a 500', async () => {
    const bad = await trpc('members.invite', { email: 'not-an-email', role: 'agent' }, { cookie })
    expect(bad.status).toBe(400)
    const body = (await bad.json()) as { error: { data: { fieldErrors: Record<string, string[]> } } }
    expect(body.error.data.fieldErrors.email).toEqual(['validation.email'])
    const huge = await trpc('profile.update', { name: 'x'.repeat(10_000), phone: null, locale: 'pt-BR' }, { cookie })
    expect(huge.status).toBe(400)
    const garbage = await fetch(`${base}/api/trpc/profile.update`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: '{not json' })
    expect(garbage.status).toBe(400)
  })

  it('refuses oversized bodies with 413', async () => {
    const r = await trpc('profile.update', { name: 'x'.repeat(2 * 1024 * 1024) }, { cookie })
    expect(r.status).toBe(413)
  })

  it('does not leak internal messages', async () => {
    const r = await fetch(`${base}/api/trpc/agency.get`, { headers: { cookie: cookie.replace(/impera_agency=[^;]+/, 'impera_agency=not-a-uuid') } })
    expect(r.status).toBe(403)
  })
})
