import { and, asc, eq, memberships, ne, sql, users, type DbOrTx } from '@impera/db'
import { AppError, notFound } from '../errors'
import type { TChangeRoleInput } from '../schemas'
import type { AgencyActor } from '../ctx'
import { writeAudit } from './audit'

export async function listMembers({ db, actor }: { db: DbOrTx; actor: AgencyActor }) {
  return db
    .select({
      membershipId: memberships.id,
      userId: users.id,
      name: users.name,
      email: users.email,
      phone: users.phone,
      role: memberships.role,
      status: memberships.status,
      since: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.agencyId, actor.agencyId))
    .orderBy(asc(memberships.status), asc(users.name))
}

async function getMembership(db: DbOrTx, actor: AgencyActor, membershipId: string) {
  const [m] = await db
    .select()
    .from(memberships)
    .where(and(eq(memberships.id, membershipId), eq(memberships.agencyId, actor.agencyId)))
  if (!m) throw notFound('membership')
  return m
}

/** An agency must never be left without an active manager: nobody could invite or manage anyone. */
async function assertAnotherActiveManager(db: DbOrTx, actor: AgencyActor, exceptMembershipId: string) {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(memberships)
    .where(
      and(
        eq(memberships.agencyId, actor.agencyId),
        eq(memberships.role, 'manager'),
        eq(memberships.status, 'active'),
        ne(memberships.id, exceptMembershipId),
      ),
    )
  if (!row || row.n === 0) throw new AppError('CONFLICT', 'last active manager', { userMessage: 'members.lastManager' })
}

export async function changeMemberRole({
  db,
  actor,
  input,
}: {
  db: DbOrTx
  actor: AgencyActor
  input: TChangeRoleInput
}) {
  const before = await getMembership(db, actor, input.membershipId)
  if (before.role === input.role) return before
  if (before.role === 'manager') await assertAnotherActiveManager(db, actor, before.id)
  const [after] = await db
    .update(memberships)
    .set({ role: input.role, updatedAt: new Date() })
    .where(and(eq(memberships.id, before.id), eq(memberships.agencyId, actor.agencyId)))
    .returning()
  await writeAudit(db, {
    agencyId: actor.agencyId,
    actorUserId: actor.userId,
    action: 'member.role.change',
    entity: 'membership',
    entityId: before.id,
    before,
    after,
    ip: actor.ip,
  })
  return after!
}

export async function setMemberStatus({
  db,
  actor,
  membershipId,
  status,
}: {
  db: DbOrTx
  actor: AgencyActor
  membershipId: string
  status: 'active' | 'deactivated'
}) {
  const before = await getMembership(db, actor, membershipId)
  if (before.status === status) return before
  if (status === 'deactivated') {
    if (before.id === actor.membershipId)
      throw new AppError('CONFLICT', 'cannot deactivate self', { userMessage: 'members.cannotDeactivateSelf' })
    if (before.role === 'manager') await assertAnotherActiveManager(db, actor, before.id)
  }
  const [after] = await db
    .update(memberships)
    .set({ status, updatedAt: new Date() })
    .where(and(eq(memberships.id, before.id), eq(memberships.agencyId, actor.agencyId)))
    .returning()
  await writeAudit(db, {
    agencyId: actor.agencyId,
    actorUserId: actor.userId,
    action: status === 'active' ? 'member.reactivate' : 'member.deactivate',
    entity: 'membership',
    entityId: before.id,
    before,
    after,
    ip: actor.ip,
  })
  return after!
}
