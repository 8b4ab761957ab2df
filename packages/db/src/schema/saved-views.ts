import { sql } from 'drizzle-orm'
import {
  boolean,
  check,
  foreignKey,
  index,
  pgPolicy,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import { appRls, currentUserId, tenantPolicies } from './_rls'
import { memberships } from './memberships'

/**
 * A named list view: the list's URL query (filters, sort, columns) kept by a member for themselves or shared with the
 * whole agency. The query is the whole state, so a view's link works on its own and can be bookmarked or sent.
 */
export const savedViews = pgTable(
  'saved_views',
  {
    id: uuid().primaryKey().defaultRandom(),
    agencyId: uuid().notNull(),
    ownerId: uuid().notNull(),
    list: text().$type<'leads' | 'clients' | 'properties' | 'conversations'>().notNull(),
    name: text().notNull(),
    query: text().notNull(),
    shared: boolean().notNull().default(false),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('saved_views_agency_list_idx').on(t.agencyId, t.list),
    uniqueIndex('saved_views_owner_name_key').on(t.agencyId, t.ownerId, t.list, sql`lower(${t.name})`),
    check('saved_views_list_check', sql`${t.list} in ('leads', 'clients', 'properties', 'conversations')`),
    foreignKey({
      name: 'saved_views_owner_fk',
      columns: [t.agencyId, t.ownerId],
      foreignColumns: [memberships.agencyId, memberships.userId],
    }).onDelete('cascade'),
    ...tenantPolicies('saved_views', t.agencyId),
    // Another member's personal view does not exist for you; who may change a shared one is the service's rule.
    pgPolicy('saved_views_visible_select', {
      as: 'restrictive',
      for: 'select',
      to: appRls,
      using: sql`${t.shared} or ${t.ownerId} = ${currentUserId}`,
    }),
  ],
)

export type SavedView = typeof savedViews.$inferSelect
