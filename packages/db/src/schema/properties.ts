import { sql } from 'drizzle-orm'
import {
  bigint,
  boolean,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import { agencies } from './agencies'
import { clients } from './clients'
import { leads } from './leads'
import { memberships } from './memberships'
import { tenantPolicies } from './_rls'
import { users } from './users'
import { propertyPurposes, propertyStatuses, propertyTypes } from '../enums'

export const propertyEventKinds = ['created', 'edited', 'status_changed', 'assigned', 'deleted', 'restored'] as const

export const propertyType = pgEnum('property_type', propertyTypes)
export const propertyPurpose = pgEnum('property_purpose', propertyPurposes)
export const propertyStatus = pgEnum('property_status', propertyStatuses)
export const propertyEventKind = pgEnum('property_event_kind', propertyEventKinds)

/** Square metres with two decimals, read as numbers (areas never need more precision than a float carries). */
const area = () => numeric({ precision: 10, scale: 2, mode: 'number' })

export const properties = pgTable(
  'properties',
  {
    id: uuid().primaryKey().defaultRandom(),
    agencyId: uuid()
      .notNull()
      .references(() => agencies.id, { onDelete: 'cascade' }),
    /** Reference code shown to clients and portals (e.g. AP0042); generated per agency, editable, unique per agency. */
    code: text().notNull(),
    title: text().notNull(),
    street: text(),
    number: text(),
    complement: text(),
    neighbourhood: text(),
    city: text(),
    state: text(),
    postalCode: text(),
    country: text(),
    type: propertyType().notNull(),
    purpose: propertyPurpose().notNull(),
    /** Integer cents of the agency currency. */
    salePrice: bigint({ mode: 'number' }),
    rentPrice: bigint({ mode: 'number' }),
    condoFee: bigint({ mode: 'number' }),
    propertyTax: bigint({ mode: 'number' }),
    builtArea: area(),
    totalArea: area(),
    bedrooms: integer(),
    suites: integer(),
    bathrooms: integer(),
    parkingSpaces: integer(),
    features: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    status: propertyStatus().notNull().default('available'),
    /** Listed in the agency's portal feed (decision 023) while available. */
    publishPortals: boolean().notNull().default(false),
    statusChangedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    description: text(),
    ownerClientId: uuid(),
    assignedTo: uuid(),
    createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp({ withTimezone: true }),
    deletedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    /** The spreadsheet import that created the listing (decision 045), for "undo this import"; no key, as on leads. */
    importId: uuid(),
  },
  (t) => [
    unique('properties_agency_id_id_key').on(t.agencyId, t.id),
    index('properties_agency_import_idx')
      .on(t.agencyId, t.importId)
      .where(sql`${t.importId} is not null`),
    // Trashed properties keep their code, so a restore can never collide.
    uniqueIndex('properties_agency_code_key').on(t.agencyId, sql`lower(${t.code})`),
    index('properties_agency_created_idx').on(t.agencyId, t.createdAt),
    index('properties_agency_updated_idx')
      .on(t.agencyId, t.updatedAt, t.id)
      .where(sql`${t.deletedAt} is null`),
    index('properties_agency_status_idx').on(t.agencyId, t.status),
    // The portal feed's keyset walk (decision 023).
    index('properties_agency_published_idx')
      .on(t.agencyId, t.id)
      .where(sql`${t.publishPortals} and ${t.deletedAt} is null`),
    index('properties_agency_assigned_idx').on(t.agencyId, t.assignedTo),
    index('properties_agency_owner_idx').on(t.agencyId, t.ownerClientId),
    foreignKey({
      name: 'properties_owner_client_fk',
      columns: [t.agencyId, t.ownerClientId],
      foreignColumns: [clients.agencyId, clients.id],
    }),
    foreignKey({
      name: 'properties_assignee_member_fk',
      columns: [t.agencyId, t.assignedTo],
      foreignColumns: [memberships.agencyId, memberships.userId],
    }),
    ...tenantPolicies('properties', t.agencyId),
  ],
)

/** Photos in display order; the first one is the cover (as on the portals the agencies publish to). */
export const propertyPhotos = pgTable(
  'property_photos',
  {
    id: uuid().primaryKey().defaultRandom(),
    agencyId: uuid().notNull(),
    propertyId: uuid().notNull(),
    /** Storage keys of the display-size image and of the thumbnail (both WebP, generated on upload). */
    storageKey: text().notNull(),
    thumbKey: text().notNull(),
    originalName: text(),
    width: integer().notNull(),
    height: integer().notNull(),
    bytes: integer().notNull(),
    position: integer().notNull(),
    createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('property_photos_agency_property_idx').on(t.agencyId, t.propertyId, t.position),
    foreignKey({
      name: 'property_photos_property_fk',
      columns: [t.agencyId, t.propertyId],
      foreignColumns: [properties.agencyId, properties.id],
    }).onDelete('cascade'),
    ...tenantPolicies('property_photos', t.agencyId),
  ],
)

export const propertyEvents = pgTable(
  'property_events',
  {
    id: uuid().primaryKey().defaultRandom(),
    agencyId: uuid().notNull(),
    propertyId: uuid().notNull(),
    actorUserId: uuid().references(() => users.id, { onDelete: 'set null' }),
    kind: propertyEventKind().notNull(),
    data: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('property_events_agency_property_at_idx').on(t.agencyId, t.propertyId, t.at),
    foreignKey({
      name: 'property_events_property_fk',
      columns: [t.agencyId, t.propertyId],
      foreignColumns: [properties.agencyId, properties.id],
    }).onDelete('cascade'),
    ...tenantPolicies('property_events', t.agencyId),
  ],
)

/** Properties a lead is interested in (marked from either page). */
export const leadProperties = pgTable(
  'lead_properties',
  {
    agencyId: uuid().notNull(),
    leadId: uuid().notNull(),
    propertyId: uuid().notNull(),
    createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'lead_properties_pkey', columns: [t.agencyId, t.leadId, t.propertyId] }),
    index('lead_properties_agency_property_idx').on(t.agencyId, t.propertyId),
    foreignKey({
      name: 'lead_properties_lead_fk',
      columns: [t.agencyId, t.leadId],
      foreignColumns: [leads.agencyId, leads.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'lead_properties_property_fk',
      columns: [t.agencyId, t.propertyId],
      foreignColumns: [properties.agencyId, properties.id],
    }).onDelete('cascade'),
    ...tenantPolicies('lead_properties', t.agencyId),
  ],
)

export type Property = typeof properties.$inferSelect
export type PropertyPhoto = typeof propertyPhotos.$inferSelect
