import { AsyncLocalStorage } from 'node:async_hooks'
import {
  and,
  desc,
  eq,
  inArray,
  isNull,
  memberships,
  notificationKinds,
  notifications,
  pushSubscriptions,
  sql,
  users,
  type DbOrTx,
  type NotificationEntity,
  type NotificationKind,
} from '@impera/db'
import { byId, inAgency, type AgencyCtx } from '../ctx'
import { notFound } from '../errors'
import { enqueue, notificationsPushJob } from '../jobs'
import { rooms } from '../live'
import type { TNotificationIdInput, TNotificationPrefsInput, TNotificationsListInput } from '../schemas'
import { emitLive } from './live'
import { memoRead } from '../read-memo'

/*
 * A member's own notifications take (ctx, input) like every service. Raising them, and the worker's sweeps, run as no
 * member (an inbound message, an accepted invitation, a timer), so they take the transaction (`db`) first and name the
 * agency in their input.
 */

export interface NotificationPref {
  inApp: boolean
  email: boolean
  /** To the devices where the member turned on push (decision 035). */
  push: boolean
}

/**
 * Defaults for kinds a member has not set: everything in the bell; by e-mail what must not wait for the next visit.
 * A new inbound message is in-app only by default (the e-mail digest would otherwise mirror the inbox). Pushed to the
 * phone: what an agent in the street acts on now (a lead, a message, an offer, a visit, the AI handing over).
 */
export const defaultNotificationPrefs: Record<NotificationKind, NotificationPref> = {
  lead_assigned: { inApp: true, email: true, push: true },
  message_received: { inApp: true, email: false, push: true },
  lead_waiting: { inApp: true, email: true, push: true },
  message_failed: { inApp: true, email: true, push: false },
  invitation_accepted: { inApp: true, email: false, push: false },
  webhook_disabled: { inApp: true, email: true, push: false },
  ai_handoff: { inApp: true, email: true, push: true },
  task_due: { inApp: true, email: false, push: true },
  visit_reply: { inApp: true, email: true, push: true },
  property_matches: { inApp: true, email: false, push: false },
  lead_sla_breached: { inApp: true, email: true, push: true },
  bulk_done: { inApp: true, email: false, push: false },
  leads_assigned: { inApp: true, email: true, push: true },
  // An offer lasts minutes: an e-mail would arrive after someone claimed it; a push is what it needs.
  lead_offered: { inApp: true, email: false, push: true },
}

export function resolvePrefs(
  stored: Record<string, Partial<NotificationPref>> | null | undefined,
): Record<NotificationKind, NotificationPref> {
  const out = {} as Record<NotificationKind, NotificationPref>
  for (const kind of notificationKinds) out[kind] = { ...defaultNotificationPrefs[kind], ...(stored?.[kind] ?? {}) }
  return out
}

export interface RaiseNotification {
  agencyId: string
  /** Recipients; the acting user (if any) is never notified of their own action. */
  userIds: (string | null | undefined)[]
  actorUserId?: string | null
  kind: NotificationKind
  entity: NotificationEntity
  entityId: string
  data: Record<string, string | number | null>
  /**
   * Bump an unread notification of the same kind and record (count + 1, new time and details) instead of skipping.
   * Only system work (no user in the RLS context, i.e. the worker) may bump, since that reads another member's row.
   */
  bump?: boolean
}

/**
 * Raises a notification for each recipient who is an active member and wants this kind somewhere, in the caller's
 * transaction, and tells their bells live (on commit). An unread one for the same record is not repeated.
 */
export async function raiseNotification(db: DbOrTx, n: RaiseNotification) {
  const ids = [...new Set(n.userIds.filter((u): u is string => !!u && u !== n.actorUserId))]
  if (!ids.length) return
  const members = await memoRead(`notification-prefs:${n.agencyId}:${[...ids].sort().join(',')}`, () =>
    db
      .select({ userId: memberships.userId, prefs: memberships.notificationPrefs })
      .from(memberships)
      .where(
        and(eq(memberships.agencyId, n.agencyId), inArray(memberships.userId, ids), eq(memberships.status, 'active')),
      ),
  )
  const wanted = members
    .map((m) => ({ userId: m.userId, pref: resolvePrefs(m.prefs)[n.kind] }))
    .filter((m) => m.pref.inApp || m.pref.email || m.pref.push)
  const pushTo = await withPushDevices(
    db,
    n.agencyId,
    wanted.filter((m) => m.pref.push).map((m) => m.userId),
  )
  const rows = wanted
    .filter((m) => m.pref.inApp || m.pref.email || pushTo.has(m.userId))
    .map((m) => ({
      agencyId: n.agencyId,
      userId: m.userId,
      kind: n.kind,
      entity: n.entity,
      entityId: n.entityId,
      data: n.data,
      inApp: m.pref.inApp,
      emailState: m.pref.email ? ('pending' as const) : ('none' as const),
      pushState: pushTo.has(m.userId) ? ('pending' as const) : ('none' as const),
    }))
  if (!rows.length) return
  // Bumps inside deferNotificationBumps are written at its end, merged.
  const held = n.bump ? heldBumps.getStore() : undefined
  if (held) {
    for (const row of rows) holdBump(held, { ...row, count: 1 })
    for (const userId of pushTo) held.push.set(`${n.agencyId}\n${userId}`, { agencyId: n.agencyId, userId })
  } else if (n.bump) {
    await writeBumps(
      db,
      rows.map((row) => ({ ...row, count: 1 })),
    )
  } else {
    // ON CONFLICT would need to read the row, which RLS forbids for another member's; a savepoint absorbs the duplicate.
    for (const row of rows) {
      await db
        .transaction((sp) => sp.insert(notifications).values(row))
        .catch((e: unknown) => {
          if (pgCode(e) !== '23505') throw e
        })
    }
  }
  const live = rows.filter((r) => r.inApp).map((r) => rooms.user(r.userId))
  if (live.length) await emitLive(db, live, 'notifications:changed')
  if (!held) for (const userId of pushTo) await enqueuePush(db, { agencyId: n.agencyId, userId })
}

type BumpRow = typeof notifications.$inferInsert & { count: number }

/** What a deferring scope holds: its bumps merged by notification (member, kind, record), and whom to push to. */
interface HeldBumps {
  rows: Map<string, BumpRow>
  push: Map<string, { agencyId: string; userId: string }>
}

const heldBumps = new AsyncLocalStorage<HeldBumps>()

function holdBump(held: HeldBumps, row: BumpRow) {
  const key = `${row.agencyId}\n${row.userId}\n${row.kind}\n${row.entityId}`
  const before = held.rows.get(key)
  // The later one's details and time, the two's count; pending if either was.
  held.rows.set(
    key,
    before
      ? {
          ...row,
          count: before.count + row.count,
          emailState: before.emailState === 'pending' ? 'pending' : row.emailState,
          pushState: before.pushState === 'pending' ? 'pending' : row.pushState,
        }
      : row,
  )
}

/**
 * Runs `fn` with the notifications it bumps (`bump: true`) held and written at its end, merged: a batch of 20 inbound
 * messages writes its notifications in one statement rather than one each (and one push job per member). Nothing
 * reads them before the end; the count and the latest details come out as if bumped one by one. Nested: an inner
 * scope hands its bumps to the outer one, or drops them if `fn` throws (as its rolled-back savepoint drops its rows).
 */
export async function deferNotificationBumps<T>(db: DbOrTx, fn: () => Promise<T>): Promise<T> {
  const parent = heldBumps.getStore()
  const mine: HeldBumps = { rows: new Map(), push: new Map() }
  const out = await heldBumps.run(mine, fn)
  if (parent) {
    for (const row of mine.rows.values()) holdBump(parent, row)
    for (const [key, to] of mine.push) parent.push.set(key, to)
  } else {
    await writeBumps(db, [...mine.rows.values()])
    for (const to of mine.push.values()) await enqueuePush(db, to)
  }
  return out
}

/** Inserts notifications, or bumps the unread one of the same kind and record (its count, details, time). */
async function writeBumps(db: DbOrTx, rows: BumpRow[]) {
  if (!rows.length) return
  await db
    .insert(notifications)
    .values(rows)
    .onConflictDoUpdate({
      target: [notifications.agencyId, notifications.userId, notifications.kind, notifications.entityId],
      targetWhere: sql`${notifications.readAt} is null`,
      set: {
        count: sql`${notifications.count} + excluded.count`,
        data: sql`excluded.data`,
        updatedAt: sql`now()`,
        emailState: sql`case when ${notifications.emailState} = 'sent' and excluded.email_state = 'pending' then 'pending' else ${notifications.emailState} end`,
        // Every bump is news on the phone too (the next message of a conversation replaces the last on the device).
        pushState: sql`case when excluded.push_state = 'pending' then 'pending' else ${notifications.pushState} end`,
      },
    })
}

/** One waiting job per member: a burst of notifications goes out in the pushes of one run. */
async function enqueuePush(db: DbOrTx, { agencyId, userId }: { agencyId: string; userId: string }) {
  await enqueue(
    db,
    notificationsPushJob,
    { agencyId, userId },
    { jobKey: `push:${agencyId}:${userId}`, jobKeyMode: 'preserve_run_at' },
  )
}

/** Of these members, those with at least one device to push to (most have none: no job, no pending state). */
async function withPushDevices(db: DbOrTx, agencyId: string, userIds: string[]): Promise<Set<string>> {
  if (!userIds.length) return new Set()
  const rows = await memoRead(`push-devices:${agencyId}:${[...userIds].sort().join(',')}`, () =>
    db
      .selectDistinct({ userId: pushSubscriptions.userId })
      .from(pushSubscriptions)
      .where(and(eq(pushSubscriptions.agencyId, agencyId), inArray(pushSubscriptions.userId, userIds))),
  )
  return new Set(rows.map((r) => r.userId))
}

export function pgCode(e: unknown): string | undefined {
  const err = e as { code?: string; cause?: { code?: string } }
  return err.cause?.code ?? err.code
}

const PAGE = 30

/** The bell: the member's latest in-app notifications and how many are unread. Only ever their own. */
export async function listNotifications(ctx: AgencyCtx, input: TNotificationsListInput) {
  const { db, actor } = ctx
  const { before, beforeId } = input ?? {}
  const mine = and(inAgency(notifications, ctx), eq(notifications.userId, actor.userId), eq(notifications.inApp, true))
  // A sweep raises many notifications in one transaction, all at one instant: the id orders them within it.
  const older = before
    ? beforeId
      ? sql`(${notifications.updatedAt}, ${notifications.id}) < (${before.toISOString()}::timestamptz, ${beforeId}::uuid)`
      : sql`${notifications.updatedAt} < ${before.toISOString()}::timestamptz`
    : undefined
  const [items, [unread]] = await Promise.all([
    db
      .select({
        id: notifications.id,
        kind: notifications.kind,
        entity: notifications.entity,
        entityId: notifications.entityId,
        data: notifications.data,
        count: notifications.count,
        createdAt: notifications.createdAt,
        updatedAt: notifications.updatedAt,
        readAt: notifications.readAt,
      })
      .from(notifications)
      .where(and(mine, older))
      .orderBy(desc(notifications.updatedAt), desc(notifications.id))
      .limit(PAGE),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(notifications)
      .where(and(mine, isNull(notifications.readAt))),
  ])
  return { items, unread: unread!.n, hasMore: items.length === PAGE }
}

export async function unreadNotifications(ctx: AgencyCtx) {
  const [row] = await ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(
      and(
        inAgency(notifications, ctx),
        eq(notifications.userId, ctx.actor.userId),
        eq(notifications.inApp, true),
        isNull(notifications.readAt),
      ),
    )
  return row!.n
}

export async function markNotificationRead(ctx: AgencyCtx, { id }: TNotificationIdInput) {
  const { db, actor } = ctx
  const [row] = await db
    .update(notifications)
    .set({ readAt: sql`coalesce(${notifications.readAt}, now())` })
    .where(and(inAgency(notifications, ctx), eq(notifications.userId, actor.userId), eq(notifications.id, id)))
    .returning({ id: notifications.id })
  if (!row) throw notFound('notification')
  await emitLive(db, rooms.user(actor.userId), 'notifications:changed')
  return { ok: true as const }
}

export async function markAllNotificationsRead(ctx: AgencyCtx) {
  const { db, actor } = ctx
  const done = await db
    .update(notifications)
    .set({ readAt: sql`now()` })
    .where(and(inAgency(notifications, ctx), eq(notifications.userId, actor.userId), isNull(notifications.readAt)))
    .returning({ id: notifications.id })
  await emitLive(db, rooms.user(actor.userId), 'notifications:changed')
  return { marked: done.length }
}

/**
 * Marks read, for everyone, the notifications of one kind about something that is over — an offer someone else claimed
 * or that expired: the bell (and the e-mail digest, which takes unread ones) should not invite anyone to act on it.
 */
export async function settleNotifications(
  db: DbOrTx,
  {
    agencyId,
    userIds,
    kind,
    entityId,
  }: { agencyId: string; userIds: string[]; kind: NotificationKind; entityId: string },
) {
  if (!userIds.length) return
  const done = await db
    .update(notifications)
    .set({ readAt: sql`now()` })
    .where(
      and(
        eq(notifications.agencyId, agencyId),
        inArray(notifications.userId, userIds),
        eq(notifications.kind, kind),
        eq(notifications.entityId, entityId),
        isNull(notifications.readAt),
      ),
    )
    .returning({ userId: notifications.userId })
  for (const userId of new Set(done.map((d) => d.userId)))
    await emitLive(db, rooms.user(userId), 'notifications:changed')
}

/** Marks read what concerns a record the member just opened (the bell should not nag about what they are looking at). */
export async function markNotificationsReadFor(ctx: AgencyCtx, { entityId }: { entityId: string }) {
  const { db, actor } = ctx
  const done = await db
    .update(notifications)
    .set({ readAt: sql`now()` })
    .where(
      and(
        inAgency(notifications, ctx),
        eq(notifications.userId, actor.userId),
        eq(notifications.entityId, entityId),
        isNull(notifications.readAt),
      ),
    )
    .returning({ id: notifications.id })
  if (done.length) await emitLive(db, rooms.user(actor.userId), 'notifications:changed')
}

export async function getNotificationPrefs(ctx: AgencyCtx) {
  const [row] = await ctx.db
    .select({ prefs: memberships.notificationPrefs })
    .from(memberships)
    .where(eq(memberships.id, ctx.actor.membershipId))
  return resolvePrefs(row?.prefs)
}

export async function setNotificationPrefs(ctx: AgencyCtx, input: TNotificationPrefsInput) {
  // A kind sent without `push` keeps the member's stored choice for it.
  const stored = await getNotificationPrefs(ctx)
  const prefs = resolvePrefs(
    Object.fromEntries(
      Object.entries(input).map(([k, p]) => [k, { ...p, push: p.push ?? stored[k as NotificationKind].push }]),
    ),
  )
  await ctx.db
    .update(memberships)
    .set({ notificationPrefs: prefs, updatedAt: new Date() })
    .where(byId(memberships, ctx, ctx.actor.membershipId))
  return prefs
}

/** Recipients for something about a record: its assignee, or the active managers when nobody has it. */
export async function assigneeOrManagers(
  db: DbOrTx,
  { agencyId, assignedTo }: { agencyId: string; assignedTo: string | null },
): Promise<string[]> {
  if (assignedTo) return [assignedTo]
  const rows = await memoRead(`managers:${agencyId}`, () =>
    db
      .select({ userId: memberships.userId })
      .from(memberships)
      .where(
        and(eq(memberships.agencyId, agencyId), eq(memberships.role, 'manager'), eq(memberships.status, 'active')),
      ),
  )
  return rows.map((r) => r.userId)
}

/**
 * For the worker's e-mail digest: per member, the notifications waiting to be e-mailed. Marked sent in the same
 * transaction that enqueues the e-mail job, so a digest is sent once (the send job itself retries).
 */
export async function takeEmailDigests(db: DbOrTx, { agencyId, olderThan }: { agencyId: string; olderThan: Date }) {
  const rows = await db
    .update(notifications)
    .set({ emailState: 'sent', emailedAt: sql`now()` })
    .where(
      and(
        eq(notifications.agencyId, agencyId),
        eq(notifications.emailState, 'pending'),
        sql`${notifications.updatedAt} <= ${olderThan.toISOString()}::timestamptz`,
      ),
    )
    .returning({
      userId: notifications.userId,
      kind: notifications.kind,
      entity: notifications.entity,
      entityId: notifications.entityId,
      data: notifications.data,
      count: notifications.count,
      at: notifications.updatedAt,
    })
  const byUser = new Map<string, typeof rows>()
  for (const r of rows) byUser.set(r.userId, [...(byUser.get(r.userId) ?? []), r])
  if (!byUser.size) return []
  const people = await db
    .select({ id: users.id, email: users.email, name: users.name, locale: users.locale })
    .from(users)
    .where(inArray(users.id, [...byUser.keys()]))
  return people.map((p) => ({ user: p, items: byUser.get(p.id)!.sort((a, b) => a.at.getTime() - b.at.getTime()) }))
}

/**
 * Worker sweep, per agency: new leads nobody contacted within the agency's contact time. Each lead is announced once
 * (to its assignee, or the managers), when its deadline passed in the last three days: older backlogs stay on the
 * dashboard's "needs attention" list instead of flooding the bell after a deploy or an import.
 */
export async function notifyWaitingLeads(db: DbOrTx, { agencyId }: { agencyId: string }) {
  const rows = await db.execute<{ id: string; name: string; assigned_to: string | null; hours: number }>(sql`
    select l.id, l.name, l.assigned_to, a.contact_sla_hours as hours
    from leads l join agencies a on a.id = l.agency_id
    where l.agency_id = ${agencyId} and l.deleted_at is null and l.status = 'new' and l.first_contact_at is null
      and l.created_at + make_interval(hours => a.contact_sla_hours) between now() - interval '3 days' and now()
      and not exists (select 1 from notifications n where n.agency_id = l.agency_id and n.kind = 'lead_waiting' and n.entity_id = l.id)
    order by l.created_at
    limit 200`)
  for (const r of rows) {
    await raiseNotification(db, {
      agencyId,
      userIds: await assigneeOrManagers(db, { agencyId, assignedTo: r.assigned_to }),
      kind: 'lead_waiting',
      entity: 'lead',
      entityId: r.id,
      data: { name: r.name, hours: r.hours },
    })
  }
  return rows.length
}

export { notificationPath } from '../links'
