import { sql } from '@impera/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { deleteRequestedAgency, sweepDeletedAgencyFiles } from '../src/services'
import { createStorage } from '../src/storage'
import { agencyChecksum, buildWorld, outcome, queuedPayloads, type World } from './harness'

/**
 * Platform staff delete an agency for good (issue 17, decision 040): a typed confirmation, the agency suspended at
 * once, then the worker's half deletes every row it owns — its audit log included — and queues its files, while the
 * other agency is untouched and the platform's own log keeps what happened.
 */
let w: World
beforeAll(async () => {
  w = await buildWorld()
})
afterAll(() => w?.t.close())

const admin = () => w.caller(w.admin, null)

async function rowsOf(agencyId: string) {
  const tables = await w.t.owner.sql<{ table_name: string }[]>`
    select table_name from information_schema.columns
     where table_schema = 'public' and column_name = 'agency_id'`
  const left: string[] = []
  for (const { table_name } of tables) {
    const [row] = await w.t.owner.db.execute<{ n: number }>(
      sql`select count(*)::int as n from ${sql.identifier(table_name)} where agency_id = ${agencyId}`,
    )
    if (row!.n) left.push(`${table_name}: ${row!.n}`)
  }
  return left
}

describe('deleting an agency', () => {
  it('is platform staff’s, with the agency’s slug typed; members and managers cannot', async () => {
    expect(
      await outcome(w.caller(w.a.manager, w.a.agencyId).admin.deleteAgency({ agencyId: w.a.agencyId, confirm: 'x' })),
    ).toBe('FORBIDDEN')
    expect(
      await outcome(admin().admin.deleteAgency({ agencyId: w.a.agencyId, confirm: 'imobiliaria-alfa-errada' })),
    ).toBe('BAD_REQUEST')
    expect(await outcome(admin().admin.deleteAgency({ agencyId: crypto.randomUUID(), confirm: 'x' }))).toBe('NOT_FOUND')
    // Nothing happened: the agency works as before.
    expect((await w.caller(w.a.manager, w.a.agencyId).agency.get()).status).toBe('active')
  })

  it('suspends the agency at once, then deletes everything it owns, queues its files and keeps a record', async () => {
    const [{ slug, name }] = (await w.t.owner.db.execute<{ slug: string; name: string }>(
      sql`select slug, name from agencies where id = ${w.a.agencyId}`,
    )) as unknown as [{ slug: string; name: string }]
    const other = await agencyChecksum(w.t, w.b.agencyId)
    expect((await rowsOf(w.a.agencyId)).length).toBeGreaterThan(15)

    const requested = await admin().admin.deleteAgency({ agencyId: w.a.agencyId, confirm: slug })
    expect(requested).toMatchObject({ status: 'suspended', deletionRequestedAt: expect.any(Date) })
    // Its people are out at once.
    expect(await outcome(w.caller(w.a.manager, w.a.agencyId).leads.list({}))).toBe('FORBIDDEN')
    expect(await outcome(admin().admin.deleteAgency({ agencyId: w.a.agencyId, confirm: slug }))).toBe('CONFLICT')
    expect(await queuedPayloads(w.t, 'agency:delete')).toContainEqual({ agencyId: w.a.agencyId })

    // An agency nobody asked to delete is never deleted by the job.
    expect(await deleteRequestedAgency(w.t.app.db, w.b.agencyId)).toBeNull()

    const detail = await deleteRequestedAgency(w.t.app.db, w.a.agencyId)
    expect(detail).toMatchObject({ leads: expect.any(Number), files: expect.any(Number) })
    expect(detail!.leads).toBeGreaterThan(0)
    expect(await rowsOf(w.a.agencyId)).toEqual([])
    expect(await w.t.owner.db.execute(sql`select 1 from agencies where id = ${w.a.agencyId}`)).toHaveLength(0)
    const queued = (await queuedPayloads<{ keys: string[] }>(w.t, 'storage:delete')).flatMap((p) => p.keys)
    expect(queued).toEqual(expect.arrayContaining([`${w.a.agencyId}/p.webp`, `${w.a.agencyId}/p_thumb.webp`]))
    // Retried, the job finds nothing to do.
    expect(await deleteRequestedAgency(w.t.app.db, w.a.agencyId)).toBeNull()

    // Then its whole folder goes, files no row named included — now and again later — and never a live agency's.
    const sweeps = await w.t.owner.db.execute<{ payload: { agencyId: string }; run_at: string }>(
      sql`select j.payload, j.run_at from graphile_worker._private_jobs j join graphile_worker._private_tasks k
            on k.id = j.task_id where k.identifier = 'storage:delete-agency-files' order by j.run_at`,
    )
    expect(sweeps.map((j) => j.payload)).toEqual([{ agencyId: w.a.agencyId }, { agencyId: w.a.agencyId }])
    expect(Date.parse(String(sweeps[1]!.run_at)) - Date.parse(String(sweeps[0]!.run_at))).toBeGreaterThan(20 * 60_000)
    const dir = await mkdtemp(path.join(tmpdir(), 'impera-agency-files-'))
    try {
      const storage = createStorage({ driver: 'local', dir })
      await storage.put(`${w.a.agencyId}/whatsapp/late.jpg`, new Uint8Array([1]), 'image/jpeg')
      await storage.put(`${w.b.agencyId}/whatsapp/kept.jpg`, new Uint8Array([2]), 'image/jpeg')
      expect(await sweepDeletedAgencyFiles({ db: w.t.app.db, storage }, w.b.agencyId)).toBeNull()
      expect(await sweepDeletedAgencyFiles({ db: w.t.app.db, storage }, w.a.agencyId)).toBe(1)
      expect(await storage.get(`${w.a.agencyId}/whatsapp/late.jpg`)).toBeNull()
      expect(await storage.get(`${w.b.agencyId}/whatsapp/kept.jpg`)).not.toBeNull()
    } finally {
      await rm(dir, { recursive: true, force: true })
    }

    expect(await agencyChecksum(w.t, w.b.agencyId)).toBe(other)
    const log = await w.t.owner.db.execute<{ action: string; agency_name: string; actor_user_id: string | null }>(
      sql`select action, agency_name, actor_user_id from platform_audit_log where target_agency_id = ${w.a.agencyId} order by at`,
    )
    expect(log).toEqual([
      { action: 'agency.delete.request', agency_name: name, actor_user_id: w.admin.userId },
      { action: 'agency.delete', agency_name: name, actor_user_id: null },
    ])
    // The people themselves stay users (they may belong to other agencies); only their membership went.
    expect(await w.t.owner.db.execute(sql`select 1 from users where id = ${w.a.manager.userId}`)).toHaveLength(1)
  })

  it('keeps the platform log out of agencies’ reach and append-only', async () => {
    const asMember = w.t.app.db.transaction(async (tx) => {
      await tx.execute(
        sql`select set_config('role', 'app_rls', true), set_config('app.agency_id', ${w.b.agencyId}, true)`,
      )
      return tx.execute(sql`select * from platform_audit_log`)
    })
    await expect(asMember).rejects.toMatchObject({ cause: { code: '42501' } })
    const rewrite = w.t.app.db.transaction(async (tx) => {
      await tx.execute(sql`select set_config('role', 'app_platform', true)`)
      return tx.execute(sql`update platform_audit_log set agency_name = 'x'`)
    })
    await expect(rewrite).rejects.toMatchObject({ cause: { code: '42501' } })
  })
})
