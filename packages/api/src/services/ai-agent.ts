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
  withAgency,
  type Db,
  type DbOrTx,
} from '@impera/db'
import type { AiProvider } from '@impera/db/enums'
import type { ChatResult } from '../ai/language-model'
import { modelTurnRequest, parseModelTurn, type ModelTurnContext } from '../ai/model-turn'
import { answered as isAnswered } from '../ai/next-question'
import {
  qualificationQuestions,
  valuesOf,
  type QualificationQuestion,
  type QualificationValues,
} from '../ai/qualification'
import { decideRulesTurn, screenBurst, type RulesInput } from '../ai/rules-agent'
import { AppError } from '../errors'
import { emitAsSystem } from '../events'
import type { TAgentTurn, TTurnMessage } from '../schemas'
import {
  answered,
  botRepliedSince,
  burstSince,
  executeTurn,
  latestInbound,
  leadSummary,
  type TurnResult,
} from './agent-turns'
import { faqForAgent } from './ai-faq'
import { agencyModel, recordAiCall, type ModelRuntime } from './ai-model'
import { handOverToHuman, optOutOfBot, systemAuthor } from './conversation-control'
import { qualificationOf } from './qualification'
import { distributeLead } from './distribution'
import { asSystem } from './lead-facts'

/**
 * The worker's AI step for a conversation in `auto` (decisions 020, 021), run after the contact's burst of messages
 * settles (the job is debounced per conversation). With the built-in `rules` provider it decides and executes a turn;
 * with a language model it asks the model and executes its turn; with an `external` agent it is the deadline: if the
 * agent has not answered the newest message by then, a person gets the conversation. Either way a conversation a
 * person took over, or whose contact opted out, is left alone.
 */
export type AiStepOutcome =
  | { kind: 'skipped'; why: 'not_bot' | 'answered' | 'nothing_new' }
  | { kind: 'opted_out' }
  | { kind: 'deadline_handoff' }
  | { kind: 'waiting_external' }
  | { kind: 'turn'; result: TurnResult; provider: AiProvider }
  | { kind: 'stale' }
  /** The model gave no usable answer (after its one retry): a person takes the conversation. */
  | { kind: 'model_handoff'; outcome: string }

/** What the step needs besides the pool: the sealed keys' box and where model URLs may point. */
export interface AiRunnerCtx {
  db: Db
  models: ModelRuntime
  /** Pause before a model call's second attempt (tests shorten it). */
  retryDelayMs?: number
}

/** A model's turn to ask for: decided in the first transaction, asked with none open, executed in a second one. */
interface ModelPending {
  kind: 'model'
  inReplyTo: string
  context: ModelTurnContext
}

type Scope = { agencyId: string; conversationId: string }

/**
 * The step. A language model can take seconds to answer, and the first transaction holds the conversation's lock, so
 * the model is called between two transactions: the second locks the conversation again and executes the turn only
 * if the bot still controls it and no newer message arrived (what `executeTurn` checks for any producer). A person who
 * takes over while the model thinks wins; the model's answer is dropped.
 */
export async function runAiStep(ctx: AiRunnerCtx, scope: Scope): Promise<AiStepOutcome> {
  const tenant = { agencyId: scope.agencyId, userId: null }
  const first = await withAgency(ctx.db, tenant, (tx) => stepInTransaction(tx, scope))
  if (first.kind !== 'model') return first
  const model = await withAgency(ctx.db, tenant, (tx) =>
    agencyModel(tx, ctx.models, scope.agencyId, { retryDelayMs: ctx.retryDelayMs }),
  )
  if (!model) return withAgency(ctx.db, tenant, (tx) => finishModelStep(tx, scope, first, null))
  const result = await model.chat(modelTurnRequest(first.context))
  return withAgency(ctx.db, tenant, (tx) => finishModelStep(tx, scope, first, { model: model.model, result }))
}

async function lockBotConversation(db: DbOrTx, { agencyId, conversationId }: Scope) {
  const [conversation] = await db
    .select()
    .from(whatsappConversations)
    .where(and(eq(whatsappConversations.agencyId, agencyId), eq(whatsappConversations.id, conversationId)))
    .for('update')
  if (!conversation || conversation.controller !== 'bot' || conversation.aiMode !== 'auto' || conversation.optedOutAt)
    return null
  return conversation
}

async function stepInTransaction(db: DbOrTx, scope: Scope): Promise<AiStepOutcome | ModelPending> {
  const { agencyId, conversationId } = scope
  const conversation = await lockBotConversation(db, scope)
  if (!conversation) return { kind: 'skipped', why: 'not_bot' }
  const latest = await latestInbound(db, agencyId, conversationId)
  if (!latest) return { kind: 'skipped', why: 'nothing_new' }
  const [agency] = await db.select().from(agencies).where(eq(agencies.id, agencyId))

  if (agency!.aiProvider === 'external') {
    if (await botRepliedSince(db, agencyId, conversationId, latest.seq)) return { kind: 'skipped', why: 'answered' }
    const waited = Date.now() - latest.createdAt.getTime()
    if (waited < agency!.aiTurnDeadlineSeconds * 1000) return { kind: 'waiting_external' }
    await handOverWithSummary(db, agencyId, conversation, 'turn_deadline', 'o agente externo não respondeu a tempo')
    return { kind: 'deadline_handoff' }
  }

  if (await answered(db, agencyId, conversationId, latest.id)) return { kind: 'skipped', why: 'answered' }
  if (agency!.aiProvider === 'openai_compatible') return modelPending(db, agency!, conversation, latest.id)
  return rulesTurn(db, agency!, conversation, latest.id)
}

/** A person gets the conversation, with the lead's summary as the bot left it. */
async function handOverWithSummary(
  db: DbOrTx,
  agencyId: string,
  conversation: typeof whatsappConversations.$inferSelect,
  reason: 'turn_deadline' | 'bot_handoff',
  why: string,
) {
  await handOverToHuman(db, systemAuthor(agencyId, 'ai'), {
    conversationId: conversation.id,
    reason,
    why,
    summary: await leadSummary(db, agencyId, conversation.leadId),
    pickAssignee: async () =>
      conversation.leadId ? distributeLead(asSystem(db, agencyId, 'ai'), { leadId: conversation.leadId }) : null,
  })
}

/** The built-in agent's turn, executed in the caller's transaction (also the model's fallback). */
async function rulesTurn(
  db: DbOrTx,
  agency: typeof agencies.$inferSelect,
  conversation: typeof whatsappConversations.$inferSelect,
  inReplyTo: string,
): Promise<AiStepOutcome> {
  const agencyId = agency.id
  const conversationId = conversation.id
  const { input, known } = await rulesInputFor(db, agency, conversation)
  const decision = decideRulesTurn(input)
  if (decision.kind === 'opt_out') {
    await optOutOfBot(db, systemAuthor(agencyId, 'ai'), { conversationId })
    return { kind: 'opted_out' }
  }
  const messages: TTurnMessage[] = [...decision.messages]
  if (decision.offerProperties)
    for (const p of await matchingListings(db, agencyId, merge(known, decision.found), 3 - messages.length, 2))
      messages.push({ type: 'property', propertyId: p.id })
  let outcome = await executeOrHandOver(db, agency, conversation, 'rules', {
    inReplyTo,
    messages,
    actions: {
      ...(Object.keys(decision.found).length ? { qualification: decision.found } : {}),
      ...(decision.handoff
        ? { handoff: { reason: decision.handoff.reason, summary: decision.handoff.summary ?? undefined } }
        : {}),
    },
  })
  // The rules agent's own turn refused (a listing gone since it was picked…): a person answers instead of nobody.
  if (outcome.kind === 'refused') {
    await handOverWithSummary(db, agencyId, conversation, 'bot_handoff', 'a resposta automática foi recusada')
    outcome = {
      kind: 'model_handoff',
      outcome: outcome.error.meta?.reason ? String(outcome.error.meta.reason) : 'refused',
    }
  }
  if (outcome.kind === 'turn')
    await db
      .update(whatsappConversations)
      .set({
        aiAsked: decision.asks ? [...conversation.aiAsked, decision.asks] : conversation.aiAsked,
        aiUnanswered: decision.unanswered,
      })
      .where(and(eq(whatsappConversations.agencyId, agencyId), eq(whatsappConversations.id, conversationId)))
  return outcome
}

/** What the model is told about a conversation (see model-turn.ts), gathered under the conversation's lock. */
async function modelPending(
  db: DbOrTx,
  agency: typeof agencies.$inferSelect,
  conversation: typeof whatsappConversations.$inferSelect,
  inReplyTo: string,
): Promise<AiStepOutcome | ModelPending> {
  const agencyId = agency.id
  const { input, known } = await rulesInputFor(db, agency, conversation)
  // The agency's words are deterministic for every producer: an opt-out stops the bot, a handoff phrase goes to a
  // person, and the model is not asked at all.
  const screened = screenBurst(input.texts, input)
  if (screened === 'opt_out') {
    await optOutOfBot(db, systemAuthor(agencyId, 'ai'), { conversationId: conversation.id })
    return { kind: 'opted_out' }
  }
  if (screened === 'handoff') {
    await handOverWithSummary(db, agencyId, conversation, 'bot_handoff', 'pediu para falar com uma pessoa')
    return { kind: 'deadline_handoff' }
  }
  // Listings are picked on what is known plus what the rules extractor reads in this burst, so the model can offer
  // one on the message that says what the contact wants.
  const decision = decideRulesTurn(input)
  const wanted = decision.kind === 'turn' ? merge(known, decision.found) : known
  const candidates = await matchingListings(db, agencyId, wanted, 5, 5)
  return {
    kind: 'model',
    inReplyTo,
    context: {
      agencyName: agency.name,
      contactName: input.contactName,
      known,
      missing: qualificationQuestions.filter((q) => !isAnswered[q](known)),
      history: await recentHistory(db, agencyId, conversation.id),
      faq: (input.faq ?? []).map(({ question, answer }) => ({ question, answer })),
      candidates: candidates.map((p) => ({
        id: p.id,
        title: p.title,
        place: [p.neighbourhood, p.city].filter(Boolean).join(', '),
        price: p.price,
        bedrooms: p.bedrooms,
        purpose: p.purpose,
      })),
    },
  }
}

const HISTORY_MESSAGES = 30

/** The conversation's last messages with text, oldest first, as the model reads them. */
async function recentHistory(db: DbOrTx, agencyId: string, conversationId: string) {
  const rows = await db
    .select({ direction: whatsappMessages.direction, author: whatsappMessages.author, body: whatsappMessages.body })
    .from(whatsappMessages)
    .where(
      and(
        eq(whatsappMessages.agencyId, agencyId),
        eq(whatsappMessages.conversationId, conversationId),
        sql`${whatsappMessages.body} is not null and ${whatsappMessages.body} <> ''`,
      ),
    )
    .orderBy(desc(whatsappMessages.seq))
    .limit(HISTORY_MESSAGES)
  return rows.reverse().map((m) => ({
    from:
      m.direction === 'inbound' ? ('contact' as const) : m.author === 'bot' ? ('bot' as const) : ('person' as const),
    text: m.body!,
  }))
}

/**
 * The model's answer, in the second transaction: recorded (usage), then executed if the conversation is still the
 * bot's and still waits for this answer. No usable answer → a person; an answer that is not a valid turn (or a turn
 * `executeTurn` refuses) → the rules agent answers instead; if that too is refused, a person.
 */
async function finishModelStep(
  db: DbOrTx,
  scope: Scope,
  pending: ModelPending,
  call: { model: string; result: ChatResult } | null,
): Promise<AiStepOutcome> {
  const { agencyId, conversationId } = scope
  const candidateIds = pending.context.candidates.map((c) => c.id)
  const parsed = call?.result.ok ? parseModelTurn(call.result.content, pending.inReplyTo, candidateIds) : null
  if (call)
    await recordAiCall(
      db,
      { agencyId, conversationId, model: call.model },
      call.result,
      parsed?.ok === false ? parsed.error : undefined,
    )
  const conversation = await lockBotConversation(db, scope)
  if (!conversation) return { kind: 'skipped', why: 'not_bot' }
  const latest = await latestInbound(db, agencyId, conversationId)
  // A newer message arrived while the model thought: its own step answers it, with the whole burst.
  if (!latest || latest.id !== pending.inReplyTo) return { kind: 'stale' }
  if (await answered(db, agencyId, conversationId, latest.id)) return { kind: 'skipped', why: 'answered' }
  const [agency] = await db.select().from(agencies).where(eq(agencies.id, agencyId))
  if (!call || !call.result.ok) {
    const outcome = call && !call.result.ok ? call.result.outcome : 'no_model'
    await handOverWithSummary(db, agencyId, conversation, 'bot_handoff', `o modelo de IA não respondeu (${outcome})`)
    return { kind: 'model_handoff', outcome }
  }
  if (parsed?.ok) {
    const executed = await executeOrHandOver(db, agency!, conversation, 'openai_compatible', parsed.turn)
    if (executed.kind !== 'refused') return executed
  }
  return rulesTurn(db, agency!, conversation, pending.inReplyTo)
}

/**
 * Executes a turn inside a savepoint (a refused turn leaves nothing half-written). Stale: nothing. Outside the 24-hour
 * window the bot has nothing it may say, so a person takes it from here. Other refusals are the producer's fault:
 * `refused` lets the model's caller fall back to the rules agent.
 */
async function executeOrHandOver(
  db: DbOrTx,
  agency: typeof agencies.$inferSelect,
  conversation: typeof whatsappConversations.$inferSelect,
  provider: AiProvider,
  turn: TAgentTurn,
): Promise<AiStepOutcome | { kind: 'refused'; error: AppError }> {
  try {
    const result = await db.transaction((sp) =>
      executeTurn({ db: sp, agencyId: agency.id, provider, userId: null, ip: null }, conversation.id, turn),
    )
    return { kind: 'turn', result, provider }
  } catch (e) {
    if (!(e instanceof AppError)) throw e
    if (e.meta?.reason === 'stale_turn') return { kind: 'stale' }
    if (e.meta?.reason === 'window_closed') {
      await handOverWithSummary(db, agency.id, conversation, 'bot_handoff', 'janela de 24 horas fechada')
      return { kind: 'deadline_handoff' }
    }
    return { kind: 'refused', error: e }
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
      faq: await faqForAgent(db, agencyId),
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
 * closest to the budget first. A plain query on purpose: the bot offers a start, the agent the full matching. `most`
 * bounds what is offered at once (the rules agent: two cards; a model chooses among five).
 */
async function matchingListings(db: DbOrTx, agencyId: string, v: QualificationValues, limit: number, most: number) {
  if (limit <= 0 || !v.purpose) return []
  const price = v.purpose === 'rent' ? properties.rentPrice : properties.salePrice
  return db
    .select({
      id: properties.id,
      title: properties.title,
      neighbourhood: properties.neighbourhood,
      city: properties.city,
      price,
      bedrooms: properties.bedrooms,
      purpose: properties.purpose,
    })
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
    .limit(Math.min(limit, most))
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
    await handOverWithSummary(db, agencyId, conversation, 'bot_handoff', 'pediu para falar com uma pessoa')
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
