import { existsSync } from 'node:fs'
import { chmod, mkdir } from 'node:fs/promises'
import { createServer, type Server as HttpServer } from 'node:http'
import path from 'node:path'
import { createCaller, createContext } from '@impera/api'
import { createStorage } from '@impera/api/storage'
import { appUrlFrom, createDb } from '@impera/db'
import { freePort, startEmbeddedPostgres } from '@impera/db/embedded'
import { migrateDatabase } from '@impera/db/migrate'
import { SCALE_PASSWORD, seedScale, type Scale } from '@impera/db/seed'
import pino from 'pino'
import postgres from 'postgres'
import { createWebApp } from '../apps/web/server/app'
import type { WebEnv } from '../apps/web/server/env'
import { createHttpApp } from '../apps/web/server/http'
import { createSecretBox } from '@impera/api/whatsapp'
import { closedLoop, sendRequest, type LoadRequest } from './closed-loop'

/**
 * Query figures on the scale seed, in its largest agency (20% of all leads): each case runs through the real tRPC
 * router in-process (the procedure, its tenant transaction, validation, serialisation), and the very statements it
 * sent are replayed as bare SQL on the same database in one transaction; the ratio is our overhead. Plus the
 * server-rendered leads page's time to first byte over HTTP, and a mixed load of 50 concurrent users.
 * The seeded database is kept under .data/bench-<scale> so later runs skip the seed.
 */
interface QueryFigure {
  name: string
  p50: number
  p95: number
  p99: number
  perSecond: number
  bareP50: number
  ratio: number
}

const ROOT = path.resolve(import.meta.dirname, '..')
type ServerBuild = Awaited<ReturnType<Parameters<typeof createHttpApp>[0]['build']>>
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!
const round = (n: number) => Math.round(n * 10) / 10

/** The mixed load run (issue 19): ours over HTTP, and a minimal handler running the same statements (`bare`). */
interface LoadRun {
  users: number
  seconds: number
  requests: number
  perSecond: number
  p95: number
  errors: number
  bare: { requests: number; perSecond: number; p95: number }
  /** The same users, each pausing `thinkMs` after an answer before its next request. */
  paced?: { thinkMs: number; requests: number; perSecond: number; p50: number; p95: number; errors: number }
  target: { p95: number }
}

export async function benchQueries(opts: { scale: Scale; iterations: number; log: (m: string) => void }) {
  const dataDir = path.join(ROOT, '.data', `bench-${opts.scale}`)
  await mkdir(dataDir, { recursive: true })
  await chmod(dataDir, 0o777)
  // Test clusters run with 128 MB of shared buffers; a server holding a database this size would be given more (a
  // quarter of this machine's memory is the usual rule; 1 GB is well under it), so the benchmark does too.
  const server = await startEmbeddedPostgres({
    dataDir: path.join(dataDir, 'pg'),
    port: await freePort(),
    password: 'bench',
    persistent: true,
    settings: { shared_buffers: '1GB' },
  })
  const appPassword = 'bench-app-password'
  const ownerUrl = server.ownerUrl()
  const appUrl = appUrlFrom(ownerUrl, appPassword)
  const owner = postgres(ownerUrl, { max: 1, onnotice: () => {} })
  const captured: { query: string; params: unknown[] }[] = []
  let capture = false
  const app = createDb(appUrl, {
    max: 10,
    onQuery: (query, params) => void (capture && captured.push({ query, params })),
  })
  const appSql = app.sql
  let http: HttpServer | null = null
  try {
    await migrateDatabase({ ownerUrl, appPassword })
    const [loaded] = await owner`select count(*)::int as n from agencies where slug = ${`escala-${opts.scale}-1`}`
    if (!loaded!.n) await seedScale(owner, opts.scale, (m) => opts.log(`  seed: ${m}`))
    const [agency] = await owner`select id from agencies where slug = ${`escala-${opts.scale}-1`}`
    const agencyId = agency!.id as string
    const [manager] =
      await owner`select m.user_id, u.email from memberships m join users u on u.id = m.user_id where m.agency_id = ${agencyId} and m.role = 'manager'`
    const managerId = manager!.user_id as string
    const [{ n: leadsInAgency }] =
      (await owner`select count(*)::int as n from leads where agency_id = ${agencyId}`) as unknown as [{ n: number }]
    opts.log(`  largest agency: ${leadsInAgency} leads`)

    const db = app.db
    const secrets = createSecretBox(Buffer.alloc(32, 5).toString('base64'))
    const caller = createCaller(
      // In-process calls through the router: auth is not consulted (the identity is given), so no provider is needed.
      createContext({
        db,
        auth: null as never,
        identity: { userId: managerId, email: manager!.email as string, sessionId: null },
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
    const [conv] =
      await owner`select id from whatsapp_conversations where agency_id = ${agencyId} order by last_message_at desc limit 1`
    const [listing] =
      await owner`select id from properties where agency_id = ${agencyId} and status = 'available' and deleted_at is null order by updated_at desc limit 1`
    const [wanting] =
      await owner`select id from leads where agency_id = ${agencyId} and deleted_at is null and cardinality(locations) > 0 order by updated_at desc limit 1`
    const long = await longThread(owner, agencyId)
    const since = new Date(Date.parse('2026-12-01T12:00:00Z') - 90 * 86_400_000)
    const cases: [string, () => Promise<unknown>][] = [
      [
        'leads list: 3 filters + search',
        () =>
          caller.leads.list({
            status: ['new', 'contacted'],
            source: ['portal', 'website'],
            createdFrom: since,
            q: 'silva',
          }),
      ],
      ['property search', () => caller.properties.list({ q: 'pinheiros', status: ['available'], minBedrooms: 2 })],
      ['global search (name)', () => caller.search.global({ q: 'conceicao silva' })],
      ['global search (phone)', () => caller.search.global({ q: '(11) 9100-0793' })],
      ['conversation list', () => caller.whatsapp.conversations({})],
      ['message history page', () => caller.whatsapp.conversation({ id: conv!.id as string })],
      // Issue 16: a thread of 5,000 messages opens at its newest page and pages back by seq, in the middle and the start.
      ['5,000-message thread: newest page', () => caller.whatsapp.conversation({ id: long.id })],
      ['5,000-message thread: a middle page', () => caller.whatsapp.conversation({ id: long.id, before: long.middle })],
      ['5,000-message thread: oldest page', () => caller.whatsapp.conversation({ id: long.id, before: long.oldest })],
      ['dashboard (30 days)', () => caller.dashboard.get({ period: '30d' })],
      // Issue 16's matching: a lead page's listings, a listing page's open leads (a scan of the agency's open leads).
      ['listings for a lead', () => caller.leads.matches({ id: wanting!.id as string })],
      ['leads for a listing', () => caller.properties.matches({ id: listing!.id as string })],
      ['agenda (whole agency)', () => caller.tasks.agenda({ who: 'all' })],
      ...(['sources', 'pipeline', 'lost', 'agents', 'listings', 'listings_monthly'] as const).map(
        (report): [string, () => Promise<unknown>] => [
          `report: ${report}`,
          () => caller.reports.get({ report, period: '30d' }),
        ],
      ),
    ]
    const figures: QueryFigure[] = []
    for (const [name, run] of cases) {
      for (let i = 0; i < 3; i++) await run()
      captured.length = 0
      capture = true
      await run()
      capture = false
      const statements = [...captured]
      // The same statements, as bare SQL: one transaction, the same tenant setup and parameters, no ORM or tRPC. The
      // two alternate, so a slow spell of this shared machine weighs on both sides of the ratio alike.
      const replay = () =>
        appSql.begin(async (tx) => {
          for (const s of statements)
            if (!/^(begin|commit)/i.test(s.query)) await tx.unsafe(s.query, s.params as never[])
        })
      const times: number[] = []
      const bare: number[] = []
      for (let i = 0; i < opts.iterations; i++) {
        let t0 = performance.now()
        await run()
        times.push(performance.now() - t0)
        t0 = performance.now()
        await replay()
        bare.push(performance.now() - t0)
      }
      const wall = times.reduce((a, b) => a + b, 0)
      const f = {
        name,
        p50: round(pct(times, 50)),
        p95: round(pct(times, 95)),
        p99: round(pct(times, 99)),
        perSecond: round((opts.iterations * 1000) / wall),
        bareP50: round(pct(bare, 50)),
        ratio: Number((pct(times, 50) / pct(bare, 50)).toFixed(2)),
      }
      figures.push(f)
      opts.log(`  ${name}: p50 ${f.p50} ms, p95 ${f.p95} ms, bare p50 ${f.bareP50} ms, ×${f.ratio}`)
    }

    // Server-rendered leads page, over HTTP, signed in: time to first byte.
    let ttfb: { p50: number; p95: number; p99: number } | null = null
    let inboxTtfb: { p50: number; p95: number; p99: number } | null = null
    let load: LoadRun | null = null
    const buildFile = path.join(ROOT, 'apps/web/build/server/index.js')
    if (existsSync(buildFile)) {
      const serverBuild = (await import(buildFile)) as ServerBuild
      const env = {
        NODE_ENV: 'production',
        SESSION_SECRET: ['b'.repeat(32)],
        origin: 'http://bench.test',
        devMailbox: false,
        SECRETS_KEY: Buffer.alloc(32, 5).toString('base64'),
      } as unknown as WebEnv
      const web = createWebApp({
        env,
        db: app.db,
        log: pino({ level: 'silent' }),
        storage: createStorage({ driver: 'local', dir: path.join(dataDir, 'uploads') }),
      })
      const expressApp = createHttpApp({
        app: web,
        sql: appSql,
        build: async () => serverBuild,
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
      const get = async (p: string) => {
        const t0 = performance.now()
        const res = await fetch(base + p, { headers: { cookie } })
        const reader = res.body!.getReader()
        await reader.read()
        const first = performance.now() - t0
        while (!(await reader.read()).done);
        return { first, ok: res.status === 200 }
      }
      const firstBytes = async (page: string) => {
        for (let i = 0; i < 3; i++) await get(page)
        const firsts: number[] = []
        for (let i = 0; i < opts.iterations; i++) firsts.push((await get(page)).first)
        return { p50: round(pct(firsts, 50)), p95: round(pct(firsts, 95)), p99: round(pct(firsts, 99)) }
      }
      ttfb = await firstBytes('/app/leads')
      opts.log(`  leads page TTFB: p50 ${ttfb.p50} ms, p95 ${ttfb.p95} ms`)
      inboxTtfb = await firstBytes('/app/inbox')
      opts.log(`  inbox TTFB: p50 ${inboxTtfb.p50} ms, p95 ${inboxTtfb.p95} ms`)

      // 50 concurrent users for a bounded time on loopback: mostly reads (pages, lists, search), some writes (notes,
      // WhatsApp replies).
      const users = 50
      const seconds = 20
      const [lead] = await owner`select id from leads where agency_id = ${agencyId} order by created_at desc limit 1`
      // A conversation per user whose contact wrote just now, for their replies (its 24-hour window open).
      const conversations = await owner`
        update whatsapp_conversations set last_inbound_at = now()
        where id in (select id from whatsapp_conversations where agency_id = ${agencyId} order by id limit ${users})
        returning id`
      const trpcGet = (p: string, input: unknown) => `/api/trpc/${p}?input=${encodeURIComponent(JSON.stringify(input))}`
      const mix: LoadRequest[] = [
        { method: 'GET', path: '/app/leads' },
        { method: 'GET', path: trpcGet('leads.list', { q: 'souza', status: ['new'] }) },
        { method: 'GET', path: trpcGet('search.global', { q: 'oliveira' }) },
        { method: 'GET', path: trpcGet('whatsapp.conversations', {}) },
        { method: 'GET', path: trpcGet('dashboard.get', { period: '7d' }) },
        { method: 'POST', path: '/api/trpc/leads.addNote', body: { leadId: lead!.id, body: 'Nota de carga' } },
        // A WhatsApp reply: the message queued and its number's sender scheduled (no worker runs here).
        {
          method: 'POST',
          path: '/api/trpc/whatsapp.send',
          body: { id: '$uuid', conversationId: '$conversation', type: 'text', text: 'Mensagem de carga' },
        },
      ]
      const loadOpts = { users, seconds, requests: mix, conversations: conversations.map((c) => c.id as string) }
      const ours = await closedLoop({ ...loadOpts, base, cookie })
      // With no pause, fifty users wait 50 ÷ throughput on average (Little's law) whatever the server does: the same
      // users reading each answer for a second show the wait at a busy hour short of saturation.
      const thinkMs = 1000
      const paced = await closedLoop({ ...loadOpts, base, cookie, thinkMs })
      // The limit of this machine for the same work: a minimal HTTP handler that runs each request's statements, as
      // the app sent them (captured once per kind), in one transaction on the same pool, and answers with the rows.
      const statements: { query: string; params: unknown[] }[][] = []
      for (const request of mix) {
        captured.length = 0
        capture = true
        await sendRequest({ ...loadOpts, base, cookie }, request, 0)
        capture = false
        statements.push(captured.filter((q) => !/^(begin|commit)/i.test(q.query)))
      }
      const minimal = createServer((req, res) => {
        const kind = statements[Number(req.url!.slice(1))]!
        void appSql
          .begin(async (tx) => {
            let rows: unknown = null
            for (const q of kind) rows = await tx.unsafe(q.query, q.params as never[])
            return rows
          })
          .then(
            (rows) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(rows)),
            () => res.writeHead(500).end(),
          )
      })
      const minimalBase = await new Promise<string>((r) =>
        minimal.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${(minimal.address() as { port: number }).port}`)),
      )
      const bare = await closedLoop({
        ...loadOpts,
        base: minimalBase,
        requests: mix.map((_, k) => ({ method: 'GET', path: `/${k}` })),
      })
      await new Promise((r) => minimal.close(r))
      load = {
        users,
        seconds,
        ...ours,
        bare: { requests: bare.requests, perSecond: bare.perSecond, p95: bare.p95 },
        paced: { thinkMs, ...paced },
        target: { p95: 500 },
      }
      opts.log(
        `  load: ${users} users × ${seconds} s: ${ours.requests} requests (${ours.perSecond}/s), p95 ${ours.p95} ms, ${ours.errors} errors; bare SQL handler ${bare.perSecond}/s, p95 ${bare.p95} ms; with ${thinkMs} ms think time ${paced.perSecond}/s, p95 ${paced.p95} ms, ${paced.errors} errors`,
      )
      await owner`delete from lead_notes where body = 'Nota de carga'`
      await owner`delete from whatsapp_messages where body = 'Mensagem de carga'`
    } else {
      opts.log('  leads page TTFB and load run skipped: run `pnpm build` first')
    }
    return { scale: opts.scale, iterations: opts.iterations, leadsInAgency, figures, ttfb, inboxTtfb, load }
  } finally {
    if (http) await new Promise((r) => http!.close(r))
    await appSql.end({ timeout: 5 })
    await owner.end({ timeout: 5 })
    await server.stop().catch(() => {})
  }
}
export type QueryBenchResult = Awaited<ReturnType<typeof benchQueries>>

/**
 * A conversation of 5,000 messages in the agency (added once to the kept seed): alternating inbound and outbound, some
 * replies quoting the message before, a note and a status change every 500 — the mix a busy thread has. Returns its id
 * and the seqs the middle and oldest pages load before.
 */
async function longThread(owner: postgres.Sql, agencyId: string) {
  const phone = '+5511900005000'
  let [conv] =
    await owner`select id from whatsapp_conversations where agency_id = ${agencyId} and contact_phone = ${phone}`
  if (!conv) {
    const [account] = await owner`select id from whatsapp_accounts where agency_id = ${agencyId} limit 1`
    ;[conv] = await owner`
      insert into whatsapp_conversations (agency_id, account_id, contact_phone, contact_name, last_message_at, last_inbound_at)
      values (${agencyId}, ${account!.id}, ${phone}, 'Conversa longa', now(), now()) returning id`
    await owner`
      insert into whatsapp_messages (agency_id, conversation_id, account_id, direction, type, body, provider_message_id,
        reply_to_provider_id, status, provider_at, author)
      select ${agencyId}, ${conv!.id}, ${account!.id},
        (case when i % 2 = 0 then 'inbound' else 'outbound' end)::whatsapp_direction, 'text', 'mensagem ' || i,
        'wamid.LONG' || i, case when i % 7 = 0 then 'wamid.LONG' || (i - 1) end,
        (case when i % 2 = 0 then 'received' else 'read' end)::whatsapp_message_status,
        now() - make_interval(mins => 5000 - i), (case when i % 2 = 0 then 'contact' else 'member' end)::whatsapp_author
      from generate_series(1, 5000) i`
    await owner`
      insert into whatsapp_conversation_entries (agency_id, conversation_id, kind, body, status, at)
      select ${agencyId}, ${conv!.id}, (case when i % 1000 = 0 then 'status' else 'note' end)::conversation_entry_kind,
        case when i % 1000 <> 0 then 'nota ' || i end, case when i % 1000 = 0 then 'open'::conversation_status end,
        now() - make_interval(mins => 5000 - i)
      from generate_series(500, 5000, 500) i`
  }
  const [seqs] = await owner`
    select (select seq from whatsapp_messages where agency_id = ${agencyId} and conversation_id = ${conv!.id} order by seq offset 2500 limit 1) as middle,
           (select seq from whatsapp_messages where agency_id = ${agencyId} and conversation_id = ${conv!.id} order by seq offset 50 limit 1) as oldest`
  return { id: conv!.id as string, middle: Number(seqs!.middle), oldest: Number(seqs!.oldest) }
}
