import {
  and,
  asc,
  clients,
  desc,
  eq,
  gte,
  inArray,
  isNotNull,
  isNull,
  leadEvents,
  leadNotes,
  leads,
  leadSources,
  leadStatuses,
  memberships,
  or,
  sql,
  users,
  type DbOrTx,
  type Lead,
} from '@impera/db'
import type { SQL } from 'drizzle-orm'
import { AppError, forbidden, notFound } from '../errors'
import type { TLeadInput, TListLeadsInput, TSetLeadStatusInput } from '../schemas'
import type { AgencyActor } from '../ctx'
import { writeAudit } from './audit'
import { cheapCount, pageIds, enumKey, keyset, numberKey, textKey, timeKey, toPage, type SortKey } from './list-query'
import { activityChanged } from './live'
import { raiseNotification } from './notifications'
import {
  assertCanEdit,
  assigneeFilter,
  assigneeVisibility,
  canEditRecord,
  canSeeRecord,
  changedFields,
  defaultAssignee,
  docMatches,
  normalizeRecordPhones,
  phoneDigitsMatch,
  resolveAssignee,
  textArray,
  timeRange,
  trashCutoff,
  visibleTo,
} from './records'

/** Who sees which leads (on top of RLS, which fences the agency). */
export function leadVisibility(actor: AgencyActor): SQL | undefined {
  return assigneeVisibility(actor, leads.assignedTo)
}

export async function getVisibleLead(db: DbOrTx, actor: AgencyActor, id: string, opts: { deleted?: boolean } = {}) {
  const [lead] = await db
    .select()
    .from(leads)
    .where(
      and(
        eq(leads.agencyId, actor.agencyId),
        eq(leads.id, id),
        opts.deleted ? isNotNull(leads.deletedAt) : isNull(leads.deletedAt),
        leadVisibility(actor),
      ),
    )
  if (!lead) throw notFound('lead')
  return lead
}

export async function getEditableLead(db: DbOrTx, actor: AgencyActor, id: string) {
  const lead = await getVisibleLead(db, actor, id)
  assertCanEdit(actor, lead, 'lead')
  return lead
}

export interface DuplicateLead {
  id: string | null
  name: string | null
  matchedOn: 'phone' | 'email'
}

/**
 * Leads of the agency sharing a phone (already normalised, so 9th-digit variants match) or the e-mail. Ones the actor
 * may not see are reported without name or link, so the warning does not leak another agent's record.
 */
export async function findDuplicateLeads(
  db: DbOrTx,
  actor: AgencyActor,
  contact: { phones: string[]; email: string | null },
  excludeId?: string,
): Promise<DuplicateLead[]> {
  const matches: SQL[] = []
  if (contact.phones.length) matches.push(sql`${leads.phones} && ${textArray(contact.phones)}`)
  if (contact.email) matches.push(sql`lower(${leads.email}) = ${contact.email.toLowerCase()}`)
  if (!matches.length) return []
  const rows = await db
    .select({ id: leads.id, name: leads.name, phones: leads.phones, email: leads.email, assignedTo: leads.assignedTo })
    .from(leads)
    .where(
      and(
        eq(leads.agencyId, actor.agencyId),
        isNull(leads.deletedAt),
        or(...matches),
        excludeId ? sql`${leads.id} <> ${excludeId}` : undefined,
      ),
    )
    .limit(10)
  const seeAll = actor.role === 'manager' || actor.agency.agentsSeeAll
  return rows.map((r) => {
    const visible = seeAll || r.assignedTo === null || r.assignedTo === actor.userId
    const matchedOn = r.phones.some((p) => contact.phones.includes(p)) ? 'phone' : 'email'
    return visible ? { id: r.id, name: r.name, matchedOn } : { id: null, name: null, matchedOn }
  })
}

function normalizeContact(actor: AgencyActor, data: TLeadInput) {
  return { ...data, phones: normalizeRecordPhones(actor, data.phones) }
}

async function event(
  db: DbOrTx,
  actor: AgencyActor,
  leadId: string,
  kind: (typeof leadEvents.$inferInsert)['kind'],
  data: Record<string, unknown> = {},
) {
  await db.insert(leadEvents).values({ agencyId: actor.agencyId, leadId, actorUserId: actor.userId, kind, data })
  if (kind !== 'edited') await activityChanged(db, actor.agencyId)
}

/** Tells a member a lead is now theirs (not when they took it themselves). */
function notifyAssigned(db: DbOrTx, actor: AgencyActor, lead: { id: string; name: string; assignedTo: string | null }) {
  return raiseNotification(db, {
    agencyId: actor.agencyId,
    userIds: [lead.assignedTo],
    actorUserId: actor.userId,
    kind: 'lead_assigned',
    entity: 'lead',
    entityId: lead.id,
    data: { name: lead.name },
  })
}

export async function createLead({
  db,
  actor,
  data,
  allowDuplicate,
}: {
  db: DbOrTx
  actor: AgencyActor
  data: TLeadInput
  allowDuplicate: boolean
}) {
  const values = normalizeContact(actor, data)
  const assignedTo = await resolveAssignee(db, actor, defaultAssignee(actor, values.assignedTo), undefined)
  if (!allowDuplicate) {
    const duplicates = await findDuplicateLeads(db, actor, values)
    if (duplicates.length)
      throw new AppError('CONFLICT', 'duplicate lead', {
        userMessage: 'leads.duplicate',
        meta: { reason: 'duplicate', duplicates },
      })
  }
  const [lead] = await db
    .insert(leads)
    .values({ ...values, assignedTo, agencyId: actor.agencyId, createdBy: actor.userId })
    .returning()
  await event(db, actor, lead!.id, 'created', { status: lead!.status, assignedTo, source: lead!.source })
  await notifyAssigned(db, actor, lead!)
  await writeAudit(db, {
    agencyId: actor.agencyId,
    actorUserId: actor.userId,
    action: 'lead.create',
    entity: 'lead',
    entityId: lead!.id,
    after: lead,
    ip: actor.ip,
  })
  return lead!
}

const editableFields = [
  'name',
  'phones',
  'email',
  'source',
  'sourceDetail',
  'interest',
  'budgetMin',
  'budgetMax',
  'propertyTypes',
  'locations',
  'minBedrooms',
  'notes',
  'tags',
] as const

export async function updateLead({
  db,
  actor,
  id,
  data,
  allowDuplicate,
}: {
  db: DbOrTx
  actor: AgencyActor
  id: string
  data: TLeadInput
  allowDuplicate: boolean
}) {
  const before = await getEditableLead(db, actor, id)
  const values = normalizeContact(actor, data)
  const assignedTo = await resolveAssignee(db, actor, values.assignedTo, before.assignedTo)
  if (!allowDuplicate) {
    const duplicates = await findDuplicateLeads(db, actor, values, id)
    if (duplicates.length)
      throw new AppError('CONFLICT', 'duplicate lead', {
        userMessage: 'leads.duplicate',
        meta: { reason: 'duplicate', duplicates },
      })
  }
  const changed = changedFields(before, values, editableFields)
  if (!changed.length && assignedTo === before.assignedTo) return before
  const [after] = await db
    .update(leads)
    .set({ ...Object.fromEntries(editableFields.map((f) => [f, values[f]])), assignedTo, updatedAt: new Date() })
    .where(and(eq(leads.agencyId, actor.agencyId), eq(leads.id, id)))
    .returning()
  if (changed.length) await event(db, actor, id, 'edited', { fields: changed })
  if (assignedTo !== before.assignedTo) {
    await event(db, actor, id, 'assigned', { from: before.assignedTo, to: assignedTo })
    await notifyAssigned(db, actor, after!)
  }
  await writeAudit(db, {
    agencyId: actor.agencyId,
    actorUserId: actor.userId,
    action: 'lead.update',
    entity: 'lead',
    entityId: id,
    before,
    after,
    ip: actor.ip,
  })
  return after!
}

/** Any move is allowed, backwards too; each is recorded with who and when (reports use these for stage durations). */
export async function setLeadStatus({
  db,
  actor,
  input,
}: {
  db: DbOrTx
  actor: AgencyActor
  input: TSetLeadStatusInput
}) {
  const before = await getEditableLead(db, actor, input.id)
  if (before.status === 'converted')
    throw new AppError('CONFLICT', 'converted lead', { userMessage: 'leads.alreadyConverted' })
  const lost = input.status === 'lost'
  if (
    before.status === input.status &&
    (!lost || (before.lostReason === input.lostReason && before.lostDetail === input.lostDetail))
  )
    return before
  const [after] = await db
    .update(leads)
    .set({
      status: input.status,
      lostReason: lost ? input.lostReason! : null,
      lostDetail: lost ? input.lostDetail : null,
      statusChangedAt: new Date(),
      updatedAt: new Date(),
    })
    .where(and(eq(leads.agencyId, actor.agencyId), eq(leads.id, input.id)))
    .returning()
  await event(db, actor, input.id, 'status_changed', {
    from: before.status,
    to: input.status,
    ...(lost ? { reason: input.lostReason, detail: input.lostDetail } : {}),
  })
  await writeAudit(db, {
    agencyId: actor.agencyId,
    actorUserId: actor.userId,
    action: 'lead.status',
    entity: 'lead',
    entityId: input.id,
    before,
    after,
    ip: actor.ip,
  })
  return after!
}

export async function assignLead({
  db,
  actor,
  id,
  assignedTo,
}: {
  db: DbOrTx
  actor: AgencyActor
  id: string
  assignedTo: string | null
}) {
  const before = await getEditableLead(db, actor, id)
  const to = await resolveAssignee(db, actor, assignedTo, before.assignedTo)
  if (to === before.assignedTo) return before
  const [after] = await db
    .update(leads)
    .set({ assignedTo: to, updatedAt: new Date() })
    .where(and(eq(leads.agencyId, actor.agencyId), eq(leads.id, id)))
    .returning()
  await event(db, actor, id, 'assigned', { from: before.assignedTo, to })
  await notifyAssigned(db, actor, after!)
  await writeAudit(db, {
    agencyId: actor.agencyId,
    actorUserId: actor.userId,
    action: 'lead.assign',
    entity: 'lead',
    entityId: id,
    before,
    after,
    ip: actor.ip,
  })
  return after!
}

/** Moves to the trash (restorable for 30 days); the permission layer already limits this to managers. */
export async function deleteLead({ db, actor, id }: { db: DbOrTx; actor: AgencyActor; id: string }) {
  const before = await getVisibleLead(db, actor, id)
  await db
    .update(leads)
    .set({ deletedAt: new Date(), deletedBy: actor.userId })
    .where(and(eq(leads.agencyId, actor.agencyId), eq(leads.id, id)))
  await event(db, actor, id, 'deleted')
  await writeAudit(db, {
    agencyId: actor.agencyId,
    actorUserId: actor.userId,
    action: 'lead.delete',
    entity: 'lead',
    entityId: id,
    before,
    ip: actor.ip,
  })
  return { ok: true as const }
}

export async function restoreLead({ db, actor, id }: { db: DbOrTx; actor: AgencyActor; id: string }) {
  const lead = await getVisibleLead(db, actor, id, { deleted: true })
  if (lead.deletedAt! < trashCutoff()) throw notFound('lead')
  const [after] = await db
    .update(leads)
    .set({ deletedAt: null, deletedBy: null, updatedAt: new Date() })
    .where(and(eq(leads.agencyId, actor.agencyId), eq(leads.id, id)))
    .returning()
  await event(db, actor, id, 'restored')
  await writeAudit(db, {
    agencyId: actor.agencyId,
    actorUserId: actor.userId,
    action: 'lead.restore',
    entity: 'lead',
    entityId: id,
    after,
    ip: actor.ip,
  })
  return after!
}

export async function listLeadTrash({ db, actor }: { db: DbOrTx; actor: AgencyActor }) {
  return db
    .select({ id: leads.id, name: leads.name, deletedAt: leads.deletedAt, deletedByName: users.name })
    .from(leads)
    .leftJoin(users, eq(users.id, leads.deletedBy))
    .where(and(eq(leads.agencyId, actor.agencyId), isNotNull(leads.deletedAt), gte(leads.deletedAt, trashCutoff())))
    .orderBy(desc(leads.deletedAt))
    .limit(200)
}

/** What each sortable column orders by; the assignee sorts by name (a join), the budget by its upper bound. */
const leadSortKeys: Record<TListLeadsInput['sort'], SortKey> = {
  createdAt: timeKey(leads.createdAt),
  updatedAt: timeKey(leads.updatedAt),
  name: textKey(leads.name),
  email: textKey(leads.email, true),
  status: enumKey(leads.status, 'lead_status', leadStatuses),
  source: enumKey(leads.source, 'lead_source', leadSources),
  assignee: textKey(users.name, true),
  interest: enumKey(leads.interest, 'lead_interest', ['buy', 'rent'], true),
  budget: numberKey(leads.budgetMax, 'bigint'),
  firstContactAt: timeKey(leads.firstContactAt, true),
}

/** The filters of the leads list, composable (all ANDed), always inside the actor's visibility. */
function leadListFilters(actor: AgencyActor, input: TListLeadsInput): SQL | undefined {
  const filters: (SQL | undefined)[] = [
    eq(leads.agencyId, actor.agencyId),
    isNull(leads.deletedAt),
    leadVisibility(actor),
  ]
  if (input.q) filters.push(or(docMatches(leads, input.q), phoneDigitsMatch(leads.phones, input.q)))
  if (input.status?.length) filters.push(inArray(leads.status, input.status))
  if (input.source?.length) filters.push(inArray(leads.source, input.source))
  filters.push(assigneeFilter(actor, leads.assignedTo, input.assignee))
  if (input.tags) filters.push(sql`${leads.tags} && ${textArray(input.tags)}`)
  if (input.interest) filters.push(eq(leads.interest, input.interest))
  filters.push(
    timeRange(leads.createdAt, input.createdFrom, input.createdTo),
    timeRange(leads.updatedAt, input.updatedFrom, input.updatedTo),
  )
  return and(...filters)
}

export async function listLeads({ db, actor, input }: { db: DbOrTx; actor: AgencyActor; input: TListLeadsInput }) {
  const where = leadListFilters(actor, input)
  const page = keyset(leadSortKeys[input.sort], leads.id, input)
  const fetched = await db
    .select({
      id: leads.id,
      name: leads.name,
      phones: leads.phones,
      email: leads.email,
      status: leads.status,
      source: leads.source,
      interest: leads.interest,
      budgetMin: leads.budgetMin,
      budgetMax: leads.budgetMax,
      tags: leads.tags,
      assignedTo: leads.assignedTo,
      assigneeName: users.name,
      firstContactAt: leads.firstContactAt,
      createdAt: leads.createdAt,
      updatedAt: leads.updatedAt,
      sortKey: page.keyText,
    })
    .from(leads)
    .leftJoin(users, eq(users.id, leads.assignedTo))
    .where(
      and(
        eq(leads.agencyId, actor.agencyId),
        inArray(leads.id, pageIds(db, leads, leads.id, leads.assignedTo, and(where, page.where), page)),
      ),
    )
    .orderBy(...page.orderBy)
  const total = await cheapCount(db, sql`select 1 from ${leads} where ${where}`)
  return { ...toPage(fetched, input), total }
}

/** The kanban: each column's most recently moved leads (bounded, so a huge pipeline stays fast). */
export async function leadBoard({
  db,
  actor,
  perColumn = 100,
}: {
  db: DbOrTx
  actor: AgencyActor
  perColumn?: number
}) {
  const rows = await db.execute<{
    id: string
    name: string
    status: Lead['status']
    assigned_to: string | null
    assignee_name: string | null
    phones: string[]
    status_changed_at: string
    total: number
  }>(sql`
    select id, name, status, assigned_to, assignee_name, phones, status_changed_at, total from (
      select l.id, l.name, l.status, l.assigned_to, u.name as assignee_name, l.phones, l.status_changed_at,
             row_number() over (partition by l.status order by l.status_changed_at desc, l.id) as rn,
             count(*) over (partition by l.status)::int as total
      from leads l left join users u on u.id = l.assigned_to
      where l.agency_id = ${actor.agencyId} and l.deleted_at is null ${visibleTo(actor, 'l.assigned_to')}
    ) x where rn <= ${perColumn} order by status_changed_at desc`)
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    status: r.status,
    assignedTo: r.assigned_to,
    assigneeName: r.assignee_name,
    phones: r.phones,
    statusChangedAt: new Date(r.status_changed_at),
    columnTotal: r.total,
  }))
}

export async function getLead({ db, actor, id }: { db: DbOrTx; actor: AgencyActor; id: string }) {
  const lead = await getVisibleLead(db, actor, id)
  const [events, notes, assignee, client] = await Promise.all([
    db
      .select({
        id: leadEvents.id,
        kind: leadEvents.kind,
        data: leadEvents.data,
        at: leadEvents.at,
        actorName: users.name,
      })
      .from(leadEvents)
      .leftJoin(users, eq(users.id, leadEvents.actorUserId))
      .where(and(eq(leadEvents.agencyId, actor.agencyId), eq(leadEvents.leadId, id)))
      .orderBy(desc(leadEvents.at)),
    db
      .select({
        id: leadNotes.id,
        body: leadNotes.body,
        authorId: leadNotes.authorId,
        authorName: users.name,
        createdAt: leadNotes.createdAt,
        updatedAt: leadNotes.updatedAt,
      })
      .from(leadNotes)
      .leftJoin(users, eq(users.id, leadNotes.authorId))
      .where(and(eq(leadNotes.agencyId, actor.agencyId), eq(leadNotes.leadId, id)))
      .orderBy(desc(leadNotes.createdAt)),
    lead.assignedTo
      ? db.select({ name: users.name }).from(users).where(eq(users.id, lead.assignedTo))
      : Promise.resolve([]),
    lead.clientId
      ? db
          .select({ id: clients.id, name: clients.name, assignedTo: clients.assignedTo })
          .from(clients)
          .where(and(eq(clients.agencyId, actor.agencyId), eq(clients.id, lead.clientId), isNull(clients.deletedAt)))
      : Promise.resolve([]),
  ])
  const clientRow = client[0]
  return {
    lead,
    assigneeName: assignee[0]?.name ?? null,
    events,
    notes,
    // The converted lead links to its client; an agent who may not open that client sees only the name.
    client: clientRow ? { id: canSeeRecord(actor, clientRow) ? clientRow.id : null, name: clientRow.name } : null,
    canEdit: canEditRecord(actor, lead),
  }
}

export async function addLeadNote({
  db,
  actor,
  leadId,
  body,
}: {
  db: DbOrTx
  actor: AgencyActor
  leadId: string
  body: string
}) {
  await getVisibleLead(db, actor, leadId)
  const [note] = await db
    .insert(leadNotes)
    .values({ agencyId: actor.agencyId, leadId, authorId: actor.userId, body })
    .returning()
  await writeAudit(db, {
    agencyId: actor.agencyId,
    actorUserId: actor.userId,
    action: 'lead.note.add',
    entity: 'lead_note',
    entityId: note!.id,
    after: { leadId, body },
    ip: actor.ip,
  })
  return note!
}

async function getOwnNote(db: DbOrTx, actor: AgencyActor, id: string) {
  const [note] = await db
    .select()
    .from(leadNotes)
    .where(and(eq(leadNotes.agencyId, actor.agencyId), eq(leadNotes.id, id)))
  if (!note) throw notFound('note')
  await getVisibleLead(db, actor, note.leadId)
  if (note.authorId !== actor.userId) throw forbidden('not the author', { reason: 'not_author' })
  return note
}

export async function updateLeadNote({
  db,
  actor,
  id,
  body,
}: {
  db: DbOrTx
  actor: AgencyActor
  id: string
  body: string
}) {
  const before = await getOwnNote(db, actor, id)
  const [after] = await db
    .update(leadNotes)
    .set({ body, updatedAt: new Date() })
    .where(and(eq(leadNotes.agencyId, actor.agencyId), eq(leadNotes.id, id)))
    .returning()
  await writeAudit(db, {
    agencyId: actor.agencyId,
    actorUserId: actor.userId,
    action: 'lead.note.edit',
    entity: 'lead_note',
    entityId: id,
    before,
    after,
    ip: actor.ip,
  })
  return after!
}

export async function deleteLeadNote({ db, actor, id }: { db: DbOrTx; actor: AgencyActor; id: string }) {
  const before = await getOwnNote(db, actor, id)
  await db.delete(leadNotes).where(and(eq(leadNotes.agencyId, actor.agencyId), eq(leadNotes.id, id)))
  await writeAudit(db, {
    agencyId: actor.agencyId,
    actorUserId: actor.userId,
    action: 'lead.note.delete',
    entity: 'lead_note',
    entityId: id,
    before,
    ip: actor.ip,
  })
  return { ok: true as const }
}

/** Active members a lead can be assigned to (for pickers and filters). */
export async function listAssignees({ db, actor }: { db: DbOrTx; actor: AgencyActor }) {
  return db
    .select({ userId: users.id, name: users.name, role: memberships.role })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.agencyId, actor.agencyId), eq(memberships.status, 'active')))
    .orderBy(asc(users.name))
}
