import { sql } from 'drizzle-orm'
import {
  check,
  bigint,
  boolean,
  customType,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgPolicy,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core'
import { agencies, aiMode, aiProvider } from './agencies'
import {
  aiTurnOutcomes,
  controlReasons,
  conversationControllers,
  conversationEntryKinds,
  conversationStatuses,
  messageAuthors,
} from '../enums'
import { clients } from './clients'
import { leads } from './leads'
import { memberships } from './memberships'
import { imperaApp, tenantPolicies } from './_rls'
import { users } from './users'

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' })

export const whatsappProviders = ['cloud_api', 'sandbox'] as const
export const whatsappProvider = pgEnum('whatsapp_provider', whatsappProviders)
/** `rejected` is no longer written: refusals are kept apart (whatsapp_webhook_rejections; 0038 moved the old rows). */
export const webhookEventStates = ['pending', 'processed', 'failed', 'ignored', 'rejected'] as const
export const webhookEventState = pgEnum('whatsapp_event_state', webhookEventStates)
export const messageDirections = ['inbound', 'outbound'] as const
export const messageDirection = pgEnum('whatsapp_direction', messageDirections)
export const messageTypes = [
  'text',
  'image',
  'audio',
  'video',
  'document',
  'sticker',
  'location',
  'contacts',
  'interactive',
  'reaction',
  'template',
  'system',
  'unsupported',
] as const
export const messageType = pgEnum('whatsapp_message_type', messageTypes)
/** received: an inbound message; queued → sending → sent → delivered → read for outbound, or failed. */
export const messageStatuses = ['received', 'queued', 'sending', 'sent', 'delivered', 'read', 'failed'] as const
export const messageStatus = pgEnum('whatsapp_message_status', messageStatuses)
export const conversationController = pgEnum('conversation_controller', conversationControllers)
export const controlReason = pgEnum('control_reason', controlReasons)
export const messageAuthor = pgEnum('whatsapp_author', messageAuthors)
export const conversationStatus = pgEnum('conversation_status', conversationStatuses)
export const conversationEntryKind = pgEnum('conversation_entry_kind', conversationEntryKinds)

/**
 * A WhatsApp number of an agency. Secrets (access token, app secret, verify token) are AES-256-GCM ciphertexts made
 * with a key from the environment; the database never holds them in clear.
 */
export const whatsappAccounts = pgTable(
  'whatsapp_accounts',
  {
    id: uuid().primaryKey().defaultRandom(),
    agencyId: uuid()
      .notNull()
      .references(() => agencies.id, { onDelete: 'cascade' }),
    provider: whatsappProvider().notNull(),
    label: text().notNull(),
    /** Meta's phone_number_id (the webhook routing key and the send path segment); generated for the sandbox. */
    phoneNumberId: text().notNull(),
    displayNumber: text().notNull(),
    wabaId: text(),
    accessTokenEnc: text(),
    appSecretEnc: text(),
    verifyTokenEnc: text(),
    /** Set when the provider refused our credentials or blocked the number: sending stops until someone fixes it. */
    pausedReason: text(),
    /** The last template sync that finished, and why the last one failed (null once one succeeds). */
    templatesSyncedAt: timestamp({ withTimezone: true }),
    templatesError: text(),
    /** The AI mode of this number's conversations; null = the agency's (decision 019). */
    aiMode: aiMode(),
    /**
     * Meta's throughput for this number (decision 049): 80 by default, 20 for a number shared with the Business app
     * (coexistence), up to 1,000 once Meta upgrades it. The sender paces the number's sends to it.
     */
    messagesPerSecond: integer().notNull().default(80),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('whatsapp_accounts_agency_id_id_key').on(t.agencyId, t.id),
    unique('whatsapp_accounts_provider_number_key').on(t.provider, t.phoneNumberId),
    index('whatsapp_accounts_agency_idx').on(t.agencyId),
    check('whatsapp_accounts_messages_per_second', sql`${t.messagesPerSecond} between 1 and 1000`),
    ...tenantPolicies('whatsapp_accounts', t.agencyId),
    // The webhook door: an unauthenticated request names an account in its URL; the login role may read exactly that
    // account (to learn its agency and secret) and nothing else, before the signature is checked.
    pgPolicy('whatsapp_accounts_system_by_id', {
      as: 'permissive',
      for: 'select',
      to: imperaApp,
      using: sql`${t.id} = (select nullif(current_setting('app.whatsapp_account_id', true), '')::uuid)`,
    }),
  ],
)

/** Every webhook delivery as received (raw bytes and headers), stored before we answer; processed by the worker. */
export const whatsappWebhookEvents = pgTable(
  'whatsapp_webhook_events',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    agencyId: uuid().notNull(),
    accountId: uuid().notNull(),
    headers: jsonb().$type<Record<string, string>>().notNull(),
    rawBody: bytea().notNull(),
    bodySha256: text().notNull(),
    /** Always true: refused deliveries are kept apart (whatsapp_webhook_rejections; 0038 moved the old rows). */
    signatureOk: boolean().notNull(),
    state: webhookEventState().notNull().default('pending'),
    attempts: integer().notNull().default(0),
    lastError: text(),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    // Byte-identical redeliveries collapse here; the same event in a different batch is caught by message keys.
    unique('whatsapp_webhook_events_body_key').on(t.agencyId, t.accountId, t.bodySha256),
    index('whatsapp_webhook_events_agency_state_idx').on(t.agencyId, t.state, t.receivedAt),
    foreignKey({
      name: 'whatsapp_webhook_events_account_fk',
      columns: [t.agencyId, t.accountId],
      foreignColumns: [whatsappAccounts.agencyId, whatsappAccounts.id],
    }).onDelete('cascade'),
    ...tenantPolicies('whatsapp_webhook_events', t.agencyId),
  ],
)

/**
 * Deliveries refused for their signature. Anyone can post to a webhook URL, so only evidence is kept (a hash, the size
 * and the first bytes, never the whole body) and only a bounded number per source (receiveWebhook), so anonymous traffic
 * cannot fill the database. Kept apart from the stored events, so a refused copy never stands in for a valid one.
 */
export const whatsappWebhookRejections = pgTable(
  'whatsapp_webhook_rejections',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    agencyId: uuid().notNull(),
    accountId: uuid().notNull(),
    /** The client address the request came from (per the proxy settings). */
    source: text().notNull(),
    bodySha256: text().notNull(),
    bodyBytes: integer().notNull(),
    /** The first bytes of the body (at most 512). */
    bodyHead: bytea().notNull(),
    /** The signature header as sent (truncated), to tell a wrong secret from a missing or malformed header. */
    signature: text(),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('whatsapp_webhook_rejections_source_idx').on(t.agencyId, t.accountId, t.source, t.receivedAt),
    index('whatsapp_webhook_rejections_agency_received_idx').on(t.agencyId, t.receivedAt),
    foreignKey({
      name: 'whatsapp_webhook_rejections_account_fk',
      columns: [t.agencyId, t.accountId],
      foreignColumns: [whatsappAccounts.agencyId, whatsappAccounts.id],
    }).onDelete('cascade'),
    ...tenantPolicies('whatsapp_webhook_rejections', t.agencyId),
  ],
)

export const whatsappConversations = pgTable(
  'whatsapp_conversations',
  {
    id: uuid().primaryKey().defaultRandom(),
    agencyId: uuid().notNull(),
    accountId: uuid().notNull(),
    /** E.164 (Brazilian mobiles always with the 9th digit), so both spellings land in one conversation. */
    contactPhone: text().notNull(),
    contactWaId: text(),
    contactName: text(),
    leadId: uuid(),
    clientId: uuid(),
    assignedTo: uuid(),
    lastMessageAt: timestamp({ withTimezone: true }),
    lastMessagePreview: text(),
    /** Provider time of the latest inbound message: the 24-hour customer-service window runs from it. */
    lastInboundAt: timestamp({ withTimezone: true }),
    /** When we stored the newest inbound / outbound message (our clock; kept by a trigger, migration 0017): unread and
     * "waiting for a reply" compare these instead of scanning messages. */
    lastInboundReceivedAt: timestamp({ withTimezone: true }),
    lastOutboundAt: timestamp({ withTimezone: true }),
    /**
     * Who answers (decision 019), changed only through services/conversation-control.ts. `aiMode` starts as the
     * number's, else the agency's; `controlChanged*` say when, who (a person, or null for the system) and why the
     * controller or mode last changed; `lastHumanAt` is a person's latest send, which the return-to-AI rule reads.
     */
    aiMode: aiMode().notNull().default('off'),
    controller: conversationController().notNull().default('none'),
    controlChangedAt: timestamp({ withTimezone: true }),
    controlChangedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    controlReason: controlReason(),
    lastHumanAt: timestamp({ withTimezone: true }),
    /** The contact sent an opt-out word (decision 020): the bot never answers again; people still can. */
    optedOutAt: timestamp({ withTimezone: true }),
    /**
     * The built-in agent's memory of this conversation: the qualification questions it asked (in order) and how many
     * of its questions in a row went unanswered (three hand over).
     */
    aiAsked: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    aiUnanswered: integer().notNull().default(0),
    /** The team's state of the conversation, changed only through services/conversation-entries.ts. */
    status: conversationStatus().notNull().default('open'),
    statusChangedAt: timestamp({ withTimezone: true }),
    /** The agency's own words for the conversation ("financiamento", "locação"), lower case, at most 10. */
    labels: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('whatsapp_conversations_agency_id_id_key').on(t.agencyId, t.id),
    unique('whatsapp_conversations_contact_key').on(t.agencyId, t.accountId, t.contactPhone),
    index('whatsapp_conversations_agency_last_idx').on(t.agencyId, t.lastMessageAt),
    // The inbox's status tabs ("abertas" first), newest first within each.
    index('whatsapp_conversations_agency_status_last_idx').on(t.agencyId, t.status, t.lastMessageAt),
    index('whatsapp_conversations_agency_lead_idx').on(t.agencyId, t.leadId),
    index('whatsapp_conversations_agency_client_idx').on(t.agencyId, t.clientId),
    // The return-to-AI rule's sweep: conversations people hold, by their last human reply.
    index('whatsapp_conversations_agency_human_idx')
      .on(t.agencyId, t.lastHumanAt)
      .where(sql`controller = 'human'`),
    foreignKey({
      name: 'whatsapp_conversations_account_fk',
      columns: [t.agencyId, t.accountId],
      foreignColumns: [whatsappAccounts.agencyId, whatsappAccounts.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'whatsapp_conversations_lead_fk',
      columns: [t.agencyId, t.leadId],
      foreignColumns: [leads.agencyId, leads.id],
    }),
    foreignKey({
      name: 'whatsapp_conversations_client_fk',
      columns: [t.agencyId, t.clientId],
      foreignColumns: [clients.agencyId, clients.id],
    }),
    foreignKey({
      name: 'whatsapp_conversations_assignee_fk',
      columns: [t.agencyId, t.assignedTo],
      foreignColumns: [memberships.agencyId, memberships.userId],
    }),
    ...tenantPolicies('whatsapp_conversations', t.agencyId),
  ],
)

export interface MessageMedia {
  providerMediaId?: string
  mimeType?: string
  sha256?: string
  filename?: string
  caption?: string
  voice?: boolean
  /** pending until the media job stores the file; failed keeps the reason for the retry action. */
  state: 'pending' | 'stored' | 'failed'
  storageKey?: string
  bytes?: number
  error?: string
}

export const whatsappMessages = pgTable(
  'whatsapp_messages',
  {
    /** Outbound: the id the composer generated, so a double click or a retry never creates a second message. */
    id: uuid().primaryKey().defaultRandom(),
    agencyId: uuid().notNull(),
    conversationId: uuid().notNull(),
    accountId: uuid().notNull(),
    direction: messageDirection().notNull(),
    type: messageType().notNull(),
    body: text(),
    media: jsonb().$type<MessageMedia>(),
    /** Location, reaction, template, interactive… details by type. */
    payload: jsonb().$type<Record<string, unknown>>(),
    replyToProviderId: text(),
    providerMessageId: text(),
    status: messageStatus().notNull(),
    errorCode: text(),
    /** An i18n key explaining a failure to people (e.g. whatsapp.errors.windowClosed). */
    errorReason: text(),
    /** Provider timestamp (the contact's send time for inbound); display order and the 24-hour window use it. */
    providerAt: timestamp({ withTimezone: true }),
    /** Ingest order, breaking ties between messages in the same provider second. */
    seq: bigint({ mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    sentBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    /** Who wrote it: the contact, a member, a person on the business phone, a bot (integration or AI), the system. */
    author: messageAuthor().notNull(),
    attempts: integer().notNull().default(0),
    /**
     * The worker instance that moved the message to `sending` (it holds an advisory lock for its lifetime): once that
     * instance is gone, the send is known to be interrupted and is shown as uncertain at once.
     */
    claimedBy: text(),
    /** An outbound message waiting out a rate limit's back-off (decision 049): not sent before then. */
    sendAfter: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('whatsapp_messages_agency_id_id_key').on(t.agencyId, t.id),
    // The send queue (decision 049): a number's unsent messages in order, and a conversation's, to keep one in flight
    // per recipient. Only rows waiting or in flight are indexed, so both stay small whatever the history.
    index('whatsapp_messages_unsent_by_account_idx')
      .on(t.agencyId, t.accountId, t.seq)
      .where(sql`${t.direction} = 'outbound' and ${t.status} in ('queued', 'sending')`),
    index('whatsapp_messages_unsent_by_conversation_idx')
      .on(t.agencyId, t.conversationId, t.seq)
      .where(sql`${t.direction} = 'outbound' and ${t.status} in ('queued', 'sending')`),
    // Idempotency of inbound processing: a redelivered or re-batched message is the same row.
    unique('whatsapp_messages_provider_id_key').on(t.agencyId, t.accountId, t.providerMessageId),
    index('whatsapp_messages_agency_conversation_idx').on(t.agencyId, t.conversationId, t.providerAt, t.seq),
    index('whatsapp_messages_agency_status_idx').on(t.agencyId, t.status),
    foreignKey({
      name: 'whatsapp_messages_conversation_fk',
      columns: [t.agencyId, t.conversationId],
      foreignColumns: [whatsappConversations.agencyId, whatsappConversations.id],
    }).onDelete('cascade'),
    ...tenantPolicies('whatsapp_messages', t.agencyId),
  ],
)

/** Every status event as received (deduplicated); the message's status is the highest one reached. */
export const whatsappStatusEvents = pgTable(
  'whatsapp_status_events',
  {
    agencyId: uuid().notNull(),
    accountId: uuid().notNull(),
    providerMessageId: text().notNull(),
    status: messageStatus().notNull(),
    occurredAt: timestamp({ withTimezone: true }).notNull(),
    error: jsonb().$type<{ code: string; title?: string; details?: string }>(),
    correlationId: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({
      name: 'whatsapp_status_events_pkey',
      columns: [t.agencyId, t.accountId, t.providerMessageId, t.status],
    }),
    ...tenantPolicies('whatsapp_status_events', t.agencyId),
  ],
)

/** Per member: up to when they have read a conversation (unread = inbound messages after it). */
export const whatsappConversationReads = pgTable(
  'whatsapp_conversation_reads',
  {
    agencyId: uuid().notNull(),
    conversationId: uuid().notNull(),
    userId: uuid().notNull(),
    lastReadAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'whatsapp_conversation_reads_pkey', columns: [t.agencyId, t.conversationId, t.userId] }),
    foreignKey({
      name: 'whatsapp_conversation_reads_conversation_fk',
      columns: [t.agencyId, t.conversationId],
      foreignColumns: [whatsappConversations.agencyId, whatsappConversations.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'whatsapp_conversation_reads_member_fk',
      columns: [t.agencyId, t.userId],
      foreignColumns: [memberships.agencyId, memberships.userId],
    }).onDelete('cascade'),
    ...tenantPolicies('whatsapp_conversation_reads', t.agencyId),
  ],
)

/**
 * The sandbox provider's side of the line: deliveries its simulated contact makes (messages typed in the dev panel or
 * CLI, delivery and read receipts), picked up by the worker's poll like any pull-type provider's.
 */
export const whatsappSandboxInbox = pgTable(
  'whatsapp_sandbox_inbox',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    agencyId: uuid().notNull(),
    accountId: uuid().notNull(),
    body: jsonb().notNull(),
    availableAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    consumedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index('whatsapp_sandbox_inbox_agency_pending_idx')
      .on(t.agencyId, t.availableAt)
      .where(sql`consumed_at is null`),
    foreignKey({
      name: 'whatsapp_sandbox_inbox_account_fk',
      columns: [t.agencyId, t.accountId],
      foreignColumns: [whatsappAccounts.agencyId, whatsappAccounts.id],
    }).onDelete('cascade'),
    ...tenantPolicies('whatsapp_sandbox_inbox', t.agencyId),
  ],
)

/**
 * The message templates Meta holds for a number's business account (WABA), as last synced: what the composer offers
 * outside the 24-hour window. `body` is the BODY component's text with its {{n}} placeholders; `params` how many.
 */
export const whatsappTemplates = pgTable(
  'whatsapp_templates',
  {
    id: uuid().primaryKey().defaultRandom(),
    agencyId: uuid().notNull(),
    accountId: uuid().notNull(),
    name: text().notNull(),
    language: text().notNull(),
    category: text().notNull(),
    /** Meta's review state: APPROVED, PENDING, REJECTED, PAUSED, DISABLED… Only approved ones can be sent. */
    status: text().notNull(),
    body: text().notNull(),
    params: integer().notNull().default(0),
    components: jsonb().$type<unknown[]>().notNull(),
    syncedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('whatsapp_templates_key').on(t.agencyId, t.accountId, t.name, t.language),
    foreignKey({
      name: 'whatsapp_templates_account_fk',
      columns: [t.agencyId, t.accountId],
      foreignColumns: [whatsappAccounts.agencyId, whatsappAccounts.id],
    }).onDelete('cascade'),
    ...tenantPolicies('whatsapp_templates', t.agencyId),
  ],
)

/**
 * The conversation's control timeline (decision 019): every change of its controller or AI mode, shown in the thread
 * among the messages. Written only by services/conversation-control.ts.
 */
export const whatsappControlEvents = pgTable(
  'whatsapp_control_events',
  {
    id: uuid().primaryKey().defaultRandom(),
    agencyId: uuid().notNull(),
    conversationId: uuid().notNull(),
    fromController: conversationController().notNull(),
    toController: conversationController().notNull(),
    fromMode: aiMode().notNull(),
    toMode: aiMode().notNull(),
    reason: controlReason().notNull(),
    /** The person or integration who made the change; null for the system (an echo from the phone, the rule). */
    actorUserId: uuid().references(() => users.id, { onDelete: 'set null' }),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('whatsapp_control_events_agency_conversation_idx').on(t.agencyId, t.conversationId, t.at),
    foreignKey({
      name: 'whatsapp_control_events_conversation_fk',
      columns: [t.agencyId, t.conversationId],
      foreignColumns: [whatsappConversations.agencyId, whatsappConversations.id],
    }).onDelete('cascade'),
    ...tenantPolicies('whatsapp_control_events', t.agencyId),
  ],
)

/**
 * A conversation's own entries between its messages (issue 16's inbox): internal notes (never sent to the contact) and
 * status changes (who opened, parked or resolved it; the contact's message reopening it has no actor). A note's id is
 * the composer's, so sending it twice adds it once.
 */
export const whatsappConversationEntries = pgTable(
  'whatsapp_conversation_entries',
  {
    id: uuid().primaryKey().defaultRandom(),
    agencyId: uuid().notNull(),
    conversationId: uuid().notNull(),
    kind: conversationEntryKind().notNull(),
    /** The note's text; null for a status change. */
    body: text(),
    /** The status a change moved to; null for a note. */
    status: conversationStatus(),
    actorUserId: uuid().references(() => users.id, { onDelete: 'set null' }),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('whatsapp_conversation_entries_agency_conversation_idx').on(t.agencyId, t.conversationId, t.at),
    foreignKey({
      name: 'whatsapp_conversation_entries_conversation_fk',
      columns: [t.agencyId, t.conversationId],
      foreignColumns: [whatsappConversations.agencyId, whatsappConversations.id],
    }).onDelete('cascade'),
    ...tenantPolicies('whatsapp_conversation_entries', t.agencyId),
  ],
)

export const aiTurnOutcome = pgEnum('ai_turn_outcome', aiTurnOutcomes)

/**
 * Every AI turn executed on a conversation (decision 020): what the manager's AI view and the usage figures read.
 * `integrationId` is the external agent's principal, null for the built-in provider; `id` is the turn's own id (an
 * agent may choose it, so a retried turn acts once). Only ever added.
 */
export const aiTurns = pgTable(
  'ai_turns',
  {
    id: uuid().primaryKey().defaultRandom(),
    agencyId: uuid().notNull(),
    conversationId: uuid().notNull(),
    provider: aiProvider().notNull(),
    integrationId: uuid().references(() => users.id, { onDelete: 'set null' }),
    inReplyTo: uuid(),
    outcome: aiTurnOutcome().notNull(),
    /** The messages the turn queued, in order (a replayed turn answers with them). */
    messageIds: uuid()
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    actions: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    handoffReason: text(),
    /** From the inbound message the turn answers to the turn's execution. */
    latencyMs: integer(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('ai_turns_agency_at_idx').on(t.agencyId, t.at),
    index('ai_turns_agency_conversation_idx').on(t.agencyId, t.conversationId, t.at),
    foreignKey({
      name: 'ai_turns_conversation_fk',
      columns: [t.agencyId, t.conversationId],
      foreignColumns: [whatsappConversations.agencyId, whatsappConversations.id],
    }).onDelete('cascade'),
    ...tenantPolicies('ai_turns', t.agencyId),
  ],
)

export type WhatsappAccount = typeof whatsappAccounts.$inferSelect
export type WhatsappConversation = typeof whatsappConversations.$inferSelect
export type WhatsappMessage = typeof whatsappMessages.$inferSelect
export type WhatsappWebhookEvent = typeof whatsappWebhookEvents.$inferSelect
export type WhatsappTemplate = typeof whatsappTemplates.$inferSelect
