import { sql } from 'drizzle-orm'
import type { Db, Tx } from './client'
import { PLATFORM_ROLE, TENANT_ROLE } from './roles'

/**
 * One transaction per request: settings are transaction-local (`set_config(..., true)`) and bound as parameters, and
 * the role switch is transaction-local too, so nothing survives COMMIT into the next user of a pooled connection.
 */
export async function withAgency<T>(
  db: Db,
  ctx: { agencyId: string; userId: string | null; statementTimeoutMs?: number },
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  return db.transaction(async (tx) => {
    // JIT off for the request: its compile time (tens to hundreds of ms) is charged to every large-estimate query, which
    // agency-wide aggregates and searches are, while none of them runs long enough to win it back (issue 6's bench).
    // Set here, with the tenant settings, because poolers do not forward connection-level options.
    // Plans stay custom: statements are prepared (client.ts), and a generic plan, costed for an average agency, could
    // suit a 200,000-lead one badly; what preparing saves is the describe round trip and the parse.
    // The role switch rides in the same statement (`set_config('role', …, true)` is `SET LOCAL ROLE`): one round trip
    // fewer on every request.
    // A request's statements may be given a time limit (web requests are; jobs are not): the cost cap of one request.
    const timeout = ctx.statementTimeoutMs
      ? sql`, set_config('statement_timeout', ${String(ctx.statementTimeoutMs)}, true)`
      : sql``
    await tx.execute(
      sql`select set_config('app.agency_id', ${ctx.agencyId}, true), set_config('app.user_id', ${ctx.userId ?? ''}, true), set_config('jit', 'off', true), set_config('plan_cache_mode', 'force_custom_plan', true), set_config('role', ${TENANT_ROLE}, true)${timeout}`,
    )
    return fn(tx)
  })
}

/** A signed-in user with no agency chosen yet: sees only their own profile and memberships. */
export async function withUser<T>(db: Db, ctx: { userId: string }, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select set_config('app.agency_id', '', true), set_config('app.user_id', ${ctx.userId}, true), set_config('role', ${TENANT_ROLE}, true)`,
    )
    return fn(tx)
  })
}

/** Platform staff: agencies and their first managers, never agency records (no grants on them). */
export async function withPlatform<T>(db: Db, ctx: { userId: string }, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select set_config('app.agency_id', '', true), set_config('app.user_id', ${ctx.userId}, true), set_config('role', ${PLATFORM_ROLE}, true)`,
    )
    return fn(tx)
  })
}

/** The login role itself, for auth bookkeeping (sessions, credentials, rate limits, the invitation-token door). */
export async function withSystem<T>(
  db: Db,
  fn: (tx: Tx) => Promise<T>,
  opts: { invitationTokenHash?: string } = {},
): Promise<T> {
  return db.transaction(async (tx) => {
    if (opts.invitationTokenHash) {
      await tx.execute(sql`select set_config('app.invitation_token_hash', ${opts.invitationTokenHash}, true)`)
    }
    return fn(tx)
  })
}
