import { addMember, createTestDatabase, insertAgency, insertUser, type TestDatabase } from '@impera/db/testing'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { networkInterfaces } from 'node:os'
import { devMailbox } from '@impera/db/schema'
import { createStorage } from '@impera/api/storage'
import type { EntryContext, ServerBuild } from '@remix-run/node'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as mailboxRoute from '../app/routes/dev.mailbox'
import { createWebApp } from './app'
import type { WebEnv } from './env'
import { createHttpApp } from './http'

/**
 * /dev/mailbox holds every agency's invitation and password-reset links, so it answers only this machine (or a
 * signed-in platform admin), judged by the client address the server derives. Through the real HTTP app, with a
 * server build of just the mailbox route whose document renderer returns the loader's data.
 */
const RESET_LINK = 'http://crm.test/reset-password/secret-token-of-another-agency'

const build = {
  mode: 'production',
  entry: {
    module: {
      default: (_request: Request, status: number, _headers: Headers, context: EntryContext) =>
        new Response(JSON.stringify(context.staticHandlerContext.loaderData), {
          status,
          headers: { 'content-type': 'application/json' },
        }),
    },
  },
  routes: {
    root: { id: 'root', path: '', module: {} },
    'routes/dev.mailbox': { id: 'routes/dev.mailbox', parentId: 'root', path: 'dev/mailbox', module: mailboxRoute },
  },
  assets: { entry: { module: '/entry.js', imports: [] }, routes: {}, url: '/manifest.js', version: 'test' },
  publicPath: '/',
  assetsBuildDirectory: 'build/client',
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_singleFetch: true,
    v3_lazyRouteDiscovery: true,
  },
  isSpaMode: false,
} as unknown as ServerBuild

let t: TestDatabase
const servers: Server[] = []
let adminCookie: string
let managerCookie: string

/** The HTTP app on `host`, trusting a proxy's X-Forwarded-For or not. */
async function serve(opts: { trustProxy: boolean; host: string }) {
  const env = {
    NODE_ENV: 'test',
    SESSION_SECRET: ['m'.repeat(32)],
    origin: 'http://crm.test',
    devMailbox: true,
    SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
    WHATSAPP_GRAPH_URL: 'http://127.0.0.1:9',
    WHATSAPP_GRAPH_VERSION: 'v21.0',
  } as unknown as WebEnv
  const app = createWebApp({
    env,
    db: t.app.db,
    log: pino({ level: 'silent' }),
    storage: createStorage({ driver: 'local', dir: '/nonexistent' }),
  })
  const http = createHttpApp({
    app,
    sql: t.app.sql,
    build: async () => build,
    mode: 'production',
    trustProxy: opts.trustProxy,
  })
  const server = await new Promise<Server>((resolve) => {
    const s = http.listen(0, opts.host, () => resolve(s))
  })
  servers.push(server)
  return { app, port: (server.address() as AddressInfo).port }
}

let proxied: { app: ReturnType<typeof createWebApp>; port: number }

beforeAll(async () => {
  t = await createTestDatabase()
  await t.owner.db
    .insert(devMailbox)
    .values({ to: 'gestora@outra.test', subject: 'Redefinir senha', text: `Abra ${RESET_LINK}` })
  const admin = await insertUser(t.owner.db, { email: 'admin@impera.test', isPlatformAdmin: true })
  const manager = await insertUser(t.owner.db, { email: 'gestor@impera.test' })
  await addMember(t.owner.db, { agencyId: (await insertAgency(t.owner.db)).id, userId: manager.id, role: 'manager' })
  proxied = await serve({ trustProxy: true, host: '127.0.0.1' })
  const cookieOf = async (email: string) =>
    (
      await proxied.app.auth.signIn(new Request('http://crm.test'), { email, password: 'correct horse battery' })
    ).headers
      .get('set-cookie')!
      .split(';')[0]!
  adminCookie = await cookieOf(admin.email)
  managerCookie = await cookieOf(manager.email)
})
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))))
  await t.close()
})

const mailbox = (port: number, headers: Record<string, string> = {}, host = '127.0.0.1') =>
  fetch(`http://${host}:${port}/dev/mailbox`, { headers })

describe('/dev/mailbox', () => {
  it('shows the mail to a request from this machine', async () => {
    const r = await mailbox(proxied.port)
    expect(r.status).toBe(200)
    expect(await r.text()).toContain(RESET_LINK)
  })

  it('is not found for a client elsewhere, whatever address header it sends itself', async () => {
    const attempts: Record<string, string>[] = [
      { 'x-forwarded-for': '203.0.113.9' },
      { 'x-forwarded-for': '203.0.113.9', 'x-impera-client-ip': '127.0.0.1' },
      { 'x-forwarded-for': '::ffff:10.1.2.3' },
    ]
    for (const headers of attempts) {
      const r = await mailbox(proxied.port, headers)
      expect(r.status, JSON.stringify(headers)).toBe(404)
      expect(await r.text()).not.toContain(RESET_LINK)
    }
  })

  it('is not found for a signed-in agency manager elsewhere, and shown to a platform admin', async () => {
    const elsewhere = { 'x-forwarded-for': '203.0.113.9' }
    expect((await mailbox(proxied.port, { ...elsewhere, cookie: managerCookie })).status).toBe(404)
    const r = await mailbox(proxied.port, { ...elsewhere, cookie: adminCookie })
    expect(r.status).toBe(200)
    expect(await r.text()).toContain(RESET_LINK)
  })

  // This machine's own non-loopback address, when it has one: the connection then really comes from elsewhere than
  // loopback, with no proxy involved (the default, TRUST_PROXY off, where a forwarded-for header is ignored).
  const external = Object.values(networkInterfaces())
    .flat()
    .find((a) => a && !a.internal && a.family === 'IPv4')?.address
  it.skipIf(!external)('is not found over a non-loopback connection, with no proxy trusted', async () => {
    const direct = await serve({ trustProxy: false, host: '0.0.0.0' })
    const r = await mailbox(direct.port, { 'x-forwarded-for': '127.0.0.1' }, external)
    expect(r.status).toBe(404)
    expect(await r.text()).not.toContain(RESET_LINK)
    expect((await mailbox(direct.port)).status).toBe(200)
  })
})
