import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import {
  and,
  desc,
  eq,
  inArray,
  lt,
  leads,
  portalConnections,
  portalLeadEvents,
  sql,
  withAgency,
  type Db,
  type PortalConnection,
} from '@impera/db'
import { z } from 'zod'
import type { AgencyCtx } from '../ctx'
import { enqueue, portalIngestJob } from '../jobs'
import { normalizePhone } from '../phones'
import { cleanText, zOptionalEmail } from '../schemas/common'
import type { TPortalInput } from '../schemas/portals'
import { audit } from './audit'
import { takeInquiry } from './inquiries'
import { asSystem } from './lead-facts'
import { agencyCountry } from './whatsapp-pipeline'

/**
 * Portal lead intake (decision 022). Grupo OLX (ZAP Imóveis, Viva Real, OLX) pushes each lead to a URL of ours with
 * HTTP Basic credentials; only a 2xx counts as received (else it retries 5 times, 10 minutes apart, then keeps the
 * lead 14 days), and a push without `clientListingId` must be answered 4xx. So: the door checks the credentials and
 * the shape, stores the push with its job in one transaction and answers 201; the worker makes the lead.
 */

/** The contract's payload (github.com/olxbr/crm-lead-integration). Only the lead's id and listing are required. */
const portalText = (max: number) =>
  z
    .string()
    .max(max)
    .transform((s) => cleanText(s).trim())
export const ZGrupoOlxLead = z.object({
  leadOrigin: portalText(100).nullish(),
  timestamp: portalText(100).nullish(),
  originLeadId: portalText(200).pipe(z.string().min(1, 'originLeadId is required')),
  originListingId: portalText(200).nullish(),
  clientListingId: portalText(200).pipe(z.string().min(1, 'clientListingId is required')),
  name: portalText(300).nullish(),
  email: portalText(320).nullish(),
  ddd: portalText(10).nullish(),
  phone: portalText(40).nullish(),
  /** Deprecated by the portal (DDD + number); read when the split fields are missing. */
  phoneNumber: portalText(40).nullish(),
  message: portalText(10_000).nullish(),
})
export type GrupoOlxLead = z.infer<typeof ZGrupoOlxLead>

/** The user name the portal sends; its password is the agency's secret. */
export const GRUPO_OLX_USER = 'vivareal'
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{32}$/

const sha256 = (s: string) => createHash('sha256').update(s).digest()

/** The path of an agency's intake URL, after the origin. */
export const portalIntakePath = (token: string) => `/integrations/grupo-olx/${token}/leads`

/** Which portal of the group the contact used, as the lead's source detail. */
export function portalLabel(leadOrigin: string | null | undefined): string {
  const o = (leadOrigin ?? '').toLowerCase().replace(/[^a-z]/g, '')
  if (o.startsWith('zap')) return 'ZAP Imóveis'
  if (o.startsWith('vivareal')) return 'Viva Real'
  if (o.startsWith('olx')) return 'OLX'
  return leadOrigin?.trim() || 'Grupo OLX'
}

function basicPassword(header: string | undefined): string | null {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '')
  if (!m) return null
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  return colon < 0 ? null : decoded.slice(colon + 1)
}

async function connectionByToken(db: Db, token: string): Promise<PortalConnection | null> {
  if (!TOKEN_SHAPE.test(token)) return null
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('app.portal_token', ${token}, true)`)
    const [row] = await tx.select().from(portalConnections).where(eq(portalConnections.token, token))
    return row ?? null
  })
}

export type PortalReceipt =
  | { status: 201; id: number }
  | { status: 400; error: string; issues?: { path: string; message: string }[] }
  | { status: 401 | 404 | 415; error: string }

/**
 * One push at the door. 404 for a token that names no connection, 401 for wrong credentials (checked before
 * the body is read, so a stranger learns nothing about the payload), 400 for a body that is not the contract's JSON;
 * otherwise stored with its ingest job and answered 201. A database failure throws: the caller answers 5xx and the
 * portal retries.
 */
export async function receivePortalLead(
  { db }: { db: Db },
  input: { token: string; rawBody: Buffer; headers: Record<string, string | undefined> },
): Promise<PortalReceipt> {
  const connection = await connectionByToken(db, input.token)
  if (!connection) return { status: 404, error: 'unknown_intake' }
  const password = basicPassword(input.headers.authorization)
  if (password === null || !timingSafeEqual(sha256(password), Buffer.from(connection.secretHash, 'hex')))
    return { status: 401, error: 'invalid_credentials' }
  const type = input.headers['content-type'] ?? ''
  if (type && !/^application\/(json|[a-z.+-]*\+json)\b/i.test(type) && !/^text\/plain\b/i.test(type))
    return { status: 415, error: 'json_expected' }
  let body: unknown
  try {
    body = JSON.parse(input.rawBody.toString('utf8'))
  } catch {
    return { status: 400, error: 'invalid_json' }
  }
  const parsed = ZGrupoOlxLead.safeParse(body)
  if (!parsed.success)
    return {
      status: 400,
      error: 'invalid_lead',
      issues: parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message })),
    }
  const headers: Record<string, string> = {}
  for (const [k, v] of Object.entries(input.headers))
    if (v !== undefined && !/^(cookie|authorization)$/i.test(k)) headers[k] = cleanText(v).slice(0, 1000)
  const id = await withAgency(db, { agencyId: connection.agencyId, userId: null }, async (tx) => {
    const [row] = await tx
      .insert(portalLeadEvents)
      .values({
        agencyId: connection.agencyId,
        connectionId: connection.id,
        portal: connection.portal,
        headers,
        rawBody: input.rawBody,
        originLeadId: parsed.data.originLeadId,
        listingCode: parsed.data.clientListingId,
      })
      .returning({ id: portalLeadEvents.id })
    await tx
      .update(portalConnections)
      .set({ lastReceivedAt: new Date() })
      .where(and(eq(portalConnections.agencyId, connection.agencyId), eq(portalConnections.id, connection.id)))
    await enqueue(tx, portalIngestJob, { agencyId: connection.agencyId, eventId: row!.id })
    return row!.id
  })
  return { status: 201, id }
}

/** The contact's phone in E.164, from DDD + number (either may carry punctuation), or the deprecated joined field. */
function phoneOf(lead: GrupoOlxLead, country: string): string | null {
  const digits = (s: string | null | undefined) => (s ?? '').replace(/\D/g, '')
  const number = digits(lead.phone)
  // Some advertisers' forms put the area code in the number as well.
  const split = number.length >= 10 ? number : number && `${digits(lead.ddd)}${number}`
  for (const raw of [split, digits(lead.phoneNumber)]) {
    const n = raw ? normalizePhone(raw, country) : null
    if (n) return n
  }
  return null
}

/**
 * The worker's half: one stored push → a lead. Deduplicated on the portal's lead id (its retries, and a push stored
 * twice); a contact who is already a lead (same phone or e-mail) gets the new inquiry on that lead instead of a second
 * one; the listing is found by the agency's own code and its agent receives a new lead, else the agency's rule for
 * new leads applies. The contact's message goes on the lead's timeline.
 */
export async function ingestPortalLead(
  { db }: { db: Db },
  { agencyId, eventId }: { agencyId: string; eventId: number },
) {
  return withAgency(db, { agencyId, userId: null }, async (tx) => {
    const [event] = await tx
      .select()
      .from(portalLeadEvents)
      .where(and(eq(portalLeadEvents.agencyId, agencyId), eq(portalLeadEvents.id, eventId)))
      .for('update')
    if (!event || event.state === 'processed') return null
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtextextended(${`portal:${agencyId}:${event.portal}:${event.originLeadId}`}, 0))`,
    )
    const finish = async (outcome: 'created' | 'merged' | 'duplicate', leadId: string) => {
      await tx
        .update(portalLeadEvents)
        .set({ state: 'processed', outcome, leadId, processedAt: new Date(), attempts: event.attempts + 1 })
        .where(and(eq(portalLeadEvents.agencyId, agencyId), eq(portalLeadEvents.id, eventId)))
      return { outcome, leadId }
    }
    const [earlier] = await tx
      .select({ leadId: portalLeadEvents.leadId })
      .from(portalLeadEvents)
      .where(
        and(
          eq(portalLeadEvents.agencyId, agencyId),
          eq(portalLeadEvents.portal, event.portal),
          eq(portalLeadEvents.originLeadId, event.originLeadId),
          eq(portalLeadEvents.state, 'processed'),
        ),
      )
      .limit(1)
    if (earlier?.leadId) return finish('duplicate', earlier.leadId)

    const lead = ZGrupoOlxLead.parse(JSON.parse(event.rawBody.toString('utf8')))
    const taken = await takeInquiry(asSystem(tx, agencyId, 'portal'), {
      name: lead.name || null,
      phones: [phoneOf(lead, await agencyCountry(tx, agencyId))].filter((p): p is string => !!p),
      // A malformed address is dropped, not refused: the lead still has its phone and message.
      email: zOptionalEmail.safeParse(lead.email ?? '').data ?? null,
      source: 'portal',
      channel: portalLabel(lead.leadOrigin),
      message: lead.message || null,
      listing: { code: lead.clientListingId },
      portal: event.portal,
      fallbackName: lead.originLeadId,
    })
    return finish(taken.outcome, taken.leadId)
  })
}

const PORTAL_RETENTION_DAYS = 30

/**
 * Raw pushes carry a person's data: once made into leads they are kept 30 days (the portal's own redelivery window is
 * 14), like the WhatsApp webhook bodies; pending and failed ones stay until they are dealt with.
 */
export async function purgePortalLeadEvents(
  { db }: { db: Db },
  { agencyId, now = new Date() }: { agencyId: string; now?: Date },
) {
  const cutoff = new Date(now.getTime() - PORTAL_RETENTION_DAYS * 86_400_000)
  return withAgency(db, { agencyId, userId: null }, async (tx) => {
    const gone = await tx
      .delete(portalLeadEvents)
      .where(
        and(
          eq(portalLeadEvents.agencyId, agencyId),
          eq(portalLeadEvents.state, 'processed'),
          lt(portalLeadEvents.receivedAt, cutoff),
        ),
      )
      .returning({ id: portalLeadEvents.id })
    return gone.length
  })
}

/** A failed attempt stays visible on the stored push (the settings page lists it); the job retries. */
export async function notePortalIngestFailure(
  { db }: { db: Db },
  { agencyId, eventId, error, final }: { agencyId: string; eventId: number; error: string; final: boolean },
) {
  await withAgency(db, { agencyId, userId: null }, (tx) =>
    tx
      .update(portalLeadEvents)
      .set({
        attempts: sql`${portalLeadEvents.attempts} + 1`,
        lastError: cleanText(error).slice(0, 500),
        ...(final ? { state: 'failed' as const } : {}),
      })
      .where(and(eq(portalLeadEvents.agencyId, agencyId), eq(portalLeadEvents.id, eventId))),
  )
}

/** The agency's connection to a portal as its settings page shows it (never the password). */
export async function getPortalConnection(ctx: AgencyCtx, { portal }: TPortalInput) {
  const [row] = await ctx.db
    .select()
    .from(portalConnections)
    .where(and(eq(portalConnections.agencyId, ctx.actor.agencyId), eq(portalConnections.portal, portal)))
  const recent = await ctx.db
    .select({
      id: portalLeadEvents.id,
      receivedAt: portalLeadEvents.receivedAt,
      state: portalLeadEvents.state,
      outcome: portalLeadEvents.outcome,
      leadId: portalLeadEvents.leadId,
      listingCode: portalLeadEvents.listingCode,
      lastError: portalLeadEvents.lastError,
    })
    .from(portalLeadEvents)
    .where(and(eq(portalLeadEvents.agencyId, ctx.actor.agencyId), eq(portalLeadEvents.portal, portal)))
    .orderBy(desc(portalLeadEvents.receivedAt), desc(portalLeadEvents.id))
    .limit(20)
  const names = await leadNames(
    ctx,
    recent.flatMap((r) => (r.leadId ? [r.leadId] : [])),
  )
  return {
    connection: row
      ? {
          path: portalIntakePath(row.token),
          user: GRUPO_OLX_USER,
          secretHint: row.secretHint,
          createdAt: row.createdAt,
          lastReceivedAt: row.lastReceivedAt,
        }
      : null,
    recent: recent.map((r) => ({ ...r, leadName: r.leadId ? (names.get(r.leadId) ?? null) : null })),
  }
}

async function leadNames(ctx: AgencyCtx, ids: string[]) {
  if (!ids.length) return new Map<string, string>()
  const rows = await ctx.db
    .select({ id: leads.id, name: leads.name })
    .from(leads)
    .where(and(eq(leads.agencyId, ctx.actor.agencyId), inArray(leads.id, [...new Set(ids)])))
  return new Map(rows.map((r) => [r.id, r.name]))
}

/**
 * Creates the agency's connection, or gives it a new URL and password (the old ones stop at once: a rotation is what
 * a manager does when the password leaked). The password is in this answer only.
 */
export async function connectPortal(ctx: AgencyCtx, { portal }: TPortalInput) {
  const token = randomBytes(24).toString('base64url')
  const secret = randomBytes(24).toString('base64url')
  const values = {
    token,
    secretHash: sha256(secret).toString('hex'),
    secretHint: secret.slice(-4),
    updatedAt: new Date(),
  }
  const [row] = await ctx.db
    .insert(portalConnections)
    .values({ agencyId: ctx.actor.agencyId, portal, createdBy: ctx.actor.userId, ...values })
    .onConflictDoUpdate({ target: [portalConnections.agencyId, portalConnections.portal], set: values })
    .returning()
  await audit(ctx, 'portal.connect', {
    entity: 'portal_connection',
    entityId: row!.id,
    after: { portal, secretHint: values.secretHint },
  })
  return { path: portalIntakePath(token), user: GRUPO_OLX_USER, secret }
}

/** Closes the door: pushes are answered 404 (the portal keeps retrying, then holds them 14 days). */
export async function disconnectPortal(ctx: AgencyCtx, { portal }: TPortalInput) {
  const [row] = await ctx.db
    .delete(portalConnections)
    .where(and(eq(portalConnections.agencyId, ctx.actor.agencyId), eq(portalConnections.portal, portal)))
    .returning({ id: portalConnections.id })
  if (row) await audit(ctx, 'portal.disconnect', { entity: 'portal_connection', entityId: row.id, before: { portal } })
  return { ok: true as const }
}
