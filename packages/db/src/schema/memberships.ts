import { sql } from 'drizzle-orm'
import {
  boolean,
  index,
  jsonb,
  pgEnum,
  pgPolicy,
  pgTable,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import { agencies } from './agencies'
import { currentUserId, imperaApp, tenantPolicies } from './_rls'
import { users } from './users'
import { memberRoles } from '../enums'

export const memberRole = pgEnum('member_role', memberRoles)
export const membershipStatus = pgEnum('membership_status', ['active', 'deactivated'])

export const memberships = pgTable(
  'memberships',
  {
    id: uuid().primaryKey().defaultRandom(),
    agencyId: uuid()
      .notNull()
      .references(() => agencies.id, { onDelete: 'cascade' }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: memberRole().notNull(),
    status: membershipStatus().notNull().default('active'),
    /** Per notification kind: in the bell and/or by e-mail; kinds absent use the defaults in @impera/api. */
    notificationPrefs: jsonb().$type<Record<string, { inApp: boolean; email: boolean }>>().notNull().default({}),
    /**
     * Lead distribution (decision 027): a paused member (vacation, a day off) gets no new leads; one with working
     * hours (same shape as the agency's business hours, in its time zone) gets them only inside those, unless nobody
     * else in the rule is working. Null: always.
     */
    leadsPaused: boolean().notNull().default(false),
    workingHours: jsonb().$type<Record<'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun', string[]>>(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('memberships_agency_user_key').on(t.agencyId, t.userId),
    // Lets other tenant tables reference (agency_id, user_id) so a row can never point at another agency's member.
    unique('memberships_agency_id_id_key').on(t.agencyId, t.id),
    index('memberships_user_idx').on(t.userId),
    // A signed-in user may list their own memberships across agencies to pick one; everything else is fenced.
    ...tenantPolicies('memberships', t.agencyId, { selectAlso: sql`${t.userId} = ${currentUserId}`, platform: true }),
  ],
)

export const invitations = pgTable(
  'invitations',
  {
    id: uuid().primaryKey().defaultRandom(),
    agencyId: uuid()
      .notNull()
      .references(() => agencies.id, { onDelete: 'cascade' }),
    email: text().notNull(),
    role: memberRole().notNull(),
    tokenHash: text().notNull().unique(),
    invitedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    acceptedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('invitations_agency_idx').on(t.agencyId, t.createdAt),
    // One open invitation per address and agency; resending rotates its token.
    uniqueIndex('invitations_open_email_idx')
      .on(t.agencyId, sql`lower(${t.email})`)
      .where(sql`accepted_at is null and revoked_at is null`),
    ...tenantPolicies('invitations', t.agencyId, { platform: true }),
    // Accepting starts from the secret token alone, before any agency context exists: the system role may read exactly
    // the invitation whose token hash it presents (a hash of 32 random bytes cannot be guessed or enumerated).
    pgPolicy('invitations_system_by_token', {
      for: 'select',
      to: imperaApp,
      using: sql`${t.tokenHash} = (select nullif(current_setting('app.invitation_token_hash', true), ''))`,
    }),
  ],
)

export type Membership = typeof memberships.$inferSelect
export type Invitation = typeof invitations.$inferSelect
