import {
  and,
  asc,
  eq,
  gte,
  sql,
  users,
  whatsappConversationEntries,
  whatsappConversations,
  type DbOrTx,
} from '@impera/db'
import type { ConversationStatus } from '@impera/db/enums'
import { byId, inAgency, type AgencyCtx } from '../ctx'
import { AppError, forbidden, notFound } from '../errors'
import { emitAsMember, emitAsSystem } from '../events'
import type {
  TBulkConversationAction,
  TConversationLabelsInput,
  TConversationNoteIdInput,
  TConversationNoteInput,
  TConversationStatusInput,
} from '../schemas'
import { audit } from './audit'
import { assignConversation } from './whatsapp'
import { conversationChanged } from './live'
import { assertCanEdit, assigneeVisibility } from './records'

/**
 * A conversation's team state, labels and internal notes (issue 16's inbox): the one owner of
 * `whatsapp_conversations.status` and `.labels` and of `whatsapp_conversation_entries`. Every change is, in its transaction: the row, a timeline entry, an audit
 * entry (a person's), a live event for the inbox and, for a status, the `conversation.status_changed` domain event.
 */

interface Target {
  id: string
  agencyId: string
  assignedTo: string | null
  status: ConversationStatus
}

type Locked = Target & { labels: string[] }

async function lockVisible(ctx: AgencyCtx, id: string): Promise<Locked> {
  const [row] = await ctx.db
    .select({
      id: whatsappConversations.id,
      agencyId: whatsappConversations.agencyId,
      assignedTo: whatsappConversations.assignedTo,
      status: whatsappConversations.status,
      labels: whatsappConversations.labels,
    })
    .from(whatsappConversations)
    .where(and(byId(whatsappConversations, ctx, id), assigneeVisibility(ctx.actor, whatsappConversations.assignedTo)))
    .for('update')
  if (!row) throw notFound('conversation')
  return row
}

async function writeStatus(db: DbOrTx, c: Target, status: ConversationStatus, actorUserId: string | null) {
  const at = new Date()
  await db
    .update(whatsappConversations)
    .set({ status, statusChangedAt: at, updatedAt: at })
    .where(and(eq(whatsappConversations.agencyId, c.agencyId), eq(whatsappConversations.id, c.id)))
  await db
    .insert(whatsappConversationEntries)
    .values({ agencyId: c.agencyId, conversationId: c.id, kind: 'status', status, actorUserId, at })
  await conversationChanged(db, c)
}

/** Opens, parks ("pendente") or resolves a conversation; the same status again changes nothing. */
export async function setConversationStatus(ctx: AgencyCtx, { id, status }: TConversationStatusInput) {
  const current = await lockVisible(ctx, id)
  assertCanEdit(ctx.actor, current, 'conversation')
  if (current.status === status) return { status }
  await writeStatus(ctx.db, current, status, ctx.actor.userId)
  await audit(ctx, 'whatsapp.conversation.status', {
    entity: 'whatsapp_conversation',
    entityId: id,
    before: { status: current.status },
    after: { status },
  })
  await emitAsMember(ctx, { type: 'conversation.status_changed', conversationId: id, from: current.status, to: status })
  return { status }
}

/**
 * Sets a conversation's labels as a whole, or adds/removes one against the set as locked now (the schema folds case and
 * duplicates); the same set changes nothing.
 */
export async function setConversationLabels(ctx: AgencyCtx, input: TConversationLabelsInput) {
  const { id } = input
  const current = await lockVisible(ctx, id)
  assertCanEdit(ctx.actor, current, 'conversation')
  const labels =
    'labels' in input
      ? input.labels
      : 'add' in input
        ? [...new Set([...current.labels, input.add])].sort()
        : current.labels.filter((l) => l !== input.remove)
  if (labels.length > 10)
    throw new AppError('INVALID_INPUT', 'too many labels', { userMessage: 'whatsapp.labels.tooMany' })
  if (current.labels.join('\u0000') === labels.join('\u0000')) return { labels }
  await ctx.db
    .update(whatsappConversations)
    .set({ labels, updatedAt: new Date() })
    .where(and(eq(whatsappConversations.agencyId, current.agencyId), eq(whatsappConversations.id, id)))
  await audit(ctx, 'whatsapp.conversation.labels', {
    entity: 'whatsapp_conversation',
    entityId: id,
    before: { labels: current.labels },
    after: { labels },
  })
  await conversationChanged(ctx.db, current)
  return { labels }
}

/**
 * The labels in use on the conversations the actor can see, most used first: the inbox's filter and the header's
 * suggestions, so a team converges on its words instead of typing variants.
 */
export async function conversationLabels(ctx: AgencyCtx) {
  const label = sql<string>`unnest(${whatsappConversations.labels})`
  const used = ctx.db
    .select({ label: label.as('label') })
    .from(whatsappConversations)
    .where(
      and(
        inAgency(whatsappConversations, ctx),
        // Only labelled conversations: the condition the partial index of migration 0085 is proved from.
        sql`${whatsappConversations.labels} <> '{}'::text[]`,
        assigneeVisibility(ctx.actor, whatsappConversations.assignedTo),
      ),
    )
    .as('used')
  return ctx.db
    .select({ label: used.label, count: sql<number>`count(*)::int` })
    .from(used)
    .groupBy(used.label)
    .orderBy(sql`count(*) desc`, used.label)
    .limit(100)
}

/**
 * The contact wrote again: a pending or resolved conversation is open again (the pipeline calls this in the message's
 * transaction, with the conversation it read under the contact's lock). No actor: the entry says the contact reopened it.
 */
export async function reopenOnInbound(db: DbOrTx, conversation: Target) {
  if (conversation.status === 'open') return
  await writeStatus(db, conversation, 'open', null)
  await emitAsSystem(db, conversation.agencyId, 'whatsapp', {
    type: 'conversation.status_changed',
    conversationId: conversation.id,
    from: conversation.status,
    to: 'open',
  })
}

/**
 * An internal note in the thread: seen by the team, never sent to the contact. The id is the composer's, so a retried
 * note is added once; an id already used for something else is refused.
 */
export async function addConversationNote(ctx: AgencyCtx, { id, conversationId, body }: TConversationNoteInput) {
  const { db, actor } = ctx
  if (actor.integration) throw new AppError('FORBIDDEN', 'notes are a person’s', { userMessage: 'errors.forbidden' })
  const conversation = await lockVisible(ctx, conversationId)
  const [note] = await db
    .insert(whatsappConversationEntries)
    .values({ id, agencyId: actor.agencyId, conversationId, kind: 'note', body, actorUserId: actor.userId })
    .onConflictDoNothing()
    .returning()
  if (!note) {
    const [same] = await db
      .select()
      .from(whatsappConversationEntries)
      .where(byId(whatsappConversationEntries, ctx, id))
    if (!same || same.conversationId !== conversationId || same.kind !== 'note' || same.body !== body)
      throw new AppError('CONFLICT', 'note id reused', { userMessage: 'errors.invalidInput' })
    return same
  }
  await audit(ctx, 'whatsapp.conversation.note', {
    entity: 'whatsapp_conversation',
    entityId: conversationId,
    after: { noteId: id },
  })
  await conversationChanged(db, conversation)
  return note
}

/** Deletes an internal note: its author, or a manager. */
export async function deleteConversationNote(ctx: AgencyCtx, { id }: TConversationNoteIdInput) {
  const { db, actor } = ctx
  const [note] = await db
    .select()
    .from(whatsappConversationEntries)
    .where(and(byId(whatsappConversationEntries, ctx, id), eq(whatsappConversationEntries.kind, 'note')))
  if (!note) throw notFound('note')
  const conversation = await lockVisible(ctx, note.conversationId)
  if (actor.role !== 'manager' && note.actorUserId !== actor.userId)
    throw forbidden('another member’s note', { reason: 'not_author' })
  await db.delete(whatsappConversationEntries).where(byId(whatsappConversationEntries, ctx, id))
  await audit(ctx, 'whatsapp.conversation.noteDelete', {
    entity: 'whatsapp_conversation',
    entityId: note.conversationId,
    before: { noteId: id, body: note.body },
  })
  await conversationChanged(db, conversation)
  return { id }
}

/** Notes and status changes since a time (the span a page of the thread shows), oldest first. */
export async function conversationEntries(db: DbOrTx, agencyId: string, conversationId: string, since?: Date | null) {
  return db
    .select({
      id: whatsappConversationEntries.id,
      kind: whatsappConversationEntries.kind,
      body: whatsappConversationEntries.body,
      status: whatsappConversationEntries.status,
      at: whatsappConversationEntries.at,
      actorUserId: whatsappConversationEntries.actorUserId,
      actorName: users.name,
    })
    .from(whatsappConversationEntries)
    .leftJoin(users, eq(users.id, whatsappConversationEntries.actorUserId))
    .where(
      and(
        eq(whatsappConversationEntries.agencyId, agencyId),
        eq(whatsappConversationEntries.conversationId, conversationId),
        since ? gte(whatsappConversationEntries.at, since) : undefined,
      ),
    )
    .orderBy(asc(whatsappConversationEntries.at), asc(whatsappConversationEntries.id))
}

/**
 * One conversation of a bulk change (the inbox's ticked rows, or all that match), through the same function as a
 * one-off change — so it has its own entry, audit entry, live event and webhook — in its own savepoint. Answers the
 * refusal when the actor may not change it (not visible, not theirs), so the caller skips and counts it.
 */
export async function applyConversationBulkAction(
  ctx: AgencyCtx,
  id: string,
  action: TBulkConversationAction,
): Promise<AppError | null> {
  try {
    await ctx.db.transaction(async (tx) => {
      const one = { ...ctx, db: tx }
      if (action.kind === 'status') await setConversationStatus(one, { id, status: action.status })
      else if (action.kind === 'assign') await assignConversation(one, { id, assignedTo: action.assignedTo })
      else if (action.kind === 'addLabel') await setConversationLabels(one, { id, add: action.label })
      else await setConversationLabels(one, { id, remove: action.label })
    })
    return null
  } catch (e) {
    if (!(e instanceof AppError)) throw e
    return e
  }
}
