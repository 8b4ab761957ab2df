import { randomUUID } from 'node:crypto'
import { and, clients, eq, isNull, properties, propertyEvents, sql, type DbOrTx } from '@impera/db'
import type { PropertyType } from '@impera/db/enums'
import { clientKeys, type NewClientValues } from '../imports/client-rows'
import {
  propertyFieldAliases,
  propertyKey,
  readPropertyRow,
  repeatablePropertyFields,
  type NewPropertyValues,
} from '../imports/property-rows'
import { guessMapping, headerKey } from '../imports/values'
import { auditAs } from './audit'
import { clientsTouched, existingClients, importClientRecords } from './import-clients'
import {
  agencyRowEnv,
  distinct,
  textArrayParam,
  type ImportMatch,
  type ImportRun,
  type ImportTarget,
  type PlannedRow,
} from './import-target'
import { activityChanged } from './live'
import { codePrefixes, highestCodeNumber, lockPropertyCodes, propertyCode } from './properties'

const matchColumns = {
  id: properties.id,
  importId: properties.importId,
  code: properties.code,
  street: properties.street,
  number: properties.number,
  complement: properties.complement,
  neighbourhood: properties.neighbourhood,
  city: properties.city,
  state: properties.state,
  postalCode: properties.postalCode,
  salePrice: properties.salePrice,
  rentPrice: properties.rentPrice,
  condoFee: properties.condoFee,
  propertyTax: properties.propertyTax,
  builtArea: properties.builtArea,
  totalArea: properties.totalArea,
  bedrooms: properties.bedrooms,
  suites: properties.suites,
  bathrooms: properties.bathrooms,
  parkingSpaces: properties.parkingSpaces,
  features: properties.features,
  description: properties.description,
  ownerClientId: properties.ownerClientId,
  assignedTo: properties.assignedTo,
}

/** The agency's live listings with a code a batch names (codes are compared case-blind, as the form does). */
async function existingProperties(
  tx: DbOrTx,
  agencyId: string,
  planned: Record<string, unknown>[],
): Promise<ImportMatch[]> {
  const codes = distinct(planned, (v) => (typeof v.code === 'string' ? v.code.toLowerCase() : null))
  if (!codes.length) return []
  const found = await tx
    .select(matchColumns)
    .from(properties)
    .where(
      and(
        eq(properties.agencyId, agencyId),
        isNull(properties.deletedAt),
        sql`lower(${properties.code}) = any(${textArrayParam(codes)})`,
      ),
    )
  return found.map(({ id, importId, code, ...fields }) => ({ id, importId, keys: [propertyKey(code)], fields }))
}

/**
 * Each row's owner as a client: an agency client with the same phone, e-mail or CPF/CNPJ, else one made by this import,
 * shared by the file's rows naming the same person — by those keys, or, for an owner given by name alone, by the name
 * among the owners this import made (in any batch, so a restart changes nothing). Runs only for the rows that create a
 * listing or fill one that has no owner, so no other row makes a client.
 */
async function resolveOwners(run: ImportRun, rows: PlannedRow[]) {
  const withOwner = rows.filter(
    (r) => r.read?.owner && (r.outcome === 'create' || (r.outcome === 'update' && !r.match?.fields.ownerClientId)),
  )
  if (!withOwner.length) return
  const owners = withOwner.map((r) => r.read!.owner as NewClientValues)
  const known = new Map<string, string>()
  for (const m of await existingClients(run.w.db, run.w.agencyId, owners)) for (const k of m.keys) known.set(k, m.id)
  const named = distinct(
    owners.filter((o) => !clientKeys(o).length),
    (o) => headerKey(o.name as string),
  )
  if (named.length)
    for (const c of await run.w.db
      .select({ id: clients.id, name: clients.name })
      .from(clients)
      .where(
        and(
          eq(clients.agencyId, run.w.agencyId),
          eq(clients.importId, run.importId),
          isNull(clients.deletedAt),
          sql`cardinality(${clients.phones}) = 0 and ${clients.email} is null and ${clients.document} is null`,
        ),
      ))
      if (named.includes(headerKey(c.name))) known.set(`name:${headerKey(c.name)}`, c.id)
  type Fresh = { values: NewClientValues; reasons: string[]; rows: PlannedRow[] }
  const fresh: Fresh[] = []
  const freshByKey = new Map<string, Fresh>()
  for (const r of withOwner) {
    const owner = r.read!.owner as NewClientValues
    const keys = clientKeys(owner)
    const local = keys.length ? keys : [`name:${headerKey(owner.name)}`]
    const id = local.map((k) => known.get(k)).find(Boolean)
    if (id) {
      r.read!.values.ownerClientId = id
      continue
    }
    let entry = local.map((k) => freshByKey.get(k)).find(Boolean)
    if (!entry) {
      entry = { values: owner, reasons: r.reasons, rows: [] }
      fresh.push(entry)
    }
    for (const k of local) if (!freshByKey.has(k)) freshByKey.set(k, entry)
    entry.rows.push(r)
  }
  const ids = await importClientRecords(run, fresh)
  fresh.forEach((e, i) => {
    for (const r of e.rows) r.read!.values.ownerClientId = ids[i]
  })
}

/**
 * Codes for a batch's new listings. A code the file gives that another listing holds (trashed ones keep theirs, so a
 * restore never collides) or an earlier row took is replaced, with the reason in the report; rows without one get the
 * agency's next code for their type, as the form does — under the same advisory lock, so a listing created meanwhile
 * cannot take the same code.
 */
async function assignCodes(tx: DbOrTx, agencyId: string, rows: { values: NewPropertyValues; reasons: string[] }[]) {
  await lockPropertyCodes(tx, agencyId)
  const given = distinct(
    rows.map((r) => r.values),
    (v) => (typeof v.code === 'string' ? v.code.toLowerCase() : null),
  )
  const taken = new Set<string>()
  if (given.length)
    for (const p of await tx
      .select({ code: properties.code })
      .from(properties)
      .where(and(eq(properties.agencyId, agencyId), sql`lower(${properties.code}) = any(${textArrayParam(given)})`)))
      taken.add(p.code.toLowerCase())
  for (const r of rows) {
    const code = r.values.code?.toLowerCase()
    if (!code) continue
    if (taken.has(code)) {
      r.values.code = null
      r.reasons.push('codeTaken')
    } else taken.add(code)
  }
  const next = new Map<string, number>()
  for (const r of rows) {
    if (r.values.code) continue
    const prefix = codePrefixes[r.values.type as PropertyType]
    let n = next.get(prefix) ?? (await highestCodeNumber(tx, agencyId, prefix))
    // A generated code may meet one the file gave (AP0007 in the sheet, AP0007 next): step over it.
    do n++
    while (taken.has(propertyCode(prefix, n).toLowerCase()))
    next.set(prefix, n)
    r.values.code = propertyCode(prefix, n)
    taken.add(r.values.code.toLowerCase())
  }
}

async function importPropertyRecords(run: ImportRun, rows: { values: NewPropertyValues; reasons: string[] }[]) {
  if (!rows.length) return []
  const { w, importId, createdBy } = run
  await assignCodes(w.db, w.agencyId, rows)
  const records = rows.map(({ values: v }) => ({
    id: randomUUID(),
    code: v.code,
    title: v.title,
    street: v.street ?? null,
    number: v.number ?? null,
    complement: v.complement ?? null,
    neighbourhood: v.neighbourhood ?? null,
    city: v.city ?? null,
    state: v.state ?? null,
    postal_code: v.postalCode ?? null,
    type: v.type,
    purpose: v.purpose,
    sale_price: v.salePrice ?? null,
    rent_price: v.rentPrice ?? null,
    condo_fee: v.condoFee ?? null,
    property_tax: v.propertyTax ?? null,
    built_area: v.builtArea ?? null,
    total_area: v.totalArea ?? null,
    bedrooms: v.bedrooms ?? null,
    suites: v.suites ?? null,
    bathrooms: v.bathrooms ?? null,
    parking_spaces: v.parkingSpaces ?? null,
    features: v.features ?? [],
    status: v.status ?? 'available',
    publish_portals: v.publishPortals ?? false,
    description: v.description ?? null,
    owner_client_id: v.ownerClientId ?? null,
    assigned_to: v.assignedTo ?? null,
    created_at: v.createdAt instanceof Date ? v.createdAt.toISOString() : null,
    created_by: createdBy,
  }))
  await w.db.execute(sql`
    insert into ${properties} (id, agency_id, import_id, code, title, street, number, complement, neighbourhood, city,
      state, postal_code, type, purpose, sale_price, rent_price, condo_fee, property_tax, built_area, total_area,
      bedrooms, suites, bathrooms, parking_spaces, features, status, publish_portals, description, owner_client_id,
      assigned_to, created_by, created_at, updated_at, status_changed_at)
    select r.id, ${w.agencyId}, ${importId}, r.code, r.title, r.street, r.number, r.complement, r.neighbourhood,
      r.city, r.state, r.postal_code, r.type::property_type, r.purpose::property_purpose, r.sale_price, r.rent_price,
      r.condo_fee, r.property_tax, r.built_area, r.total_area, r.bedrooms, r.suites, r.bathrooms, r.parking_spaces,
      r.features, r.status::property_status, r.publish_portals, r.description, r.owner_client_id, r.assigned_to,
      r.created_by, coalesce(r.created_at, now()), coalesce(r.created_at, now()), coalesce(r.created_at, now())
    from jsonb_array_elements(${JSON.stringify(records)}::jsonb) as e(v),
      jsonb_to_record(e.v) as r(id uuid, code text, title text, street text, number text, complement text,
      neighbourhood text, city text, state text, postal_code text, type text, purpose text, sale_price bigint,
      rent_price bigint, condo_fee bigint, property_tax bigint, built_area numeric, total_area numeric, bedrooms int,
      suites int, bathrooms int, parking_spaces int, features text[], status text, publish_portals boolean,
      description text, owner_client_id uuid, assigned_to uuid, created_by uuid, created_at timestamptz)`)
  await w.db.execute(sql`
    insert into ${propertyEvents} (agency_id, property_id, actor_user_id, kind, data, at)
    select ${w.agencyId}, r.id, ${w.actorUserId}::uuid, 'created',
      jsonb_build_object('via', 'import', 'importId', ${importId}::text, 'status', r.status,
        'assignedTo', r.assigned_to),
      coalesce(r.created_at, now())
    from jsonb_to_recordset(${JSON.stringify(records)}::jsonb)
      as r(id uuid, status text, assigned_to uuid, created_at timestamptz)`)
  await activityChanged(w.db, w.agencyId)
  return records.map((r) => r.id)
}

/** Writes fields of a listing with its history and audit entry, as the form's edit does: a row's fill, or an undo. */
async function editProperty(
  w: ImportRun['w'],
  propertyId: string,
  set: Record<string, unknown>,
  before: Record<string, unknown>,
) {
  const [after] = await w.db
    .update(properties)
    .set({ ...set, updatedAt: new Date() })
    .where(and(eq(properties.agencyId, w.agencyId), eq(properties.id, propertyId)))
    .returning()
  if (!after) return
  await w.db.insert(propertyEvents).values({
    agencyId: w.agencyId,
    propertyId,
    actorUserId: w.actorUserId,
    kind: 'edited',
    data: { fields: Object.keys(set), via: w.origin },
  })
  await auditAs(w.db, w, 'property.update', { entity: 'property', entityId: propertyId, before, after })
}

/**
 * Properties with their owners (decision 045): a listing is the same when its code is (a sheet without codes creates
 * every row). New listings do not announce matches to the members' leads one by one — an import is a catalogue, not
 * news; the match lists read them as soon as they exist.
 */
export const propertyImportTarget: ImportTarget = {
  fields: Object.keys(propertyFieldAliases),
  repeatable: repeatablePropertyFields,
  needs: { fields: ['type'], error: 'mappingNeedsType' },
  guess: (headers) => guessMapping(headers, propertyFieldAliases, repeatablePropertyFields),
  env: agencyRowEnv,
  read: (cells, mapping, env) => readPropertyRow(cells, mapping, env),
  keys: (v) => (typeof v.code === 'string' && v.code ? [propertyKey(v.code)] : []),
  existing: existingProperties,
  fillable: [
    'street',
    'number',
    'complement',
    'neighbourhood',
    'city',
    'state',
    'postalCode',
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
    'assignedTo',
  ],
  prepare: resolveOwners,
  create: (run, rows) =>
    importPropertyRecords(
      run,
      rows.map((r) => ({ values: r.read.values as NewPropertyValues, reasons: r.reasons })),
    ),
  async fill({ w }, match, set) {
    await editProperty(w, match.id, set, match.fields)
    return []
  },
  async touched(tx, scope) {
    const { agencyId, importId, since, until } = scope
    const [listings] = await tx.execute<{ n: number }>(sql`
      select count(*)::int as n from ${properties} p
      where p.agency_id = ${agencyId}
        and (p.import_id = ${importId} or p.id in (select r.record_id from import_rows r
          where r.agency_id = ${agencyId} and r.import_id = ${importId} and r.outcome = 'update'))
        and (p.updated_at > ${until}::timestamptz
          or (p.import_id = ${importId} and (p.updated_at > p.created_at or p.deleted_at is not null))
          or exists (select 1 from ${propertyEvents} e where e.agency_id = p.agency_id and e.property_id = p.id
            and e.kind <> 'created' and (e.at > ${until}::timestamptz
              or (e.at > ${since}::timestamptz and e.data->>'via' is distinct from 'import')))
          or exists (select 1 from property_photos ph where ph.agency_id = p.agency_id and ph.property_id = p.id
            and (p.import_id = ${importId} or ph.created_at > ${since}::timestamptz))
          or exists (select 1 from lead_properties lp where lp.agency_id = p.agency_id and lp.property_id = p.id
            and (p.import_id = ${importId} or lp.created_at > ${since}::timestamptz))
          or exists (select 1 from property_shares s where s.agency_id = p.agency_id and s.property_id = p.id
            and (p.import_id = ${importId} or s.created_at > ${since}::timestamptz))
          or (p.import_id = ${importId} and (
            exists (select 1 from tasks t where t.agency_id = p.agency_id and t.property_id = p.id)
            or exists (select 1 from task_properties tp where tp.agency_id = p.agency_id and tp.property_id = p.id))))`)
    const [owners] = await clientsTouched(tx, scope)
    return listings!.n + owners!.n
  },
  async remove(tx, { agencyId, importId }) {
    const removed = await tx
      .delete(properties)
      .where(and(eq(properties.agencyId, agencyId), eq(properties.importId, importId)))
      .returning({ id: properties.id })
    // The owners it made go with their listings (untouched, as checked above).
    await tx.delete(clients).where(and(eq(clients.agencyId, agencyId), eq(clients.importId, importId)))
    return removed.length
  },
  restore: editProperty,
}
