import { randomUUID } from 'node:crypto'
import { and, clientEvents, clients, eq, isNull, sql, type DbOrTx } from '@impera/db'
import {
  clientFieldAliases,
  clientKeys,
  readClientRow,
  repeatableClientFields,
  type NewClientValues,
} from '../imports/client-rows'
import { guessMapping } from '../imports/values'
import { importConsents } from './consent'
import {
  agencyRowEnv,
  distinct,
  textArrayParam,
  type ImportMatch,
  type ImportRun,
  type ImportTarget,
} from './import-target'
import { auditAs } from './audit'
import { activityChanged } from './live'

/** What a duplicate's client is read with: its keys and the fields "fill empty fields" may fill. */
const matchColumns = {
  id: clients.id,
  importId: clients.importId,
  phones: clients.phones,
  email: clients.email,
  document: clients.document,
  types: clients.types,
  street: clients.street,
  number: clients.number,
  complement: clients.complement,
  neighbourhood: clients.neighbourhood,
  city: clients.city,
  state: clients.state,
  postalCode: clients.postalCode,
  birthDate: clients.birthDate,
  notes: clients.notes,
  tags: clients.tags,
  assignedTo: clients.assignedTo,
}

/** The agency's live clients sharing a phone, an e-mail or a CPF/CNPJ with a batch (as existingLeads, plus documents). */
export async function existingClients(
  tx: DbOrTx,
  agencyId: string,
  planned: Record<string, unknown>[],
): Promise<ImportMatch[]> {
  const phones = distinct(planned, (v) => v.phones)
  const emails = distinct(planned, (v) => v.email)
  const documents = distinct(planned, (v) => v.document)
  const live = and(eq(clients.agencyId, agencyId), isNull(clients.deletedAt))
  const found = new Map<string, Awaited<ReturnType<typeof select>>[number]>()
  const select = (where: ReturnType<typeof sql>) => tx.select(matchColumns).from(clients).where(and(live, where))
  if (phones.length)
    for (const c of await select(
      sql`exists (select 1 from unnest(${clients.phones}) p where p = any(${textArrayParam(phones)}))`,
    ))
      found.set(c.id, c)
  if (emails.length)
    for (const c of await select(sql`lower(${clients.email}) = any(${textArrayParam(emails)})`)) found.set(c.id, c)
  if (documents.length)
    for (const c of await select(sql`${clients.document} = any(${textArrayParam(documents)})`)) found.set(c.id, c)
  return [...found.values()].map(({ id, importId, phones: ph, ...fields }) => ({
    id,
    importId,
    keys: clientKeys({ name: '', phones: ph, email: fields.email?.toLowerCase() ?? null, document: fields.document }),
    fields,
  }))
}

/**
 * CPF/CNPJ is unique among an agency's live clients: a document another client holds (or an earlier row of the batch
 * took) is dropped from the new record, with the reason in the report, rather than failing the batch.
 */
async function freeDocuments(tx: DbOrTx, agencyId: string, rows: { values: NewClientValues; reasons: string[] }[]) {
  const documents = distinct(
    rows.map((r) => r.values),
    (v) => v.document,
  )
  if (!documents.length) return
  const held = await tx
    .select({ document: clients.document })
    .from(clients)
    .where(
      and(
        eq(clients.agencyId, agencyId),
        isNull(clients.deletedAt),
        sql`${clients.document} = any(${textArrayParam(documents)})`,
      ),
    )
  const taken = new Set(held.map((h) => h.document))
  for (const r of rows) {
    const d = r.values.document
    if (!d) continue
    if (taken.has(d)) {
      r.values = { ...r.values, document: null }
      if (!r.reasons.includes('documentTaken')) r.reasons.push('documentTaken')
    } else taken.add(d)
  }
}

/**
 * Writes a batch of new clients set-based (as importLeadRecords: one JSON parameter, ids made here) with their
 * 'created' history; the import is the audited operation. Used for a client import and for a property import's owners.
 */
export async function importClientRecords(run: ImportRun, rows: { values: NewClientValues; reasons: string[] }[]) {
  if (!rows.length) return []
  const { w, importId, createdBy } = run
  await freeDocuments(w.db, w.agencyId, rows)
  const records = rows.map(({ values: v }) => ({
    id: randomUUID(),
    name: v.name,
    types: v.types ?? [],
    phones: v.phones ?? [],
    email: v.email ?? null,
    document: v.document ?? null,
    street: v.street ?? null,
    number: v.number ?? null,
    complement: v.complement ?? null,
    neighbourhood: v.neighbourhood ?? null,
    city: v.city ?? null,
    state: v.state ?? null,
    postal_code: v.postalCode ?? null,
    birth_date: v.birthDate ?? null,
    notes: v.notes ?? null,
    tags: v.tags ?? [],
    assigned_to: v.assignedTo ?? null,
    created_at: v.createdAt instanceof Date ? v.createdAt.toISOString() : null,
    created_by: createdBy,
  }))
  await w.db.execute(sql`
    insert into ${clients} (id, agency_id, import_id, name, types, phones, email, document, street, number, complement,
      neighbourhood, city, state, postal_code, birth_date, notes, tags, assigned_to, created_by, created_at, updated_at)
    select r.id, ${w.agencyId}, ${importId}, r.name, r.types, r.phones, r.email, r.document, r.street, r.number,
      r.complement, r.neighbourhood, r.city, r.state, r.postal_code, r.birth_date, r.notes, r.tags, r.assigned_to,
      r.created_by, coalesce(r.created_at, now()), coalesce(r.created_at, now())
    from jsonb_array_elements(${JSON.stringify(records)}::jsonb) as e(v),
      jsonb_to_record(e.v) as r(id uuid, name text, types text[], phones text[], email text, document text, street text,
      number text, complement text, neighbourhood text, city text, state text, postal_code text, birth_date date,
      notes text, tags text[], assigned_to uuid, created_by uuid, created_at timestamptz)`)
  await w.db.execute(sql`
    insert into ${clientEvents} (agency_id, client_id, actor_user_id, kind, data, at)
    select ${w.agencyId}, r.id, ${w.actorUserId}::uuid, 'created',
      jsonb_build_object('via', 'import', 'importId', ${importId}::text, 'assignedTo', r.assigned_to),
      coalesce(r.created_at, now())
    from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as r(id uuid, assigned_to uuid, created_at timestamptz)`)
  await activityChanged(w.db, w.agencyId)
  return records.map((r) => r.id)
}

/**
 * Writes fields of a client with its history and audit entry, as the UI's edit does: a row's fill, or an undo emptying
 * them again.
 */
async function editClient(
  w: ImportRun['w'],
  clientId: string,
  set: Record<string, unknown>,
  before: Record<string, unknown>,
) {
  const [after] = await w.db
    .update(clients)
    .set({ ...set, updatedAt: new Date() })
    .where(and(eq(clients.agencyId, w.agencyId), eq(clients.id, clientId)))
    .returning()
  if (!after) return
  await w.db.insert(clientEvents).values({
    agencyId: w.agencyId,
    clientId,
    actorUserId: w.actorUserId,
    kind: 'edited',
    data: { fields: Object.keys(set), via: w.origin },
  })
  await auditAs(w.db, w, 'client.update', { entity: 'client', entityId: clientId, before, after })
}

/** Writes the fields a row fills on a client; a CPF/CNPJ another client holds is left out, and the reason returned. */
export async function fillClient({ w }: ImportRun, match: ImportMatch, set: Record<string, unknown>) {
  const reasons: string[] = []
  if (set.document) {
    const [holder] = await w.db
      .select({ id: clients.id })
      .from(clients)
      .where(
        and(eq(clients.agencyId, w.agencyId), eq(clients.document, set.document as string), isNull(clients.deletedAt)),
      )
    if (holder) {
      delete set.document
      reasons.push('documentTaken')
    }
  }
  if (Object.keys(set).length) await editClient(w, match.id, set, match.fields)
  return reasons
}

/**
 * Whether anyone changed a client this import made or filled: an edit, a note, a task, a conversation, a lead converted
 * to it, a listing given to it, a consent recorded — as for leads (import-leads.ts).
 */
export function clientsTouched(
  tx: DbOrTx,
  { agencyId, importId, since, until }: { agencyId: string; importId: string; since: string; until: string },
) {
  return tx.execute<{ n: number }>(sql`
    select count(*)::int as n from ${clients} c
    where c.agency_id = ${agencyId}
      and (c.import_id = ${importId} or c.id in (select r.record_id from import_rows r
        where r.agency_id = ${agencyId} and r.import_id = ${importId} and r.outcome = 'update'))
      and (c.updated_at > ${until}::timestamptz
        or (c.import_id = ${importId} and (c.updated_at > c.created_at or c.deleted_at is not null))
        or exists (select 1 from ${clientEvents} e where e.agency_id = c.agency_id and e.client_id = c.id
          and e.kind <> 'created' and (e.at > ${until}::timestamptz
            or (e.at > ${since}::timestamptz and e.data->>'via' is distinct from 'import')))
        or exists (select 1 from client_notes n where n.agency_id = c.agency_id and n.client_id = c.id
          and n.created_at > ${since}::timestamptz)
        or exists (select 1 from tasks t where t.agency_id = c.agency_id and t.client_id = c.id
          and (c.import_id = ${importId} or t.created_at > ${since}::timestamptz))
        or exists (select 1 from whatsapp_conversations w where w.agency_id = c.agency_id and w.client_id = c.id
          and (c.import_id = ${importId} or w.created_at > ${since}::timestamptz))
        or (c.import_id = ${importId} and (
          exists (select 1 from leads l where l.agency_id = c.agency_id and l.client_id = c.id)
          or exists (select 1 from properties p where p.agency_id = c.agency_id and p.owner_client_id = c.id
            and p.import_id is distinct from ${importId}
            and not exists (select 1 from import_rows r where r.agency_id = p.agency_id and r.import_id = ${importId}
              and r.record_id = p.id and r.change ? 'ownerClientId'))
          or exists (select 1 from contact_consents k where k.agency_id = c.agency_id and k.client_id = c.id
            and k.evidence->>'importId' is distinct from ${importId}::text))))`)
}

/** Clients (decision 045): duplicates by phone, e-mail or CPF/CNPJ, as the client form's own checks. */
export const clientImportTarget: ImportTarget = {
  fields: Object.keys(clientFieldAliases),
  repeatable: repeatableClientFields,
  needs: { fields: ['name', 'phones', 'email'], error: 'mappingNeedsContact' },
  guess: (headers) => guessMapping(headers, clientFieldAliases, repeatableClientFields),
  env: agencyRowEnv,
  read: (cells, mapping, env) => readClientRow(cells, mapping, env),
  keys: (v) => clientKeys(v as NewClientValues),
  existing: existingClients,
  fillable: [
    'email',
    'document',
    'types',
    'street',
    'number',
    'complement',
    'neighbourhood',
    'city',
    'state',
    'postalCode',
    'birthDate',
    'notes',
    'tags',
    'assignedTo',
  ],
  async create(run, rows) {
    const made = rows.map((r) => ({ values: r.read.values as NewClientValues, reasons: r.reasons }))
    const ids = await importClientRecords(run, made)
    await importConsents(
      run.w,
      { importId: run.importId, fileName: run.fileName },
      rows.flatMap((r, i) =>
        r.read.consent == null ? [] : [{ clientId: ids[i]!, granted: r.read.consent, row: r.row }],
      ),
    )
    return ids
  },
  fill: fillClient,
  async touched(tx, scope) {
    const [row] = await clientsTouched(tx, scope)
    return row!.n
  },
  async remove(tx, { agencyId, importId }) {
    const removed = await tx
      .delete(clients)
      .where(and(eq(clients.agencyId, agencyId), eq(clients.importId, importId)))
      .returning({ id: clients.id })
    return removed.length
  },
  restore: editClient,
}
