import { sql } from 'drizzle-orm'
import {
  bigint,
  boolean,
  check,
  foreignKey,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core'
import { distributionModes, distributionReasons } from '../enums'
import { tenantPolicies } from './_rls'
import { agencies } from './agencies'
import { leadInterest, leads, leadSource } from './leads'
import { memberships } from './memberships'

export const distributionReason = pgEnum('distribution_reason', distributionReasons)
export const distributionMode = pgEnum('distribution_mode', distributionModes)

/**
 * The agency's lead distribution ("roleta", decision 027): rules tried in `position` order; a rule matches a new lead
 * when every condition it sets holds (empty = any): the lead's source, its purpose, its budget (or the listing's price)
 * inside the band, one of its places among the rule's. The first matching rule with an available member picks one by
 * smooth weighted round robin; a rule without conditions is the catch-all.
 */
export const distributionRules = pgTable(
  'distribution_rules',
  {
    id: uuid().primaryKey().defaultRandom(),
    agencyId: uuid()
      .notNull()
      .references(() => agencies.id, { onDelete: 'cascade' }),
    position: integer().notNull().default(0),
    name: text().notNull(),
    enabled: boolean().notNull().default(true),
    sources: leadSource()
      .array()
      .notNull()
      .default(sql`'{}'`),
    interests: leadInterest()
      .array()
      .notNull()
      .default(sql`'{}'`),
    /** Integer cents of the agency currency, like the lead's budget. */
    budgetMin: bigint({ mode: 'number' }),
    budgetMax: bigint({ mode: 'number' }),
    /** Neighbourhoods or cities, compared without case or accents. */
    locations: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** Weighted turns, or an offer to the rule's members (decision 031) for `claimMinutes` before turns decide. */
    mode: distributionMode().notNull().default('round_robin'),
    claimMinutes: integer().notNull().default(5),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('distribution_rules_agency_id_id_key').on(t.agencyId, t.id),
    check('distribution_rules_claim_minutes_check', sql`${t.claimMinutes} between 1 and 240`),
    index('distribution_rules_agency_position_idx').on(t.agencyId, t.position),
    check(
      'distribution_rules_band_check',
      sql`${t.budgetMin} is null or ${t.budgetMax} is null or ${t.budgetMin} <= ${t.budgetMax}`,
    ),
    ...tenantPolicies('distribution_rules', t.agencyId),
  ],
)

/**
 * A rule's members and their weights. `credit` is the smooth weighted round robin's state (nginx's algorithm): each
 * pick adds every available member's weight to their credit, gives the lead to the highest and takes the total from
 * it — so with 2:1:1 any four leads in a row are two for A and one for each of the others, whatever the arrival
 * pattern. The rows are locked for the pick.
 */
export const distributionMembers = pgTable(
  'distribution_members',
  {
    agencyId: uuid().notNull(),
    ruleId: uuid().notNull(),
    userId: uuid().notNull(),
    weight: integer().notNull().default(1),
    credit: integer().notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.agencyId, t.ruleId, t.userId] }),
    index('distribution_members_agency_user_idx').on(t.agencyId, t.userId),
    check('distribution_members_weight_check', sql`${t.weight} between 1 and 10`),
    foreignKey({
      name: 'distribution_members_rule_fk',
      columns: [t.agencyId, t.ruleId],
      foreignColumns: [distributionRules.agencyId, distributionRules.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'distribution_members_member_fk',
      columns: [t.agencyId, t.userId],
      foreignColumns: [memberships.agencyId, memberships.userId],
    }).onDelete('cascade'),
    ...tenantPolicies('distribution_members', t.agencyId),
  ],
)

/**
 * Each time the distribution gave a lead to someone: why (the listing's agent, a rule, an SLA breach), by which rule
 * (its name kept as it was), and the first-contact deadline. The SLA sweep looks for open rows past `due_at` whose
 * lead nobody contacted; `ended_at` closes a row when the lead moves on (breach, a person reassigning it).
 */
export const leadAssignments = pgTable(
  'lead_assignments',
  {
    id: uuid().primaryKey().defaultRandom(),
    agencyId: uuid().notNull(),
    leadId: uuid().notNull(),
    userId: uuid().notNull(),
    reason: distributionReason().notNull(),
    ruleId: uuid(),
    ruleName: text(),
    dueAt: timestamp({ withTimezone: true }),
    breachedAt: timestamp({ withTimezone: true }),
    endedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('lead_assignments_agency_lead_idx').on(t.agencyId, t.leadId),
    index('lead_assignments_agency_user_idx').on(t.agencyId, t.userId, t.createdAt),
    index('lead_assignments_agency_due_idx')
      .on(t.agencyId, t.dueAt)
      .where(sql`${t.endedAt} is null and ${t.dueAt} is not null`),
    foreignKey({
      name: 'lead_assignments_lead_fk',
      columns: [t.agencyId, t.leadId],
      foreignColumns: [leads.agencyId, leads.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'lead_assignments_member_fk',
      columns: [t.agencyId, t.userId],
      foreignColumns: [memberships.agencyId, memberships.userId],
    }).onDelete('cascade'),
    ...tenantPolicies('lead_assignments', t.agencyId),
  ],
)

export type DistributionRule = typeof distributionRules.$inferSelect

/**
 * A lead offered to a rule's available members (decision 031): the first of `offered_to` to claim it before
 * `expires_at` gets it; past that, the worker gives it by the rule's turns. `ended_at` closes the offer (claimed,
 * expired, or the lead assigned by a person meanwhile); `claimed_by` says who took it.
 */
export const leadOffers = pgTable(
  'lead_offers',
  {
    id: uuid().primaryKey().defaultRandom(),
    agencyId: uuid().notNull(),
    leadId: uuid().notNull(),
    ruleId: uuid(),
    ruleName: text().notNull(),
    offeredTo: uuid().array().notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    claimedBy: uuid(),
    endedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('lead_offers_agency_lead_idx').on(t.agencyId, t.leadId),
    index('lead_offers_agency_open_idx')
      .on(t.agencyId, t.expiresAt)
      .where(sql`${t.endedAt} is null`),
    foreignKey({
      name: 'lead_offers_lead_fk',
      columns: [t.agencyId, t.leadId],
      foreignColumns: [leads.agencyId, leads.id],
    }).onDelete('cascade'),
    ...tenantPolicies('lead_offers', t.agencyId),
  ],
)
