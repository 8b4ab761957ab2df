import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sql } from '@impera/db'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { IMPORT_BATCH_ROWS, runImportJob, uploadImport, validateImportJob } from '../src/services/imports'
import { createStorage, type FileStorage } from '../src/storage'
import { withAgencyActor } from '../src/trpc'
import { buildWorld, leadData, outcome, type Persona, type World } from './harness'

/**
 * Spreadsheet import of leads (decision 024) through the real services, router and database: the worker's two jobs
 * are called here directly (the web test runs them in the real worker), so a run can be stopped between batches the
 * way a worker restart stops it.
 */
let w: World
let dir: string
let storage: FileStorage

beforeAll(async () => {
  w = await buildWorld()
  dir = await mkdtemp(path.join(tmpdir(), 'impera-imports-'))
  storage = createStorage({ driver: 'local', dir })
})
afterAll(async () => {
  await w?.t.close()
  await rm(dir, { recursive: true, force: true })
})

const manager = () => w.caller(w.a.manager, w.a.agencyId)
const deps = () => ({ db: w.t.app.db, storage })

function upload(bytes: Uint8Array, fileName = 'leads.csv', who: Persona = w.a.manager) {
  return withAgencyActor(
    w.t.app.db,
    { userId: who.userId, agencyId: w.a.agencyId, ip: null, action: 'records.import' },
    (ctx) => uploadImport({ ...ctx, storage }, { fileName, bytes }),
  )
}

/** Uploads, maps as guessed (or as given), checks, runs: the whole flow a manager clicks through. */
async function importFile(
  bytes: Uint8Array,
  opts: { policy?: 'skip' | 'update' | 'create'; mapping?: (string | null)[]; distribute?: boolean } = {},
) {
  const { id } = await upload(bytes)
  const item = await manager().imports.get({ id })
  await manager().imports.validate({
    id,
    mapping: opts.mapping ?? item.mapping!,
    duplicatePolicy: opts.policy ?? 'skip',
    distribute: opts.distribute ?? false,
  })
  await validateImportJob(deps(), { agencyId: w.a.agencyId, importId: id })
  const checked = await manager().imports.get({ id })
  expect(checked.status).toBe('validated')
  await manager().imports.start({ id })
  expect(await runImportJob(deps(), { agencyId: w.a.agencyId, importId: id })).toBe('done')
  return { id, planned: checked.planned!, done: (await manager().imports.get({ id })).done }
}

const csv = (lines: string[]) => new Uint8Array(Buffer.from(lines.join('\r\n') + '\r\n', 'utf8'))

async function leadsOf(importId: string) {
  return w.t.owner.db.execute<{
    id: string
    name: string
    phones: string[]
    email: string | null
    budget_max: number | null
    locations: string[]
    assigned_to: string | null
    status: string
    notes: string | null
    created_at: Date
  }>(
    sql`select id, name, phones, email, budget_max::float8 as budget_max, locations, assigned_to, status, notes, created_at
        from leads where import_id = ${importId} order by name`,
  )
}

describe('lead import', () => {
  it('reads an Excel-made Windows-1252 CSV with ";", guesses the columns, reports each row, and creates the leads', async () => {
    const text = [
      'Nome;Celular;E-mail;Bairro;Valor;Corretor;Status;Data de cadastro;Obs',
      `João da Conceição;(11) 8765-4321;JOAO@Example.test;Moema, Pinheiros;R$ 1.250.000,00;${w.a.agent.email};Em atendimento;15/03/2024;Prefere ligação à tarde`,
      'Maria Só Nome;;;;;;;;',
      ';;;Centro;;;;;',
      'Pedro Valor Ruim;11 91111-2222;;;a combinar;;;;',
      'João Repetido;+55 11 98765-4321;;;;;;;',
      'Lead que já existe;11 91234-0000;;;;;;;',
      'Ana;11 93333-4444;;;;Fulano Inexistente;;;',
    ].join('\r\n')
    const bytes = new Uint8Array(Buffer.from(text, 'latin1'))
    const { id } = await upload(bytes, 'Clientes antigos.csv')
    const item = await manager().imports.get({ id })
    expect(item).toMatchObject({ format: 'csv', encoding: 'windows-1252', separator: ';', status: 'uploaded' })
    expect(item.headers[0]).toBe('Nome')
    expect(item.sample[0]![0]).toBe('João da Conceição')
    expect(item.mapping).toEqual([
      'name',
      'phones',
      'email',
      'locations',
      'budgetMax',
      'assignee',
      'status',
      'createdAt',
      'notes',
    ])
    await manager().imports.validate({ id, mapping: item.mapping!, duplicatePolicy: 'skip' })
    expect((await manager().imports.get({ id })).status).toBe('validating')
    await validateImportJob(deps(), { agencyId: w.a.agencyId, importId: id })
    const checked = await manager().imports.get({ id })
    expect(checked).toMatchObject({ status: 'validated', totalRows: 7 })
    expect(checked.planned).toEqual({ create: 4, update: 0, skip: 2, refuse: 1 })
    const report = await manager().imports.rows({ id })
    expect(report.rows.map((r) => [r.row, r.outcome, r.reasons])).toEqual([
      [4, 'refuse', ['noContact']],
      [5, 'create', ['moneyUnreadable']],
      [6, 'skip', ['duplicateInFile']],
      [7, 'skip', ['duplicate']],
      [8, 'create', ['assigneeUnknown']],
    ])
    // Nothing is written before the run.
    expect(await leadsOf(id)).toEqual([])

    await manager().imports.start({ id })
    expect(await runImportJob(deps(), { agencyId: w.a.agencyId, importId: id })).toBe('done')
    const done = await manager().imports.get({ id })
    expect(done).toMatchObject({ status: 'done', done: { create: 4, update: 0, skip: 2, refuse: 1 } })
    const made = await leadsOf(id)
    expect(made.map((l) => l.name)).toEqual(['Ana', 'João da Conceição', 'Maria Só Nome', 'Pedro Valor Ruim'])
    const joao = made.find((l) => l.name === 'João da Conceição')!
    // An old 8-digit mobile gets its 9th digit; the amount is in cents; the agent is found by e-mail.
    expect(joao).toMatchObject({
      phones: ['+5511987654321'],
      email: 'joao@example.test',
      budget_max: 125_000_000,
      locations: ['Moema', 'Pinheiros'],
      assigned_to: w.a.agent.userId,
      status: 'contacted',
      notes: 'Prefere ligação à tarde',
    })
    // 15/03/2024 in the agency's zone (São Paulo), at noon so the day never shifts.
    expect(new Date(joao.created_at).toISOString()).toBe('2024-03-15T15:00:00.000Z')
    expect(made.find((l) => l.name === 'Ana')!.assigned_to).toBeNull()

    // History says where each lead came from; the import is one audited operation, not one entry per lead.
    const [history] = await w.t.owner.db.execute<{ data: Record<string, unknown> }>(
      sql`select data from lead_events where lead_id = ${joao.id} and kind = 'created'`,
    )
    expect(history!.data).toMatchObject({ via: 'import', importId: id, status: 'contacted' })
    const audit = await w.t.owner.db.execute<{ action: string }>(
      sql`select action from audit_log where agency_id = ${w.a.agencyId} and entity_id = ${id} order by at, id`,
    )
    expect(audit.map((a) => a.action)).toEqual(['import.upload', 'import.run', 'import.finish'])
    const [perLead] = await w.t.owner.db.execute<{ n: number }>(
      sql`select count(*)::int as n from audit_log where entity_id = ${joao.id}`,
    )
    expect(perLead!.n).toBe(0)
  })

  it('fills only the empty fields of an existing lead, and undo empties them again and removes what it created', async () => {
    const existing = await manager().leads.create({
      data: leadData({ name: 'Carla Existente', phones: ['21 99876-1111'], email: null, locations: [] }),
    })
    const { id, done } = await importFile(
      csv([
        'Nome,Telefone,Email,Bairro',
        'Carla Nova,21998761111,carla@example.test,Botafogo',
        'Bruno Novo,21 99876-2222,,Leblon',
      ]),
      { policy: 'update' },
    )
    expect(done).toEqual({ create: 1, update: 1, skip: 0, refuse: 0 })
    const [carla] = await w.t.owner.db.execute<{ name: string; email: string; locations: string[] }>(
      sql`select name, email, locations from leads where id = ${existing.id}`,
    )
    // The name it has is kept; only what it lacked is filled.
    expect(carla).toEqual({ name: 'Carla Existente', email: 'carla@example.test', locations: ['Botafogo'] })
    const [edited] = await w.t.owner.db.execute<{ data: Record<string, unknown> }>(
      sql`select data from lead_events where lead_id = ${existing.id} and kind = 'edited'`,
    )
    expect(edited!.data).toMatchObject({ via: 'import', fields: ['email', 'locations'] })

    expect(await manager().imports.undo({ id })).toEqual({ removed: 1, restored: 1 })
    const [after] = await w.t.owner.db.execute<{ email: string | null; locations: string[] }>(
      sql`select email, locations from leads where id = ${existing.id}`,
    )
    expect(after).toEqual({ email: null, locations: [] })
    expect(await leadsOf(id)).toEqual([])
    expect((await manager().imports.get({ id })).status).toBe('undone')
    expect(await outcome(manager().imports.undo({ id }))).toBe('CONFLICT')
  })

  it('refuses to undo once someone worked on an imported lead, saying how many', async () => {
    const { id } = await importFile(csv(['Nome;Celular', 'Diego Editado;31 99111-0001', 'Eva Intocada;31 99111-0002']))
    const [diego] = (await leadsOf(id)).filter((l) => l.name === 'Diego Editado')
    await manager().leads.setStatus({ id: diego!.id, status: 'contacted' })
    const err = await manager()
      .imports.undo({ id })
      .catch((e: { code: string; cause?: { meta?: unknown } }) => e)
    expect(err).toMatchObject({ code: 'CONFLICT', message: 'imports.errors.edited.leads' })
    expect(await leadsOf(id)).toHaveLength(2)
  })

  it('takes a consent column into the LGPD ledger of the leads it creates; undo takes it with them', async () => {
    const existing = await manager().leads.create({
      data: leadData({ name: 'Já Existia', phones: ['51 99333-0009'] }),
    })
    const { id } = await importFile(
      csv([
        'Nome;Celular;Aceita receber ofertas',
        'Olga Sim;51 99333-0001;Sim',
        'Pedro Não;51 99333-0002;não',
        'Quitéria Vazio;51 99333-0003;',
        'Rui Talvez;51 99333-0004;talvez',
        'Já Existia;51 99333-0009;sim',
      ]),
      { policy: 'update' },
    )
    const ledger = await w.t.owner.db.execute<{ name: string; granted: boolean; basis: string | null; source: string }>(
      sql`select l.name, c.granted, c.basis, c.source, c.text_version, c.evidence from contact_consents c
            join leads l on l.id = c.lead_id where l.import_id = ${id} or l.id = ${existing.id} order by l.name`,
    )
    expect(ledger).toEqual([
      expect.objectContaining({ name: 'Olga Sim', granted: true, basis: 'consent', source: 'import' }),
      expect.objectContaining({ name: 'Pedro Não', granted: false, basis: null, source: 'import' }),
    ])
    expect(ledger[0]).toMatchObject({ text_version: 'Planilha leads.csv', evidence: { importId: id, row: '2' } })
    const olga = (await leadsOf(id)).find((l) => l.name === 'Olga Sim')!
    expect((await manager().consent.get({ leadId: olga.id })).status).toBe('granted')
    const report = await manager().imports.rows({ id })
    const reasons = Object.fromEntries(report.rows.map((r) => [r.row, r.reasons]))
    expect(reasons[5]).toContain('consentUnreadable')
    expect(reasons[6]).toContain('consentNotApplied')
    expect((await manager().consent.get({ leadId: existing.id })).status).toBe('unknown')
    await manager().imports.undo({ id })
    const [left] = await w.t.owner.db.execute<{ n: number }>(
      sql`select count(*)::int as n from contact_consents where evidence->>'importId' = ${id}`,
    )
    expect(left!.n).toBe(0)
  })

  it('creates anyway under "create", and skips a person listed twice under "skip"', async () => {
    const lines = ['Nome;Celular', 'Fábio;41 99222-0001', 'Fábio de novo;41 99222-0001']
    const skip = await importFile(csv(lines))
    expect(skip.done).toEqual({ create: 1, update: 0, skip: 1, refuse: 0 })
    const create = await importFile(csv(lines), { policy: 'create' })
    expect(create.done).toEqual({ create: 2, update: 0, skip: 0, refuse: 0 })
  })

  it('resumes after a stop between batches without making anyone twice, and a cancel keeps what was committed', async () => {
    const rows = Array.from({ length: 2500 }, (_, i) => `Pessoa ${i};+55 51 9${String(70000000 + i)}`)
    const bytes = csv(['Nome;Celular', ...rows])
    const { id } = await upload(bytes)
    await manager().imports.validate({ id, mapping: ['name', 'phones'], duplicatePolicy: 'skip' })
    await validateImportJob(deps(), { agencyId: w.a.agencyId, importId: id })
    expect((await manager().imports.get({ id })).planned).toEqual({ create: 2500, update: 0, skip: 0, refuse: 0 })
    await manager().imports.start({ id })
    // The worker stops after one batch (a restart), then the retried job goes on from the checkpoint.
    expect(await runImportJob(deps(), { agencyId: w.a.agencyId, importId: id }, { stopAfter: 1 })).toBe('stopped')
    expect(await manager().imports.get({ id })).toMatchObject({
      processedRows: IMPORT_BATCH_ROWS + 1,
      done: { create: IMPORT_BATCH_ROWS },
    })
    expect(await runImportJob(deps(), { agencyId: w.a.agencyId, importId: id })).toBe('done')
    const [counts] = await w.t.owner.db.execute<{ n: number; people: number }>(
      sql`select count(*)::int as n, count(distinct phones[1])::int as people from leads where import_id = ${id}`,
    )
    expect(counts).toEqual({ n: 2500, people: 2500 })
    // A second copy of the job (a duplicate delivery) finds nothing left to do.
    expect(await runImportJob(deps(), { agencyId: w.a.agencyId, importId: id })).toBeNull()

    const again = await upload(
      csv(['Nome;Celular', ...rows.map((r) => r.replace('Pessoa', 'Outra').replace('+55 51', '+55 52'))]),
    )
    await manager().imports.validate({ id: again.id, mapping: ['name', 'phones'], duplicatePolicy: 'skip' })
    await validateImportJob(deps(), { agencyId: w.a.agencyId, importId: again.id })
    await manager().imports.start({ id: again.id })
    await runImportJob(deps(), { agencyId: w.a.agencyId, importId: again.id }, { stopAfter: 1 })
    await manager().imports.cancel({ id: again.id })
    expect(await runImportJob(deps(), { agencyId: w.a.agencyId, importId: again.id })).toBeNull()
    expect(await manager().imports.get({ id: again.id })).toMatchObject({
      status: 'cancelled',
      done: { create: IMPORT_BATCH_ROWS },
    })
    expect(await leadsOf(again.id)).toHaveLength(IMPORT_BATCH_ROWS)
    expect(await manager().imports.undo({ id: again.id })).toEqual({ removed: IMPORT_BATCH_ROWS, restored: 0 })
  })

  it("a person listed again more than a batch later is the file's duplicate, not an edit that blocks undo", async () => {
    const existing = await manager().leads.create({
      data: leadData({ name: 'Olga Antiga', phones: ['61 99444-0000'], email: null, locations: [] }),
    })
    // A note written long before the import does not make the import permanent.
    await manager().leads.addNote({ leadId: existing.id, body: 'Nota anterior à importação' })
    const filler = Array.from(
      { length: IMPORT_BATCH_ROWS + 100 },
      (_, i) => `Pessoa Lote ${i};+55 61 9${String(50000000 + i)};`,
    )
    const { id, done } = await importFile(
      csv([
        'Nome;Celular;E-mail;Data de cadastro',
        'Paula Primeira;61 99333-0001;;15/03/2099',
        'Olga Antiga;61 99444-0000;olga@example.test;',
        ...filler.map((f) => `${f};`),
        'Paula de Novo;61 99333-0001;paula@example.test;',
      ]),
      { policy: 'update' },
    )
    expect(done).toEqual({ create: IMPORT_BATCH_ROWS + 101, update: 1, skip: 1, refuse: 0 })
    const rows = await manager().imports.rows({ id, outcome: 'skip' })
    expect(rows.rows.map((r) => r.reasons)).toEqual([['duplicateInFile']])
    // A creation date in the future is a typo: dropped with its reason, the lead kept.
    const created = await manager().imports.rows({ id, outcome: 'create' })
    expect(created.rows[0]).toMatchObject({ row: 2, reasons: ['dateOutOfRange'] })
    expect(await manager().imports.undo({ id })).toEqual({ removed: IMPORT_BATCH_ROWS + 101, restored: 1 })
  })

  it('reads an XLSX: numbers as phones, dates as dates', async () => {
    const book = new ExcelJS.Workbook()
    const sheet = book.addWorksheet('Leads')
    sheet.addRow(['Nome completo', 'WhatsApp', 'Quartos', 'Criado em', 'Orçamento'])
    sheet.addRow(['Gabi Planilha', 11987650001, 3, new Date(Date.UTC(2023, 10, 5)), 850000])
    sheet.addRow(['Hugo Planilha', '(11) 98765-0002', '2 quartos', '06/11/2023', '1,2 mi'])
    const bytes = new Uint8Array(await book.xlsx.writeBuffer())
    const { id } = await upload(bytes, 'leads.xlsx')
    const item = await manager().imports.get({ id })
    expect(item).toMatchObject({ format: 'xlsx', encoding: null, separator: null })
    expect(item.mapping).toEqual(['name', 'phones', 'minBedrooms', 'createdAt', 'budgetMax'])
    await manager().imports.validate({ id, mapping: item.mapping!, duplicatePolicy: 'skip' })
    await validateImportJob(deps(), { agencyId: w.a.agencyId, importId: id })
    await manager().imports.start({ id })
    await runImportJob(deps(), { agencyId: w.a.agencyId, importId: id })
    const made = await w.t.owner.db.execute<{
      name: string
      phones: string[]
      min_bedrooms: number
      budget_max: number
    }>(
      sql`select name, phones, min_bedrooms, budget_max::float8 as budget_max from leads where import_id = ${id} order by name`,
    )
    expect(made).toEqual([
      { name: 'Gabi Planilha', phones: ['+5511987650001'], min_bedrooms: 3, budget_max: 85_000_000 },
      { name: 'Hugo Planilha', phones: ['+5511987650002'], min_bedrooms: 2, budget_max: 120_000_000 },
    ])
  })

  it('answers bad files and bad mappings with a specific 4xx, and only managers import', async () => {
    expect(await outcome(upload(new Uint8Array()))).toBe('INVALID_INPUT')
    const xls = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0])
    await expect(upload(xls, 'velho.xls')).rejects.toMatchObject({ userMessage: 'imports.errors.legacyXls' })
    await expect(upload(csv(['', '']))).rejects.toMatchObject({ userMessage: 'imports.errors.noHeader' })
    expect(await outcome(upload(csv(['Nome', 'X']), 'x.csv', w.a.agent))).toBe('FORBIDDEN')

    const { id } = await upload(csv(['Nome;Bairro;Celular', 'Ivo;Centro;11 99999-1234']))
    const refused = (mapping: (string | null)[]) =>
      manager()
        .imports.validate({ id, mapping: mapping as never, duplicatePolicy: 'skip' })
        .catch((e: { code: string; message: string }) => `${e.code} ${e.message}`)
    expect(await refused([null, 'locations', null])).toBe('BAD_REQUEST imports.errors.mappingNeedsContact')
    expect(await refused(['name', 'name', 'phones'])).toBe('BAD_REQUEST imports.errors.mappingTwice')
    expect(await refused(['name'])).toBe('BAD_REQUEST imports.errors.mappingShape')
    expect(await refused(['name', 'nonsense', null])).toMatch(/^BAD_REQUEST/)
    expect(await outcome(manager().imports.start({ id }))).toBe('CONFLICT')
    expect(await outcome(manager().imports.cancel({ id }))).toBe('CONFLICT')
    expect(await outcome(manager().imports.undo({ id }))).toBe('CONFLICT')
    expect(await outcome(w.caller(w.a.agent, w.a.agencyId).imports.list())).toBe('FORBIDDEN')
  })

  it('marks a file that fails midway as failed with its reason, and a row count over the cap', async () => {
    const { id } = await upload(csv(['Nome', 'Joana']))
    await manager().imports.validate({ id, mapping: ['name'], duplicatePolicy: 'skip' })
    // The file is lost from the store (a wiped bucket): the validation fails with a reason, not a crash.
    const [row] = await w.t.owner.db.execute<{ file_key: string }>(sql`select file_key from imports where id = ${id}`)
    await storage.delete([row!.file_key])
    await validateImportJob(deps(), { agencyId: w.a.agencyId, importId: id })
    expect(await manager().imports.get({ id })).toMatchObject({ status: 'failed', error: 'imports.errors.fileGone' })
  })
})

describe('a distributed import (decision 027)', () => {
  it('gives rows without an owner to the rules, quietly and without a deadline; rows with one keep it', async () => {
    await manager().distribution.saveSettings({ listingAgent: true, slaMinutes: 15 })
    const rule = await manager().distribution.saveRule({
      name: 'Importados',
      members: [{ userId: w.a.agent.userId, weight: 1 }],
    })
    const { id } = await importFile(
      csv([
        'Nome;Celular;Responsável',
        'Roleta Um;(11) 98888-7001;',
        'Roleta Dois;(11) 98888-7002;',
        `Dono Próprio;(11) 98888-7003;${w.a.manager.email}`,
      ]),
      { distribute: true },
    )
    const owners = Object.fromEntries((await leadsOf(id)).map((l) => [l.name, l.assigned_to]))
    expect(owners).toEqual({
      'Roleta Um': w.a.agent.userId,
      'Roleta Dois': w.a.agent.userId,
      'Dono Próprio': w.a.manager.userId,
    })
    // No deadline for a backlog, and one notification with the count instead of one per lead.
    const deadlines = await w.t.owner.db.execute(
      sql`select 1 from lead_assignments a join leads l on l.id = a.lead_id where l.import_id = ${id} and a.due_at is not null`,
    )
    expect(deadlines).toHaveLength(0)
    const notes = await w.t.owner.db.execute<{ kind: string; data: { count: number } }>(
      sql`select kind, data from notifications where user_id = ${w.a.agent.userId} and (entity_id = ${id} or entity_id in (select id from leads where import_id = ${id}))`,
    )
    expect(notes).toEqual([{ kind: 'leads_assigned', data: { count: 2 } }])
    await manager().distribution.deleteRule({ id: rule.id })
    await manager().distribution.saveSettings({ listingAgent: true, slaMinutes: null })
  })
})
