import { sql } from 'drizzle-orm'
import {
  boolean,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgPolicy,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import { appRls, currentUserId, tenantPolicies } from './_rls'
import { memberships } from './memberships'
import { notificationKinds } from '../enums'

export const notificationKind = pgEnum('notification_kind', notificationKinds)
export type NotificationKind = (typeof notificationKinds)[number]

/** What a notification points at, for its link. */
export const notificationEntities = [
  'lead',
  'conversation',
  'member',
  'webhook_endpoint',
  'task',
  'property',
  'bulk_operation',
  /** A lead offered to claim (decision 031), by the lead's id: it opens "Hoje", where the offer is. */
  'lead_offer',
] as const
export type NotificationEntity = (typeof notificationEntities)[number]

/**
 * One member's in-app notifications. An unread one is bumped (count, time, data) rather than repeated when the same
 * thing happens again to the same record, so a burst of messages in one conversation is one line with a count.
 * `emailed_at` drives the worker's batched e-mail digest; `push_state` the web push to the member's devices.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid().primaryKey().defaultRandom(),
    agencyId: uuid().notNull(),
    userId: uuid().notNull(),
    kind: notificationKind().notNull(),
    entity: text().$type<NotificationEntity>().notNull(),
    entityId: uuid().notNull(),
    /** Display details frozen at the time (lead name, contact, message preview, error reason): ids alone are not readable. */
    data: jsonb().$type<Record<string, string | number | null>>().notNull().default({}),
    count: integer().notNull().default(1),
    /** Whether the member wants it in the bell and/or by e-mail, decided from their preferences when it was raised. */
    inApp: boolean().notNull().default(true),
    emailState: text().$type<'none' | 'pending' | 'sent'>().notNull().default('none'),
    /** 'pending' while a web push to the member's devices is due (the worker's `notifications:push` takes it). */
    pushState: text().$type<'none' | 'pending' | 'sent'>().notNull().default('none'),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp({ withTimezone: true }),
    emailedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index('notifications_agency_user_updated_idx').on(t.agencyId, t.userId, t.updatedAt),
    uniqueIndex('notifications_unread_key')
      .on(t.agencyId, t.userId, t.kind, t.entityId)
      .where(sql`${t.readAt} is null`),
    index('notifications_agency_email_idx')
      .on(t.agencyId, t.emailState)
      .where(sql`${t.emailState} = 'pending'`),
    index('notifications_agency_user_push_idx')
      .on(t.agencyId, t.userId)
      .where(sql`${t.pushState} = 'pending'`),
    foreignKey({
      name: 'notifications_member_fk',
      columns: [t.agencyId, t.userId],
      foreignColumns: [memberships.agencyId, memberships.userId],
    }).onDelete('cascade'),
    ...tenantPolicies('notifications', t.agencyId),
    // A member reads and marks only their own. System work (the worker, no user in context) raises and e-mails them.
    pgPolicy('notifications_own_select', {
      as: 'restrictive',
      for: 'select',
      to: appRls,
      using: sql`${t.userId} = ${currentUserId} or ${currentUserId} is null`,
    }),
    pgPolicy('notifications_own_update', {
      as: 'restrictive',
      for: 'update',
      to: appRls,
      using: sql`${t.userId} = ${currentUserId} or ${currentUserId} is null`,
    }),
    pgPolicy('notifications_own_delete', {
      as: 'restrictive',
      for: 'delete',
      to: appRls,
      using: sql`${t.userId} = ${currentUserId} or ${currentUserId} is null`,
    }),
  ],
)

export type Notification = typeof notifications.$inferSelect
