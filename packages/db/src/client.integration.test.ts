import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDb } from './client'
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
