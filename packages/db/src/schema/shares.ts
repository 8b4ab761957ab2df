import { sql } from 'drizzle-orm'
import { foreignKey, index, integer, pgPolicy, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { imperaApp, tenantPolicies } from './_rls'
import { agencies } from './agencies'
import { leads } from './leads'
import { properties } from './properties'
import { users } from './users'

/**
 * A listing shared with a contact (issue 16): the token in its public link (`/p/<token>`) is the only credential, it
 * expires, and each view is counted (and told on the lead's timeline). Looked up by token before any agency is known,
 * hence the system policy on the token setting, like the calendar feeds.
 */
export const propertyShares = pgTable(
  'property_shares',
  {
    id: uuid().primaryKey().defaultRandom(),
    agencyId: uuid()
      .notNull()
      .references(() => agencies.id, { onDelete: 'cascade' }),
    token: text().notNull(),
    propertyId: uuid().notNull(),
    leadId: uuid(),
    createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    views: integer().notNull().default(0),
    lastViewedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex('property_shares_token_key').on(t.token),
    index('property_shares_agency_lead_idx').on(t.agencyId, t.leadId),
    index('property_shares_agency_property_idx').on(t.agencyId, t.propertyId),
    foreignKey({
      name: 'property_shares_property_fk',
      columns: [t.agencyId, t.propertyId],
      foreignColumns: [properties.agencyId, properties.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'property_shares_lead_fk',
      columns: [t.agencyId, t.leadId],
      foreignColumns: [leads.agencyId, leads.id],
    }).onDelete('cascade'),
    ...tenantPolicies('property_shares', t.agencyId),
    pgPolicy('property_shares_system_by_token', {
      as: 'permissive',
      for: 'select',
      to: imperaApp,
      using: sql`${t.token} = (select nullif(current_setting('app.share_token', true), ''))`,
    }),
  ],
)
