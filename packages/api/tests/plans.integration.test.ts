import { createDb, sql, type DbHandle } from '@impera/db'
import { seedScale } from '@impera/db/seed'
import { createTestDatabase, type TestDatabase } from '@impera/db/testing'
import pino from 'pino'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createContext } from '../src/context'
import { createCaller } from '../src/root'
import { testAuth, testSecrets } from './harness'

/**
 * Plans of the benchmarked queries on the medium seed (100,000 leads, 200,000 messages), read with EXPLAIN exactly
 * as the app sends them (captured from the real router, run as the tenant role with the agency set). A sequential
 * scan of leads, messages or properties on any of them fails the test: at scale it is the difference between
 * milliseconds and seconds.
 */
const BIG = ['leads', 'whatsapp_messages', 'properties']
let t: TestDatabase
let app: DbHandle
let appSql: postgres.Sql
const captured: { query: string; params: unknown[] }[] = []
let agencyId: string
let managerId: string
let agentId: string

beforeAll(async () => {
  t = await createTestDatabase()
  await seedScale(t.owner.sql, 'medium')
  const [a] = await t.owner.db.execute<{ id: string }>(sql`select id from agencies where slug = 'escala-medium-1'`)
  agencyId = a!.id
  const people = await t.owner.db.execute<{ user_id: string; role: string }>(
    sql`select user_id, role from memberships where agency_id = ${agencyId} order by role desc, user_id`,
  )
  managerId = people.find((p) => p.role === 'manager')!.user_id
  agentId = people.find((p) => p.role === 'agent')!.user_id
  app = createDb(t.appUrl, { max: 2, onQuery: (query, params) => void captured.push({ query, params }) })
  appSql = app.sql
}, 300_000)
afterAll(async () => {
  await app?.close()
  await t?.close()
})

function caller(userId: string) {
  return createCaller(
    createContext({
      db: app.db,
      auth: testAuth(t),
      identity: { userId, email: 'x@example.test', sessionId: null },
      unverifiedAgencyId: agencyId,
      request: new Request('http://localhost/'),
      requestId: 'plans',
      ip: null,
      log: pino({ level: 'silent' }),
      urls: { origin: 'http://localhost' },
      secrets: testSecrets,
      whatsappGraph: null,
    }),
  )
}

interface PlanNode {
  'Node Type': string
  'Relation Name'?: string
  Plans?: PlanNode[]
}
const seqScans = (n: PlanNode): string[] => [
  ...(n['Node Type'] === 'Seq Scan' && n['Relation Name'] && BIG.includes(n['Relation Name'])
    ? [n['Relation Name']]
    : []),
  ...(n.Plans ?? []).flatMap(seqScans),
]

/** Runs `fn`, then EXPLAINs every data query it sent (not the tenant-context setup), as the tenant role. */
async function plansOf(userId: string, fn: (c: ReturnType<typeof caller>) => Promise<unknown>) {
  captured.length = 0
  await fn(caller(userId))
  const queries = captured.filter(
    (c) =>
      /^\s*(select|with|\()/i.test(c.query) &&
      !/set_config|pg_notify/.test(c.query) &&
      !/from "memberships" inner join "agencies"/.test(c.query),
  )
  const found: { query: string; scans: string[] }[] = []
  for (const q of queries) {
    const plan = await appSql.begin(async (tx) => {
      await tx`select set_config('app.agency_id', ${agencyId}, true), set_config('app.user_id', ${userId}, true)`
      await tx.unsafe('set local role app_rls')
      await tx.unsafe(`select set_config('pg_trgm.word_similarity_threshold', '0.5', true)`)
      const [row] = await tx.unsafe(`explain (format json) ${q.query}`, q.params as never[])
      return (row!['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan
    })
    found.push({ query: q.query.replace(/\s+/g, ' ').slice(0, 160), scans: seqScans(plan) })
  }
  expect(found.length).toBeGreaterThan(0)
  return found.filter((f) => f.scans.length)
}

const since = new Date(Date.parse('2026-12-01T12:00:00Z') - 90 * 86_400_000)

describe('no sequential scan of a large table on a measured path (medium seed, largest agency)', () => {
  const cases: [string, 'manager' | 'agent', (c: ReturnType<typeof caller>) => Promise<unknown>][] = [
    [
      'leads list: three filters + search',
      'manager',
      (c) =>
        c.leads.list({ status: ['new', 'contacted'], source: ['portal', 'website'], createdFrom: since, q: 'silva' }),
    ],
    ['leads list as an agent', 'agent', (c) => c.leads.list({ status: ['new'] })],
    ['property search', 'manager', (c) => c.properties.list({ q: 'pinheiros', status: ['available'], minBedrooms: 2 })],
    ['global search by name', 'manager', (c) => c.search.global({ q: 'conceicao silva' })],
    ['global search by phone', 'manager', (c) => c.search.global({ q: '(11) 9100-0793' })],
    ['conversation list', 'manager', (c) => c.whatsapp.conversations({})],
    ['dashboard (30 days)', 'manager', (c) => c.dashboard.get({ period: '30d' })],
    ['dashboard as an agent', 'agent', (c) => c.dashboard.get({ period: '7d' })],
    ['activity feed', 'manager', (c) => c.dashboard.activity()],
    ...(['sources', 'pipeline', 'lost', 'agents', 'listings', 'listings_monthly'] as const).map(
      (report): [string, 'manager', (c: ReturnType<typeof caller>) => Promise<unknown>] => [
        `report ${report}`,
        'manager',
        (c) => c.reports.get({ report, period: '30d' }),
      ],
    ),
  ]
  for (const [name, who, fn] of cases) {
    it(name, async () => {
      expect(await plansOf(who === 'manager' ? managerId : agentId, fn)).toEqual([])
    })
  }

  it('message history page', async () => {
    const [c] = await t.owner.db.execute<{ id: string }>(
      sql`select id from whatsapp_conversations where agency_id = ${agencyId} order by last_message_at desc limit 1`,
    )
    expect(await plansOf(managerId, (x) => x.whatsapp.conversation({ id: c!.id }))).toEqual([])
  })

  it('who holds a phone is found through its index, not by walking the agency (decision 052)', async () => {
    captured.length = 0
    await caller(managerId).leads.create({
      data: { name: 'Contato Novo', phones: ['(11) 98765-0052'], email: 'contato.novo.052@example.test' },
    })
    const lookup = captured.find((c) => c.query.includes('leads_holding_contact'))
    expect(lookup).toBeDefined()
    const read = await appSql.begin(async (tx) => {
      await tx`select set_config('app.agency_id', ${agencyId}, true), set_config('app.user_id', ${managerId}, true)`
      await tx.unsafe('set local role app_rls')
      const [row] = await tx.unsafe(`explain (analyze, format json) ${lookup!.query}`, lookup!.params as never[])
      return rowsRead((row!['QUERY PLAN'] as { Plan: AnalyzedNode }[])[0]!.Plan)
    })
    // The phone and the e-mail each found through an index: a handful of rows, where `phones && …` under RLS read
    // every lead of the agency (100,000 here).
    expect(read).toBeLessThan(100)
  })
  it("the inbox's labels read the labelled conversations only, for a manager and for an agent (migration 0085)", async () => {
    const [counted] = await t.owner.db.execute<{ n: number }>(
      sql`select count(*)::int as n from whatsapp_conversations where agency_id = ${agencyId}`,
    )
    await t.owner.db.execute(sql`
      update whatsapp_conversations set labels = case when rn <= 2 then array['financiamento', 'visita'] else array['visita'] end,
        assigned_to = case when rn = 1 then ${agentId}::uuid else assigned_to end
      from (select id, row_number() over (order by id) as rn from whatsapp_conversations
            where agency_id = ${agencyId} order by id limit 3) picked
      where whatsapp_conversations.id = picked.id`)
    await t.owner.db.execute(sql`vacuum (analyze) whatsapp_conversations`)
    for (const who of [managerId, agentId]) {
      captured.length = 0
      const labels = await caller(who).whatsapp.labels()
      if (who === managerId)
        expect(labels).toEqual([
          { label: 'visita', count: 3 },
          { label: 'financiamento', count: 2 },
        ])
      else expect(labels.map((l) => l.label)).toContain('visita')
      const query = captured.find((c) => /unnest/.test(c.query))!
      const read = await appSql.begin(async (tx) => {
        await tx`select set_config('app.agency_id', ${agencyId}, true), set_config('app.user_id', ${who}, true)`
        await tx.unsafe('set local role app_rls')
        const [row] = await tx.unsafe(`explain (analyze, format json) ${query.query}`, query.params as never[])
        return rowsRead((row!['QUERY PLAN'] as { Plan: AnalyzedNode }[])[0]!.Plan)
      })
      // Without the partial index every conversation of the agency was read to unnest its labels.
      expect(counted!.n).toBeGreaterThan(1000)
      expect(read).toBeLessThan(50)
    }
  })
})

interface AnalyzedNode {
  'Actual Rows'?: number
  'Actual Loops'?: number
  'Rows Removed by Filter'?: number
  'Rows Removed by Index Recheck'?: number
  Plans?: AnalyzedNode[]
}
/** Rows a plan produced or threw away at each step: what it read. */
const rowsRead = (n: AnalyzedNode): number =>
  (n['Actual Rows'] ?? 0) * (n['Actual Loops'] ?? 1) +
  (n['Rows Removed by Filter'] ?? 0) +
  (n['Rows Removed by Index Recheck'] ?? 0) +
  (n.Plans ?? []).reduce((sum, p) => sum + rowsRead(p), 0)
