import { createTestDatabase, type TestDatabase } from '@impera/db/testing'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { uniqueFields } from '../src/db-errors'

let t: TestDatabase
beforeAll(async () => {
  t = await createTestDatabase()
})
afterAll(() => t.close())

it('every unique constraint mapped to a field exists under that name (a renamed one would fall back to a bare 409)', async () => {
  const rows = await t.owner.sql<{ name: string }[]>`
    select conname as name from pg_constraint where connamespace = 'public'::regnamespace
    union select indexname from pg_indexes where schemaname = 'public'`
  const names = new Set(rows.map((r) => r.name))
  for (const constraint of Object.keys(uniqueFields)) expect(names.has(constraint), constraint).toBe(true)
})
