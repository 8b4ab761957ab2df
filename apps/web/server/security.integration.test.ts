import { existsSync } from 'node:fs'
import { request, type Server } from 'node:http'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createStorage } from '@impera/api/storage'
import { addMember, createTestDatabase, insertAgency, insertUser, type TestDatabase } from '@impera/db/testing'
import type { ServerBuild } from '@remix-run/node'
import pg from 'pg'
import pino from 'pino'
import { tsImport } from 'tsx/esm/api'
import { io as connect } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createWebApp } from './app'
import type { WebEnv } from './env'
import { createHttpApp, MAX_BATCH_SIZE } from './http'
import { attachLive } from './live'
import { UPLOAD_MAX_BYTES } from './media'

/**
 * The web-security basics against the production Remix build: headers and a nonce-based policy, cross-origin
 * requests refused, sign-out only by POST, bodies limited while they stream, batches capped, safe redirects.
 */
const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const PASSWORD = 'correct horse battery'

let t: TestDatabase
let build: ServerBuild
const servers: { server: Server; close: () => Promise<void> }[] = []
let base: string
let cookie: string

async function start(origin: string | null) {
  const env = {
    NODE_ENV: 'production',
    SESSION_SECRET: ['x'.repeat(32)],
    origin: origin ?? 'http://placeholder',
    devMailbox: false,
    SECRETS_KEY: Buffer.alloc(32, 5).toString('base64'),
    WHATSAPP_GRAPH_URL: 'http://127.0.0.1:9',
    WHATSAPP_GRAPH_VERSION: 'v21.0',
  } as unknown as WebEnv
  const app = createWebApp({
    env,
    db: t.app.db,
    log: pino({ level: 'silent' }),
    storage: createStorage({ driver: 'local', dir: '/tmp/impera-security-test' }),
  })
  const http = createHttpApp({ app, sql: t.app.sql, build: async () => build, mode: 'production', trustProxy: false })
  const server = await new Promise<Server>((r) => {
    const s = http.listen(0, '127.0.0.1', () => r(s))
  })
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  // The public URL is the server's own address unless a test wants another (HSTS behind TLS).
  if (!origin) (app.env as { origin: string }).origin = url
  const pool = new pg.Pool({ connectionString: t.appUrl, max: 2 })
  const io = attachLive(server, app, pool)
  servers.push({ server, close: async () => (await io.close(), await pool.end()) })
  return { url, app }
}

beforeAll(async () => {
  const serverBuild = path.join(WEB, 'build/server/index.js')
  if (!existsSync(serverBuild)) throw new Error('apps/web is not built: run `pnpm build` first (pnpm test does).')
  // Loaded by Node itself (with tsx for the workspace's TypeScript), as server/main.ts does in production: Vitest's
  // own module runner cannot resolve the build's dependencies from apps/web.
  build = (await tsImport(pathToFileURL(serverBuild).href, import.meta.url)) as ServerBuild
  t = await createTestDatabase()
  const agency = await insertAgency(t.owner.db)
  const user = await insertUser(t.owner.db, { email: 'gestora@example.test', password: PASSWORD })
  await addMember(t.owner.db, { agencyId: agency.id, userId: user.id, role: 'manager' })
  const { url, app } = await start(null)
  base = url
  const signIn = await app.auth.signIn(new Request(base), { email: 'gestora@example.test', password: PASSWORD })
  cookie = `${signIn.headers.get('set-cookie')!.split(';')[0]}; impera_agency=${agency.id}`
})

afterAll(async () => {
  for (const s of servers) {
    await s.close()
    await new Promise((r) => s.server.close(r))
  }
  await t?.close()
})

/**
 * Streams a chunked body (no Content-Length) of `bytes` and resolves with the status as soon as the server answers:
 * a server that cuts the body off answers before it ends, and writes after that may fail, as they would for a browser.
 */
function postChunked(p: string, contentType: string, bytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${p}`, {
      method: 'POST',
      headers: { cookie, 'content-type': contentType, 'transfer-encoding': 'chunked' },
    })
    let answered = false
    req.on('response', (res) => {
      answered = true
      res.resume()
      resolve(res.statusCode!)
    })
    req.on('error', (e) => (answered ? undefined : reject(e)))
    const chunk = Buffer.alloc(256 * 1024, 97)
    let sent = 0
    const write = () => {
      while (!answered && sent < bytes) {
        sent += chunk.length
        if (!req.write(chunk)) return void req.once('drain', write)
      }
      if (!answered) req.end()
    }
    write()
  })
}

describe('response headers', () => {
  it('pages carry a nonce-based policy and the nonce is on every script', async () => {
    const r = await fetch(`${base}/login`)
    expect(r.status).toBe(200)
    const csp = r.headers.get('content-security-policy')!
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1]
    expect(nonce).toBeTruthy()
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).toContain("object-src 'none'")
    expect(csp).not.toContain('unsafe-eval')
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/)
    const html = await r.text()
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])
    expect(scripts.length).toBeGreaterThan(0)
    for (const s of scripts) expect(s).toContain(`nonce="${nonce}"`)
    // A new nonce per response.
    const again = (await fetch(`${base}/login`)).headers.get('content-security-policy')!
    expect(again).not.toContain(nonce!)
    expect(r.headers.get('x-content-type-options')).toBe('nosniff')
    expect(r.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
    expect(r.headers.get('permissions-policy')).toContain('camera=()')
    expect(r.headers.get('x-frame-options')).toBe('DENY')
    expect(r.headers.get('strict-transport-security')).toBeNull()
  })

  it('signed-in pages and API answers are never cached', async () => {
    const page = await fetch(`${base}/app`, { headers: { cookie } })
    expect(page.status).toBe(200)
    expect(page.headers.get('cache-control')).toBe('private, no-store')
    const api = await fetch(`${base}/api/trpc/agency.get`, { headers: { cookie } })
    expect(api.headers.get('cache-control')).toBe('private, no-store')
  })

  it('sends HSTS when the public URL is https (behind TLS)', async () => {
    const { url } = await start('https://crm.example')
    const r = await fetch(`${url}/login`)
    expect(r.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains')
    expect(r.headers.get('content-security-policy')).toContain('upgrade-insecure-requests')
  })
})

describe('cross-origin requests', () => {
  const mutation = (headers: Record<string, string>) =>
    fetch(`${base}/api/trpc/profile.setLocale`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ locale: 'en' }),
    })

  it('refuses tRPC mutations from another origin, as JSON or as a form', async () => {
    expect((await mutation({ origin: 'https://evil.example' })).status).toBe(403)
    expect((await mutation({ origin: 'null' })).status).toBe(403)
    expect((await mutation({ 'sec-fetch-site': 'cross-site' })).status).toBe(403)
    const form = new FormData()
    form.append('locale', 'en')
    const multipart = await fetch(`${base}/api/trpc/profile.setLocale`, {
      method: 'POST',
      headers: { cookie, origin: 'https://evil.example' },
      body: form,
    })
    expect(multipart.status).toBe(403)
    expect((await mutation({ origin: base })).status).toBe(200)
    expect((await mutation({})).status).toBe(200)
  })

  it('answers a Remix action from another origin with 403, not Remix’s 500', async () => {
    const body = new URLSearchParams({ email: 'gestora@example.test', password: PASSWORD })
    const r = await fetch(`${base}/login`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body,
      redirect: 'manual',
    })
    expect(r.status).toBe(403)
    // A forwarded host from an untrusted client no longer trips Remix's own check either.
    const forwarded = await fetch(`${base}/login`, {
      method: 'POST',
      headers: {
        origin: base,
        'x-forwarded-host': 'other.example',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ email: 'x@example.test', password: 'wrong' }),
      redirect: 'manual',
    })
    expect(forwarded.status).toBe(400)
  })

  it('refuses a live socket opened by another origin', async () => {
    const open = (origin: string) =>
      new Promise<string>((resolve) => {
        const s = connect(base, {
          path: '/socket.io',
          transports: ['websocket'],
          extraHeaders: { cookie, origin },
          reconnection: false,
        })
        s.on('connect', () => (s.close(), resolve('connected')))
        s.on('connect_error', () => (s.close(), resolve('refused')))
      })
    expect(await open('https://evil.example')).toBe('refused')
    expect(await open(base)).toBe('connected')
  })
})

describe('sign-out', () => {
  it('GET /logout shows a form and keeps the session; POST signs out', async () => {
    const { url, app } = await start(null)
    const signIn = await app.auth.signIn(new Request(url), { email: 'gestora@example.test', password: PASSWORD })
    const session = signIn.headers.get('set-cookie')!.split(';')[0]!
    const page = await fetch(`${url}/logout`, { headers: { cookie: session }, redirect: 'manual' })
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('method="post"')
    expect((await fetch(`${url}/api/trpc/profile.me`, { headers: { cookie: session } })).status).toBe(200)
    const out = await fetch(`${url}/logout`, {
      method: 'POST',
      headers: { cookie: session, origin: url, 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
      redirect: 'manual',
    })
    expect(out.status).toBe(302)
    expect((await fetch(`${url}/api/trpc/profile.me`, { headers: { cookie: session } })).status).toBe(401)
  })
})

describe('request limits', () => {
  it('cuts off chunked bodies over the limit while they stream: tRPC, Remix actions, uploads', async () => {
    expect(await postChunked('/api/trpc/leads.create', 'application/json', 3 * 1024 * 1024)).toBe(413)
    expect(await postChunked('/app/leads/new', 'application/x-www-form-urlencoded', 3 * 1024 * 1024)).toBe(413)
    expect(
      await postChunked(
        '/uploads/properties/00000000-0000-4000-8000-000000000000/photos',
        'multipart/form-data; boundary=x',
        UPLOAD_MAX_BYTES + 4 * 1024 * 1024,
      ),
    ).toBe(413)
    // Within the limit, a chunked body is read as usual.
    const small = await fetch(`${base}/api/trpc/profile.setLocale`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: new Blob([JSON.stringify({ locale: 'pt-BR' })]).stream(),
      duplex: 'half',
    } as RequestInit)
    expect(small.status).toBe(200)
  })

  it('caps tRPC batches', async () => {
    const paths = (n: number) => Array(n).fill('agency.get').join(',')
    const input = (n: number) =>
      encodeURIComponent(JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [i, null]))))
    expect(
      (
        await fetch(`${base}/api/trpc/${paths(MAX_BATCH_SIZE)}?batch=1&input=${input(MAX_BATCH_SIZE)}`, {
          headers: { cookie },
        })
      ).status,
    ).toBe(200)
    expect(
      (
        await fetch(`${base}/api/trpc/${paths(MAX_BATCH_SIZE + 1)}?batch=1&input=${input(MAX_BATCH_SIZE + 1)}`, {
          headers: { cookie },
        })
      ).status,
    ).toBe(400)
  })
})

describe('redirects after sign-in', () => {
  it.each([
    ['/\t/evil.example', '/app'],
    ['//evil.example', '/app'],
    ['/\\evil.example', '/app'],
    ['/😀', '/%F0%9F%98%80'],
    ['/app/leads?status=new', '/app/leads?status=new'],
  ])('redirectTo %j → %s', async (redirectTo, expected) => {
    const body = new URLSearchParams({ email: 'gestora@example.test', password: PASSWORD, redirectTo })
    const r = await fetch(`${base}/login`, {
      method: 'POST',
      headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded' },
      body,
      redirect: 'manual',
    })
    expect(r.status).toBe(302)
    expect(r.headers.get('location')).toBe(expected)
  })
})
