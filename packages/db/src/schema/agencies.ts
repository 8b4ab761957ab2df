import { sql } from 'drizzle-orm'
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgPolicy,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core'
import { appPlatform, appRls, currentAgencyId, currentUserId, imperaApp } from './_rls'
import { agencyStatuses, aiModes, aiProviders } from '../enums'

export const agencyStatus = pgEnum('agency_status', agencyStatuses)
/** A WhatsApp conversation's AI mode (decision 019); also the default of a number and of the agency. */
export const aiMode = pgEnum('ai_mode', aiModes)
export const aiProvider = pgEnum('ai_provider', aiProviders)

/** The tenant itself. Members read and (managers) update their own agency; platform staff manage all of them. */
export const agencies = pgTable(
  'agencies',
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    slug: text().notNull().unique(),
    status: agencyStatus().notNull().default('active'),
    locale: text().notNull().default('pt-BR'),
    currency: text().notNull().default('BRL'),
    defaultPhoneCountry: text().notNull().default('BR'),
    timezone: text().notNull().default('America/Sao_Paulo'),
    agentsSeeAll: boolean().notNull().default(false),
    /**
     * Lead distribution (decision 027): a lead that came for a listing goes first to the listing's agent; a new lead
     * must be contacted within this many business minutes or it moves to the next in line (null: no SLA).
     */
    distributionListingAgent: boolean().notNull().default(true),
    distributionSlaMinutes: integer(),
    /** A new lead with no contact after this many hours needs attention (dashboard, notification). */
    contactSlaHours: integer().notNull().default(2),
    /** A reserved property with no update for this many days needs attention. */
    staleReservedDays: integer().notNull().default(14),
    /**
     * The agency's professional registration, shown where clients see the agency (the shared listing page): in Brazil
     * the CRECI ("CRECI/SP 12345-J"), elsewhere the local broker licence. Null: none given.
     */
    licenseNumber: text(),
    /**
     * The agency's identity (issue 18): its colour as #rrggbb (the app's primary colour, adjusted for contrast by
     * @impera/api/branding) and its logo's key in the file store (`<agency>/branding/logo-<uuid>.png`, public by
     * design: it is on the shared listing page). Null: Impera's own.
     */
    brandColor: text(),
    logoKey: text(),
    /** When a manager put away the new agency's "first steps" checklist (it also goes once every step is done). */
    onboardingDismissedAt: timestamp({ withTimezone: true }),
    /** Platform staff asked for the agency's deletion (decision 040): suspended meanwhile, then gone with everything. */
    deletionRequestedAt: timestamp({ withTimezone: true }),
    /** A person's first WhatsApp reply to a `new` lead moves it to `contacted` (recorded as such); agencies may opt out. */
    contactedOnFirstReply: boolean().notNull().default(true),
    /**
     * The approved WhatsApp template (name and language) that confirms a visit with its contact the day before
     * (decision 026); null: visits are not confirmed by WhatsApp.
     */
    visitConfirmationTemplate: text(),
    visitConfirmationLanguage: text(),
    /** The AI mode of WhatsApp conversations whose number sets none (decision 019). */
    aiMode: aiMode().notNull().default('off'),
    /** A conversation a person took over returns to the AI after this many hours without a human reply; null = never. */
    aiReturnAfterHours: integer(),
    /**
     * The agency's opening hours per weekday (`mon`…`sun`, each a list of `HH:MM-HH:MM` in its time zone; none =
     * closed), and whether the return rule counts only those hours ("2 horas úteis": taken over on Friday at 17:30,
     * back to the AI on Monday at 10:30, not on Friday night).
     */
    businessHours: jsonb()
      .$type<Record<'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun', string[]>>()
      .notNull()
      .default(
        sql`'{"mon":["09:00-18:00"],"tue":["09:00-18:00"],"wed":["09:00-18:00"],"thu":["09:00-18:00"],"fri":["09:00-18:00"],"sat":["09:00-13:00"],"sun":[]}'::jsonb`,
      ),
    aiReturnBusinessHours: boolean().notNull().default(false),
    /**
     * The AI agent's settings (decision 020): who answers in `auto`, how long an external agent may take before a
     * person gets the conversation, the phrases that hand over at once and the words that opt the contact out, the
     * loop guards (bot messages in a row, per minute) and the pause that makes a burst of messages one turn.
     */
    aiProvider: aiProvider().notNull().default('rules'),
    aiTurnDeadlineSeconds: integer().notNull().default(120),
    aiHandoffPhrases: text()
      .array()
      .notNull()
      .default(
        sql`'{falar com corretor,falar com um corretor,atendente,humano,falar com uma pessoa,pessoa de verdade}'::text[]`,
      ),
    aiOptOutWords: text()
      .array()
      .notNull()
      .default(sql`'{sair,parar,pare,cancelar,descadastrar,stop}'::text[]`),
    aiMaxBotStreak: integer().notNull().default(8),
    aiMaxBotPerMinute: integer().notNull().default(6),
    aiDebounceMs: integer().notNull().default(1500),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('agencies_status_idx').on(t.status),
    check('agencies_brand_color', sql`${t.brandColor} ~ '^#[0-9a-f]{6}$'`),
    pgPolicy('agencies_member_select', {
      for: 'select',
      to: appRls,
      using: sql`${t.id} = ${currentAgencyId} or ${t.id} in (select m.agency_id from memberships m where m.user_id = ${currentUserId})`,
    }),
    pgPolicy('agencies_member_update', {
      for: 'update',
      to: appRls,
      using: sql`${t.id} = ${currentAgencyId}`,
      withCheck: sql`${t.id} = ${currentAgencyId}`,
    }),
    pgPolicy('agencies_platform_all', { for: 'all', to: appPlatform, using: sql`true`, withCheck: sql`true` }),
    // Sign-in must know whether an agency is suspended before any tenant context exists.
    pgPolicy('agencies_system_select', { for: 'select', to: imperaApp, using: sql`true` }),
  ],
)

export type Agency = typeof agencies.$inferSelect
