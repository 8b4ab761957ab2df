import { and, asc, desc, eq, savedViews, sql, users, type DbOrTx } from '@impera/db'
import { forbidden, invalidField, notFound } from '../errors'
import { normalizeViewQuery, type ListName, type TCreateViewInput, type TUpdateViewInput } from '../schemas'
import type { AgencyActor } from '../ctx'
import { writeAudit } from './audit'
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

export async function listSavedViews({ db, actor, list }: { db: DbOrTx; actor: AgencyActor; list: ListName }) {
  const rows = await db
    .select({ ...columns, ownerName: users.name })
    .from(savedViews)
    .leftJoin(users, eq(users.id, savedViews.ownerId))
    .where(and(eq(savedViews.agencyId, actor.agencyId), eq(savedViews.list, list)))
    // Mine first, then the agency's shared ones; alphabetical within each.
    .orderBy(desc(sql`${savedViews.ownerId} = ${actor.userId}`), asc(sql`lower(${savedViews.name})`))
  return rows.map((v) => ({ ...v, mine: v.ownerId === actor.userId, canEdit: canEditView(actor, v) }))
}

function canEditView(actor: AgencyActor, view: { ownerId: string; shared: boolean }) {
  return view.ownerId === actor.userId || (view.shared && actor.role === 'manager')
}

async function getEditableView(db: DbOrTx, actor: AgencyActor, id: string) {
  const [view] = await db
    .select()
    .from(savedViews)
    .where(and(eq(savedViews.agencyId, actor.agencyId), eq(savedViews.id, id)))
  if (!view) throw notFound('view')
  if (!canEditView(actor, view)) throw forbidden('view owned by someone else', { reason: 'not_owner' })
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

export async function createSavedView({
  db,
  actor,
  input,
}: {
  db: DbOrTx
  actor: AgencyActor
  input: TCreateViewInput
}) {
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
  await writeAudit(db, {
    agencyId: actor.agencyId,
    actorUserId: actor.userId,
    action: 'view.create',
    entity: 'saved_view',
    entityId: view.id,
    after: view,
    ip: actor.ip,
  })
  return { ...view, mine: true, canEdit: true }
}

export async function updateSavedView({
  db,
  actor,
  input,
}: {
  db: DbOrTx
  actor: AgencyActor
  input: TUpdateViewInput
}) {
  const before = await getEditableView(db, actor, input.id)
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
      .where(and(eq(savedViews.agencyId, actor.agencyId), eq(savedViews.id, input.id)))
      .returning(columns)
    return row!
  })
  await writeAudit(db, {
    agencyId: actor.agencyId,
    actorUserId: actor.userId,
    action: 'view.update',
    entity: 'saved_view',
    entityId: input.id,
    before,
    after,
    ip: actor.ip,
  })
  return { ...after, mine: after.ownerId === actor.userId, canEdit: true }
}

export async function deleteSavedView({ db, actor, id }: { db: DbOrTx; actor: AgencyActor; id: string }) {
  const before = await getEditableView(db, actor, id)
  await db.delete(savedViews).where(and(eq(savedViews.agencyId, actor.agencyId), eq(savedViews.id, id)))
  await writeAudit(db, {
    agencyId: actor.agencyId,
    actorUserId: actor.userId,
    action: 'view.delete',
    entity: 'saved_view',
    entityId: id,
    before,
    ip: actor.ip,
  })
  return { ok: true as const }
}
