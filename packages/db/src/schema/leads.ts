import { sql } from 'drizzle-orm'
import {
  bigint,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core'
import { agencies } from './agencies'
import { clients } from './clients'
import { memberships } from './memberships'
import { tenantPolicies } from './_rls'
import { users } from './users'
import { leadInterests, leadSources, leadStatuses, leadTemperatures, lostReasons } from '../enums'

export const leadEventKinds = [
  'created',
  'status_changed',
  'assigned',
  'edited',
  'deleted',
  'restored',
  'converted',
  'property_linked',
  'property_unlinked',
  /** A contact's message that arrived with the lead (a portal's form, an intake): who wrote what, about which listing. */
  'inquiry',
  /** A listing was sent to the contact as a link (issue 16), and the contact opened it. */
  'property_shared',
  'property_viewed',
  /** Offered to a rule's members for the first to claim it (decision 031). */
  'offered',
] as const

export const leadStatus = pgEnum('lead_status', leadStatuses)
export const leadSource = pgEnum('lead_source', leadSources)
export const leadInterest = pgEnum('lead_interest', leadInterests)
export const lostReason = pgEnum('lost_reason', lostReasons)
export const leadEventKind = pgEnum('lead_event_kind', leadEventKinds)
export const leadTemperature = pgEnum('lead_temperature', leadTemperatures)

export const leads = pgTable(
  'leads',
  {
    id: uuid().primaryKey().defaultRandom(),
    agencyId: uuid()
      .notNull()
      .references(() => agencies.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    /** E.164, normalised by the service (Brazilian mobiles always with the 9th digit). */
    phones: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    email: text(),
    source: leadSource().notNull().default('other'),
    sourceDetail: text(),
    interest: leadInterest(),
    /** Integer cents of the agency currency. */
    budgetMin: bigint({ mode: 'number' }),
    budgetMax: bigint({ mode: 'number' }),
    propertyTypes: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    locations: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    minBedrooms: integer(),
    notes: text(),
    tags: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    assignedTo: uuid(),
    /** Set when the lead converts into (or is linked to) a client. */
    clientId: uuid(),
    status: leadStatus().notNull().default('new'),
    lostReason: lostReason(),
    lostDetail: text(),
    createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    statusChangedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /**
     * The first contact: the first move out of `new` to contacted or beyond, or the first outbound WhatsApp message
     * the provider accepted, whichever came first. Kept by database triggers (migration 0013), so every path that
     * records either fact (services, worker, seeds, imports) keeps it right; reports read it instead of scanning.
     */
    firstContactAt: timestamp({ withTimezone: true }),
    /**
     * Qualification (decision 020): each known slot with who set it (`person`, `bot`, `import`; packages/api
     * ai/qualification.ts); the slots that are also lead fields (interest, budget, types, places, bedrooms) are written
     * to those too. The score (0–100) with its reasons, the temperature and a short summary follow from it.
     */
    qualification: jsonb().notNull().default({}),
    qualificationScore: integer(),
    qualificationReasons: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    temperature: leadTemperature(),
    aiSummary: text(),
    /** Trash: set when deleted; restorable for 30 days, then purged by the worker. */
    deletedAt: timestamp({ withTimezone: true }),
    deletedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    /**
     * The spreadsheet import that created the lead (decision 024), for "undo this import". No foreign key: imports are
     * never deleted on their own (an agency's removal takes both).
     */
    importId: uuid(),
    /** When the person's data was anonymised (LGPD, decision 038): what identifies them is gone for good. */
    anonymizedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    unique('leads_agency_id_id_key').on(t.agencyId, t.id),
    index('leads_agency_status_created_idx').on(t.agencyId, t.status, t.createdAt),
    index('leads_agency_assigned_idx').on(t.agencyId, t.assignedTo),
    index('leads_agency_created_idx').on(t.agencyId, t.createdAt),
    index('leads_agency_updated_idx')
      .on(t.agencyId, t.updatedAt, t.id)
      .where(sql`${t.deletedAt} is null`),
    index('leads_agency_name_idx')
      .on(t.agencyId, sql`search_norm(${t.name})`, t.id)
      .where(sql`${t.deletedAt} is null`),
    index('leads_agency_status_id_idx')
      .on(t.agencyId, t.status, t.id)
      .where(sql`${t.deletedAt} is null`),
    index('leads_agency_first_contact_idx').on(t.agencyId, t.firstContactAt),
    index('leads_agency_score_idx')
      .on(t.agencyId, t.qualificationScore, t.id)
      .where(sql`${t.deletedAt} is null`),
    index('leads_agency_email_idx').on(t.agencyId, sql`lower(${t.email})`),
    index('leads_phones_gin_idx').using('gin', t.phones),
    index('leads_agency_import_idx')
      .on(t.agencyId, t.importId)
      .where(sql`${t.importId} is not null`),
    // The assignee must be a member of the same agency (FK checks bypass RLS, so tenancy is in the key).
    foreignKey({
      name: 'leads_assignee_member_fk',
      columns: [t.agencyId, t.assignedTo],
      foreignColumns: [memberships.agencyId, memberships.userId],
    }),
    index('leads_agency_client_idx').on(t.agencyId, t.clientId),
    foreignKey({
      name: 'leads_client_fk',
      columns: [t.agencyId, t.clientId],
      foreignColumns: [clients.agencyId, clients.id],
    }),
    ...tenantPolicies('leads', t.agencyId),
  ],
)

/** The lead's history: who did what and when. Feeds the timeline and, later, the reports (stage durations). */
export const leadEvents = pgTable(
  'lead_events',
  {
    id: uuid().primaryKey().defaultRandom(),
    agencyId: uuid().notNull(),
    leadId: uuid().notNull(),
    actorUserId: uuid().references(() => users.id, { onDelete: 'set null' }),
    kind: leadEventKind().notNull(),
    data: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** The status a `status_changed` event moved to, stored so figures read it from an index (migration 0021). */
    toStatus: text().generatedAlwaysAs(sql`data ->> 'to'`),
    /**
     * For a `status_changed` event: when the lead last moved to the same status, at or before this move (kept by a
     * trigger, migration 0030). "Distinct leads moved to X in a period" is then a count of the period's moves whose
     * previous one falls before it — no grouping by lead.
     */
    prevMoveAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    foreignKey({
      name: 'lead_events_lead_fk',
      columns: [t.agencyId, t.leadId],
      foreignColumns: [leads.agencyId, leads.id],
    }).onDelete('cascade'),
    ...tenantPolicies('lead_events', t.agencyId),
  ],
)

export const leadNotes = pgTable(
  'lead_notes',
  {
    id: uuid().primaryKey().defaultRandom(),
    agencyId: uuid().notNull(),
    leadId: uuid().notNull(),
    authorId: uuid().references(() => users.id, { onDelete: 'set null' }),
    body: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('lead_notes_agency_lead_idx').on(t.agencyId, t.leadId, t.createdAt),
    foreignKey({
      name: 'lead_notes_lead_fk',
      columns: [t.agencyId, t.leadId],
      foreignColumns: [leads.agencyId, leads.id],
    }).onDelete('cascade'),
    ...tenantPolicies('lead_notes', t.agencyId),
  ],
)

export type Lead = typeof leads.$inferSelect
export type LeadEvent = typeof leadEvents.$inferSelect
export type LeadNote = typeof leadNotes.$inferSelect
