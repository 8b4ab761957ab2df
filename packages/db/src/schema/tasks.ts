import { sql } from 'drizzle-orm'
import {
  check,
  foreignKey,
  index,
  integer,
  pgEnum,
  pgPolicy,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import {
  taskKinds,
  taskRecurrences,
  taskStatuses,
  visitConfirmationStates,
  visitInterests,
  visitOutcomes,
} from '../enums'
import { appRls, currentUserId, imperaApp, tenantPolicies } from './_rls'
import { agencies } from './agencies'
import { clients } from './clients'
import { leads } from './leads'
import { memberships } from './memberships'
import { properties } from './properties'
import { users } from './users'

export const taskKind = pgEnum('task_kind', taskKinds)
export const taskStatus = pgEnum('task_status', taskStatuses)
export const visitOutcome = pgEnum('visit_outcome', visitOutcomes)
export const taskRecurrence = pgEnum('task_recurrence', taskRecurrences)
export const visitInterest = pgEnum('visit_interest', visitInterests)
export const visitConfirmationState = pgEnum('visit_confirmation_state', visitConfirmationStates)

/**
 * A task or a visit (decision 025), assigned to one member, due at an instant, attached to a lead, a client and/or a
 * property. A visit also has a place, a duration, the properties shown (`task_properties`) and, once done, an outcome.
 * `reminded_at` makes the reminder go once; it is cleared when the task is rescheduled.
 */
export const tasks = pgTable(
  'tasks',
  {
    id: uuid().primaryKey().defaultRandom(),
    agencyId: uuid()
      .notNull()
      .references(() => agencies.id, { onDelete: 'cascade' }),
    kind: taskKind().notNull(),
    title: text().notNull(),
    notes: text().notNull().default(''),
    dueAt: timestamp({ withTimezone: true }).notNull(),
    durationMinutes: integer().notNull().default(30),
    place: text(),
    assignedTo: uuid().notNull(),
    leadId: uuid(),
    clientId: uuid(),
    propertyId: uuid(),
    status: taskStatus().notNull().default('open'),
    outcome: visitOutcome(),
    outcomeNote: text(),
    completedAt: timestamp({ withTimezone: true }),
    completedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    remindMinutes: integer(),
    remindedAt: timestamp({ withTimezone: true }),
    recurrence: taskRecurrence().notNull().default('none'),
    /** The task this one follows in its series (a recurrence, or a visit rescheduled from an earlier one). */
    previousId: uuid(),
    /** The visit's WhatsApp confirmation (decision 026): its state, the conversation it went to, the reply. */
    confirmationState: visitConfirmationState(),
    confirmationConversationId: uuid(),
    confirmationReply: text(),
    confirmationAt: timestamp({ withTimezone: true }),
    createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('tasks_agency_id_id_key').on(t.agencyId, t.id),
    // "Hoje" and the calendar: a member's open tasks by time, and everyone's for managers.
    index('tasks_agency_assignee_due_idx').on(t.agencyId, t.assignedTo, t.dueAt),
    index('tasks_agency_due_idx').on(t.agencyId, t.dueAt),
    index('tasks_agency_lead_idx')
      .on(t.agencyId, t.leadId)
      .where(sql`${t.leadId} is not null`),
    index('tasks_agency_client_idx')
      .on(t.agencyId, t.clientId)
      .where(sql`${t.clientId} is not null`),
    index('tasks_agency_property_idx')
      .on(t.agencyId, t.propertyId)
      .where(sql`${t.propertyId} is not null`),
    // The reminder sweep: open tasks with a reminder not yet sent.
    index('tasks_agency_reminder_idx')
      .on(t.agencyId, t.dueAt)
      .where(sql`${t.status} = 'open' and ${t.remindMinutes} is not null and ${t.remindedAt} is null`),
    // The confirmation sweep: open visits not yet confirmed; and a reply finds its visit by the conversation.
    index('tasks_agency_confirm_idx')
      .on(t.agencyId, t.dueAt)
      .where(sql`${t.kind} = 'visit' and ${t.status} = 'open' and ${t.confirmationState} is null`),
    index('tasks_agency_confirmation_conversation_idx')
      .on(t.agencyId, t.confirmationConversationId)
      .where(sql`${t.confirmationConversationId} is not null`),
    // A series makes one next occurrence, even if two requests complete the same task at once.
    uniqueIndex('tasks_previous_key')
      .on(t.agencyId, t.previousId)
      .where(sql`${t.previousId} is not null`),
    check('tasks_duration_check', sql`${t.durationMinutes} between 5 and 1440`),
    check('tasks_remind_check', sql`${t.remindMinutes} is null or ${t.remindMinutes} between 0 and 10080`),
    check('tasks_outcome_check', sql`${t.outcome} is null or ${t.kind} = 'visit'`),
    foreignKey({
      name: 'tasks_assignee_member_fk',
      columns: [t.agencyId, t.assignedTo],
      foreignColumns: [memberships.agencyId, memberships.userId],
    }).onDelete('cascade'),
    foreignKey({
      name: 'tasks_lead_fk',
      columns: [t.agencyId, t.leadId],
      foreignColumns: [leads.agencyId, leads.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'tasks_client_fk',
      columns: [t.agencyId, t.clientId],
      foreignColumns: [clients.agencyId, clients.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'tasks_property_fk',
      columns: [t.agencyId, t.propertyId],
      foreignColumns: [properties.agencyId, properties.id],
    }).onDelete('cascade'),
    ...tenantPolicies('tasks', t.agencyId),
  ],
)

export type Task = typeof tasks.$inferSelect

/** The properties shown on a visit, and what the lead thought of each (recorded with the visit's outcome). */
export const taskProperties = pgTable(
  'task_properties',
  {
    agencyId: uuid().notNull(),
    taskId: uuid().notNull(),
    propertyId: uuid().notNull(),
    position: integer().notNull().default(0),
    interest: visitInterest(),
    feedback: text(),
  },
  (t) => [
    primaryKey({ columns: [t.agencyId, t.taskId, t.propertyId] }),
    index('task_properties_agency_property_idx').on(t.agencyId, t.propertyId),
    foreignKey({
      name: 'task_properties_task_fk',
      columns: [t.agencyId, t.taskId],
      foreignColumns: [tasks.agencyId, tasks.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'task_properties_property_fk',
      columns: [t.agencyId, t.propertyId],
      foreignColumns: [properties.agencyId, properties.id],
    }).onDelete('cascade'),
    ...tenantPolicies('task_properties', t.agencyId),
  ],
)

/**
 * A member's private calendar feed (iCalendar): the token in its URL is the only credential, so Google or Apple
 * Calendar can subscribe. Looked up by token before any agency is known, hence the system policy on the token setting.
 */
export const calendarFeeds = pgTable(
  'calendar_feeds',
  {
    agencyId: uuid().notNull(),
    userId: uuid().notNull(),
    token: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.agencyId, t.userId] }),
    uniqueIndex('calendar_feeds_token_key').on(t.token),
    foreignKey({
      name: 'calendar_feeds_member_fk',
      columns: [t.agencyId, t.userId],
      foreignColumns: [memberships.agencyId, memberships.userId],
    }).onDelete('cascade'),
    ...tenantPolicies('calendar_feeds', t.agencyId),
    // A member's feed URL is theirs alone, even to the agency's managers.
    pgPolicy('calendar_feeds_own_select', {
      as: 'restrictive',
      for: 'select',
      to: appRls,
      using: sql`${t.userId} = ${currentUserId}`,
    }),
    pgPolicy('calendar_feeds_system_by_token', {
      as: 'permissive',
      for: 'select',
      to: imperaApp,
      using: sql`${t.token} = (select nullif(current_setting('app.calendar_token', true), ''))`,
    }),
  ],
)
