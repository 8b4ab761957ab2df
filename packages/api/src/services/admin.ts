import { agencies, asc, eq, memberships, sql, type DbOrTx } from '@impera/db'
import { AppError, invalidField, notFound } from '../errors'
import type { TCreateAgencyInput, TSetAgencyStatusInput } from '../schemas'
import type { PlatformActor } from '../trpc'
import { writeAudit } from './audit'
import { issueInvitation } from './invitations'

/** Cross-agency overview for platform staff: counts only, never an agency's records. */
export async function listAgencies({ db }: { db: DbOrTx; actor: PlatformActor }) {
  return db
    .select({
      id: agencies.id,
      name: agencies.name,
      slug: agencies.slug,
      status: agencies.status,
      createdAt: agencies.createdAt,
      activeMembers: sql<number>`(select count(*)::int from ${memberships} m where m.agency_id = ${agencies.id} and m.status = 'active')`,
      managers: sql<number>`(select count(*)::int from ${memberships} m where m.agency_id = ${agencies.id} and m.status = 'active' and m.role = 'manager')`,
    })
    .from(agencies)
    .orderBy(asc(agencies.name))
}

export async function createAgency({ db, actor, input, origin }: { db: DbOrTx; actor: PlatformActor; input: TCreateAgencyInput; origin: string }) {
  const [taken] = await db.select({ id: agencies.id }).from(agencies).where(eq(agencies.slug, input.slug))
  if (taken) throw invalidField('slug', 'admin.slugTaken')
  const [agency] = await db.insert(agencies).values({ name: input.name, slug: input.slug, locale: input.locale }).returning()
  await writeAudit(db, { agencyId: agency!.id, actorUserId: actor.userId, action: 'agency.create', entity: 'agency', entityId: agency!.id, after: { name: input.name, slug: input.slug }, ip: actor.ip })
  const invitation = await issueInvitation(db, { agencyId: agency!.id, email: input.managerEmail, role: 'manager', invitedBy: actor.userId, origin, ip: actor.ip })
  return { agency: agency!, invitation }
}

export async function setAgencyStatus({ db, actor, input }: { db: DbOrTx; actor: PlatformActor; input: TSetAgencyStatusInput }) {
  const [before] = await db.select().from(agencies).where(eq(agencies.id, input.agencyId))
  if (!before) throw notFound('agency')
  if (before.status === input.status) throw new AppError('CONFLICT', 'status unchanged', { userMessage: 'admin.statusUnchanged' })
  const [after] = await db.update(agencies).set({ status: input.status, updatedAt: new Date() }).where(eq(agencies.id, input.agencyId)).returning()
  await writeAudit(db, { agencyId: before.id, actorUserId: actor.userId, action: input.status === 'suspended' ? 'agency.suspend' : 'agency.reactivate', entity: 'agency', entityId: before.id, before, after, ip: actor.ip })
  return after!
}
