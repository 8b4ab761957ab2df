import net from 'node:net'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDb, lockSession } from './client'
import { withAgency } from './rls'
import { memberships } from './schema'
import { addMember, createTestDatabase, insertAgency, insertUser, type TestDatabase } from './testing'

let t: TestDatabase
let agencyId: string
let userId: string

beforeAll(async () => {
  t = await createTestDatabase({ appPoolMax: 1 })
  agencyId = (await insertAgency(t.owner.db)).id
  userId = (await insertUser(t.owner.db)).id
  await addMember(t.owner.db, { agencyId, userId, role: 'manager' })
})
afterAll(() => t.close())

const prepared = (db: TestDatabase['app']['db']) =>
  withAgency(db, { agencyId, userId }, async (tx) => {
    await tx
      .select({ id: memberships.id })
      .from(memberships)
      .where(sql`${memberships.userId} = ${userId}`)
    const [mode] = await tx.execute<{ mode: string }>(sql`select current_setting('plan_cache_mode') as mode`)
    const statements = await tx.execute<{ statement: string; custom_plans: string; generic_plans: string }>(sql`
      select statement, custom_plans::text, generic_plans::text from pg_prepared_statements where statement like '%"memberships"%'`)
    return { mode: mode!.mode, statements }
  })

describe('the client drizzle is given', () => {
  it('prepares the statements drizzle builds (drizzle asks for unnamed ones), with custom plans in tenant transactions', async () => {
    for (let i = 0; i < 7; i++) await prepared(t.app.db)
    const { mode, statements } = await prepared(t.app.db)
    expect(mode).toBe('force_custom_plan')
    expect(statements).toHaveLength(1)
    // Past the fifth run Postgres would consider a generic plan; tenant transactions keep planning per agency.
    expect(statements[0]).toMatchObject({ generic_plans: '0' })
    expect(Number(statements[0]!.custom_plans)).toBeGreaterThanOrEqual(8)
  })

  it('prepares nothing when configured not to (transaction-mode poolers)', async () => {
    const unprepared = createDb(t.appUrl, { max: 1, prepare: false })
    try {
      for (let i = 0; i < 3; i++) expect((await prepared(unprepared.db)).statements).toEqual([])
    } finally {
      await unprepared.close()
    }
  })
})

/**
 * A TCP proxy to the test cluster that cuts the first connection the moment the driver sends its array-types query
 * (the first statement of every new connection), as a database restart or failover does to a pool warming up.
 */
async function proxyCuttingTheTypesQuery(target: URL) {
  let cut = 0
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname)
    const drop = () => (client.destroy(), upstream.destroy())
    client.on('error', drop).on('close', drop)
    upstream.on('error', drop).on('close', drop)
    client.on('data', (chunk) => {
      if (cut === 0 && chunk.includes('typarray')) {
        cut++
        client.resetAndDestroy()
        upstream.destroy()
        return
      }
      upstream.write(chunk)
    })
    upstream.on('data', (chunk) => client.write(chunk))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  return { port, cuts: () => cut, close: () => new Promise<void>((r) => server.close(() => r())) }
}

describe('lockSession', () => {
  const locks = () =>
    t.owner.db.execute<{ n: number }>(
      sql`select count(*)::int as n from pg_locks where locktype = 'advisory' and granted`,
    )

  it('is exclusive across processes and within one; its locks share a connection, given back once none is held', async () => {
    const other = createDb(t.appUrl, { max: 2 })
    try {
      const a = lockSession(t.app.db, 9_001, 'number-1')
      const b = lockSession(other.db, 9_001, 'number-1')
      const c = lockSession(t.app.db, 9_001, 'number-1')
      const d = lockSession(t.app.db, 9_001, 'number-2')
      expect(await a.take()).toBe(true)
      expect(await a.take()).toBe(true)
      expect(await b.take()).toBe(false)
      // Postgres's advisory locks are re-entrant within a session: the process itself keeps its runs apart.
      expect(await c.take()).toBe(false)
      expect(await d.take()).toBe(true)
      const [held] = await t.owner.db.execute<{ n: number }>(
        sql`select count(distinct pid)::int as n from pg_locks where locktype = 'advisory' and granted`,
      )
      expect(held!.n).toBe(1)
      await a.letGo()
      await a.letGo()
      expect(await b.take()).toBe(true)
      await d.letGo()
      await b.letGo()
      expect((await locks())[0]!.n).toBe(0)
      // The app pool has one connection: it was given back, or this would wait for ever.
      expect(await t.app.db.execute(sql`select 1 as one`)).toEqual([{ one: 1 }])
    } finally {
      await other.close()
    }
  })

  it('dies with its connection: a process that is gone frees its locks at once', async () => {
    const gone = createDb(t.appUrl, { max: 1 })
    expect(await lockSession(gone.db, 9_002, 'number-1').take()).toBe(true)
    const mine = lockSession(t.app.db, 9_002, 'number-1')
    expect(await mine.take()).toBe(false)
    await gone.close()
    await expect.poll(() => mine.take(), { timeout: 30_000 }).toBe(true)
    await mine.letGo()
  })
})

describe('a connection lost while it starts', () => {
  it('fails the query it carried, reconnects, and raises no unhandled rejection (postgres.js #1192, patched)', async () => {
    const target = new URL(t.appUrl)
    const proxy = await proxyCuttingTheTypesQuery(target)
    const unhandled: unknown[] = []
    const onUnhandled = (e: unknown) => void unhandled.push(e)
    process.on('unhandledRejection', onUnhandled)
    const url = new URL(t.appUrl)
    url.hostname = '127.0.0.1'
    url.port = String(proxy.port)
    const handle = createDb(url.toString(), { max: 1 })
    try {
      const first = await handle.sql`select 1 as one`.then(
        () => 'ok',
        (e: Error & { code?: string }) => e.code ?? e.message,
      )
      expect(proxy.cuts()).toBe(1)
      expect(first).not.toBe('ok')
      // The pool is usable again at once: a new connection, its types fetched, arrays parsed.
      const [row] = await handle.sql<{ a: number[] }[]>`select array[1, 2]::int[] as a`
      expect(row!.a).toEqual([1, 2])
      // A dropped promise rejects on a later tick; one round trip more lets it surface if it is there.
      await handle.sql`select 1`
      await new Promise((r) => setImmediate(r))
      expect(unhandled).toEqual([])
    } finally {
      process.off('unhandledRejection', onUnhandled)
      await handle.close()
      await proxy.close()
    }
  })
})
