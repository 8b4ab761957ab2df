import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import {
  agencies,
  and,
  asc,
  eq,
  gt,
  isNull,
  listingFeeds,
  properties,
  propertyPhotos,
  sql,
  withAgency,
  type Db,
  type DbOrTx,
} from '@impera/db'
import sharp from 'sharp'
import type { AgencyCtx, WithStorage } from '../ctx'
import { notFound } from '../errors'
import { foldPhrase } from '../ai/fold'
import { audit } from './audit'

/**
 * The agency's listing feed for the portals (decision 023): VRSync, the XML the Grupo OLX portals (ZAP Imóveis, Viva
 * Real, OLX) read, of the properties marked "publicar nos portais" that are available. Each listing is checked against
 * the format's rules first; one that breaks a rule is left out and reported in Settings → Portais with the reasons,
 * instead of the portal refusing it silently. Photos go out as signed, expiring URLs of their own (never the private
 * storage), converted to JPEG.
 */

const FEED_PAGE = 500
const MAX_PHOTOS = 50
/** Photo links stay valid this long after the start of the week they were issued in (a crawler may come days later). */
const PHOTO_LINK_DAYS = 30
const WEEK_MS = 7 * 86_400_000

export const listingFeedPath = (token: string) => `/feeds/${token}/vrsync.xml`

type FeedRow = Pick<
  typeof properties.$inferSelect,
  | 'id'
  | 'code'
  | 'title'
  | 'type'
  | 'purpose'
  | 'salePrice'
  | 'rentPrice'
  | 'condoFee'
  | 'propertyTax'
  | 'builtArea'
  | 'totalArea'
  | 'bedrooms'
  | 'suites'
  | 'bathrooms'
  | 'parkingSpaces'
  | 'features'
  | 'description'
  | 'street'
  | 'number'
  | 'complement'
  | 'neighbourhood'
  | 'city'
  | 'state'
  | 'postalCode'
  | 'updatedAt'
> & { photoIds: string[] }

/** VRSync's property types for ours; `other` has no counterpart and is refused. */
const vrsyncType: Record<string, { usage: 'Residential' | 'Commercial'; type: string } | undefined> = {
  apartment: { usage: 'Residential', type: 'Residential / Apartment' },
  house: { usage: 'Residential', type: 'Residential / Home' },
  land: { usage: 'Residential', type: 'Residential / Land Lot' },
  commercial: { usage: 'Commercial', type: 'Commercial / Building' },
  rural: { usage: 'Residential', type: 'Residential / Farm Ranch' },
}

/** Our free-text features the format's vocabulary knows (folded: accents and case do not matter); others stay out. */
const vrsyncFeatures: Record<string, string> = {
  piscina: 'Pool',
  academia: 'Gym',
  churrasqueira: 'BBQ',
  elevador: 'Elevator',
  varanda: 'Balcony',
  sacada: 'Balcony',
  'varanda gourmet': 'Gourmet Balcony',
  mobiliado: 'Furnished',
  playground: 'Playground',
  'salao de festas': 'Party Room',
  sauna: 'Sauna',
  jardim: 'Garden',
  quintal: 'Backyard',
  lareira: 'Fireplace',
  'ar condicionado': 'Air Conditioning',
  portaria: 'Gated Community',
  'portaria 24h': 'Gated Community',
  'condominio fechado': 'Gated Community',
  'pet friendly': 'Pets Allowed',
  'aceita pet': 'Pets Allowed',
  'quadra de tenis': 'Tennis court',
  'quadra poliesportiva': 'Sports Court',
  'area de servico': 'Service Area',
}

const UF: Record<string, string> = {
  AC: 'Acre',
  AL: 'Alagoas',
  AP: 'Amapá',
  AM: 'Amazonas',
  BA: 'Bahia',
  CE: 'Ceará',
  DF: 'Distrito Federal',
  ES: 'Espírito Santo',
  GO: 'Goiás',
  MA: 'Maranhão',
  MT: 'Mato Grosso',
  MS: 'Mato Grosso do Sul',
  MG: 'Minas Gerais',
  PA: 'Pará',
  PB: 'Paraíba',
  PR: 'Paraná',
  PE: 'Pernambuco',
  PI: 'Piauí',
  RJ: 'Rio de Janeiro',
  RN: 'Rio Grande do Norte',
  RS: 'Rio Grande do Sul',
  RO: 'Rondônia',
  RR: 'Roraima',
  SC: 'Santa Catarina',
  SP: 'São Paulo',
  SE: 'Sergipe',
  TO: 'Tocantins',
}

/** The state's two-letter code, whether it was typed as "SP" or "São Paulo". */
function ufOf(state: string | null): string | null {
  const s = (state ?? '').trim()
  if (UF[s.toUpperCase()]) return s.toUpperCase()
  const folded = foldPhrase(s)
  return Object.entries(UF).find(([, name]) => foldPhrase(name) === folded)?.[0] ?? null
}

/**
 * The format's rules a listing must pass to be published, as message keys (empty: it goes out). From the VRSync
 * documentation: ListingID 1–50 characters, a title of 10–100, a transaction type with its price, a description of
 * 50–3,000, a state, city and neighbourhood, at least one photo, a type the format knows, and the living area (or, for
 * land, the lot's).
 */
export function feedRefusals(p: Omit<FeedRow, 'updatedAt'>): string[] {
  const reasons: string[] = []
  const title = p.title.trim()
  const description = (p.description ?? '').trim()
  if (p.code.length < 1 || p.code.length > 50) reasons.push('feed.codeLength')
  if (title.length < 10 || title.length > 100) reasons.push('feed.titleLength')
  if (p.purpose !== 'rent' && !(p.salePrice && p.salePrice > 0)) reasons.push('feed.salePrice')
  if (p.purpose !== 'sale' && !(p.rentPrice && p.rentPrice > 0)) reasons.push('feed.rentPrice')
  if (description.length < 50 || description.length > 3000) reasons.push('feed.descriptionLength')
  if (!ufOf(p.state) || !p.city?.trim() || !p.neighbourhood?.trim()) reasons.push('feed.location')
  if (!p.photoIds.length) reasons.push('feed.photos')
  if (!vrsyncType[p.type]) reasons.push('feed.type')
  else if (p.type === 'land' ? !p.totalArea : !p.builtArea) reasons.push('feed.area')
  return reasons
}

/** Text XML 1.0 can carry: control characters (but tab and line breaks) and lone surrogates go. */
function xmlSafe(s: string): string {
  return s.replace(
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '',
  )
}
const esc = (s: string) =>
  xmlSafe(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!)
/** CDATA, as the format asks for titles and descriptions; a `]]>` inside is split across two sections. */
const cdata = (s: string) => `<![CDATA[${xmlSafe(s).replaceAll(']]>', ']]]]><![CDATA[>')}]]>`
const reais = (cents: number) => String(Math.round(cents / 100))
const tag = (name: string, value: string | number | null | undefined, attrs = '') =>
  value === null || value === undefined || value === ''
    ? ''
    : `<${name}${attrs}>${typeof value === 'number' ? value : esc(value)}</${name}>`

export interface FeedPhotoSigner {
  /** The public, expiring URL of one photo of the agency. */
  url(agencyId: string, photoId: string, now: Date): string
  /** Whether a URL's parts were signed by us and are still valid. */
  verify(agencyId: string, photoId: string, expires: number, signature: string, now: Date): boolean
}

/** Photo links signed with a key derived from SECRETS_KEY; valid PHOTO_LINK_DAYS from the start of their week. */
export function feedPhotoSigner(secretsKey: string | undefined, origin: string): FeedPhotoSigner {
  const key = secretsKey
    ? createHmac('sha256', Buffer.from(secretsKey, 'base64')).update('impera feed photos v1').digest()
    : null
  const sign = (agencyId: string, photoId: string, expires: number) => {
    if (!key) throw new Error('SECRETS_KEY must be set to sign the portal feed photo links')
    return createHmac('sha256', key).update(`${agencyId}.${photoId}.${expires}`).digest('base64url').slice(0, 43)
  }
  return {
    url(agencyId, photoId, now) {
      // The same link all week, so the feed (and its ETag) does not change with every read.
      const expires = Math.floor((Math.floor(now.getTime() / WEEK_MS) * WEEK_MS + PHOTO_LINK_DAYS * 86_400_000) / 1000)
      return `${origin}/feeds/photos/${agencyId}/${photoId}.jpg?expires=${expires}&signature=${sign(agencyId, photoId, expires)}`
    },
    verify(agencyId, photoId, expires, signature, now) {
      if (!Number.isSafeInteger(expires) || expires * 1000 < now.getTime()) return false
      const expected = Buffer.from(sign(agencyId, photoId, expires))
      const given = Buffer.from(signature)
      return given.length === expected.length && timingSafeEqual(given, expected)
    },
  }
}

function listingXml(p: FeedRow, agency: { name: string; currency: string }, photoUrl: (id: string) => string) {
  const kind = vrsyncType[p.type]!
  const transaction = p.purpose === 'sale' ? 'For Sale' : p.purpose === 'rent' ? 'For Rent' : 'Sale/Rent'
  const money = (name: string, cents: number | null, extra = '') =>
    cents ? `<${name} currency="${esc(agency.currency)}"${extra}>${reais(cents)}</${name}>` : ''
  const uf = ufOf(p.state)!
  const features = [...new Set(p.features.map((f) => vrsyncFeatures[foldPhrase(f)]).filter((f): f is string => !!f))]
  return [
    '<Listing>',
    tag('ListingID', p.code),
    `<Title>${cdata(p.title.trim())}</Title>`,
    tag('TransactionType', transaction),
    '<PublicationType>STANDARD</PublicationType>',
    '<Media>',
    ...p.photoIds.map((id, i) => `<Item medium="image"${i === 0 ? ' primary="true"' : ''}>${esc(photoUrl(id))}</Item>`),
    '</Media>',
    '<Details>',
    tag('UsageType', kind.usage),
    tag('PropertyType', kind.type),
    `<Description>${cdata((p.description ?? '').trim())}</Description>`,
    p.purpose !== 'rent' ? money('ListPrice', p.salePrice) : '',
    p.purpose !== 'sale' ? money('RentalPrice', p.rentPrice, ' period="Monthly"') : '',
    money('PropertyAdministrationFee', p.condoFee),
    money('YearlyTax', p.propertyTax),
    p.builtArea ? tag('LivingArea', Math.round(p.builtArea), ' unit="square metres"') : '',
    p.totalArea ? tag('LotArea', Math.round(p.totalArea), ' unit="square metres"') : '',
    tag('Bedrooms', p.bedrooms),
    tag('Bathrooms', p.bathrooms),
    tag('Suites', p.suites),
    tag('Garage', p.parkingSpaces, ' type="Parking Space"'),
    features.length ? `<Features>${features.map((f) => tag('Feature', f)).join('')}</Features>` : '',
    '</Details>',
    '<Location displayAddress="Neighborhood">',
    '<Country abbreviation="BR">Brasil</Country>',
    tag('State', UF[uf]!, ` abbreviation="${uf}"`),
    tag('City', p.city!.trim()),
    tag('Neighborhood', p.neighbourhood!.trim()),
    tag('Address', p.street?.trim()),
    tag('StreetNumber', p.number?.trim()),
    tag('Complement', p.complement?.trim()),
    tag('PostalCode', p.postalCode?.trim()),
    '</Location>',
    `<ContactInfo>${tag('Name', agency.name)}</ContactInfo>`,
    '</Listing>',
  ]
    .filter(Boolean)
    .join('')
}

const feedColumns = {
  id: properties.id,
  code: properties.code,
  title: properties.title,
  type: properties.type,
  purpose: properties.purpose,
  salePrice: properties.salePrice,
  rentPrice: properties.rentPrice,
  condoFee: properties.condoFee,
  propertyTax: properties.propertyTax,
  builtArea: properties.builtArea,
  totalArea: properties.totalArea,
  bedrooms: properties.bedrooms,
  suites: properties.suites,
  bathrooms: properties.bathrooms,
  parkingSpaces: properties.parkingSpaces,
  features: properties.features,
  description: properties.description,
  street: properties.street,
  number: properties.number,
  complement: properties.complement,
  neighbourhood: properties.neighbourhood,
  city: properties.city,
  state: properties.state,
  postalCode: properties.postalCode,
  updatedAt: properties.updatedAt,
  photoIds: sql<
    string[]
  >`coalesce((select array_agg(ph.id order by ph.position, ph.id) from (select id, position from ${propertyPhotos} ph where ph.agency_id = "properties"."agency_id" and ph.property_id = "properties"."id" order by position, id limit ${MAX_PHOTOS}) ph), '{}')`,
}

/**
 * One page of the agency's properties marked to publish, in id order (the keyset walk of the feed and of its report);
 * with `available`, only the ones the feed publishes.
 */
function markedPage(db: DbOrTx, agencyId: string, after: string | null, opts: { available: boolean }) {
  return db
    .select({ ...feedColumns, status: properties.status })
    .from(properties)
    .where(
      and(
        eq(properties.agencyId, agencyId),
        sql`${properties.publishPortals}`,
        isNull(properties.deletedAt),
        opts.available ? eq(properties.status, 'available') : undefined,
        after ? gt(properties.id, after) : undefined,
      ),
    )
    .orderBy(asc(properties.id))
    .limit(FEED_PAGE)
}

async function feedByToken(db: Db, token: string) {
  if (!/^[A-Za-z0-9_-]{32}$/.test(token)) return null
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('app.feed_token', ${token}, true)`)
    const [row] = await tx.select().from(listingFeeds).where(eq(listingFeeds.token, token))
    return row ?? null
  })
}

/**
 * What a feed's content depends on, as an ETag: every published listing's id, last change and photos, and the week of
 * the photo links. Computed in the database in one pass; a crawler that has it gets a 304.
 */
async function feedVersion(db: Db, agencyId: string, now: Date) {
  const [row] = await withAgency(db, { agencyId, userId: null }, (tx) =>
    tx.execute<{ v: string }>(sql`
      select md5(coalesce(string_agg(p.id::text || p.updated_at::text || coalesce(ph.v, ''), ',' order by p.id), '')
        || a.name || a.currency) as v
      from agencies a
      left join properties p on p.agency_id = a.id and p.publish_portals and p.deleted_at is null and p.status = 'available'
      left join lateral (select string_agg(x.id::text, ',' order by x.position, x.id) as v from property_photos x
        where x.agency_id = p.agency_id and x.property_id = p.id) ph on true
      where a.id = ${agencyId}
      group by a.name, a.currency`),
  )
  return `"${row!.v}-${Math.floor(now.getTime() / WEEK_MS)}"`
}

export type FeedAnswer =
  { status: 404 } | { status: 304; etag: string } | { status: 200; etag: string; body: AsyncIterable<string> }

/** `GET /feeds/<token>/vrsync.xml`: the XML, streamed a page of listings at a time, or 304 for a crawler up to date. */
export async function readListingFeed(
  { db, signer }: { db: Db; signer: FeedPhotoSigner },
  { token, ifNoneMatch, now = new Date() }: { token: string; ifNoneMatch?: string | null; now?: Date },
): Promise<FeedAnswer> {
  const feed = await feedByToken(db, token)
  if (!feed) return { status: 404 }
  const agencyId = feed.agencyId
  const etag = await feedVersion(db, agencyId, now)
  if (ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim() === etag)) return { status: 304, etag }
  const [agency] = await withAgency(db, { agencyId, userId: null }, (tx) =>
    tx.select({ name: agencies.name, currency: agencies.currency }).from(agencies).where(eq(agencies.id, agencyId)),
  )
  async function* body() {
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield '<ListingDataFeed xmlns="http://www.vivareal.com/schemas/1.0/VRSync" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.vivareal.com/schemas/1.0/VRSync http://xml.vivareal.com/vrsync.xsd">'
    yield `<Header><Provider>Impera CRM</Provider>${tag('ContactName', agency!.name)}<PublishDate>${now.toISOString().slice(0, 19)}</PublishDate></Header><Listings>`
    for (let after: string | null = null; ;) {
      // Each page its own short transaction: no transaction stays open while a slow crawler reads.
      const page = await withAgency(db, { agencyId, userId: null }, (tx) =>
        markedPage(tx, agencyId, after, { available: true }),
      )
      const xml = page
        .filter((p) => feedRefusals(p).length === 0)
        .map((p) => listingXml(p, agency!, (id) => signer.url(agencyId, id, now)))
      if (xml.length) yield `${xml.join('\n')}\n`
      if (page.length < FEED_PAGE) break
      after = page.at(-1)!.id
    }
    yield '</Listings></ListingDataFeed>\n'
  }
  return { status: 200, etag, body: body() }
}

/**
 * A photo of a published listing, by its signed link: JPEG (what every portal reads; ours are stored as WebP). A
 * link stops working when it expires, when the photo is deleted, or when its property leaves the feed.
 */
export async function readFeedPhoto(
  { db, storage, signer }: { db: Db; signer: FeedPhotoSigner } & WithStorage,
  input: { agencyId: string; photoId: string; expires: number; signature: string; now?: Date },
): Promise<{ status: 200; bytes: Buffer } | { status: 403 | 404 }> {
  if (!signer.verify(input.agencyId, input.photoId, input.expires, input.signature, input.now ?? new Date()))
    return { status: 403 }
  const [photo] = await withAgency(db, { agencyId: input.agencyId, userId: null }, (tx) =>
    tx
      .select({ key: propertyPhotos.storageKey })
      .from(propertyPhotos)
      .innerJoin(
        properties,
        and(eq(properties.agencyId, propertyPhotos.agencyId), eq(properties.id, propertyPhotos.propertyId)),
      )
      .where(
        and(
          eq(propertyPhotos.agencyId, input.agencyId),
          eq(propertyPhotos.id, input.photoId),
          sql`${properties.publishPortals}`,
          isNull(properties.deletedAt),
        ),
      ),
  )
  if (!photo) return { status: 404 }
  const file = await storage.get(photo.key)
  if (!file) return { status: 404 }
  return { status: 200, bytes: await sharp(file.bytes).jpeg({ quality: 85 }).toBuffer() }
}

/** Settings → Portais: the feed's URL and what it publishes, with every marked listing the rules keep out and why. */
export async function getListingFeedReport(ctx: AgencyCtx) {
  const agencyId = ctx.actor.agencyId
  const [feed] = await ctx.db.select().from(listingFeeds).where(eq(listingFeeds.agencyId, agencyId))
  let published = 0
  let unavailable = 0
  const refused: { id: string; code: string; title: string; reasons: string[] }[] = []
  for (let after: string | null = null; ;) {
    const page = await markedPage(ctx.db, agencyId, after, { available: false })
    for (const p of page) {
      if (p.status !== 'available') unavailable += 1
      else {
        const reasons = feedRefusals(p)
        if (reasons.length) refused.push({ id: p.id, code: p.code, title: p.title, reasons })
        else published += 1
      }
    }
    if (page.length < FEED_PAGE) break
    after = page.at(-1)!.id
  }
  return {
    path: feed ? listingFeedPath(feed.token) : null,
    published,
    unavailable,
    refusedCount: refused.length,
    // The first 200 are enough to act on; the count says how many more.
    refused: refused.slice(0, 200),
  }
}

/** Creates the feed's URL, or replaces it (the old one answers 404 at once). */
export async function rotateListingFeed(ctx: AgencyCtx) {
  const token = randomBytes(24).toString('base64url')
  const [row] = await ctx.db
    .insert(listingFeeds)
    .values({ agencyId: ctx.actor.agencyId, token, createdBy: ctx.actor.userId })
    .onConflictDoUpdate({ target: listingFeeds.agencyId, set: { token, updatedAt: new Date() } })
    .returning()
  await audit(ctx, 'feed.rotate', { entity: 'listing_feed', entityId: row!.agencyId })
  return { path: listingFeedPath(token) }
}

export async function deleteListingFeed(ctx: AgencyCtx) {
  const [row] = await ctx.db
    .delete(listingFeeds)
    .where(eq(listingFeeds.agencyId, ctx.actor.agencyId))
    .returning({ agencyId: listingFeeds.agencyId })
  if (!row) throw notFound('listing feed')
  await audit(ctx, 'feed.delete', { entity: 'listing_feed', entityId: row.agencyId })
  return { ok: true as const }
}
