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
  leadAssignments,
  leadEvents,
  leadNotes,
  leads,
  leadSources,
  leadStatuses,
  memberships,
  or,
  sql,
  users,
  type Lead,
} from '@impera/db'
import type { SQL } from 'drizzle-orm'
import { byId, inAgency, type AgencyActor, type AgencyCtx } from '../ctx'
import { AppError, forbidden, notFound } from '../errors'
import type {
  TAddLeadNoteInput,
  TAssignLeadInput,
  TCreateLeadInput,
  TLeadIdInput,
  TLeadInput,
  TLeadNoteIdInput,
  TListLeadsInput,
  TSetLeadStatusInput,
  TUpdateLeadInput,
  TUpdateLeadNoteInput,
} from '../schemas'
import { audit } from './audit'
import { asMember, createLeadRecord, recordLeadChange } from './lead-facts'
import { distributeLead } from './distribution'
import { recordConversation } from './whatsapp'
import { qualificationOf, qualificationView, refreshQualification } from './qualification'
import { cheapCount, pageIds, enumKey, keyset, numberKey, textKey, timeKey, toPage, type SortKey } from './list-query'
import {
  assertCanEdit,
  assigneeFilter,
  assigneeVisibility,
  canEditRecord,
  canSeeRecord,
  changedFields,
  contactHolders,
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
import { consentFilter } from './consent'

/** Who sees which leads (on top of RLS, which fences the agency). */
export function leadVisibility(actor: AgencyActor): SQL | undefined {
  return assigneeVisibility(actor, leads.assignedTo)
}

export async function getVisibleLead(ctx: AgencyCtx, id: string, opts: { deleted?: boolean } = {}) {
  const [lead] = await ctx.db
    .select()
    .from(leads)
    .where(
      and(
        byId(leads, ctx, id),
        opts.deleted ? isNotNull(leads.deletedAt) : isNull(leads.deletedAt),
        leadVisibility(ctx.actor),
      ),
    )
  if (!lead) throw notFound('lead')
  return lead
}

export async function getEditableLead(ctx: AgencyCtx, id: string) {
  const lead = await getVisibleLead(ctx, id)
  assertCanEdit(ctx.actor, lead, 'lead')
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
  ctx: AgencyCtx,
  contact: { phones: string[]; email: string | null },
  excludeId?: string,
): Promise<DuplicateLead[]> {
  const { db, actor } = ctx
  if (!contact.phones.length && !contact.email) return []
  const rows = await db
    .select({ id: leads.id, name: leads.name, phones: leads.phones, email: leads.email, assignedTo: leads.assignedTo })
    .from(leads)
    .where(
      and(
        inAgency(leads, ctx),
        isNull(leads.deletedAt),
        sql`${leads.id} in (${contactHolders('leads', contact)})`,
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

export async function createLead(
  ctx: AgencyCtx,
  { data, allowDuplicate, distribute = false }: Omit<TCreateLeadInput, 'distribute'> & { distribute?: boolean },
) {
  const { actor } = ctx
  const values = normalizeContact(actor, data)
  const assignedTo = await resolveAssignee(ctx, defaultAssignee(actor, values.assignedTo), undefined)
  if (!allowDuplicate) {
    const duplicates = await findDuplicateLeads(ctx, values)
    if (duplicates.length)
      throw new AppError('CONFLICT', 'duplicate lead', {
        userMessage: 'leads.duplicate',
        meta: { reason: 'duplicate', duplicates },
      })
  }
  const w = asMember(ctx)
  let lead = await createLeadRecord(w, { ...values, assignedTo })
  if (distribute && !assignedTo) lead = { ...lead, assignedTo: await distributeLead(w, { leadId: lead.id, lead }) }
  if ([...qualificationFields].some((f) => hasValue(lead[f as keyof typeof lead])))
    await refreshQualification(ctx.db, lead)
  return lead
}

function hasValue(v: unknown) {
  return Array.isArray(v) ? v.length > 0 : v !== null && v !== undefined
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

const qualificationFields = new Set<string>([
  'interest',
  'budgetMin',
  'budgetMax',
  'propertyTypes',
  'locations',
  'minBedrooms',
])

export async function updateLead(ctx: AgencyCtx, { id, data, allowDuplicate }: TUpdateLeadInput) {
  const before = await getEditableLead(ctx, id)
  const values = normalizeContact(ctx.actor, data)
  const assignedTo = await resolveAssignee(ctx, values.assignedTo, before.assignedTo)
  if (!allowDuplicate) {
    const duplicates = await findDuplicateLeads(ctx, values, id)
    if (duplicates.length)
      throw new AppError('CONFLICT', 'duplicate lead', {
        userMessage: 'leads.duplicate',
        meta: { reason: 'duplicate', duplicates },
      })
  }
  const changed = changedFields(before, values, editableFields)
  if (!changed.length && assignedTo === before.assignedTo) return before
  const [after] = await ctx.db
    .update(leads)
    .set({ ...Object.fromEntries(editableFields.map((f) => [f, values[f]])), assignedTo, updatedAt: new Date() })
    .where(byId(leads, ctx, id))
    .returning()
  // The form's interest, budget, types, places and bedrooms are qualification slots too: a person's edit wins there.
  if (changed.some((f) => qualificationFields.has(f))) await refreshQualification(ctx.db, after!)
  await recordLeadChange(asMember(ctx), { leadId: id, audit: 'lead.update', before, after }, [
    ...(changed.length ? [{ kind: 'edited' as const, fields: changed }] : []),
    ...(assignedTo !== before.assignedTo
      ? [{ kind: 'assigned' as const, from: before.assignedTo, to: assignedTo }]
      : []),
  ])
  return after!
}

/** Any move is allowed, backwards too; each is recorded with who and when (reports use these for stage durations). */
export async function setLeadStatus(ctx: AgencyCtx, input: TSetLeadStatusInput) {
  const before = await getEditableLead(ctx, input.id)
  if (before.status === 'converted')
    throw new AppError('CONFLICT', 'converted lead', { userMessage: 'leads.alreadyConverted' })
  const lost = input.status === 'lost'
  if (
    before.status === input.status &&
    (!lost || (before.lostReason === input.lostReason && before.lostDetail === input.lostDetail))
  )
    return before
  const [after] = await ctx.db
    .update(leads)
    .set({
      status: input.status,
      lostReason: lost ? input.lostReason! : null,
      lostDetail: lost ? input.lostDetail : null,
      statusChangedAt: new Date(),
      updatedAt: new Date(),
    })
    .where(byId(leads, ctx, input.id))
    .returning()
  await recordLeadChange(asMember(ctx), { leadId: input.id, audit: 'lead.status', before, after }, [
    {
      kind: 'status_changed',
      from: before.status,
      to: input.status,
      ...(lost ? { reason: input.lostReason, detail: input.lostDetail } : {}),
    },
  ])
  return after!
}

export async function assignLead(ctx: AgencyCtx, { id, assignedTo }: TAssignLeadInput) {
  const before = await getEditableLead(ctx, id)
  const to = await resolveAssignee(ctx, assignedTo, before.assignedTo)
  if (to === before.assignedTo) return before
  const [after] = await ctx.db
    .update(leads)
    .set({ assignedTo: to, updatedAt: new Date() })
    .where(byId(leads, ctx, id))
    .returning()
  await recordLeadChange(asMember(ctx), { leadId: id, audit: 'lead.assign', before, after }, [
    { kind: 'assigned', from: before.assignedTo, to },
  ])
  return after!
}

/** Moves to the trash (restorable for 30 days); the permission layer already limits this to managers. */
export async function deleteLead(ctx: AgencyCtx, { id }: TLeadIdInput) {
  const before = await getVisibleLead(ctx, id)
  await ctx.db
    .update(leads)
    .set({ deletedAt: new Date(), deletedBy: ctx.actor.userId })
    .where(byId(leads, ctx, id))
  await recordLeadChange(asMember(ctx), { leadId: id, audit: 'lead.delete', before }, [{ kind: 'deleted' }])
  return { ok: true as const }
}

export async function restoreLead(ctx: AgencyCtx, { id }: TLeadIdInput) {
  const lead = await getVisibleLead(ctx, id, { deleted: true })
  if (lead.deletedAt! < trashCutoff()) throw notFound('lead')
  const [after] = await ctx.db
    .update(leads)
    .set({ deletedAt: null, deletedBy: null, updatedAt: new Date() })
    .where(byId(leads, ctx, id))
    .returning()
  await recordLeadChange(asMember(ctx), { leadId: id, audit: 'lead.restore', after }, [{ kind: 'restored' }])
  return after!
}

export async function listLeadTrash(ctx: AgencyCtx) {
  return ctx.db
    .select({ id: leads.id, name: leads.name, deletedAt: leads.deletedAt, deletedByName: users.name })
    .from(leads)
    .leftJoin(users, eq(users.id, leads.deletedBy))
    .where(and(inAgency(leads, ctx), isNotNull(leads.deletedAt), gte(leads.deletedAt, trashCutoff())))
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
  score: numberKey(leads.qualificationScore, 'int'),
}

/** The filters of the leads list, composable (all ANDed), always inside the actor's visibility. */
export function leadListFilters(ctx: AgencyCtx, input: TListLeadsInput): SQL | undefined {
  const { actor } = ctx
  const filters: (SQL | undefined)[] = [inAgency(leads, ctx), isNull(leads.deletedAt), leadVisibility(actor)]
  if (input.q) filters.push(or(docMatches(leads, input.q), phoneDigitsMatch(leads.phones, input.q)))
  if (input.status?.length) filters.push(inArray(leads.status, input.status))
  if (input.source?.length) filters.push(inArray(leads.source, input.source))
  filters.push(assigneeFilter(actor, leads.assignedTo, input.assignee))
  if (input.tags) filters.push(sql`${leads.tags} && ${textArray(input.tags)}`)
  if (input.interest) filters.push(eq(leads.interest, input.interest))
  if (input.temperature?.length) filters.push(inArray(leads.temperature, input.temperature))
  filters.push(consentFilter(leads, 'lead', input.consent))
  // The same rule as the dashboard's "needs attention" (dashboardAttention), so its "ver todos" lists what it counted.
  if (input.overdue)
    filters.push(
      sql`${leads.status} = 'new' and ${leads.firstContactAt} is null and ${leads.createdAt} < now() - make_interval(hours => (select a.contact_sla_hours from agencies a where a.id = ${actor.agencyId}))`,
    )
  filters.push(
    timeRange(leads.createdAt, input.createdFrom, input.createdTo),
    timeRange(leads.updatedAt, input.updatedFrom, input.updatedTo),
  )
  return and(...filters)
}

/** What a row of the leads list carries; the export adds the qualification (below). */
const leadRowColumns = {
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
  assigneeName: users.name,
  qualificationScore: leads.qualificationScore,
  temperature: leads.temperature,
  createdAt: leads.createdAt,
  updatedAt: leads.updatedAt,
}

export async function listLeads(ctx: AgencyCtx, input: TListLeadsInput) {
  const { db } = ctx
  const where = leadListFilters(ctx, input)
  const page = keyset(leadSortKeys[input.sort], leads.id, input)
  const fetched = await db
    .select({
      ...leadRowColumns,
      assignedTo: leads.assignedTo,
      firstContactAt: leads.firstContactAt,
      sortKey: page.keyText,
    })
    .from(leads)
    .leftJoin(users, eq(users.id, leads.assignedTo))
    .where(
      and(
        inAgency(leads, ctx),
        inArray(leads.id, pageIds(db, leads, leads.id, leads.assignedTo, and(where, page.where), page)),
      ),
    )
    .orderBy(...page.orderBy)
  const total = await cheapCount(db, sql`select 1 from ${leads} where ${where}`)
  return { ...toPage(fetched, input), total }
}

/** Rows per export page: big enough that a 100,000-lead agency is a hundred round trips, small enough to stream. */
const EXPORT_PAGE = 1000

/**
 * A page of the leads list for an export (CSV): the same filters, order and visibility as the list, a thousand rows
 * at a time, with what the list leaves out — the qualification with its sources, the score's reasons, the summary.
 */
export async function exportLeadsPage(ctx: AgencyCtx, listInput: TListLeadsInput) {
  const input = { ...listInput, before: undefined, pageSize: EXPORT_PAGE }
  const where = leadListFilters(ctx, input)
  const page = keyset(leadSortKeys[input.sort], leads.id, input)
  const fetched = await ctx.db
    .select({
      ...leadRowColumns,
      propertyTypes: leads.propertyTypes,
      locations: leads.locations,
      minBedrooms: leads.minBedrooms,
      qualification: leads.qualification,
      qualificationReasons: leads.qualificationReasons,
      aiSummary: leads.aiSummary,
      sortKey: page.keyText,
    })
    .from(leads)
    .leftJoin(users, eq(users.id, leads.assignedTo))
    .where(and(where, page.where))
    .orderBy(...page.orderBy)
    .limit(page.limit)
  const { rows, next } = toPage(fetched, input)
  return { rows: rows.map((r) => ({ ...r, qualification: qualificationOf(r) })), next }
}

const BOARD_PER_COLUMN = 100

/** The kanban: each column's most recently moved leads (bounded, so a huge pipeline stays fast). */
export async function leadBoard({ db, actor }: AgencyCtx) {
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
    ) x where rn <= ${BOARD_PER_COLUMN} order by status_changed_at desc`)
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

export async function getLead(ctx: AgencyCtx, { id }: TLeadIdInput) {
  const { db, actor } = ctx
  const lead = await getVisibleLead(ctx, id)
  const [events, notes, assignee, client, conversation, deadline] = await Promise.all([
    db
      .select({
        id: leadEvents.id,
        kind: leadEvents.kind,
        data: leadEvents.data,
        at: leadEvents.at,
        actorName: users.name,
        actorKind: users.kind,
      })
      .from(leadEvents)
      .leftJoin(users, eq(users.id, leadEvents.actorUserId))
      .where(and(inAgency(leadEvents, ctx), eq(leadEvents.leadId, id)))
      .orderBy(desc(leadEvents.at)),
    db
      .select({
        id: leadNotes.id,
        body: leadNotes.body,
        authorId: leadNotes.authorId,
        authorName: users.name,
        authorKind: users.kind,
        createdAt: leadNotes.createdAt,
        updatedAt: leadNotes.updatedAt,
      })
      .from(leadNotes)
      .leftJoin(users, eq(users.id, leadNotes.authorId))
      .where(and(inAgency(leadNotes, ctx), eq(leadNotes.leadId, id)))
      .orderBy(desc(leadNotes.createdAt)),
    lead.assignedTo
      ? db.select({ name: users.name }).from(users).where(eq(users.id, lead.assignedTo))
      : Promise.resolve([]),
    lead.clientId
      ? db
          .select({ id: clients.id, name: clients.name, assignedTo: clients.assignedTo })
          .from(clients)
          .where(and(byId(clients, ctx, lead.clientId), isNull(clients.deletedAt)))
      : Promise.resolve([]),
    recordConversation(ctx, { leadId: id }),
    // The distribution's open first-contact deadline (decision 027), while nobody has contacted the lead.
    lead.status === 'new' && !lead.firstContactAt
      ? db
          .select({ dueAt: leadAssignments.dueAt, userId: leadAssignments.userId })
          .from(leadAssignments)
          .where(
            and(
              inAgency(leadAssignments, ctx),
              eq(leadAssignments.leadId, id),
              isNull(leadAssignments.endedAt),
              isNotNull(leadAssignments.dueAt),
            ),
          )
          .orderBy(desc(leadAssignments.createdAt))
          .limit(1)
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
    /** Its WhatsApp conversation and who answers it (decision 019), when there is one the actor may open. */
    conversation,
    /** What the lead wants, with who said so, and the score, temperature and summary (decision 020). */
    qualification: qualificationView(lead),
    /** When the first contact is due before the lead moves on, and whose it is meanwhile. */
    firstContactDue: deadline[0] ? { dueAt: deadline[0].dueAt!, userId: deadline[0].userId } : null,
  }
}

export async function addLeadNote(ctx: AgencyCtx, { leadId, body }: TAddLeadNoteInput) {
  await getVisibleLead(ctx, leadId)
  const [note] = await ctx.db
    .insert(leadNotes)
    .values({ agencyId: ctx.actor.agencyId, leadId, authorId: ctx.actor.userId, body })
    .returning()
  await audit(ctx, 'lead.note.add', { entity: 'lead_note', entityId: note!.id, after: { leadId, body } })
  return note!
}

async function getOwnNote(ctx: AgencyCtx, id: string) {
  const [note] = await ctx.db
    .select()
    .from(leadNotes)
    .where(byId(leadNotes, ctx, id))
  if (!note) throw notFound('note')
  await getVisibleLead(ctx, note.leadId)
  if (note.authorId !== ctx.actor.userId) throw forbidden('not the author', { reason: 'not_author' })
  return note
}

export async function updateLeadNote(ctx: AgencyCtx, { id, body }: TUpdateLeadNoteInput) {
  const before = await getOwnNote(ctx, id)
  const [after] = await ctx.db
    .update(leadNotes)
    .set({ body, updatedAt: new Date() })
    .where(byId(leadNotes, ctx, id))
    .returning()
  await audit(ctx, 'lead.note.edit', { entity: 'lead_note', entityId: id, before, after })
  return after!
}

export async function deleteLeadNote(ctx: AgencyCtx, { id }: TLeadNoteIdInput) {
  const before = await getOwnNote(ctx, id)
  await ctx.db.delete(leadNotes).where(byId(leadNotes, ctx, id))
  await audit(ctx, 'lead.note.delete', { entity: 'lead_note', entityId: id, before })
  return { ok: true as const }
}

/** Active members a lead can be assigned to (for pickers and filters). */
export async function listAssignees(ctx: AgencyCtx) {
  return ctx.db
    .select({ userId: users.id, name: users.name, role: memberships.role })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(inAgency(memberships, ctx), eq(memberships.status, 'active')))
    .orderBy(asc(users.name))
}
