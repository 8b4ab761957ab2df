import {
  agencies,
  aiTurns,
  and,
  asc,
  desc,
  eq,
  gt,
  isNull,
  leadNotes,
  leadProperties,
  leads,
  properties,
  sql,
  whatsappConversations,
  whatsappMessages,
  type DbOrTx,
} from '@impera/db'
import type { AiProvider, LeadStatus } from '@impera/db/enums'
import type { AgencyCtx } from '../ctx'
import { AppError, invalidField, notFound } from '../errors'
import { emitDomainEvent, type ChangeOrigin } from '../events'
import { scheduleSends } from '../jobs'
import { roomsForConversation } from '../live'
import { formatBrl } from '../ai/score'
import type { TAgentTurn, TTurnMessage } from '../schemas'
import { auditAs } from './audit'
import { assertMarketingAllowed, isMarketingTemplate } from './consent'
import { handOverToHuman, type ControlAuthor, type HandoffReason } from './conversation-control'
import { recordLeadChange, type LeadWriter } from './lead-facts'
import { emitLive } from './live'
import { applyQualification } from './qualification'
import { WINDOW_MS } from './whatsapp'
import { distributeLead } from './distribution'
import { asSystem } from './lead-facts'

/**
 * AI turns (decision 020): the one way an AI agent acts on a conversation — StarIAup's external agent through
 * `POST /api/v1/conversations/{id}/turns` (and MCP), the built-in provider from the worker. A turn is up to three
 * messages and a few actions, executed as one unit in the caller's transaction, and checked when it executes, not
 * when it was produced: the bot must still control the conversation and the turn must answer the newest inbound
 * message (else 409 `stale_turn`, nothing sent); free text needs WhatsApp's 24-hour window (else 422 `window_closed`).
 * The loop guards (bot messages in a row, per minute) turn a runaway bot into a handoff instead of more messages.
 */

/** Who executes a turn: the external agent's principal, or the built-in provider (no user). */
export interface TurnAuthor {
  db: DbOrTx
  agencyId: string
  provider: AiProvider
  /** The integration's users row for an external agent; null for the built-in provider. */
  userId: string | null
  ip: string | null
}

export function turnAuthorOf(ctx: AgencyCtx): TurnAuthor {
  return { db: ctx.db, agencyId: ctx.actor.agencyId, provider: 'external', userId: ctx.actor.userId, ip: ctx.actor.ip }
}

function originOf(t: TurnAuthor): ChangeOrigin {
  return t.userId ? 'api' : 'ai'
}

function controlAuthor(t: TurnAuthor): ControlAuthor {
  return { agencyId: t.agencyId, userId: t.userId, ip: t.ip, origin: originOf(t) }
}

function leadWriter(t: TurnAuthor): LeadWriter {
  return { db: t.db, agencyId: t.agencyId, actorUserId: t.userId, ip: t.ip, origin: originOf(t) }
}

export interface TurnResult {
  outcome: 'executed' | 'handoff'
  turnId: string
  messageIds: string[]
  handoff: { reason: HandoffReason; why: string; assignedTo: string | null } | null
}

function staleTurn(why: 'not_bot' | 'newer_inbound') {
  return new AppError('CONFLICT', `stale turn: ${why}`, {
    userMessage: why === 'not_bot' ? 'ai.staleNotBot' : 'ai.staleNewerInbound',
    meta: { reason: 'stale_turn' },
  })
}

interface LockedConversation {
  id: string
  accountId: string
  assignedTo: string | null
  leadId: string | null
  clientId: string | null
  controller: string
  aiMode: string
  optedOutAt: Date | null
  lastInboundAt: Date | null
}

async function lockForTurn(db: DbOrTx, agencyId: string, id: string): Promise<LockedConversation | null> {
  const [row] = await db
    .select({
      id: whatsappConversations.id,
      accountId: whatsappConversations.accountId,
      assignedTo: whatsappConversations.assignedTo,
      leadId: whatsappConversations.leadId,
      clientId: whatsappConversations.clientId,
      controller: whatsappConversations.controller,
      aiMode: whatsappConversations.aiMode,
      optedOutAt: whatsappConversations.optedOutAt,
      lastInboundAt: whatsappConversations.lastInboundAt,
    })
    .from(whatsappConversations)
    .where(and(eq(whatsappConversations.agencyId, agencyId), eq(whatsappConversations.id, id)))
    .for('update')
  return row ?? null
}

/** The newest message the contact sent (reactions included: the agent must have seen it). */
export async function latestInbound(db: DbOrTx, agencyId: string, conversationId: string) {
  const [row] = await db
    .select({ id: whatsappMessages.id, seq: whatsappMessages.seq, createdAt: whatsappMessages.createdAt })
    .from(whatsappMessages)
    .where(
      and(
        eq(whatsappMessages.agencyId, agencyId),
        eq(whatsappMessages.conversationId, conversationId),
        eq(whatsappMessages.direction, 'inbound'),
      ),
    )
    .orderBy(desc(whatsappMessages.seq))
    .limit(1)
  return row ?? null
}

/** Bot messages since anyone else last wrote, and in the last minute: what the loop guards count. */
async function botPace(db: DbOrTx, agencyId: string, conversationId: string) {
  const [row] = await db.execute<{ streak: number; minute: number }>(sql`
    select
      count(*) filter (where m.seq > coalesce((select max(o.seq) from whatsapp_messages o
        where o.agency_id = ${agencyId} and o.conversation_id = ${conversationId} and o.author <> 'bot'), 0))::int as streak,
      count(*) filter (where m.created_at > now() - interval '1 minute')::int as minute
    from whatsapp_messages m
    where m.agency_id = ${agencyId} and m.conversation_id = ${conversationId} and m.author = 'bot'`)
  return { streak: row?.streak ?? 0, minute: row?.minute ?? 0 }
}

/** A listing as the contact reads it on WhatsApp. */
async function propertyCard(db: DbOrTx, agencyId: string, propertyId: string, before?: string) {
  const [p] = await db
    .select({
      code: properties.code,
      title: properties.title,
      neighbourhood: properties.neighbourhood,
      city: properties.city,
      bedrooms: properties.bedrooms,
      salePrice: properties.salePrice,
      rentPrice: properties.rentPrice,
      status: properties.status,
    })
    .from(properties)
    .where(and(eq(properties.agencyId, agencyId), eq(properties.id, propertyId), isNull(properties.deletedAt)))
  if (!p) return null
  const place = [p.neighbourhood, p.city].filter(Boolean).join(', ')
  const price = [
    p.salePrice ? `Venda: ${formatBrl(p.salePrice)}` : null,
    p.rentPrice ? `Aluguel: ${formatBrl(p.rentPrice)}/mês` : null,
  ].filter(Boolean)
  const lines = [
    before,
    `🏠 *${p.title}*`,
    place ? `📍 ${place}` : null,
    p.bedrooms ? `🛏️ ${p.bedrooms} quarto${p.bedrooms > 1 ? 's' : ''}` : null,
    price.length ? `💰 ${price.join(' · ')}` : null,
    `Código: ${p.code}`,
  ]
  return lines.filter(Boolean).join('\n')
}

interface Outgoing {
  type: 'text' | 'template'
  body: string
  payload: Record<string, unknown> | null
}

async function renderMessages(db: DbOrTx, agencyId: string, messages: TTurnMessage[]): Promise<Outgoing[]> {
  const out: Outgoing[] = []
  for (const [i, m] of messages.entries()) {
    if (m.type === 'text') out.push({ type: 'text', body: m.text, payload: null })
    else if (m.type === 'template')
      out.push({
        type: 'template',
        body: `[${m.name}] ${m.parameters.join(' · ')}`.trim(),
        payload: { name: m.name, language: m.language, parameters: m.parameters },
      })
    else {
      const card = await propertyCard(db, agencyId, m.propertyId, m.text)
      if (!card) throw invalidField(`messages.${i}.propertyId`, 'ai.unknownProperty')
      out.push({ type: 'text', body: card, payload: { propertyId: m.propertyId } })
    }
  }
  return out
}

/**
 * Executes a turn on a conversation, in the caller's transaction (one unit: all of it or nothing). Throws 409
 * `stale_turn` when the bot no longer controls the conversation or a newer inbound message exists, and 422
 * `window_closed` for free text outside the 24-hour window; a tripped loop guard hands over instead of sending.
 */
export async function executeTurn(
  t: TurnAuthor,
  conversationId: string,
  turn: TAgentTurn,
  { turnId }: { turnId?: string } = {},
): Promise<TurnResult> {
  const { db, agencyId } = t
  const conversation = await lockForTurn(db, agencyId, conversationId)
  if (!conversation) throw notFound('conversation')
  // A turn retried under the id it was first executed with acts once: the first execution's result, nothing sent.
  if (turnId) {
    const [done] = await db
      .select()
      .from(aiTurns)
      .where(and(eq(aiTurns.agencyId, agencyId), eq(aiTurns.id, turnId)))
    if (done) {
      if (done.conversationId !== conversationId)
        throw new AppError('CONFLICT', 'turn id reused', {
          userMessage: 'ai.turnIdReused',
          meta: { reason: 'turn_id_reused' },
        })
      const [reason, ...why] = (done.handoffReason ?? '').split(': ')
      return {
        outcome: done.outcome === 'handoff' ? 'handoff' : 'executed',
        turnId: done.id,
        messageIds: done.messageIds,
        handoff:
          done.outcome === 'handoff'
            ? { reason: reason as HandoffReason, why: why.join(': '), assignedTo: conversation.assignedTo }
            : null,
      }
    }
  }
  if (conversation.controller !== 'bot' || conversation.aiMode !== 'auto' || conversation.optedOutAt)
    throw staleTurn('not_bot')
  const latest = await latestInbound(db, agencyId, conversationId)
  if (!latest || latest.id !== turn.inReplyTo) throw staleTurn('newer_inbound')
  const open = !!conversation.lastInboundAt && conversation.lastInboundAt.getTime() + WINDOW_MS > Date.now()
  if (!open) {
    const free = turn.messages.findIndex((m) => m.type !== 'template')
    if (free >= 0)
      throw new AppError('INVALID_INPUT', 'window closed', {
        userMessage: 'whatsapp.errors.windowClosed',
        meta: { fields: { [`messages.${free}.type`]: ['whatsapp.errors.windowClosed'] }, reason: 'window_closed' },
      })
  }
  for (const [i, m] of turn.messages.entries())
    if (m.type === 'template' && (await isMarketingTemplate(db, agencyId, { accountId: conversation.accountId, ...m })))
      await assertMarketingAllowed(db, { ...conversation, agencyId }, `messages.${i}.name`)
  const outgoing = await renderMessages(db, agencyId, turn.messages)
  const [agency] = await db
    .select({
      maxStreak: agencies.aiMaxBotStreak,
      maxPerMinute: agencies.aiMaxBotPerMinute,
      agentsSeeAll: agencies.agentsSeeAll,
    })
    .from(agencies)
    .where(eq(agencies.id, agencyId))
  const pace = await botPace(db, agencyId, conversationId)
  const guarded =
    outgoing.length > 0 &&
    (pace.streak + outgoing.length > agency!.maxStreak || pace.minute + outgoing.length > agency!.maxPerMinute)

  const actions = turn.actions
  const done: string[] = []
  if (conversation.leadId) {
    const w = leadWriter(t)
    if (
      actions.qualification &&
      (await applyQualification(w, conversation.leadId, actions.qualification, 'bot')).length
    )
      done.push('qualification')
    if (actions.note) {
      const [note] = await db
        .insert(leadNotes)
        .values({ agencyId, leadId: conversation.leadId, authorId: t.userId, body: actions.note })
        .returning({ id: leadNotes.id })
      await auditAs(db, { agencyId, actorUserId: t.userId, ip: t.ip }, 'lead.note.add', {
        entity: 'lead_note',
        entityId: note!.id,
        after: { leadId: conversation.leadId, body: actions.note, via: originOf(t) },
      })
      done.push('note')
    }
    if (actions.tags?.length && (await addTags(w, conversation.leadId, actions.tags))) done.push('tags')
    if (actions.status && (await moveStatus(w, conversation.leadId, actions.status))) done.push('status')
    if (actions.suggestProperties?.length && (await linkProperties(w, conversation.leadId, actions.suggestProperties)))
      done.push('suggestProperties')
  }

  const messageIds: string[] = []
  if (!guarded) {
    for (const m of outgoing) {
      const [message] = await db
        .insert(whatsappMessages)
        .values({
          agencyId,
          conversationId,
          accountId: conversation.accountId,
          direction: 'outbound',
          type: m.type,
          body: m.body,
          payload: m.payload,
          status: 'queued',
          providerAt: new Date(),
          sentBy: t.userId,
          author: 'bot',
        })
        .returning({ id: whatsappMessages.id, providerAt: whatsappMessages.providerAt })
      messageIds.push(message!.id)
      await emitDomainEvent(db, {
        type: 'message.sent',
        agencyId,
        actorUserId: t.userId,
        origin: originOf(t),
        conversationId,
        messageId: message!.id,
      })
    }
    if (outgoing.length) {
      await db
        .update(whatsappConversations)
        .set({
          lastMessageAt: new Date(),
          lastMessagePreview: outgoing.at(-1)!.body.slice(0, 140),
          updatedAt: new Date(),
        })
        .where(and(eq(whatsappConversations.agencyId, agencyId), eq(whatsappConversations.id, conversationId)))
      await scheduleSends(db, agencyId, conversation.accountId)
    }
  }

  let handoff: TurnResult['handoff'] = null
  const wanted = guarded
    ? { reason: 'bot_guard' as const, why: 'guard', summary: null }
    : actions.handoff
      ? { reason: 'bot_handoff' as const, why: actions.handoff.reason, summary: actions.handoff.summary ?? null }
      : null
  if (wanted) {
    const summary = wanted.summary ?? (await leadSummary(db, agencyId, conversation.leadId))
    const handed = await handOverToHuman(db, controlAuthor(t), {
      conversationId,
      reason: wanted.reason,
      why: wanted.why,
      summary,
      pickAssignee: async () =>
        conversation.leadId ? distributeLead(asSystem(db, agencyId, 'ai'), { leadId: conversation.leadId }) : null,
    })
    if (handed) handoff = { reason: wanted.reason, why: wanted.why, assignedTo: handed.assignedTo }
    done.push('handoff')
  }

  const [row] = await db
    .insert(aiTurns)
    .values({
      ...(turnId ? { id: turnId } : {}),
      agencyId,
      conversationId,
      provider: t.provider,
      integrationId: t.userId,
      inReplyTo: turn.inReplyTo,
      outcome: handoff ? 'handoff' : 'executed',
      messageIds,
      actions: done,
      handoffReason: handoff ? `${handoff.reason}: ${handoff.why}`.slice(0, 300) : null,
      latencyMs: Math.max(0, Date.now() - latest.createdAt.getTime()),
    })
    .returning({ id: aiTurns.id })
  await auditAs(db, { agencyId, actorUserId: t.userId, ip: t.ip }, 'whatsapp.conversation.turn', {
    entity: 'whatsapp_conversation',
    entityId: conversationId,
    after: { turnId: row!.id, provider: t.provider, messages: messageIds.length, actions: done },
  })
  if (messageIds.length)
    await emitLive(
      db,
      roomsForConversation(agencyId, handoff?.assignedTo ?? conversation.assignedTo, agency!.agentsSeeAll),
      'wa:changed',
      { conversationId, kind: 'message', messageId: messageIds.at(-1) },
    )
  return { outcome: handoff ? 'handoff' : 'executed', turnId: row!.id, messageIds, handoff }
}

/** The lead's qualification summary: what a handoff tells the person who takes over. */
export async function leadSummary(db: DbOrTx, agencyId: string, leadId: string | null) {
  if (!leadId) return null
  const [lead] = await db
    .select({ summary: leads.aiSummary })
    .from(leads)
    .where(and(eq(leads.agencyId, agencyId), eq(leads.id, leadId)))
  return lead?.summary ?? null
}

async function lockLead(w: LeadWriter, leadId: string) {
  const [lead] = await w.db
    .select()
    .from(leads)
    .where(and(eq(leads.agencyId, w.agencyId), eq(leads.id, leadId), isNull(leads.deletedAt)))
    .for('update')
  return lead ?? null
}

async function addTags(w: LeadWriter, leadId: string, tags: string[]) {
  const before = await lockLead(w, leadId)
  if (!before) return false
  const next = [...new Set([...before.tags, ...tags])]
  if (next.length === before.tags.length) return false
  const [after] = await w.db
    .update(leads)
    .set({ tags: next, updatedAt: new Date() })
    .where(and(eq(leads.agencyId, w.agencyId), eq(leads.id, leadId)))
    .returning()
  await recordLeadChange(w, { leadId, audit: 'lead.update', before, after }, [{ kind: 'edited', fields: ['tags'] }])
  return true
}

/** A bot moves a lead forward only: never back, and never out of converted or lost (a person's call). */
const forwardOrder: LeadStatus[] = ['new', 'contacted', 'qualified']

async function moveStatus(w: LeadWriter, leadId: string, to: LeadStatus) {
  const before = await lockLead(w, leadId)
  if (!before || !forwardOrder.includes(before.status)) return false
  if (forwardOrder.indexOf(to) <= forwardOrder.indexOf(before.status)) return false
  const [after] = await w.db
    .update(leads)
    .set({ status: to, statusChangedAt: new Date(), updatedAt: new Date() })
    .where(and(eq(leads.agencyId, w.agencyId), eq(leads.id, leadId)))
    .returning()
  await recordLeadChange(w, { leadId, audit: 'lead.status', before, after }, [
    { kind: 'status_changed', from: before.status, to },
  ])
  return true
}

async function linkProperties(w: LeadWriter, leadId: string, propertyIds: string[]) {
  let linked = false
  for (const propertyId of propertyIds) {
    const [p] = await w.db
      .select({ code: properties.code, title: properties.title })
      .from(properties)
      .where(and(eq(properties.agencyId, w.agencyId), eq(properties.id, propertyId), isNull(properties.deletedAt)))
    if (!p) continue
    const inserted = await w.db
      .insert(leadProperties)
      .values({ agencyId: w.agencyId, leadId, propertyId, createdBy: w.actorUserId })
      .onConflictDoNothing()
      .returning({ leadId: leadProperties.leadId })
    if (!inserted.length) continue
    linked = true
    await recordLeadChange(w, { leadId, audit: 'lead.property.link', after: { propertyId } }, [
      { kind: 'property_linked', propertyId, code: p.code, title: p.title },
    ])
  }
  return linked
}

/** Whether a turn already answered this inbound message (the built-in provider answers each burst once). */
export async function answered(db: DbOrTx, agencyId: string, conversationId: string, inboundId: string) {
  const [row] = await db
    .select({ id: aiTurns.id })
    .from(aiTurns)
    .where(
      and(eq(aiTurns.agencyId, agencyId), eq(aiTurns.conversationId, conversationId), eq(aiTurns.inReplyTo, inboundId)),
    )
    .limit(1)
  return !!row
}

/** Bot messages after a given inbound message (the deadline check: did anyone answer it?). */
export async function botRepliedSince(db: DbOrTx, agencyId: string, conversationId: string, seq: number) {
  const [row] = await db
    .select({ id: whatsappMessages.id })
    .from(whatsappMessages)
    .where(
      and(
        eq(whatsappMessages.agencyId, agencyId),
        eq(whatsappMessages.conversationId, conversationId),
        eq(whatsappMessages.direction, 'outbound'),
        gt(whatsappMessages.seq, seq),
      ),
    )
    .limit(1)
  return !!row
}

/** The contact's messages since anything was written to them (the burst an agent answers), oldest first. */
export function burstSince(db: DbOrTx, agencyId: string, conversationId: string) {
  return db
    .select({ id: whatsappMessages.id, body: whatsappMessages.body, type: whatsappMessages.type })
    .from(whatsappMessages)
    .where(
      and(
        eq(whatsappMessages.agencyId, agencyId),
        eq(whatsappMessages.conversationId, conversationId),
        eq(whatsappMessages.direction, 'inbound'),
        gt(
          whatsappMessages.seq,
          sql`coalesce((select max(o.seq) from whatsapp_messages o where o.agency_id = ${agencyId} and o.conversation_id = ${conversationId} and o.direction = 'outbound'), 0)`,
        ),
      ),
    )
    .orderBy(asc(whatsappMessages.seq))
}
