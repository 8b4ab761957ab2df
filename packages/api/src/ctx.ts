import { and, eq, type DbOrTx } from '@impera/db'
import type { AnyPgColumn } from 'drizzle-orm/pg-core'
import type { AgencyRole } from './permissions'

/**
 * The first argument of every service: who acts, and the transaction they act in. Services take `(ctx, input)`;
 * tRPC's agency procedures, the web server's own routes (`withAgencyActor`), the worker and Socket.IO all build the
 * same shape, so a service never knows which one called it. Nothing here imports tRPC.
 */
export interface AgencyActor {
  userId: string
  agencyId: string
  role: AgencyRole
  membershipId: string
  ip: string | null
  /** Agency settings services need on every call. */
  agency: { agentsSeeAll: boolean; defaultPhoneCountry: string }
}

export interface PlatformActor {
  userId: string
  ip: string | null
}

/** An agency member acting in the agency's fenced (RLS) transaction. */
export interface AgencyCtx {
  db: DbOrTx
  actor: AgencyActor
}

/** Platform staff, in a transaction as the platform role (no access to agencies' records). */
export interface PlatformCtx {
  db: DbOrTx
  actor: PlatformActor
}

type AgencyTable = { agencyId: AnyPgColumn }

/** The explicit agency scope every query carries on top of RLS (decision 004: both, always). */
export function inAgency(table: AgencyTable, ctx: AgencyCtx) {
  return eq(table.agencyId, ctx.actor.agencyId)
}

/** One row of the agency by its id. */
export function byId(table: AgencyTable & { id: AnyPgColumn }, ctx: AgencyCtx, id: string) {
  return and(eq(table.id, id), eq(table.agencyId, ctx.actor.agencyId))
}
