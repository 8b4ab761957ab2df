import { sql } from 'drizzle-orm'
import {
  bigint,
  customType,
  index,
  integer,
  jsonb,
  pgEnum,
  pgPolicy,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import { portalKinds, portalLeadOutcomes } from '../enums'
import { imperaApp, tenantPolicies } from './_rls'
import { agencies } from './agencies'
import { webhookEventState } from './whatsapp'
import { users } from './users'

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' })

export const portalKind = pgEnum('portal_kind', portalKinds)
export const portalLeadOutcome = pgEnum('portal_lead_outcome', portalLeadOutcomes)

/**
 * An agency's door for one portal's lead push (decision 022): the URL names the agency by a random token, HTTP Basic
 * authenticates the portal with a password shown once and kept only as its SHA-256 (a leaked table cannot post leads).
 */
export const portalConnections = pgTable(
  'portal_connections',
  {
    id: uuid().primaryKey().defaultRandom(),
    agencyId: uuid()
      .notNull()
      .references(() => agencies.id, { onDelete: 'cascade' }),
    portal: portalKind().notNull(),
    token: text().notNull(),
    secretHash: text().notNull(),
    /** The password's last characters, so a manager can tell which one the portal holds. */
    secretHint: text().notNull(),
    createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastReceivedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex('portal_connections_token_key').on(t.token),
    uniqueIndex('portal_connections_agency_portal_key').on(t.agencyId, t.portal),
    ...tenantPolicies('portal_connections', t.agencyId),
    // The intake door: an unauthenticated request names a connection by its token; the login role may read exactly
    // that connection (its agency and password hash) and nothing else, before the credentials are checked.
    pgPolicy('portal_connections_system_by_token', {
      as: 'permissive',
      for: 'select',
      to: imperaApp,
      using: sql`${t.token} = (select nullif(current_setting('app.portal_token', true), ''))`,
    }),
  ],
)

/** Every authenticated push as received (raw bytes and headers), stored before the portal is answered. */
export const portalLeadEvents = pgTable(
  'portal_lead_events',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    agencyId: uuid()
      .notNull()
      .references(() => agencies.id, { onDelete: 'cascade' }),
    connectionId: uuid().notNull(),
    portal: portalKind().notNull(),
    headers: jsonb().$type<Record<string, string>>().notNull(),
    rawBody: bytea().notNull(),
    /** The portal's id of the lead: its retries carry the same one. */
    originLeadId: text().notNull(),
    /** The agency's own listing code the contact wrote about (the feed's ListingID), as sent. */
    listingCode: text().notNull(),
    state: webhookEventState().notNull().default('pending'),
    outcome: portalLeadOutcome(),
    leadId: uuid(),
    attempts: integer().notNull().default(0),
    lastError: text(),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index('portal_lead_events_agency_received_idx').on(t.agencyId, t.receivedAt),
    index('portal_lead_events_origin_idx').on(t.agencyId, t.portal, t.originLeadId),
    ...tenantPolicies('portal_lead_events', t.agencyId),
  ],
)

export type PortalConnection = typeof portalConnections.$inferSelect

/**
 * An agency's listing feed for the portals (decision 023): `GET /feeds/<token>/vrsync.xml`. The token is the only
 * secret a portal's crawler can carry; a new one retires the old URL at once.
 */
export const listingFeeds = pgTable(
  'listing_feeds',
  {
    agencyId: uuid()
      .primaryKey()
      .references(() => agencies.id, { onDelete: 'cascade' }),
    token: text().notNull(),
    createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('listing_feeds_token_key').on(t.token),
    ...tenantPolicies('listing_feeds', t.agencyId),
    pgPolicy('listing_feeds_system_by_token', {
      as: 'permissive',
      for: 'select',
      to: imperaApp,
      using: sql`${t.token} = (select nullif(current_setting('app.feed_token', true), ''))`,
    }),
  ],
)
