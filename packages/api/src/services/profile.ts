import { agencies, asc, eq, memberships, users, withUser } from '@impera/db'
import type { UserCtx } from '../ctx'
import { notFound } from '../errors'
import type { TSetLocaleInput, TSetThemeInput, TUpdateProfileInput } from '../schemas'

export interface MembershipSummary {
  agencyId: string
  agencyName: string
  agencyStatus: 'active' | 'suspended'
  role: 'manager' | 'agent'
  /** The agency's time zone: pages show its times in it. */
  timezone: string
  /** Its identity (issue 18): #rrggbb and the logo's key, or null. */
  brandColor: string | null
  logoKey: string | null
}

/**
 * Who is signed in, and where they may work. Like every service here it opens its own user-only RLS transaction (own
 * rows only) on the pool: there is no agency yet, so the request brings no fenced transaction.
 */
export async function getMe(ctx: UserCtx) {
  const { userId } = ctx.identity
  return withUser(ctx.db, { userId }, async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, userId))
    if (!user) throw notFound('user')
    const rows = await tx
      .select({
        agencyId: agencies.id,
        agencyName: agencies.name,
        agencyStatus: agencies.status,
        role: memberships.role,
        timezone: agencies.timezone,
        brandColor: agencies.brandColor,
        logoKey: agencies.logoKey,
        status: memberships.status,
      })
      .from(memberships)
      .innerJoin(agencies, eq(agencies.id, memberships.agencyId))
      .where(eq(memberships.userId, userId))
      .orderBy(asc(agencies.name))
    const active: MembershipSummary[] = rows.filter((r) => r.status === 'active').map(({ status: _s, ...m }) => m)
    return { user, memberships: active }
  })
}

/**
 * Where a freshly signed-in person lands, or why they cannot: platform staff go to the admin area; members go to
 * their (remembered or first) active agency; members of suspended agencies only are refused with that reason.
 */
export function resolveLanding(me: Awaited<ReturnType<typeof getMe>>, preferredAgencyId: string | null) {
  const usable = me.memberships.filter((m) => m.agencyStatus === 'active')
  const chosen = usable.find((m) => m.agencyId === preferredAgencyId) ?? usable[0]
  if (chosen) return { kind: 'agency' as const, agencyId: chosen.agencyId }
  if (me.user.isPlatformAdmin) return { kind: 'admin' as const }
  if (me.memberships.length > 0) return { kind: 'refused' as const, reason: 'agency_suspended' as const }
  return { kind: 'refused' as const, reason: 'no_membership' as const }
}

export async function updateProfile(ctx: UserCtx, input: TUpdateProfileInput) {
  const { userId } = ctx.identity
  return withUser(ctx.db, { userId }, async (tx) => {
    const [updated] = await tx
      .update(users)
      .set({ name: input.name, phone: input.phone, locale: input.locale, updatedAt: new Date() })
      .where(eq(users.id, userId))
      .returning()
    if (!updated) throw notFound('user')
    return updated
  })
}

export async function setLocale(ctx: UserCtx, input: TSetLocaleInput) {
  const { userId } = ctx.identity
  await withUser(ctx.db, { userId }, (tx) =>
    tx.update(users).set({ locale: input.locale, updatedAt: new Date() }).where(eq(users.id, userId)),
  )
}

export async function setTheme(ctx: UserCtx, input: TSetThemeInput) {
  const { userId } = ctx.identity
  await withUser(ctx.db, { userId }, (tx) =>
    tx.update(users).set({ theme: input.theme, updatedAt: new Date() }).where(eq(users.id, userId)),
  )
  return { theme: input.theme }
}
