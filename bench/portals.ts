import { chmod, mkdtemp, rm } from 'node:fs/promises'
import type { Server as HttpServer } from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createStorage } from '@impera/api/storage'
import { createCaller, createContext } from '@impera/api'
import { appUrlFrom, createDb, sql } from '@impera/db'
import { freePort, startEmbeddedPostgres } from '@impera/db/embedded'
import { migrateDatabase } from '@impera/db/migrate'
import pino from 'pino'
import { grupoOlxPusher, sampleLead } from '../packages/api/tests/stand-ins/grupo-olx'
import { addMember, insertAgency, insertUser } from '../packages/db/src/testing/factories'
import { createWebApp } from '../apps/web/server/app'
import type { WebEnv } from '../apps/web/server/env'
import { createHttpApp } from '../apps/web/server/http'

/**
 * The portals' two doors on this machine (decisions 022, 023), over HTTP on the production app: (1) the listing feed of
 * an agency with 50,000 published listings (each with a photo), streamed to a reader — time to first byte, whole feed,
 * the server's memory while it streams, and the 304 of an up-to-date crawler — next to the bare SQL of the same keyset
 * pages; (2) Grupo OLX's lead push at a steady rate: how fast the door answers (the contract allows 5 s; our target is
 * 1 s), the push stored with its job.
 */
export interface PortalsBenchResult {
  feed: {
    listings: number
    bytes: number
    ttfb: number
    total: number
    bareSql: number
    ratio: number
    heapGrowthMb: number
    notModified: number
  }
  push: { rate: number; count: number; p50: number; p95: number; p99: number; max: number; refused: number }
}

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!
const round = (n: number) => Math.round(n * 10) / 10
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

export async function benchPortals(opts: {
  listings: number
  pushRate: number
  pushSeconds: number
  log: (m: string) => void
}): Promise<PortalsBenchResult> {
  const dir = await mkdtemp(path.join(tmpdir(), 'impera-bench-portals-'))
  await chmod(dir, 0o755)
  const server = await startEmbeddedPostgres({
    dataDir: path.join(dir, 'pg'),
    port: await freePort(),
    persistent: false,
    settings: { shared_buffers: '1GB' },
  })
  const appPassword = 'bench-app-password'
  const ownerUrl = server.ownerUrl()
  let http: HttpServer | null = null
  const cleanup: (() => Promise<unknown>)[] = []
  try {
    await migrateDatabase({ ownerUrl, appPassword })
    const owner = createDb(ownerUrl, { max: 2 })
    const app = createDb(appUrlFrom(ownerUrl, appPassword), { max: 10 })
    cleanup.push(
      () => owner.close(),
      () => app.close(),
    )
    const agency = await insertAgency(owner.db)
    const user = await insertUser(owner.db, { email: 'bench@example.test', password: 'bench password 1' })
    await addMember(owner.db, { agencyId: agency.id, userId: user.id, role: 'manager' })
    opts.log(`  seeding ${opts.listings.toLocaleString('en')} published listings…`)
    await owner.db.execute(sql`
      insert into properties (agency_id, code, title, type, purpose, sale_price, rent_price, condo_fee, built_area,
        bedrooms, bathrooms, parking_spaces, features, description, state, city, neighbourhood, street, number,
        publish_portals)
      select ${agency.id}, 'FD' || lpad(i::text, 6, '0'), 'Apartamento de ' || (40 + i % 80) || ' m² no bairro ' || (i % 50),
        'apartment', (array['sale','rent','both'])[1 + i % 3]::property_purpose, 30000000 + i * 1000, 200000 + i,
        50000, 40 + i % 80, 1 + i % 4, 1 + i % 3, i % 3, array['Piscina','Varanda'],
        'Imóvel claro e arejado, perto de comércio, escolas e transporte. Documentação em dia, aceita financiamento.',
        'SP', 'São Paulo', 'Bairro ' || (i % 50), 'Rua ' || i, (i % 999)::text, true
      from generate_series(1, ${opts.listings}) i`)
    await owner.db.execute(sql`
      insert into property_photos (agency_id, property_id, storage_key, thumb_key, width, height, bytes, position)
      select agency_id, id, agency_id || '/' || id || '.webp', agency_id || '/' || id || '_t.webp', 1200, 900, 100000, 0
      from properties where agency_id = ${agency.id}`)
    await owner.db.execute(sql`analyze properties; analyze property_photos`)

    const env = {
      NODE_ENV: 'production',
      SESSION_SECRET: ['b'.repeat(32)],
      origin: 'http://bench.test',
      devMailbox: false,
      SECRETS_KEY: Buffer.alloc(32, 9).toString('base64'),
      WHATSAPP_GRAPH_URL: 'http://127.0.0.1:9',
      WHATSAPP_GRAPH_VERSION: 'v21.0',
    } as unknown as WebEnv
    const storage = createStorage({ driver: 'local', dir })
    const web = createWebApp({ env, db: app.db, log: pino({ level: 'silent' }), storage })
    const expressApp = createHttpApp({
      app: web,
      sql: app.sql,
      build: () => Promise.reject(new Error('no Remix in the bench')),
      mode: 'production',
      trustProxy: false,
    })
    http = await new Promise<HttpServer>((r) => {
      const s = expressApp.listen(0, '127.0.0.1', () => r(s))
    })
    const base = `http://127.0.0.1:${(http.address() as { port: number }).port}`
    const caller = createCaller(
      createContext({
        db: app.db,
        auth: null as never,
        identity: { userId: user.id, email: 'bench@example.test', sessionId: null },
        unverifiedAgencyId: agency.id,
        request: new Request(base),
        requestId: 'bench',
        ip: null,
        log: pino({ level: 'silent' }),
        urls: { origin: base },
        secrets: web.secrets,
        whatsappGraph: null,
      }),
    )
    const feedUrl = `${base}${(await caller.portals.rotateFeed()).path}`

    opts.log('  feed: streaming it three times…')
    const runs: { ttfb: number; total: number; bytes: number; rss: number; etag: string }[] = []
    for (let i = 0; i < 3; i++) {
      const rss0 = process.memoryUsage().heapUsed
      let peak = rss0
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 20)
      const t0 = performance.now()
      const res = await fetch(feedUrl)
      const ttfb = performance.now() - t0
      let bytes = 0
      let listings = 0
      const decoder = new TextDecoder()
      // A tag may be split across chunks: the end of each chunk is carried into the next.
      let carry = ''
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        bytes += chunk.byteLength
        const text = carry + decoder.decode(chunk, { stream: true })
        listings += (text.match(/<Listing>/g) ?? []).length
        carry = text.slice(-8).includes('<') ? text.slice(text.lastIndexOf('<')) : ''
        if (carry === '<Listing>') carry = ''
      }
      const total = performance.now() - t0
      clearInterval(sampler)
      if (listings !== opts.listings) throw new Error(`the feed had ${listings} listings, not ${opts.listings}`)
      runs.push({ ttfb, total, bytes, rss: peak - rss0, etag: res.headers.get('etag')! })
    }
    // The bare SQL of the same walk: the keyset pages the feed reads, one after the other, nothing else.
    const bare: number[] = []
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now()
      let after = '00000000-0000-0000-0000-000000000000'
      for (;;) {
        const page = await owner.sql`
          select p.*, coalesce((select array_agg(ph.id order by ph.position, ph.id) from (select id, position from property_photos ph
            where ph.agency_id = p.agency_id and ph.property_id = p.id order by position, id limit 50) ph), '{}') as photo_ids
          from properties p where p.agency_id = ${agency.id} and p.publish_portals and p.deleted_at is null
            and p.status = 'available' and p.id > ${after} order by p.id limit 500`
        if (page.length < 500) break
        after = page.at(-1)!.id as string
      }
      bare.push(performance.now() - t0)
    }
    const notModified: number[] = []
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now()
      const res = await fetch(feedUrl, { headers: { 'if-none-match': runs[0]!.etag } })
      await res.arrayBuffer()
      if (res.status !== 304) throw new Error(`expected 304, got ${res.status}`)
      notModified.push(performance.now() - t0)
    }

    opts.log(`  lead push: ${opts.pushRate}/s for ${opts.pushSeconds}s…`)
    const door = await caller.portals.connect({ portal: 'grupo_olx' })
    const pusher = grupoOlxPusher({ url: `${base}${door.path}`, password: door.secret, retries: 0 })
    const latencies: number[] = []
    let refused = 0
    const pushes: Promise<void>[] = []
    const count = opts.pushRate * opts.pushSeconds
    const p0 = performance.now()
    for (let i = 0; i < count; i++) {
      const due = p0 + (i * 1000) / opts.pushRate
      const wait = due - performance.now()
      if (wait > 0) await new Promise((r) => setTimeout(r, wait))
      const lead = sampleLead({
        phone: `9${String(10_000_000 + i)}`,
        clientListingId: `FD${String(1 + i).padStart(6, '0')}`,
      })
      pushes.push(
        (async () => {
          const t0 = performance.now()
          const out = await pusher.push(lead)
          if (out.delivered) latencies.push(performance.now() - t0)
          else refused += 1
        })(),
      )
    }
    await Promise.all(pushes)
    latencies.sort((a, b) => a - b)
    const feedMedian = median(runs.map((r) => r.total))
    const bareMedian = median(bare)
    return {
      feed: {
        listings: opts.listings,
        bytes: runs[0]!.bytes,
        ttfb: round(median(runs.map((r) => r.ttfb))),
        total: round(feedMedian),
        bareSql: round(bareMedian),
        ratio: Math.round((feedMedian / bareMedian) * 100) / 100,
        heapGrowthMb: round(Math.max(...runs.map((r) => r.rss)) / 1024 / 1024),
        notModified: round(median(notModified)),
      },
      push: {
        rate: opts.pushRate,
        count,
        p50: round(pct(latencies, 50)),
        p95: round(pct(latencies, 95)),
        p99: round(pct(latencies, 99)),
        max: round(latencies.at(-1) ?? 0),
        refused,
      },
    }
  } finally {
    if (http) await new Promise((r) => http!.close(r))
    for (const fn of cleanup.reverse()) await fn().catch(() => {})
    await server.stop().catch(() => {})
    await rm(dir, { recursive: true, force: true })
  }
}
