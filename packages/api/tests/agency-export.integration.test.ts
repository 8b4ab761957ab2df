import { sql } from '@impera/db'
import { unzipSync } from 'fflate'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repeatableLeadFields } from '../src/imports/lead-rows'
import { guessMapping, leadFieldAliases } from '../src/imports/values'
import { expireAgencyExports, openAgencyExport, runAgencyExportJob } from '../src/services'
import { createStorage, type FileStorage } from '../src/storage'
import { withAgencyActor } from '../src/trpc'
import { buildWorld, leadData, outcome, queuedPayloads, type Persona, type World } from './harness'

/**
 * The agency's own export (issue 17, decision 041) through the real router, job and database: a manager asks, the
 * job writes a ZIP of CSVs and files into the store, the manager downloads it; one at a time, managers only, never
 * another agency's rows, expired after its days.
 */
let w: World
let dir: string
let storage: FileStorage
const PHOTO = Buffer.from('not really a webp, but bytes all the same')

beforeAll(async () => {
  w = await buildWorld()
  dir = await mkdtemp(path.join(tmpdir(), 'impera-agency-export-'))
  storage = createStorage({ driver: 'local', dir })
  const [photo] = await w.t.owner.db.execute<{ storage_key: string }>(
    sql`select storage_key from property_photos where id = ${w.a.photoId}`,
  )
  await storage.put(photo!.storage_key, PHOTO, 'image/webp')
})
afterAll(async () => {
  await w.t.close()
  await rm(dir, { recursive: true, force: true })
})

const manager = () => w.caller(w.a.manager, w.a.agencyId)
const run = (exportId: string, final = false, store = storage, pageSize?: number) =>
  runAgencyExportJob({ db: w.t.app.db, storage: store }, { agencyId: w.a.agencyId, exportId }, { final, pageSize })
const open = (who: Persona, agencyId: string, id: string) =>
  withAgencyActor(w.t.app.db, { userId: who.userId, agencyId, ip: null, action: 'agency.export' }, (ctx) =>
    openAgencyExport({ ...ctx, storage }, { id }),
  )
const unzip = async (key: string) => {
  const files = unzipSync((await storage.get(key))!.bytes)
  // Read as bytes: a TextDecoder would drop the BOM the test looks for.
  return { files, text: (name: string) => Buffer.from(files[name]!).toString('utf8') }
}

describe('agency export', () => {
  let exportId: string

  it('is asked for by a manager, once at a time, as a job; agents and other agencies are refused', async () => {
    await manager().leads.create({
      data: leadData({
        name: '=HYPERLINK("http://x.test","Clique")',
        email: 'formula@example.test',
        budgetMin: 100_000,
        budgetMax: 125_050,
        tags: ['a;b', 'c'],
      }),
    })
    const row = await manager().agencyExport.request({ separator: ';' })
    exportId = row.id
    expect(row.status).toBe('queued')
    expect(await queuedPayloads(w.t, 'agency:export')).toContainEqual({ agencyId: w.a.agencyId, exportId })
    expect(await outcome(manager().agencyExport.request({ separator: ',' }))).toBe('CONFLICT')
    expect(await outcome(w.caller(w.a.agent, w.a.agencyId).agencyExport.request({ separator: ';' }))).toBe('FORBIDDEN')
    expect(await outcome(w.caller(w.a.agent, w.a.agencyId).agencyExport.list())).toBe('FORBIDDEN')
    expect(await w.caller(w.b.manager, w.b.agencyId).agencyExport.list()).toEqual([])
    const [audit] = await w.t.owner.db.execute<{ n: number }>(
      sql`select count(*)::int as n from audit_log where agency_id = ${w.a.agencyId} and action = 'agency.export'`,
    )
    expect(audit!.n).toBe(1)
  })

  it('writes every entity as a CSV and the photos as files, with the agency’s rows only', async () => {
    expect(await run(exportId)).toBe('ready')
    const [listed] = await manager().agencyExport.list()
    expect(listed).toMatchObject({ id: exportId, status: 'ready', requestedBy: expect.any(String) })
    expect(listed!.done).toBe(listed!.total)
    expect(listed!.fileBytes).toBeGreaterThan(0)
    const [counts] = await w.t.owner.db.execute<{ leads: number; clients: number; properties: number }>(sql`
      select (select count(*)::int from leads where agency_id = ${w.a.agencyId}) as leads,
             (select count(*)::int from clients where agency_id = ${w.a.agencyId}) as clients,
             (select count(*)::int from properties where agency_id = ${w.a.agencyId}) as properties`)
    expect(listed!.counts).toMatchObject({
      'leads.csv': counts!.leads,
      'clientes.csv': counts!.clients,
      'imoveis.csv': counts!.properties,
      files: 1,
    })

    const { key } = await open(w.a.manager, w.a.agencyId, exportId)
    const { files, text } = await unzip(key)
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining([
        'LEIA-ME.txt',
        'leads.csv',
        'clientes.csv',
        'imoveis.csv',
        'fotos.csv',
        'tarefas.csv',
        'conversas.csv',
        'mensagens.csv',
        'consentimentos.csv',
        'equipe.csv',
        'historico-leads.csv',
        'imoveis-de-interesse.csv',
      ]),
    )
    const leadsCsv = text('leads.csv')
    // Excel's pt-BR settings: a BOM, `;` between fields, a comma for decimals; a formula stays text.
    expect(leadsCsv.startsWith('\uFEFFid;name;phones;email;status')).toBe(true)
    expect(leadsCsv.split('\r\n').filter(Boolean)).toHaveLength(counts!.leads + 1)
    expect(leadsCsv).toContain(`'=HYPERLINK(""http://x.test"",""Clique"")`)
    expect(leadsCsv).toContain(';1250,5;')
    expect(leadsCsv).toContain('"a;b | c"')
    // Its headers are ones Impera's own import recognises: the file imports back.
    const headers = leadsCsv.slice(1, leadsCsv.indexOf('\r\n')).split(';')
    expect(guessMapping(headers, leadFieldAliases, repeatableLeadFields).filter(Boolean).sort()).toEqual(
      [
        ...['name', 'phones', 'email', 'status', 'source', 'sourceDetail', 'interest', 'budgetMin', 'budgetMax'],
        ...['propertyTypes', 'locations', 'minBedrooms', 'tags', 'notes', 'assignee', 'createdAt'],
      ].sort(),
    )
    const [lead] = await w.t.owner.db.execute<{ name: string }>(sql`select name from leads where id = ${w.a.leadId}`)
    expect(leadsCsv).toContain(lead!.name)
    expect(files[`fotos/${w.a.propertyId}/${w.a.photoId}.webp`]).toEqual(new Uint8Array(PHOTO))
    expect(text('fotos.csv')).toContain(`fotos/${w.a.propertyId}/${w.a.photoId}.webp`)
    expect(text('equipe.csv')).toContain(w.a.manager.email)

    // Nothing of agency B, in any file.
    const theirs = await w.t.owner.db.execute<{ v: string }>(sql`
      select name as v from leads where agency_id = ${w.b.agencyId}
      union select name from clients where agency_id = ${w.b.agencyId}
      union select code from properties where agency_id = ${w.b.agencyId}
      union select email from users where id in (select user_id from memberships where agency_id = ${w.b.agencyId})`)
    expect(theirs.length).toBeGreaterThan(0)
    const all = Object.values(files)
      .map((f) => Buffer.from(f).toString('utf8'))
      .join('\n')
    for (const { v } of theirs) expect(all).not.toContain(v)

    // A retry of a finished job does nothing; a new request may follow now.
    expect(await run(exportId)).toBe('skipped')
  })

  it('is downloaded by the agency’s managers only; expires after its days', async () => {
    expect(await outcome(open(w.a.agent, w.a.agencyId, exportId))).toBe('FORBIDDEN')
    expect(await outcome(open(w.b.manager, w.b.agencyId, exportId))).toBe('NOT_FOUND')
    const [downloads] = await w.t.owner.db.execute<{ n: number }>(sql`select count(*)::int as n from audit_log
      where agency_id = ${w.a.agencyId} and action = 'agency.export_download'`)
    expect(downloads!.n).toBe(1)
    const { key } = await open(w.a.manager, w.a.agencyId, exportId)
    expect(await expireAgencyExports({ db: w.t.app.db }, { agencyId: w.a.agencyId })).toEqual([])
    const later = new Date(Date.now() + 8 * 86_400_000)
    expect(await expireAgencyExports({ db: w.t.app.db }, { agencyId: w.a.agencyId, now: later })).toEqual([key])
    expect(await outcome(open(w.a.manager, w.a.agencyId, exportId))).toBe('CONFLICT')
    expect((await manager().agencyExport.list())[0]).toMatchObject({ status: 'expired' })
  })

  it('records a failure on the last attempt and lets the manager ask again', async () => {
    const row = await manager().agencyExport.request({ separator: ',' })
    const broken: FileStorage = {
      ...storage,
      putFile: () => Promise.reject(new Error('bucket full')),
    }
    await expect(run(row.id, false, broken)).rejects.toThrow('bucket full')
    expect((await manager().agencyExport.list())[0]).toMatchObject({ id: row.id, status: 'running' })
    await expect(run(row.id, true, broken)).rejects.toThrow('bucket full')
    expect((await manager().agencyExport.list())[0]).toMatchObject({
      id: row.id,
      status: 'failed',
      error: 'bucket full',
    })
    const again = await manager().agencyExport.request({ separator: ',' })
    expect(await run(again.id)).toBe('ready')
    const { text } = await unzip((await open(w.a.manager, w.a.agencyId, again.id)).key)
    // Elsewhere: `,` between fields and a dot for decimals.
    expect(text('leads.csv').startsWith('\uFEFFid,name,phones,email,status')).toBe(true)
    expect(text('leads.csv')).toContain(',1250.5,')
  })

  it('pages through every table and file a few rows at a time to the same files', async () => {
    const whole = await manager().agencyExport.request({ separator: ';' })
    expect(await run(whole.id)).toBe('ready')
    const paged = await manager().agencyExport.request({ separator: ';' })
    // Two rows per page: every table's second-page key (one uuid, or the pair for the link table) is exercised.
    expect(await run(paged.id, false, storage, 2)).toBe('ready')
    const a = await unzip((await open(w.a.manager, w.a.agencyId, whole.id)).key)
    const b = await unzip((await open(w.a.manager, w.a.agencyId, paged.id)).key)
    const csvs = Object.keys(a.files).filter((f) => f.endsWith('.csv'))
    expect(csvs.length).toBeGreaterThan(10)
    for (const f of csvs) expect(b.text(f), f).toBe(a.text(f))
    expect(Object.keys(b.files).sort()).toEqual(Object.keys(a.files).sort())
  })

  it('takes over an export a dead worker left running, after hours', async () => {
    const left = await manager().agencyExport.request({ separator: ';' })
    expect(await outcome(manager().agencyExport.request({ separator: ';' }))).toBe('CONFLICT')
    await w.t.owner.db.execute(
      sql`update agency_exports set status = 'running', started_at = now() - interval '7 hours' where id = ${left.id}`,
    )
    const next = await manager().agencyExport.request({ separator: ';' })
    const listed = await manager().agencyExport.list()
    expect(listed.find((e) => e.id === left.id)).toMatchObject({ status: 'failed', error: 'interrupted' })
    expect(listed.find((e) => e.id === next.id)).toMatchObject({ status: 'queued' })
  })
})
