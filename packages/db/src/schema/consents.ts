import { sql } from 'drizzle-orm'
import { boolean, check, foreignKey, index, jsonb, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { consentBases, consentSources } from '../enums'
import { tenantPolicies } from './_rls'
import { clients } from './clients'
import { leads } from './leads'
import { users } from './users'

export const consentBasis = pgEnum('consent_basis', consentBases)
export const consentSource = pgEnum('consent_source', consentSources)

/**
 * A person's marketing permission over time (LGPD, decision 037): an append-only ledger per lead or client, written
 * only through services/consent.ts. The newest row is the current state; none means "never asked", which refuses
 * marketing like a revocation. Each row keeps the wording agreed to and what proves it (the inbound message, the
 * intake), so the agency can answer "when and how did this person agree?".
 */
export const contactConsents = pgTable(
  'contact_consents',
  {
    id: uuid().primaryKey().defaultRandom(),
    agencyId: uuid().notNull(),
    leadId: uuid(),
    clientId: uuid(),
    granted: boolean().notNull(),
    basis: consentBasis(),
    source: consentSource().notNull(),
    /** The text (or its version tag) the person agreed to; for a revocation, the words they used. */
    textVersion: text(),
    evidence: jsonb().$type<Record<string, string>>(),
    recordedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    recordedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('contact_consents_one_subject', sql`num_nonnulls(${t.leadId}, ${t.clientId}) = 1`),
    check('contact_consents_basis', sql`${t.granted} = (${t.basis} is not null)`),
    index('contact_consents_lead_idx').on(t.agencyId, t.leadId, t.recordedAt),
    index('contact_consents_client_idx').on(t.agencyId, t.clientId, t.recordedAt),
    foreignKey({
      name: 'contact_consents_lead_fk',
      columns: [t.agencyId, t.leadId],
      foreignColumns: [leads.agencyId, leads.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'contact_consents_client_fk',
      columns: [t.agencyId, t.clientId],
      foreignColumns: [clients.agencyId, clients.id],
    }).onDelete('cascade'),
    ...tenantPolicies('contact_consents', t.agencyId),
  ],
)

export type ContactConsent = typeof contactConsents.$inferSelect
