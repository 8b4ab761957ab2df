import { sql } from 'drizzle-orm'
import { check, foreignKey, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { tenantPolicies } from './_rls'
import { agencies } from './agencies'
import { memberships } from './memberships'

/**
 * Saved answers for the WhatsApp composer (issue 16's inbox): typed as `/shortcut`, agency-wide (managers keep them)
 * or a member's own (`user_id`). The body may hold {{nome}}, {{corretor}} and {{imobiliaria}}, filled per conversation.
 */
export const quickReplies = pgTable(
  'quick_replies',
  {
    id: uuid().primaryKey().defaultRandom(),
    agencyId: uuid()
      .notNull()
      .references(() => agencies.id, { onDelete: 'cascade' }),
    /** Null: the agency's; else the member's own. */
    userId: uuid(),
    shortcut: text().notNull(),
    body: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One `/ola` per scope: the agency's, and each member's own (which wins for them).
    uniqueIndex('quick_replies_scope_shortcut_key').on(
      t.agencyId,
      sql`coalesce(${t.userId}, '00000000-0000-0000-0000-000000000000'::uuid)`,
      sql`lower(${t.shortcut})`,
    ),
    index('quick_replies_agency_user_idx').on(t.agencyId, t.userId),
    check('quick_replies_shortcut_check', sql`${t.shortcut} ~ '^[a-z0-9_-]{1,30}$'`),
    foreignKey({
      name: 'quick_replies_member_fk',
      columns: [t.agencyId, t.userId],
      foreignColumns: [memberships.agencyId, memberships.userId],
    }).onDelete('cascade'),
    ...tenantPolicies('quick_replies', t.agencyId),
  ],
)
