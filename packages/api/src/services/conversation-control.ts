import { businessMsBetween } from '../business-hours'
import {
  agencies,
  and,
  asc,
  eq,
  gte,
  ne,
  sql,
  users,
  whatsappControlEvents,
  whatsappConversations,
  type DbOrTx,
} from '@impera/db'
import type { AiMode, ConversationController, ControlReason, MessageAuthor } from '@impera/db/enums'
import { byId, type AgencyActor, type AgencyCtx } from '../ctx'
import { AppError, notFound } from '../errors'
import { emitDomainEvent, originOf, type ChangeOrigin } from '../events'
import type { TConversationAiModeInput, TConversationControlInput } from '../schemas'
import { auditAs } from './audit'
import { noteWhatsappOptOut } from './consent'
import { contactedByFirstReply } from './lead-facts'
import { conversationChanged } from './live'
import { assigneeOrManagers, raiseNotification } from './notifications'
import { assigneeVisibility } from './records'
import { memoRead } from '../read-memo'

/**
 * Who answers a WhatsApp conversation (decision 019): the one owner of its AI mode and controller. Every path that
 * changes them comes through here — a send from the composer, the public API or MCP, a message the business sends from
 * its phone (an echo), the explicit "assumir" / "devolver para a IA", the agency's return rule — so each change is, in
 * the change's transaction: the conversation's columns, a timeline entry, an audit entry, a live event for the inbox
 * and the `conversation.control_changed` domain event (and so its webhook).
 *
 * A person's send takes control at once; an integration (a key on the API or MCP) is a bot and never does. Control
 * returns to the bot only explicitly or by the agency's rule, never because a bot sent something.
 */

/** Who changes control: a member or an integration acting through a service, or the system (an echo, the rule). */
export interface ControlAuthor {
  agencyId: string
  /** The person or integration principal, or null for the system. */
  userId: string | null
  ip: string | null
  origin: ChangeOrigin
}

export function authorOf(actor: AgencyActor): ControlAuthor {
  return { agencyId: actor.agencyId, userId: actor.userId, ip: actor.ip, origin: originOf(actor) }
}

export function systemAuthor(agencyId: string, origin: ChangeOrigin): ControlAuthor {
  return { agencyId, userId: null, ip: null, origin }
}

/** Who a message sent by this actor is from: an integration is a bot, anyone else a member (a person). */
export function messageAuthorOf(actor: AgencyActor): MessageAuthor {
  return actor.integration ? 'bot' : 'member'
}

/** The AI mode a new conversation on this number starts with: the number's, else the agency's. */
export async function defaultAiMode(db: DbOrTx, agencyId: string, accountId: string): Promise<AiMode> {
  const [row] = await memoRead(`ai-mode:${agencyId}:${accountId}`, () =>
    db.execute<{ mode: AiMode }>(sql`select coalesce(
      (select ai_mode from whatsapp_accounts where agency_id = ${agencyId} and id = ${accountId}),
      (select ai_mode from agencies where id = ${agencyId})) as mode`),
  )
  return row?.mode ?? 'off'
}

/** Who controls a new conversation: the bot when its mode lets the AI answer, else nobody yet. */
export function initialController(mode: AiMode): ConversationController {
  return mode === 'auto' ? 'bot' : 'none'
}

interface Current {
  id: string
  assignedTo: string | null
  leadId: string | null
  clientId: string | null
  optedOutAt: Date | null
  controller: ConversationController
  aiMode: AiMode
}

async function lockConversation(db: DbOrTx, agencyId: string, id: string): Promise<Current | null> {
  const [row] = await db
    .select({
      id: whatsappConversations.id,
      assignedTo: whatsappConversations.assignedTo,
      leadId: whatsappConversations.leadId,
      clientId: whatsappConversations.clientId,
      optedOutAt: whatsappConversations.optedOutAt,
      controller: whatsappConversations.controller,
      aiMode: whatsappConversations.aiMode,
    })
    .from(whatsappConversations)
    .where(and(eq(whatsappConversations.agencyId, agencyId), eq(whatsappConversations.id, id)))
    .for('update')
  return row ?? null
}

/**
 * The one place control changes: writes the conversation, the timeline entry, the audit entry, the live event and the
 * domain event. Nothing happens (and null is returned) when neither the controller nor the mode changes.
 */
async function changeControl(
  db: DbOrTx,
  who: ControlAuthor,
  current: Current,
  next: { controller?: ConversationController; aiMode?: AiMode },
  reason: ControlReason,
  at: Date = new Date(),
) {
  const toController = next.controller ?? current.controller
  const toMode = next.aiMode ?? current.aiMode
  if (toController === current.controller && toMode === current.aiMode) return null
  await db
    .update(whatsappConversations)
    .set({
      controller: toController,
      aiMode: toMode,
      controlChangedAt: at,
      controlChangedBy: who.userId,
      controlReason: reason,
      // Taking over counts as a person's activity for the return rule, like a send.
      ...(reason === 'take_over' ? { lastHumanAt: at } : {}),
      updatedAt: new Date(),
    })
    .where(and(eq(whatsappConversations.agencyId, who.agencyId), eq(whatsappConversations.id, current.id)))
  const from = { controller: current.controller, aiMode: current.aiMode }
  const to = { controller: toController, aiMode: toMode }
  await db.insert(whatsappControlEvents).values({
    agencyId: who.agencyId,
    conversationId: current.id,
    fromController: from.controller,
    toController: to.controller,
    fromMode: from.aiMode,
    toMode: to.aiMode,
    reason,
    actorUserId: who.userId,
    at,
  })
  await emitDomainEvent(db, {
    type: 'conversation.control_changed',
    agencyId: who.agencyId,
    actorUserId: who.userId,
    origin: who.origin,
    conversationId: current.id,
    from,
    to,
    reason,
  })
  await auditAs(db, { agencyId: who.agencyId, actorUserId: who.userId, ip: who.ip }, 'whatsapp.conversation.control', {
    entity: 'whatsapp_conversation',
    entityId: current.id,
    before: { controller: current.controller, aiMode: current.aiMode },
    after: { controller: toController, aiMode: toMode, reason },
  })
  await conversationChanged(db, { agencyId: who.agencyId, id: current.id, assignedTo: current.assignedTo })
  return { from, to, reason }
}

/**
 * A message left for the contact. A person's (from the composer, or from the business phone: an echo) takes control
 * at once and restarts the return rule's clock; a bot's changes nothing. Called by every send path, in its transaction.
 */
export async function noteOutboundMessage(
  db: DbOrTx,
  who: ControlAuthor,
  { conversationId, author, at = new Date() }: { conversationId: string; author: MessageAuthor; at?: Date },
) {
  if (author !== 'member' && author !== 'phone') return null
  const current = await lockConversation(db, who.agencyId, conversationId)
  if (!current) return null
  const stamp = sql`${at.toISOString()}::timestamptz`
  await db
    .update(whatsappConversations)
    .set({ lastHumanAt: sql`greatest(${whatsappConversations.lastHumanAt}, ${stamp})` })
    .where(and(eq(whatsappConversations.agencyId, who.agencyId), eq(whatsappConversations.id, conversationId)))
  if (current.leadId)
    await contactedByFirstReply(
      { db, agencyId: who.agencyId, actorUserId: who.userId, ip: who.ip, origin: who.origin },
      current.leadId,
    )
  if (current.controller === 'human') return null
  return changeControl(db, who, current, { controller: 'human' }, author === 'phone' ? 'phone_send' : 'human_send', at)
}

async function visibleForControl(ctx: AgencyCtx, id: string): Promise<Current> {
  const [row] = await ctx.db
    .select({ id: whatsappConversations.id })
    .from(whatsappConversations)
    .where(and(byId(whatsappConversations, ctx, id), assigneeVisibility(ctx.actor, whatsappConversations.assignedTo)))
  if (!row) throw notFound('conversation')
  return (await lockConversation(ctx.db, ctx.actor.agencyId, id))!
}

export interface ControlState {
  controller: ConversationController
  aiMode: AiMode
}

async function stateOf(ctx: AgencyCtx, id: string): Promise<ControlState> {
  const c = await lockConversation(ctx.db, ctx.actor.agencyId, id)
  return { controller: c!.controller, aiMode: c!.aiMode }
}

/** "Assumir": a person takes the conversation over (any member who can see it; an integration is not a person). */
export async function takeOverConversation(ctx: AgencyCtx, { id }: TConversationControlInput): Promise<ControlState> {
  if (ctx.actor.integration)
    throw new AppError('FORBIDDEN', 'an integration is a bot', { userMessage: 'errors.forbidden' })
  const current = await visibleForControl(ctx, id)
  await changeControl(ctx.db, authorOf(ctx.actor), current, { controller: 'human' }, 'take_over')
  return stateOf(ctx, id)
}

/** "Devolver para a IA": the bot answers again. Refused while the conversation's AI mode is off. */
export async function returnConversationToAi(ctx: AgencyCtx, { id }: TConversationControlInput): Promise<ControlState> {
  const current = await visibleForControl(ctx, id)
  if (current.aiMode === 'off')
    throw new AppError('INVALID_INPUT', 'ai mode is off', { userMessage: 'whatsapp.control.aiOff' })
  await changeControl(ctx.db, authorOf(ctx.actor), current, { controller: 'bot' }, 'return_to_ai')
  return stateOf(ctx, id)
}

/**
 * Sets the conversation's AI mode. Turning the AI off takes the
 * bot's control away (nobody controls it then); turning it to auto gives an uncontrolled conversation to the bot.
 */
export async function setConversationAiMode(
  ctx: AgencyCtx,
  { id, aiMode }: TConversationAiModeInput,
): Promise<ControlState> {
  const current = await visibleForControl(ctx, id)
  const controller =
    aiMode === 'off' && current.controller === 'bot'
      ? 'none'
      : aiMode === 'auto' && current.controller === 'none'
        ? 'bot'
        : current.controller
  await changeControl(ctx.db, authorOf(ctx.actor), current, { controller, aiMode }, 'mode_changed')
  return stateOf(ctx, id)
}

/**
 * The agency's return rule (worker, periodic): a conversation a person controls goes back to the bot after the agency's
 * `aiReturnAfterHours` without a human reply (counted from a person's last send or take-over), unless its AI mode is
 * off. With `aiReturnBusinessHours` only the agency's opening hours count ("2 horas úteis", decision 021): wall-clock
 * time past the cutoff is necessary, so the query narrows by it and the opening hours decide. `now` is the caller's
 * clock. Returns how many conversations returned.
 */
export async function applyReturnRule(db: DbOrTx, { agencyId, now = new Date() }: { agencyId: string; now?: Date }) {
  const [agency] = await db
    .select({
      hours: agencies.aiReturnAfterHours,
      businessOnly: agencies.aiReturnBusinessHours,
      businessHours: agencies.businessHours,
      timezone: agencies.timezone,
    })
    .from(agencies)
    .where(eq(agencies.id, agencyId))
  if (agency?.hours == null) return 0
  const wait = agency.hours * 3600_000
  const cutoff = new Date(now.getTime() - wait)
  const since = sql<Date>`coalesce(${whatsappConversations.lastHumanAt}, ${whatsappConversations.controlChangedAt})`
  const due = await db
    .select({ id: whatsappConversations.id, since })
    .from(whatsappConversations)
    .where(
      and(
        eq(whatsappConversations.agencyId, agencyId),
        eq(whatsappConversations.controller, 'human'),
        sql`${since} < ${cutoff.toISOString()}::timestamptz`,
        ne(whatsappConversations.aiMode, 'off'),
      ),
    )
    .orderBy(asc(whatsappConversations.id))
    .limit(500)
  let returned = 0
  for (const { id, since: from } of due) {
    if (agency.businessOnly && businessMsBetween(agency.businessHours, agency.timezone, new Date(from), now) < wait)
      continue
    const current = await lockConversation(db, agencyId, id)
    if (!current || current.controller !== 'human') continue
    if (await changeControl(db, systemAuthor(agencyId, 'system'), current, { controller: 'bot' }, 'idle_rule', now))
      returned++
  }
  return returned
}

/** Why a bot hands a conversation to a person (decision 020). */
export type HandoffReason = 'bot_handoff' | 'turn_deadline' | 'bot_guard'

/**
 * The bot hands the conversation to a person: the controller becomes `human`; a conversation nobody owns goes to the
 * member the agency's assignment rule picks (`pickAssignee`), and its owner (or the managers) is notified with the
 * bot's summary. In the caller's transaction, after it locked the conversation (or not: this locks it). Returns the
 * member notified, or null when the bot did not control the conversation any more (nothing changes then).
 */
export async function handOverToHuman(
  db: DbOrTx,
  who: ControlAuthor,
  {
    conversationId,
    reason,
    why,
    summary,
    pickAssignee,
  }: {
    conversationId: string
    reason: HandoffReason
    /** The bot's own words on why (shown in the notification): "qualificado", "pediu um corretor"… */
    why: string
    summary: string | null
    pickAssignee: () => Promise<string | null>
  },
): Promise<{ assignedTo: string | null } | null> {
  const current = await lockConversation(db, who.agencyId, conversationId)
  if (!current || current.controller !== 'bot') return null
  let assignedTo = current.assignedTo
  if (!assignedTo) {
    assignedTo = await pickAssignee()
    if (assignedTo)
      await db
        .update(whatsappConversations)
        .set({ assignedTo, updatedAt: new Date() })
        .where(and(eq(whatsappConversations.agencyId, who.agencyId), eq(whatsappConversations.id, conversationId)))
  }
  await changeControl(db, who, { ...current, assignedTo }, { controller: 'human' }, reason)
  const [conversation] = await db
    .select({ name: whatsappConversations.contactName, phone: whatsappConversations.contactPhone })
    .from(whatsappConversations)
    .where(and(eq(whatsappConversations.agencyId, who.agencyId), eq(whatsappConversations.id, conversationId)))
  await raiseNotification(db, {
    agencyId: who.agencyId,
    userIds: await assigneeOrManagers(db, { agencyId: who.agencyId, assignedTo }),
    actorUserId: who.userId,
    kind: 'ai_handoff',
    entity: 'conversation',
    entityId: conversationId,
    data: { contact: conversation?.name || conversation?.phone || '', summary: summary ?? why, why },
    bump: who.userId === null,
  })
  return { assignedTo }
}

/**
 * The contact opted out (an opt-out word, decision 020): the bot stops for good on this conversation — its AI mode
 * goes off, nobody controls it until a person answers — and the opt-out is recorded, as a revocation of marketing on
 * the linked records too (decision 037). People can still write.
 */
export async function optOutOfBot(db: DbOrTx, who: ControlAuthor, { conversationId }: { conversationId: string }) {
  const current = await lockConversation(db, who.agencyId, conversationId)
  if (!current) return null
  await noteWhatsappOptOut(db, { ...current, agencyId: who.agencyId })
  return changeControl(
    db,
    who,
    current,
    { controller: current.controller === 'bot' ? 'none' : current.controller, aiMode: 'off' },
    'opt_out',
  )
}

/** The conversation's control timeline, oldest first (the thread interleaves it with the messages by time). */
export async function controlTimeline(db: DbOrTx, agencyId: string, conversationId: string, since?: Date | null) {
  return db
    .select({
      id: whatsappControlEvents.id,
      fromController: whatsappControlEvents.fromController,
      toController: whatsappControlEvents.toController,
      fromMode: whatsappControlEvents.fromMode,
      toMode: whatsappControlEvents.toMode,
      reason: whatsappControlEvents.reason,
      at: whatsappControlEvents.at,
      actorName: users.name,
    })
    .from(whatsappControlEvents)
    .leftJoin(users, eq(users.id, whatsappControlEvents.actorUserId))
    .where(
      and(
        eq(whatsappControlEvents.agencyId, agencyId),
        eq(whatsappControlEvents.conversationId, conversationId),
        since ? gte(whatsappControlEvents.at, since) : undefined,
      ),
    )
    .orderBy(asc(whatsappControlEvents.at), asc(whatsappControlEvents.id))
}
