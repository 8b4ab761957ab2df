import { foreignKey, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { tenantPolicies } from './_rls'
import { memberships } from './memberships'

/**
 * A member's devices that receive web push (issue 18, decision 035): the browser's PushSubscription — its push service
 * endpoint and the keys payloads are encrypted to — and the sign-in session that made it. Signing out, or a revoked or
 * expired session, stops the pushes to that device. One row per endpoint in an agency: a shared phone pushes for
 * whoever turned notifications on there last.
 */
export const pushSubscriptions = pgTable(
  'push_subscriptions',
  {
    id: uuid().primaryKey().defaultRandom(),
    agencyId: uuid().notNull(),
    userId: uuid().notNull(),
    /** `auth_sessions.id` under local auth, Supabase's `session_id` claim otherwise (no row here to reference). */
    sessionId: uuid(),
    endpoint: text().notNull(),
    p256dh: text().notNull(),
    auth: text().notNull(),
    userAgent: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastPushedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex('push_subscriptions_agency_endpoint_key').on(t.agencyId, t.endpoint),
    index('push_subscriptions_agency_user_idx').on(t.agencyId, t.userId),
    foreignKey({
      name: 'push_subscriptions_member_fk',
      columns: [t.agencyId, t.userId],
      foreignColumns: [memberships.agencyId, memberships.userId],
    }).onDelete('cascade'),
    ...tenantPolicies('push_subscriptions', t.agencyId),
  ],
)

export type PushSubscriptionRow = typeof pushSubscriptions.$inferSelect
