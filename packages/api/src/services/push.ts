import {
  agencies,
  and,
  authSessions,
  desc,
  eq,
  inArray,
  isNotNull,
  lt,
  notifications,
  or,
  pushSubscriptions,
  sql,
  users,
  type Db,
  type DbOrTx,
} from '@impera/db'
import type { Identity } from '../auth/types'
import { inAgency, type AgencyCtx } from '../ctx'
import { notificationLine } from '../emails'
import { AppError, forbidden, notFound } from '../errors'
import { notificationPath } from '../links'
import { pushEndpointAllowed, type PushMessage, type PushSender, type PushSettings } from '../push'
import type { TPushSubscribeInput, TPushUnsubscribeInput } from '../schemas'
import { audit } from './audit'

/**
 * Web push to members' devices (decision 035). A member turns it on per device (Perfil → Notificações); what reaches
 * the device follows their notification preferences (the `push` column), and the worker's `notifications:push` job
 * sends what `raiseNotification` marked pending.
 */

/** The install's web push setup, on the ctx under the name tRPC's context uses (null or absent: not configured). */
export interface WithPushSetup {
  push?: Pick<PushSettings, 'publicKey' | 'extraServices'> | null
}

/** The request's sign-in session and browser, which a device's subscription is tied to. */
export interface WithDevice {
  identity?: Pick<Identity, 'sessionId'> | null
  request?: Request
}

/** At most this many devices per member in an agency; the oldest goes when a new one is added. */
const MAX_DEVICES = 10
/** What a member sees of each device; the endpoint lets the page tell which one is itself. */
const deviceColumns = {
  id: pushSubscriptions.id,
  endpoint: pushSubscriptions.endpoint,
  userAgent: pushSubscriptions.userAgent,
  createdAt: pushSubscriptions.createdAt,
  lastPushedAt: pushSubscriptions.lastPushedAt,
}

function notIntegration(ctx: AgencyCtx) {
  // A device belongs to a person's browser; an integration key has neither.
  if (ctx.actor.integration) throw forbidden('push devices are for members', { reason: 'members_only' })
}

/** Whether push works on this install, its public key for the browser, and the member's devices. */
export async function pushDevices(ctx: AgencyCtx & WithPushSetup) {
  notIntegration(ctx)
  const devices = await ctx.db
    .select(deviceColumns)
    .from(pushSubscriptions)
    .where(and(inAgency(pushSubscriptions, ctx), eq(pushSubscriptions.userId, ctx.actor.userId)))
    .orderBy(desc(pushSubscriptions.createdAt))
  return { publicKey: ctx.push?.publicKey ?? null, devices }
}

/**
 * Keeps this browser's subscription for the member (turning push on, or the browser renewing it). The endpoint must be
 * a browser push service's: the worker will POST to it.
 */
export async function subscribePush(ctx: AgencyCtx & WithPushSetup & WithDevice, input: TPushSubscribeInput) {
  notIntegration(ctx)
  if (!ctx.push) throw new AppError('CONFLICT', 'web push is not configured', { userMessage: 'push.notConfigured' })
  if (!pushEndpointAllowed(input.endpoint, ctx.push))
    throw new AppError('INVALID_INPUT', 'push endpoint not at a known push service', {
      userMessage: 'push.badEndpoint',
      meta: { fields: { endpoint: ['push.badEndpoint'] } },
    })
  const { db, actor } = ctx
  const values = {
    agencyId: actor.agencyId,
    userId: actor.userId,
    sessionId: ctx.identity?.sessionId ?? null,
    endpoint: input.endpoint,
    p256dh: input.keys.p256dh,
    auth: input.keys.auth,
    userAgent: ctx.request?.headers.get('user-agent')?.slice(0, 300) ?? null,
  }
  const [row] = await db
    .insert(pushSubscriptions)
    .values(values)
    .onConflictDoUpdate({
      target: [pushSubscriptions.agencyId, pushSubscriptions.endpoint],
      set: { ...values, createdAt: sql`now()` },
    })
    .returning(deviceColumns)
  const extra = await db
    .select({ id: pushSubscriptions.id })
    .from(pushSubscriptions)
    .where(and(inAgency(pushSubscriptions, ctx), eq(pushSubscriptions.userId, actor.userId)))
    .orderBy(desc(pushSubscriptions.createdAt))
    .offset(MAX_DEVICES)
  // What a device could read on its lock screen from now on is worth a line in the log (the endpoint is not: a secret).
  await audit(ctx, 'push_device.add', {
    entity: 'push_subscription',
    entityId: row!.id,
    after: { userAgent: row!.userAgent },
  })
  if (extra.length)
    await db.delete(pushSubscriptions).where(
      and(
        inAgency(pushSubscriptions, ctx),
        inArray(
          pushSubscriptions.id,
          extra.map((e) => e.id),
        ),
      ),
    )
  return row!
}

/** Turns push off for one of the member's devices (this one, or one they no longer use). */
export async function unsubscribePush(ctx: AgencyCtx, input: TPushUnsubscribeInput) {
  notIntegration(ctx)
  const [gone] = await ctx.db
    .delete(pushSubscriptions)
    .where(
      and(
        inAgency(pushSubscriptions, ctx),
        eq(pushSubscriptions.userId, ctx.actor.userId),
        eq(pushSubscriptions.id, input.id),
      ),
    )
    .returning({ id: pushSubscriptions.id })
  if (!gone) throw notFound('push_subscription')
  await audit(ctx, 'push_device.remove', { entity: 'push_subscription', entityId: gone.id })
  return { ok: true as const }
}

/**
 * Signing out: this session's devices stop receiving pushes in the agency it was using (`sessionId` null: signing out
 * everywhere, all the member's devices). Other agencies' devices of a revoked session stop at their next push.
 */
export async function forgetSessionDevices(ctx: AgencyCtx, { sessionId }: { sessionId: string | null }) {
  await ctx.db
    .delete(pushSubscriptions)
    .where(
      and(
        inAgency(pushSubscriptions, ctx),
        eq(pushSubscriptions.userId, ctx.actor.userId),
        sessionId ? eq(pushSubscriptions.sessionId, sessionId) : undefined,
      ),
    )
}

/** No push sender on this worker (no VAPID key): what was pending for the member is let go, not left to pile up. */
export async function dropPendingPushes(db: DbOrTx, { agencyId, userId }: { agencyId: string; userId: string }) {
  await db
    .update(notifications)
    .set({ pushState: 'none' })
    .where(
      and(
        eq(notifications.agencyId, agencyId),
        eq(notifications.userId, userId),
        eq(notifications.pushState, 'pending'),
      ),
    )
  return { sent: 0, devices: 0, gone: 0 }
}

/** A push lasts as long as what it announces is worth acting on. */
function pushOptions(kind: string, data: Record<string, string | number | null>) {
  if (kind === 'lead_offered') return { ttlSeconds: Math.max(60, Number(data.minutes ?? 5) * 60), urgent: true }
  const urgent = ['message_received', 'lead_assigned', 'ai_handoff', 'lead_waiting', 'lead_sla_breached'].includes(kind)
  return { ttlSeconds: 24 * 3600, urgent }
}

/** More than this many waiting at once: one push saying how many, instead of a stack on the lock screen. */
const MAX_SEPARATE = 3

/**
 * The worker's half, for one member of one agency, run as the system in the agency's context (`db` is that
 * transaction): takes what is pending, sends it to each live device, and forgets devices whose push service says
 * they are gone or whose session ended. Throws when a push service asked to retry, so the job runs again (the same
 * tags replace, on the device, whatever the first attempt delivered).
 */
export async function sendPendingPushes(
  db: DbOrTx,
  system: Db,
  sender: PushSender,
  { agencyId, userId }: { agencyId: string; userId: string },
): Promise<{ sent: number; devices: number; gone: number }> {
  const pending = await db
    .update(notifications)
    .set({ pushState: 'sent' })
    .where(
      and(
        eq(notifications.agencyId, agencyId),
        eq(notifications.userId, userId),
        eq(notifications.pushState, 'pending'),
      ),
    )
    .returning({
      id: notifications.id,
      kind: notifications.kind,
      entity: notifications.entity,
      entityId: notifications.entityId,
      data: notifications.data,
      count: notifications.count,
      readAt: notifications.readAt,
      updatedAt: notifications.updatedAt,
    })
  // Read meanwhile (opened in the app, an offer someone claimed): nothing to announce.
  const due = pending.filter((p) => !p.readAt).sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime())
  const devices = await db
    .select({
      id: pushSubscriptions.id,
      endpoint: pushSubscriptions.endpoint,
      p256dh: pushSubscriptions.p256dh,
      auth: pushSubscriptions.auth,
      sessionId: pushSubscriptions.sessionId,
    })
    .from(pushSubscriptions)
    .where(and(eq(pushSubscriptions.agencyId, agencyId), eq(pushSubscriptions.userId, userId)))
  if (!due.length || !devices.length) return { sent: 0, devices: devices.length, gone: 0 }
  // Sessions are not tenant data: the system connection checks which ended (local auth keeps them; a Supabase
  // session has no row here and counts as live until its browser signs out).
  const sessionIds = devices.map((d) => d.sessionId).filter((s): s is string => !!s)
  const ended = sessionIds.length
    ? new Set(
        (
          await system
            .select({ id: authSessions.id })
            .from(authSessions)
            .where(
              and(
                inArray(authSessions.id, sessionIds),
                or(isNotNull(authSessions.revokedAt), lt(authSessions.expiresAt, sql`now()`)),
              ),
            )
        ).map((s) => s.id),
      )
    : new Set<string>()
  const [who] = await db
    .select({ locale: users.locale, agency: agencies.name })
    .from(users)
    .innerJoin(agencies, eq(agencies.id, agencyId))
    .where(eq(users.id, userId))
  const locale = who?.locale ?? 'pt-BR'
  const messages: { message: PushMessage; opts: ReturnType<typeof pushOptions> }[] =
    due.length > MAX_SEPARATE
      ? [
          {
            message: {
              title: who?.agency ?? 'Impera CRM',
              body: locale === 'en' ? `${due.length} new notifications` : `${due.length} novas notificações`,
              url: '/app',
              tag: `digest:${userId}`,
            },
            opts: { ttlSeconds: 24 * 3600, urgent: due.some((d) => pushOptions(d.kind, d.data).urgent) },
          },
        ]
      : due.map((d) => ({
          message: {
            title: who?.agency ?? 'Impera CRM',
            body: notificationLine(d, locale),
            url: notificationPath(d),
            tag: `${d.kind}:${d.entityId}`,
          },
          opts: pushOptions(d.kind, d.data),
        }))
  const goneIds: string[] = []
  let sent = 0
  let retry = false
  for (const device of devices) {
    if (device.sessionId && ended.has(device.sessionId)) {
      goneIds.push(device.id)
      continue
    }
    for (const { message, opts } of messages) {
      const outcome = await sender.send(device, message, opts)
      if (outcome.kind === 'gone') {
        goneIds.push(device.id)
        break
      }
      if (outcome.kind === 'retry') retry = true
      if (outcome.kind === 'sent') sent++
    }
  }
  if (goneIds.length)
    await db
      .delete(pushSubscriptions)
      .where(and(eq(pushSubscriptions.agencyId, agencyId), inArray(pushSubscriptions.id, goneIds)))
  if (retry) throw new AppError('INTERNAL', 'a push service asked to retry', { meta: { agencyId, userId, sent } })
  if (sent)
    await db
      .update(pushSubscriptions)
      .set({ lastPushedAt: sql`now()` })
      .where(and(eq(pushSubscriptions.agencyId, agencyId), eq(pushSubscriptions.userId, userId)))
  return { sent, devices: devices.length, gone: goneIds.length }
}
