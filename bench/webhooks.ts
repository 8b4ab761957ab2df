import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createCaller, createContext } from '@impera/api'
import { createLocalAuth } from '@impera/api/auth'
import { targetPolicy } from '@impera/api/webhooks'
import { createSecretBox } from '@impera/api/whatsapp'
import { appUrlFrom, createDb, sql } from '@impera/db'
import { freePort, startEmbeddedPostgres } from '@impera/db/embedded'
import { migrateDatabase } from '@impera/db/migrate'
import pino from 'pino'
import { addMember, insertAgency, insertUser } from '../packages/db/src/testing/factories'

/**
 * Outgoing webhooks on this machine (decision 018): changes made through the tRPC router at a steady rate (each a new
 * lead, so each raises `lead.created`), the outbox written in their transactions, delivered by the real worker process
 * (`apps/worker`, production mode) to a receiver on loopback. Latency runs from the start of the change's call to the
 * receiver getting the POST; the change's own duration is reported beside it (the outbox must not slow it).
 */
export interface WebhooksBenchResult {
  rate: number
  count: number
  target: { p95: number }
  p50: number
  p95: number
  p99: number
  max: number
  lost: number
  outOfOrder: number
  /** From the change's commit (its call returned) to the receiver: the delivery path alone. */
  afterCommit: { p50: number; p95: number; p99: number }
  change: { p50: number; p95: number }
  /** The same changes at the same rate with no endpoint subscribed: what the outbox adds to a change. */
  baseline: { p50: number; p95: number }
}

const ROOT = path.resolve(import.meta.dirname, '..')
const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!
const round = (n: number) => Math.round(n * 10) / 10

export async function benchWebhooks(opts: {
  rate: number
  seconds: number
  log: (m: string) => void
}): Promise<WebhooksBenchResult> {
  const dir = await mkdtemp(path.join(tmpdir(), 'impera-bench-webhooks-'))
  await chmod(dir, 0o755)
  const server = await startEmbeddedPostgres({
    dataDir: path.join(dir, 'pg'),
    port: await freePort(),
    persistent: false,
  })
  const appPassword = 'bench-app-password'
  const ownerUrl = server.ownerUrl()
  const appUrl = appUrlFrom(ownerUrl, appPassword)
  let worker: ChildProcess | null = null
  let receiver: Server | null = null
  const cleanup: (() => Promise<unknown>)[] = []
  try {
    await migrateDatabase({ ownerUrl, appPassword })
    const owner = createDb(ownerUrl, { max: 2 })
    const app = createDb(appUrl, { max: 10 })
    cleanup.push(
      () => owner.close(),
      () => app.close(),
    )
    const key = Buffer.alloc(32, 23).toString('base64')
    const secrets = createSecretBox(key)
    const agency = await insertAgency(owner.db)
    const user = await insertUser(owner.db, { email: 'bench@example.test' })
    await addMember(owner.db, { agencyId: agency.id, userId: user.id, role: 'manager' })

    // The receiver: when each lead's event arrived, and in which order the sequence numbers came.
    const arrived = new Map<string, number>()
    const seqs: number[] = []
    receiver = createServer(async (req, res) => {
      const chunks: Buffer[] = []
      for await (const c of req) chunks.push(c as Buffer)
      const at = performance.now()
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        seq: number
        data: { lead?: { id: string } }
      }
      seqs.push(body.seq)
      if (body.data.lead && !arrived.has(body.data.lead.id)) arrived.set(body.data.lead.id, at)
      res.writeHead(204).end()
    })
    receiver.listen(0, '127.0.0.1')
    await once(receiver, 'listening')
    const receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hooks`

    const caller = createCaller(
      createContext({
        db: app.db,
        auth: createLocalAuth({
          db: app.db,
          cookieSecrets: ['bench-cookie-secret'],
          secureCookies: false,
          meta: () => ({ ip: '127.0.0.1', userAgent: null }),
        }),
        identity: { userId: user.id, email: user.email, sessionId: null },
        unverifiedAgencyId: agency.id,
        request: new Request('http://bench.test/'),
        requestId: 'bench',
        ip: '127.0.0.1',
        log: pino({ level: 'silent' }),
        urls: { origin: 'http://bench.test' },
        secrets,
        whatsappGraph: null,
        webhookTargets: targetPolicy(true),
      }),
    )
    worker = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: path.join(ROOT, 'apps/worker'),
      env: {
        ...process.env,
        DATABASE_URL: ownerUrl,
        APP_DB_PASSWORD: appPassword,
        SECRETS_KEY: key,
        UPLOADS_DIR: dir,
        LOG_LEVEL: 'silent',
        NODE_ENV: 'production',
        WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'true',
      },
      stdio: 'ignore',
    })
    let n = 0
    const change = () =>
      caller.leads.create({
        data: {
          name: `Lead de bancada ${++n}`,
          phones: [`+55 11 9${String(10_000_000 + n).slice(1)}`],
          source: 'website',
          tags: [],
          propertyTypes: [],
          locations: [],
        },
        allowDuplicate: true,
      })
    /** Changes at the rate for `seconds`: when each started, and how long it took. */
    const drive = async (seconds: number) => {
      const started = new Map<string, number>()
      const ended = new Map<string, number>()
      const durations: number[] = []
      const t0 = performance.now()
      const calls: Promise<void>[] = []
      for (let i = 0; i < opts.rate * seconds; i++) {
        const due = t0 + (i * 1000) / opts.rate
        const wait = due - performance.now()
        if (wait > 0) await new Promise((r) => setTimeout(r, wait))
        const start = performance.now()
        calls.push(
          change().then((lead) => {
            const end = performance.now()
            started.set(lead.id, start)
            ended.set(lead.id, end)
            durations.push(end - start)
          }),
        )
      }
      await Promise.all(calls)
      return { started, ended, durations: durations.sort((a, b) => a - b) }
    }
    const { endpoint } = await caller.webhooks.create({ url: receiverUrl, eventTypes: ['lead.created'] })
    // Warm-up: the worker's first job pays for module loading and its first connections.
    const warm = await change()
    await waitFor(() => arrived.has(warm.id), 60_000)
    await drive(1)
    // The baseline: the same changes while the endpoint is off (the outbox finds no subscriber), worker running.
    await caller.webhooks.setEnabled({ id: endpoint.id, enabled: false })
    opts.log(`  baseline, no endpoint: ${opts.rate}/s for ${Math.ceil(opts.seconds / 2)}s…`)
    const baseline = await drive(Math.ceil(opts.seconds / 2))
    await caller.webhooks.setEnabled({ id: endpoint.id, enabled: true })
    await waitFor(() => arrived.size >= opts.rate + 1, 60_000)
    arrived.clear()
    seqs.length = 0

    opts.log(`  one endpoint: ${opts.rate}/s for ${opts.seconds}s…`)
    const count = opts.rate * opts.seconds
    const run = await drive(opts.seconds)
    await waitFor(() => arrived.size >= count, 60_000).catch(() => {})
    const since = (from: Map<string, number>) =>
      [...from].flatMap(([id, s]) => (arrived.has(id) ? [arrived.get(id)! - s] : [])).sort((a, b) => a - b)
    const latencies = since(run.started)
    const afterCommit = since(run.ended)
    const [{ pending }] = (await owner.db.execute<{ pending: number }>(
      sql`select count(*)::int as pending from webhook_deliveries where state <> 'delivered'`,
    )) as unknown as [{ pending: number }]
    if (pending) opts.log(`  ${pending} deliveries not delivered`)
    return {
      rate: opts.rate,
      count,
      target: { p95: 200 },
      p50: round(pct(latencies, 50)),
      p95: round(pct(latencies, 95)),
      p99: round(pct(latencies, 99)),
      max: round(latencies.at(-1)!),
      lost: count - latencies.length,
      outOfOrder: seqs.filter((s, i) => i > 0 && s !== seqs[i - 1]! + 1).length,
      afterCommit: {
        p50: round(pct(afterCommit, 50)),
        p95: round(pct(afterCommit, 95)),
        p99: round(pct(afterCommit, 99)),
      },
      change: { p50: round(pct(run.durations, 50)), p95: round(pct(run.durations, 95)) },
      baseline: { p50: round(pct(baseline.durations, 50)), p95: round(pct(baseline.durations, 95)) },
    }
  } finally {
    worker?.kill('SIGTERM')
    if (worker && worker.exitCode === null) await once(worker, 'exit').catch(() => {})
    for (const fn of cleanup.reverse()) await fn().catch(() => {})
    if (receiver) await new Promise((r) => receiver!.close(r))
    await server.stop().catch(() => {})
    await rm(dir, { recursive: true, force: true })
  }
}

async function waitFor(fn: () => boolean, ms: number) {
  const end = Date.now() + ms
  while (!fn()) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 20))
  }
}
