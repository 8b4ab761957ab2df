import { randomUUID } from 'node:crypto'
import {
  agencies,
  and,
  asc,
  desc,
  eq,
  importRows,
  imports,
  isNotNull,
  isNull,
  leadEvents,
  leads,
  lt,
  memberships,
  sql,
  users,
  withAgency,
  type Db,
  type DbOrTx,
} from '@impera/db'
import type { ImportCounts } from '@impera/db'
import type { ImportRowOutcome } from '@impera/db/enums'
import type { AgencyCtx, WithStorage } from '../ctx'
import { AppError, notFound } from '../errors'
import { cleanText } from '../schemas/common'
import {
  contactKeys,
  readLeadRow,
  repeatableLeadFields,
  type LeadRowEnv,
  type NewLeadValues,
} from '../imports/lead-rows'
import { readRows, sniffSheet, type SheetInfo } from '../imports/sheet'
import { guessMapping, headerKey, leadFieldAliases, type LeadImportField } from '../imports/values'
import { enqueue, importsRunJob, importsValidateJob, leadsRefreshQualificationJob } from '../jobs'
import { rooms } from '../live'
import type { TImportIdInput, TImportMappingInput, TImportRowsInput } from '../schemas/imports'
import { audit, auditAs } from './audit'
import { distributeLead } from './distribution'
import { raiseNotification } from './notifications'
import { asMember, asSystem, importLeadRecords, recordLeadChange, type LeadWriter } from './lead-facts'
import { emitLive } from './live'
import { importConsents } from './consent'
import type { FileStorage } from '../storage'

/**
 * Spreadsheet import of leads (decision 024): upload → column mapping with guesses and a preview → validation report
 * (a job: what each row will become, and why) → run (a job: batches of rows, each batch and its checkpoint in one
 * transaction, so a restart resumes where the last batch committed and nothing is made twice) → undo while nothing
 * it made was edited. The file is kept 30 days, then purged.
 */
export const IMPORT_MAX_BYTES = 50 * 1024 * 1024
export const IMPORT_MAX_ROWS = 100_000
export const IMPORT_FILE_DAYS = 30
const SAMPLE_ROWS = 5
/**
 * Rows per committed batch (the run's checkpoint). 2,000 rather than 1,000: each batch's fixed cost (its two duplicate
 * lookups, the checkpoint, the progress event) halved took the 100,000-row run from 49 s to 42 s (CSV) and 53 s to
 * 39 s (XLSX) in the benchmark, while a batch's JSON parameter stays under 2 MB.
 */
export const IMPORT_BATCH_ROWS = 2000
const BATCH_ROWS = IMPORT_BATCH_ROWS
const zeroCounts = (): ImportCounts => ({ create: 0, update: 0, skip: 0, refuse: 0 })

/** The fields a lead import can fill, in the order the mapping screen lists them. */
export const leadImportFields = Object.keys(leadFieldAliases) as LeadImportField[]

const importError = (key: string, meta?: Record<string, unknown>) =>
  new AppError('INVALID_INPUT', key, { userMessage: `imports.errors.${key}`, meta })

/** Reads the header and the first rows of an upload, guesses the mapping, keeps the file and records the import. */
export async function uploadImport(
  ctx: AgencyCtx & WithStorage,
  { fileName, bytes }: { fileName: string; bytes: Uint8Array },
) {
  const { db, actor, storage } = ctx
  if (!bytes.byteLength) throw importError('empty')
  if (bytes.byteLength > IMPORT_MAX_BYTES) throw importError('tooLarge', { maxBytes: IMPORT_MAX_BYTES })
  const info = sniffSheet(bytes)
  let headers: string[] | null = null
  const sample: string[][] = []
  for await (const { cells } of readRows(bytes, info)) {
    if (!headers) headers = cells
    else sample.push(cells)
    if (sample.length >= SAMPLE_ROWS) break
  }
  if (!headers?.some(Boolean)) throw importError('noHeader')
  const width = Math.max(headers.length, ...sample.map((r) => r.length))
  // Cut by code unit, then cleaned: a cut through an emoji leaves half of it, which Postgres refuses in jsonb.
  const named = Array.from({ length: width }, (_, i) => cleanText((headers[i] || `#${i + 1}`).slice(0, 200)))
  const id = randomUUID()
  const name = cleanFileName(fileName)
  const fileKey = `${actor.agencyId}/imports/${id}.${info.format}`
  await storage.put(
    fileKey,
    bytes,
    info.format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv',
  )
  try {
    await db.insert(imports).values({
      id,
      agencyId: actor.agencyId,
      kind: 'leads',
      fileName: name,
      fileKey,
      fileBytes: bytes.byteLength,
      format: info.format,
      encoding: info.encoding,
      separator: info.separator,
      headers: named,
      sample: sample.map((r) => Array.from({ length: width }, (_, i) => cleanText((r[i] ?? '').slice(0, 200)))),
      mapping: guessMapping(named, leadFieldAliases, repeatableLeadFields),
      createdBy: actor.userId,
      fileExpiresAt: new Date(Date.now() + IMPORT_FILE_DAYS * 86_400_000),
    })
    await audit(ctx, 'import.upload', {
      entity: 'import',
      entityId: id,
      after: { fileName: name, bytes: bytes.byteLength, format: info.format },
    })
  } catch (e) {
    await storage.delete([fileKey]).catch(() => {})
    throw e
  }
  return { id }
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
const CONTROL = /[\u0000-\u001f\u007f]/g

function cleanFileName(name: string): string {
  const clean = cleanText(name).replace(CONTROL, '').trim()
  return (clean || 'planilha').slice(0, 200)
}

async function loadImport(db: DbOrTx, agencyId: string, id: string, lock = false) {
  const q = db
    .select()
    .from(imports)
    .where(and(eq(imports.agencyId, agencyId), eq(imports.id, id)))
  const [row] = lock ? await q.for('update') : await q
  if (!row) throw notFound('import')
  return row
}

export async function listImports(ctx: AgencyCtx) {
  return ctx.db
    .select({
      id: imports.id,
      fileName: imports.fileName,
      status: imports.status,
      totalRows: imports.totalRows,
      done: imports.done,
      createdAt: imports.createdAt,
      createdByName: users.name,
    })
    .from(imports)
    .leftJoin(users, eq(users.id, imports.createdBy))
    .where(eq(imports.agencyId, ctx.actor.agencyId))
    .orderBy(desc(imports.createdAt))
    .limit(20)
}

export async function getImport(ctx: AgencyCtx, { id }: TImportIdInput) {
  const row = await loadImport(ctx.db, ctx.actor.agencyId, id)
  const { fileKey: _key, ...rest } = row
  return { ...rest, fileKept: !!row.fileKey, fields: leadImportFields, repeatable: repeatableLeadFields }
}

/** A page of the report's rows (refused, skipped, updated, created with a dropped cell), in sheet order. */
export async function listImportRows(ctx: AgencyCtx, { id, outcome, after }: TImportRowsInput) {
  await loadImport(ctx.db, ctx.actor.agencyId, id)
  const rows = await ctx.db
    .select({
      row: importRows.row,
      outcome: importRows.outcome,
      reasons: importRows.reasons,
      recordId: importRows.recordId,
    })
    .from(importRows)
    .where(
      and(
        eq(importRows.agencyId, ctx.actor.agencyId),
        eq(importRows.importId, id),
        outcome ? eq(importRows.outcome, outcome) : undefined,
        after ? sql`${importRows.row} > ${after}` : undefined,
      ),
    )
    .orderBy(asc(importRows.row))
    .limit(101)
  return { rows: rows.slice(0, 100), next: rows.length > 100 ? rows[99]!.row : null }
}

/** Saves the mapping and the duplicate policy and starts the validation report. */
export async function validateImport(
  ctx: AgencyCtx,
  {
    id,
    mapping,
    duplicatePolicy,
    distribute = false,
  }: Omit<TImportMappingInput, 'distribute'> & { distribute?: boolean },
) {
  const { db, actor } = ctx
  const row = await loadImport(db, actor.agencyId, id, true)
  if (!['uploaded', 'validated', 'failed'].includes(row.status))
    throw new AppError('CONFLICT', 'import not editable', { userMessage: 'imports.errors.notEditable' })
  if (!row.fileKey) throw importError('fileGone')
  if (mapping.length !== row.headers.length) throw importError('mappingShape')
  const used = new Set<string>()
  for (const field of mapping) {
    if (!field) continue
    if (used.has(field) && !(repeatableLeadFields as readonly string[]).includes(field))
      throw importError('mappingTwice', { field })
    used.add(field)
  }
  if (!['name', 'phones', 'email'].some((f) => used.has(f))) throw importError('mappingNeedsContact')
  await db
    .update(imports)
    .set({
      mapping,
      duplicatePolicy,
      distribute,
      status: 'validating',
      planned: null,
      error: null,
      updatedAt: new Date(),
    })
    .where(and(eq(imports.agencyId, actor.agencyId), eq(imports.id, id)))
  await db.delete(importRows).where(and(eq(importRows.agencyId, actor.agencyId), eq(importRows.importId, id)))
  // Keyed: a re-check replaces a waiting one instead of queueing a second.
  await enqueue(
    db,
    importsValidateJob,
    { agencyId: actor.agencyId, importId: id },
    { jobKey: `imports:validate:${id}` },
  )
  await importsChanged(db, actor.agencyId)
}

/** Runs a validated import. */
export async function startImport(ctx: AgencyCtx, { id }: TImportIdInput) {
  const { db, actor } = ctx
  const row = await loadImport(db, actor.agencyId, id, true)
  if (row.status !== 'validated')
    throw new AppError('CONFLICT', 'import not validated', { userMessage: 'imports.errors.notValidated' })
  if (!row.fileKey) throw importError('fileGone')
  await db
    .update(imports)
    .set({ status: 'running', startedAt: new Date(), processedRows: 0, done: zeroCounts(), updatedAt: new Date() })
    .where(and(eq(imports.agencyId, actor.agencyId), eq(imports.id, id)))
  await db.delete(importRows).where(and(eq(importRows.agencyId, actor.agencyId), eq(importRows.importId, id)))
  await enqueue(db, importsRunJob, { agencyId: actor.agencyId, importId: id }, { jobKey: `imports:run:${id}` })
  await audit(ctx, 'import.run', {
    entity: 'import',
    entityId: id,
    after: { fileName: row.fileName, planned: row.planned, duplicatePolicy: row.duplicatePolicy },
  })
  await importsChanged(db, actor.agencyId)
}

/**
 * Stops a validation (back to the mapping) or a run (what the committed batches made stays, and can be undone). The
 * job holds the import's row while it writes a batch, so this waits for that batch and the job stops before the next.
 */
export async function cancelImport(ctx: AgencyCtx, { id }: TImportIdInput) {
  const { db, actor } = ctx
  const row = await loadImport(db, actor.agencyId, id, true)
  if (row.status !== 'validating' && row.status !== 'running')
    throw new AppError('CONFLICT', 'import not in progress', { userMessage: 'imports.errors.notRunning' })
  const next = row.status === 'validating' ? 'uploaded' : 'cancelled'
  await db
    .update(imports)
    .set({ status: next, updatedAt: new Date(), finishedAt: next === 'cancelled' ? new Date() : null })
    .where(and(eq(imports.agencyId, actor.agencyId), eq(imports.id, id)))
  if (next === 'cancelled')
    await audit(ctx, 'import.cancel', { entity: 'import', entityId: id, after: { processedRows: row.processedRows } })
  await importsChanged(db, actor.agencyId)
}

/**
 * Takes back what an import made — its leads deleted, the empty fields it filled emptied again — while none of it was
 * touched since: an edit, a status move, a note or a message on one of them makes the import permanent (undoing it
 * would destroy someone's work), and the refusal says how many leads were touched.
 */
export async function undoImport(ctx: AgencyCtx, { id }: TImportIdInput) {
  const { db, actor } = ctx
  const row = await loadImport(db, actor.agencyId, id, true)
  if (row.status !== 'done' && row.status !== 'cancelled')
    throw new AppError('CONFLICT', 'import not finished', { userMessage: 'imports.errors.notUndoable' })
  const updated = await db
    .select({ recordId: importRows.recordId, change: importRows.change })
    .from(importRows)
    .where(and(eq(importRows.agencyId, actor.agencyId), eq(importRows.importId, id), eq(importRows.outcome, 'update')))
  // The run's own writes fall between its start and its end; anything else on these leads is someone's work.
  const since = (row.startedAt ?? row.createdAt).toISOString()
  const until = (row.finishedAt ?? new Date()).toISOString()
  const [touched] = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from ${leads} l
    where l.agency_id = ${actor.agencyId}
      and (l.import_id = ${id} or l.id in (select r.record_id from ${importRows} r
        where r.agency_id = ${actor.agencyId} and r.import_id = ${id} and r.outcome = 'update'))
      and (l.updated_at > ${until}::timestamptz
        or (l.import_id = ${id} and (l.updated_at > l.created_at or l.deleted_at is not null))
        or exists (select 1 from ${leadEvents} e where e.agency_id = l.agency_id and e.lead_id = l.id
          and e.kind <> 'created' and (e.at > ${until}::timestamptz
            or (e.at > ${since}::timestamptz and e.data->>'via' is distinct from 'import')))
        or exists (select 1 from lead_notes n where n.agency_id = l.agency_id and n.lead_id = l.id
          and n.created_at > ${since}::timestamptz)
        or exists (select 1 from whatsapp_conversations c where c.agency_id = l.agency_id and c.lead_id = l.id
          and (l.import_id = ${id} or c.created_at > ${since}::timestamptz)))`)
  if (touched!.n > 0)
    throw new AppError('CONFLICT', 'imported leads were edited', {
      userMessage: 'imports.errors.edited',
      meta: { count: touched!.n },
    })
  const removed = await db
    .delete(leads)
    .where(and(eq(leads.agencyId, actor.agencyId), eq(leads.importId, id)))
    .returning({ id: leads.id })
  const w = asMember(ctx, 'import')
  for (const u of updated) {
    if (!u.recordId || !u.change) continue
    const restore = Object.fromEntries(Object.entries(u.change).map(([f, [before]]) => [f, before]))
    const [after] = await db
      .update(leads)
      .set({ ...restore, updatedAt: new Date() })
      .where(and(eq(leads.agencyId, actor.agencyId), eq(leads.id, u.recordId)))
      .returning()
    if (after)
      await recordLeadChange(w, { leadId: u.recordId, audit: 'lead.update', before: u.change, after }, [
        { kind: 'edited', fields: Object.keys(restore) },
      ])
  }
  await db
    .update(imports)
    .set({ status: 'undone', updatedAt: new Date() })
    .where(and(eq(imports.agencyId, actor.agencyId), eq(imports.id, id)))
  await audit(ctx, 'import.undo', {
    entity: 'import',
    entityId: id,
    before: { created: removed.length, updated: updated.length },
  })
  await emitLive(db, rooms.agency(actor.agencyId), 'activity:changed')
  await importsChanged(db, actor.agencyId)
  return { removed: removed.length, restored: updated.length }
}

/**
 * A text[] as one parameter in array-literal form: the planner sees its elements (so it picks the index and hashes
 * `= any`), which an array built in SQL from a parameter hides (a sequential scan comparing every lead with every key).
 */
function textArrayParam(values: string[]) {
  return sql`${`{${values.map((v) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`}::text[]`
}

function importsChanged(db: DbOrTx, agencyId: string) {
  return emitLive(db, rooms.managers(agencyId), 'imports:changed')
}

async function rowEnv(tx: DbOrTx, agencyId: string): Promise<LeadRowEnv> {
  const [agency] = await tx
    .select({ country: agencies.defaultPhoneCountry, timeZone: agencies.timezone })
    .from(agencies)
    .where(eq(agencies.id, agencyId))
  const members = await tx
    .select({ userId: memberships.userId, name: users.name, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.agencyId, agencyId), eq(memberships.status, 'active')))
  const byKey = new Map<string, string>()
  for (const m of members) {
    if (m.email) byKey.set(m.email.toLowerCase(), m.userId)
    if (m.name) byKey.set(headerKey(m.name), m.userId)
  }
  return { country: agency?.country ?? 'BR', timeZone: agency?.timeZone ?? 'America/Sao_Paulo', members: byKey }
}

interface LeadMatch {
  id: string
  phones: string[]
  email: string | null
  /** The import that created the lead, if one did. */
  importId: string | null
  fields: Record<string, unknown>
}

/** The fields "update empty fields" may fill on an existing lead, with how emptiness looks for each. */
const fillable = [
  'email',
  'sourceDetail',
  'interest',
  'budgetMin',
  'budgetMax',
  'propertyTypes',
  'locations',
  'minBedrooms',
  'notes',
  'tags',
  'assignedTo',
] as const

/** What a duplicate's lead is read with: its keys and the fields "fill empty fields" may fill. */
const matchColumns = {
  id: leads.id,
  phones: leads.phones,
  email: leads.email,
  sourceDetail: leads.sourceDetail,
  interest: leads.interest,
  budgetMin: leads.budgetMin,
  budgetMax: leads.budgetMax,
  propertyTypes: leads.propertyTypes,
  locations: leads.locations,
  minBedrooms: leads.minBedrooms,
  notes: leads.notes,
  tags: leads.tags,
  assignedTo: leads.assignedTo,
  importId: leads.importId,
}

/**
 * The agency's leads that share a phone or an e-mail with a batch of rows, by contact key. Each lookup gets its keys as
 * one array literal the planner can see, so `= any` is hashed: e-mails go through their index; phones are distinct per
 * lead, so Postgres keeps no element statistics for them and an overlap (`&&`) with a thousand phones was planned as a
 * scan comparing every lead with every phone (0.3 s per 1,000 rows against 20,000 leads) — each lead's few phones are
 * looked up in the hashed list instead.
 */
async function existingByKey(tx: DbOrTx, agencyId: string, planned: NewLeadValues[]): Promise<Map<string, LeadMatch>> {
  const phones = [...new Set(planned.flatMap((v) => v.phones ?? []))]
  const emails = [...new Set(planned.map((v) => v.email).filter((e): e is string => !!e))]
  const out = new Map<string, LeadMatch>()
  const live = and(eq(leads.agencyId, agencyId), isNull(leads.deletedAt))
  const found = []
  if (phones.length)
    found.push(
      ...(await tx
        .select(matchColumns)
        .from(leads)
        .where(
          and(live, sql`exists (select 1 from unnest(${leads.phones}) p where p = any(${textArrayParam(phones)}))`),
        )),
    )
  if (emails.length)
    found.push(
      ...(await tx
        .select(matchColumns)
        .from(leads)
        .where(and(live, sql`lower(${leads.email}) = any(${textArrayParam(emails)})`))),
    )
  for (const f of found) {
    const { id, phones: ph, email, importId, ...fields } = f
    const match = { id, phones: ph, email, importId, fields }
    for (const p of ph) out.set(p, match)
    if (email) out.set(`mailto:${email.toLowerCase()}`, match)
  }
  return out
}

const isEmpty = (v: unknown) => v == null || v === '' || (Array.isArray(v) && v.length === 0)

interface PlannedRow {
  row: number
  outcome: ImportRowOutcome
  reasons: string[]
  values?: NewLeadValues
  /** What a consent column said (null: nothing); applied to the leads the import creates. */
  consent?: boolean | null
  match?: LeadMatch
}

/**
 * What each row of a batch becomes under the policy, against the agency's leads and the file's earlier rows (`seen`:
 * contact key → the row that first had it; a person listed twice is one lead).
 */
async function planBatch(
  tx: DbOrTx,
  agencyId: string,
  importId: string,
  policy: 'skip' | 'update' | 'create',
  read: ReadBatch,
  seen: Map<string, number>,
): Promise<PlannedRow[]> {
  const existing =
    policy === 'create'
      ? new Map<string, LeadMatch>()
      : await existingByKey(
          tx,
          agencyId,
          read.flatMap((r) => (r.read.ok ? [r.read.values] : [])),
        )
  return read.map(({ row, read: r }): PlannedRow => {
    if (!r.ok) return { row, outcome: 'refuse', reasons: r.reasons }
    const keys = contactKeys(r.values)
    const { consent } = r
    if (policy === 'create') return { row, outcome: 'create', reasons: r.warnings, values: r.values, consent }
    const found = keys.map((k) => existing.get(k)).find(Boolean)
    // A lead this import made from an earlier row (an earlier batch, or before a restart) is the file's own duplicate.
    const match = found && found.importId !== importId ? found : undefined
    const earlier = keys.find((k) => seen.has(k)) ?? (found && !match ? 'lead' : undefined)
    // Consent goes on the leads the import creates (an undo takes it with them); an existing lead's ledger is kept
    // as the people who spoke to the person recorded it, and the report says so.
    const kept = consent === null ? [] : ['consentNotApplied']
    if (!match && earlier)
      return { row, outcome: 'skip', reasons: [...r.warnings, 'duplicateInFile', ...kept], values: r.values }
    for (const k of keys) if (!seen.has(k)) seen.set(k, row)
    if (!match) return { row, outcome: 'create', reasons: r.warnings, values: r.values, consent }
    if (policy === 'skip')
      return { row, outcome: 'skip', reasons: [...r.warnings, 'duplicate', ...kept], values: r.values, match }
    return { row, outcome: 'update', reasons: [...r.warnings, ...kept], values: r.values, match }
  })
}

/** The empty fields of an existing lead that a row fills: field → [before, after]. */
function fillChange(match: LeadMatch, values: NewLeadValues): Record<string, [unknown, unknown]> {
  const change: Record<string, [unknown, unknown]> = {}
  const incoming = values as Record<string, unknown>
  for (const f of fillable) {
    const before = f === 'email' ? match.email : match.fields[f]
    if (isEmpty(before) && !isEmpty(incoming[f])) change[f] = [before ?? null, incoming[f]]
  }
  return change
}

type JobDeps = { db: Db; storage: FileStorage }

async function fileOf(storage: FileStorage, row: typeof imports.$inferSelect) {
  const file = row.fileKey ? await storage.get(row.fileKey) : null
  if (!file) throw importError('fileGone')
  const info: SheetInfo = {
    format: row.format,
    encoding: row.encoding as SheetInfo['encoding'],
    separator: row.separator as SheetInfo['separator'],
  }
  return readRows(file.bytes, info)
}

type ReadBatch = { row: number; read: ReturnType<typeof readLeadRow> }[]

/**
 * The file's data rows after the header, from a row on, read under the mapping in batches. One batch ahead is read
 * while the caller writes the current one: parsing runs on Node's core while Postgres works on the other (the run's
 * time is mostly Postgres storing rows and their indexes).
 */
async function* readBatches(
  rows: AsyncGenerator<{ row: number; cells: string[] }>,
  { from, mapping, env }: { from: number; mapping: (string | null)[]; env: LeadRowEnv },
): AsyncGenerator<ReadBatch> {
  async function* plain(): AsyncGenerator<ReadBatch> {
    let header = true
    let batch: ReadBatch = []
    for await (const r of rows) {
      if (header) {
        header = false
        continue
      }
      if (r.row <= from) continue
      batch.push({ row: r.row, read: readLeadRow(r.cells, mapping, env) })
      if (batch.length >= BATCH_ROWS) {
        yield batch
        batch = []
      }
    }
    if (batch.length) yield batch
  }
  const it = plain()
  try {
    let next = it.next()
    for (;;) {
      const current = await next
      if (current.done) return
      next = it.next()
      // Its failure surfaces when it is awaited above; until then it must not count as unhandled.
      next.catch(() => {})
      yield current.value
    }
  } finally {
    await it.return(undefined).catch(() => {})
  }
}

/**
 * Ends an import whose job cannot go on: a problem with the file (an AppError: unreadable, too many rows, gone) at
 * once, anything else (a dropped connection, a deadlock) only on the job's last attempt — until then the job is
 * retried and resumes from its checkpoint. `since` keeps an old job from failing a newer validation of the import.
 */
async function failImport(
  db: Db,
  {
    agencyId,
    importId,
    status,
    since,
  }: { agencyId: string; importId: string; status: 'validating' | 'running'; since: Date },
  e: unknown,
  final: boolean,
) {
  if (!(e instanceof AppError) && !final) return
  const message = e instanceof AppError ? (e.userMessage ?? e.message) : 'imports.errors.internal'
  await withAgency(db, { agencyId, userId: null }, async (tx) => {
    await tx
      .update(imports)
      .set({
        status: status === 'validating' ? 'failed' : 'cancelled',
        error: message,
        updatedAt: new Date(),
        finishedAt: new Date(),
      })
      .where(
        and(
          eq(imports.agencyId, agencyId),
          eq(imports.id, importId),
          eq(imports.status, status),
          status === 'validating' ? eq(imports.updatedAt, since) : undefined,
        ),
      )
    await importsChanged(tx, agencyId)
  })
}

/**
 * The validation report (job `imports:validate`): reads the whole file under the mapping, plans every row against the
 * agency's leads as they are now, and records the rows that are not a plain creation with their reasons. Nothing is
 * written to leads. A run plans again, batch by batch, since leads may change in between.
 */
export async function validateImportJob(
  { db, storage }: JobDeps,
  { agencyId, importId }: { agencyId: string; importId: string },
  { final = true }: { final?: boolean } = {},
) {
  const start = await withAgency(db, { agencyId, userId: null }, (tx) => loadImport(tx, agencyId, importId))
  if (start.status !== 'validating') return null
  try {
    const env = await withAgency(db, { agencyId, userId: null }, (tx) => rowEnv(tx, agencyId))
    const seen = new Map<string, number>()
    const counts = zeroCounts()
    let total = 0
    const reading = { from: 0, mapping: start.mapping ?? [], env }
    for await (const batch of readBatches(await fileOf(storage, start), reading)) {
      total += batch.length
      if (total > IMPORT_MAX_ROWS) throw importError('tooManyRows', { max: IMPORT_MAX_ROWS })
      const stillOn = await withAgency(db, { agencyId, userId: null }, async (tx) => {
        const now = await loadImport(tx, agencyId, importId, true)
        if (now.status !== 'validating' || now.updatedAt.getTime() !== start.updatedAt.getTime()) return false
        const plan = await planBatch(tx, agencyId, importId, now.duplicatePolicy, batch, seen)
        for (const p of plan) counts[p.outcome]++
        const report = plan.filter((p) => p.outcome !== 'create' || p.reasons.length)
        // A retried job (or a second copy of it) writes the same rows again: the first one stands.
        if (report.length)
          await tx
            .insert(importRows)
            .values(
              report.map((p) => ({
                agencyId,
                importId,
                row: p.row,
                outcome: p.outcome,
                reasons: p.reasons,
                recordId: p.match?.id ?? null,
              })),
            )
            .onConflictDoNothing()
        return true
      })
      if (!stillOn) return null
    }
    if (!total) throw importError('noRows')
    return withAgency(db, { agencyId, userId: null }, async (tx) => {
      const moved = await tx
        .update(imports)
        .set({ status: 'validated', totalRows: total, planned: counts, updatedAt: new Date() })
        .where(and(eq(imports.agencyId, agencyId), eq(imports.id, importId), eq(imports.updatedAt, start.updatedAt)))
        .returning({ id: imports.id })
      if (moved.length) await importsChanged(tx, agencyId)
      return moved.length ? counts : null
    })
  } catch (e) {
    await failImport(db, { agencyId, importId, status: 'validating', since: start.updatedAt }, e, final)
    if (e instanceof AppError) return null
    throw e
  }
}

/**
 * Runs an import (job `imports:run`), batch by batch from the checkpoint: each batch is planned against the leads as
 * they are at that moment, written, reported and checkpointed in one transaction under the import's row lock (so a
 * cancel waits for the batch, and a second copy of the job cannot write the same batch). `stopAfter` ends the job
 * after that many batches — how the tests play a worker stopping mid-run.
 */
export async function runImportJob(
  { db, storage }: JobDeps,
  { agencyId, importId }: { agencyId: string; importId: string },
  opts: { stopAfter?: number; final?: boolean } = {},
) {
  const start = await withAgency(db, { agencyId, userId: null }, (tx) => loadImport(tx, agencyId, importId))
  if (start.status !== 'running') return null
  let batchesDone = 0
  try {
    const env = await withAgency(db, { agencyId, userId: null }, (tx) => rowEnv(tx, agencyId))
    const seen = new Map<string, number>()
    const reading = { from: start.processedRows, mapping: start.mapping ?? [], env }
    for await (const batch of readBatches(await fileOf(storage, start), reading)) {
      if (opts.stopAfter !== undefined && batchesDone >= opts.stopAfter) return 'stopped' as const
      const going = await withAgency(db, { agencyId, userId: start.createdBy }, async (tx) => {
        const now = await loadImport(tx, agencyId, importId, true)
        if (now.status !== 'running') return false
        await tx.execute(sql`set local gin_pending_list_limit = '32MB'`)
        await tx.execute(sql`set local synchronous_commit = off`)
        // A batch another copy of this job already committed is not made twice.
        const rows = batch.filter((r) => r.row > now.processedRows)
        if (!rows.length) return true
        const w: LeadWriter = { ...asSystem(tx, agencyId, 'import'), actorUserId: start.createdBy }
        const plan = await planBatch(tx, agencyId, importId, now.duplicatePolicy, rows, seen)
        const creating = plan.filter((p) => p.outcome === 'create')
        const ids = await importLeadRecords(
          w,
          importId,
          creating.map((p) => ({ ...p.values!, source: p.values!.source ?? 'other', createdBy: start.createdBy })),
        )
        await importConsents(
          w,
          { importId, fileName: now.fileName },
          creating.flatMap((p, i) =>
            p.consent === null || p.consent === undefined ? [] : [{ leadId: ids[i]!, granted: p.consent, row: p.row }],
          ),
        )
        // Owners for the rows that name none, by the agency's rules: quietly (one notification per member when the
        // import ends) and without a first-contact deadline (an import is a backlog, not 500 leads due in 15 minutes).
        if (now.distribute)
          for (const [i, p] of creating.entries())
            if (!p.values!.assignedTo) await distributeLead(w, { leadId: ids[i]!, quiet: true, sla: false })
        const report: (typeof importRows.$inferInsert)[] = []
        creating.forEach((p, i) => {
          if (p.reasons.length)
            report.push({ agencyId, importId, row: p.row, outcome: 'create', reasons: p.reasons, recordId: ids[i] })
        })
        const done = { ...now.done }
        done.create += creating.length
        for (const p of plan) {
          if (p.outcome === 'create') continue
          if (p.outcome === 'update') {
            const change = fillChange(p.match!, p.values!)
            const fields = Object.keys(change)
            if (fields.length) {
              const set = Object.fromEntries(fields.map((f) => [f, change[f]![1]]))
              const [after] = await tx
                .update(leads)
                .set({ ...set, updatedAt: new Date() })
                .where(and(eq(leads.agencyId, agencyId), eq(leads.id, p.match!.id)))
                .returning()
              await recordLeadChange(w, { leadId: p.match!.id, audit: 'lead.update', before: p.match!.fields, after }, [
                { kind: 'edited', fields },
              ])
              // The same person further down the file finds the lead as this row left it.
              Object.assign(p.match!.fields, set)
              if (set.email) p.match!.email = set.email as string
            }
            report.push({
              agencyId,
              importId,
              row: p.row,
              outcome: fields.length ? 'update' : 'skip',
              reasons: fields.length ? p.reasons : [...p.reasons, 'nothingToFill'],
              recordId: p.match!.id,
              change: fields.length ? change : null,
            })
            done[fields.length ? 'update' : 'skip']++
            continue
          }
          report.push({
            agencyId,
            importId,
            row: p.row,
            outcome: p.outcome,
            reasons: p.reasons,
            recordId: p.match?.id ?? null,
          })
          done[p.outcome]++
        }
        if (report.length) await tx.insert(importRows).values(report).onConflictDoNothing()
        await tx
          .update(imports)
          .set({ processedRows: rows.at(-1)!.row, done, updatedAt: new Date() })
          .where(and(eq(imports.agencyId, agencyId), eq(imports.id, importId)))
        await importsChanged(tx, agencyId)
        return true
      })
      if (!going) return 'cancelled' as const
      batchesDone++
    }
    return withAgency(db, { agencyId, userId: start.createdBy }, async (tx) => {
      const now = await loadImport(tx, agencyId, importId, true)
      if (now.status !== 'running') return 'cancelled' as const
      await tx
        .update(imports)
        .set({ status: 'done', finishedAt: new Date(), updatedAt: new Date() })
        .where(and(eq(imports.agencyId, agencyId), eq(imports.id, importId)))
      await auditAs(tx, { agencyId, actorUserId: start.createdBy, ip: null }, 'import.finish', {
        entity: 'import',
        entityId: importId,
        after: { done: now.done },
      })
      if (now.distribute) await announceDistributedImport(tx, agencyId, importId, start.createdBy)
      // Imported leads get their qualification score like any other (the set-based insert skips the per-lead owner).
      await enqueue(tx, leadsRefreshQualificationJob, {}, { jobKey: 'leads:refresh-qualification' })
      await importsChanged(tx, agencyId)
      return 'done' as const
    })
  } catch (e) {
    await failImport(db, { agencyId, importId, status: 'running', since: start.updatedAt }, e, opts.final ?? true)
    if (e instanceof AppError) return null
    throw e
  }
}

/** Files of imports older than 30 days leave the store (their reports and the leads they made stay); returns the keys. */
export async function purgeImportFiles(
  { db }: { db: Db },
  { agencyId, now = new Date() }: { agencyId: string; now?: Date },
) {
  return withAgency(db, { agencyId, userId: null }, async (tx) => {
    const expired = await tx
      .select({ id: imports.id, key: imports.fileKey })
      .from(imports)
      .where(and(eq(imports.agencyId, agencyId), isNotNull(imports.fileKey), lt(imports.fileExpiresAt, now)))
      .for('update')
    for (const e of expired)
      await tx
        .update(imports)
        .set({ fileKey: null })
        .where(and(eq(imports.agencyId, agencyId), eq(imports.id, e.id)))
    return expired.map((e) => e.key!)
  })
}

/** One notification per member who received leads from a distributed import: how many. */
async function announceDistributedImport(tx: DbOrTx, agencyId: string, importId: string, by: string | null) {
  const owners = await tx.execute<{ user_id: string; n: number }>(sql`
    select l.assigned_to as user_id, count(*)::int as n from leads l
    where l.agency_id = ${agencyId} and l.import_id = ${importId} and l.deleted_at is null
      and exists (select 1 from lead_assignments a where a.agency_id = l.agency_id and a.lead_id = l.id)
    group by 1`)
  for (const o of owners)
    await raiseNotification(tx, {
      agencyId,
      userIds: [o.user_id],
      actorUserId: by,
      kind: 'leads_assigned',
      entity: 'bulk_operation',
      entityId: importId,
      data: { count: o.n },
    })
}
