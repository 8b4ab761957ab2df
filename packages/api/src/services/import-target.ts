import { agencies, and, eq, memberships, sql, users, type DbOrTx } from '@impera/db'
import type { ImportRowOutcome } from '@impera/db/enums'
import type { PropertyRowEnv } from '../imports/property-rows'
import { headerKey } from '../imports/values'
import type { LeadWriter } from './lead-facts'

/**
 * What the import pipeline (services/imports.ts, decisions 024 and 045) needs to know about the kind of record a file
 * holds — leads, clients, or properties with their owners. The pipeline owns the steps (upload, mapping, report, run
 * in checkpointed batches, cancel, undo); a target owns reading a row, finding the records a row duplicates, writing
 * the new ones, filling the empty fields of existing ones, and telling whether what an import made was touched since.
 */
export interface ImportTarget {
  /** The fields a column can map to, in the order the mapping screen lists them. */
  fields: readonly string[]
  /** Fields whose column may appear more than once. */
  repeatable: readonly string[]
  /** A mapping must name one of these fields, or the upload cannot become records (the error's key under imports.errors). */
  needs: { fields: readonly string[]; error: string }
  guess(headers: readonly string[]): (string | null)[]
  env(tx: DbOrTx, agencyId: string): Promise<ImportRowEnv>
  read(cells: string[], mapping: (string | null)[], env: ImportRowEnv): ReadRecord
  /** The keys a record is found by among the agency's records and the file's earlier rows. */
  keys(values: Record<string, unknown>): string[]
  /** The agency's live records sharing a key with these values. */
  existing(tx: DbOrTx, agencyId: string, values: Record<string, unknown>[]): Promise<ImportMatch[]>
  /** The fields "update empty fields" may fill (each read in `ImportMatch.fields`). */
  fillable: readonly string[]
  /** Before a batch's records are written: what the rows that create or fill need first (a listing's owner). */
  prepare?(run: ImportRun, rows: PlannedRow[]): Promise<void>
  /** Writes a batch's new records, in order; returns their ids. */
  create(run: ImportRun, rows: CreatedRow[]): Promise<string[]>
  /**
   * Writes the empty fields a row fills on an existing record, with its history. A field it cannot write (a CPF/CNPJ
   * another client holds) is deleted from `set`; the reasons returned say why, for the report.
   */
  fill(run: ImportRun, match: ImportMatch, set: Record<string, unknown>): Promise<string[]>
  /** How many records the import made or filled were changed by someone since (undo would destroy their work). */
  touched(tx: DbOrTx, scope: UndoScope): Promise<number>
  /** Deletes what the import created; returns how many records. */
  remove(tx: DbOrTx, scope: UndoScope): Promise<number>
  /** Empties again the fields an update filled. */
  restore(
    w: LeadWriter,
    recordId: string,
    restore: Record<string, unknown>,
    before: Record<string, unknown>,
  ): Promise<void>
  /** After the last batch, in the transaction that marks the import done. */
  finish?(run: ImportRun): Promise<void>
}

/** A row read under the mapping: the record's values, or why it cannot be one. */
export type ReadRecord =
  | {
      ok: true
      values: Record<string, unknown>
      warnings: string[]
      /** What a consent column said (null: nothing); applied to the records the import creates. */
      consent?: boolean | null
      /** A property's owner, as a client's values. */
      owner?: Record<string, unknown> | null
    }
  | { ok: false; reasons: string[] }

export type ReadOk = Extract<ReadRecord, { ok: true }>

export interface ImportMatch {
  id: string
  /** The import that created the record, if one did. */
  importId: string | null
  /** Its keys (see ImportTarget.keys). */
  keys: string[]
  /** The fillable fields as they are now. */
  fields: Record<string, unknown>
}

export interface CreatedRow {
  row: number
  read: ReadOk
  /** The report's reasons for the row; the writer adds its own (a CPF another client holds, a code taken). */
  reasons: string[]
}

/** One batch's writer and what it writes for. */
export interface ImportRun {
  w: LeadWriter
  importId: string
  fileName: string
  createdBy: string | null
  /** Leads without an owner go through the distribution rules (decision 027). */
  distribute: boolean
}

export interface UndoScope {
  agencyId: string
  importId: string
  /** The run's own writes fall between these; anything else on its records is someone's work. */
  since: string
  until: string
}

export interface PlannedRow {
  row: number
  outcome: ImportRowOutcome
  reasons: string[]
  read?: ReadOk
  match?: ImportMatch
}

export const isEmpty = (v: unknown) => v == null || v === '' || (Array.isArray(v) && v.length === 0)

/**
 * A text[] as one parameter in array-literal form: the planner sees its elements (so it picks the index and hashes
 * `= any`), which an array built in SQL from a parameter hides (a sequential scan comparing every record with every key).
 */
export function textArrayParam(values: string[]) {
  return sql`${`{${values.map((v) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`}::text[]`
}

/** Distinct non-empty values of a field across a batch. */
export function distinct(values: Record<string, unknown>[], pick: (v: Record<string, unknown>) => unknown): string[] {
  const out = new Set<string>()
  for (const v of values) {
    const x = pick(v)
    if (Array.isArray(x)) for (const i of x) out.add(String(i))
    else if (typeof x === 'string' && x) out.add(x)
  }
  return [...out]
}

/** What every row reader needs to know about the agency: its phone country, time zone, language and active members. */
export type ImportRowEnv = PropertyRowEnv

export async function agencyRowEnv(tx: DbOrTx, agencyId: string): Promise<ImportRowEnv> {
  const [agency] = await tx
    .select({ country: agencies.defaultPhoneCountry, timeZone: agencies.timezone, locale: agencies.locale })
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
  return {
    country: agency?.country ?? 'BR',
    timeZone: agency?.timeZone ?? 'America/Sao_Paulo',
    locale: agency?.locale ?? 'pt-BR',
    members: byKey,
  }
}
