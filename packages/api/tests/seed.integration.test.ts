import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sql } from '@impera/db'
import { seedDemo } from '@impera/db/seed'
import { createTestDatabase, type TestDatabase } from '@impera/db/testing'
import sharp from 'sharp'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { parseDocument } from '../src/documents'
import { createStorage, seedDemoPhotoFiles } from '../src/storage'
import { seedDemoWhatsapp } from '../src/whatsapp'
import { queuedPayloads, testSecrets } from './harness'

let t: TestDatabase
let dir: string
beforeAll(async () => {
  t = await createTestDatabase()
  dir = await mkdtemp(path.join(tmpdir(), 'impera-seed-'))
})
afterAll(async () => {
  await t.close()
  await rm(dir, { recursive: true, force: true })
})

it('seeds a realistic demo agency: leads in every status, clients, properties with photo files, links', async () => {
  expect(await seedDemo(t.owner.db)).toBe(true)
  expect(await seedDemo(t.owner.db)).toBe(false)
  const [h] = await t.owner.db.execute<{ id: string }>(sql`select id from agencies where slug = 'horizonte'`)
  const count = async (q: ReturnType<typeof sql>) => (await t.owner.db.execute<{ n: number }>(q))[0]!.n
  const statuses = await t.owner.db.execute<{ status: string; n: number }>(
    sql`select status, count(*)::int as n from leads where agency_id = ${h!.id} group by status`,
  )
  expect(statuses.map((s) => s.status).sort()).toEqual(['contacted', 'converted', 'lost', 'new', 'qualified'])
  expect(statuses.reduce((a, s) => a + s.n, 0)).toBe(200)
  expect(await count(sql`select count(*)::int as n from clients where agency_id = ${h!.id}`)).toBe(80)
  expect(await count(sql`select count(*)::int as n from properties where agency_id = ${h!.id}`)).toBe(60)
  // Every converted lead points at a client; every property has 2-4 photos; documents pass the app's checksum.
  expect(await count(sql`select count(*)::int as n from leads where status = 'converted' and client_id is null`)).toBe(
    0,
  )
  expect(
    await count(
      sql`select count(*)::int as n from properties p where (select count(*) from property_photos f where f.property_id = p.id) not between 2 and 4`,
    ),
  ).toBe(0)
  const docs = await t.owner.db.execute<{ document: string }>(
    sql`select document from clients where document is not null`,
  )
  expect(docs.length).toBeGreaterThan(20)
  expect(docs.filter((d) => !parseDocument(d.document))).toEqual([])
  expect(await count(sql`select count(*)::int as n from lead_properties where agency_id = ${h!.id}`)).toBeGreaterThan(
    30,
  )
  const files = await seedDemoPhotoFiles(t.owner.db, createStorage({ driver: 'local', dir }))
  const [photo] = await t.owner.db.execute<{ storage_key: string; thumb_key: string }>(
    sql`select storage_key, thumb_key from property_photos limit 1`,
  )
  expect(files).toBeGreaterThan(120)
  expect(existsSync(path.join(dir, photo!.thumb_key))).toBe(true)
  expect(await sharp(path.join(dir, photo!.storage_key)).metadata()).toMatchObject({ format: 'webp', width: 1600 })
  // WhatsApp: a sandbox number per agency with a few conversations linked to leads; running again adds nothing.
  expect(await seedDemoWhatsapp(t.owner.db, testSecrets)).toBe(10)
  expect(await seedDemoWhatsapp(t.owner.db, testSecrets)).toBe(0)
  expect(
    await count(
      sql`select count(*)::int as n from whatsapp_conversations c join leads l on l.id = c.lead_id and l.phones[1] = c.contact_phone`,
    ),
  ).toBe(10)
  // Each demo number has its template sync queued for the worker, as a number added in the app does.
  expect((await queuedPayloads(t, 'whatsapp:sync-templates')).length).toBe(
    await count(sql`select count(*)::int as n from whatsapp_accounts`),
  )
})
