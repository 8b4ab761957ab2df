import { sql } from 'drizzle-orm'
import {
  bigint,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import { tenantPolicies } from './_rls'
import { agencies } from './agencies'
import { users } from './users'

export const agencyExportStatuses = ['queued', 'running', 'ready', 'failed', 'expired'] as const
export type AgencyExportStatus = (typeof agencyExportStatuses)[number]

/**
 * A manager's download of the whole agency (issue 17, decision 041): a ZIP of one CSV per entity and the stored files,
 * written by the worker into the file store and kept until `expiresAt`. `done`/`total` count rows and files, for the
 * progress bar; `counts` says what each CSV holds once ready.
 */
export const agencyExports = pgTable(
  'agency_exports',
  {
    id: uuid().primaryKey().defaultRandom(),
    agencyId: uuid()
      .notNull()
      .references(() => agencies.id, { onDelete: 'cascade' }),
    status: text().$type<AgencyExportStatus>().notNull().default('queued'),
    /** `;` (Excel in Brazil and most of Europe) or `,`, chosen by the person from their language. */
    separator: text().$type<';' | ','>().notNull(),
    total: integer(),
    done: integer().notNull().default(0),
    counts: jsonb().$type<Record<string, number>>(),
    /** Key in the file store; null until ready and again once purged. */
    fileKey: text(),
    fileBytes: bigint({ mode: 'number' }),
    error: text(),
    requestedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
    expiresAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    unique('agency_exports_agency_id_id_key').on(t.agencyId, t.id),
    index('agency_exports_agency_created_idx').on(t.agencyId, t.createdAt),
    index('agency_exports_expiry_idx').on(t.expiresAt),
    // One export at a time per agency: a second request while one runs is refused, even when two arrive together.
    uniqueIndex('agency_exports_one_pending')
      .on(t.agencyId)
      .where(sql`${t.status} in ('queued', 'running')`),
    check('agency_exports_status', sql`${t.status} in ('queued', 'running', 'ready', 'failed', 'expired')`),
    // chr(59) is ';', which drizzle-kit would read as the end of the statement.
    check('agency_exports_separator', sql`${t.separator} in (chr(59), ',')`),
    ...tenantPolicies('agency_exports', t.agencyId),
  ],
)
