import { chmod, mkdir } from 'node:fs/promises'
import type { Server as HttpServer } from 'node:http'
import path from 'node:path'
import { createCaller, createContext } from '@impera/api'
import { createStorage } from '@impera/api/storage'
import { createSecretBox } from '@impera/api/whatsapp'
import { appUrlFrom, createDb } from '@impera/db'
import { freePort, startEmbeddedPostgres } from '@impera/db/embedded'
import { migrateDatabase } from '@impera/db/migrate'
import { SCALE_PASSWORD, seedScale, type Scale } from '@impera/db/seed'
import pino from 'pino'
import postgres from 'postgres'
import { createWebApp } from '../apps/web/server/app'
import type { WebEnv } from '../apps/web/server/env'
import { createHttpApp } from '../apps/web/server/http'

/**
 * The public API's lists against the same tRPC procedures, both over HTTP on one in-process server (the web app's
 * Express stack, loopback), in the scale seed's largest agency: the same filters, alternating call by call so a slow
 * spell of this shared machine weighs on both. The API adds the key lookup and the rate-limit bucket (two small
 * statements) where tRPC reads the session and the membership; the target is a median within 1.2× (decision 017).
 */
export interface PublicApiFigure {
  name: string
  trpcP50: number
  trpcP95: number
  apiP50: number
  apiP95: number
  ratio: number
}

const ROOT = path.resolve(import.meta.dirname, '..')
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!
const round = (n: number) => Math.round(n * 10) / 10

export async function benchPublicApi(opts: { scale: Scale; iterations: number; log: (m: string) => void }) {
  const dataDir = path.join(ROOT, '.data', `bench-${opts.scale}`)
  await mkdir(dataDir, { recursive: true })
  await chmod(dataDir, 0o777)
  const server = await startEmbeddedPostgres({
    dataDir: path.join(dataDir, 'pg'),
    port: await freePort(),
    password: 'bench',
    persistent: true,
    settings: { shared_buffers: '1GB' },
  })
  const appPassword = 'bench-app-password'
  const ownerUrl = server.ownerUrl()
  const owner = postgres(ownerUrl, { max: 1, onnotice: () => {} })
  const app = createDb(appUrlFrom(ownerUrl, appPassword), { max: 10 })
  let http: HttpServer | null = null
  try {
    await migrateDatabase({ ownerUrl, appPassword })
    const [loaded] = await owner`select count(*)::int as n from agencies where slug = ${`escala-${opts.scale}-1`}`
    if (!loaded!.n) await seedScale(owner, opts.scale, (m) => opts.log(`  seed: ${m}`))
    const [agency] = await owner`select id from agencies where slug = ${`escala-${opts.scale}-1`}`
    const agencyId = agency!.id as string
    const [manager] =
      await owner`select m.user_id, u.email from memberships m join users u on u.id = m.user_id where m.agency_id = ${agencyId} and m.role = 'manager'`
    const secrets = createSecretBox(Buffer.alloc(32, 5).toString('base64'))
    const caller = createCaller(
      createContext({
        db: app.db,
        auth: null as never,
        identity: { userId: manager!.user_id as string, email: manager!.email as string, sessionId: null },
        unverifiedAgencyId: agencyId,
        request: new Request('http://bench/'),
        requestId: 'bench',
        ip: null,
        log: pino({ level: 'silent' }),
        urls: { origin: 'http://bench' },
        secrets,
        whatsappGraph: null,
      }),
    )
    const scopes = ['leads:read', 'clients:read', 'properties:read', 'conversations:read'] as const
    const { key } = await caller.integrations.create({ name: `Bench ${Date.now()}`, scopes: [...scopes] })
    const web = createWebApp({
      env: {
        NODE_ENV: 'production',
        SESSION_SECRET: ['b'.repeat(32)],
        origin: 'http://bench.test',
        devMailbox: false,
        SECRETS_KEY: Buffer.alloc(32, 5).toString('base64'),
      } as unknown as WebEnv,
      db: app.db,
      log: pino({ level: 'silent' }),
      storage: createStorage({ driver: 'local', dir: path.join(dataDir, 'uploads') }),
    })
    const expressApp = createHttpApp({
      app: web,
      sql: app.sql,
      build: () => Promise.reject(new Error('no pages in this benchmark')),
      mode: 'production',
      trustProxy: false,
    })
    http = await new Promise<HttpServer>((r) => {
      const s = expressApp.listen(0, '127.0.0.1', () => r(s))
    })
    const base = `http://127.0.0.1:${(http.address() as { port: number }).port}`
    const signIn = await web.auth.signIn(new Request(base), {
      email: manager!.email as string,
      password: SCALE_PASSWORD,
    })
    const cookie = `${signIn.headers.get('set-cookie')!.split(';')[0]}; impera_agency=${agencyId}`
    const timed = async (url: string, headers: Record<string, string>) => {
      const t0 = performance.now()
      const res = await fetch(url, { headers })
      await res.arrayBuffer()
      if (res.status !== 200) throw new Error(`${url} → ${res.status}`)
      return performance.now() - t0
    }
    const trpc = (proc: string, input: unknown) =>
      timed(`${base}/api/trpc/${proc}?input=${encodeURIComponent(JSON.stringify(input))}`, { cookie })
    const rest = (p: string) => timed(`${base}/api/v1${p}`, { authorization: `Bearer ${key.key}` })
    const since = new Date(Date.parse('2026-12-01T12:00:00Z') - 90 * 86_400_000)
    const cases: [string, () => Promise<number>, () => Promise<number>][] = [
      [
        'leads list: 3 filters + search',
        () =>
          trpc('leads.list', {
            status: ['new', 'contacted'],
            source: ['portal', 'website'],
            createdFrom: since,
            q: 'silva',
          }),
        () => rest(`/leads?status=new,contacted&source=portal,website&createdFrom=${since.toISOString()}&q=silva`),
      ],
      ['leads list: first page', () => trpc('leads.list', {}), () => rest('/leads')],
      ['clients list', () => trpc('clients.list', {}), () => rest('/clients')],
      [
        'property search',
        () => trpc('properties.list', { q: 'pinheiros', status: ['available'], minBedrooms: 2 }),
        () => rest('/properties?q=pinheiros&status=available&minBedrooms=2'),
      ],
      ['conversation list', () => trpc('whatsapp.conversations', {}), () => rest('/conversations')],
    ]
    const figures: PublicApiFigure[] = []
    for (const [name, viaTrpc, viaApi] of cases) {
      for (let i = 0; i < 3; i++) await Promise.all([viaTrpc(), viaApi()])
      const t: number[] = []
      const a: number[] = []
      for (let i = 0; i < opts.iterations; i++) {
        t.push(await viaTrpc())
        a.push(await viaApi())
      }
      const f = {
        name,
        trpcP50: round(pct(t, 50)),
        trpcP95: round(pct(t, 95)),
        apiP50: round(pct(a, 50)),
        apiP95: round(pct(a, 95)),
        ratio: Number((pct(a, 50) / pct(t, 50)).toFixed(2)),
      }
      figures.push(f)
      opts.log(
        `  ${name}: tRPC p50 ${f.trpcP50} ms (p95 ${f.trpcP95}), /api/v1 p50 ${f.apiP50} ms (p95 ${f.apiP95}), ×${f.ratio}`,
      )
    }
    return { scale: opts.scale, iterations: opts.iterations, figures }
  } finally {
    if (http) await new Promise((r) => http!.close(r))
    await app.sql.end({ timeout: 5 })
    await owner.end({ timeout: 5 })
    await server.stop().catch(() => {})
  }
}
export type PublicApiBenchResult = Awaited<ReturnType<typeof benchPublicApi>>
