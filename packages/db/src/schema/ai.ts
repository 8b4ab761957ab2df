import { sql } from 'drizzle-orm'
import { boolean, foreignKey, index, integer, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { aiCallOutcomes } from '../enums'
import { tenantPolicies } from './_rls'
import { agencies } from './agencies'

/**
 * The language model an agency's AI agent uses when its provider is `openai_compatible` (decision 021): where its
 * chat-completions API lives, which model, and the key, sealed with SECRETS_KEY like the WhatsApp credentials and
 * never returned (only its last characters, so a manager can tell keys apart). A table of its own, not agency columns,
 * so no read of the agency (its settings page, the audit diff) ever carries the sealed key. No key: servers that ask
 * none (a local Ollama).
 */
export const agencyAiModels = pgTable(
  'agency_ai_models',
  {
    agencyId: uuid()
      .primaryKey()
      .references(() => agencies.id, { onDelete: 'cascade' }),
    baseUrl: text().notNull(),
    model: text().notNull(),
    apiKeyEnc: text(),
    apiKeyHint: text(),
    /** Per attempt; a call is tried twice at most, so a turn waits at most twice this. */
    timeoutMs: integer().notNull().default(20_000),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [...tenantPolicies('agency_ai_models', t.agencyId)],
)

export const aiCallOutcome = pgEnum('ai_call_outcome', aiCallOutcomes)

/**
 * Every call to an agency's language model (decision 021): what the usage figures managers see are made of (calls,
 * tokens, latency, failures). `conversationId` is null for a manager's connection test. Only ever added.
 */
export const aiCalls = pgTable(
  'ai_calls',
  {
    id: uuid().primaryKey().defaultRandom(),
    agencyId: uuid().notNull(),
    conversationId: uuid(),
    model: text().notNull(),
    outcome: aiCallOutcome().notNull(),
    /** 1, or 2 when the first attempt timed out or met a 5xx/429 and was retried. */
    attempts: integer().notNull(),
    httpStatus: integer(),
    promptTokens: integer(),
    completionTokens: integer(),
    latencyMs: integer().notNull(),
    /** What went wrong, cleaned and cut, for the manager's view. */
    error: text(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('ai_calls_agency_at_idx').on(t.agencyId, t.at),
    foreignKey({ name: 'ai_calls_agency_fk', columns: [t.agencyId], foreignColumns: [agencies.id] }).onDelete(
      'cascade',
    ),
    ...tenantPolicies('ai_calls', t.agencyId),
  ],
)

export type AgencyAiModel = typeof agencyAiModels.$inferSelect
export type AiCall = typeof aiCalls.$inferSelect

/**
 * The agency's frequently asked questions (decision 021): what the AI agent may answer on its own (pets allowed? the
 * office's hours? is a guarantor needed?). The rules agent matches the contact's words against the keywords (or the
 * question's words when none are given); a language model gets the entries in its context.
 */
export const aiFaqEntries = pgTable(
  'ai_faq_entries',
  {
    id: uuid().primaryKey().defaultRandom(),
    agencyId: uuid()
      .notNull()
      .references(() => agencies.id, { onDelete: 'cascade' }),
    question: text().notNull(),
    answer: text().notNull(),
    keywords: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    enabled: boolean().notNull().default(true),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('ai_faq_entries_agency_idx').on(t.agencyId, t.createdAt),
    ...tenantPolicies('ai_faq_entries', t.agencyId),
  ],
)

export type AiFaqEntry = typeof aiFaqEntries.$inferSelect
