import { and, asc, desc, eq, savedViews, sql, users, type DbOrTx } from '@impera/db'
import { byId, inAgency, type AgencyActor, type AgencyCtx } from '../ctx'
import { forbidden, invalidField, notFound } from '../errors'
import {
  normalizeViewQuery,
  type TCreateViewInput,
  type TListViewsInput,
  type TUpdateViewInput,
  type TViewIdInput,
} from '../schemas'
import { audit } from './audit'
import { pgCode } from './notifications'

/**
 * Saved views of the lists. Anyone keeps views for themselves and may share them with the agency; a shared view is
 * changed or removed only by its owner or a manager (RLS already hides other members' personal views).
 */
const columns = {
  id: savedViews.id,
  list: savedViews.list,
  name: savedViews.name,
  query: savedViews.query,
  shared: savedViews.shared,
  ownerId: savedViews.ownerId,
  updatedAt: savedViews.updatedAt,
}

export async function listSavedViews(ctx: AgencyCtx, { list }: TListViewsInput) {
  const { db, actor } = ctx
  const rows = await db
    .select({ ...columns, ownerName: users.name })
    .from(savedViews)
    .leftJoin(users, eq(users.id, savedViews.ownerId))
    .where(and(inAgency(savedViews, ctx), eq(savedViews.list, list)))
    // Mine first, then the agency's shared ones; alphabetical within each.
    .orderBy(desc(sql`${savedViews.ownerId} = ${actor.userId}`), asc(sql`lower(${savedViews.name})`))
  return rows.map((v) => ({ ...v, mine: v.ownerId === actor.userId, canEdit: canEditView(actor, v) }))
}

function canEditView(actor: AgencyActor, view: { ownerId: string; shared: boolean }) {
  return view.ownerId === actor.userId || (view.shared && actor.role === 'manager')
}

async function getEditableView(ctx: AgencyCtx, id: string) {
  const [view] = await ctx.db
    .select()
    .from(savedViews)
    .where(byId(savedViews, ctx, id))
  if (!view) throw notFound('view')
  if (!canEditView(ctx.actor, view)) throw forbidden('view owned by someone else', { reason: 'not_owner' })
  return view
}

/** A name is unique among one member's views of a list; the unique index decides under races (savepoint, so the request survives). */
async function uniquely<T>(db: DbOrTx, write: (tx: DbOrTx) => Promise<T>): Promise<T> {
  try {
    return await db.transaction((sp) => write(sp))
  } catch (e) {
    if (pgCode(e) === '23505') throw invalidField('name', 'lists.viewNameTaken')
    throw e
  }
}

export async function createSavedView(ctx: AgencyCtx, input: TCreateViewInput) {
  const { db, actor } = ctx
  const view = await uniquely(db, async (tx) => {
    const [row] = await tx
      .insert(savedViews)
      .values({
        agencyId: actor.agencyId,
        ownerId: actor.userId,
        list: input.list,
        name: input.name,
        query: normalizeViewQuery(input.list, input.query),
        shared: input.shared,
      })
      .returning(columns)
    return row!
  })
  await audit(ctx, 'view.create', { entity: 'saved_view', entityId: view.id, after: view })
  return { ...view, mine: true, canEdit: true }
}

export async function updateSavedView(ctx: AgencyCtx, input: TUpdateViewInput) {
  const { db, actor } = ctx
  const before = await getEditableView(ctx, input.id)
  // Only the owner decides who sees their view; a manager tidying a shared view cannot make it private to someone else.
  if (input.shared !== undefined && input.shared !== before.shared && before.ownerId !== actor.userId)
    throw forbidden('only the owner shares or unshares a view', { reason: 'not_owner' })
  const after = await uniquely(db, async (tx) => {
    const [row] = await tx
      .update(savedViews)
      .set({
        name: input.name ?? before.name,
        query: input.query === undefined ? before.query : normalizeViewQuery(before.list, input.query),
        shared: input.shared ?? before.shared,
        updatedAt: new Date(),
      })
      .where(byId(savedViews, ctx, input.id))
      .returning(columns)
    return row!
  })
  await audit(ctx, 'view.update', { entity: 'saved_view', entityId: input.id, before, after })
  return { ...after, mine: after.ownerId === actor.userId, canEdit: true }
}

export async function deleteSavedView(ctx: AgencyCtx, { id }: TViewIdInput) {
  const before = await getEditableView(ctx, id)
  await ctx.db.delete(savedViews).where(byId(savedViews, ctx, id))
  await audit(ctx, 'view.delete', { entity: 'saved_view', entityId: id, before })
  return { ok: true as const }
}
