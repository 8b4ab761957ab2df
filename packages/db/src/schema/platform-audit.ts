import { sql } from 'drizzle-orm'
import { index, jsonb, pgPolicy, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { appPlatform, imperaApp } from './_rls'
import { users } from './users'

/**
 * What platform staff did to whole agencies that must outlive them (decision 040): an agency's own audit log goes
 * with the agency, so its deletion is recorded here — by name and id, with counts, never its records. Append-only for
 * the app: staff insert and read, the worker inserts.
 */
export const platformAuditLog = pgTable(
  'platform_audit_log',
  {
    id: uuid().primaryKey().defaultRandom(),
    actorUserId: uuid().references(() => users.id, { onDelete: 'set null' }),
    action: text().notNull(),
    /** No foreign key: the agency may be gone. Not `agency_id`: this is no tenant table, nothing is fenced by it. */
    targetAgencyId: uuid().notNull(),
    agencyName: text().notNull(),
    detail: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('platform_audit_log_at_idx').on(t.at),
    pgPolicy('platform_audit_log_platform_select', { for: 'select', to: appPlatform, using: sql`true` }),
    pgPolicy('platform_audit_log_platform_insert', { for: 'insert', to: appPlatform, withCheck: sql`true` }),
    pgPolicy('platform_audit_log_system_insert', { for: 'insert', to: imperaApp, withCheck: sql`true` }),
  ],
)
