import { sql } from 'drizzle-orm'
import {
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core'
import { importDuplicatePolicies, importKinds, importRowOutcomes, importStatuses } from '../enums'
import { tenantPolicies } from './_rls'
import { agencies } from './agencies'
import { users } from './users'

export const importKind = pgEnum('import_kind', importKinds)
export const importStatus = pgEnum('import_status', importStatuses)
export const importDuplicatePolicy = pgEnum('import_duplicate_policy', importDuplicatePolicies)
export const importRowOutcome = pgEnum('import_row_outcome', importRowOutcomes)

/** Counts per outcome, for the validation plan and for what the run did. */
export interface ImportCounts {
  create: number
  update: number
  skip: number
  refuse: number
}

/**
 * One spreadsheet import (decision 024): the file (kept in the file store for 30 days), how its columns map to fields,
 * the duplicate policy, and its progress. `processedRows` is the run's checkpoint — the last sheet row whose effect is
 * committed, written in the same transaction as that effect — so a worker restart resumes without duplicates.
 */
export const imports = pgTable(
  'imports',
  {
    id: uuid().primaryKey().defaultRandom(),
    agencyId: uuid()
      .notNull()
      .references(() => agencies.id, { onDelete: 'cascade' }),
    kind: importKind().notNull(),
    status: importStatus().notNull().default('uploaded'),
    fileName: text().notNull(),
    /** Key in the file store; null once the file is purged. */
    fileKey: text(),
    fileBytes: integer().notNull(),
    format: text().$type<'csv' | 'xlsx'>().notNull(),
    encoding: text(),
    separator: text(),
    headers: text().array().notNull(),
    /** The first rows, for the mapping screen's preview. */
    sample: jsonb().$type<string[][]>().notNull(),
    /** One field key (or null: ignored) per column. */
    mapping: jsonb().$type<(string | null)[]>(),
    duplicatePolicy: importDuplicatePolicy().notNull().default('skip'),
    /** Leads without an owner in the file go through the agency's distribution rules (decision 027), without an SLA. */
    distribute: boolean().notNull().default(false),
    /** Data rows in the file (known after validation). */
    totalRows: integer(),
    processedRows: integer().notNull().default(0),
    planned: jsonb().$type<ImportCounts>(),
    done: jsonb()
      .$type<ImportCounts>()
      .notNull()
      .default(sql`'{"create":0,"update":0,"skip":0,"refuse":0}'::jsonb`),
    error: text(),
    createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
    fileExpiresAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    unique('imports_agency_id_id_key').on(t.agencyId, t.id),
    index('imports_agency_created_idx').on(t.agencyId, t.createdAt),
    index('imports_file_expiry_idx')
      .on(t.fileExpiresAt)
      .where(sql`${t.fileKey} is not null`),
    ...tenantPolicies('imports', t.agencyId),
  ],
)

/**
 * The rows of the report that are not a plain creation: refused (with reasons), skipped as duplicates, updated (with
 * the fields' values before, for undo). Written by the validation, replaced by the run's own when it starts.
 */
export const importRows = pgTable(
  'import_rows',
  {
    agencyId: uuid()
      .notNull()
      .references(() => agencies.id, { onDelete: 'cascade' }),
    importId: uuid()
      .notNull()
      .references(() => imports.id, { onDelete: 'cascade' }),
    row: integer().notNull(),
    outcome: importRowOutcome().notNull(),
    reasons: text().array().notNull(),
    /** The lead it matched or updated. */
    recordId: uuid(),
    /** For an update: each field it filled, with the value before and the value written (undo restores the first). */
    change: jsonb().$type<Record<string, [unknown, unknown]>>(),
  },
  (t) => [
    primaryKey({ columns: [t.importId, t.row] }),
    index('import_rows_agency_import_idx').on(t.agencyId, t.importId, t.row),
    ...tenantPolicies('import_rows', t.agencyId),
  ],
)
