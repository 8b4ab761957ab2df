import { foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { integrations } from './integrations'
import { tenantPolicies } from './_rls'

/**
 * The public API's answers to writes, by Idempotency-Key and integration (decision 017): a retry with the same key
 * and request gets the first answer back instead of acting twice. The row is written in the write's own transaction
 * (so it exists exactly when the write committed) and is kept 24 hours; `request_hash` tells a retry from a different
 * request reusing the key.
 */
export const apiIdempotencyKeys = pgTable(
  'api_idempotency_keys',
  {
    agencyId: uuid().notNull(),
    integrationId: uuid().notNull(),
    key: text().notNull(),
    /** SHA-256 of the method, path and canonical JSON body. */
    requestHash: text().notNull(),
    status: integer().notNull(),
    response: jsonb().$type<unknown>().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'api_idempotency_keys_pkey', columns: [t.agencyId, t.integrationId, t.key] }),
    index('api_idempotency_keys_agency_created_idx').on(t.agencyId, t.createdAt),
    foreignKey({
      name: 'api_idempotency_keys_integration_fk',
      columns: [t.agencyId, t.integrationId],
      foreignColumns: [integrations.agencyId, integrations.id],
    }).onDelete('cascade'),
    ...tenantPolicies('api_idempotency_keys', t.agencyId),
  ],
)
