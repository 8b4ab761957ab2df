import { agencies, asc, eq, memberships, platformAuditLog, sql, withAgency, type Db } from '@impera/db'
import type { PlatformCtx, WithUrls } from '../ctx'
import type { FileStorage } from '../storage'
import { AppError, conflictField, invalidField, notFound } from '../errors'
import { agencyDeleteJob, deleteStoredFilesJob, storageDeleteAgencyFilesJob, enqueue } from '../jobs'
import type { TCreateAgencyInput, TDeleteAgencyInput, TSetAgencyStatusInput } from '../schemas'
import { auditPlatform } from './audit'
import { issueInvitation } from './invitations'

/** Cross-agency overview for platform staff: counts only, never an agency's records. */
export async function listAgencies({ db }: PlatformCtx) {
  // Counted in a joined aggregate: in a one-table select drizzle writes columns unqualified, so a correlated subquery
  // comparing with agencies.id compared the membership's own id instead (every agency showed 0 members).
  const counts = db
    .select({
      agencyId: memberships.agencyId,
      active: sql<number>`count(*)::int`.as('active'),
      managers: sql<number>`(count(*) filter (where ${memberships.role} = 'manager'))::int`.as('managers'),
    })
    .from(memberships)
    .where(eq(memberships.status, 'active'))
    .groupBy(memberships.agencyId)
    .as('counts')
  return db
    .select({
      id: agencies.id,
      name: agencies.name,
      slug: agencies.slug,
      status: agencies.status,
      deletionRequestedAt: agencies.deletionRequestedAt,
      createdAt: agencies.createdAt,
      activeMembers: sql<number>`coalesce(${counts.active}, 0)`,
      managers: sql<number>`coalesce(${counts.managers}, 0)`,
    })
    .from(agencies)
    .leftJoin(counts, eq(counts.agencyId, agencies.id))
    .orderBy(asc(agencies.name))
}

export async function createAgency(ctx: PlatformCtx & WithUrls, input: TCreateAgencyInput) {
  const [taken] = await ctx.db.select({ id: agencies.id }).from(agencies).where(eq(agencies.slug, input.slug))
  if (taken) throw conflictField('slug', 'admin.slugTaken')
  const [agency] = await ctx.db
    .insert(agencies)
    .values({ name: input.name, slug: input.slug, locale: input.locale })
    .returning()
  await auditPlatform(ctx, agency!.id, 'agency.create', {
    entity: 'agency',
    entityId: agency!.id,
    after: { name: input.name, slug: input.slug },
  })
  const invitation = await issueInvitation(ctx, { agencyId: agency!.id, email: input.managerEmail, role: 'manager' })
  return { agency: agency!, invitation }
}

export async function setAgencyStatus(ctx: PlatformCtx, input: TSetAgencyStatusInput) {
  const [before] = await ctx.db.select().from(agencies).where(eq(agencies.id, input.agencyId))
  if (!before) throw notFound('agency')
  // An agency on its way out stays suspended: the deletion job would take it from under its people otherwise.
  if (before.deletionRequestedAt)
    throw new AppError('CONFLICT', 'deletion pending', {
      userMessage: 'admin.deletionPending',
      meta: { reason: 'deletion_pending' },
    })
  if (before.status === input.status)
    throw new AppError('CONFLICT', 'status unchanged', { userMessage: 'admin.statusUnchanged' })
  const [after] = await ctx.db
    .update(agencies)
    .set({ status: input.status, updatedAt: new Date() })
    .where(eq(agencies.id, input.agencyId))
    .returning()
  await auditPlatform(ctx, before.id, input.status === 'suspended' ? 'agency.suspend' : 'agency.reactivate', {
    entity: 'agency',
    entityId: before.id,
    before,
    after,
  })
  return after!
}

/**
 * The platform's cross-agency overview: per-day counts kept by triggers (agency_daily_stats), members, and when users
 * were last seen. No agency record is read. An agency is at risk when active but quiet: no active user in 7 days, no
 * lead or message in 14 days, or activity down by more than half against the 14 days before.
 */
export async function platformOverview({ db }: PlatformCtx) {
  const daily = await db.execute<{ day: string; leads: string; messages: string }>(sql`
    select to_char(d, 'YYYY-MM-DD') as day, coalesce(sum(s.leads_created), 0) as leads, coalesce(sum(s.messages_in + s.messages_out), 0) as messages
    from generate_series(current_date - 29, current_date, interval '1 day') d
    left join agency_daily_stats s on s.day = d::date
    group by d order by d`)
  const perAgency = await db.execute<Record<string, string | null>>(sql`
    with seen as (select * from platform_user_last_seen()),
    act as (
      select agency_id,
             sum(leads_created + messages_in + messages_out) filter (where day > current_date - 14) as recent,
             sum(leads_created + messages_in + messages_out) filter (where day <= current_date - 14) as before,
             sum(leads_created) filter (where day > current_date - 30) as leads30,
             sum(messages_in + messages_out) filter (where day > current_date - 30) as messages30,
             max(day) as last_day
      from agency_daily_stats where day > current_date - 28 or day = (select max(day) from agency_daily_stats x where x.agency_id = agency_daily_stats.agency_id)
      group by agency_id
    )
    select a.id, a.name, a.status,
           (select count(*) from memberships m where m.agency_id = a.id and m.status = 'active') as members,
           (select count(*) from memberships m join seen on seen.user_id = m.user_id where m.agency_id = a.id and m.status = 'active' and seen.last_seen_at > now() - interval '7 days') as active_users,
           coalesce(act.recent, 0) as recent, coalesce(act.before, 0) as before, coalesce(act.leads30, 0) as leads30, coalesce(act.messages30, 0) as messages30, act.last_day
    from agencies a left join act on act.agency_id = a.id
    order by a.name`)
  const agenciesOut = perAgency.map((r) => {
    const recent = Number(r.recent)
    const before = Number(r.before)
    const activeUsers = Number(r.active_users)
    const risks: ('no_active_users' | 'no_activity' | 'activity_drop')[] = []
    if (r.status === 'active') {
      if (activeUsers === 0) risks.push('no_active_users')
      if (recent === 0) risks.push('no_activity')
      else if (before > 0 && recent < before / 2) risks.push('activity_drop')
    }
    return {
      id: r.id!,
      name: r.name!,
      status: r.status as 'active' | 'suspended',
      members: Number(r.members),
      activeUsers,
      leads30: Number(r.leads30),
      messages30: Number(r.messages30),
      lastActivity: r.last_day,
      risks,
    }
  })
  return {
    totals: {
      agencies: agenciesOut.length,
      active: agenciesOut.filter((a) => a.status === 'active').length,
      activeUsers: agenciesOut.reduce((acc, a) => acc + a.activeUsers, 0),
      leads30: agenciesOut.reduce((acc, a) => acc + a.leads30, 0),
      messages30: agenciesOut.reduce((acc, a) => acc + a.messages30, 0),
      atRisk: agenciesOut.filter((a) => a.risks.length).length,
    },
    daily: daily.map((d) => ({ day: d.day, leads: Number(d.leads), messages: Number(d.messages) })),
    agencies: agenciesOut,
  }
}

/**
 * Platform staff delete an agency for good (issue 17, decision 040): they type its slug; the agency is suspended at
 * once (nobody works in it any more) and the worker deletes it with everything it owns, files included. Recorded in
 * the platform's own log, which outlives the agency.
 */
export async function requestAgencyDeletion(ctx: PlatformCtx, input: TDeleteAgencyInput) {
  const [agency] = await ctx.db.select().from(agencies).where(eq(agencies.id, input.agencyId))
  if (!agency) throw notFound('agency')
  if (input.confirm !== agency.slug) throw invalidField('confirm', 'admin.deleteConfirmMismatch')
  if (agency.deletionRequestedAt)
    throw new AppError('CONFLICT', 'deletion already requested', {
      userMessage: 'admin.deletionPending',
      meta: { reason: 'deletion_pending' },
    })
  const [after] = await ctx.db
    .update(agencies)
    .set({ status: 'suspended', deletionRequestedAt: new Date(), updatedAt: new Date() })
    .where(eq(agencies.id, agency.id))
    .returning()
  await ctx.db.insert(platformAuditLog).values({
    actorUserId: ctx.actor.userId,
    action: 'agency.delete.request',
    targetAgencyId: agency.id,
    agencyName: agency.name,
    detail: { slug: agency.slug, ip: ctx.actor.ip },
  })
  await enqueue(ctx.db, agencyDeleteJob, { agencyId: agency.id }, { jobKey: `agency-delete-${agency.id}` })
  return after!
}

/**
 * The worker's half: the agency's file keys are read in its own tenant context, then one transaction deletes the
 * agency (every row it owns goes by the foreign keys), queues its files' deletion and records it. Does nothing for an
 * agency whose deletion nobody asked for, or one already gone (a retried job).
 */
export async function deleteRequestedAgency(db: Db, agencyId: string) {
  const [agency] = await db.select().from(agencies).where(eq(agencies.id, agencyId))
  if (!agency?.deletionRequestedAt) return null
  const owned = await withAgency(db, { agencyId, userId: null }, async (tx) => {
    const [counts] = await tx.execute<{ leads: number; clients: number; properties: number; members: number }>(sql`
      select (select count(*)::int from leads where agency_id = ${agencyId}) as leads,
             (select count(*)::int from clients where agency_id = ${agencyId}) as clients,
             (select count(*)::int from properties where agency_id = ${agencyId}) as properties,
             (select count(*)::int from memberships where agency_id = ${agencyId}) as members`)
    const files = await tx.execute<{ key: string }>(sql`
      select storage_key as key from property_photos where agency_id = ${agencyId}
      union all select thumb_key from property_photos where agency_id = ${agencyId}
      union all select media->>'storageKey' from whatsapp_messages
        where agency_id = ${agencyId} and media ? 'storageKey'
      union all select file_key from imports where agency_id = ${agencyId} and file_key is not null
      union all select file_key from agency_exports where agency_id = ${agencyId} and file_key is not null`)
    return { counts: counts!, keys: files.map((f) => f.key).filter(Boolean) }
  })
  return db.transaction(async (tx) => {
    const [gone] = await tx.execute<{ deleted: boolean }>(sql`select delete_requested_agency(${agencyId}) as deleted`)
    if (!gone?.deleted) return null
    for (let i = 0; i < owned.keys.length; i += 1000)
      await enqueue(tx, deleteStoredFilesJob, { keys: owned.keys.slice(i, i + 1000) })
    // The folder itself, for files no row named (a media download or an export finishing during the deletion); again
    // later, for a job that was still running.
    await enqueue(tx, storageDeleteAgencyFilesJob, { agencyId })
    await enqueue(tx, storageDeleteAgencyFilesJob, { agencyId }, { runAt: new Date(Date.now() + 30 * 60_000) })
    const detail = { ...owned.counts, files: owned.keys.length }
    await tx
      .insert(platformAuditLog)
      .values({ action: 'agency.delete', targetAgencyId: agencyId, agencyName: agency.name, detail })
    return detail
  })
}

/** A deleted agency's folder in the store, whatever is left in it; null (nothing touched) while the agency exists. */
export async function sweepDeletedAgencyFiles({ db, storage }: { db: Db; storage: FileStorage }, agencyId: string) {
  const [alive] = await db.select({ id: agencies.id }).from(agencies).where(eq(agencies.id, agencyId))
  if (alive) return null
  return storage.deletePrefix(agencyId)
}
