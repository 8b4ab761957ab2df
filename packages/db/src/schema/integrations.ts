import { sql } from 'drizzle-orm'
import { doublePrecision, foreignKey, index, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core'
import type { IntegrationScope } from '../enums'
import { agencies } from './agencies'
import { tenantPolicies } from './_rls'
import { users } from './users'

/**
 * An agency's integration (StarIAup's agent, a site form, a script): a principal of its own, not a person. It acts as
 * its own users row (kind 'integration') so every write it makes is attributed to it, and it has no membership: a key
 * resolves to its agency and principal only through `resolve_api_key` (migration 0042).
 */
export const integrations = pgTable(
  'integrations',
  {
    id: uuid().primaryKey().defaultRandom(),
    agencyId: uuid()
      .notNull()
      .references(() => agencies.id, { onDelete: 'cascade' }),
    userId: uuid()
      .notNull()
      .unique()
      .references(() => users.id),
    name: text().notNull(),
    scopes: text().array().$type<IntegrationScope[]>().notNull(),
    /** Addresses or CIDR ranges the keys may be used from; empty: anywhere. */
    ipAllowlist: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    expiresAt: timestamp({ withTimezone: true }),
    createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    unique('integrations_agency_id_id_key').on(t.agencyId, t.id),
    index('integrations_agency_created_idx').on(t.agencyId, t.createdAt),
    ...tenantPolicies('integrations', t.agencyId),
  ],
)

/**
 * Keys of an integration: `imp_live_<prefix>_<secret>`, shown once; only the prefix and a SHA-256 of the secret are
 * kept (the secret is 256 random bits, so a fast hash is enough). Rotation gives a new key and an end to the old one.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid().primaryKey().defaultRandom(),
    agencyId: uuid().notNull(),
    integrationId: uuid().notNull(),
    prefix: text().notNull().unique(),
    secretHash: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Set when a rotation replaces the key: it keeps working until then. */
    expiresAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    lastUsedAt: timestamp({ withTimezone: true }),
    lastUsedIp: text(),
  },
  (t) => [
    index('api_keys_agency_integration_idx').on(t.agencyId, t.integrationId),
    foreignKey({
      name: 'api_keys_integration_fk',
      columns: [t.agencyId, t.integrationId],
      foreignColumns: [integrations.agencyId, integrations.id],
    }).onDelete('cascade'),
    ...tenantPolicies('api_keys', t.agencyId),
  ],
)

/** Token buckets of the per-key rate limit, shared by every web instance (not tenant data: a key id and a count). */
export const apiRateBuckets = pgTable('api_rate_buckets', {
  keyId: uuid().primaryKey(),
  tokens: doublePrecision().notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
})
