import { and, asc, eq, memberships, ne, sql, users } from '@impera/db'
import { byId, inAgency, type AgencyCtx } from '../ctx'
import { AppError, notFound } from '../errors'
import type { TChangeRoleInput, TMembershipIdInput } from '../schemas'
import { audit } from './audit'

export async function listMembers(ctx: AgencyCtx) {
  return ctx.db
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
    .where(inAgency(memberships, ctx))
    .orderBy(asc(memberships.status), asc(users.name))
}

async function getMembership(ctx: AgencyCtx, membershipId: string) {
  const [m] = await ctx.db
    .select()
    .from(memberships)
    .where(byId(memberships, ctx, membershipId))
  if (!m) throw notFound('membership')
  return m
}

/** An agency must never be left without an active manager: nobody could invite or manage anyone. */
async function assertAnotherActiveManager(ctx: AgencyCtx, exceptMembershipId: string) {
  const [row] = await ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(memberships)
    .where(
      and(
        inAgency(memberships, ctx),
        eq(memberships.role, 'manager'),
        eq(memberships.status, 'active'),
        ne(memberships.id, exceptMembershipId),
      ),
    )
  if (!row || row.n === 0) throw new AppError('CONFLICT', 'last active manager', { userMessage: 'members.lastManager' })
}

export async function changeMemberRole(ctx: AgencyCtx, input: TChangeRoleInput) {
  const before = await getMembership(ctx, input.membershipId)
  if (before.role === input.role) return before
  if (before.role === 'manager') await assertAnotherActiveManager(ctx, before.id)
  const [after] = await ctx.db
    .update(memberships)
    .set({ role: input.role, updatedAt: new Date() })
    .where(byId(memberships, ctx, before.id))
    .returning()
  await audit(ctx, 'member.role.change', { entity: 'membership', entityId: before.id, before, after })
  return after!
}

export function deactivateMember(ctx: AgencyCtx, input: TMembershipIdInput) {
  return setMemberStatus(ctx, input.membershipId, 'deactivated')
}

export function reactivateMember(ctx: AgencyCtx, input: TMembershipIdInput) {
  return setMemberStatus(ctx, input.membershipId, 'active')
}

async function setMemberStatus(ctx: AgencyCtx, membershipId: string, status: 'active' | 'deactivated') {
  const before = await getMembership(ctx, membershipId)
  if (before.status === status) return before
  if (status === 'deactivated') {
    if (before.id === ctx.actor.membershipId)
      throw new AppError('CONFLICT', 'cannot deactivate self', { userMessage: 'members.cannotDeactivateSelf' })
    if (before.role === 'manager') await assertAnotherActiveManager(ctx, before.id)
  }
  const [after] = await ctx.db
    .update(memberships)
    .set({ status, updatedAt: new Date() })
    .where(byId(memberships, ctx, before.id))
    .returning()
  await audit(ctx, status === 'active' ? 'member.reactivate' : 'member.deactivate', {
    entity: 'membership',
    entityId: before.id,
    before,
    after,
  })
  return after!
}
