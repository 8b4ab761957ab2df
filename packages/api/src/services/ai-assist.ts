import { agencies, and, desc, eq, inArray, sql, whatsappConversations, whatsappMessages } from '@impera/db'
import { decideRulesTurn } from '../ai/rules-agent'
import { isQualified, nextQuestion } from '../ai/next-question'
import { extractSlots } from '../ai/extract-pt-br'
import { qualificationQuestions, type QualificationQuestion, type QualificationValues } from '../ai/qualification'
import { summarizeQualification } from '../ai/score'
import { byId, type AgencyCtx } from '../ctx'
import { notFound } from '../errors'
import type { TConversationControlInput } from '../schemas'
import { rulesInputFor } from './ai-agent'
import { assigneeVisibility } from './records'

/**
 * The AI as a person's assistant (decision 020): a draft of the next reply, the next best action, and a summary of the
 * conversation — for whoever may read it, in any AI mode. Nothing here sends or changes anything: the person edits and
 * sends the draft from the composer (which takes the conversation over, like any human send).
 */
export type NextAction =
  | { kind: 'ask'; question: QualificationQuestion }
  | { kind: 'hand_over'; reason: string }
  | { kind: 'opted_out' }
  | { kind: 'wait' }

async function visibleConversation(ctx: AgencyCtx, id: string) {
  const [conversation] = await ctx.db
    .select()
    .from(whatsappConversations)
    .where(and(byId(whatsappConversations, ctx, id), assigneeVisibility(ctx.actor, whatsappConversations.assignedTo)))
  if (!conversation) throw notFound('conversation')
  const [agency] = await ctx.db.select().from(agencies).where(eq(agencies.id, ctx.actor.agencyId))
  return { conversation, agency: agency! }
}

/**
 * What the bot would answer now, as a draft: its messages joined, the next best action, and the slots it read from
 * the contact's latest messages (not saved). Null text when the contact has written nothing since the last reply.
 */
export async function suggestReply(ctx: AgencyCtx, { id }: TConversationControlInput) {
  const { conversation, agency } = await visibleConversation(ctx, id)
  const { input } = await rulesInputFor(ctx.db, agency, conversation)
  if (!input.texts.length) return { text: null, next: { kind: 'wait' } as NextAction, found: {} }
  const decision = decideRulesTurn({ ...input, voice: 'person' })
  if (decision.kind === 'opt_out') return { text: null, next: { kind: 'opted_out' } as NextAction, found: {} }
  const next: NextAction = decision.handoff
    ? { kind: 'hand_over', reason: decision.handoff.reason }
    : decision.asks
      ? { kind: 'ask', question: decision.asks }
      : { kind: 'wait' }
  return {
    // A draft for a person: the bot's "I am passing you to a person" line makes no sense in their mouth.
    text: decision.handoff
      ? null
      : decision.messages.map((m) => (m.type === 'text' ? m.text : '')).join('\n\n') || null,
    next,
    found: decision.found,
  }
}

/**
 * "Resumir conversa": what the lead wants (with what the contact just said), what is still unknown, whether it is
 * qualified, how many messages each side wrote, and the contact's last message.
 */
export async function summarizeConversation(ctx: AgencyCtx, { id }: TConversationControlInput) {
  const { conversation, agency } = await visibleConversation(ctx, id)
  const { input, known } = await rulesInputFor(ctx.db, agency, conversation)
  // Everything the contact wrote (the newest 100 messages), not only since the last reply: a summary is of the whole
  // conversation. What the lead record holds wins over what is read here (a person may have corrected it).
  const said = await ctx.db
    .select({ body: whatsappMessages.body })
    .from(whatsappMessages)
    .where(
      and(
        eq(whatsappMessages.agencyId, ctx.actor.agencyId),
        eq(whatsappMessages.conversationId, id),
        eq(whatsappMessages.direction, 'inbound'),
        inArray(whatsappMessages.type, ['text', 'interactive']),
      ),
    )
    .orderBy(desc(whatsappMessages.seq))
    .limit(100)
  let read: QualificationValues = {}
  for (const { body } of said.reverse())
    if (body) read = { ...read, ...extractSlots(body, { knownPlaces: input.knownPlaces }).slots }
  const values = { ...read, ...known }
  const decision = input.texts.length ? decideRulesTurn(input) : null
  const missing = qualificationQuestions.filter((q) => {
    const asked = nextQuestion(values, { skip: qualificationQuestions.filter((x) => x !== q) })
    return asked?.key === q
  })
  const inThread = and(eq(whatsappMessages.agencyId, ctx.actor.agencyId), eq(whatsappMessages.conversationId, id))
  const [counts] = await ctx.db
    .select({
      inbound: sql<number>`count(*) filter (where ${whatsappMessages.direction} = 'inbound')::int`,
      outbound: sql<number>`count(*) filter (where ${whatsappMessages.direction} = 'outbound')::int`,
    })
    .from(whatsappMessages)
    .where(inThread)
  const [lastInbound] = await ctx.db
    .select({ body: whatsappMessages.body })
    .from(whatsappMessages)
    .where(and(inThread, eq(whatsappMessages.direction, 'inbound')))
    .orderBy(desc(whatsappMessages.seq))
    .limit(1)
  return {
    summary: summarizeQualification(values),
    missing,
    qualified: isQualified(values),
    optedOut: !!conversation.optedOutAt || decision?.kind === 'opt_out',
    inbound: counts?.inbound ?? 0,
    outbound: counts?.outbound ?? 0,
    lastInbound: lastInbound?.body ?? null,
  }
}
