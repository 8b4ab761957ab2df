import { spawn, type ChildProcess } from 'node:child_process'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import type { Server as HttpServer } from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createStorage } from '@impera/api/storage'
import { createSecretBox } from '@impera/api/whatsapp'
import { appUrlFrom, createDb, sql } from '@impera/db'
import { freePort, startEmbeddedPostgres } from '@impera/db/embedded'
import { migrateDatabase } from '@impera/db/migrate'
import { addMember, insertAgency, insertUser } from '../packages/db/src/testing/factories'
import pg from 'pg'
import pino from 'pino'
import { io as connect } from 'socket.io-client'
import { startGraphStandIn, webhook } from '../packages/api/tests/stand-ins/graph'
import { createWebApp } from '../apps/web/server/app'
import type { WebEnv } from '../apps/web/server/env'
import { createHttpApp } from '../apps/web/server/http'
import { attachLive } from '../apps/web/server/live'

/**
 * WhatsApp figures on this machine: (1) webhook → browser latency — signed deliveries POSTed at a steady rate to the
 * real HTTP server, through the stored event, the worker process and Postgres, until the live event reaches a
 * Socket.IO client; (2) outbound throughput — a burst of queued messages sent by the worker to the Graph stand-in.
 */
export interface WhatsappBenchResult {
  /** Worker processes the figures were measured with (absent in results from before the option: one). */
  workers?: number
  /** Leads the agency held before the inbound runs (absent in results from before decision 052: a few thousand). */
  agencyLeads?: number
  /**
   * Issue 19's shape: distinct contacts, half of them leads the agency already has. `ack`: the webhook's answer as the
   * sender sees it; the latency: to the live event; `drainedMs`: from the last delivery to the last live event.
   */
  inbound: InboundRun & { target: { ackP99: number; p99: number } }
  /** Short runs at rising rates; `sustainable`: the highest rate whose p99 stayed within 1 s. */
  ramp?: { runs: InboundRun[]; sustainable: number | null }
  /** Decision 049: one number alone, then several at once, against a stand-in that answers each send in 100 ms. */
  outbound: { latencyMs: number; one: OutboundRun; many: OutboundRun; target: { perNumber: number; total: number } }
  /** Decision 020: a new contact's message → the built-in agent's reply committed and live (pause set to 0). */
  ai?: {
    rate: number
    count: number
    p50: number
    p95: number
    p99: number
    max: number
    unanswered: number
    target: { p95: number }
  }
}

interface OutboundRun {
  numbers: number
  count: number
  /** From the senders' start to the last message recorded as sent; `perSecond`: the count over that. */
  seconds: number
  perSecond: number
  /** Each number's rate on the stand-in's meter: its sends over the time from its first to its last. */
  perNumber: number[]
  /** The most sends one number's stand-in meter saw within any one second. */
  busiestSecond: number
  /** Our message ids the stand-in accepted more than once. */
  sentTwice: number
}

interface InboundRun {
  rate: number
  seconds: number
  count: number
  ack: { p50: number; p99: number; max: number }
  p50: number
  p95: number
  p99: number
  max: number
  lost: number
  duplicated: number
  drainedMs: number
}

const ROOT = path.resolve(import.meta.dirname, '..')
/** The large seed's largest agency holds 200,000 leads. */
const AGENCY_LEADS = 200_000
const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!

export async function benchWhatsapp(opts: {
  rate: number
  seconds: number
  /** Rates of the short runs that look for the highest sustainable one (each `rampSeconds` long). */
  ramp?: number[]
  rampSeconds?: number
  outbound: { numbers: number; perNumber: number }
  aiRate?: number
  aiSeconds?: number
  /** Worker processes on the one database (issue 19's scale-out on this machine's cores); 1 by default. */
  workers?: number
  /** Where the worker writes a V8 CPU profile when it stops (open it in Chrome's DevTools); none: no profile. */
  profileDir?: string
  log: (m: string) => void
}): Promise<WhatsappBenchResult> {
  const dir = await mkdtemp(path.join(tmpdir(), 'impera-bench-'))
  await chmod(dir, 0o755)
  const server = await startEmbeddedPostgres({
    dataDir: path.join(dir, 'pg'),
    port: await freePort(),
    persistent: false,
  })
  const appPassword = 'bench-app-password'
  const ownerUrl = server.ownerUrl()
  const appUrl = appUrlFrom(ownerUrl, appPassword)
  const workers: ChildProcess[] = []
  let http: HttpServer | null = null
  const cleanup: (() => Promise<unknown>)[] = []
  try {
    await migrateDatabase({ ownerUrl, appPassword })
    const owner = createDb(ownerUrl, { max: 2 })
    const app = createDb(appUrl, { max: 10 })
    cleanup.push(
      () => owner.close(),
      () => app.close(),
    )
    const key = Buffer.alloc(32, 21).toString('base64')
    const secrets = createSecretBox(key)
    const graph = await startGraphStandIn({ accessToken: 'bench-token', appSecret: 'bench-secret' })
    cleanup.push(() => graph.close())
    const agency = await insertAgency(owner.db)
    const user = await insertUser(owner.db, { email: 'bench@example.test', password: 'bench password 1' })
    await addMember(owner.db, { agencyId: agency.id, userId: user.id, role: 'manager' })
    // An agency the size of the large seed's largest (decision 052): a lookup that walks its leads shows here.
    opts.log(`  an agency of ${AGENCY_LEADS.toLocaleString('en')} leads…`)
    await owner.db.execute(sql`
      insert into leads (agency_id, name, phones, email, source, created_at, updated_at)
      select ${agency.id}, 'Cliente ' || i, array['+55219' || lpad(i::text, 8, '0')], 'cliente' || i || '@example.test',
        'website', now() - i * interval '1 minute', now() - i * interval '1 minute'
      from generate_series(1, ${AGENCY_LEADS}) i`)
    await owner.db.execute(sql`analyze leads`)
    const [account] = await owner.db.execute<{ id: string }>(
      sql`insert into whatsapp_accounts (agency_id, provider, label, phone_number_id, display_number, access_token_enc, app_secret_enc, verify_token_enc)
          values (${agency.id}, 'cloud_api', 'Bench', '777000111', '+5511955550000', ${secrets.seal('bench-token')}, ${secrets.seal('bench-secret')}, ${secrets.seal('v')}) returning id`,
    )
    const env = {
      NODE_ENV: 'production',
      SESSION_SECRET: ['b'.repeat(32)],
      origin: 'http://bench.test',
      devMailbox: false,
      SECRETS_KEY: key,
      WHATSAPP_GRAPH_URL: graph.url,
      WHATSAPP_GRAPH_VERSION: graph.version,
    } as unknown as WebEnv
    const web = createWebApp({
      env,
      db: app.db,
      log: pino({ level: 'silent' }),
      storage: createStorage({ driver: 'local', dir }),
    })
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
    const livePool = new pg.Pool({ connectionString: appUrl, max: 2 })
    // Postgres stops before the pool at the end: its idle connections' errors are expected then.
    livePool.on('error', () => {})
    const ioServer = attachLive(http, web, livePool)
    cleanup.push(async () => (await ioServer.close(), await livePool.end()))
    const base = `http://127.0.0.1:${(http.address() as { port: number }).port}`
    const profile = opts.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.profileDir}`] : []
    for (let n = 0; n < (opts.workers ?? 1); n++)
      workers.push(
        spawn(process.execPath, [...profile, '--import', 'tsx', 'src/main.ts'], {
          cwd: path.join(ROOT, 'apps/worker'),
          env: {
            ...process.env,
            DATABASE_URL: ownerUrl,
            APP_DB_PASSWORD: appPassword,
            SECRETS_KEY: key,
            WHATSAPP_GRAPH_URL: graph.url,
            WHATSAPP_GRAPH_VERSION: graph.version,
            UPLOADS_DIR: dir,
            LOG_LEVEL: 'silent',
            NODE_ENV: 'production',
          },
          stdio: 'ignore',
        }),
      )
    const signIn = await web.auth.signIn(new Request(base), {
      email: 'bench@example.test',
      password: 'bench password 1',
    })
    const cookie = `${signIn.headers.get('set-cookie')!.split(';')[0]}; impera_agency=${agency.id}`
    const socket = connect(base, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie } })
    await new Promise<void>((r, j) => (socket.on('connect', () => r()), socket.on('connect_error', j)))
    cleanup.push(async () => socket.close())
    const seen = new Map<string, number>()
    socket.on(
      'wa:changed',
      (e: { kind: string; messageId?: string }) =>
        e.kind === 'message' && e.messageId && !seen.has(e.messageId) && seen.set(e.messageId, performance.now()),
    )
    // Warm-up: the worker's first job pays for module loading.
    const post = async (i: number, prefix: string) => {
      const body = Buffer.from(
        JSON.stringify(
          webhook.envelope('777000111', [
            webhook.text(`55119${prefix}${String(i).padStart(6, '0')}`, `mensagem ${i}`, { id: `wamid.${prefix}${i}` }),
          ]),
        ),
      )
      const res = await fetch(`${base}/webhooks/whatsapp/${account!.id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': graph.sign(body) },
        body,
      })
      if (res.status !== 200) throw new Error(`webhook answered ${res.status}`)
    }
    await post(0, '91')
    await waitFor(() => seen.size >= 1, 30_000)
    seen.clear()

    /** `count` deliveries at `rate`/s from distinct contacts (`+55119<prefix><i>`), half of them already leads. */
    const inbound = async (rate: number, seconds: number, prefix: string): Promise<InboundRun> => {
      const count = Math.round(rate * seconds)
      await owner.db.execute(sql`
        insert into leads (agency_id, name, phones, source)
        select ${agency.id}, 'Lead ' || i, array['+55119' || ${prefix} || lpad(i::text, 6, '0')], 'website'
        from generate_series(0, ${count - 1}) i where i % 2 = 1`)
      const sentAt = new Map<string, number>()
      const acks: number[] = []
      const t0 = performance.now()
      const posts: Promise<void>[] = []
      for (let i = 0; i < count; i++) {
        const due = t0 + (i * 1000) / rate
        const wait = due - performance.now()
        if (wait > 0) await new Promise((r) => setTimeout(r, wait))
        const start = performance.now()
        sentAt.set(`wamid.${prefix}${i}`, start)
        posts.push(post(i, prefix).then(() => void acks.push(performance.now() - start)))
      }
      await Promise.all(posts)
      const lastPost = performance.now()
      const mine = () =>
        owner.db.execute<{ id: string; provider_message_id: string }>(
          sql`select id, provider_message_id from whatsapp_messages where provider_message_id like ${`wamid.${prefix}%`}`,
        )
      await waitFor(async () => (await mine()).filter((r) => seen.has(r.id)).length >= count, 120_000).catch(() => {})
      const rows = await mine()
      const latencies = rows
        .flatMap((r) => (seen.has(r.id) ? [seen.get(r.id)! - sentAt.get(r.provider_message_id)!] : []))
        .sort((a, b) => a - b)
      const lastSeen = Math.max(...rows.flatMap((r) => (seen.has(r.id) ? [seen.get(r.id)!] : [])))
      acks.sort((a, b) => a - b)
      return {
        rate,
        seconds,
        count,
        ack: { p50: round(pct(acks, 50)), p99: round(pct(acks, 99)), max: round(acks.at(-1)!) },
        p50: round(pct(latencies, 50)),
        p95: round(pct(latencies, 95)),
        p99: round(pct(latencies, 99)),
        max: round(latencies.at(-1)!),
        lost: count - latencies.length,
        duplicated: rows.length - new Set(rows.map((r) => r.provider_message_id)).size,
        drainedMs: round(Math.max(0, lastSeen - lastPost)),
      }
    }

    // A server that has been up a while: every path of the ingest compiled by V8 and the pools filled (the first
    // seconds of a cold worker run several times slower), measured apart and not reported.
    opts.log('  inbound warm-up: 50/s for 4s…')
    await inbound(50, 4, '90')
    opts.log(`  inbound: ${opts.rate}/s for ${opts.seconds}s…`)
    const main = await inbound(opts.rate, opts.seconds, '92')
    const rampRuns: InboundRun[] = []
    for (const [k, rate] of (opts.ramp ?? []).entries()) {
      opts.log(`  inbound ramp: ${rate}/s for ${opts.rampSeconds ?? 10}s…`)
      const run = await inbound(rate, opts.rampSeconds ?? 10, `8${k}`)
      rampRuns.push(run)
      // Past the limit: a higher rate would only be worse, and its backlog would take minutes to drain.
      if (run.p99 > 1000 || run.lost) break
    }

    /**
     * `numbers` numbers at Meta's default 80 msg/s, `perNumber` messages queued on each to distinct contacts (one
     * conversation each), the stand-in answering every send after 100 ms; the senders started together.
     */
    const outboundRun = async (numbers: number, perNumber: number, tag: string): Promise<OutboundRun> => {
      const accounts: string[] = []
      for (let n = 0; n < numbers; n++) {
        const [a] = await owner.db.execute<{ id: string }>(
          sql`insert into whatsapp_accounts (agency_id, provider, label, phone_number_id, display_number, access_token_enc, app_secret_enc, verify_token_enc)
              values (${agency.id}, 'cloud_api', ${`Envios ${tag}${n}`}, ${`7771${tag}${n}`}, '+5511955550000', ${secrets.seal('bench-token')}, ${secrets.seal('bench-secret')}, ${secrets.seal('v')}) returning id`,
        )
        accounts.push(a!.id)
        await owner.db.execute(sql`
          with c as (
            insert into whatsapp_conversations (agency_id, account_id, contact_phone, last_inbound_at)
            select ${agency.id}, ${a!.id}, '+5511' || ${`8${tag}${n}`} || lpad(i::text, 6, '0'), now()
            from generate_series(1, ${perNumber}) i returning id)
          insert into whatsapp_messages (agency_id, conversation_id, account_id, direction, type, body, status, provider_at, author)
          select ${agency.id}, c.id, ${a!.id}, 'outbound', 'text', 'Novidades da semana', 'queued', now(), 'member' from c`)
      }
      graph.resetSendMeter()
      const t0 = performance.now()
      for (const id of accounts)
        await owner.db.execute(
          sql`select enqueue_job('whatsapp:send-pending', ${JSON.stringify({ agencyId: agency.id, accountId: id })}::json, null, 25, ${`wa-sender-${id}`})`,
        )
      const total = numbers * perNumber
      await waitFor(
        async () =>
          (
            await owner.db.execute<{ n: number }>(
              sql`select count(*)::int as n from whatsapp_messages where account_id = any(${`{${accounts.join(',')}}`}::uuid[]) and status = 'sent'`,
            )
          )[0]!.n >= total,
        180_000,
      )
      const seconds = (performance.now() - t0) / 1000
      const perNumberRates = accounts.map((_, n) => {
        const times = graph.sends.filter((x) => x.phoneNumberId === `7771${tag}${n}`).map((x) => x.at)
        return round(((times.length - 1) * 1000) / (Math.max(...times) - Math.min(...times)))
      })
      const counts = new Map<string, number>()
      for (const x of graph.sends) {
        const id = String(x.body.biz_opaque_callback_data)
        counts.set(id, (counts.get(id) ?? 0) + 1)
      }
      return {
        numbers,
        count: total,
        seconds: round(seconds),
        perSecond: round(total / seconds),
        perNumber: perNumberRates,
        busiestSecond: Math.max(...accounts.map((_, n) => graph.busiestSecond(`7771${tag}${n}`))),
        sentTwice: [...counts.values()].filter((c) => c > 1).length,
      }
    }
    graph.setSendDelay(100)
    opts.log(`  outbound: one number, ${opts.outbound.perNumber} messages…`)
    const one = await outboundRun(1, opts.outbound.perNumber, '1')
    opts.log(`  outbound: ${opts.outbound.numbers} numbers, ${opts.outbound.perNumber} messages each…`)
    const many = await outboundRun(opts.outbound.numbers, opts.outbound.perNumber, '5')
    graph.setSendDelay(0)

    // The AI agent: new contacts writing to a number in auto, each its own conversation (the agent's own pause, which
    // groups a burst into one answer, set to 0: the figure is the agent's work, not a wait the agency chose).
    const aiRate = opts.aiRate ?? 20
    const aiCount = aiRate * (opts.aiSeconds ?? 20)
    opts.log(`  AI agent: ${aiRate} new conversations/s for ${aiCount / aiRate}s…`)
    await owner.db.execute(sql`update whatsapp_accounts set ai_mode = 'auto' where id = ${account!.id}`)
    await owner.db.execute(sql`update agencies set ai_provider = 'rules', ai_debounce_ms = 0 where id = ${agency.id}`)
    const aiSentAt = new Map<string, number>()
    const a0 = performance.now()
    const aiPosts: Promise<void>[] = []
    for (let i = 0; i < aiCount; i++) {
      const due = a0 + (i * 1000) / aiRate
      const wait = due - performance.now()
      if (wait > 0) await new Promise((r) => setTimeout(r, wait))
      aiSentAt.set(`wamid.93${i}`, performance.now())
      aiPosts.push(post(i, '93'))
    }
    await Promise.all(aiPosts)
    const botReplies = async () =>
      owner.db.execute<{ inbound: string; reply: string }>(sql`
        select i.provider_message_id as inbound,
          (select b.id from whatsapp_messages b where b.conversation_id = i.conversation_id and b.author = 'bot'
            order by b.seq desc limit 1) as reply
        from whatsapp_messages i where i.provider_message_id like 'wamid.93%'`)
    await waitFor(
      async () => (await botReplies()).filter((r) => r.reply && seen.has(r.reply)).length >= aiCount,
      60_000,
    ).catch(() => {})
    const aiLatencies = (await botReplies())
      .flatMap((r) => (r.reply && seen.has(r.reply) ? [seen.get(r.reply)! - aiSentAt.get(r.inbound)!] : []))
      .sort((a, b) => a - b)
    return {
      ai: {
        rate: aiRate,
        count: aiCount,
        p50: round(pct(aiLatencies, 50)),
        p95: round(pct(aiLatencies, 95)),
        p99: round(pct(aiLatencies, 99)),
        max: round(aiLatencies.at(-1)!),
        unanswered: aiCount - aiLatencies.length,
        target: { p95: 300 },
      },
      workers: workers.length,
      agencyLeads: AGENCY_LEADS,
      inbound: { ...main, target: { ackP99: 50, p99: 250 } },
      ...(rampRuns.length
        ? {
            ramp: {
              runs: rampRuns,
              sustainable: Math.max(0, ...rampRuns.filter((r) => r.p99 <= 1000 && !r.lost).map((r) => r.rate)) || null,
            },
          }
        : {}),
      outbound: { latencyMs: 100, one, many, target: { perNumber: 80, total: 300 } },
    }
  } finally {
    for (const worker of workers) worker.kill('SIGTERM')
    for (const fn of cleanup.reverse()) await fn().catch(() => {})
    if (http) await new Promise((r) => http!.close(r))
    await server.stop().catch(() => {})
    await rm(dir, { recursive: true, force: true })
  }
}

const round = (n: number) => Math.round(n * 10) / 10

async function waitFor(fn: () => boolean | Promise<boolean>, ms: number) {
  const end = Date.now() + ms
  while (!(await fn())) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 50))
  }
}
