import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sql, withAgency } from '@impera/db'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeError } from '../src/error-shape'
import { addPropertyPhotos, readPropertyPhoto } from '../src/services'
import { createStorage, type FileStorage } from '../src/storage'
import type { AgencyActor } from '../src/ctx'
import { buildWorld, clientData, leadData, outcome, propertyData, queuedPayloads, type World } from './harness'

let w: World
let dir: string
let storage: FileStorage
beforeAll(async () => {
  w = await buildWorld()
  dir = await mkdtemp(path.join(tmpdir(), 'impera-uploads-'))
  storage = createStorage({ driver: 'local', dir })
})
afterAll(async () => {
  await w.t.close()
  await rm(dir, { recursive: true, force: true })
})

const manager = () => w.caller(w.a.manager, w.a.agencyId)
const agent = () => w.caller(w.a.agent, w.a.agencyId)

function actorOf(userId: string, agencyId: string, role: 'manager' | 'agent'): AgencyActor {
  return {
    userId,
    agencyId,
    role,
    membershipId: 'n/a',
    ip: null,
    agency: { agentsSeeAll: false, defaultPhoneCountry: 'BR' },
  }
}

/** A real JPEG with EXIF (orientation + a GPS-like comment) as a phone would upload. */
async function jpeg(width = 2400, height = 1800) {
  return new Uint8Array(
    await sharp({ create: { width, height, channels: 3, background: '#4a7fb5' } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .withExifMerge({ IFD0: { ImageDescription: 'GPS -23.56,-46.69' } })
      .toBuffer(),
  )
}

function upload(actor: AgencyActor, propertyId: string, files: { name: string; bytes: Uint8Array }[]) {
  return withAgency(w.t.app.db, { agencyId: actor.agencyId, userId: actor.userId }, (tx) =>
    addPropertyPhotos({ db: tx, actor, storage }, { propertyId, files }),
  )
}

describe('properties', () => {
  it('generates per-type reference codes, accepts an edited one, and keeps codes unique per agency', async () => {
    const a = await manager().properties.create({ data: propertyData({ title: 'Casa térrea', type: 'house' }) })
    const b = await manager().properties.create({ data: propertyData({ title: 'Casa sobrado', type: 'house' }) })
    expect([a.code, b.code]).toEqual(['CA0001', 'CA0002'])
    const custom = await manager().properties.create({ data: propertyData({ code: 'ap-900', title: 'Cobertura' }) })
    expect(custom.code).toBe('AP-900')
    const taken = await manager()
      .properties.create({ data: propertyData({ code: 'ca0001' }) })
      .catch((e) => e)
    expect(describeError(taken).fieldErrors).toEqual({ code: ['properties.codeTaken'] })
    const edit = await manager()
      .properties.update({ id: b.id, data: propertyData({ code: 'CA0001', type: 'house' }) })
      .catch((e) => e)
    expect(describeError(edit).fieldErrors).toEqual({ code: ['properties.codeTaken'] })
    // Another agency numbers its own properties.
    expect(
      (await w.caller(w.b.manager, w.b.agencyId).properties.create({ data: propertyData({ type: 'house' }) })).code,
    ).toBe('CA0001')
  })

  it('stores money as cents and areas as m², and rejects inconsistent input per field', async () => {
    const p = await manager().properties.create({
      data: propertyData({
        purpose: 'both',
        salePrice: 'R$ 1.250.000,00',
        rentPrice: '6.500',
        condoFee: '1.200,50',
        builtArea: '120,75',
        totalArea: 150,
      }),
    })
    expect(p).toMatchObject({
      salePrice: 125_000_000,
      rentPrice: 650_000,
      condoFee: 120_050,
      builtArea: 120.75,
      totalArea: 150,
    })
    const err = await manager()
      .properties.create({ data: propertyData({ title: '', builtArea: 'abc', code: 'bad code!' }) })
      .catch((e) => e)
    expect(err.code).toBe('BAD_REQUEST')
    expect(describeError(err).fieldErrors).toEqual({
      title: ['validation.required'],
      builtArea: ['validation.number'],
      code: ['properties.codeFormat'],
    })
    // Cross-field rules, once the fields themselves are valid.
    const cross = await manager()
      .properties.create({ data: propertyData({ purpose: 'rent', rentPrice: null, bedrooms: 1, suites: 3 }) })
      .catch((e) => e)
    expect(describeError(cross).fieldErrors).toEqual({
      rentPrice: ['properties.rentPriceRequired'],
      suites: ['properties.suitesOverBedrooms'],
    })
  })

  it('links its owner client; the client page lists it; an owner the actor cannot see is refused', async () => {
    const owner = await manager().clients.create({
      data: clientData({ name: 'Proprietária Lúcia', types: ['seller'] }),
    })
    const p = await manager().properties.create({
      data: propertyData({ title: 'Apto da Lúcia', ownerClientId: owner.id }),
    })
    expect((await manager().properties.get({ id: p.id })).owner).toEqual({ id: owner.id, name: 'Proprietária Lúcia' })
    expect((await manager().clients.get({ id: owner.id })).properties.map((x) => x.id)).toEqual([p.id])
    const hidden = await manager().clients.create({
      data: clientData({ name: 'Reservado', assignedTo: w.a.manager.userId }),
    })
    const err = await agent()
      .properties.create({ data: propertyData({ ownerClientId: hidden.id }) })
      .catch((e) => e)
    expect(describeError(err).fieldErrors).toEqual({ ownerClientId: ['properties.ownerInvalid'] })
  })

  it('filters by status, type, purpose with price range, bedrooms, neighbourhood; sorts by price', async () => {
    const mk = (o: Record<string, unknown>) =>
      manager().properties.create({ data: propertyData({ neighbourhood: 'Moema', ...o }) })
    await mk({ title: 'F1 venda barata', salePrice: 40_000_000, bedrooms: 1, suites: 0 })
    await mk({ title: 'F2 venda cara', salePrice: 120_000_000, bedrooms: 3 })
    await mk({ title: 'F3 aluguel', purpose: 'rent', salePrice: null, rentPrice: 350_000, bedrooms: 2 })
    await mk({
      title: 'F4 ambos',
      purpose: 'both',
      salePrice: 90_000_000,
      rentPrice: 500_000,
      bedrooms: 3,
      type: 'house',
    })
    await mk({ title: 'F5 vendido', salePrice: 80_000_000, status: 'sold' })
    const titles = async (input: Record<string, unknown>) =>
      (await manager().properties.list({ neighbourhood: 'moema', pageSize: 100, ...input })).rows
        .map((r) => r.title)
        .sort()
    expect(await titles({ purpose: 'sale', priceMin: '500.000', priceMax: '1.000.000' })).toEqual([
      'F4 ambos',
      'F5 vendido',
    ])
    expect(await titles({ purpose: 'rent', priceMax: 400_000 })).toEqual(['F3 aluguel'])
    expect(await titles({ status: ['sold'] })).toEqual(['F5 vendido'])
    expect(await titles({ type: ['house'] })).toEqual(['F4 ambos'])
    expect(await titles({ minBedrooms: 3 })).toEqual(['F2 venda cara', 'F4 ambos'])
    const sorted = (
      await manager().properties.list({ neighbourhood: 'Moema', purpose: 'sale', sort: 'price', dir: 'asc' })
    ).rows.map((r) => r.title)
    expect(sorted).toEqual(['F1 venda barata', 'F5 vendido', 'F4 ambos', 'F2 venda cara'])
    const bad = await manager()
      .properties.list({ priceMin: 10, priceMax: 5 })
      .catch((e) => e)
    expect(describeError(bad).fieldErrors).toEqual({ priceMax: ['validation.budgetRange'] })
  })

  it('records status changes on its history; agents cannot delete; trash restores', async () => {
    const p = await agent().properties.create({ data: propertyData({ title: 'Do corretor' }) })
    expect(p.assignedTo).toBe(w.a.agent.userId)
    await agent().properties.setStatus({ id: p.id, status: 'reserved' })
    const detail = await agent().properties.get({ id: p.id })
    expect(detail.events.find((e) => e.kind === 'status_changed')?.data).toEqual({ from: 'available', to: 'reserved' })
    expect(await outcome(agent().properties.delete({ id: p.id }))).toBe('FORBIDDEN')
    await manager().properties.delete({ id: p.id })
    expect(await outcome(agent().properties.get({ id: p.id }))).toBe('NOT_FOUND')
    expect((await manager().properties.trash()).map((t) => t.id)).toContain(p.id)
    await manager().properties.restore({ id: p.id })
    expect(await outcome(agent().properties.get({ id: p.id }))).toBe('OK')
  })

  it('agents see their own and unassigned properties; pickers and lists respect it; edits stay with the assignee', async () => {
    const managers = await manager().properties.create({
      data: propertyData({ title: 'Carteira do gestor', assignedTo: w.a.manager.userId }),
    })
    const free = await manager().properties.create({ data: propertyData({ title: 'Carteira livre' }) })
    expect((await agent().properties.pick({ q: 'Carteira' })).map((p) => p.title)).toEqual(['Carteira livre'])
    expect((await agent().properties.list({ q: 'Carteira' })).rows.map((p) => p.title)).toEqual(['Carteira livre'])
    expect(await outcome(agent().properties.get({ id: managers.id }))).toBe('NOT_FOUND')
    expect(await outcome(agent().properties.setStatus({ id: managers.id, status: 'sold' }))).toBe('NOT_FOUND')
    expect(
      await outcome(
        agent().properties.update({
          id: free.id,
          data: propertyData({ title: 'Carteira livre', assignedTo: w.a.manager.userId }),
        }),
      ),
    ).toBe('FORBIDDEN')
    // An agent cannot mark interest between a lead and a property they cannot see.
    const lead = await agent().leads.create({ data: leadData({ name: 'Lead do corretor', phones: ['11 95432-0000'] }) })
    expect(await outcome(agent().leads.linkProperty({ leadId: lead.id, propertyId: managers.id }))).toBe('NOT_FOUND')
    expect((await manager().properties.pick({ q: 'Carteira' })).length).toBe(2)
    expect(await outcome(agent().properties.trash())).toBe('FORBIDDEN')
  })

  it('leads ↔ properties: linked from either side, idempotent, on the lead timeline, listed on the property', async () => {
    const lead = await manager().leads.create({ data: leadData({ name: 'Interessada', phones: ['11 95432-1098'] }) })
    const p = await manager().properties.create({ data: propertyData({ title: 'Apto interessante' }) })
    await manager().leads.linkProperty({ leadId: lead.id, propertyId: p.id })
    await manager().leads.linkProperty({ leadId: lead.id, propertyId: p.id })
    expect((await manager().leads.interests({ id: lead.id })).map((x) => x.id)).toEqual([p.id])
    expect((await manager().properties.get({ id: p.id })).interestedLeads.map((l) => l.name)).toEqual(['Interessada'])
    const events = (await manager().leads.get({ id: lead.id })).events.filter((e) => e.kind === 'property_linked')
    expect(events).toHaveLength(1)
    await manager().leads.unlinkProperty({ leadId: lead.id, propertyId: p.id })
    expect(await manager().leads.interests({ id: lead.id })).toEqual([])
    expect(await outcome(manager().leads.unlinkProperty({ leadId: lead.id, propertyId: p.id }))).toBe('NOT_FOUND')
  })
})

describe('listing counts (dashboard)', () => {
  it('follow every create, status change, reassignment, trash, restore, bulk edit and delete, per assignee', async () => {
    const o = w.t.owner.db
    const direct = async (who: string | null) => {
      const rows = await o.execute<{ status: string; n: number }>(sql`
        select status, count(*)::int as n from properties where agency_id = ${w.a.agencyId} and deleted_at is null
        ${who ? sql`and assigned_to = ${who}` : sql``} group by status`)
      return Object.fromEntries(rows.map((r) => [r.status, r.n]))
    }
    const check = async (step: string) => {
      expect((await manager().dashboard.get({ period: '30d' })).kpis.listings, `${step}: agency`).toEqual(
        await direct(null),
      )
      expect((await agent().dashboard.get({ period: '30d' })).kpis.listings, `${step}: agent`).toEqual(
        await direct(w.a.agent.userId),
      )
    }
    await check('before')
    const mine = await agent().properties.create({ data: propertyData({ title: 'Contagem do corretor' }) })
    const free = await manager().properties.create({ data: propertyData({ title: 'Contagem livre' }) })
    await check('created')
    await agent().properties.setStatus({ id: mine.id, status: 'reserved' })
    await check('reserved')
    await manager().properties.update({
      id: free.id,
      data: propertyData({ title: 'Contagem livre', assignedTo: w.a.agent.userId }),
    })
    await check('reassigned')
    await manager().properties.delete({ id: mine.id })
    await check('trashed')
    await manager().properties.restore({ id: mine.id })
    await check('restored')
    // Several rows in one statement, moving both ways, and an edit that moves nothing.
    await o.execute(
      sql`update properties set status = case when status = 'available' then 'off_market'::property_status else 'available'::property_status end where agency_id = ${w.a.agencyId} and id in (${mine.id}, ${free.id})`,
    )
    await o.execute(sql`update properties set title = title || ' ' where agency_id = ${w.a.agencyId}`)
    await check('bulk')
    await o.execute(sql`delete from properties where agency_id = ${w.a.agencyId} and id = ${free.id}`)
    await check('deleted')
    // Another agency's counts are its own (and invisible here: the table is fenced like the rest).
    await w.caller(w.b.manager, w.b.agencyId).properties.create({ data: propertyData({ title: 'De outra agência' }) })
    await check('other agency')
  })
})

describe('property photos', () => {
  it('stores a display image and a thumbnail as WebP, rotated, without EXIF; first photo is the cover', async () => {
    const p = await manager().properties.create({ data: propertyData({ title: 'Com fotos' }) })
    const m = actorOf(w.a.manager.userId, w.a.agencyId, 'manager')
    const added = await upload(m, p.id, [
      { name: 'sala.jpg', bytes: await jpeg() },
      { name: 'quarto.jpg', bytes: await jpeg(800, 600) },
    ])
    expect(added).toHaveLength(2)
    const detail = await manager().properties.get({ id: p.id })
    // Orientation 6 = rotated 90°: the stored landscape original becomes portrait, capped at 1600 px.
    expect(detail.photos.map((x) => [x.width, x.height])).toEqual([
      [1200, 1600],
      [600, 800],
    ])
    const full = await withAgency(w.t.app.db, { agencyId: m.agencyId, userId: m.userId }, (tx) =>
      readPropertyPhoto({ db: tx, actor: m, storage }, { photoId: added[0]!.id, variant: 'full' }),
    )
    const meta = await sharp(full.bytes).metadata()
    expect(meta).toMatchObject({ format: 'webp', width: 1200, height: 1600 })
    expect(meta.exif).toBeUndefined()
    const thumb = await withAgency(w.t.app.db, { agencyId: m.agencyId, userId: m.userId }, (tx) =>
      readPropertyPhoto({ db: tx, actor: m, storage }, { photoId: added[0]!.id, variant: 'thumb' }),
    )
    expect(await sharp(thumb.bytes).metadata()).toMatchObject({ format: 'webp', width: 480, height: 360 })
    const list = await manager().properties.list({ q: 'Com fotos' })
    expect(list.rows[0]!.coverPhotoId).toBe(added[0]!.id)
  })

  it('rejects non-images, oversized files and an empty upload, naming the file, and stores nothing', async () => {
    const p = await manager().properties.create({ data: propertyData({ title: 'Sem fotos' }) })
    const m = actorOf(w.a.manager.userId, w.a.agencyId, 'manager')
    const before = await readdir(dir, { recursive: true })
    const fake = await upload(m, p.id, [
      { name: 'ok.jpg', bytes: await jpeg(100, 100) },
      { name: 'contrato.pdf', bytes: new TextEncoder().encode('%PDF-1.4 not an image') },
    ]).catch((e) => e)
    expect(fake).toMatchObject({
      code: 'INVALID_INPUT',
      userMessage: 'properties.photoType',
      meta: { file: 'contrato.pdf', fields: { photos: ['properties.photoType'] } },
    })
    const big = await upload(m, p.id, [{ name: 'enorme.jpg', bytes: new Uint8Array(16 * 1024 * 1024) }]).catch((e) => e)
    expect(big).toMatchObject({ userMessage: 'properties.photoTooLarge', meta: { file: 'enorme.jpg' } })
    expect(await upload(m, p.id, []).catch((e) => e.userMessage)).toBe('properties.photoNone')
    expect(await readdir(dir, { recursive: true })).toEqual(before)
    expect((await manager().properties.get({ id: p.id })).photos).toEqual([])
  })

  it('reorders (the full order only), picks a cover, deletes and schedules the files for removal', async () => {
    const p = await manager().properties.create({ data: propertyData({ title: 'Ordem' }) })
    const m = actorOf(w.a.manager.userId, w.a.agencyId, 'manager')
    const [a, b, c] = await upload(m, p.id, [
      { name: 'a.jpg', bytes: await jpeg(300, 200) },
      { name: 'b.jpg', bytes: await jpeg(300, 200) },
      { name: 'c.jpg', bytes: await jpeg(300, 200) },
    ])
    const order = async () => (await manager().properties.get({ id: p.id })).photos.map((x) => x.originalName)
    await manager().properties.reorderPhotos({ propertyId: p.id, photoIds: [c!.id, a!.id, b!.id] })
    expect(await order()).toEqual(['c.jpg', 'a.jpg', 'b.jpg'])
    expect(await outcome(manager().properties.reorderPhotos({ propertyId: p.id, photoIds: [a!.id, b!.id] }))).toBe(
      'CONFLICT',
    )
    await manager().properties.setCover({ photoId: b!.id })
    expect(await order()).toEqual(['b.jpg', 'c.jpg', 'a.jpg'])
    await manager().properties.deletePhoto({ id: c!.id })
    expect(await order()).toEqual(['b.jpg', 'a.jpg'])
    const jobs = await queuedPayloads<{ keys: string[] }>(w.t, 'storage:delete')
    expect(jobs.at(-1)!.keys).toEqual([
      `${w.a.agencyId}/properties/${p.id}/${c!.id}.webp`,
      `${w.a.agencyId}/properties/${p.id}/${c!.id}_thumb.webp`,
    ])
  })

  it('serves and accepts photos only for who may see/edit the property', async () => {
    const p = await manager().properties.create({
      data: propertyData({ title: 'Privado', assignedTo: w.a.manager.userId }),
    })
    const m = actorOf(w.a.manager.userId, w.a.agencyId, 'manager')
    const [photo] = await upload(m, p.id, [{ name: 'x.jpg', bytes: await jpeg(200, 200) }])
    const read = (actor: AgencyActor) =>
      withAgency(w.t.app.db, { agencyId: actor.agencyId, userId: actor.userId }, (tx) =>
        readPropertyPhoto({ db: tx, actor, storage }, { photoId: photo!.id, variant: 'thumb' }),
      ).catch((e) => e.code)
    expect(await read(actorOf(w.a.agent.userId, w.a.agencyId, 'agent'))).toBe('NOT_FOUND')
    expect(await read(actorOf(w.b.manager.userId, w.b.agencyId, 'manager'))).toBe('NOT_FOUND')
    // Pointing the other agency's context at A's property id does not work either: RLS hides the row.
    expect(
      await upload(actorOf(w.b.manager.userId, w.b.agencyId, 'manager'), p.id, [
        { name: 'y.jpg', bytes: await jpeg(10, 10) },
      ]).catch((e) => e.code),
    ).toBe('NOT_FOUND')
    expect(
      await upload(actorOf(w.a.agent.userId, w.a.agencyId, 'agent'), p.id, [
        { name: 'y.jpg', bytes: await jpeg(10, 10) },
      ]).catch((e) => e.code),
    ).toBe('NOT_FOUND')
    const [{ n }] = (await w.t.owner.db.execute<{ n: number }>(
      sql`select count(*)::int as n from property_photos where property_id = ${p.id}`,
    )) as unknown as [{ n: number }]
    expect(n).toBe(1)
  })
})
