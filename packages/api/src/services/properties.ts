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
  leadEvents,
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
import { invalidField, notFound } from '../errors'
import { deleteStoredFilesJob, enqueue } from '../jobs'
import type { TListPropertiesInput, TPropertyInput } from '../schemas'
import type { AgencyActor } from '../ctx'
import { writeAudit } from './audit'
import { cheapCount, pageIds, enumKey, keyset, numberKey, textKey, timeKey, toPage, type SortKey } from './list-query'
import { activityChanged } from './live'
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
} from './records'

export function propertyVisibility(actor: AgencyActor): SQL | undefined {
  return assigneeVisibility(actor, properties.assignedTo)
}

export async function getVisibleProperty(db: DbOrTx, actor: AgencyActor, id: string, opts: { deleted?: boolean } = {}) {
  const [property] = await db
    .select()
    .from(properties)
    .where(
      and(
        eq(properties.agencyId, actor.agencyId),
        eq(properties.id, id),
        opts.deleted ? isNotNull(properties.deletedAt) : isNull(properties.deletedAt),
        propertyVisibility(actor),
      ),
    )
  if (!property) throw notFound('property')
  return property
}

export async function getEditableProperty(db: DbOrTx, actor: AgencyActor, id: string) {
  const property = await getVisibleProperty(db, actor, id)
  assertCanEdit(actor, property, 'property')
  return property
}

async function event(
  db: DbOrTx,
  actor: AgencyActor,
  propertyId: string,
  kind: (typeof propertyEvents.$inferInsert)['kind'],
  data: Record<string, unknown> = {},
) {
  await db
    .insert(propertyEvents)
    .values({ agencyId: actor.agencyId, propertyId, actorUserId: actor.userId, kind, data })
  if (kind === 'created' || kind === 'status_changed') await activityChanged(db, actor.agencyId)
}

const codePrefixes: Record<Property['type'], string> = {
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
async function nextCode(db: DbOrTx, actor: AgencyActor, type: Property['type']): Promise<string> {
  const prefix = codePrefixes[type]
  await db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`property-code:${actor.agencyId}`}, 0))`)
  const [row] = await db.execute<{ n: number | null }>(
    sql`select max(substring(code from ${`^${prefix}(\\d+)$`})::int) as n from ${properties} where ${properties.agencyId} = ${actor.agencyId} and code ~ ${`^${prefix}\\d+$`}`,
  )
  return `${prefix}${String((row?.n ?? 0) + 1).padStart(4, '0')}`
}

async function assertCodeFree(db: DbOrTx, actor: AgencyActor, code: string, excludeId?: string) {
  const [taken] = await db
    .select({ id: properties.id })
    .from(properties)
    .where(
      and(
        eq(properties.agencyId, actor.agencyId),
        sql`lower(${properties.code}) = lower(${code})`,
        excludeId ? sql`${properties.id} <> ${excludeId}` : undefined,
      ),
    )
  if (taken) throw invalidField('code', 'properties.codeTaken')
}

async function assertOwner(db: DbOrTx, actor: AgencyActor, ownerClientId: string | null) {
  if (!ownerClientId) return
  const [owner] = await db
    .select({ assignedTo: clients.assignedTo })
    .from(clients)
    .where(and(eq(clients.agencyId, actor.agencyId), eq(clients.id, ownerClientId), isNull(clients.deletedAt)))
  if (!owner || !canSeeRecord(actor, owner)) throw invalidField('ownerClientId', 'properties.ownerInvalid')
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

export async function createProperty({ db, actor, data }: { db: DbOrTx; actor: AgencyActor; data: TPropertyInput }) {
  const assignedTo = await resolveAssignee(db, actor, defaultAssignee(actor, data.assignedTo), undefined)
  await assertOwner(db, actor, data.ownerClientId)
  const code = data.code ?? (await nextCode(db, actor, data.type))
  if (data.code) await assertCodeFree(db, actor, code)
  const [property] = await db
    .insert(properties)
    .values({ ...data, code, assignedTo, agencyId: actor.agencyId, createdBy: actor.userId })
    .returning()
  await event(db, actor, property!.id, 'created', { status: property!.status, assignedTo })
  await writeAudit(db, {
    agencyId: actor.agencyId,
    actorUserId: actor.userId,
    action: 'property.create',
    entity: 'property',
    entityId: property!.id,
    after: property,
    ip: actor.ip,
  })
  return property!
}

export async function updateProperty({
  db,
  actor,
  id,
  data,
}: {
  db: DbOrTx
  actor: AgencyActor
  id: string
  data: TPropertyInput
}) {
  const before = await getEditableProperty(db, actor, id)
  const assignedTo = await resolveAssignee(db, actor, data.assignedTo, before.assignedTo)
  if (data.ownerClientId !== before.ownerClientId) await assertOwner(db, actor, data.ownerClientId)
  // Clearing the code keeps the current one (a property always has a code).
  const code = data.code ?? before.code
  if (code.toLowerCase() !== before.code.toLowerCase()) await assertCodeFree(db, actor, code, id)
  const values = { ...data, code }
  const changed = changedFields(before, values, editableFields)
  const statusChanged = data.status !== before.status
  if (!changed.length && !statusChanged && assignedTo === before.assignedTo) return before
  const [after] = await db
    .update(properties)
    .set({
      ...Object.fromEntries(editableFields.map((f) => [f, values[f]])),
      status: data.status,
      ...(statusChanged ? { statusChangedAt: new Date() } : {}),
      assignedTo,
      updatedAt: new Date(),
    })
    .where(and(eq(properties.agencyId, actor.agencyId), eq(properties.id, id)))
    .returning()
  if (changed.length) await event(db, actor, id, 'edited', { fields: changed })
  if (statusChanged) await event(db, actor, id, 'status_changed', { from: before.status, to: data.status })
  if (assignedTo !== before.assignedTo)
    await event(db, actor, id, 'assigned', { from: before.assignedTo, to: assignedTo })
  await writeAudit(db, {
    agencyId: actor.agencyId,
    actorUserId: actor.userId,
    action: 'property.update',
    entity: 'property',
    entityId: id,
    before,
    after,
    ip: actor.ip,
  })
  return after!
}

export async function setPropertyStatus({
  db,
  actor,
  id,
  status,
}: {
  db: DbOrTx
  actor: AgencyActor
  id: string
  status: Property['status']
}) {
  const before = await getEditableProperty(db, actor, id)
  if (before.status === status) return before
  const [after] = await db
    .update(properties)
    .set({ status, statusChangedAt: new Date(), updatedAt: new Date() })
    .where(and(eq(properties.agencyId, actor.agencyId), eq(properties.id, id)))
    .returning()
  await event(db, actor, id, 'status_changed', { from: before.status, to: status })
  await writeAudit(db, {
    agencyId: actor.agencyId,
    actorUserId: actor.userId,
    action: 'property.status',
    entity: 'property',
    entityId: id,
    before,
    after,
    ip: actor.ip,
  })
  return after!
}

export async function deleteProperty({ db, actor, id }: { db: DbOrTx; actor: AgencyActor; id: string }) {
  const before = await getVisibleProperty(db, actor, id)
  await db
    .update(properties)
    .set({ deletedAt: new Date(), deletedBy: actor.userId })
    .where(and(eq(properties.agencyId, actor.agencyId), eq(properties.id, id)))
  await event(db, actor, id, 'deleted')
  await writeAudit(db, {
    agencyId: actor.agencyId,
    actorUserId: actor.userId,
    action: 'property.delete',
    entity: 'property',
    entityId: id,
    before,
    ip: actor.ip,
  })
  return { ok: true as const }
}

export async function restoreProperty({ db, actor, id }: { db: DbOrTx; actor: AgencyActor; id: string }) {
  const property = await getVisibleProperty(db, actor, id, { deleted: true })
  if (property.deletedAt! < trashCutoff()) throw notFound('property')
  const [after] = await db
    .update(properties)
    .set({ deletedAt: null, deletedBy: null, updatedAt: new Date() })
    .where(and(eq(properties.agencyId, actor.agencyId), eq(properties.id, id)))
    .returning()
  await event(db, actor, id, 'restored')
  await writeAudit(db, {
    agencyId: actor.agencyId,
    actorUserId: actor.userId,
    action: 'property.restore',
    entity: 'property',
    entityId: id,
    after,
    ip: actor.ip,
  })
  return after!
}

export async function listPropertyTrash({ db, actor }: { db: DbOrTx; actor: AgencyActor }) {
  return db
    .select({
      id: properties.id,
      name: sql<string>`${properties.code} || ' · ' || ${properties.title}`,
      deletedAt: properties.deletedAt,
      deletedByName: users.name,
    })
    .from(properties)
    .leftJoin(users, eq(users.id, properties.deletedBy))
    .where(
      and(
        eq(properties.agencyId, actor.agencyId),
        isNotNull(properties.deletedAt),
        gte(properties.deletedAt, trashCutoff()),
      ),
    )
    .orderBy(desc(properties.deletedAt))
    .limit(200)
}

/** The cover (first photo) of each property, for lists and cards. */
const coverPhotoId = sql<
  string | null
>`(select p.id from ${propertyPhotos} p where p.agency_id = ${properties.agencyId} and p.property_id = ${properties.id} order by p.position limit 1)`

function propertyListFilters(actor: AgencyActor, input: TListPropertiesInput, price: SQL): SQL | undefined {
  const filters: (SQL | undefined)[] = [
    eq(properties.agencyId, actor.agencyId),
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
  filters.push(
    timeRange(properties.createdAt, input.createdFrom, input.createdTo),
    timeRange(properties.updatedAt, input.updatedFrom, input.updatedTo),
  )
  return and(...filters)
}

export async function listProperties({
  db,
  actor,
  input,
}: {
  db: DbOrTx
  actor: AgencyActor
  input: TListPropertiesInput
}) {
  // "For sale" includes properties offered both ways; prices filter and sort on the matching price.
  const price: SQL =
    input.purpose === 'rent'
      ? sql`${properties.rentPrice}`
      : input.purpose === 'sale'
        ? sql`${properties.salePrice}`
        : sql`coalesce(${properties.salePrice}, ${properties.rentPrice})`
  const where = propertyListFilters(actor, input, price)
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
        eq(properties.agencyId, actor.agencyId),
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

export async function pickProperties({ db, actor, q }: { db: DbOrTx; actor: AgencyActor; q: string }) {
  return db
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
        eq(properties.agencyId, actor.agencyId),
        isNull(properties.deletedAt),
        propertyVisibility(actor),
        q ? docMatches(properties, q) : undefined,
      ),
    )
    .orderBy(desc(properties.updatedAt))
    .limit(10)
}

export async function getProperty({ db, actor, id }: { db: DbOrTx; actor: AgencyActor; id: string }) {
  const property = await getVisibleProperty(db, actor, id)
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
      .where(and(eq(propertyPhotos.agencyId, actor.agencyId), eq(propertyPhotos.propertyId, id)))
      .orderBy(asc(propertyPhotos.position)),
    db
      .select({
        id: propertyEvents.id,
        kind: propertyEvents.kind,
        data: propertyEvents.data,
        at: propertyEvents.at,
        actorName: users.name,
      })
      .from(propertyEvents)
      .leftJoin(users, eq(users.id, propertyEvents.actorUserId))
      .where(and(eq(propertyEvents.agencyId, actor.agencyId), eq(propertyEvents.propertyId, id)))
      .orderBy(desc(propertyEvents.at))
      .limit(100),
    property.assignedTo
      ? db.select({ name: users.name }).from(users).where(eq(users.id, property.assignedTo))
      : Promise.resolve([]),
    property.ownerClientId
      ? db
          .select({ id: clients.id, name: clients.name, assignedTo: clients.assignedTo })
          .from(clients)
          .where(
            and(
              eq(clients.agencyId, actor.agencyId),
              eq(clients.id, property.ownerClientId),
              isNull(clients.deletedAt),
            ),
          )
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
      .where(
        and(eq(leadProperties.agencyId, actor.agencyId), eq(leadProperties.propertyId, id), isNull(leads.deletedAt)),
      )
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
export async function linkLeadProperty({
  db,
  actor,
  leadId,
  propertyId,
}: {
  db: DbOrTx
  actor: AgencyActor
  leadId: string
  propertyId: string
}) {
  await getEditableLead(db, actor, leadId)
  const property = await getVisibleProperty(db, actor, propertyId)
  const inserted = await db
    .insert(leadProperties)
    .values({ agencyId: actor.agencyId, leadId, propertyId, createdBy: actor.userId })
    .onConflictDoNothing()
    .returning({ leadId: leadProperties.leadId })
  if (inserted.length) {
    await db
      .insert(leadEvents)
      .values({
        agencyId: actor.agencyId,
        leadId,
        actorUserId: actor.userId,
        kind: 'property_linked',
        data: { propertyId, code: property.code, title: property.title },
      })
    await writeAudit(db, {
      agencyId: actor.agencyId,
      actorUserId: actor.userId,
      action: 'lead.property.link',
      entity: 'lead',
      entityId: leadId,
      after: { propertyId },
      ip: actor.ip,
    })
  }
  return { ok: true as const }
}

export async function unlinkLeadProperty({
  db,
  actor,
  leadId,
  propertyId,
}: {
  db: DbOrTx
  actor: AgencyActor
  leadId: string
  propertyId: string
}) {
  await getEditableLead(db, actor, leadId)
  const removed = await db
    .delete(leadProperties)
    .where(
      and(
        eq(leadProperties.agencyId, actor.agencyId),
        eq(leadProperties.leadId, leadId),
        eq(leadProperties.propertyId, propertyId),
      ),
    )
    .returning({ propertyId: leadProperties.propertyId })
  if (!removed.length) throw notFound('link')
  const [property] = await db
    .select({ code: properties.code, title: properties.title })
    .from(properties)
    .where(and(eq(properties.agencyId, actor.agencyId), eq(properties.id, propertyId)))
  await db
    .insert(leadEvents)
    .values({
      agencyId: actor.agencyId,
      leadId,
      actorUserId: actor.userId,
      kind: 'property_unlinked',
      data: { propertyId, code: property?.code, title: property?.title },
    })
  await writeAudit(db, {
    agencyId: actor.agencyId,
    actorUserId: actor.userId,
    action: 'lead.property.unlink',
    entity: 'lead',
    entityId: leadId,
    before: { propertyId },
    ip: actor.ip,
  })
  return { ok: true as const }
}

/** Properties a lead is interested in, for the lead page (only the ones the actor may open). */
export async function leadInterestsFor({ db, actor, leadId }: { db: DbOrTx; actor: AgencyActor; leadId: string }) {
  await getVisibleLead(db, actor, leadId)
  return db
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
        eq(leadProperties.agencyId, actor.agencyId),
        eq(leadProperties.leadId, leadId),
        isNull(properties.deletedAt),
        propertyVisibility(actor),
      ),
    )
    .orderBy(desc(leadProperties.createdAt))
}

/** Photo rows are deleted with their property by cascade; their files through this job, only once the change commits. */
export async function scheduleFileDeletion(db: DbOrTx, keys: string[]) {
  if (keys.length) await enqueue(db, deleteStoredFilesJob, { keys })
}
