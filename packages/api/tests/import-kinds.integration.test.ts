import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sql } from '@impera/db'
import type { ImportKind } from '@impera/db/enums'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { IMPORT_BATCH_ROWS, runImportJob, uploadImport, validateImportJob } from '../src/services/imports'
import { createStorage, type FileStorage } from '../src/storage'
import { withAgencyActor } from '../src/trpc'
import { buildWorld, clientData, outcome, propertyData, type World } from './harness'

/**
 * The import of clients and of properties with their owners (decision 045) through the real services, router and
 * database, the worker's jobs called directly as in imports.integration.test.ts (which covers the pipeline with leads).
 */
let w: World
let dir: string
let storage: FileStorage

beforeAll(async () => {
  w = await buildWorld()
  dir = await mkdtemp(path.join(tmpdir(), 'impera-import-kinds-'))
  storage = createStorage({ driver: 'local', dir })
})
afterAll(async () => {
  await w?.t.close()
  await rm(dir, { recursive: true, force: true })
})

const manager = () => w.caller(w.a.manager, w.a.agencyId)
const deps = () => ({ db: w.t.app.db, storage })
const csv = (lines: string[]) => new Uint8Array(Buffer.from(lines.join('\r\n') + '\r\n', 'utf8'))

function upload(bytes: Uint8Array, kind: ImportKind, fileName = `${kind}.csv`) {
  return withAgencyActor(
    w.t.app.db,
    { userId: w.a.manager.userId, agencyId: w.a.agencyId, ip: null, action: 'records.import' },
    (ctx) => uploadImport({ ...ctx, storage }, { fileName, bytes, kind }),
  )
}

async function importFile(
  bytes: Uint8Array,
  kind: ImportKind,
  opts: { policy?: 'skip' | 'update' | 'create'; mapping?: (string | null)[] } = {},
) {
  const { id } = await upload(bytes, kind)
  const item = await manager().imports.get({ id })
  await manager().imports.validate({
    id,
    mapping: opts.mapping ?? item.mapping!,
    duplicatePolicy: opts.policy ?? 'skip',
  })
  await validateImportJob(deps(), { agencyId: w.a.agencyId, importId: id })
  const checked = await manager().imports.get({ id })
  expect(checked.status).toBe('validated')
  await manager().imports.start({ id })
  expect(await runImportJob(deps(), { agencyId: w.a.agencyId, importId: id })).toBe('done')
  const report = await manager().imports.rows({ id })
  return {
    id,
    item,
    planned: checked.planned!,
    done: (await manager().imports.get({ id })).done,
    reasons: Object.fromEntries(report.rows.map((r) => [r.row, [r.outcome, ...r.reasons]])),
  }
}

const clientsOf = (importId: string) =>
  w.t.owner.db.execute<{
    id: string
    name: string
    types: string[]
    phones: string[]
    email: string | null
    document: string | null
    city: string | null
    postal_code: string | null
  }>(
    sql`select id, name, types, phones, email, document, city, postal_code from clients
        where import_id = ${importId} order by name`,
  )

const propertiesOf = (importId: string) =>
  w.t.owner.db.execute<{
    id: string
    code: string
    title: string
    type: string
    purpose: string
    sale_price: number | null
    rent_price: number | null
    bedrooms: number | null
    built_area: string | null
    owner_client_id: string | null
    assigned_to: string | null
  }>(
    sql`select id, code, title, type, purpose, sale_price::float8 as sale_price, rent_price::float8 as rent_price,
          bedrooms, built_area::text as built_area, owner_client_id, assigned_to
        from properties where import_id = ${importId} order by code`,
  )

describe('client import', () => {
  it('guesses the columns, finds duplicates by phone, e-mail and CPF, keeps consent, and undo takes it all back', async () => {
    const existing = await manager().clients.create({
      data: clientData({ name: 'Cliente Com CPF', document: '987.654.320-29', city: null }),
    })
    const { id, item, done, reasons } = await importFile(
      csv([
        'Nome;Celular;E-mail;CPF/CNPJ;Tipo;Cidade;CEP;Aceita receber ofertas',
        'Helena Compradora;(11) 98888-0001;HELENA@example.test;111.444.777-35;Compradora;Campinas;13010-000;sim',
        'Cliente Com CPF de novo;;;987.654.320-29;;Santos;;',
        'Ivo CPF Ruim;11 98888-0002;;123.456.789-00;Inquilino;;;não',
        ';;;;;Recife;;',
        'Helena de novo;;helena@example.test;;;;;',
      ]),
      'clients',
      { policy: 'update' },
    )
    expect(item.kind).toBe('clients')
    expect(item.mapping).toEqual([
      'name',
      'phones',
      'email',
      'document',
      'types',
      'city',
      'postalCode',
      'marketingConsent',
    ])
    expect(done).toEqual({ create: 2, update: 1, skip: 1, refuse: 1 })
    expect(reasons[3]).toEqual(['update'])
    expect(reasons[4]).toEqual(['create', 'documentUnreadable'])
    expect(reasons[5]).toEqual(['refuse', 'noContact'])
    expect(reasons[6]).toEqual(['skip', 'duplicateInFile'])
    const made = await clientsOf(id)
    expect(made).toEqual([
      expect.objectContaining({
        name: 'Helena Compradora',
        types: ['buyer'],
        phones: ['+5511988880001'],
        email: 'helena@example.test',
        document: '11144477735',
        city: 'Campinas',
        postal_code: '13010-000',
      }),
      expect.objectContaining({ name: 'Ivo CPF Ruim', types: ['tenant'], document: null }),
    ])
    // The existing client keeps its name; the empty city is filled.
    const [filled] = await w.t.owner.db.execute<{ name: string; city: string | null }>(
      sql`select name, city from clients where id = ${existing.id}`,
    )
    expect(filled).toEqual({ name: 'Cliente Com CPF', city: 'Santos' })
    const ledger = await w.t.owner.db.execute<{ name: string; granted: boolean; source: string }>(
      sql`select c.name, k.granted, k.source from contact_consents k join clients c on c.id = k.client_id
          where c.import_id = ${id} order by c.name`,
    )
    expect(ledger).toEqual([
      { name: 'Helena Compradora', granted: true, source: 'import' },
      { name: 'Ivo CPF Ruim', granted: false, source: 'import' },
    ])
    const [event] = await w.t.owner.db.execute<{ data: Record<string, unknown> }>(
      sql`select data from client_events where client_id = ${made[0]!.id} and kind = 'created'`,
    )
    expect(event!.data).toMatchObject({ via: 'import', importId: id })
    // The imported clients are in the list like any other.
    const list = await manager().clients.list({ q: 'Helena Compradora' })
    expect(list.rows.map((r) => r.name)).toContain('Helena Compradora')

    expect(await manager().imports.undo({ id })).toEqual({ removed: 2, restored: 1 })
    expect(await clientsOf(id)).toEqual([])
    const [restored] = await w.t.owner.db.execute<{ city: string | null }>(
      sql`select city from clients where id = ${existing.id}`,
    )
    expect(restored!.city).toBeNull()
  })

  it('refuses to undo once someone worked on an imported client', async () => {
    const { id } = await importFile(csv(['Nome;Celular', 'Joana Nota;21 97777-0001']), 'clients')
    const [joana] = await clientsOf(id)
    await manager().clients.addNote({ clientId: joana!.id, body: 'Ligou pedindo visita' })
    const err = await manager()
      .imports.undo({ id })
      .catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'CONFLICT', message: 'imports.errors.edited.clients' })
    expect(await clientsOf(id)).toHaveLength(1)
  })

  it('drops a CPF another client holds from a client made under "create", saying why', async () => {
    await manager().clients.create({ data: clientData({ name: 'Dono do CNPJ', document: '11.222.333/0001-81' }) })
    const { id, done, reasons } = await importFile(
      csv(['Nome;CNPJ', 'Empresa Repetida;11.222.333/0001-81']),
      'clients',
      { policy: 'create' },
    )
    expect(done.create).toBe(1)
    expect(reasons[2]).toEqual(['create', 'documentTaken'])
    expect((await clientsOf(id))[0]!.document).toBeNull()
  })
})

describe('property import', () => {
  it('creates listings with their owners, codes and prices; one owner per person; undo removes both', async () => {
    const knownOwner = await manager().clients.create({
      data: clientData({ name: 'Proprietária Conhecida', document: '390.533.447-05', types: ['seller'] }),
    })
    const taken = await manager().properties.create({ data: propertyData({ code: 'IMP-EXISTE' }) })
    const { id, item, done, reasons } = await importFile(
      csv([
        'Código;Título;Tipo;Finalidade;Valor de venda;Valor do aluguel;Quartos;Área útil;Bairro;Cidade;Proprietário;Telefone do proprietário;CPF do proprietário;Corretor',
        `IMP-1;Apartamento com vista;Apartamento;Venda;R$ 850.000,00;;3;92,5 m²;Moema;São Paulo;Alice Dona;(11) 96666-0001;;${w.a.agent.email}`,
        'IMP-2;;Cobertura;Venda e aluguel;1,2 mi;R$ 6.500;4;180;Moema;São Paulo;Alice A.;11 96666-0001;;',
        ';Casa térrea;Casa;Aluguel;;3.500;2;;Centro;Campinas;;;;',
        'IMP-EXISTE;Repetido;Apartamento;Venda;500.000;;;;;;;;;',
        'IMP-5;Terreno da conhecida;Terreno;Venda;300 mil;;;;;Itu;Proprietária Conhecida;;390.533.447-05;',
        'IMP-6;Sem tipo;;Venda;100.000;;;;;;;;;',
        'IMP-7;Venda sem preço;Apartamento;Venda;;;;;;;;;;',
      ]),
      'properties',
    )
    expect(item.kind).toBe('properties')
    expect(item.mapping).toEqual([
      'code',
      'title',
      'type',
      'purpose',
      'salePrice',
      'rentPrice',
      'bedrooms',
      'builtArea',
      'neighbourhood',
      'city',
      'ownerName',
      'ownerPhones',
      'ownerDocument',
      'assignee',
    ])
    expect(done).toEqual({ create: 4, update: 0, skip: 1, refuse: 2 })
    expect(reasons[5]).toEqual(['skip', 'duplicate'])
    expect(reasons[7]![0]).toBe('refuse')
    expect(reasons[7]).toContain('propertyTypeMissing')
    expect(reasons[8]![0]).toBe('refuse')
    expect(reasons[8]).toContain('priceMissing')

    const listings = await propertiesOf(id)
    const byCode = Object.fromEntries(listings.map((l) => [l.code, l]))
    expect(Object.keys(byCode).sort()).toEqual(['CA0001', 'IMP-1', 'IMP-2', 'IMP-5'].sort())
    expect(byCode['IMP-1']).toMatchObject({
      title: 'Apartamento com vista',
      type: 'apartment',
      purpose: 'sale',
      sale_price: 85_000_000,
      bedrooms: 3,
      built_area: '92.50',
      assigned_to: w.a.agent.userId,
    })
    expect(byCode['IMP-2']).toMatchObject({ purpose: 'both', sale_price: 120_000_000, rent_price: 650_000 })
    expect(byCode['IMP-2']!.title.length).toBeGreaterThan(0)
    expect(byCode.CA0001).toMatchObject({ type: 'house', purpose: 'rent', rent_price: 350_000, owner_client_id: null })
    // Alice is one client for both of her listings (the same phone), made by this import as a seller.
    const owners = await clientsOf(id)
    expect(owners).toEqual([expect.objectContaining({ name: 'Alice Dona', phones: ['+5511966660001'] })])
    expect(owners[0]!.types).toContain('seller')
    expect(byCode['IMP-1']!.owner_client_id).toBe(owners[0]!.id)
    expect(byCode['IMP-2']!.owner_client_id).toBe(owners[0]!.id)
    // An owner the agency already has is linked, not made again.
    expect(byCode['IMP-5']!.owner_client_id).toBe(knownOwner.id)
    // The listing with the taken code is untouched.
    const [kept] = await w.t.owner.db.execute<{ title: string }>(
      sql`select title from properties where id = ${taken.id}`,
    )
    expect(kept!.title).toBe('Apartamento 2 quartos')
    const page = await manager().properties.get({ id: byCode['IMP-1']!.id })
    expect(page.property.code).toBe('IMP-1')

    expect(await manager().imports.undo({ id })).toEqual({ removed: 4, restored: 0 })
    expect(await propertiesOf(id)).toEqual([])
    expect(await clientsOf(id)).toEqual([])
    const [still] = await w.t.owner.db.execute<{ n: number }>(
      sql`select count(*)::int as n from clients where id = ${knownOwner.id} and deleted_at is null`,
    )
    expect(still!.n).toBe(1)
  })

  it('fills an existing listing by its code under "update", owner included; a taken code under "create" is replaced', async () => {
    const listing = await manager().properties.create({
      data: propertyData({ code: 'IMP-FILL', bedrooms: null, suites: null, neighbourhood: null }),
    })
    const update = await importFile(
      csv([
        'Referência;Tipo;Finalidade;Valor;Quartos;Bairro;Proprietário',
        'imp-fill;Apartamento;Venda;1;3;Vila Mariana;Bia Dona',
      ]),
      'properties',
      { policy: 'update', mapping: ['code', 'type', 'purpose', 'salePrice', 'bedrooms', 'neighbourhood', 'ownerName'] },
    )
    expect(update.done).toEqual({ create: 0, update: 1, skip: 0, refuse: 0 })
    const [after] = await w.t.owner.db.execute<{ bedrooms: number; neighbourhood: string; owner_client_id: string }>(
      sql`select bedrooms, neighbourhood, owner_client_id from properties where id = ${listing.id}`,
    )
    expect(after).toMatchObject({ bedrooms: 3, neighbourhood: 'Vila Mariana' })
    const [bia] = await clientsOf(update.id)
    expect(after!.owner_client_id).toBe(bia!.id)
    // Undo empties the filled fields first, then removes the owner it made.
    expect(await manager().imports.undo({ id: update.id })).toEqual({ removed: 0, restored: 1 })
    const [undone] = await w.t.owner.db.execute<{ bedrooms: number | null; owner_client_id: string | null }>(
      sql`select bedrooms, owner_client_id from properties where id = ${listing.id}`,
    )
    expect(undone).toEqual({ bedrooms: null, owner_client_id: null })
    expect(await clientsOf(update.id)).toEqual([])

    const create = await importFile(
      csv([
        'Código;Tipo;Finalidade;Valor de venda',
        'IMP-FILL;Apartamento;Venda;400.000',
        'IMP-FILL;Casa;Venda;500.000',
      ]),
      'properties',
      { policy: 'create' },
    )
    expect(create.done.create).toBe(2)
    expect(create.reasons[2]).toContain('codeTaken')
    const codes = (await propertiesOf(create.id)).map((p) => p.code)
    expect(codes.some((c) => /^AP\d{4}$/.test(c))).toBe(true)
    expect(codes.some((c) => /^CA\d{4}$/.test(c))).toBe(true)
  })

  it('refuses to undo once an imported listing got a photo-less edit, and checks each kind mapping', async () => {
    const { id } = await importFile(
      csv(['Código;Tipo;Finalidade;Aluguel', 'IMP-EDIT;Apartamento;Aluguel;2.500']),
      'properties',
    )
    const [listing] = await propertiesOf(id)
    await manager().properties.setStatus({ id: listing!.id, status: 'rented' })
    const err = await manager()
      .imports.undo({ id })
      .catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'CONFLICT', message: 'imports.errors.edited.properties' })

    // A property sheet must say the type; a lead's field is not a property's.
    const other = await upload(csv(['Código;Título', 'X;Y']), 'properties')
    expect(
      await outcome(manager().imports.validate({ id: other.id, mapping: ['code', 'title'], duplicatePolicy: 'skip' })),
    ).toBe('BAD_REQUEST')
    const wrong = await upload(csv(['Tipo;Orçamento', 'Casa;1']), 'properties')
    const refused = await manager()
      .imports.validate({ id: wrong.id, mapping: ['type', 'budgetMax'], duplicatePolicy: 'skip' })
      .catch((e: unknown) => e)
    expect(refused).toMatchObject({ message: 'imports.errors.mappingField' })
  })
})

describe('a property import across batches (decision 045)', () => {
  it('resumes after a stop without a listing or an owner made twice; owners are shared across batches', async () => {
    const n = IMPORT_BATCH_ROWS + 300
    const lines = ['Tipo;Finalidade;Valor de venda;Proprietário;Telefone do proprietário']
    for (let i = 1; i <= n; i++) {
      // Row 2 and the last row: one owner by phone; rows 3 and n - 1: one owner by name alone; the rest own one each.
      const owner =
        i === 1 || i === n
          ? 'Dona Lote;(48) 99100-0000'
          : i === 2 || i === n - 1
            ? 'Seu Zé do Lote;'
            : `Dono ${i};48 99${String(2000000 + i).padStart(7, '0')}`
      lines.push(`${i % 2 ? 'Apartamento' : 'Casa'};Venda;${100 + i}.000;${owner}`)
    }
    const { id } = await upload(csv(lines), 'properties')
    const item = await manager().imports.get({ id })
    await manager().imports.validate({ id, mapping: item.mapping!, duplicatePolicy: 'skip' })
    await validateImportJob(deps(), { agencyId: w.a.agencyId, importId: id })
    await manager().imports.start({ id })
    expect(await runImportJob(deps(), { agencyId: w.a.agencyId, importId: id }, { stopAfter: 1 })).toBe('stopped')
    expect((await manager().imports.get({ id })).processedRows).toBe(IMPORT_BATCH_ROWS + 1)
    expect(await runImportJob(deps(), { agencyId: w.a.agencyId, importId: id })).toBe('done')
    expect((await manager().imports.get({ id })).done).toEqual({ create: n, update: 0, skip: 0, refuse: 0 })
    const listings = await propertiesOf(id)
    expect(listings).toHaveLength(n)
    expect(new Set(listings.map((l) => l.code)).size).toBe(n)
    const owners = await clientsOf(id)
    expect(owners).toHaveLength(n - 2)
    const byName = Object.fromEntries(owners.map((o) => [o.name, o.id]))
    const ownedBy = (name: string) => listings.filter((l) => l.owner_client_id === byName[name]).length
    expect(ownedBy('Dona Lote')).toBe(2)
    expect(ownedBy('Seu Zé do Lote')).toBe(2)
    // An owner the import made is someone's work once they take a note: the import stays.
    await manager().clients.addNote({ clientId: byName['Dona Lote']!, body: 'Quer vender os dois' })
    expect(await outcome(manager().imports.undo({ id }))).toBe('CONFLICT')
  })

  it('makes no owner for a listing that has one, and drops a CPF another client holds from a filled client', async () => {
    const owner = await manager().clients.create({ data: clientData({ name: 'Já É Dona', types: ['seller'] }) })
    const listing = await manager().properties.create({
      data: propertyData({ code: 'IMP-OWNED', ownerClientId: owner.id, bedrooms: null, suites: null }),
    })
    const filled = await importFile(
      csv(['Código;Tipo;Finalidade;Valor de venda;Quartos;Proprietário', 'IMP-OWNED;Apartamento;Venda;1;2;Outro Dono']),
      'properties',
      { policy: 'update' },
    )
    expect(filled.done.update).toBe(1)
    expect(await clientsOf(filled.id)).toEqual([])
    const [after] = await w.t.owner.db.execute<{ owner_client_id: string; bedrooms: number }>(
      sql`select owner_client_id, bedrooms from properties where id = ${listing.id}`,
    )
    expect(after).toEqual({ owner_client_id: owner.id, bedrooms: 2 })

    await manager().clients.create({ data: clientData({ name: 'Dono do CPF', document: '246.813.570-90' }) })
    const phoneOnly = await manager().clients.create({
      data: clientData({ name: 'Só Telefone', phones: ['21 97777-5555'] }),
    })
    const clash = await importFile(csv(['Nome;Celular;CPF', 'Só Telefone;21 97777-5555;246.813.570-90']), 'clients', {
      policy: 'update',
    })
    // The CPF belongs to someone else: not written, not reported as filled, and said so.
    expect(clash.done).toEqual({ create: 0, update: 0, skip: 1, refuse: 0 })
    expect(clash.reasons[2]).toEqual(['skip', 'documentTaken', 'nothingToFill'])
    const [kept] = await w.t.owner.db.execute<{ document: string | null }>(
      sql`select document from clients where id = ${phoneOnly.id}`,
    )
    expect(kept!.document).toBeNull()
  })
})
