import { agencies, and, desc, eq, invitations, isNull, memberships, sql, users, type Db, type DbOrTx } from '@impera/db'
import type { AuthProvider, Identity } from '../auth/types'
import { hashToken, randomToken } from '../auth/tokens'
import { invitationEmail } from '../emails'
import { AppError, invalidField, notFound } from '../errors'
import { enqueue, sendEmailJob } from '../jobs'
import type { TAcceptInvitationInput, TInviteMemberInput } from '../schemas'
import type { AgencyActor } from '../ctx'
import { writeAudit } from './audit'
import { raiseNotification } from './notifications'
import { isCommonPassword } from '../auth/passwords'

export const INVITATION_DAYS = 7

interface IssueOptions {
  agencyId: string
  email: string
  role: 'manager' | 'agent'
  invitedBy: string
  origin: string
  ip: string | null
}

/**
 * Creates (or re-issues, rotating the token) the open invitation for an address and queues its e-mail. Shared by
 * managers inviting members and by platform staff inviting an agency's first manager.
 */
export async function issueInvitation(db: DbOrTx, opts: IssueOptions) {
  const email = opts.email.toLowerCase()
  const [agency] = await db
    .select({ name: agencies.name, locale: agencies.locale })
    .from(agencies)
    .where(eq(agencies.id, opts.agencyId))
  if (!agency) throw notFound('agency')
  const [member] = await db
    .select({ id: memberships.id })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.agencyId, opts.agencyId), sql`lower(${users.email}) = ${email}`))
  if (member) throw invalidField('email', 'members.alreadyMember')
  const token = randomToken()
  const expiresAt = new Date(Date.now() + INVITATION_DAYS * 24 * 3600 * 1000)
  const [open] = await db
    .select()
    .from(invitations)
    .where(
      and(
        eq(invitations.agencyId, opts.agencyId),
        sql`lower(${invitations.email}) = ${email}`,
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
      ),
    )
  const values = { tokenHash: hashToken(token), expiresAt, role: opts.role, invitedBy: opts.invitedBy }
  const [invitation] = open
    ? await db
        .update(invitations)
        .set(values)
        .where(and(eq(invitations.id, open.id), eq(invitations.agencyId, opts.agencyId)))
        .returning()
    : await db
        .insert(invitations)
        .values({ ...values, agencyId: opts.agencyId, email })
        .returning()
  const [inviter] = await db.select({ name: users.name }).from(users).where(eq(users.id, opts.invitedBy))
  const mail = invitationEmail({
    agencyName: agency.name,
    inviterName: inviter?.name ?? null,
    url: `${opts.origin}/invite/${token}`,
    locale: agency.locale,
    role: opts.role,
  })
  await enqueue(db, sendEmailJob, { to: email, ...mail })
  await writeAudit(db, {
    agencyId: opts.agencyId,
    actorUserId: opts.invitedBy,
    action: open ? 'invitation.resend' : 'invitation.create',
    entity: 'invitation',
    entityId: invitation!.id,
    after: { email, role: opts.role, expiresAt },
    ip: opts.ip,
  })
  return publicInvitation(invitation!)
}

function publicInvitation(i: typeof invitations.$inferSelect) {
  const { tokenHash: _omit, ...rest } = i
  return rest
}

export async function inviteMember({
  db,
  actor,
  input,
  origin,
}: {
  db: DbOrTx
  actor: AgencyActor
  input: TInviteMemberInput
  origin: string
}) {
  return issueInvitation(db, {
    agencyId: actor.agencyId,
    email: input.email,
    role: input.role,
    invitedBy: actor.userId,
    origin,
    ip: actor.ip,
  })
}

export async function listInvitations({ db, actor }: { db: DbOrTx; actor: AgencyActor }) {
  const rows = await db
    .select()
    .from(invitations)
    .where(and(eq(invitations.agencyId, actor.agencyId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
    .orderBy(desc(invitations.createdAt))
  return rows.map((r) => ({ ...publicInvitation(r), expired: r.expiresAt.getTime() < Date.now() }))
}

async function getOpenInvitation(db: DbOrTx, actor: AgencyActor, invitationId: string) {
  const [inv] = await db
    .select()
    .from(invitations)
    .where(
      and(
        eq(invitations.id, invitationId),
        eq(invitations.agencyId, actor.agencyId),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
      ),
    )
  if (!inv) throw notFound('invitation')
  return inv
}

export async function resendInvitation({
  db,
  actor,
  invitationId,
  origin,
}: {
  db: DbOrTx
  actor: AgencyActor
  invitationId: string
  origin: string
}) {
  const inv = await getOpenInvitation(db, actor, invitationId)
  return issueInvitation(db, {
    agencyId: actor.agencyId,
    email: inv.email,
    role: inv.role,
    invitedBy: actor.userId,
    origin,
    ip: actor.ip,
  })
}

export async function revokeInvitation({
  db,
  actor,
  invitationId,
}: {
  db: DbOrTx
  actor: AgencyActor
  invitationId: string
}) {
  const inv = await getOpenInvitation(db, actor, invitationId)
  await db
    .update(invitations)
    .set({ revokedAt: new Date() })
    .where(and(eq(invitations.id, inv.id), eq(invitations.agencyId, actor.agencyId)))
  await writeAudit(db, {
    agencyId: actor.agencyId,
    actorUserId: actor.userId,
    action: 'invitation.revoke',
    entity: 'invitation',
    entityId: inv.id,
    before: { email: inv.email, role: inv.role },
    ip: actor.ip,
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
export async function getInvitationByToken({ db, token }: { db: Db; token: string }) {
  const row = await db.transaction((tx) => lookup(tx, token))
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
export async function acceptInvitation({
  db,
  auth,
  input,
  identity,
  ip,
}: {
  db: Db
  auth: AuthProvider
  input: TAcceptInvitationInput | { token: string }
  identity: Identity | null
  ip: string | null
}) {
  return db.transaction(async (tx) => {
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
    await writeAudit(tx, {
      agencyId: inv.agencyId,
      actorUserId: userId,
      action: 'invitation.accept',
      entity: 'membership',
      entityId: membership!.id,
      after: { role: inv.role, email: inv.email },
      ip,
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
