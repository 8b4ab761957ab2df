import { date, index, integer, pgTable, primaryKey, smallint, unique, uuid } from 'drizzle-orm/pg-core'
import { agencies } from './agencies'
import { propertyStatus } from './properties'
import { tenantPolicies } from './_rls'

/**
 * Per agency and day (UTC): counts kept by statement triggers on leads and whatsapp_messages (migrations 0013, 0080).
 * The platform overview reads only these numbers, so platform staff see how agencies are doing without any grant on
 * their records. A day's counts are spread over `slot`s (the writing connection's, decision 047) and read as their
 * sum: with one row per day, every transaction that created a lead or stored a message held the same row lock to its
 * commit, and the WhatsApp ingest ran one transaction at a time.
 */
export const agencyDailyStats = pgTable(
  'agency_daily_stats',
  {
    agencyId: uuid()
      .notNull()
      .references(() => agencies.id, { onDelete: 'cascade' }),
    day: date().notNull(),
    slot: smallint().notNull().default(0),
    leadsCreated: integer().notNull().default(0),
    messagesIn: integer().notNull().default(0),
    messagesOut: integer().notNull().default(0),
  },
  (t) => [
    primaryKey({ name: 'agency_daily_stats_pkey', columns: [t.agencyId, t.day, t.slot] }),
    index('agency_daily_stats_day_idx').on(t.day),
    ...tenantPolicies('agency_daily_stats', t.agencyId, { platform: true }),
  ],
)

/**
 * How many live (not trashed) properties each agency has per status and assignee (null = unassigned), kept by
 * statement triggers on properties (migration 0033). The dashboard's listings read these few rows instead of counting
 * every property of the agency.
 */
export const propertyCounts = pgTable(
  'property_counts',
  {
    agencyId: uuid()
      .notNull()
      .references(() => agencies.id, { onDelete: 'cascade' }),
    assignedTo: uuid(),
    status: propertyStatus().notNull(),
    n: integer().notNull().default(0),
  },
  (t) => [
    unique('property_counts_key').on(t.agencyId, t.assignedTo, t.status).nullsNotDistinct(),
    ...tenantPolicies('property_counts', t.agencyId),
  ],
)
