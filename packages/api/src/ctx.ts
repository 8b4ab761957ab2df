import { and, eq, type Db, type DbOrTx } from '@impera/db'
import type { IntegrationScope } from '@impera/db/enums'
import type { AnyPgColumn } from 'drizzle-orm/pg-core'
import type { AuthProvider, Identity } from './auth/types'
import type { AppUrls } from './context'
import type { AgencyRole } from './permissions'
import type { FileStorage } from './storage'
import type { SecretBox, WhatsAppGraph, WhatsAppRuntime } from './whatsapp'

/**
 * The first argument of every service: who acts, and the transaction they act in. Services take `(ctx, input)`, where
 * `input` is the procedure schema's output type (`T…Input`); tRPC's agency procedures, the web server's own routes
 * (`withAgencyActor`), the worker and Socket.IO all hold the same shape, so a procedure passes its `ctx` whole and a
 * service never knows which one called it. Nothing here imports tRPC.
 *
 * Helpers that only decide something about the actor (visibility, who may edit) take the `actor` alone; anything that
 * reads or writes takes the ctx.
 */
export interface AgencyActor {
  userId: string
  agencyId: string
  role: AgencyRole
  membershipId: string
  ip: string | null
  /** Agency settings services need on every call. */
  agency: { agentsSeeAll: boolean; defaultPhoneCountry: string }
  /**
   * Set when an integration acts (a key on the public API or MCP). It acts as its own users row (`userId`), with a
   * manager's reach over the agency's records; what it may call is limited by its scopes at the API's edge.
   */
  integration?: IntegrationPrincipal
}

export interface IntegrationPrincipal {
  integrationId: string
  keyId: string
  name: string
  scopes: IntegrationScope[]
}

export interface PlatformActor {
  userId: string
  ip: string | null
}

/**
 * No statement of a request (a member's or an integration's) runs longer than this: the per-request cost cap, with
 * the batch cap of 10 calls (decision 014). The slowest benchmarked query takes well under a second on the largest
 * seed; jobs set no limit.
 */
export const REQUEST_STATEMENT_TIMEOUT_MS = 15_000

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

/**
 * Someone signed in, before any agency (their profile): the pool, since these services open their own user-only
 * transaction. tRPC's authed context has this shape.
 */
export interface UserCtx {
  db: Db
  identity: Pick<Identity, 'userId'>
}

/**
 * Someone holding an invitation link, maybe not signed in, maybe without an account yet: no member exists to act as
 * until the invitation is accepted, so these services open their own transactions on the pool.
 */
export interface GuestCtx {
  db: Db
  auth: AuthProvider
  identity: Identity | null
  ip: string | null
}

/**
 * The WhatsApp pipeline (webhook intake and the worker's steps): no member acts, and each step opens the agency's
 * transactions itself, with the agency taken from the stored account or the job. The worker's job context and the
 * web app both carry `{ db, whatsapp }`.
 */
export interface WhatsAppSystemCtx {
  db: Db
  whatsapp: WhatsAppRuntime
}

/*
 * Runtime dependencies a few services need besides the transaction. They extend the ctx (rather than being a third
 * argument) under the names tRPC's context already uses, so a procedure still passes its ctx whole; the web server's
 * HTTP routes add them to the ctx withAgencyActor gives them.
 */

/** Absolute links in e-mails (invitations). */
export interface WithUrls {
  urls: AppUrls
}

/** Uploaded and downloaded files (photos, WhatsApp attachments). */
export interface WithStorage {
  storage: FileStorage
}

/** Sealing a WhatsApp number's credentials, and Graph to prove a Cloud API token reaches its number (null: none). */
export interface WithWhatsAppSetup {
  secrets: SecretBox
  whatsappGraph: WhatsAppGraph | null
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
