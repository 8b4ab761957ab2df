import {
  agencies,
  and,
  asc,
  desc,
  eq,
  inArray,
  isNull,
  leads,
  or,
  properties,
  sql,
  whatsappConversations,
  whatsappMessages,
  type DbOrTx,
} from '@impera/db'
import { decideRulesTurn, screenBurst, type RulesInput } from '../ai/rules-agent'
import { valuesOf, type QualificationQuestion, type QualificationValues } from '../ai/qualification'
import { AppError } from '../errors'
import { emitAsSystem } from '../events'
import type { TTurnMessage } from '../schemas'
import {
  answered,
  botRepliedSince,
  burstSince,
  executeTurn,
  latestInbound,
  leadSummary,
  type TurnResult,
} from './agent-turns'
import { handOverToHuman, optOutOfBot, systemAuthor } from './conversation-control'
import { qualificationOf } from './qualification'
import { newLeadAssignee } from './whatsapp-pipeline'

/**
 * The worker's AI step for a conversation in `auto` (decision 020), run after the contact's burst of messages settles
 * (the job is debounced per conversation). With the built-in `rules` provider it decides and executes a turn; with an
 * `external` agent it is the deadline: if the agent has not answered the newest message by then, a person gets the
 * conversation. Either way a conversation a person took over, or whose contact opted out, is left alone.
 */
export type AiStepOutcome =
  | { kind: 'skipped'; why: 'not_bot' | 'answered' | 'nothing_new' }
  | { kind: 'opted_out' }
  | { kind: 'deadline_handoff' }
  | { kind: 'waiting_external' }
  | { kind: 'turn'; result: TurnResult }
  | { kind: 'stale' }

export async function runAiStep(
  db: DbOrTx,
  { agencyId, conversationId }: { agencyId: string; conversationId: string },
): Promise<AiStepOutcome> {
  const [conversation] = await db
    .select()
    .from(whatsappConversations)
    .where(and(eq(whatsappConversations.agencyId, agencyId), eq(whatsappConversations.id, conversationId)))
    .for('update')
  if (!conversation || conversation.controller !== 'bot' || conversation.aiMode !== 'auto' || conversation.optedOutAt)
    return { kind: 'skipped', why: 'not_bot' }
  const latest = await latestInbound(db, agencyId, conversationId)
  if (!latest) return { kind: 'skipped', why: 'nothing_new' }
  const [agency] = await db.select().from(agencies).where(eq(agencies.id, agencyId))
  const who = systemAuthor(agencyId, 'ai')

  if (agency!.aiProvider === 'external') {
    if (await botRepliedSince(db, agencyId, conversationId, latest.seq)) return { kind: 'skipped', why: 'answered' }
    const waited = Date.now() - latest.createdAt.getTime()
    if (waited < agency!.aiTurnDeadlineSeconds * 1000) return { kind: 'waiting_external' }
    await handOverToHuman(db, who, {
      conversationId,
      reason: 'turn_deadline',
      why: 'o agente externo não respondeu a tempo',
      summary: await leadSummary(db, agencyId, conversation.leadId),
      pickAssignee: () => newLeadAssignee(db, agencyId),
    })
    return { kind: 'deadline_handoff' }
  }

  if (await answered(db, agencyId, conversationId, latest.id)) return { kind: 'skipped', why: 'answered' }
  const { input, known } = await rulesInputFor(db, agency!, conversation)
  const decision = decideRulesTurn(input)
  if (decision.kind === 'opt_out') {
    await optOutOfBot(db, who, { conversationId })
    return { kind: 'opted_out' }
  }
  const messages: TTurnMessage[] = [...decision.messages]
  if (decision.offerProperties)
    for (const id of await matchingListings(db, agencyId, merge(known, decision.found), 3 - messages.length))
      messages.push({ type: 'property', propertyId: id })
  try {
    const result = await executeTurn({ db, agencyId, provider: 'rules', userId: null, ip: null }, conversationId, {
      inReplyTo: latest.id,
      messages,
      actions: {
        ...(Object.keys(decision.found).length ? { qualification: decision.found } : {}),
        ...(decision.handoff
          ? { handoff: { reason: decision.handoff.reason, summary: decision.handoff.summary ?? undefined } }
          : {}),
      },
    })
    await db
      .update(whatsappConversations)
      .set({
        aiAsked: decision.asks ? [...conversation.aiAsked, decision.asks] : conversation.aiAsked,
        aiUnanswered: decision.unanswered,
      })
      .where(and(eq(whatsappConversations.agencyId, agencyId), eq(whatsappConversations.id, conversationId)))
    return { kind: 'turn', result }
  } catch (e) {
    if (e instanceof AppError && e.meta?.reason === 'stale_turn') return { kind: 'stale' }
    // Outside the 24-hour window the bot has nothing it may say: a person takes it from here.
    if (e instanceof AppError && e.meta?.reason === 'window_closed') {
      await handOverToHuman(db, who, {
        conversationId,
        reason: 'bot_handoff',
        why: 'janela de 24 horas fechada',
        summary: await leadSummary(db, agencyId, conversation.leadId),
        pickAssignee: () => newLeadAssignee(db, agencyId),
      })
      return { kind: 'deadline_handoff' }
    }
    throw e
  }
}

/**
 * What the rules agent reads for a conversation: the contact's messages since anyone last wrote to them, what is known
 * of the lead, the questions asked, and the agency's places, phrases and words. Shared by the agent's step and the
 * assist drafts, so a draft is exactly what the bot would have said.
 */
export async function rulesInputFor(
  db: DbOrTx,
  agency: typeof agencies.$inferSelect,
  conversation: typeof whatsappConversations.$inferSelect,
): Promise<{ input: RulesInput; known: QualificationValues }> {
  const agencyId = agency.id
  const conversationId = conversation.id
  const burst = await burstSince(db, agencyId, conversationId)
  const texts = burst.flatMap((m) => (m.body && (m.type === 'text' || m.type === 'interactive') ? [m.body] : []))
  const [lead] = conversation.leadId
    ? await db
        .select()
        .from(leads)
        .where(and(eq(leads.agencyId, agencyId), eq(leads.id, conversation.leadId)))
    : []
  const known = lead ? valuesOf(qualificationOf(lead)) : {}
  const [bot] = await db
    .select({ id: whatsappMessages.id })
    .from(whatsappMessages)
    .where(
      and(
        eq(whatsappMessages.agencyId, agencyId),
        eq(whatsappMessages.conversationId, conversationId),
        eq(whatsappMessages.direction, 'outbound'),
      ),
    )
    .limit(1)
  return {
    known,
    input: {
      texts,
      known,
      asked: conversation.aiAsked as QualificationQuestion[],
      unanswered: conversation.aiUnanswered,
      firstTurn: !bot,
      contactName: conversation.contactName ?? lead?.name ?? null,
      agencyName: agency.name,
      knownPlaces: await agencyPlaces(db, agencyId),
      handoffPhrases: agency.aiHandoffPhrases,
      optOutWords: agency.aiOptOutWords,
    },
  }
}

function merge(a: QualificationValues, b: QualificationValues): QualificationValues {
  return { ...a, ...b }
}

/** The agency's neighbourhoods and cities, as its listings spell them: what the extractor recognises as places. */
async function agencyPlaces(db: DbOrTx, agencyId: string): Promise<string[]> {
  const rows = await db.execute<{ place: string }>(sql`
    select distinct place from (
      select neighbourhood as place from properties where agency_id = ${agencyId} and deleted_at is null
      union all
      select city from properties where agency_id = ${agencyId} and deleted_at is null
    ) p where place is not null and place <> '' limit 2000`)
  return rows.map((r) => r.place)
}

/**
 * Available listings that fit what the lead wants: the purpose, a type and a place it named, within budget; the
 * closest to the budget first. A plain query on purpose: the bot offers a start, the agent the full matching.
 */
async function matchingListings(db: DbOrTx, agencyId: string, v: QualificationValues, limit: number) {
  if (limit <= 0 || !v.purpose) return []
  const price = v.purpose === 'rent' ? properties.rentPrice : properties.salePrice
  const rows = await db
    .select({ id: properties.id })
    .from(properties)
    .where(
      and(
        eq(properties.agencyId, agencyId),
        isNull(properties.deletedAt),
        eq(properties.status, 'available'),
        sql`${properties.purpose} in (${v.purpose === 'rent' ? 'rent' : 'sale'}, 'both')`,
        sql`${price} is not null`,
        v.budgetMax !== undefined ? sql`${price} <= ${v.budgetMax}` : undefined,
        v.propertyTypes?.length ? inArray(properties.type, v.propertyTypes) : undefined,
        v.locations?.length
          ? or(inArray(properties.neighbourhood, v.locations), inArray(properties.city, v.locations))
          : undefined,
        v.minBedrooms !== undefined ? sql`coalesce(${properties.bedrooms}, 0) >= ${v.minBedrooms}` : undefined,
      ),
    )
    .orderBy(desc(price), asc(properties.id))
    .limit(Math.min(limit, 2))
  return rows.map((r) => r.id)
}

/**
 * Asks the external agent for its turn (decision 020), once the contact's burst settled: a `conversation.turn_requested`
 * event (its webhook goes to the agent's endpoint) with the burst, the message to answer and the deadline. Nothing when
 * the bot no longer answers the conversation, the agency's agent is the built-in one, or a reply already followed.
 */
export async function requestExternalTurn(
  db: DbOrTx,
  { agencyId, conversationId }: { agencyId: string; conversationId: string },
): Promise<{ requested: boolean }> {
  const [conversation] = await db
    .select()
    .from(whatsappConversations)
    .where(and(eq(whatsappConversations.agencyId, agencyId), eq(whatsappConversations.id, conversationId)))
  const [agency] = await db.select().from(agencies).where(eq(agencies.id, agencyId))
  if (
    !conversation ||
    agency?.aiProvider !== 'external' ||
    conversation.controller !== 'bot' ||
    conversation.aiMode !== 'auto' ||
    conversation.optedOutAt
  )
    return { requested: false }
  const latest = await latestInbound(db, agencyId, conversationId)
  if (!latest || (await botRepliedSince(db, agencyId, conversationId, latest.seq))) return { requested: false }
  const burst = await burstSince(db, agencyId, conversationId)
  // The agency's words apply to an external agent too: an opt-out stops it, a handoff phrase goes to a person, and
  // the agent is not asked at all.
  const screened = screenBurst(
    burst.flatMap((m) => (m.body ? [m.body] : [])),
    { handoffPhrases: agency.aiHandoffPhrases, optOutWords: agency.aiOptOutWords },
  )
  const who = systemAuthor(agencyId, 'ai')
  if (screened === 'opt_out') {
    await optOutOfBot(db, who, { conversationId })
    return { requested: false }
  }
  if (screened === 'handoff') {
    await handOverToHuman(db, who, {
      conversationId,
      reason: 'bot_handoff',
      why: 'pediu para falar com uma pessoa',
      summary: await leadSummary(db, agencyId, conversation.leadId),
      pickAssignee: () => newLeadAssignee(db, agencyId),
    })
    return { requested: false }
  }
  await emitAsSystem(db, agencyId, 'ai', {
    type: 'conversation.turn_requested',
    conversationId,
    inReplyTo: latest.id,
    messageIds: burst.map((m) => m.id),
    deadlineAt: new Date(latest.createdAt.getTime() + agency.aiTurnDeadlineSeconds * 1000).toISOString(),
  })
  return { requested: true }
}
