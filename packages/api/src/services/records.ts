import { and, eq, gte, isNull, lt, memberships, or, sql, type DbOrTx } from '@impera/db'
import type { AnyColumn, SQL } from 'drizzle-orm'
import type { AnyPgTable } from 'drizzle-orm/pg-core'
import { AppError, forbidden, invalidField } from '../errors'
import { normalizePhones } from '../phones'
import { inAgency, type AgencyActor, type AgencyCtx } from '../ctx'

/**
 * Rules shared by the agency's records (leads, clients, properties): who sees and edits what, who may be assigned,
 * how long the trash keeps things. Kept in one place so the three domains cannot drift apart.
 */
export const TRASH_DAYS = 30

export function trashCutoff(now = Date.now()): Date {
  return new Date(now - TRASH_DAYS * 24 * 3600 * 1000)
}

/** Managers see all of the agency; agents their own and unassigned records, unless the agency lets them see all. */
export function assigneeVisibility(actor: AgencyActor, assignedTo: AnyColumn): SQL | undefined {
  if (actor.role === 'manager' || actor.agency.agentsSeeAll) return undefined
  return or(eq(assignedTo, actor.userId), isNull(assignedTo))
}

/** The same rule for hand-written SQL (dashboard, reports, search): `column` is a name written in code, never input. */
export function visibleTo(actor: AgencyActor, column: string): SQL {
  if (actor.role === 'manager' || actor.agency.agentsSeeAll) return sql``
  return sql`and (${sql.raw(column)} = ${actor.userId} or ${sql.raw(column)} is null)`
}

export function canSeeRecord(actor: AgencyActor, record: { assignedTo: string | null }): boolean {
  return (
    actor.role === 'manager' ||
    actor.agency.agentsSeeAll ||
    record.assignedTo === null ||
    record.assignedTo === actor.userId
  )
}

/** Editing stays with the assignee (or anyone, while unassigned) even when agents may see everything. */
export function canEditRecord(actor: AgencyActor, record: { assignedTo: string | null }): boolean {
  return actor.role === 'manager' || record.assignedTo === null || record.assignedTo === actor.userId
}

/** `canEditRecord` as a filter: what a bulk change may touch (seeing every record is not editing it). */
export function editableBy(actor: AgencyActor, assignedTo: AnyColumn): SQL | undefined {
  if (actor.role === 'manager') return undefined
  return or(eq(assignedTo, actor.userId), isNull(assignedTo))
}

/**
 * Who a record's history fact is written as: a request's member, or a bulk job acting for the member who started it
 * (`userId` null once that person's account is gone).
 */
export interface RecordWriter {
  db: DbOrTx
  actor: { agencyId: string; userId: string | null }
}

export function assertCanEdit(actor: AgencyActor, record: { assignedTo: string | null }, entity: string) {
  if (!canEditRecord(actor, record)) throw forbidden(`${entity} assigned to someone else`, { reason: 'not_assignee' })
}

async function assertActiveMember(ctx: AgencyCtx, userId: string) {
  const [m] = await ctx.db
    .select({ status: memberships.status })
    .from(memberships)
    .where(and(inAgency(memberships, ctx), eq(memberships.userId, userId)))
  if (m?.status !== 'active') throw invalidField('assignedTo', 'records.assigneeInvalid')
}

/** Agents may take a record or leave it unassigned; only managers hand records to someone else. */
export async function resolveAssignee(
  ctx: AgencyCtx,
  requested: string | null,
  current: string | null | undefined,
): Promise<string | null> {
  const { actor } = ctx
  if (requested === current) return requested ?? null
  if (actor.role !== 'manager' && requested !== null && requested !== actor.userId)
    throw forbidden('agents assign only themselves', { reason: 'assign_others' })
  if (requested) await assertActiveMember(ctx, requested)
  return requested
}

/** On create: an agent's new record is theirs unless they say otherwise; a manager's stays as chosen. */
export function defaultAssignee(actor: AgencyActor, requested: string | null): string | null {
  return actor.role === 'manager' ? requested : (requested ?? actor.userId)
}

export function normalizeRecordPhones(actor: AgencyActor, raw: string[]): string[] {
  const phones = normalizePhones(raw, actor.agency.defaultPhoneCountry)
  if (!phones.ok)
    throw new AppError('INVALID_INPUT', 'bad phone', {
      userMessage: 'validation.phone',
      meta: { fields: { phones: ['validation.phone'] }, index: phones.index },
    })
  return phones.phones
}

/**
 * Substring match over a table's stored, normalised `search_doc` (migration 0014): accent- and case-blind like the
 * global search, and one LIKE on one column per row instead of a case-insensitive match on each field.
 */
export function docMatches(table: AnyPgTable, q: string): SQL {
  return sql`${table}.search_doc like like_pattern(${q})`
}

/** `%term%` for ILIKE with the user's wildcards escaped. */
export function likeTerm(q: string): string {
  return `%${q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`
}

/** Phone search by digits, tolerant of formatting and of a leading country code. */
export function phoneDigitsMatch(phones: AnyColumn, q: string): SQL | undefined {
  const digits = q.replace(/\D/g, '')
  return digits.length >= 4 ? sql`array_to_string(${phones}, ' ') like ${`%${digits}%`}` : undefined
}

/** The lists' assignee filter: 'me', 'unassigned', or a member's id (inside the visibility rule, never widening it). */
export function assigneeFilter(actor: AgencyActor, assignedTo: AnyColumn, value: string | undefined): SQL | undefined {
  if (value === 'me') return eq(assignedTo, actor.userId)
  if (value === 'unassigned') return isNull(assignedTo)
  return value ? eq(assignedTo, value) : undefined
}

/** `from <= column < to`, either bound optional. */
export function timeRange(column: AnyColumn, from: Date | undefined, to: Date | undefined): SQL | undefined {
  return and(from ? gte(column, from) : undefined, to ? lt(column, to) : undefined)
}

/**
 * The ids of the agency's live leads or clients holding any of these phones or this e-mail (a subquery), found through
 * their indexes by leads_holding_contact / clients_holding_contact (decision 052): under RLS neither `phones && …` nor
 * `lower(email) = …` can use its index, and written so they walked the agency.
 */
export function contactHolders(
  table: 'leads' | 'clients',
  contact: { phones: readonly string[]; email?: string | null },
): SQL {
  const holders = table === 'leads' ? sql`leads_holding_contact` : sql`clients_holding_contact`
  return sql`select id from ${holders}(${textArray(contact.phones)}, ${contact.email ?? null}::text)`
}

/** A text[] literal for array operators (`&&`, `@>`). */
export function textArray(values: readonly string[]): SQL {
  return sql`array[${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )}]::text[]`
}

/** Which fields differ (for the timeline's "edited name, phones"). */
export function changedFields<T extends Record<string, unknown>>(
  before: T,
  after: Partial<T>,
  fields: readonly (keyof T & string)[],
): string[] {
  return fields.filter((f) => JSON.stringify(before[f] ?? null) !== JSON.stringify(after[f] ?? null))
}
