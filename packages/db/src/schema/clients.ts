import { sql } from 'drizzle-orm'
import {
  date,
  foreignKey,
  index,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import { agencies } from './agencies'
import { memberships } from './memberships'
import { tenantPolicies } from './_rls'
import { users } from './users'

export { clientTypeValues } from '../enums'
export const clientEventKinds = ['created', 'edited', 'assigned', 'lead_linked', 'deleted', 'restored'] as const
export const clientEventKind = pgEnum('client_event_kind', clientEventKinds)

export const clients = pgTable(
  'clients',
  {
    id: uuid().primaryKey().defaultRandom(),
    agencyId: uuid()
      .notNull()
      .references(() => agencies.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    /** buyer, seller (owner), tenant, landlord: a client can be several. */
    types: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    phones: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    email: text(),
    /** CPF or CNPJ, digits only, checksum-validated by the service; unique per agency among live clients. */
    document: text(),
    street: text(),
    number: text(),
    complement: text(),
    neighbourhood: text(),
    city: text(),
    state: text(),
    postalCode: text(),
    country: text(),
    birthDate: date({ mode: 'string' }),
    notes: text(),
    tags: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    assignedTo: uuid(),
    createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp({ withTimezone: true }),
    deletedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    /** When the person's data was anonymised (LGPD, decision 038): what identifies them is gone for good. */
    anonymizedAt: timestamp({ withTimezone: true }),
    /** The spreadsheet import that created the client (decision 045), for "undo this import"; no key, as on leads. */
    importId: uuid(),
  },
  (t) => [
    unique('clients_agency_id_id_key').on(t.agencyId, t.id),
    // The import's duplicate lookup by e-mail (decision 045).
    index('clients_agency_email_idx').on(t.agencyId, sql`lower(${t.email})`),
    index('clients_agency_import_idx')
      .on(t.agencyId, t.importId)
      .where(sql`${t.importId} is not null`),
    index('clients_agency_name_idx').on(t.agencyId, t.name),
    index('clients_agency_sort_name_idx')
      .on(t.agencyId, sql`search_norm(${t.name})`, t.id)
      .where(sql`${t.deletedAt} is null`),
    index('clients_agency_created_idx')
      .on(t.agencyId, t.createdAt, t.id)
      .where(sql`${t.deletedAt} is null`),
    index('clients_agency_updated_idx')
      .on(t.agencyId, t.updatedAt, t.id)
      .where(sql`${t.deletedAt} is null`),
    index('clients_agency_assigned_idx').on(t.agencyId, t.assignedTo),
    index('clients_phones_gin_idx').using('gin', t.phones),
    uniqueIndex('clients_agency_document_key')
      .on(t.agencyId, t.document)
      .where(sql`document is not null and deleted_at is null`),
    foreignKey({
      name: 'clients_assignee_member_fk',
      columns: [t.agencyId, t.assignedTo],
      foreignColumns: [memberships.agencyId, memberships.userId],
    }),
    ...tenantPolicies('clients', t.agencyId),
  ],
)

export const clientEvents = pgTable(
  'client_events',
  {
    id: uuid().primaryKey().defaultRandom(),
    agencyId: uuid().notNull(),
    clientId: uuid().notNull(),
    actorUserId: uuid().references(() => users.id, { onDelete: 'set null' }),
    kind: clientEventKind().notNull(),
    data: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('client_events_agency_client_at_idx').on(t.agencyId, t.clientId, t.at),
    foreignKey({
      name: 'client_events_client_fk',
      columns: [t.agencyId, t.clientId],
      foreignColumns: [clients.agencyId, clients.id],
    }).onDelete('cascade'),
    ...tenantPolicies('client_events', t.agencyId),
  ],
)

export const clientNotes = pgTable(
  'client_notes',
  {
    id: uuid().primaryKey().defaultRandom(),
    agencyId: uuid().notNull(),
    clientId: uuid().notNull(),
    authorId: uuid().references(() => users.id, { onDelete: 'set null' }),
    body: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('client_notes_agency_client_idx').on(t.agencyId, t.clientId, t.createdAt),
    foreignKey({
      name: 'client_notes_client_fk',
      columns: [t.agencyId, t.clientId],
      foreignColumns: [clients.agencyId, clients.id],
    }).onDelete('cascade'),
    ...tenantPolicies('client_notes', t.agencyId),
  ],
)

export type Client = typeof clients.$inferSelect
export type ClientEvent = typeof clientEvents.$inferSelect
export type ClientNote = typeof clientNotes.$inferSelect
