import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import net from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { appRouter } from '@impera/api'
import { createLocalAuth, hashToken, randomToken } from '@impera/api/auth'
import { generateVapidKeys } from '@impera/api/push'
import { ingestPortalLead, runImportJob, validateImportJob } from '@impera/api/services'
import { createStorage } from '@impera/api/storage'
import { sql } from '@impera/db'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inject } from 'vitest'
import {
  buildWorld,
  leadData,
  PASSWORD,
  propertyData,
  TEST_SECRETS_KEY,
  type World,
} from '../../../packages/api/tests/harness'
import {
  forgedCursors,
  hostileStrings,
  leakPattern,
  mutateLeaves,
  procedureInput,
  validInputs,
  type Pools,
} from './fuzz/arbitraries'
import { fuzzCalendarFeed } from './fuzz/calendar'
import { fuzzAgencyExportDownload, fuzzPrivacyExport } from './fuzz/privacy'
import { fuzzPropertyShare } from './fuzz/shares'
import { fuzzImportUploads } from './fuzz/imports'
import { fuzzMcpTools, fuzzMcpTransport } from './fuzz/mcp'
import { fuzzListingFeed, fuzzPortalIntake } from './fuzz/portals'
import { fuzzPublicApiOperations, fuzzPublicApiTransport } from './fuzz/public-api'

/**
 * The fuzz test: every tRPC procedure and every Remix route of the production build, called over HTTP by every kind
 * of caller with inputs generated from the procedure's own schema plus hostile values (NUL, lone surrogates,
 * impossible dates, overflowing numbers, forged cursors, malformed bodies). Nothing may answer 5xx, and no error body
 * may carry SQL, a stack or a file path. Procedures and routes are discovered, so new ones are fuzzed without
 * registering them.
 */

const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const SESSION_SECRET = 'fuzz-session-secret-that-is-long-enough-0123456789'
/**
 * Generated inputs per procedure and caller, and per route: the whole file stays within two minutes on 2 cores.
 * `FUZZ_RUNS=20 npx vitest run apps/web/tests/fuzz.integration.test.ts` digs deeper (each run draws new inputs).
 */
const RUNS_PER_PROCEDURE = Number(process.env.FUZZ_RUNS ?? 4)
const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS ?? 3)

interface Caller {
  name: string
  cookie: string
}

let w: World
let server: ChildProcess
let base: string
let serverLog = ''
let callers: Caller[]
let pools: Pools
/** Signs in again: the sections after the tRPC fuzz need sessions its valid calls (sign out everywhere) revoked. */
let session: (email: string, agencyId: string | null) => Promise<string>

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port
      s.close(() => resolve(port))
    })
  })
}

async function waitReady(url: string, child: ChildProcess) {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${serverLog}`)
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return
    await new Promise((r) => setTimeout(r, 100))
  }
}

let uploads: string
beforeAll(async () => {
  if (!existsSync(path.join(WEB, 'build/server/index.js')))
    throw new Error('apps/web is not built: run `pnpm build` first (pnpm test does).')
  w = await buildWorld()
  // Agency B lets agents see every lead, so both visibility modes are fuzzed.
  await w.t.owner.db.execute(sql`update agencies set agents_see_all = true where id = ${w.b.agencyId}`)
  uploads = await mkdtemp(path.join(tmpdir(), 'impera-fuzz-uploads-'))
  const port = await freePort()
  base = `http://127.0.0.1:${port}`
  server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: WEB,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: base,
      DATABASE_URL: w.t.ownerUrl,
      APP_DB_PASSWORD: inject('pg').appPassword,
      UPLOADS_DIR: uploads,
      SECRETS_KEY: TEST_SECRETS_KEY,
      SESSION_SECRET,
      WHATSAPP_GRAPH_URL: 'http://127.0.0.1:9',
      // Web push on, so subscriptions reach the service (decision 035).
      ...(({ publicKey, privateKey }) => ({ VAPID_PUBLIC_KEY: publicKey, VAPID_PRIVATE_KEY: privateKey }))(
        generateVapidKeys(),
      ),
      PUSH_EXTRA_SERVICES: 'https://push.test',
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  server.stdout!.on('data', (d) => (serverLog += d))
  server.stderr!.on('data', (d) => (serverLog += d))
  await waitReady(`${base}/readyz`, server)

  const auth = createLocalAuth({
    db: w.t.app.db,
    cookieSecrets: [SESSION_SECRET],
    secureCookies: false,
    meta: () => ({ ip: '127.0.0.1', userAgent: 'fuzz' }),
  })
  session = async (email: string, agencyId: string | null) => {
    const r = await auth.signIn(new Request(base), { email, password: PASSWORD })
    if (!r.ok) throw new Error(`sign-in failed for ${email}`)
    const cookie = r.headers.get('set-cookie')!.split(';')[0]!
    return agencyId ? `${cookie}; impera_agency=${agencyId}` : cookie
  }
  // The order matters: the manager and the admin come last, since their valid calls may deactivate or suspend.
  callers = [
    { name: 'anonymous', cookie: '' },
    { name: 'agent (sees own leads)', cookie: await session(w.a.agent.email, w.a.agencyId) },
    { name: 'agent (sees all leads)', cookie: await session(w.b.agent.email, w.b.agencyId) },
    { name: 'manager', cookie: await session(w.a.manager.email, w.a.agencyId) },
    { name: 'platform admin', cookie: await session(w.admin.email, null) },
  ]
  const a = w.a
  const ids = [
    a.leadId,
    a.noteId,
    a.trashedLeadId,
    a.qualifiedLeadId,
    a.clientId,
    a.clientNoteId,
    a.trashedClientId,
    a.propertyId,
    a.photoId,
    a.trashedPropertyId,
    a.waAccountId,
    a.conversationId,
    a.failedMessageId,
    a.mediaMessageId,
    a.notificationId,
    a.pushSubscriptionId,
    a.viewId,
    a.invitationId,
    a.agent.userId,
    a.manager.userId,
    w.b.agent.userId,
  ]
  pools = { ids, cursors: forgedCursors(ids) }
}, 120_000)

afterAll(async () => {
  server?.kill('SIGTERM')
  if (server && server.exitCode === null) await new Promise((r) => server.once('exit', r))
  await w?.t.close()
  if (uploads) await rm(uploads, { recursive: true, force: true })
})

/** Fails on a 5xx or on an error body that leaks internals; returns the status for the caller's own checks. */
async function expectHandled(label: string, response: Response): Promise<number> {
  const body = await response.text()
  if (response.status >= 500) throw new Error(`${label} → ${response.status}: ${body.slice(0, 500)}`)
  const leak = response.status >= 400 ? leakPattern.exec(body) : null
  if (leak)
    throw new Error(
      `${label} → ${response.status} leaks internals (${leak[0]}): …${body.slice(Math.max(0, leak.index - 200), leak.index + 200)}…`,
    )
  return response.status
}

const procedures = Object.entries(
  appRouter._def.procedures as unknown as Record<string, { _def: { type: 'query' | 'mutation'; inputs: unknown[] } }>,
).map(([name, p]) => ({
  name,
  type: p._def.type,
  inputs: p._def.inputs,
}))

function callProcedure(caller: Caller, proc: (typeof procedures)[number], input: unknown): Promise<Response> {
  const headers: Record<string, string> = { cookie: caller.cookie, origin: base }
  if (proc.type === 'query') {
    const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`
    return fetch(`${base}/api/trpc/${proc.name}${query}`, { headers })
  }
  return fetch(`${base}/api/trpc/${proc.name}`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: input === undefined ? undefined : JSON.stringify(input),
  })
}

describe('fuzz: no input produces a 5xx', () => {
  it('finds every procedure of the router', () => {
    expect(procedures.length).toBeGreaterThan(90)
    for (const p of procedures) expect(p.type === 'query' || p.type === 'mutation').toBe(true)
  })

  it('tRPC: every procedure, every caller, schema-shaped and hostile inputs', async () => {
    const failures: string[] = []
    for (const caller of callers) {
      for (const proc of procedures) {
        const run = await fc.check(
          fc.asyncProperty(procedureInput(proc.inputs, pools), async (input) => {
            await expectHandled(
              `${caller.name} ${proc.name}(${JSON.stringify(input)?.slice(0, 300)})`,
              await callProcedure(caller, proc, input),
            )
          }),
          { numRuns: RUNS_PER_PROCEDURE },
        )
        // Every procedure is walked even after a failure, so one run reports every broken one (shrunk, with its seed).
        if (run.failed) failures.push(`${String(run.errorInstance)} [seed ${run.seed}]`)
      }
    }
    expect(failures).toEqual([])
    expect(errorLines()).toEqual([])
  }, 240_000)

  it('tRPC: one field at a time turned hostile, in inputs that are otherwise valid', async () => {
    const failures: string[] = []
    // Procedures with a starting input that passed parsing over HTTP too (any answer but a 400: a 404 for an id of
    // another kind still ran the service): the mutations around it reach the services.
    let reached = 0
    const mutators = callers.filter((c) => c.name === 'manager' || c.name.startsWith('agent (sees own'))
    for (const proc of procedures) {
      const seeds = validInputs(proc.inputs, pools)
      const manager = mutators[0]!
      for (const seed of seeds)
        if (
          (await expectHandled(`manager ${proc.name} (valid input)`, await callProcedure(manager, proc, seed))) !== 400
        )
          reached++
      const variants = seeds.flatMap(mutateLeaves)
      for (const caller of mutators) {
        for (const input of variants) {
          try {
            await expectHandled(
              `${caller.name} ${proc.name}(${JSON.stringify(input)?.slice(0, 300)})`,
              await callProcedure(caller, proc, input),
            )
          } catch (e) {
            failures.push(String(e))
            break
          }
        }
      }
    }
    expect(failures).toEqual([])
    expect(errorLines()).toEqual([])
    // Most procedures must have had a valid starting point, or this test would only exercise parsing.
    expect(reached / procedures.length).toBeGreaterThan(0.85)
  }, 240_000)

  it('tRPC transport: malformed batches, bodies and methods', async () => {
    const manager = callers.find((c) => c.name === 'manager')!
    const cases: [string, RequestInit & { path: string }][] = [
      ['garbage JSON', { path: 'leads.create', method: 'POST', body: '{"data":' }],
      ['NUL in JSON', { path: 'leads.create', method: 'POST', body: '{"data":{"name":"a\\u0000b"}}' }],
      ['lone surrogate key', { path: 'leads.create', method: 'POST', body: '{"\\ud800":1}' }],
      ['a batch of unknown procedures', { path: 'nope,nada,leads.nothing?batch=1', method: 'GET' }],
      [
        'a huge batch',
        {
          path: `${Array(60).fill('leads.list').join(',')}?batch=1&input=${encodeURIComponent(JSON.stringify(Object.fromEntries(Array.from({ length: 60 }, (_, i) => [i, {}]))))}`,
          method: 'GET',
        },
      ],
      [
        'a batch input that is not an object',
        { path: 'leads.list,leads.list?batch=1&input=%5B1%2C2%5D', method: 'GET' },
      ],
      ['a mutation over GET', { path: 'leads.create?input=%7B%7D', method: 'GET' }],
      ['a query over POST', { path: 'leads.list', method: 'POST', body: '{}' }],
      [
        'a form body',
        {
          path: 'leads.create',
          method: 'POST',
          body: 'name=x',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        },
      ],
      ['input not JSON', { path: 'leads.list?input=%7Bnot', method: 'GET' }],
      ['deeply nested JSON', { path: 'leads.create', method: 'POST', body: '['.repeat(200_000) }],
    ]
    for (const [label, { path: p, ...init }] of cases) {
      const headers = {
        cookie: manager.cookie,
        origin: base,
        'content-type': 'application/json',
        ...(init.headers as Record<string, string>),
      }
      await expectHandled(`tRPC ${label}`, await fetch(`${base}/api/trpc/${p}`, { ...init, headers }))
    }
  }, 60_000)

  it('Remix: every route, loaders and actions, malformed bodies and hostile parameters', async () => {
    const routes = remixRoutes()
    expect(routes.length).toBeGreaterThan(30)
    // Path segments go out percent-encoded, as a browser sends them (lone surrogates as U+FFFD), or raw when they are
    // malformed escapes themselves.
    const param = fc.oneof(
      fc
        .constantFrom(...pools.ids, ...hostileStrings)
        .map((v) => encodeURIComponent(v.replace(/[\ud800-\udfff]/g, '\ufffd'))),
      fc.uuid(),
      fc.constantFrom('%ff', '%', '%00', '%c3%28', '..', '%2e%2e'),
    )
    const queryValue = fc.oneof(
      fc.constantFrom(...hostileStrings),
      fc.constantFrom(...pools.ids),
      fc.constantFrom(...pools.cursors),
      fc.string({ maxLength: 20 }),
      fc.constant('/\t/evil.example'),
    )
    const failures: string[] = []
    for (const caller of callers) {
      for (const route of routes) {
        const fields = [...route.fields, 'intent', 'redirectTo', 'id']
        const form = fc.dictionary(
          fc.constantFrom(...fields),
          fc.oneof(fc.constantFrom(...route.intents, ...hostileStrings), fc.constantFrom(...pools.ids)),
          { maxKeys: 6 },
        )
        const query = fc.dictionary(fc.constantFrom(...queryKeys), queryValue, { maxKeys: 4 })
        const run = await fc.check(
          fc.asyncProperty(param, query, form, fc.constantFrom(...bodyKinds), async (p, q, f, kind) => {
            const url = new URL(
              route.path.replace(/:\w+/g, () => p),
              base,
            )
            for (const [k, v] of Object.entries(q)) url.searchParams.set(k, v)
            const headers: Record<string, string> = { cookie: caller.cookie }
            if (route.loader) {
              await expectHandled(
                `${caller.name} GET ${url.pathname}${url.search}`,
                await fetch(url, { headers, redirect: 'manual' }),
              )
            }
            if (route.action) {
              if (route.index) url.searchParams.set('index', '')
              const { body, contentType } = encodeBody(kind, f)
              if (contentType) headers['content-type'] = contentType
              headers.origin = kind === 'foreign origin' ? 'https://evil.example' : base
              const status = await expectHandled(
                `${caller.name} POST ${url.pathname} (${kind}) ${JSON.stringify(f).slice(0, 300)}`,
                await fetch(url, { method: 'POST', headers, body, redirect: 'manual' }),
              )
              if (kind === 'foreign origin') expect(status, `${url.pathname} from another origin`).toBe(403)
            }
          }),
          { numRuns: RUNS_PER_ROUTE },
        )
        if (run.failed) failures.push(`${String(run.errorInstance)} [seed ${run.seed}]`)
      }
    }
    expect(failures).toEqual([])
    expect(errorLines()).toEqual([])
  }, 240_000)

  it('an invitation form that passes its schema but names no open invitation answers 4xx and logs no error', async () => {
    // The fuzz above reaches this only when it happens to draw a valid name and matching passwords.
    const form = () =>
      new URLSearchParams({
        name: 'Nova Corretora',
        password: 'uma senha bem longa 42',
        confirm: 'uma senha bem longa 42',
      })
    const post = (token: string) =>
      fetch(`${base}/invite/${token}`, {
        method: 'POST',
        headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded' },
        body: form(),
        redirect: 'manual',
      })
    const before = errorLines().length
    const unknown = await post(randomToken())
    expect([unknown.status, await unknown.text()]).toEqual([404, expect.stringContaining('invitations.invalid')])
    // Revoked while the form was open: the invitation exists, but is no longer valid.
    const revokedToken = randomToken()
    await w.t.owner.db.execute(
      sql`update invitations set token_hash = ${hashToken(revokedToken)}, revoked_at = now() where id = ${w.a.invitationId}`,
    )
    const revoked = await post(revokedToken)
    expect([revoked.status, await revoked.text()]).toEqual([409, expect.stringContaining('invitations.revoked')])
    expect(errorLines().slice(before)).toEqual([])
  })
})

describe('fuzz: the MCP server', () => {
  it('MCP: malformed JSON-RPC, bad keys, and every tool with generated and hostile arguments, per key', async () => {
    // Keys made now (the fuzz above never sees them): every scope in A, read scopes alone in A, every scope in B.
    const scopes = [
      'leads:read',
      'leads:write',
      'conversations:read',
      'conversations:reply',
      'properties:read',
    ] as const
    const key = async (persona: World['a']['manager'], agencyId: string, name: string, s: readonly string[]) =>
      (await w.caller(persona, agencyId).integrations.create({ name, scopes: [...s] as never })).key.key
    const keys = [
      { name: 'key with every scope', key: await key(w.a.manager, w.a.agencyId, 'Fuzz MCP', scopes) },
      {
        name: 'read-only key',
        key: await key(w.a.manager, w.a.agencyId, 'Fuzz leitura', [
          'leads:read',
          'conversations:read',
          'properties:read',
        ]),
      },
      { name: "another agency's key", key: await key(w.b.manager, w.b.agencyId, 'Fuzz Beta', scopes) },
    ]
    const transport = await fuzzMcpTransport(base, keys[0]!.key)
    const tools = await fuzzMcpTools({ base, keys, pools, runs: RUNS_PER_PROCEDURE })
    expect([...transport, ...tools.failures]).toEqual([])
    expect(errorLines()).toEqual([])
    // Most tools must have had arguments that got past the SDK's own check, or only parsing was fuzzed.
    expect(tools.reached).toBeGreaterThanOrEqual(6)
  }, 240_000)
})

describe('fuzz: the public API', () => {
  it('/api/v1: malformed transport, forged cursors and Idempotency-Keys, every operation with generated and hostile input, per key', async () => {
    // Keys made now: every scope in A, read scopes alone in A, every scope in B (aimed at A's ids from the pools).
    const all = [
      'leads:read',
      'leads:write',
      'clients:read',
      'clients:write',
      'properties:read',
      'conversations:read',
      'conversations:reply',
      'members:read',
      'events:read',
      'webhooks:manage',
    ] as const
    const key = async (persona: World['a']['manager'], agencyId: string, name: string, s: readonly string[]) =>
      (await w.caller(persona, agencyId).integrations.create({ name, scopes: [...s] as never })).key.key
    const keys = [
      { name: 'API key with every scope', key: await key(w.a.manager, w.a.agencyId, 'Fuzz API', all) },
      {
        name: 'API read-only key',
        key: await key(
          w.a.manager,
          w.a.agencyId,
          'Fuzz API leitura',
          all.filter((s) => s.endsWith(':read')),
        ),
      },
      { name: "another agency's API key", key: await key(w.b.manager, w.b.agencyId, 'Fuzz API Beta', all) },
    ]
    const transport = await fuzzPublicApiTransport(base, keys[0]!.key, pools)
    const operations = await fuzzPublicApiOperations({ base, keys, pools, runs: RUNS_PER_PROCEDURE })
    expect([...transport, ...operations.failures]).toEqual([])
    expect(errorLines()).toEqual([])
    // Most operations must have had input that passed their schemas, or only parsing was fuzzed.
    expect(operations.reached).toBeGreaterThanOrEqual(40)
  }, 240_000)
})

describe('fuzz: the portal intake', () => {
  it('Grupo OLX push: malformed transport and hostile pushes, then every accepted push through the worker', async () => {
    const door = await w.caller(w.a.manager, w.a.agencyId).portals.connect({ portal: 'grupo_olx' })
    const { failures, accepted } = await fuzzPortalIntake({
      base,
      path: door.path,
      password: door.secret,
      // One door, cheap requests: more draws than the procedures get, so enough pass for the worker's half below.
      runs: Math.max(RUNS_PER_PROCEDURE, 6),
    })
    expect(failures).toEqual([])
    expect(errorLines()).toEqual([])
    // Enough pushes must have been stored for the worker's half to see hostile values.
    expect(accepted).toBeGreaterThanOrEqual(20)
    // The worker's half, as its job calls it (the fuzz server runs no worker): no stored push may fail to become a lead.
    const stored = await w.t.owner.db.execute<{ id: number }>(
      sql`select id from portal_lead_events where agency_id = ${w.a.agencyId} and state = 'pending' order by id`,
    )
    const ingestFailures: string[] = []
    for (const { id } of stored) {
      await ingestPortalLead({ db: w.t.app.db }, { agencyId: w.a.agencyId, eventId: Number(id) }).catch((e: Error) =>
        ingestFailures.push(`push ${id}: ${e.message.slice(0, 300)}`),
      )
    }
    expect(ingestFailures).toEqual([])
    expect(stored.length).toBe(accepted)
  }, 120_000)

  it('listing feed: forged tokens, signatures and expiries, odd conditionals', async () => {
    const feed = await w.caller(w.a.manager, w.a.agencyId).portals.rotateFeed()
    await w.t.owner.db.execute(sql`update properties set publish_portals = true where id = ${w.a.propertyId}`)
    const failures = await fuzzListingFeed({ base, path: feed.path, agencyId: w.a.agencyId, photoId: w.a.photoId })
    expect(failures).toEqual([])
    expect(errorLines()).toEqual([])
  })

  it('shared listing: its public page and photos, forged and malformed tokens and names', async () => {
    // Records of its own: the sections before may have trashed the world's lead and property with valid calls.
    const manager = w.caller(w.a.manager, w.a.agencyId)
    const property = await manager.properties.create({ data: propertyData({ title: 'Imóvel do fuzz' }) })
    const lead = await manager.leads.create({
      data: leadData({ name: 'Lead do fuzz', phones: ['11 96666-0101'] }),
      allowDuplicate: true,
    })
    const [photo] = await w.t.owner.db.execute<{ id: string }>(
      sql`insert into property_photos (agency_id, property_id, storage_key, thumb_key, width, height, bytes, position)
          values (${w.a.agencyId}, ${property.id}, ${`${w.a.agencyId}/fuzz.webp`}, ${`${w.a.agencyId}/fuzz_thumb.webp`}, 10, 10, 10, 0)
          returning id`,
    )
    const { url } = await manager.properties.share({ propertyId: property.id, leadId: lead.id })
    const token = url.split('/p/')[1]!
    expect(await fuzzPropertyShare({ base, token, photoId: photo!.id })).toEqual([])
    expect(errorLines()).toEqual([])
  })

  it("calendar feed: a member's private URL, forged and malformed tokens", async () => {
    const calendar = await w.caller(w.a.agent, w.a.agencyId).tasks.rotateCalendarFeed()
    expect(await fuzzCalendarFeed({ base, path: calendar.path })).toEqual([])
    expect(errorLines()).toEqual([])
  })
})

describe('fuzz: a person’s data', () => {
  it('ZIP export: every caller, forged and malformed ids, other kinds and methods', async () => {
    const expected: Record<string, number> = {
      anonymous: 401,
      'agent (sees own leads)': 403,
      'agent (sees all leads)': 403,
      manager: 200,
      'platform admin': 403,
    }
    // Signed in again: the sections before may have revoked these sessions with their valid calls.
    const signIns: Record<string, () => Promise<string>> = {
      anonymous: async () => '',
      'agent (sees own leads)': () => session(w.a.agent.email, w.a.agencyId),
      'agent (sees all leads)': () => session(w.b.agent.email, w.b.agencyId),
      manager: () => session(w.a.manager.email, w.a.agencyId),
      'platform admin': () => session(w.admin.email, null),
    }
    const fresh = await Promise.all(
      callers.map(async (c) => ({ ...c, cookie: await signIns[c.name]!(), expect: expected[c.name]! })),
    )
    expect(await fuzzPrivacyExport({ base, leadId: w.a.leadId, clientId: w.a.clientId, callers: fresh })).toEqual([])
    expect(errorLines()).toEqual([])
  })

  it('agency export download: every caller, unknown, forged and malformed ids, other methods', async () => {
    const exports = w.caller(w.a.manager, w.a.agencyId).agencyExport
    // The procedures' own fuzzing may have asked for one already (no worker here: it stays queued, a 409).
    const [pending] = await exports.list()
    const exportId = pending?.id ?? (await exports.request({ separator: ';' })).id
    const expected: Record<string, number | null> = {
      anonymous: 401,
      'agent (sees own leads)': 403,
      'agent (sees all leads)': 403,
      manager: null,
      'platform admin': 403,
    }
    const signIns: Record<string, () => Promise<string>> = {
      anonymous: async () => '',
      'agent (sees own leads)': () => session(w.a.agent.email, w.a.agencyId),
      'agent (sees all leads)': () => session(w.b.agent.email, w.b.agencyId),
      manager: () => session(w.a.manager.email, w.a.agencyId),
      'platform admin': () => session(w.admin.email, null),
    }
    const fresh = await Promise.all(
      callers.map(async (c) => ({ ...c, cookie: await signIns[c.name]!(), expect: expected[c.name]! })),
    )
    expect(await fuzzAgencyExportDownload({ base, exportId, callers: fresh })).toEqual([])
    expect(errorLines()).toEqual([])
  })
})

describe('fuzz: the spreadsheet import', () => {
  it("hostile uploads from every caller, then every accepted file checked and run by the worker's half", async () => {
    const fresh = await Promise.all(
      callers.map(async (c) =>
        c.name === 'manager' ? { ...c, cookie: await session(w.a.manager.email, w.a.agencyId) } : c,
      ),
    )
    const { failures, accepted } = await fuzzImportUploads({ base, callers: fresh, runs: RUNS_PER_PROCEDURE * 6 })
    expect(failures).toEqual([])
    expect(errorLines()).toEqual([])
    // Only the manager may import; enough of their files must have been accepted for the jobs to see hostile rows.
    expect(accepted.length).toBeGreaterThanOrEqual(5)
    const manager = w.caller(w.a.manager, w.a.agencyId)
    const storage = createStorage({ driver: 'local', dir: uploads })
    const jobFailures: string[] = []
    for (const id of accepted) {
      const item = await manager.imports.get({ id })
      // The guessed mapping, or the first column as what the kind needs (a name; a listing's type) when nothing was
      // recognised.
      const needs = item.kind === 'properties' ? ['type'] : ['name', 'phones', 'email']
      const mapping = item.mapping!.some((f) => f !== null && needs.includes(f))
        ? item.mapping!
        : item.headers.map((_, i) => (i === 0 ? needs[0]! : null))
      await manager.imports.validate({ id, mapping, duplicatePolicy: 'update' })
      const deps = { db: w.t.app.db, storage }
      try {
        await validateImportJob(deps, { agencyId: w.a.agencyId, importId: id })
        if ((await manager.imports.get({ id })).status !== 'validated') continue
        await manager.imports.start({ id })
        await runImportJob(deps, { agencyId: w.a.agencyId, importId: id })
        const after = await manager.imports.get({ id })
        if (after.status !== 'done') jobFailures.push(`import ${id}: ${after.status} ${after.error ?? ''}`)
      } catch (e) {
        jobFailures.push(`import ${id}: ${(e as Error).message.slice(0, 300)}`)
      }
    }
    expect(jobFailures).toEqual([])
  }, 120_000)
})

/** Error-level lines the server logged: a request it failed to handle, even if the answer was a 4xx. */
function errorLines(): string[] {
  return serverLog
    .split('\n')
    .filter((l) => /"level":(50|60)/.test(l) || /^\S*Error\b/.test(l))
    .map((l) => l.slice(0, 400))
}

const queryKeys = [
  'q',
  'redirectTo',
  'agentId',
  'period',
  'from',
  'to',
  'report',
  'status',
  'assignee',
  'after',
  'before',
  'sort',
  'dir',
  'cols',
  'sep',
  'layout',
  'tags',
  'updatedFrom',
  'pageSize',
  'priceMin',
  'view',
  'filter',
  'token',
]
const bodyKinds = ['form', 'multipart', 'broken multipart', 'json', 'text', 'none', 'binary', 'foreign origin'] as const

function encodeBody(
  kind: (typeof bodyKinds)[number],
  fields: Record<string, string>,
): { body?: BodyInit; contentType?: string } {
  switch (kind) {
    case 'form':
    case 'foreign origin':
      return { body: new URLSearchParams(fields).toString(), contentType: 'application/x-www-form-urlencoded' }
    case 'multipart': {
      const fd = new FormData()
      for (const [k, v] of Object.entries(fields)) fd.append(k, v)
      return { body: fd }
    }
    case 'broken multipart':
      return {
        body: '--x\r\nContent-Disposition: form-data; name="intent"\r\n\r\nsta',
        contentType: 'multipart/form-data; boundary=x',
      }
    case 'json':
      return { body: JSON.stringify(fields), contentType: 'application/json' }
    case 'text':
      return { body: 'intent=delete&id=\u0000', contentType: 'text/plain' }
    case 'binary':
      return { body: new Uint8Array([0, 255, 254, 0, 1, 2, 0xc3, 0x28]), contentType: 'application/octet-stream' }
    case 'none':
      return {}
  }
}

interface RemixRoute {
  path: string
  index: boolean
  loader: boolean
  action: boolean
  fields: string[]
  intents: string[]
}

/**
 * The app's routes from its flat-routes file names (the convention Remix itself reads): `_shell.app.leads.$id._index`
 * → /app/leads/:id, `app.reports[.]csv` → /app/reports.csv. Field names and intents come from the route's source, so a
 * form's own fields are fuzzed.
 */
function remixRoutes(): RemixRoute[] {
  const dir = path.join(WEB, 'app/routes')
  return readdirSync(dir)
    .filter((f) => f.endsWith('.tsx') || f.endsWith('.ts'))
    .map((file) => {
      const source = readFileSync(path.join(dir, file), 'utf8')
      const name = file.replace(/\.tsx?$/, '')
      // Dots separate segments, except an escaped one: `[.]`.
      const segments = name.split(/\.(?![^[]*\])/).map((s) => s.replace(/\[\.\]/g, '.'))
      const index = segments[segments.length - 1] === '_index'
      const urlSegments = segments
        .filter((s) => !s.startsWith('_'))
        .map((s) => (s.startsWith('$') ? `:${s.slice(1) || 'splat'}` : s.replace(/_$/, '')))
      const harvest = (re: RegExp) => [...new Set([...source.matchAll(re)].map((m) => m[1]!))]
      return {
        path: `/${urlSegments.join('/')}`,
        index,
        loader: /export (async )?function loader|export const loader/.test(source),
        action: /export (async )?function action|export const action/.test(source),
        fields: harvest(/(?:name=["']|\.get\(['"]|getAll\(['"])([A-Za-z_][\w]*)/g),
        intents: harvest(/(?:intent: ['"]|case ['"]|value=["'])([a-zA-Z_][\w]*)/g),
      }
    })
    .filter((r) => r.loader || r.action)
}
