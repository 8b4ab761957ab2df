import { sql } from 'drizzle-orm'
import {
  boolean,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core'
import { bulkStatuses } from '../enums'
import { tenantPolicies } from './_rls'
import { agencies } from './agencies'
import { users } from './users'

export const bulkStatus = pgEnum('bulk_status', bulkStatuses)

/**
 * One bulk change of many records (decision 028): what was done (`action`, e.g. assign to a member), to how many,
 * by whom, and how far it got. It is the audited unit — one audit entry with its row count — while each record still
 * gets its own history fact. Up to 500 records run in the request; more run as a job that checkpoints per item.
 */
export const bulkOperations = pgTable(
  'bulk_operations',
  {
    id: uuid().primaryKey().defaultRandom(),
    agencyId: uuid()
      .notNull()
      .references(() => agencies.id, { onDelete: 'cascade' }),
    entity: text().$type<'lead' | 'client' | 'property' | 'conversation'>().notNull(),
    action: jsonb().$type<Record<string, unknown>>().notNull(),
    total: integer().notNull(),
    done: integer().notNull().default(0),
    /** Of the done ones, how many the action changed (the others already were so, or could not be: a converted lead). */
    changed: integer().notNull().default(0),
    status: bulkStatus().notNull().default('running'),
    error: text(),
    createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    unique('bulk_operations_agency_id_id_key').on(t.agencyId, t.id),
    index('bulk_operations_agency_created_idx').on(t.agencyId, t.createdAt),
    ...tenantPolicies('bulk_operations', t.agencyId),
  ],
)

/** The records a bulk operation was started on (the selection, frozen), each ticked off in its record's transaction. */
export const bulkOperationItems = pgTable(
  'bulk_operation_items',
  {
    agencyId: uuid().notNull(),
    operationId: uuid().notNull(),
    recordId: uuid().notNull(),
    done: boolean().notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.agencyId, t.operationId, t.recordId] }),
    index('bulk_operation_items_pending_idx')
      .on(t.agencyId, t.operationId)
      .where(sql`not ${t.done}`),
    foreignKey({
      name: 'bulk_operation_items_operation_fk',
      columns: [t.agencyId, t.operationId],
      foreignColumns: [bulkOperations.agencyId, bulkOperations.id],
    }).onDelete('cascade'),
    ...tenantPolicies('bulk_operation_items', t.agencyId),
  ],
)

export type BulkOperation = typeof bulkOperations.$inferSelect
