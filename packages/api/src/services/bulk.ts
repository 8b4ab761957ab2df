import {
  and,
  desc,
  bulkOperationItems,
  bulkOperations,
  clients,
  count,
  eq,
  inArray,
  isNull,
  leads,
  properties,
  sql,
  whatsappConversations,
  type BulkOperation,
  type DbOrTx,
} from '@impera/db'
import type { SQL } from 'drizzle-orm'
import { byId, inAgency, type AgencyCtx } from '../ctx'
import { AppError, forbidden, invalidField, notFound } from '../errors'
import { readMemberActor } from '../member-actor'
import { bulkRunJob, enqueue } from '../jobs'
import { rooms } from '../live'
import { canTrash } from '../permissions'
import type {
  TBulkClientAction,
  TBulkClientsInput,
  TBulkConversationAction,
  TBulkConversationsInput,
  TBulkLeadAction,
  TBulkLeadsInput,
  TBulkPropertiesInput,
  TBulkPropertyAction,
} from '../schemas'
import { audit } from './audit'
import { applyClientBulkAction, clientListFilters, clientVisibility } from './clients'
import { applyConversationBulkAction } from './conversation-entries'
import { recordLeadChange, type LeadWriter } from './lead-facts'
import { leadListFilters, leadVisibility } from './leads'
import { emitLive } from './live'
import { raiseNotification } from './notifications'
import { applyPropertyBulkAction, propertyListFilters, propertyVisibility } from './properties'
import { editableBy, resolveAssignee } from './records'
import { conversationListFilters } from './whatsapp'

/**
 * Bulk operations on leads, clients and properties (decision 028): the selection is frozen into items when the
 * operation starts, each record is changed in its own row lock with its own history fact (the timeline, webhooks and
 * automation see every change), and the operation is audited once with its row count. Up to `INLINE_MAX` leads run in the request;
 * beyond, the `bulk:run` job works through the items in chunks, each chunk one transaction that ticks its items off,
 * so a worker restart resumes where it stopped and nothing is done twice.
 */
export const BULK_INLINE_MAX = 500
export const BULK_MAX = 100_000
const CHUNK = 200

type BulkEntity = BulkOperation['entity']
type BulkAction = TBulkLeadAction | TBulkClientAction | TBulkPropertyAction | TBulkConversationAction

export async function bulkLeads(ctx: AgencyCtx, { selection, action }: TBulkLeadsInput) {
  const where =
    'ids' in selection
      ? and(inAgency(leads, ctx), isNull(leads.deletedAt), leadVisibility(ctx.actor), inArray(leads.id, selection.ids))
      : leadListFilters(ctx, selection.filter)
  return startBulk(ctx, 'lead', leads, and(where, editableBy(ctx.actor, leads.assignedTo)), action, selection)
}

export async function bulkClients(ctx: AgencyCtx, { selection, action }: TBulkClientsInput) {
  const where =
    'ids' in selection
      ? and(
          inAgency(clients, ctx),
          isNull(clients.deletedAt),
          clientVisibility(ctx.actor),
          inArray(clients.id, selection.ids),
        )
      : clientListFilters(ctx, selection.filter)
  return startBulk(ctx, 'client', clients, and(where, editableBy(ctx.actor, clients.assignedTo)), action, selection)
}

export async function bulkProperties(ctx: AgencyCtx, { selection, action }: TBulkPropertiesInput) {
  const where =
    'ids' in selection
      ? and(
          inAgency(properties, ctx),
          isNull(properties.deletedAt),
          propertyVisibility(ctx.actor),
          inArray(properties.id, selection.ids),
        )
      : propertyListFilters(ctx, selection.filter)
  return startBulk(
    ctx,
    'property',
    properties,
    and(where, editableBy(ctx.actor, properties.assignedTo)),
    action,
    selection,
  )
}

/**
 * Inbox changes (the ticked conversations, or all that match): up to `BULK_INLINE_MAX` in the request, each through
 * the conversation's own one-off change, those the member may not change skipped and counted — and when none could
 * be changed, the first refusal is the answer (not a silent "0 changed"). Beyond, a background operation like any
 * other bulk one, whose items are skipped the same way.
 */
export async function bulkConversations(ctx: AgencyCtx, input: TBulkConversationsInput) {
  const { db } = ctx
  const { action } = input
  let ids: string[]
  if ('ids' in input) ids = [...new Set(input.ids)]
  else {
    const where = conversationListFilters(ctx, input.filter)
    const rows = await db
      .select({ id: whatsappConversations.id })
      .from(whatsappConversations)
      .where(where)
      .orderBy(desc(whatsappConversations.lastMessageAt), desc(whatsappConversations.id))
      .limit(BULK_INLINE_MAX + 1)
    if (rows.length > BULK_INLINE_MAX) {
      const operation = await startBulk(ctx, 'conversation', whatsappConversations, where, action, input)
      return { changed: 0, skipped: 0, operation }
    }
    ids = rows.map((r) => r.id)
    if (!ids.length) throw invalidField('selection', 'bulk.empty')
  }
  let changed = 0
  let skipped = 0
  let firstRefusal: AppError | null = null
  for (const id of ids) {
    const refusal = await applyConversationBulkAction(ctx, id, action)
    if (refusal) {
      firstRefusal ??= refusal
      skipped++
    } else changed++
  }
  if (!changed && firstRefusal) throw firstRefusal
  return { changed, skipped, operation: null }
}

/**
 * Freezes the selection — what the member may see and edit (an agent who sees the whole agency still changes only
 * their own and unassigned records, as one by one) — into items, audits the operation once, and runs it.
 */
async function startBulk(
  ctx: AgencyCtx,
  entity: BulkEntity,
  table: typeof leads | typeof clients | typeof properties | typeof whatsappConversations,
  where: SQL | undefined,
  action: BulkAction,
  selection: { ids: string[] } | { filter: unknown },
) {
  const { db, actor } = ctx
  if (action.kind === 'trash' && !canTrash(actor.role))
    throw forbidden('only managers move records to the trash', { reason: 'managers_only' })
  if (action.kind === 'assign') await resolveAssignee(ctx, action.assignedTo, undefined)
  const [found] = await db.select({ n: count() }).from(table).where(where)
  const total = Number(found?.n ?? 0)
  if (total === 0) throw invalidField('selection', 'bulk.empty')
  if (total > BULK_MAX) throw invalidField('selection', 'bulk.tooMany')
  const [op] = await db
    .insert(bulkOperations)
    .values({ agencyId: actor.agencyId, entity, action, total, createdBy: actor.userId })
    .returning()
  await db.insert(bulkOperationItems).select(
    db
      .select({
        agencyId: table.agencyId,
        operationId: sql<string>`${op!.id}::uuid`.as('operation_id'),
        recordId: table.id,
        done: sql<boolean>`false`.as('done'),
      })
      .from(table)
      .where(where),
  )
  // The filter is kept with the count, so "all that match" can be checked afterwards against what it stood for.
  await audit(ctx, `${entity}.bulk`, {
    entity: 'bulk_operation',
    entityId: op!.id,
    after: { action, total, ...('filter' in selection ? { filter: selection.filter } : {}) },
  })
  if (total <= BULK_INLINE_MAX) {
    while ((await runBulkChunk(db, { agencyId: actor.agencyId, operationId: op!.id, inline: true })) === 'more');
  } else {
    await enqueue(db, bulkRunJob, { agencyId: actor.agencyId, operationId: op!.id })
  }
  return publicOperation((await readOperation(db, actor.agencyId, op!.id))!)
}

/** An operation's progress, for the member who started it (and managers). */
export async function getBulkOperation(ctx: AgencyCtx, { id }: { id: string }) {
  const [op] = await ctx.db
    .select()
    .from(bulkOperations)
    .where(byId(bulkOperations, ctx, id))
  if (!op || (ctx.actor.role !== 'manager' && op.createdBy !== ctx.actor.userId)) throw notFound('bulk operation')
  return publicOperation(op)
}

function publicOperation(op: BulkOperation) {
  return {
    id: op.id,
    entity: op.entity,
    action: op.action as BulkAction,
    total: op.total,
    done: op.done,
    changed: op.changed,
    status: op.status,
    createdAt: op.createdAt,
    finishedAt: op.finishedAt,
  }
}

async function readOperation(db: DbOrTx, agencyId: string, id: string, lock = false) {
  const q = db
    .select()
    .from(bulkOperations)
    .where(and(eq(bulkOperations.agencyId, agencyId), eq(bulkOperations.id, id)))
  const [op] = lock ? await q.for('update') : await q
  return op
}

/**
 * Applies the operation to its next chunk of pending leads in the caller's transaction, as the member who started
 * it. Returns 'more' while items remain. The last chunk closes the operation and tells the people concerned.
 */
export async function runBulkChunk(
  db: DbOrTx,
  { agencyId, operationId, inline = false }: { agencyId: string; operationId: string; inline?: boolean },
): Promise<'more' | 'done'> {
  const op = await readOperation(db, agencyId, operationId, true)
  if (!op || op.status !== 'running') return 'done'
  const items = await db
    .select({ recordId: bulkOperationItems.recordId })
    .from(bulkOperationItems)
    .where(
      and(
        eq(bulkOperationItems.agencyId, agencyId),
        eq(bulkOperationItems.operationId, operationId),
        eq(bulkOperationItems.done, false),
      ),
    )
    .orderBy(bulkOperationItems.recordId)
    .limit(CHUNK)
  const apply = await applier(db, op)
  let changed = 0
  for (const { recordId } of items) if (await apply(recordId)) changed++
  if (items.length)
    await db
      .update(bulkOperationItems)
      .set({ done: true })
      .where(
        and(
          eq(bulkOperationItems.agencyId, agencyId),
          eq(bulkOperationItems.operationId, operationId),
          inArray(
            bulkOperationItems.recordId,
            items.map((i) => i.recordId),
          ),
        ),
      )
  const last = items.length < CHUNK
  const [after] = await db
    .update(bulkOperations)
    .set({
      done: sql`${bulkOperations.done} + ${items.length}`,
      changed: sql`${bulkOperations.changed} + ${changed}`,
      ...(last ? { status: 'done' as const, finishedAt: new Date() } : {}),
    })
    .where(and(eq(bulkOperations.agencyId, agencyId), eq(bulkOperations.id, operationId)))
    .returning()
  if (last) await announce(db, after!, inline)
  if (op.createdBy) await emitLive(db, rooms.user(op.createdBy), 'bulk:changed')
  return last ? 'done' : 'more'
}

/** How one record of the operation is changed, by the domain that owns its facts, as the member who started it. */
async function applier(db: DbOrTx, op: BulkOperation): Promise<(recordId: string) => Promise<boolean>> {
  const w = { db, actor: { agencyId: op.agencyId, userId: op.createdBy } }
  switch (op.entity) {
    case 'conversation': {
      // A conversation changes through its one-off path, which decides who may as the member: their rights now.
      const member = op.createdBy
        ? await readMemberActor(db, { agencyId: op.agencyId, userId: op.createdBy, ip: null })
        : null
      if (member?.status !== 'active') return async () => false
      const ctx: AgencyCtx = { db, actor: member.actor }
      return async (id) => !(await applyConversationBulkAction(ctx, id, op.action as TBulkConversationAction))
    }
    case 'client':
      return (id) => applyClientBulkAction(w, id, op.action as TBulkClientAction)
    case 'property':
      return (id) => applyPropertyBulkAction(w, id, op.action as TBulkPropertyAction)
    case 'lead': {
      const lw: LeadWriter = { db, agencyId: op.agencyId, actorUserId: op.createdBy, ip: null, origin: 'ui' }
      return (id) => applyLeadAction(lw, id, op.action as TBulkLeadAction)
    }
  }
}

/** One notification per operation: to its creator when it ran in the background, and to whoever received leads. */
async function announce(db: DbOrTx, op: BulkOperation, inline: boolean) {
  const action = op.action as BulkAction
  if (!inline)
    await raiseNotification(db, {
      agencyId: op.agencyId,
      userIds: [op.createdBy],
      kind: 'bulk_done',
      entity: 'bulk_operation',
      entityId: op.id,
      data: { entity: op.entity, action: action.kind, total: op.total, changed: op.changed },
    })
  if (op.entity === 'lead' && action.kind === 'assign' && action.assignedTo && op.changed > 0)
    await raiseNotification(db, {
      agencyId: op.agencyId,
      userIds: [action.assignedTo],
      actorUserId: op.createdBy,
      kind: 'leads_assigned',
      entity: 'bulk_operation',
      entityId: op.id,
      data: { count: op.changed },
    })
}

/** Changes one lead; false when there was nothing to do (already so, converted, gone meanwhile). */
async function applyLeadAction(w: LeadWriter, leadId: string, action: TBulkLeadAction): Promise<boolean> {
  const { db, agencyId } = w
  const [lead] = await db
    .select({
      status: leads.status,
      assignedTo: leads.assignedTo,
      tags: leads.tags,
      lostReason: leads.lostReason,
    })
    .from(leads)
    .where(and(eq(leads.agencyId, agencyId), eq(leads.id, leadId), isNull(leads.deletedAt)))
    .for('update')
  if (!lead) return false
  const now = new Date()
  const update = (values: Partial<typeof leads.$inferInsert>) =>
    db
      .update(leads)
      .set({ ...values, updatedAt: now })
      .where(and(eq(leads.agencyId, agencyId), eq(leads.id, leadId)))
  switch (action.kind) {
    case 'assign': {
      if (lead.assignedTo === action.assignedTo) return false
      await update({ assignedTo: action.assignedTo })
      // No per-lead notification (`after` has no name): the new owner gets one for the whole operation.
      await recordLeadChange(
        w,
        { leadId, audit: null, before: { assignedTo: lead.assignedTo }, after: { assignedTo: action.assignedTo } },
        [{ kind: 'assigned', from: lead.assignedTo, to: action.assignedTo }],
      )
      return true
    }
    case 'status': {
      const lost = action.status === 'lost'
      if (lead.status === 'converted') return false
      if (lead.status === action.status && (!lost || lead.lostReason === action.lostReason)) return false
      await update({
        status: action.status,
        lostReason: lost ? action.lostReason! : null,
        lostDetail: null,
        statusChangedAt: now,
      })
      await recordLeadChange(w, { leadId, audit: null }, [
        {
          kind: 'status_changed',
          from: lead.status,
          to: action.status,
          ...(lost ? { reason: action.lostReason } : {}),
        },
      ])
      return true
    }
    case 'addTag':
    case 'removeTag': {
      const has = lead.tags.includes(action.tag)
      if (has === (action.kind === 'addTag')) return false
      // A lead keeps at most 20 tags, as its form does.
      if (action.kind === 'addTag' && lead.tags.length >= 20) return false
      const tags = action.kind === 'addTag' ? [...lead.tags, action.tag] : lead.tags.filter((t) => t !== action.tag)
      await update({ tags })
      await recordLeadChange(w, { leadId, audit: null, before: { tags: lead.tags } }, [
        { kind: 'edited', fields: ['tags'] },
      ])
      return true
    }
    case 'trash': {
      await update({ deletedAt: now, deletedBy: w.actorUserId })
      await recordLeadChange(w, { leadId, audit: null }, [{ kind: 'deleted' }])
      return true
    }
  }
}
