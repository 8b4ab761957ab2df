import type { Server } from 'node:http'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { feedPhotoSigner } from '@impera/api/services'
import { createStorage, type FileStorage } from '@impera/api/storage'
import { sql } from '@impera/db'
import pino from 'pino'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildWorld, TEST_SECRETS_KEY, type World } from '../../../packages/api/tests/harness'
import { createWebApp } from './app'
import type { WebEnv } from './env'
import { createHttpApp } from './http'

/**
 * The portal listing feed (decision 023) over real HTTP: what a portal's crawler reads, what the format's rules keep
 * out (and the settings report), the ETag, and the signed photo links.
 */
let w: World
let server: Server
let base: string
let dir: string
let storage: FileStorage
const ORIGIN = 'http://crm.test'

beforeAll(async () => {
  w = await buildWorld()
  dir = await mkdtemp(path.join(tmpdir(), 'impera-feed-'))
  storage = createStorage({ driver: 'local', dir })
  const env = {
    NODE_ENV: 'test',
    SESSION_SECRET: ['x'.repeat(32)],
    origin: ORIGIN,
    devMailbox: false,
    SECRETS_KEY: TEST_SECRETS_KEY,
    WHATSAPP_GRAPH_URL: 'http://127.0.0.1:9',
    WHATSAPP_GRAPH_VERSION: 'v21.0',
  } as unknown as WebEnv
  const app = createWebApp({ env, db: w.t.app.db, log: pino({ level: 'silent' }), storage })
  const http = createHttpApp({
    app,
    sql: w.t.app.sql,
    build: () => Promise.reject(new Error('no Remix build in this test')),
    mode: 'production',
    trustProxy: false,
  })
  await new Promise<void>((r) => (server = http.listen(0, '127.0.0.1', r)))
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  // Agency A's listing, complete for the portals, with its photo's file in storage.
  await w.t.owner.db.execute(sql`
    update properties set publish_portals = true, title = 'Apartamento com varanda em Pinheiros', type = 'apartment',
      purpose = 'both', sale_price = 85000000, rent_price = 450000, condo_fee = 90000, built_area = 72.5,
      bedrooms = 2, suites = 1, bathrooms = 2, parking_spaces = 1, features = array['Piscina', 'varanda', 'vista linda'],
      description = 'Apartamento claro, andar alto, perto do metrô & da Faria Lima. <Reformado> em 2024 ]]> pronto.',
      state = 'SP', city = 'São Paulo', neighbourhood = 'Pinheiros', street = 'Rua dos Pinheiros', number = '100',
      status = 'available'
    where id = ${w.a.propertyId}`)
  const [photo] = await w.t.owner.db.execute<{ storage_key: string }>(
    sql`select storage_key from property_photos where id = ${w.a.photoId}`,
  )
  const webp = await sharp({ create: { width: 20, height: 20, channels: 3, background: '#3366aa' } })
    .webp()
    .toBuffer()
  await storage.put(photo!.storage_key, webp, 'image/webp')
})

afterAll(async () => {
  await new Promise((r) => server?.close(r))
  await w?.t.close()
  await rm(dir, { recursive: true, force: true })
})

const manager = () => w.caller(w.a.manager, w.a.agencyId)

async function addProperty(overrides: string) {
  const [row] = await w.t.owner.db.execute<{ id: string; code: string }>(sql`
    insert into properties (agency_id, code, title, type, purpose, sale_price, publish_portals, city, state, neighbourhood,
      description, built_area)
    values (${w.a.agencyId}, ${`FD${Math.floor(Math.random() * 1e6)}`}, 'Casa', 'house', 'sale', null, true, 'Campinas',
      'São Paulo', 'Cambuí', ${overrides}, null)
    returning id, code`)
  return row!
}

describe('the VRSync feed', () => {
  let feedUrl: string

  beforeAll(async () => {
    feedUrl = `${base}${(await manager().portals.rotateFeed()).path}`
  })

  it('publishes the marked, available, complete listings with their photos as signed JPEG links', async () => {
    const res = await fetch(feedUrl)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/xml; charset=utf-8')
    expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]{32}-\d+"$/)
    const xml = await res.text()
    const [code] = (
      await w.t.owner.db.execute<{ code: string }>(sql`select code from properties where id = ${w.a.propertyId}`)
    ).map((r) => r.code)
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<ListingDataFeed')).toBe(true)
    expect(xml.match(/<Listing>/g)).toHaveLength(1)
    expect(xml).toContain(`<ListingID>${code}</ListingID>`)
    expect(xml).toContain('<Title><![CDATA[Apartamento com varanda em Pinheiros]]></Title>')
    expect(xml).toContain('<TransactionType>Sale/Rent</TransactionType>')
    expect(xml).toContain('<ListPrice currency="BRL">850000</ListPrice>')
    expect(xml).toContain('<RentalPrice currency="BRL" period="Monthly">4500</RentalPrice>')
    expect(xml).toContain('<PropertyAdministrationFee currency="BRL">900</PropertyAdministrationFee>')
    expect(xml).toContain('<LivingArea unit="square metres">73</LivingArea>')
    expect(xml).toContain('<PropertyType>Residential / Apartment</PropertyType>')
    expect(xml).toContain('<Features><Feature>Pool</Feature><Feature>Balcony</Feature></Features>')
    expect(xml).toContain(
      '<State abbreviation="SP">São Paulo</State><City>São Paulo</City><Neighborhood>Pinheiros</Neighborhood>',
    )
    // A `]]>` in the text cannot end the CDATA section early.
    expect(xml).toContain(
      '<Description><![CDATA[Apartamento claro, andar alto, perto do metrô & da Faria Lima. <Reformado> em 2024 ]]]]><![CDATA[> pronto.]]></Description>',
    )
    const link = /<Item medium="image" primary="true">([^<]+)<\/Item>/.exec(xml)![1]!.replaceAll('&amp;', '&')
    expect(link.startsWith(`${ORIGIN}/feeds/photos/${w.a.agencyId}/${w.a.photoId}.jpg?expires=`)).toBe(true)
    const photo = await fetch(link.replace(ORIGIN, base))
    expect(photo.status).toBe(200)
    expect(photo.headers.get('content-type')).toBe('image/jpeg')
    expect([...new Uint8Array(await photo.arrayBuffer()).slice(0, 2)]).toEqual([0xff, 0xd8])
    // Forged, altered or expired links are refused.
    expect((await fetch(link.replace(ORIGIN, base).replace(/signature=.{4}/, 'signature=AAAA'))).status).toBe(403)
    expect((await fetch(link.replace(ORIGIN, base).replace(/expires=\d+/, 'expires=99999999999'))).status).toBe(403)
    const signer = feedPhotoSigner(TEST_SECRETS_KEY, ORIGIN)
    const old = signer.url(w.a.agencyId, w.a.photoId, new Date(Date.now() - 60 * 86_400_000))
    expect((await fetch(old.replace(ORIGIN, base))).status).toBe(403)
    for (const bad of ['x.jpg', `${w.a.photoId}.png`, '%00.jpg'])
      expect((await fetch(`${base}/feeds/photos/${w.a.agencyId}/${bad}?expires=1&signature=x`)).status).toBe(404)
  })

  it('keeps out, and reports with the reasons, what breaks the format rules; unavailable ones just leave', async () => {
    const bad = await addProperty('curta')
    const sold = await addProperty('x'.repeat(60))
    await w.t.owner.db.execute(sql`update properties set status = 'sold', sale_price = 100 where id = ${sold.id}`)
    const xml = await (await fetch(feedUrl)).text()
    expect(xml).not.toContain(bad.code)
    expect(xml).not.toContain(sold.code)
    const report = await manager().portals.feed()
    expect(report.published).toBe(1)
    expect(report.unavailable).toBe(1)
    expect(report.refused).toEqual([
      {
        id: bad.id,
        code: bad.code,
        title: 'Casa',
        reasons: ['feed.titleLength', 'feed.salePrice', 'feed.descriptionLength', 'feed.photos', 'feed.area'],
      },
    ])
  })

  it('answers 304 to a crawler that is up to date, and a new ETag when a listing changes', async () => {
    const first = await fetch(feedUrl)
    const etag = first.headers.get('etag')!
    await first.text()
    expect(first.headers.get('cache-control')).toBe('public, max-age=600')
    const again = await fetch(feedUrl, { headers: { 'if-none-match': etag } })
    expect(again.status).toBe(304)
    await w.t.owner.db.execute(sql`update properties set updated_at = now() where id = ${w.a.propertyId}`)
    const changed = await fetch(feedUrl, { headers: { 'if-none-match': etag } })
    expect(changed.status).toBe(200)
    expect(changed.headers.get('etag')).not.toBe(etag)
    await changed.text()
  })

  it('a listing taken off the portals leaves the feed and its photo links stop', async () => {
    const xml = await (await fetch(feedUrl)).text()
    const link = /<Item medium="image" primary="true">([^<]+)<\/Item>/.exec(xml)![1]!.replaceAll('&amp;', '&')
    await w.t.owner.db.execute(sql`update properties set publish_portals = false where id = ${w.a.propertyId}`)
    expect((await (await fetch(feedUrl)).text()).match(/<Listing>/g)).toBeNull()
    expect((await fetch(link.replace(ORIGIN, base))).status).toBe(404)
    await w.t.owner.db.execute(sql`update properties set publish_portals = true where id = ${w.a.propertyId}`)
  })

  it("unknown and retired URLs are 404; another agency's feed has none of this agency's listings", async () => {
    for (const token of ['x', 'A'.repeat(32), '%00'])
      expect((await fetch(`${base}/feeds/${token}/vrsync.xml`)).status).toBe(404)
    const rotated = `${base}/${(await manager().portals.rotateFeed()).path.slice(1)}`
    expect((await fetch(feedUrl)).status).toBe(404)
    expect((await fetch(rotated)).status).toBe(200)
    feedUrl = rotated
    const b = await w.caller(w.b.manager, w.b.agencyId).portals.rotateFeed()
    const xmlB = await (await fetch(`${base}${b.path}`)).text()
    expect(xmlB).not.toContain('<Listing>')
    expect(xmlB).not.toContain(w.a.agencyId)
    await manager().portals.deleteFeed()
    expect((await fetch(feedUrl)).status).toBe(404)
    expect((await manager().portals.feed()).path).toBeNull()
  })

  it('agents may not see or change the feed', async () => {
    const agent = w.caller(w.a.agent, w.a.agencyId)
    await expect(agent.portals.feed()).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(agent.portals.rotateFeed()).rejects.toMatchObject({ code: 'FORBIDDEN' })
  })
})
