import { randomUUID } from 'node:crypto'
import {
  and,
  asc,
  desc,
  eq,
  importRows,
  imports,
  isNotNull,
  lt,
  sql,
  users,
  withAgency,
  type Db,
  type DbOrTx,
} from '@impera/db'
import type { ImportCounts } from '@impera/db'
import type { ImportKind } from '@impera/db/enums'
import type { AgencyCtx, WithStorage } from '../ctx'
import { AppError, notFound } from '../errors'
import { cleanText } from '../schemas/common'
import { readRows, sniffSheet, type SheetInfo } from '../imports/sheet'
import { enqueue, importsRunJob, importsValidateJob } from '../jobs'
import { rooms } from '../live'
import type { TImportIdInput, TImportMappingInput, TImportRowsInput } from '../schemas/imports'
import { audit, auditAs } from './audit'
import { clientImportTarget } from './import-clients'
import { leadImportTarget } from './import-leads'
import { propertyImportTarget } from './import-properties'
import {
  isEmpty,
  type ImportMatch,
  type ImportRowEnv,
  type ImportRun,
  type ImportTarget,
  type PlannedRow,
  type ReadRecord,
} from './import-target'
import { asMember, asSystem } from './lead-facts'
import { emitLive } from './live'
import type { FileStorage } from '../storage'

/**
 * Spreadsheet import of leads, clients, or properties with their owners (decisions 024 and 045): upload → column
 * mapping with guesses and a preview → validation report (a job: what each row will become, and why) → run (a job:
 * batches of rows, each batch and its checkpoint in one transaction, so a restart resumes where the last batch
 * committed and nothing is made twice) → undo while nothing it made was edited. The file is kept 30 days, then purged.
 * What differs per kind (reading a row, duplicates, writing) is the kind's ImportTarget.
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
const zeroCounts = (): ImportCounts => ({ create: 0, update: 0, skip: 0, refuse: 0 })

const targets: Record<ImportKind, ImportTarget> = {
  leads: leadImportTarget,
  clients: clientImportTarget,
  properties: propertyImportTarget,
}
const targetOf = (kind: ImportKind) => targets[kind]

const importError = (key: string, meta?: Record<string, unknown>) =>
  new AppError('INVALID_INPUT', key, { userMessage: `imports.errors.${key}`, meta })

/** Reads the header and the first rows of an upload, guesses the mapping, keeps the file and records the import. */
export async function uploadImport(
  ctx: AgencyCtx & WithStorage,
  { fileName, bytes, kind = 'leads' }: { fileName: string; bytes: Uint8Array; kind?: ImportKind },
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
      kind,
      fileName: name,
      fileKey,
      fileBytes: bytes.byteLength,
      format: info.format,
      encoding: info.encoding,
      separator: info.separator,
      headers: named,
      sample: sample.map((r) => Array.from({ length: width }, (_, i) => cleanText((r[i] ?? '').slice(0, 200)))),
      mapping: targetOf(kind).guess(named),
      createdBy: actor.userId,
      fileExpiresAt: new Date(Date.now() + IMPORT_FILE_DAYS * 86_400_000),
    })
    await audit(ctx, 'import.upload', {
      entity: 'import',
      entityId: id,
      after: { kind, fileName: name, bytes: bytes.byteLength, format: info.format },
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
      kind: imports.kind,
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
  const target = targetOf(row.kind)
  return { ...rest, fileKept: !!row.fileKey, fields: target.fields, repeatable: target.repeatable }
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
  const target = targetOf(row.kind)
  const used = new Set<string>()
  for (const field of mapping) {
    if (!field) continue
    if (!target.fields.includes(field)) throw importError('mappingField', { field })
    if (used.has(field) && !target.repeatable.includes(field)) throw importError('mappingTwice', { field })
    used.add(field)
  }
  if (!target.needs.fields.some((f) => used.has(f))) throw importError(target.needs.error)
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
    after: { kind: row.kind, fileName: row.fileName, planned: row.planned, duplicatePolicy: row.duplicatePolicy },
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
 * Takes back what an import made — its records deleted, the empty fields it filled emptied again — while none of it was
 * touched since: an edit, a status move, a note, a message or a task on one of them (each kind says what counts) makes
 * the import permanent (undoing it would destroy someone's work), and the refusal says how many were touched.
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
  // The run's own writes fall between its start and its end; anything else on these records is someone's work.
  const scope = {
    agencyId: actor.agencyId,
    importId: id,
    since: (row.startedAt ?? row.createdAt).toISOString(),
    until: (row.finishedAt ?? new Date()).toISOString(),
  }
  const target = targetOf(row.kind)
  const touched = await target.touched(db, scope)
  if (touched > 0)
    throw new AppError('CONFLICT', 'imported records were edited', {
      userMessage: `imports.errors.edited.${row.kind}`,
      meta: { count: touched },
    })
  // Filled fields first: one may point at a record the import made (a listing's new owner), removed next.
  const w = asMember(ctx, 'import')
  for (const u of updated) {
    if (!u.recordId || !u.change) continue
    const restore = Object.fromEntries(Object.entries(u.change).map(([f, [before]]) => [f, before]))
    await target.restore(w, u.recordId, restore, u.change)
  }
  const removed = await target.remove(db, scope)
  await db
    .update(imports)
    .set({ status: 'undone', updatedAt: new Date() })
    .where(and(eq(imports.agencyId, actor.agencyId), eq(imports.id, id)))
  await audit(ctx, 'import.undo', {
    entity: 'import',
    entityId: id,
    before: { kind: row.kind, created: removed, updated: updated.length },
  })
  await emitLive(db, rooms.agency(actor.agencyId), 'activity:changed')
  await importsChanged(db, actor.agencyId)
  return { removed, restored: updated.length }
}

function importsChanged(db: DbOrTx, agencyId: string) {
  return emitLive(db, rooms.managers(agencyId), 'imports:changed')
}

/**
 * What each row of a batch becomes under the policy, against the agency's records and the file's earlier rows (`seen`:
 * key → the row that first had it; a person listed twice is one record).
 */
async function planBatch(
  tx: DbOrTx,
  target: ImportTarget,
  { agencyId, importId, policy }: { agencyId: string; importId: string; policy: 'skip' | 'update' | 'create' },
  batch: ReadBatch,
  seen: Map<string, number>,
): Promise<PlannedRow[]> {
  const existing = new Map<string, ImportMatch>()
  if (policy !== 'create')
    for (const m of await target.existing(
      tx,
      agencyId,
      batch.flatMap((r) => (r.read.ok ? [r.read.values] : [])),
    ))
      for (const k of m.keys) existing.set(k, m)
  return batch.map(({ row, read }): PlannedRow => {
    if (!read.ok) return { row, outcome: 'refuse', reasons: read.reasons }
    if (policy === 'create') return { row, outcome: 'create', reasons: read.warnings, read }
    const keys = target.keys(read.values)
    const found = keys.map((k) => existing.get(k)).find(Boolean)
    // A record this import made from an earlier row (an earlier batch, or before a restart) is the file's own duplicate.
    const match = found && found.importId !== importId ? found : undefined
    const earlier = keys.find((k) => seen.has(k)) ?? (found && !match ? 'record' : undefined)
    // Consent goes on the records the import creates (an undo takes it with them); an existing record's ledger is kept
    // as the people who spoke to the person recorded it, and the report says so.
    const kept = read.consent == null ? [] : ['consentNotApplied']
    if (!match && earlier)
      return { row, outcome: 'skip', reasons: [...read.warnings, 'duplicateInFile', ...kept], read }
    for (const k of keys) if (!seen.has(k)) seen.set(k, row)
    if (!match) return { row, outcome: 'create', reasons: read.warnings, read }
    if (policy === 'skip')
      return { row, outcome: 'skip', reasons: [...read.warnings, 'duplicate', ...kept], read, match }
    return { row, outcome: 'update', reasons: [...read.warnings, ...kept], read, match }
  })
}

/** The empty fields of an existing record that a row fills: field → [before, after]. */
function fillChange(target: ImportTarget, match: ImportMatch, values: Record<string, unknown>) {
  const change: Record<string, [unknown, unknown]> = {}
  for (const f of target.fillable)
    if (isEmpty(match.fields[f]) && !isEmpty(values[f])) change[f] = [match.fields[f] ?? null, values[f]]
  return change
}

type JobDeps = { db: Db; storage: FileStorage }

/** The stored file as a stream: a job never holds the file (up to 50 MB) in memory. */
async function fileOf(storage: FileStorage, row: typeof imports.$inferSelect) {
  const file = row.fileKey ? await storage.open(row.fileKey) : null
  if (!file) throw importError('fileGone')
  const info: SheetInfo = {
    format: row.format,
    encoding: row.encoding as SheetInfo['encoding'],
    separator: row.separator as SheetInfo['separator'],
  }
  return readRows(file.stream, info)
}

type ReadBatch = { row: number; read: ReadRecord }[]

/**
 * The file's data rows after the header, from a row on, read under the mapping in batches. One batch ahead is read
 * while the caller writes the current one: parsing runs on Node's core while Postgres works on the other (the run's
 * time is mostly Postgres storing rows and their indexes).
 */
async function* readBatches(
  rows: AsyncGenerator<{ row: number; cells: string[] }>,
  { target, from, mapping, env }: { target: ImportTarget; from: number; mapping: (string | null)[]; env: ImportRowEnv },
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
      batch.push({ row: r.row, read: target.read(r.cells, mapping, env) })
      if (batch.length >= IMPORT_BATCH_ROWS) {
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
 * agency's records as they are now, and records the rows that are not a plain creation with their reasons. Nothing
 * else is written. A run plans again, batch by batch, since the records may change in between.
 */
export async function validateImportJob(
  { db, storage }: JobDeps,
  { agencyId, importId }: { agencyId: string; importId: string },
  { final = true }: { final?: boolean } = {},
) {
  const start = await withAgency(db, { agencyId, userId: null }, (tx) => loadImport(tx, agencyId, importId))
  if (start.status !== 'validating') return null
  const target = targetOf(start.kind)
  try {
    const env = await withAgency(db, { agencyId, userId: null }, (tx) => target.env(tx, agencyId))
    const seen = new Map<string, number>()
    const counts = zeroCounts()
    let total = 0
    const reading = { target, from: 0, mapping: start.mapping ?? [], env }
    for await (const batch of readBatches(await fileOf(storage, start), reading)) {
      total += batch.length
      if (total > IMPORT_MAX_ROWS) throw importError('tooManyRows', { max: IMPORT_MAX_ROWS })
      const stillOn = await withAgency(db, { agencyId, userId: null }, async (tx) => {
        const now = await loadImport(tx, agencyId, importId, true)
        if (now.status !== 'validating' || now.updatedAt.getTime() !== start.updatedAt.getTime()) return false
        const plan = await planBatch(tx, target, { agencyId, importId, policy: now.duplicatePolicy }, batch, seen)
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
 * Runs an import (job `imports:run`), batch by batch from the checkpoint: each batch is planned against the records
 * as they are at that moment, written, reported and checkpointed in one transaction under the import's row lock (so a
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
  const target = targetOf(start.kind)
  const runOf = (tx: DbOrTx): ImportRun => ({
    w: { ...asSystem(tx, agencyId, 'import'), actorUserId: start.createdBy },
    importId,
    fileName: start.fileName,
    createdBy: start.createdBy,
    distribute: start.distribute,
  })
  let batchesDone = 0
  try {
    const env = await withAgency(db, { agencyId, userId: null }, (tx) => target.env(tx, agencyId))
    const seen = new Map<string, number>()
    const reading = { target, from: start.processedRows, mapping: start.mapping ?? [], env }
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
        const run = { ...runOf(tx), distribute: now.distribute }
        const plan = await planBatch(tx, target, { agencyId, importId, policy: now.duplicatePolicy }, rows, seen)
        await target.prepare?.(
          run,
          plan.filter((p) => p.outcome === 'create' || p.outcome === 'update'),
        )
        const creating = plan.filter((p) => p.outcome === 'create')
        const ids = await target.create(
          run,
          creating.map((p) => ({ row: p.row, read: p.read!, reasons: p.reasons })),
        )
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
            const change = fillChange(target, p.match!, p.read!.values)
            if (Object.keys(change).length) {
              const set = Object.fromEntries(Object.entries(change).map(([f, [, after]]) => [f, after]))
              p.reasons.push(...(await target.fill(run, p.match!, set)))
              // What the target could not write is neither reported as filled nor restored by an undo.
              for (const f of Object.keys(change)) if (!(f in set)) delete change[f]
              // The same record further down the file finds it as this row left it.
              Object.assign(p.match!.fields, set)
            }
            const fields = Object.keys(change)
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
        after: { kind: now.kind, done: now.done },
      })
      await target.finish?.({ ...runOf(tx), distribute: now.distribute })
      await importsChanged(tx, agencyId)
      return 'done' as const
    })
  } catch (e) {
    await failImport(db, { agencyId, importId, status: 'running', since: start.updatedAt }, e, opts.final ?? true)
    if (e instanceof AppError) return null
    throw e
  }
}

/** Files of imports older than 30 days leave the store (their reports and the records they made stay); returns the keys. */
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
