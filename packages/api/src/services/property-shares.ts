import { logoUrl } from '../branding'
import { randomBytes, randomUUID } from 'node:crypto'
import {
  agencies,
  and,
  desc,
  eq,
  isNull,
  properties,
  propertyPhotos,
  propertyShares,
  sql,
  whatsappConversations,
  withAgency,
  type Db,
} from '@impera/db'
import sharp from 'sharp'
import type { AgencyCtx, WithStorage, WithUrls } from '../ctx'
import { invalidField } from '../errors'
import { asMember, asSystem, recordLeadChange } from './lead-facts'
import { getVisibleLead } from './leads'
import { getVisibleProperty } from './properties'
import { queueWhatsappMessage } from './whatsapp'

/**
 * Sharing a listing with a contact (issue 16): a public, token-protected, expiring page with the listing alone — its
 * photos, price, place and features, the agency's name and registration (CRECI) — and nothing else of the agency's.
 * Sent over WhatsApp as a text with the link (WhatsApp draws the preview from the page's Open Graph tags), or copied as
 * a link. Each view is counted; the lead's timeline says when the contact opened it (at most once a day per link).
 */
export const SHARE_DAYS = 30
const TOKEN = /^[A-Za-z0-9_-]{32}$/

async function createShare(ctx: AgencyCtx, { propertyId, leadId }: { propertyId: string; leadId: string }) {
  const property = await getVisibleProperty(ctx, propertyId)
  const lead = await getVisibleLead(ctx, leadId)
  const token = randomBytes(24).toString('base64url')
  const [share] = await ctx.db
    .insert(propertyShares)
    .values({
      agencyId: ctx.actor.agencyId,
      token,
      propertyId: property.id,
      leadId: lead.id,
      createdBy: ctx.actor.userId,
      expiresAt: new Date(Date.now() + SHARE_DAYS * 86_400_000),
    })
    .returning()
  return { share: share!, property, lead }
}

/** A link to the listing for the lead, to copy and send by any channel. */
export async function shareProperty(ctx: AgencyCtx & WithUrls, input: { propertyId: string; leadId: string }) {
  const { share, property, lead } = await createShare(ctx, input)
  await recordLeadChange(
    asMember(ctx),
    { leadId: lead.id, audit: 'lead.property.share', after: { propertyId: property.id } },
    [{ kind: 'property_shared', propertyId: property.id, code: property.code, title: property.title, channel: 'link' }],
  )
  return { url: `${ctx.urls.origin}/p/${share.token}`, expiresAt: share.expiresAt }
}

/**
 * Sends the listing to the lead's WhatsApp conversation as a card: title, price, place and the link. Free text, so only
 * inside WhatsApp's 24-hour window (the composer's rule: outside it, a template).
 */
export async function sendPropertyCard(ctx: AgencyCtx & WithUrls, input: { propertyId: string; leadId: string }) {
  const [conversation] = await ctx.db
    .select({ id: whatsappConversations.id })
    .from(whatsappConversations)
    .where(and(eq(whatsappConversations.agencyId, ctx.actor.agencyId), eq(whatsappConversations.leadId, input.leadId)))
    .orderBy(desc(whatsappConversations.lastMessageAt))
    .limit(1)
  if (!conversation) throw invalidField('leadId', 'sharing.noConversation')
  const { share, property, lead } = await createShare(ctx, input)
  const [agency] = await ctx.db
    .select({ locale: agencies.locale, currency: agencies.currency })
    .from(agencies)
    .where(eq(agencies.id, ctx.actor.agencyId))
  const money = (cents: number | null) =>
    cents === null
      ? null
      : new Intl.NumberFormat(agency!.locale, {
          style: 'currency',
          currency: agency!.currency,
          maximumFractionDigits: 0,
        }).format(cents / 100)
  // The card is in the agency's language: it goes to its contacts.
  const perMonth = agency!.locale.startsWith('pt') ? '/mês' : '/month'
  const price = [
    money(property.salePrice),
    property.rentPrice !== null ? `${money(property.rentPrice)}${perMonth}` : null,
  ]
    .filter(Boolean)
    .join(' · ')
  const text = [
    `*${property.title}*${property.code ? ` (${property.code})` : ''}`,
    price,
    [property.neighbourhood, property.city].filter(Boolean).join(', '),
    `${ctx.urls.origin}/p/${share.token}`,
  ]
    .filter(Boolean)
    .join('\n')
  const message = await queueWhatsappMessage(ctx, {
    id: randomUUID(),
    conversationId: conversation.id,
    type: 'text',
    text,
  })
  await recordLeadChange(
    asMember(ctx),
    { leadId: lead.id, audit: 'lead.property.share', after: { propertyId: property.id } },
    [
      {
        kind: 'property_shared',
        propertyId: property.id,
        code: property.code,
        title: property.title,
        channel: 'whatsapp',
      },
    ],
  )
  return { messageId: message.id, url: `${ctx.urls.origin}/p/${share.token}` }
}

/**
 * The public page's read, before any agency is known: the share by its token (as the login role, allowed by the token
 * setting only), then, in the share's agency, the listing and its photos as signed public links, counting the view.
 * Null for an unknown, expired or withdrawn (deleted) listing.
 */
export async function readPropertyShare(
  db: Db,
  { token, origin, now = new Date() }: { token: string; origin: string; now?: Date },
) {
  const share = await liveShare(db, token, now)
  if (!share) return null
  return withAgency(db, { agencyId: share.agencyId, userId: null }, async (tx) => {
    const [property] = await tx
      .select()
      .from(properties)
      .where(
        and(eq(properties.agencyId, share.agencyId), eq(properties.id, share.propertyId), isNull(properties.deletedAt)),
      )
    if (!property) return null
    const [agency] = await tx
      .select({
        name: agencies.name,
        licenseNumber: agencies.licenseNumber,
        locale: agencies.locale,
        currency: agencies.currency,
        brandColor: agencies.brandColor,
        logoKey: agencies.logoKey,
      })
      .from(agencies)
      .where(eq(agencies.id, share.agencyId))
    const photoRows = await tx
      .select({ id: propertyPhotos.id, width: propertyPhotos.width, height: propertyPhotos.height })
      .from(propertyPhotos)
      .where(and(eq(propertyPhotos.agencyId, share.agencyId), eq(propertyPhotos.propertyId, property.id)))
      .orderBy(propertyPhotos.position, propertyPhotos.id)
    const [counted] = await tx
      .update(propertyShares)
      .set({ views: sql`${propertyShares.views} + 1`, lastViewedAt: now })
      .where(and(eq(propertyShares.agencyId, share.agencyId), eq(propertyShares.id, share.id)))
      .returning({ views: propertyShares.views })
    // The timeline hears of the first view, and again only after a day: a contact reloading is not news.
    const newsworthy = !share.lastViewedAt || now.getTime() - share.lastViewedAt.getTime() > 86_400_000
    if (share.leadId && newsworthy)
      await recordLeadChange(asSystem(tx, share.agencyId, 'system'), { leadId: share.leadId, audit: null }, [
        {
          kind: 'property_viewed',
          propertyId: property.id,
          code: property.code,
          title: property.title,
          views: counted!.views,
        },
      ])
    const { logoKey, ...shown } = agency!
    return {
      agency: { ...shown, logoUrl: logoUrl(logoKey) },
      expiresAt: share.expiresAt,
      property: {
        code: property.code,
        title: property.title,
        type: property.type,
        purpose: property.purpose,
        salePrice: property.salePrice,
        rentPrice: property.rentPrice,
        condoFee: property.condoFee,
        propertyTax: property.propertyTax,
        builtArea: property.builtArea,
        totalArea: property.totalArea,
        bedrooms: property.bedrooms,
        suites: property.suites,
        bathrooms: property.bathrooms,
        parkingSpaces: property.parkingSpaces,
        features: property.features,
        neighbourhood: property.neighbourhood,
        city: property.city,
        state: property.state,
        description: property.description,
        status: property.status,
      },
      photos: photoRows.map((p) => ({
        url: `${origin}/p/${token}/photos/${p.id}.jpg`,
        width: p.width,
        height: p.height,
      })),
    }
  })
}

/** The share a token names while it is valid, read as the login role (the token setting is its only way in). */
async function liveShare(db: Db, token: string, now: Date) {
  if (!TOKEN.test(token)) return null
  const share = await db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('app.share_token', ${token}, true)`)
    const [row] = await tx.select().from(propertyShares).where(eq(propertyShares.token, token))
    return row ?? null
  })
  return share && share.expiresAt > now ? share : null
}

/**
 * One photo of a shared listing, for its public page: only while the link is valid, only the shared listing's
 * photos, re-encoded (which drops the camera's metadata, GPS included).
 */
export async function readSharedPhoto(
  { db, storage }: { db: Db } & WithStorage,
  { token, photoId, now = new Date() }: { token: string; photoId: string; now?: Date },
): Promise<{ status: 200; bytes: Buffer } | { status: 404 }> {
  const share = await liveShare(db, token, now)
  if (!share) return { status: 404 }
  const [photo] = await withAgency(db, { agencyId: share.agencyId, userId: null }, (tx) =>
    tx
      .select({ key: propertyPhotos.storageKey })
      .from(propertyPhotos)
      .innerJoin(
        properties,
        and(eq(properties.agencyId, propertyPhotos.agencyId), eq(properties.id, propertyPhotos.propertyId)),
      )
      .where(
        and(
          eq(propertyPhotos.agencyId, share.agencyId),
          eq(propertyPhotos.id, photoId),
          eq(propertyPhotos.propertyId, share.propertyId),
          isNull(properties.deletedAt),
        ),
      ),
  )
  if (!photo) return { status: 404 }
  const file = await storage.get(photo.key)
  if (!file) return { status: 404 }
  return { status: 200, bytes: await sharp(file.bytes).jpeg({ quality: 85 }).toBuffer() }
}
