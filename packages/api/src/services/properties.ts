import {
  and,
  asc,
  clients,
  desc,
  eq,
  gte,
  ilike,
  inArray,
  isNotNull,
  isNull,
  leadProperties,
  leads,
  properties,
  propertyEvents,
  propertyPhotos,
  propertyStatuses,
  propertyTypes,
  sql,
  users,
  type DbOrTx,
  type Property,
} from '@impera/db'
import type { SQL } from 'drizzle-orm'
import { byId, inAgency, type AgencyActor, type AgencyCtx } from '../ctx'
import { invalidField, notFound } from '../errors'
import { emitAsMember, previousValues } from '../events'
import { deleteStoredFilesJob, enqueue, propertiesMatchLeadsJob } from '../jobs'
import type {
  TBulkPropertyAction,
  TCreatePropertyInput,
  TLeadIdInput,
  TLeadPropertyInput,
  TListPropertiesInput,
  TPickPropertiesInput,
  TPropertyIdInput,
  TSetPropertyStatusInput,
  TUpdatePropertyInput,
} from '../schemas'
import { audit } from './audit'
import { cheapCount, pageIds, enumKey, keyset, numberKey, textKey, timeKey, toPage, type SortKey } from './list-query'
import { activityChanged } from './live'
import { asMember, recordLeadChange } from './lead-facts'
import { getEditableLead, getVisibleLead } from './leads'
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
  resolveAssignee,
  timeRange,
  trashCutoff,
  type RecordWriter,
} from './records'

export function propertyVisibility(actor: AgencyActor): SQL | undefined {
  return assigneeVisibility(actor, properties.assignedTo)
}

export async function getVisibleProperty(ctx: AgencyCtx, id: string, opts: { deleted?: boolean } = {}) {
  const [property] = await ctx.db
    .select()
    .from(properties)
    .where(
      and(
        byId(properties, ctx, id),
        opts.deleted ? isNotNull(properties.deletedAt) : isNull(properties.deletedAt),
        propertyVisibility(ctx.actor),
      ),
    )
  if (!property) throw notFound('property')
  return property
}

export async function getEditableProperty(ctx: AgencyCtx, id: string) {
  const property = await getVisibleProperty(ctx, id)
  assertCanEdit(ctx.actor, property, 'property')
  return property
}

async function event(
  { db, actor }: RecordWriter,
  propertyId: string,
  kind: (typeof propertyEvents.$inferInsert)['kind'],
  data: Record<string, unknown> = {},
) {
  await db
    .insert(propertyEvents)
    .values({ agencyId: actor.agencyId, propertyId, actorUserId: actor.userId, kind, data })
  if (kind === 'created' || kind === 'status_changed') await activityChanged(db, actor.agencyId)
}

/** Code prefixes per type (shared with the import's code generation). */
export const codePrefixes: Record<Property['type'], string> = {
  apartment: 'AP',
  house: 'CA',
  land: 'TE',
  commercial: 'CO',
  rural: 'RU',
  other: 'IM',
}

/**
 * Next free code for the type: prefix + 4 digits above the highest numeric code with that prefix. Serialised per
 * agency with a transaction-scoped advisory lock, so two agents creating at once never get the same code.
 */
async function nextCode({ db, actor }: AgencyCtx, type: Property['type']): Promise<string> {
  const prefix = codePrefixes[type]
  await lockPropertyCodes(db, actor.agencyId)
  return propertyCode(prefix, (await highestCodeNumber(db, actor.agencyId, prefix)) + 1)
}

/** Serialises code generation per agency until the transaction ends (the form, the import). */
export async function lockPropertyCodes(db: DbOrTx, agencyId: string) {
  await db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`property-code:${agencyId}`}, 0))`)
}

/**
 * The highest number among the agency's codes `<prefix><digits>`, or 0. Up to 9 digits: a longer code typed or imported
 * (AP12345678901) would overflow the int and block every new code.
 */
export async function highestCodeNumber(db: DbOrTx, agencyId: string, prefix: string): Promise<number> {
  const [row] = await db.execute<{ n: number | null }>(
    sql`select max(substring(code from ${`^${prefix}(\\d{1,9})$`})::int) as n from ${properties} where ${properties.agencyId} = ${agencyId} and code ~ ${`^${prefix}\\d{1,9}$`}`,
  )
  return row?.n ?? 0
}

export const propertyCode = (prefix: string, n: number) => `${prefix}${String(n).padStart(4, '0')}`

async function assertCodeFree(ctx: AgencyCtx, code: string, excludeId?: string) {
  const [taken] = await ctx.db
    .select({ id: properties.id })
    .from(properties)
    .where(
      and(
        inAgency(properties, ctx),
        sql`lower(${properties.code}) = lower(${code})`,
        excludeId ? sql`${properties.id} <> ${excludeId}` : undefined,
      ),
    )
  if (taken) throw invalidField('code', 'properties.codeTaken')
}

async function assertOwner(ctx: AgencyCtx, ownerClientId: string | null) {
  if (!ownerClientId) return
  const [owner] = await ctx.db
    .select({ assignedTo: clients.assignedTo })
    .from(clients)
    .where(and(byId(clients, ctx, ownerClientId), isNull(clients.deletedAt)))
  if (!owner || !canSeeRecord(ctx.actor, owner)) throw invalidField('ownerClientId', 'properties.ownerInvalid')
}

const editableFields = [
  'code',
  'title',
  'street',
  'number',
  'complement',
  'neighbourhood',
  'city',
  'state',
  'postalCode',
  'country',
  'type',
  'purpose',
  'salePrice',
  'rentPrice',
  'condoFee',
  'propertyTax',
  'builtArea',
  'totalArea',
  'bedrooms',
  'suites',
  'bathrooms',
  'parkingSpaces',
  'features',
  'description',
  'ownerClientId',
] as const

/** What a lead's match reads of a listing: a change to one of these (or the listing becoming available) re-announces it. */
const matchFields = ['salePrice', 'rentPrice', 'type', 'purpose', 'neighbourhood', 'city', 'bedrooms'] as const
const MATCH_ANNOUNCE_DELAY_MS = 2 * 60_000

/** Tells the members whose leads an available listing suits, a little later (edits in a row make one announcement). */
async function announceMatchesLater(ctx: RecordWriter, property: { id: string; status: string }) {
  if (property.status !== 'available') return
  await enqueue(
    ctx.db,
    propertiesMatchLeadsJob,
    { agencyId: ctx.actor.agencyId, propertyId: property.id },
    { jobKey: `match-leads-${property.id}`, runAt: new Date(Date.now() + MATCH_ANNOUNCE_DELAY_MS) },
  )
}

export async function createProperty(ctx: AgencyCtx, { data }: TCreatePropertyInput) {
  const { db, actor } = ctx
  const assignedTo = await resolveAssignee(ctx, defaultAssignee(actor, data.assignedTo), undefined)
  await assertOwner(ctx, data.ownerClientId)
  const code = data.code ?? (await nextCode(ctx, data.type))
  if (data.code) await assertCodeFree(ctx, code)
  const [property] = await db
    .insert(properties)
    .values({ ...data, code, assignedTo, agencyId: actor.agencyId, createdBy: actor.userId })
    .returning()
  await event(ctx, property!.id, 'created', { status: property!.status, assignedTo })
  await audit(ctx, 'property.create', { entity: 'property', entityId: property!.id, after: property })
  await emitAsMember(ctx, { type: 'property.created', propertyId: property!.id })
  await announceMatchesLater(ctx, property!)
  return property!
}

export async function updateProperty(ctx: AgencyCtx, { id, data }: TUpdatePropertyInput) {
  const before = await getEditableProperty(ctx, id)
  const assignedTo = await resolveAssignee(ctx, data.assignedTo, before.assignedTo)
  if (data.ownerClientId !== before.ownerClientId) await assertOwner(ctx, data.ownerClientId)
  // Clearing the code keeps the current one (a property always has a code).
  const code = data.code ?? before.code
  if (code.toLowerCase() !== before.code.toLowerCase()) await assertCodeFree(ctx, code, id)
  const values = { ...data, code }
  const changed = changedFields(before, values, editableFields)
  const statusChanged = data.status !== before.status
  if (!changed.length && !statusChanged && assignedTo === before.assignedTo) return before
  const [after] = await ctx.db
    .update(properties)
    .set({
      ...Object.fromEntries(editableFields.map((f) => [f, values[f]])),
      status: data.status,
      ...(statusChanged ? { statusChangedAt: new Date() } : {}),
      assignedTo,
      updatedAt: new Date(),
    })
    .where(byId(properties, ctx, id))
    .returning()
  if (changed.length) await event(ctx, id, 'edited', { fields: changed })
  if (statusChanged) await event(ctx, id, 'status_changed', { from: before.status, to: data.status })
  if (assignedTo !== before.assignedTo) await event(ctx, id, 'assigned', { from: before.assignedTo, to: assignedTo })
  await audit(ctx, 'property.update', { entity: 'property', entityId: id, before, after })
  const fields = [
    ...changed,
    ...(statusChanged ? ['status'] : []),
    ...(assignedTo !== before.assignedTo ? ['assignedTo'] : []),
  ]
  await emitAsMember(ctx, {
    type: 'property.updated',
    propertyId: id,
    fields,
    previous: previousValues(before, fields),
  })
  if (statusChanged || changed.some((f) => (matchFields as readonly string[]).includes(f)))
    await announceMatchesLater(ctx, after!)
  return after!
}

export async function setPropertyStatus(ctx: AgencyCtx, { id, status }: TSetPropertyStatusInput) {
  const before = await getEditableProperty(ctx, id)
  if (before.status === status) return before
  const [after] = await ctx.db
    .update(properties)
    .set({ status, statusChangedAt: new Date(), updatedAt: new Date() })
    .where(byId(properties, ctx, id))
    .returning()
  await event(ctx, id, 'status_changed', { from: before.status, to: status })
  await audit(ctx, 'property.status', { entity: 'property', entityId: id, before, after })
  await emitAsMember(ctx, {
    type: 'property.updated',
    propertyId: id,
    fields: ['status'],
    previous: { status: before.status },
  })
  await announceMatchesLater(ctx, after!)
  return after!
}

export async function deleteProperty(ctx: AgencyCtx, { id }: TPropertyIdInput) {
  const before = await getVisibleProperty(ctx, id)
  await ctx.db
    .update(properties)
    .set({ deletedAt: new Date(), deletedBy: ctx.actor.userId })
    .where(byId(properties, ctx, id))
  await event(ctx, id, 'deleted')
  await audit(ctx, 'property.delete', { entity: 'property', entityId: id, before })
  return { ok: true as const }
}

export async function restoreProperty(ctx: AgencyCtx, { id }: TPropertyIdInput) {
  const property = await getVisibleProperty(ctx, id, { deleted: true })
  if (property.deletedAt! < trashCutoff()) throw notFound('property')
  const [after] = await ctx.db
    .update(properties)
    .set({ deletedAt: null, deletedBy: null, updatedAt: new Date() })
    .where(byId(properties, ctx, id))
    .returning()
  await event(ctx, id, 'restored')
  await audit(ctx, 'property.restore', { entity: 'property', entityId: id, after })
  return after!
}

/**
 * One property of a bulk operation (decision 028), in its row lock: false when there was nothing to do (already so,
 * gone meanwhile). Its history fact, webhook and match announcement as a single edit would have them; the audit entry
 * is the operation's.
 */
export async function applyPropertyBulkAction(w: RecordWriter, propertyId: string, action: TBulkPropertyAction) {
  const { db, actor } = w
  const [property] = await db
    .select({ assignedTo: properties.assignedTo, status: properties.status })
    .from(properties)
    .where(and(eq(properties.agencyId, actor.agencyId), eq(properties.id, propertyId), isNull(properties.deletedAt)))
    .for('update')
  if (!property) return false
  const now = new Date()
  const update = (values: Partial<typeof properties.$inferInsert>) =>
    db
      .update(properties)
      .set(values)
      .where(and(eq(properties.agencyId, actor.agencyId), eq(properties.id, propertyId)))
  switch (action.kind) {
    case 'assign': {
      if (property.assignedTo === action.assignedTo) return false
      await update({ assignedTo: action.assignedTo, updatedAt: now })
      await event(w, propertyId, 'assigned', { from: property.assignedTo, to: action.assignedTo })
      await emitAsMember(w, {
        type: 'property.updated',
        propertyId,
        fields: ['assignedTo'],
        previous: { assignedTo: property.assignedTo },
      })
      return true
    }
    case 'status': {
      if (property.status === action.status) return false
      await update({ status: action.status, statusChangedAt: now, updatedAt: now })
      await event(w, propertyId, 'status_changed', { from: property.status, to: action.status })
      await emitAsMember(w, {
        type: 'property.updated',
        propertyId,
        fields: ['status'],
        previous: { status: property.status },
      })
      await announceMatchesLater(w, { id: propertyId, status: action.status })
      return true
    }
    case 'trash': {
      await update({ deletedAt: now, deletedBy: actor.userId })
      await event(w, propertyId, 'deleted')
      return true
    }
  }
}

export async function listPropertyTrash(ctx: AgencyCtx) {
  return ctx.db
    .select({
      id: properties.id,
      name: sql<string>`${properties.code} || ' · ' || ${properties.title}`,
      deletedAt: properties.deletedAt,
      deletedByName: users.name,
    })
    .from(properties)
    .leftJoin(users, eq(users.id, properties.deletedBy))
    .where(and(inAgency(properties, ctx), isNotNull(properties.deletedAt), gte(properties.deletedAt, trashCutoff())))
    .orderBy(desc(properties.deletedAt))
    .limit(200)
}

/** The cover (first photo) of each property, for lists and cards. */
const coverPhotoId = sql<
  string | null
>`(select p.id from ${propertyPhotos} p where p.agency_id = ${properties.agencyId} and p.property_id = ${properties.id} order by p.position limit 1)`

/** "For sale" includes properties offered both ways; prices filter and sort on the matching price. */
function listPrice(input: TListPropertiesInput): SQL {
  return input.purpose === 'rent'
    ? sql`${properties.rentPrice}`
    : input.purpose === 'sale'
      ? sql`${properties.salePrice}`
      : sql`coalesce(${properties.salePrice}, ${properties.rentPrice})`
}

export function propertyListFilters(
  ctx: AgencyCtx,
  input: TListPropertiesInput,
  price: SQL = listPrice(input),
): SQL | undefined {
  const { actor } = ctx
  const filters: (SQL | undefined)[] = [
    inAgency(properties, ctx),
    isNull(properties.deletedAt),
    propertyVisibility(actor),
  ]
  if (input.q) filters.push(docMatches(properties, input.q))
  if (input.status?.length) filters.push(inArray(properties.status, input.status))
  if (input.type?.length) filters.push(inArray(properties.type, input.type))
  if (input.purpose) filters.push(inArray(properties.purpose, [input.purpose, 'both']))
  if (input.priceMin !== null) filters.push(sql`${price} >= ${input.priceMin}`)
  if (input.priceMax !== null) filters.push(sql`${price} <= ${input.priceMax}`)
  if (input.minBedrooms !== null) filters.push(gte(properties.bedrooms, input.minBedrooms))
  if (input.neighbourhood) filters.push(ilike(properties.neighbourhood, likeTerm(input.neighbourhood)))
  if (input.city) filters.push(ilike(properties.city, likeTerm(input.city)))
  filters.push(assigneeFilter(actor, properties.assignedTo, input.assignee))
  if (input.ownerClientId) filters.push(eq(properties.ownerClientId, input.ownerClientId))
  // The dashboard's "needs attention" rule (dashboardAttention), so its "ver todos" lists what it counted.
  if (input.stale)
    filters.push(
      sql`${properties.status} = 'reserved' and greatest(${properties.updatedAt}, ${properties.statusChangedAt}) < now() - make_interval(days => (select a.stale_reserved_days from agencies a where a.id = ${actor.agencyId}))`,
    )
  filters.push(
    timeRange(properties.createdAt, input.createdFrom, input.createdTo),
    timeRange(properties.updatedAt, input.updatedFrom, input.updatedTo),
  )
  return and(...filters)
}

export async function listProperties(ctx: AgencyCtx, input: TListPropertiesInput) {
  const { db } = ctx
  const price = listPrice(input)
  const where = propertyListFilters(ctx, input, price)
  const sortKeys: Record<TListPropertiesInput['sort'], SortKey> = {
    createdAt: timeKey(properties.createdAt),
    updatedAt: timeKey(properties.updatedAt),
    code: textKey(properties.code),
    title: textKey(properties.title),
    type: enumKey(properties.type, 'property_type', propertyTypes),
    status: enumKey(properties.status, 'property_status', propertyStatuses),
    price: numberKey(price, 'bigint'),
    bedrooms: numberKey(properties.bedrooms, 'int'),
    area: numberKey(properties.builtArea, 'numeric'),
    neighbourhood: textKey(properties.neighbourhood, true),
    city: textKey(properties.city, true),
    assignee: textKey(users.name, true),
  }
  const page = keyset(sortKeys[input.sort], properties.id, input)
  const fetched = await db
    .select({
      id: properties.id,
      code: properties.code,
      title: properties.title,
      type: properties.type,
      purpose: properties.purpose,
      status: properties.status,
      salePrice: properties.salePrice,
      rentPrice: properties.rentPrice,
      bedrooms: properties.bedrooms,
      parkingSpaces: properties.parkingSpaces,
      builtArea: properties.builtArea,
      neighbourhood: properties.neighbourhood,
      city: properties.city,
      assignedTo: properties.assignedTo,
      assigneeName: users.name,
      coverPhotoId,
      createdAt: properties.createdAt,
      updatedAt: properties.updatedAt,
      sortKey: page.keyText,
    })
    .from(properties)
    .leftJoin(users, eq(users.id, properties.assignedTo))
    .where(
      and(
        inAgency(properties, ctx),
        inArray(
          properties.id,
          pageIds(db, properties, properties.id, properties.assignedTo, and(where, page.where), page),
        ),
      ),
    )
    .orderBy(...page.orderBy)
  const total = await cheapCount(db, sql`select 1 from ${properties} where ${where}`)
  return { ...toPage(fetched, input), total }
}

export async function pickProperties(ctx: AgencyCtx, { q }: TPickPropertiesInput) {
  return ctx.db
    .select({
      id: properties.id,
      code: properties.code,
      title: properties.title,
      neighbourhood: properties.neighbourhood,
      status: properties.status,
    })
    .from(properties)
    .where(
      and(
        inAgency(properties, ctx),
        isNull(properties.deletedAt),
        propertyVisibility(ctx.actor),
        q ? docMatches(properties, q) : undefined,
      ),
    )
    .orderBy(desc(properties.updatedAt))
    .limit(10)
}

export async function getProperty(ctx: AgencyCtx, { id }: TPropertyIdInput) {
  const { db, actor } = ctx
  const property = await getVisibleProperty(ctx, id)
  const [photos, events, assignee, owner, interested] = await Promise.all([
    db
      .select({
        id: propertyPhotos.id,
        width: propertyPhotos.width,
        height: propertyPhotos.height,
        position: propertyPhotos.position,
        originalName: propertyPhotos.originalName,
      })
      .from(propertyPhotos)
      .where(and(inAgency(propertyPhotos, ctx), eq(propertyPhotos.propertyId, id)))
      .orderBy(asc(propertyPhotos.position)),
    db
      .select({
        id: propertyEvents.id,
        kind: propertyEvents.kind,
        data: propertyEvents.data,
        at: propertyEvents.at,
        actorName: users.name,
        actorKind: users.kind,
      })
      .from(propertyEvents)
      .leftJoin(users, eq(users.id, propertyEvents.actorUserId))
      .where(and(inAgency(propertyEvents, ctx), eq(propertyEvents.propertyId, id)))
      .orderBy(desc(propertyEvents.at))
      .limit(100),
    property.assignedTo
      ? db.select({ name: users.name }).from(users).where(eq(users.id, property.assignedTo))
      : Promise.resolve([]),
    property.ownerClientId
      ? db
          .select({ id: clients.id, name: clients.name, assignedTo: clients.assignedTo })
          .from(clients)
          .where(and(byId(clients, ctx, property.ownerClientId), isNull(clients.deletedAt)))
      : Promise.resolve([]),
    db
      .select({
        id: leads.id,
        name: leads.name,
        status: leads.status,
        assignedTo: leads.assignedTo,
        linkedAt: leadProperties.createdAt,
      })
      .from(leadProperties)
      .innerJoin(leads, and(eq(leads.agencyId, leadProperties.agencyId), eq(leads.id, leadProperties.leadId)))
      .where(and(inAgency(leadProperties, ctx), eq(leadProperties.propertyId, id), isNull(leads.deletedAt)))
      .orderBy(desc(leadProperties.createdAt)),
  ])
  const visibleInterested = interested.filter((l) => canSeeRecord(actor, l))
  const ownerRow = owner[0]
  return {
    property,
    photos,
    events,
    assigneeName: assignee[0]?.name ?? null,
    // The owner's name is shown to whoever sees the property; the link only to who may open the client.
    owner: ownerRow ? { id: canSeeRecord(actor, ownerRow) ? ownerRow.id : null, name: ownerRow.name } : null,
    interestedLeads: visibleInterested.map(({ assignedTo: _a, ...l }) => l),
    hiddenInterested: interested.length - visibleInterested.length,
    canEdit: canEditRecord(actor, property),
  }
}

/** Marks that a lead is interested in a property (idempotent); recorded on the lead's timeline. */
export async function linkLeadProperty(ctx: AgencyCtx, { leadId, propertyId }: TLeadPropertyInput) {
  const { db, actor } = ctx
  await getEditableLead(ctx, leadId)
  const property = await getVisibleProperty(ctx, propertyId)
  const inserted = await db
    .insert(leadProperties)
    .values({ agencyId: actor.agencyId, leadId, propertyId, createdBy: actor.userId })
    .onConflictDoNothing()
    .returning({ leadId: leadProperties.leadId })
  if (inserted.length) {
    await recordLeadChange(asMember(ctx), { leadId, audit: 'lead.property.link', after: { propertyId } }, [
      { kind: 'property_linked', propertyId, code: property.code, title: property.title },
    ])
  }
  return { ok: true as const }
}

export async function unlinkLeadProperty(ctx: AgencyCtx, { leadId, propertyId }: TLeadPropertyInput) {
  const { db } = ctx
  await getEditableLead(ctx, leadId)
  const removed = await db
    .delete(leadProperties)
    .where(
      and(inAgency(leadProperties, ctx), eq(leadProperties.leadId, leadId), eq(leadProperties.propertyId, propertyId)),
    )
    .returning({ propertyId: leadProperties.propertyId })
  if (!removed.length) throw notFound('link')
  const [property] = await db
    .select({ code: properties.code, title: properties.title })
    .from(properties)
    .where(byId(properties, ctx, propertyId))
  await recordLeadChange(asMember(ctx), { leadId, audit: 'lead.property.unlink', before: { propertyId } }, [
    { kind: 'property_unlinked', propertyId, code: property?.code ?? null, title: property?.title ?? null },
  ])
  return { ok: true as const }
}

/** Properties a lead is interested in, for the lead page (only the ones the actor may open). */
export async function leadInterestsFor(ctx: AgencyCtx, { id: leadId }: TLeadIdInput) {
  await getVisibleLead(ctx, leadId)
  return ctx.db
    .select({
      id: properties.id,
      code: properties.code,
      title: properties.title,
      status: properties.status,
      neighbourhood: properties.neighbourhood,
      salePrice: properties.salePrice,
      rentPrice: properties.rentPrice,
      coverPhotoId,
    })
    .from(leadProperties)
    .innerJoin(
      properties,
      and(eq(properties.agencyId, leadProperties.agencyId), eq(properties.id, leadProperties.propertyId)),
    )
    .where(
      and(
        inAgency(leadProperties, ctx),
        eq(leadProperties.leadId, leadId),
        isNull(properties.deletedAt),
        propertyVisibility(ctx.actor),
      ),
    )
    .orderBy(desc(leadProperties.createdAt))
}

/** Photo rows are deleted with their property by cascade; their files through this job, only once the change commits. */
export async function scheduleFileDeletion(db: DbOrTx, keys: string[]) {
  if (keys.length) await enqueue(db, deleteStoredFilesJob, { keys })
}
