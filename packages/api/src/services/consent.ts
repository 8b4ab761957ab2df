import {
  agencies,
  and,
  contactConsents,
  desc,
  eq,
  or,
  sql,
  whatsappConversations,
  whatsappTemplates,
  type DbOrTx,
} from '@impera/db'
import type { consentBases, consentSources } from '@impera/db/enums'
import { foldPhrase } from '../ai/fold'
import type { AgencyCtx } from '../ctx'
import { AppError } from '../errors'
import type { ConsentFilter, TConsentSubjectInput, TRecordConsentInput } from '../schemas'
import type { SQL } from 'drizzle-orm'
import type { AnyPgColumn } from 'drizzle-orm/pg-core'
import { auditAs, type AuditAuthor } from './audit'
import { getEditableClient, getVisibleClient } from './clients'
import { getEditableLead, getVisibleLead } from './leads'
import { memoRead } from '../read-memo'

/**
 * A person's marketing permission under the LGPD (issue 17, decision 037): the one owner of `contact_consents`. Every
 * path that records a grant or a revocation comes through `recordConsent` — a member in the lead or client page, the
 * lead intake's consent box, a contact's opt-out or opt-in word on WhatsApp — and every marketing send asks
 * `assertMarketingAllowed` before anything goes out.
 */

export type ConsentSubject = { leadId: string; clientId?: undefined } | { clientId: string; leadId?: undefined }
export type ConsentBasis = (typeof consentBases)[number]
export type ConsentSource = (typeof consentSources)[number]

export interface ConsentChange {
  granted: boolean
  basis?: ConsentBasis | null
  source: ConsentSource
  textVersion?: string | null
  evidence?: Record<string, string> | null
}

/** Words a contact sends alone to ask for marketing again after opting out (accents and case aside). */
export const OPT_IN_WORDS = ['voltar', 'start', 'quero receber', 'aceito receber'] as const

const subjectWhere = (agencyId: string, s: ConsentSubject) =>
  and(
    eq(contactConsents.agencyId, agencyId),
    s.leadId ? eq(contactConsents.leadId, s.leadId) : eq(contactConsents.clientId, s.clientId!),
  )

/** Appends one grant or revocation (audited as whoever recorded it; the system for a contact's own WhatsApp word). */
export async function recordConsent(db: DbOrTx, who: AuditAuthor, subject: ConsentSubject, change: ConsentChange) {
  const basis = change.granted ? (change.basis ?? 'consent') : null
  const [row] = await db
    .insert(contactConsents)
    .values({
      agencyId: who.agencyId,
      leadId: subject.leadId ?? null,
      clientId: subject.clientId ?? null,
      granted: change.granted,
      basis,
      source: change.source,
      textVersion: change.textVersion ?? null,
      evidence: change.evidence ?? null,
      recordedBy: who.actorUserId,
    })
    .returning()
  await auditAs(db, who, change.granted ? 'consent.grant' : 'consent.revoke', {
    entity: subject.leadId ? 'lead' : 'client',
    entityId: subject.leadId ?? subject.clientId,
    after: { basis, source: change.source, textVersion: change.textVersion ?? null },
  })
  return row!
}

/** One created record's answer in a spreadsheet's consent column, and its row. */
export type ImportedConsent = ({ leadId: string } | { clientId: string }) & { granted: boolean; row: number }

/**
 * What a spreadsheet's consent column said about the leads or clients an import created (decision 037): one set-based insert per
 * batch, source `import`, the file named as the wording's source and the row as evidence. The import itself is the
 * audited operation (one entry, not one per lead).
 */
export async function importConsents(
  w: { db: DbOrTx; agencyId: string; actorUserId: string | null },
  from: { importId: string; fileName: string },
  rows: ImportedConsent[],
) {
  if (!rows.length) return
  await w.db.insert(contactConsents).values(
    rows.map((r) => ({
      agencyId: w.agencyId,
      ...('leadId' in r ? { leadId: r.leadId } : { clientId: r.clientId }),
      granted: r.granted,
      basis: r.granted ? ('consent' as const) : null,
      source: 'import' as const,
      textVersion: `Planilha ${from.fileName}`.slice(0, 500),
      evidence: { importId: from.importId, row: String(r.row) },
      recordedBy: w.actorUserId,
    })),
  )
}

/** The record's consent ledger, newest first. */
export async function consentLedger(db: DbOrTx, agencyId: string, subject: ConsentSubject) {
  return db
    .select()
    .from(contactConsents)
    .where(subjectWhere(agencyId, subject))
    .orderBy(desc(contactConsents.recordedAt), desc(contactConsents.id))
    .limit(100)
}

export type ConsentStatus = 'granted' | 'revoked' | 'unknown'

/**
 * The lists' consent filter (leads, clients; the app and the public API): the record's own newest ledger entry, as
 * getConsent reads it — through the ledger's (agency, record, recorded_at) index, one probe per row.
 */
export function consentFilter(
  record: { agencyId: AnyPgColumn; id: AnyPgColumn },
  kind: 'lead' | 'client',
  value: ConsentFilter | undefined,
): SQL | undefined {
  if (!value) return undefined
  const column = sql.raw(kind === 'lead' ? 'lead_id' : 'client_id')
  if (value === 'none')
    return sql`not exists (select 1 from contact_consents c where c.agency_id = ${record.agencyId} and c.${column} = ${record.id})`
  return sql`(select c.granted from contact_consents c where c.agency_id = ${record.agencyId} and c.${column} = ${record.id}
    order by c.recorded_at desc, c.id desc limit 1) is ${sql.raw(value === 'granted' ? 'true' : 'false')}`
}

function statusOf(latest: { granted: boolean } | undefined): ConsentStatus {
  return !latest ? 'unknown' : latest.granted ? 'granted' : 'revoked'
}

/** The lead or client page's LGPD card: the current state and how it came to be. */
export async function getConsent(ctx: AgencyCtx, input: TConsentSubjectInput) {
  const subject = await visibleSubject(ctx, input)
  const history = await consentLedger(ctx.db, ctx.actor.agencyId, subject)
  return { status: statusOf(history[0]), current: history[0] ?? null, history }
}

/** A member records what the person said (on the phone, on paper, in the office). */
export async function setConsent(ctx: AgencyCtx, input: TRecordConsentInput) {
  const subject = input.leadId ? { leadId: input.leadId } : { clientId: input.clientId! }
  if (subject.leadId) await getEditableLead(ctx, subject.leadId)
  else await getEditableClient(ctx, subject.clientId!)
  const row = await recordConsent(ctx.db, who(ctx), subject, {
    granted: input.granted,
    basis: input.granted ? input.basis : null,
    source: ctx.actor.integration ? 'api' : 'ui',
    textVersion: input.textVersion,
  })
  return { status: statusOf(row), current: row }
}

async function visibleSubject(ctx: AgencyCtx, input: TConsentSubjectInput): Promise<ConsentSubject> {
  if (input.leadId) {
    await getVisibleLead(ctx, input.leadId)
    return { leadId: input.leadId }
  }
  await getVisibleClient(ctx, input.clientId!)
  return { clientId: input.clientId! }
}

function who(ctx: AgencyCtx): AuditAuthor {
  return { agencyId: ctx.actor.agencyId, actorUserId: ctx.actor.userId, ip: ctx.actor.ip }
}

const system = (agencyId: string): AuditAuthor => ({ agencyId, actorUserId: null, ip: null })

interface ConversationLinks {
  id: string
  agencyId: string
  leadId: string | null
  clientId: string | null
  optedOutAt: Date | null
}

function linkedSubjects(c: ConversationLinks): ConsentSubject[] {
  return [
    ...(c.leadId ? [{ leadId: c.leadId }] : []),
    ...(c.clientId ? [{ clientId: c.clientId }] : []),
  ] as ConsentSubject[]
}

/**
 * The contact sent an opt-out word on WhatsApp: the lead and client the conversation is linked to record the
 * revocation, with the message as evidence (unless their newest word already is one), and — unless `keepBot` — the
 * conversation remembers it, which also stops the bot for good (decision 020).
 */
export async function noteWhatsappOptOut(
  db: DbOrTx,
  conversation: ConversationLinks,
  evidence: { messageId?: string; word?: string } = {},
  { keepBot = false }: { keepBot?: boolean } = {},
) {
  if (!keepBot)
    await db
      .update(whatsappConversations)
      .set({ optedOutAt: conversation.optedOutAt ?? new Date() })
      .where(
        and(eq(whatsappConversations.agencyId, conversation.agencyId), eq(whatsappConversations.id, conversation.id)),
      )
  for (const subject of linkedSubjects(conversation)) {
    const [latest] = await consentLedger(db, conversation.agencyId, subject)
    if (latest && !latest.granted) continue
    await recordConsent(db, system(conversation.agencyId), subject, {
      granted: false,
      source: 'whatsapp',
      textVersion: evidence.word ?? null,
      evidence: { conversationId: conversation.id, ...(evidence.messageId ? { messageId: evidence.messageId } : {}) },
    })
  }
}

/**
 * A contact's own words on WhatsApp: a message that is only an opt-out word (the agency's list) revokes marketing at
 * once — in a conversation the bot answers too, whose step then stops the bot; one that is only an opt-in word grants
 * it again (basis: consent), but only from someone who opted out on WhatsApp before, so an everyday "voltar" from
 * anyone else is just a message. Only short texts are read, so an ordinary message costs no query.
 */
export async function noteConsentWords(
  db: DbOrTx,
  conversation: ConversationLinks,
  message: { id: string; text: string | null },
  { botAnswers }: { botAnswers: boolean },
): Promise<'opt_out' | 'opt_in' | null> {
  if (!message.text || message.text.length > 40) return null
  const folded = foldPhrase(message.text)
  if (!folded) return null
  if ((OPT_IN_WORDS as readonly string[]).includes(folded)) {
    if (!conversation.optedOutAt) return null
    await db
      .update(whatsappConversations)
      .set({ optedOutAt: null })
      .where(
        and(eq(whatsappConversations.agencyId, conversation.agencyId), eq(whatsappConversations.id, conversation.id)),
      )
    for (const subject of linkedSubjects(conversation))
      await recordConsent(db, system(conversation.agencyId), subject, {
        granted: true,
        basis: 'consent',
        source: 'whatsapp',
        textVersion: message.text.trim(),
        evidence: { conversationId: conversation.id, messageId: message.id },
      })
    return 'opt_in'
  }
  const [agency] = await memoRead(`opt-out-words:${conversation.agencyId}`, () =>
    db.select({ words: agencies.aiOptOutWords }).from(agencies).where(eq(agencies.id, conversation.agencyId)),
  )
  if (!agency?.words.map(foldPhrase).includes(folded)) return null
  // The bot's step opts its conversation out with its control change; marketing stops now either way.
  await noteWhatsappOptOut(
    db,
    conversation,
    { messageId: message.id, word: message.text.trim() },
    { keepBot: botAnswers },
  )
  return 'opt_out'
}

/**
 * What a conversation's contact allows now: the newest of its linked records' ledger rows and its own opt-out (an
 * opt-out word from a number not linked to any record yet still counts).
 */
export async function conversationConsent(db: DbOrTx, conversation: ConversationLinks): Promise<ConsentStatus> {
  const subjects = linkedSubjects(conversation)
  const [latest] = subjects.length
    ? await db
        .select({ granted: contactConsents.granted, at: contactConsents.recordedAt })
        .from(contactConsents)
        .where(
          and(
            eq(contactConsents.agencyId, conversation.agencyId),
            or(
              conversation.leadId ? eq(contactConsents.leadId, conversation.leadId) : undefined,
              conversation.clientId ? eq(contactConsents.clientId, conversation.clientId) : undefined,
            ),
          ),
        )
        .orderBy(desc(contactConsents.recordedAt), desc(contactConsents.id))
        .limit(1)
    : []
  if (conversation.optedOutAt && (!latest || latest.at <= conversation.optedOutAt)) return 'revoked'
  return statusOf(latest)
}

/**
 * Whether a template needs the contact's marketing consent: WhatsApp's own category, as synced — and one not synced
 * (its category unknown here) is held to the marketing rule, the LGPD side of the doubt (decision 046).
 */
export async function isMarketingTemplate(
  db: DbOrTx,
  agencyId: string,
  t: { accountId: string; name: string; language: string },
) {
  const [row] = await db
    .select({ category: whatsappTemplates.category })
    .from(whatsappTemplates)
    .where(
      and(
        eq(whatsappTemplates.agencyId, agencyId),
        eq(whatsappTemplates.accountId, t.accountId),
        eq(whatsappTemplates.name, t.name),
        eq(whatsappTemplates.language, t.language),
      ),
    )
  return needsMarketingConsent(row?.category)
}

/**
 * Whether a template of this category (WhatsApp's own classification, as synced) needs marketing consent: a marketing
 * one does, and so does one not synced yet, whose category is unknown here (decision 046).
 */
export function needsMarketingConsent(category: string | null | undefined) {
  return category == null || category.toUpperCase() === 'MARKETING'
}

/**
 * Refuses a marketing send (422) to a contact who never agreed or took it back, naming which; `field` is where the
 * form shows it. Service messages (utility templates, replies in the 24-hour window) need no marketing consent.
 */
export async function assertMarketingAllowed(db: DbOrTx, conversation: ConversationLinks, field: string) {
  const status = await conversationConsent(db, conversation)
  if (status === 'granted') return
  const reason = status === 'revoked' ? 'consent_revoked' : 'consent_missing'
  const message = status === 'revoked' ? 'consent.errors.revoked' : 'consent.errors.missing'
  throw new AppError('INVALID_INPUT', reason, {
    userMessage: message,
    meta: { fields: { [field]: [message] }, reason },
  })
}
