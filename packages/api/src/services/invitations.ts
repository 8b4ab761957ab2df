import { agencies, and, desc, eq, invitations, isNull, memberships, sql, users, type DbOrTx } from '@impera/db'
import { byId, inAgency, type AgencyCtx, type GuestCtx, type PlatformCtx, type WithUrls } from '../ctx'
import { hashToken, randomToken } from '../auth/tokens'
import { logoUrl } from '../branding'
import { invitationEmail } from '../emails'
import { AppError, invalidField, notFound } from '../errors'
import { enqueue, sendEmailJob } from '../jobs'
import type { TAcceptInvitationInput, TInvitationIdInput, TInviteMemberInput } from '../schemas'
import { audit, auditPlatform } from './audit'
import { raiseNotification } from './notifications'
import { isCommonPassword } from '../auth/passwords'

/*
 * Every service here takes (ctx, input); the ctx says who acts. Managers invite as members of their agency
 * (AgencyCtx); platform staff invite an agency's first manager (PlatformCtx); whoever opens an invitation link is no
 * member yet (GuestCtx), so reading and accepting one run on the pool in transactions of their own.
 */

export const INVITATION_DAYS = 7

/**
 * Creates (or re-issues, rotating the token) the open invitation for an address and queues its e-mail. Shared by
 * managers inviting members and by platform staff inviting an agency's first manager.
 */
export async function issueInvitation(
  ctx: (AgencyCtx | PlatformCtx) & WithUrls,
  input: { agencyId: string; email: string; role: 'manager' | 'agent' },
) {
  const { db, actor } = ctx
  const email = input.email.toLowerCase()
  const [agency] = await db
    .select({
      name: agencies.name,
      locale: agencies.locale,
      brandColor: agencies.brandColor,
      logoKey: agencies.logoKey,
    })
    .from(agencies)
    .where(eq(agencies.id, input.agencyId))
  if (!agency) throw notFound('agency')
  const [member] = await db
    .select({ id: memberships.id })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.agencyId, input.agencyId), sql`lower(${users.email}) = ${email}`))
  if (member) throw invalidField('email', 'members.alreadyMember')
  const token = randomToken()
  const expiresAt = new Date(Date.now() + INVITATION_DAYS * 24 * 3600 * 1000)
  const [open] = await db
    .select()
    .from(invitations)
    .where(
      and(
        eq(invitations.agencyId, input.agencyId),
        sql`lower(${invitations.email}) = ${email}`,
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
      ),
    )
  const values = { tokenHash: hashToken(token), expiresAt, role: input.role, invitedBy: actor.userId }
  const [invitation] = open
    ? await db
        .update(invitations)
        .set(values)
        .where(and(eq(invitations.id, open.id), eq(invitations.agencyId, input.agencyId)))
        .returning()
    : await db
        .insert(invitations)
        .values({ ...values, agencyId: input.agencyId, email })
        .returning()
  const [inviter] = await db.select({ name: users.name }).from(users).where(eq(users.id, actor.userId))
  const mail = invitationEmail({
    agencyName: agency.name,
    inviterName: inviter?.name ?? null,
    url: `${ctx.urls.origin}/invite/${token}`,
    locale: agency.locale,
    role: input.role,
    logoUrl: logoUrl(agency.logoKey) && `${ctx.urls.origin}${logoUrl(agency.logoKey)}`,
    brandColor: agency.brandColor,
  })
  await enqueue(db, sendEmailJob, { to: email, ...mail })
  await auditPlatform(ctx, input.agencyId, open ? 'invitation.resend' : 'invitation.create', {
    entity: 'invitation',
    entityId: invitation!.id,
    after: { email, role: input.role, expiresAt },
  })
  return publicInvitation(invitation!)
}

function publicInvitation(i: typeof invitations.$inferSelect) {
  const { tokenHash: _omit, ...rest } = i
  return rest
}

export async function inviteMember(ctx: AgencyCtx & WithUrls, input: TInviteMemberInput) {
  return issueInvitation(ctx, { agencyId: ctx.actor.agencyId, email: input.email, role: input.role })
}

export async function listInvitations(ctx: AgencyCtx) {
  const rows = await ctx.db
    .select()
    .from(invitations)
    .where(and(inAgency(invitations, ctx), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
    .orderBy(desc(invitations.createdAt))
  return rows.map((r) => ({ ...publicInvitation(r), expired: r.expiresAt.getTime() < Date.now() }))
}

async function getOpenInvitation(ctx: AgencyCtx, invitationId: string) {
  const [inv] = await ctx.db
    .select()
    .from(invitations)
    .where(and(byId(invitations, ctx, invitationId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
  if (!inv) throw notFound('invitation')
  return inv
}

export async function resendInvitation(ctx: AgencyCtx & WithUrls, input: TInvitationIdInput) {
  const inv = await getOpenInvitation(ctx, input.invitationId)
  return issueInvitation(ctx, { agencyId: ctx.actor.agencyId, email: inv.email, role: inv.role })
}

export async function revokeInvitation(ctx: AgencyCtx, input: TInvitationIdInput) {
  const inv = await getOpenInvitation(ctx, input.invitationId)
  await ctx.db
    .update(invitations)
    .set({ revokedAt: new Date() })
    .where(byId(invitations, ctx, inv.id))
  await audit(ctx, 'invitation.revoke', {
    entity: 'invitation',
    entityId: inv.id,
    before: { email: inv.email, role: inv.role },
  })
  return { ok: true as const }
}

type InvitationState = 'valid' | 'expired' | 'used' | 'revoked' | 'agency_suspended'

async function lookup(tx: DbOrTx, token: string) {
  await tx.execute(sql`select set_config('app.invitation_token_hash', ${hashToken(token)}, true)`)
  const [row] = await tx
    .select({
      id: invitations.id,
      agencyId: invitations.agencyId,
      email: invitations.email,
      role: invitations.role,
      expiresAt: invitations.expiresAt,
      acceptedAt: invitations.acceptedAt,
      revokedAt: invitations.revokedAt,
      invitedBy: invitations.invitedBy,
      agencyName: agencies.name,
      agencyStatus: agencies.status,
    })
    .from(invitations)
    .innerJoin(agencies, eq(agencies.id, invitations.agencyId))
    .where(eq(invitations.tokenHash, hashToken(token)))
  if (!row) return null
  const state: InvitationState = row.revokedAt
    ? 'revoked'
    : row.acceptedAt
      ? 'used'
      : row.agencyStatus !== 'active'
        ? 'agency_suspended'
        : row.expiresAt.getTime() < Date.now()
          ? 'expired'
          : 'valid'
  const [existing] = await tx
    .select({ id: users.id })
    .from(users)
    .where(sql`lower(${users.email}) = ${row.email.toLowerCase()}`)
  return { ...row, state, existingUserId: existing?.id ?? null }
}

/** What the accept page shows; reveals nothing unless the caller holds the token. */
export async function getInvitationByToken(ctx: Pick<GuestCtx, 'db'>, input: { token: string }) {
  const row = await ctx.db.transaction((tx) => lookup(tx, input.token))
  if (!row) return null
  return {
    agencyName: row.agencyName,
    email: row.email,
    role: row.role,
    state: row.state,
    hasAccount: row.existingUserId !== null,
  }
}

/**
 * Accepts in one transaction: as the login role it reads the invitation through the token door and creates the
 * account if needed; then it switches to the tenant role of that agency to add the membership and close the invitation.
 */
export async function acceptInvitation(ctx: GuestCtx, input: TAcceptInvitationInput | { token: string }) {
  const { auth, identity } = ctx
  return ctx.db.transaction(async (tx) => {
    const inv = await lookup(tx, input.token)
    if (!inv) throw new AppError('NOT_FOUND', 'invitation not found', { userMessage: 'invitations.invalid' })
    if (inv.state !== 'valid')
      throw new AppError('CONFLICT', `invitation ${inv.state}`, {
        userMessage: `invitations.${inv.state}`,
        meta: { reason: inv.state },
      })
    let userId: string
    if (inv.existingUserId) {
      // An existing account joins by signing in first; an invitation never sets the password of an existing account.
      if (identity?.userId !== inv.existingUserId)
        throw new AppError('CONFLICT', 'sign in to accept', {
          userMessage: 'invitations.signInFirst',
          meta: { reason: 'sign_in_first' },
        })
      userId = inv.existingUserId
    } else {
      if (!('password' in input)) throw invalidField('password', 'validation.required')
      if (isCommonPassword(input.password)) throw invalidField('password', 'validation.passwordCommon')
      const [agency] = await tx.select({ locale: agencies.locale }).from(agencies).where(eq(agencies.id, inv.agencyId))
      userId = (
        await auth.createUser(tx, {
          email: inv.email,
          name: input.name,
          password: input.password,
          locale: agency?.locale ?? 'pt-BR',
        })
      ).userId
    }
    await tx.execute(
      sql`select set_config('app.agency_id', ${inv.agencyId}, true), set_config('app.user_id', ${userId}, true)`,
    )
    await tx.execute(sql`set local role app_rls`)
    const [membership] = await tx
      .insert(memberships)
      .values({ agencyId: inv.agencyId, userId, role: inv.role })
      .onConflictDoUpdate({
        target: [memberships.agencyId, memberships.userId],
        set: { role: inv.role, status: 'active', updatedAt: new Date() },
      })
      .returning()
    await tx
      .update(invitations)
      .set({ acceptedAt: new Date() })
      .where(and(eq(invitations.id, inv.id), eq(invitations.agencyId, inv.agencyId)))
    await auditPlatform({ db: tx, actor: { userId, ip: ctx.ip } }, inv.agencyId, 'invitation.accept', {
      entity: 'membership',
      entityId: membership!.id,
      after: { role: inv.role, email: inv.email },
    })
    await raiseNotification(tx, {
      agencyId: inv.agencyId,
      userIds: [inv.invitedBy],
      actorUserId: userId,
      kind: 'invitation_accepted',
      entity: 'member',
      entityId: userId,
      data: { email: inv.email, role: inv.role },
    })
    return { userId, agencyId: inv.agencyId, email: inv.email }
  })
}
