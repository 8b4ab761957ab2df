import {
  and,
  asc,
  clientEvents,
  clientNotes,
  clients,
  desc,
  eq,
  gte,
  ilike,
  inArray,
  isNotNull,
  isNull,
  leads,
  or,
  properties,
  sql,
  users,
  type Client,
} from '@impera/db'
import type { SQL } from 'drizzle-orm'
import { byId, inAgency, type AgencyActor, type AgencyCtx } from '../ctx'
import { AppError, forbidden, invalidField, notFound } from '../errors'
import { emitAsMember, previousValues } from '../events'
import type {
  TAddClientNoteInput,
  TBulkClientAction,
  TClientIdInput,
  TClientInput,
  TClientNoteIdInput,
  TConvertLeadInput,
  TCreateClientInput,
  TListClientsInput,
  TPickClientsInput,
  TUpdateClientInput,
  TUpdateClientNoteInput,
} from '../schemas'
import { audit } from './audit'
import { cheapCount, pageIds, keyset, textKey, timeKey, toPage, type SortKey } from './list-query'
import { getEditableLead } from './leads'
import { asMember, recordLeadChange } from './lead-facts'
import { recordConversation } from './whatsapp'
import {
  assertCanEdit,
  assigneeFilter,
  assigneeVisibility,
  canEditRecord,
  canSeeRecord,
  changedFields,
  defaultAssignee,
  docMatches,
  likeTerm,
  normalizeRecordPhones,
  phoneDigitsMatch,
  resolveAssignee,
  textArray,
  timeRange,
  trashCutoff,
  type RecordWriter,
} from './records'
import { consentFilter } from './consent'

export function clientVisibility(actor: AgencyActor): SQL | undefined {
  return assigneeVisibility(actor, clients.assignedTo)
}

export async function getVisibleClient(ctx: AgencyCtx, id: string, opts: { deleted?: boolean } = {}) {
  const [client] = await ctx.db
    .select()
    .from(clients)
    .where(
      and(
        byId(clients, ctx, id),
        opts.deleted ? isNotNull(clients.deletedAt) : isNull(clients.deletedAt),
        clientVisibility(ctx.actor),
      ),
    )
  if (!client) throw notFound('client')
  return client
}

export async function getEditableClient(ctx: AgencyCtx, id: string) {
  const client = await getVisibleClient(ctx, id)
  assertCanEdit(ctx.actor, client, 'client')
  return client
}

async function event(
  { db, actor }: RecordWriter,
  clientId: string,
  kind: (typeof clientEvents.$inferInsert)['kind'],
  data: Record<string, unknown> = {},
) {
  await db.insert(clientEvents).values({ agencyId: actor.agencyId, clientId, actorUserId: actor.userId, kind, data })
}

/** CPF/CNPJ is unique among the agency's live clients; the error names the holder only if the actor may see it. */
async function assertDocumentFree(ctx: AgencyCtx, document: string | null, excludeId?: string) {
  if (!document) return
  const [holder] = await ctx.db
    .select({ id: clients.id, name: clients.name, assignedTo: clients.assignedTo })
    .from(clients)
    .where(
      and(
        inAgency(clients, ctx),
        eq(clients.document, document),
        isNull(clients.deletedAt),
        excludeId ? sql`${clients.id} <> ${excludeId}` : undefined,
      ),
    )
  if (!holder) return
  const visible = canSeeRecord(ctx.actor, holder)
  throw new AppError('INVALID_INPUT', 'document taken', {
    userMessage: 'clients.documentTaken',
    meta: {
      fields: { document: ['clients.documentTaken'] },
      holder: visible ? { id: holder.id, name: holder.name } : null,
    },
  })
}

const editableFields = [
  'name',
  'types',
  'phones',
  'email',
  'document',
  'street',
  'number',
  'complement',
  'neighbourhood',
  'city',
  'state',
  'postalCode',
  'country',
  'birthDate',
  'notes',
  'tags',
] as const

async function insertClient(ctx: AgencyCtx, data: TClientInput, extra: Record<string, unknown> = {}) {
  const { db, actor } = ctx
  const values = { ...data, phones: normalizeRecordPhones(actor, data.phones) }
  const assignedTo = await resolveAssignee(ctx, defaultAssignee(actor, values.assignedTo), undefined)
  await assertDocumentFree(ctx, values.document)
  const [client] = await db
    .insert(clients)
    .values({ ...values, assignedTo, agencyId: actor.agencyId, createdBy: actor.userId })
    .returning()
  await event(ctx, client!.id, 'created', { assignedTo, ...extra })
  await audit(ctx, 'client.create', { entity: 'client', entityId: client!.id, after: client })
  await emitAsMember(ctx, { type: 'client.created', clientId: client!.id })
  return client!
}

export async function createClient(ctx: AgencyCtx, { data }: TCreateClientInput) {
  return insertClient(ctx, data)
}

export async function updateClient(ctx: AgencyCtx, { id, data }: TUpdateClientInput) {
  const before = await getEditableClient(ctx, id)
  const values = { ...data, phones: normalizeRecordPhones(ctx.actor, data.phones) }
  const assignedTo = await resolveAssignee(ctx, values.assignedTo, before.assignedTo)
  if (values.document !== before.document) await assertDocumentFree(ctx, values.document, id)
  const changed = changedFields(before, values, editableFields)
  if (!changed.length && assignedTo === before.assignedTo) return before
  const [after] = await ctx.db
    .update(clients)
    .set({ ...Object.fromEntries(editableFields.map((f) => [f, values[f]])), assignedTo, updatedAt: new Date() })
    .where(byId(clients, ctx, id))
    .returning()
  if (changed.length) await event(ctx, id, 'edited', { fields: changed })
  if (assignedTo !== before.assignedTo) await event(ctx, id, 'assigned', { from: before.assignedTo, to: assignedTo })
  await audit(ctx, 'client.update', { entity: 'client', entityId: id, before, after })
  const fields = [...changed, ...(assignedTo !== before.assignedTo ? ['assignedTo'] : [])]
  await emitAsMember(ctx, { type: 'client.updated', clientId: id, fields, previous: previousValues(before, fields) })
  return after!
}

export async function deleteClient(ctx: AgencyCtx, { id }: TClientIdInput) {
  const before = await getVisibleClient(ctx, id)
  await ctx.db
    .update(clients)
    .set({ deletedAt: new Date(), deletedBy: ctx.actor.userId })
    .where(byId(clients, ctx, id))
  await event(ctx, id, 'deleted')
  await audit(ctx, 'client.delete', { entity: 'client', entityId: id, before })
  return { ok: true as const }
}

export async function restoreClient(ctx: AgencyCtx, { id }: TClientIdInput) {
  const client = await getVisibleClient(ctx, id, { deleted: true })
  if (client.deletedAt! < trashCutoff()) throw notFound('client')
  // Another live client may have taken the document meanwhile: the restore must not break uniqueness.
  if (client.document) {
    const [taken] = await ctx.db
      .select({ id: clients.id })
      .from(clients)
      .where(and(inAgency(clients, ctx), eq(clients.document, client.document), isNull(clients.deletedAt)))
    if (taken) throw new AppError('CONFLICT', 'document taken', { userMessage: 'clients.restoreDocumentTaken' })
  }
  const [after] = await ctx.db
    .update(clients)
    .set({ deletedAt: null, deletedBy: null, updatedAt: new Date() })
    .where(byId(clients, ctx, id))
    .returning()
  await event(ctx, id, 'restored')
  await audit(ctx, 'client.restore', { entity: 'client', entityId: id, after })
  return after!
}

/**
 * One client of a bulk operation (decision 028), in its row lock: false when there was nothing to do (already so,
 * gone meanwhile). Its history fact and webhook as a single edit would have them; the audit entry is the operation's.
 */
export async function applyClientBulkAction(w: RecordWriter, clientId: string, action: TBulkClientAction) {
  const { db, actor } = w
  const [client] = await db
    .select({ assignedTo: clients.assignedTo, tags: clients.tags })
    .from(clients)
    .where(and(eq(clients.agencyId, actor.agencyId), eq(clients.id, clientId), isNull(clients.deletedAt)))
    .for('update')
  if (!client) return false
  const now = new Date()
  const update = (values: Partial<typeof clients.$inferInsert>) =>
    db
      .update(clients)
      .set(values)
      .where(and(eq(clients.agencyId, actor.agencyId), eq(clients.id, clientId)))
  switch (action.kind) {
    case 'assign': {
      if (client.assignedTo === action.assignedTo) return false
      await update({ assignedTo: action.assignedTo, updatedAt: now })
      await event(w, clientId, 'assigned', { from: client.assignedTo, to: action.assignedTo })
      await emitAsMember(w, {
        type: 'client.updated',
        clientId,
        fields: ['assignedTo'],
        previous: { assignedTo: client.assignedTo },
      })
      return true
    }
    case 'addTag':
    case 'removeTag': {
      const has = client.tags.includes(action.tag)
      if (has === (action.kind === 'addTag')) return false
      // A client keeps at most 20 tags, as its form does.
      if (action.kind === 'addTag' && client.tags.length >= 20) return false
      const tags = action.kind === 'addTag' ? [...client.tags, action.tag] : client.tags.filter((t) => t !== action.tag)
      await update({ tags, updatedAt: now })
      await event(w, clientId, 'edited', { fields: ['tags'] })
      await emitAsMember(w, { type: 'client.updated', clientId, fields: ['tags'], previous: { tags: client.tags } })
      return true
    }
    case 'trash': {
      await update({ deletedAt: now, deletedBy: actor.userId })
      await event(w, clientId, 'deleted')
      return true
    }
  }
}

export async function listClientTrash(ctx: AgencyCtx) {
  return ctx.db
    .select({ id: clients.id, name: clients.name, deletedAt: clients.deletedAt, deletedByName: users.name })
    .from(clients)
    .leftJoin(users, eq(users.id, clients.deletedBy))
    .where(and(inAgency(clients, ctx), isNotNull(clients.deletedAt), gte(clients.deletedAt, trashCutoff())))
    .orderBy(desc(clients.deletedAt))
    .limit(200)
}

function searchClients(q: string): SQL | undefined {
  const digits = q.replace(/\D/g, '')
  return or(
    docMatches(clients, q),
    phoneDigitsMatch(clients.phones, q),
    digits.length >= 5 ? sql`${clients.document} like ${`${digits}%`}` : undefined,
  )
}

const clientSortKeys: Record<TListClientsInput['sort'], SortKey> = {
  createdAt: timeKey(clients.createdAt),
  updatedAt: timeKey(clients.updatedAt),
  name: textKey(clients.name),
  email: textKey(clients.email, true),
  document: textKey(clients.document, true),
  city: textKey(clients.city, true),
  assignee: textKey(users.name, true),
}

export function clientListFilters(ctx: AgencyCtx, input: TListClientsInput): SQL | undefined {
  const { actor } = ctx
  const filters: (SQL | undefined)[] = [inAgency(clients, ctx), isNull(clients.deletedAt), clientVisibility(actor)]
  if (input.q) filters.push(searchClients(input.q))
  if (input.type?.length) filters.push(sql`${clients.types} && ${textArray(input.type)}`)
  filters.push(assigneeFilter(actor, clients.assignedTo, input.assignee))
  if (input.tags) filters.push(sql`${clients.tags} && ${textArray(input.tags)}`)
  if (input.city) filters.push(ilike(clients.city, likeTerm(input.city)))
  filters.push(consentFilter(clients, 'client', input.consent))
  filters.push(
    timeRange(clients.createdAt, input.createdFrom, input.createdTo),
    timeRange(clients.updatedAt, input.updatedFrom, input.updatedTo),
  )
  return and(...filters)
}

export async function listClients(ctx: AgencyCtx, input: TListClientsInput) {
  const { db } = ctx
  const where = clientListFilters(ctx, input)
  const page = keyset(clientSortKeys[input.sort], clients.id, input)
  const fetched = await db
    .select({
      id: clients.id,
      name: clients.name,
      types: clients.types,
      phones: clients.phones,
      email: clients.email,
      document: clients.document,
      city: clients.city,
      tags: clients.tags,
      assignedTo: clients.assignedTo,
      assigneeName: users.name,
      createdAt: clients.createdAt,
      updatedAt: clients.updatedAt,
      sortKey: page.keyText,
    })
    .from(clients)
    .leftJoin(users, eq(users.id, clients.assignedTo))
    .where(
      and(
        inAgency(clients, ctx),
        inArray(clients.id, pageIds(db, clients, clients.id, clients.assignedTo, and(where, page.where), page)),
      ),
    )
    .orderBy(...page.orderBy)
  const total = await cheapCount(db, sql`select 1 from ${clients} where ${where}`)
  return { ...toPage(fetched, input), total }
}

/** A handful of matches for pickers, most recently touched first. */
export async function pickClients(ctx: AgencyCtx, { q }: TPickClientsInput) {
  return ctx.db
    .select({
      id: clients.id,
      name: clients.name,
      phones: clients.phones,
      email: clients.email,
      document: clients.document,
    })
    .from(clients)
    .where(
      and(
        inAgency(clients, ctx),
        isNull(clients.deletedAt),
        clientVisibility(ctx.actor),
        q ? searchClients(q) : undefined,
      ),
    )
    .orderBy(desc(clients.updatedAt))
    .limit(10)
}

export async function getClient(ctx: AgencyCtx, { id }: TClientIdInput) {
  const { db, actor } = ctx
  const client = await getVisibleClient(ctx, id)
  const [events, notes, assignee, clientLeads, owned, conversation] = await Promise.all([
    db
      .select({
        id: clientEvents.id,
        kind: clientEvents.kind,
        data: clientEvents.data,
        at: clientEvents.at,
        actorName: users.name,
        actorKind: users.kind,
      })
      .from(clientEvents)
      .leftJoin(users, eq(users.id, clientEvents.actorUserId))
      .where(and(inAgency(clientEvents, ctx), eq(clientEvents.clientId, id)))
      .orderBy(desc(clientEvents.at)),
    db
      .select({
        id: clientNotes.id,
        body: clientNotes.body,
        authorId: clientNotes.authorId,
        authorName: users.name,
        authorKind: users.kind,
        createdAt: clientNotes.createdAt,
        updatedAt: clientNotes.updatedAt,
      })
      .from(clientNotes)
      .leftJoin(users, eq(users.id, clientNotes.authorId))
      .where(and(inAgency(clientNotes, ctx), eq(clientNotes.clientId, id)))
      .orderBy(desc(clientNotes.createdAt)),
    client.assignedTo
      ? db.select({ name: users.name }).from(users).where(eq(users.id, client.assignedTo))
      : Promise.resolve([]),
    db
      .select({
        id: leads.id,
        name: leads.name,
        status: leads.status,
        assignedTo: leads.assignedTo,
        createdAt: leads.createdAt,
      })
      .from(leads)
      .where(and(inAgency(leads, ctx), eq(leads.clientId, id), isNull(leads.deletedAt)))
      .orderBy(desc(leads.createdAt)),
    db
      .select({
        id: properties.id,
        code: properties.code,
        title: properties.title,
        status: properties.status,
        assignedTo: properties.assignedTo,
      })
      .from(properties)
      .where(and(inAgency(properties, ctx), eq(properties.ownerClientId, id), isNull(properties.deletedAt)))
      .orderBy(asc(properties.code)),
    recordConversation(ctx, { clientId: id }),
  ])
  // A client lists all its leads; the ones this agent may not open are counted, not shown.
  const visibleLeads = clientLeads.filter((l) => canSeeRecord(actor, l))
  const visibleProperties = owned.filter((p) => canSeeRecord(actor, p))
  return {
    client,
    assigneeName: assignee[0]?.name ?? null,
    events,
    notes,
    leads: visibleLeads,
    hiddenLeads: clientLeads.length - visibleLeads.length,
    properties: visibleProperties,
    hiddenProperties: owned.length - visibleProperties.length,
    canEdit: canEditRecord(actor, client),
    /** Its WhatsApp conversation and who answers it (decision 019), when there is one the actor may open. */
    conversation,
  }
}

/**
 * Converts a qualified lead: into a new client built from the lead's contact data, or linked to an existing client.
 * The lead keeps its history, becomes `converted`, and both timelines record the link.
 */
export async function convertLead(ctx: AgencyCtx, { id, clientId }: TConvertLeadInput) {
  const { db } = ctx
  const lead = await getEditableLead(ctx, id)
  if (lead.status === 'converted')
    throw new AppError('CONFLICT', 'already converted', { userMessage: 'leads.alreadyConverted' })
  if (lead.status !== 'qualified')
    throw new AppError('CONFLICT', 'lead not qualified', {
      userMessage: 'leads.convertNeedsQualified',
      meta: { reason: 'not_qualified' },
    })
  let client: Client
  if (clientId) {
    client = await getVisibleClient(ctx, clientId).catch(() => {
      throw invalidField('clientId', 'leads.convertClientInvalid')
    })
  } else {
    client = await insertClient(
      ctx,
      {
        name: lead.name,
        types: lead.interest === 'rent' ? ['tenant'] : ['buyer'],
        phones: lead.phones,
        email: lead.email,
        document: null,
        street: null,
        number: null,
        complement: null,
        neighbourhood: null,
        city: null,
        state: null,
        postalCode: null,
        country: null,
        birthDate: null,
        notes: null,
        tags: lead.tags,
        // The lead's agent keeps the relationship; an agent converting an unassigned lead takes it.
        assignedTo: lead.assignedTo,
      },
      { fromLead: lead.id },
    )
  }
  const [after] = await db
    .update(leads)
    .set({
      status: 'converted',
      clientId: client.id,
      lostReason: null,
      lostDetail: null,
      statusChangedAt: new Date(),
      updatedAt: new Date(),
    })
    .where(byId(leads, ctx, id))
    .returning()
  await recordLeadChange(asMember(ctx), { leadId: id, audit: 'lead.convert', before: lead, after }, [
    { kind: 'status_changed', from: lead.status, to: 'converted' },
    { kind: 'converted', clientId: client.id, clientName: client.name, newClient: !clientId },
  ])
  await event(ctx, client.id, 'lead_linked', { leadId: id, leadName: lead.name })
  return { lead: after!, client }
}

export async function addClientNote(ctx: AgencyCtx, { clientId, body }: TAddClientNoteInput) {
  await getVisibleClient(ctx, clientId)
  const [note] = await ctx.db
    .insert(clientNotes)
    .values({ agencyId: ctx.actor.agencyId, clientId, authorId: ctx.actor.userId, body })
    .returning()
  await audit(ctx, 'client.note.add', { entity: 'client_note', entityId: note!.id, after: { clientId, body } })
  return note!
}

async function getOwnClientNote(ctx: AgencyCtx, id: string) {
  const [note] = await ctx.db
    .select()
    .from(clientNotes)
    .where(byId(clientNotes, ctx, id))
  if (!note) throw notFound('note')
  await getVisibleClient(ctx, note.clientId)
  if (note.authorId !== ctx.actor.userId) throw forbidden('not the author', { reason: 'not_author' })
  return note
}

export async function updateClientNote(ctx: AgencyCtx, { id, body }: TUpdateClientNoteInput) {
  const before = await getOwnClientNote(ctx, id)
  const [after] = await ctx.db
    .update(clientNotes)
    .set({ body, updatedAt: new Date() })
    .where(byId(clientNotes, ctx, id))
    .returning()
  await audit(ctx, 'client.note.edit', { entity: 'client_note', entityId: id, before, after })
  return after!
}

export async function deleteClientNote(ctx: AgencyCtx, { id }: TClientNoteIdInput) {
  const before = await getOwnClientNote(ctx, id)
  await ctx.db.delete(clientNotes).where(byId(clientNotes, ctx, id))
  await audit(ctx, 'client.note.delete', { entity: 'client_note', entityId: id, before })
  return { ok: true as const }
}

/** Client names for a set of ids the actor can see (lead page "converted into …" link). */
export async function clientSummaries(ctx: AgencyCtx, ids: string[]) {
  if (!ids.length) return []
  return ctx.db
    .select({ id: clients.id, name: clients.name })
    .from(clients)
    .where(
      and(inAgency(clients, ctx), inArray(clients.id, ids), isNull(clients.deletedAt), clientVisibility(ctx.actor)),
    )
}
