import { sql } from 'drizzle-orm'
import { index, jsonb, pgPolicy, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { agencies } from './agencies'
import { appPlatform, appRls, currentAgencyId } from './_rls'
import { users } from './users'

/**
 * Append-only: UPDATE and DELETE are not granted, their policies deny, and a trigger (migration 0001) raises even for
 * the owner, so history cannot be rewritten by the app.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: uuid().primaryKey().defaultRandom(),
    agencyId: uuid()
      .notNull()
      .references(() => agencies.id, { onDelete: 'cascade' }),
    actorUserId: uuid().references(() => users.id, { onDelete: 'set null' }),
    action: text().notNull(),
    entity: text().notNull(),
    entityId: text(),
    diff: jsonb().$type<{ before?: unknown; after?: unknown }>(),
    ip: text(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('audit_log_agency_at_idx').on(t.agencyId, t.at),
    pgPolicy('audit_log_fence_select', {
      as: 'restrictive',
      for: 'select',
      to: appRls,
      using: sql`${t.agencyId} = ${currentAgencyId}`,
    }),
    pgPolicy('audit_log_fence_insert', {
      as: 'restrictive',
      for: 'insert',
      to: appRls,
      withCheck: sql`${t.agencyId} = ${currentAgencyId}`,
    }),
    pgPolicy('audit_log_fence_update', {
      as: 'restrictive',
      for: 'update',
      to: appRls,
      using: sql`false`,
      withCheck: sql`false`,
    }),
    pgPolicy('audit_log_fence_delete', { as: 'restrictive', for: 'delete', to: appRls, using: sql`false` }),
    pgPolicy('audit_log_member_select', { for: 'select', to: appRls, using: sql`true` }),
    pgPolicy('audit_log_member_insert', { for: 'insert', to: appRls, withCheck: sql`true` }),
    pgPolicy('audit_log_member_update', { for: 'update', to: appRls, using: sql`false`, withCheck: sql`false` }),
    pgPolicy('audit_log_member_delete', { for: 'delete', to: appRls, using: sql`false` }),
    // Platform staff write entries (agency created, suspended) but read none: an agency's entries carry its records'
    // contents (names, phones in diffs), which the platform role must never see (migration 0040).
    pgPolicy('audit_log_platform_insert', { for: 'insert', to: appPlatform, withCheck: sql`true` }),
  ],
)

export type AuditEntry = typeof auditLog.$inferSelect
