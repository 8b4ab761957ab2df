import { eq, users, withAgency, withPlatform, type Tx } from '@impera/db'
import { initTRPC, TRPCError } from '@trpc/server'
import { z } from 'zod'
import { databaseInputError } from './db-errors'
import { describeError, toTRPCError } from './error-shape'
import { AppError } from './errors'
import type { Context } from './context'
import { readMemberActor } from './member-actor'
import { REQUEST_STATEMENT_TIMEOUT_MS, type AgencyCtx, type PlatformActor } from './ctx'
import { can, type Action } from './permissions'

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }) {
    const d = describeError(error)
    return {
      ...shape,
      // Internal errors never leak their message or stack to the client.
      message: d.message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        fieldErrors: d.fieldErrors,
        formErrors: d.formErrors,
        meta: d.meta,
      },
    }
  },
})

export const createCallerFactory = t.createCallerFactory
export const router = t.router

const errorSeam = t.middleware(async ({ ctx, path, next }) => {
  const result = await next()
  if (result.ok) return result
  const cause = result.error.cause
  // Keep the original AppError reachable for the formatter and logs.
  if (cause instanceof AppError) throw toTRPCError(cause)
  const refused = databaseInputError(cause)
  if (refused) {
    // A schema should have refused this input before the database did: the warning points at the gap.
    ctx.log.warn({ path, err: cause }, 'database refused input')
    throw toTRPCError(refused)
  }
  return result
})

export const publicProcedure = t.procedure.use(errorSeam)

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.identity) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'errors.unauthenticated' })
  return next({ ctx: { ...ctx, identity: ctx.identity } })
})

const zAgencyId = z.uuid()

/**
 * Opens an RLS transaction for the agency, after proving an active membership of an active agency inside that same
 * transaction, and runs `fn` as that member. Used by the agency procedures below and by the web app's non-tRPC routes
 * (photo upload and download), so every entry point makes the same checks.
 */
export async function withAgencyActor<T>(
  db: Context['db'],
  input: { userId: string; agencyId: string | null; ip: string | null; action?: Action },
  fn: (ctx: AgencyCtx) => Promise<T>,
): Promise<T> {
  const { agencyId, userId } = input
  if (!agencyId || !zAgencyId.safeParse(agencyId).success)
    throw new AppError('FORBIDDEN', 'no agency', { userMessage: 'errors.noAgency' })
  return withAgency(db, { agencyId, userId, statementTimeoutMs: REQUEST_STATEMENT_TIMEOUT_MS }, async (tx: Tx) => {
    const member = await readMemberActor(tx, { agencyId, userId, ip: input.ip })
    if (!member || member.status !== 'active')
      throw new AppError('FORBIDDEN', 'not a member', { userMessage: 'errors.notMember' })
    if (member.agencyStatus !== 'active') {
      throw new AppError('FORBIDDEN', 'agency suspended', {
        userMessage: 'errors.agencySuspended',
        meta: { reason: 'agency_suspended' },
      })
    }
    const { actor } = member
    if (input.action && !can(actor.role, input.action))
      throw new AppError('FORBIDDEN', 'not permitted', { userMessage: 'errors.forbidden' })
    return fn({ db: tx, actor })
  })
}

/** Agency procedures: `ctx.db` is the fenced transaction and `ctx.actor` the verified member. */
export const agencyProcedure = authedProcedure.use(async ({ ctx, next }) =>
  withAgencyActor(
    ctx.db,
    { userId: ctx.identity.userId, agencyId: ctx.unverifiedAgencyId, ip: ctx.ip },
    async ({ db, actor }) => {
      const result = await next({ ctx: { ...ctx, db, actor } })
      // A failed procedure must roll back whatever it wrote before failing.
      if (!result.ok) throw result.error
      return result
    },
  ),
)

/** Requires one action of the permission table (permissions.ts). */
export function permitted(action: Action) {
  return agencyProcedure.use(({ ctx, next }) => {
    if (!can(ctx.actor.role, action)) throw new TRPCError({ code: 'FORBIDDEN', message: 'errors.forbidden' })
    return next()
  })
}

/** Platform staff only; runs as the platform role, which has no grants on agency records. */
export const adminProcedure = authedProcedure.use(async ({ ctx, next }) => {
  const [u] = await ctx.db
    .select({ isPlatformAdmin: users.isPlatformAdmin })
    .from(users)
    .where(eq(users.id, ctx.identity.userId))
  if (!u?.isPlatformAdmin) throw new TRPCError({ code: 'FORBIDDEN', message: 'errors.forbidden' })
  return withPlatform(ctx.db, { userId: ctx.identity.userId }, async (tx) => {
    const actor: PlatformActor = { userId: ctx.identity.userId, ip: ctx.ip }
    const result = await next({ ctx: { ...ctx, db: tx, actor } })
    if (!result.ok) throw result.error
    return result
  })
})
