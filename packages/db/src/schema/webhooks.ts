import { sql } from 'drizzle-orm'
import {
  bigint,
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import type { WebhookDeliveryState, WebhookEventType, WebhookUpdatedEventType } from '../enums'
import { agencies } from './agencies'
import { integrations } from './integrations'
import { tenantPolicies } from './_rls'
import { users } from './users'

/**
 * Outgoing webhooks (decision 018). An agency's endpoint: where to POST, which events, and the signing secret (sealed
 * with SECRETS_KEY; shown once, never read back). `last_seq` numbers the endpoint's deliveries: the transaction that
 * queues one bumps it, so the numbers follow commit order and the worker delivers them in that order.
 */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: uuid().primaryKey().defaultRandom(),
    agencyId: uuid()
      .notNull()
      .references(() => agencies.id, { onDelete: 'cascade' }),
    url: text().notNull(),
    description: text(),
    eventTypes: text().array().$type<WebhookEventType[]>().notNull(),
    /** Per `*.updated` type: deliver only changes touching one of these fields (absent or empty: any change). */
    updatedFields: jsonb()
      .$type<Partial<Record<WebhookUpdatedEventType, string[]>>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    /** The integration this endpoint feeds: its own changes are not sent back to it. */
    integrationId: uuid(),
    secretEnc: text().notNull(),
    /** After a rotation, the old secret also signs until `previous_secret_expires_at`. */
    previousSecretEnc: text(),
    previousSecretExpiresAt: timestamp({ withTimezone: true }),
    enabled: boolean().notNull().default(true),
    /** Why it is off: 'manual', 'gone' (the endpoint answered 410) or 'failing' (retries ran out). */
    disabledReason: text().$type<'manual' | 'gone' | 'failing'>(),
    disabledAt: timestamp({ withTimezone: true }),
    lastSeq: bigint({ mode: 'number' }).notNull().default(0),
    /** The worker delivering this endpoint's queue holds it until then (one deliverer at a time, in order). */
    leaseUntil: timestamp({ withTimezone: true }),
    createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('webhook_endpoints_agency_id_id_key').on(t.agencyId, t.id),
    index('webhook_endpoints_agency_created_idx').on(t.agencyId, t.createdAt),
    foreignKey({
      name: 'webhook_endpoints_integration_fk',
      columns: [t.agencyId, t.integrationId],
      foreignColumns: [integrations.agencyId, integrations.id],
    }).onDelete('cascade'),
    check('webhook_endpoints_disabled_reason_check', sql`${t.disabledReason} in ('manual', 'gone', 'failing')`),
    ...tenantPolicies('webhook_endpoints', t.agencyId),
  ],
)

/**
 * One event as sent (`data` of the envelope), written in the transaction of the change that raised it; its id is the
 * `webhook-id` (as `msg_<hex>`) on every delivery and redelivery of it, to every endpoint.
 */
export const webhookEvents = pgTable(
  'webhook_events',
  {
    id: uuid().primaryKey().defaultRandom(),
    agencyId: uuid()
      .notNull()
      .references(() => agencies.id, { onDelete: 'cascade' }),
    type: text().notNull(),
    data: jsonb().$type<Record<string, unknown>>().notNull(),
    actorUserId: uuid(),
    origin: text().notNull(),
    occurredAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('webhook_events_agency_id_id_key').on(t.agencyId, t.id),
    index('webhook_events_agency_occurred_idx').on(t.agencyId, t.occurredAt),
    ...tenantPolicies('webhook_events', t.agencyId),
  ],
)

/**
 * One event queued for one endpoint, at its place (`seq`) in the endpoint's order, and the outcome of its latest
 * attempt (the delivery log). A redelivery or a test event is a new row at the end of the queue.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid().primaryKey().defaultRandom(),
    agencyId: uuid().notNull(),
    endpointId: uuid().notNull(),
    eventId: uuid().notNull(),
    seq: bigint({ mode: 'number' }).notNull(),
    state: text().$type<WebhookDeliveryState>().notNull().default('pending'),
    /** 'event' (raised by a change), 'redelivery' (sent again on request) or 'test'. */
    trigger: text().$type<'event' | 'redelivery' | 'test'>().notNull().default('event'),
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastAttemptAt: timestamp({ withTimezone: true }),
    responseStatus: integer(),
    latencyMs: integer(),
    responseExcerpt: text(),
    /** Why the latest attempt failed when there was no HTTP answer to show: 'timeout', 'connection', 'refused_target'… */
    error: text(),
    deliveredAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_endpoint_seq_key').on(t.agencyId, t.endpointId, t.seq),
    // The head of each endpoint's queue, without walking past everything already delivered.
    index('webhook_deliveries_pending_idx')
      .on(t.agencyId, t.endpointId, t.seq)
      .where(sql`${t.state} = 'pending'`),
    index('webhook_deliveries_agency_created_idx').on(t.agencyId, t.createdAt),
    foreignKey({
      name: 'webhook_deliveries_endpoint_fk',
      columns: [t.agencyId, t.endpointId],
      foreignColumns: [webhookEndpoints.agencyId, webhookEndpoints.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'webhook_deliveries_event_fk',
      columns: [t.agencyId, t.eventId],
      foreignColumns: [webhookEvents.agencyId, webhookEvents.id],
    }).onDelete('cascade'),
    check('webhook_deliveries_state_check', sql`${t.state} in ('pending', 'delivered', 'failed')`),
    check('webhook_deliveries_trigger_check', sql`${t.trigger} in ('event', 'redelivery', 'test')`),
    ...tenantPolicies('webhook_deliveries', t.agencyId),
  ],
)

export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect
