import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js'
import postgres from 'postgres'
import * as schema from './schema'

export type Schema = typeof schema
export type Db = PostgresJsDatabase<Schema>
/** A transaction has the same query API as the database; services accept either. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]
export type DbOrTx = Db | Tx

export interface CreateDbOptions {
  /** Pool size; keep small on 2-core machines. */
  max?: number
  /** Needed behind Supavisor/PgBouncer transaction mode. */
  prepare?: boolean
  onNotice?: (notice: postgres.Notice) => void
  /** Sees every statement and its parameters (the benchmark and the plan tests replay and EXPLAIN them). */
  onQuery?: (query: string, params: unknown[]) => void
}

export interface DbHandle {
  db: Db
  sql: postgres.Sql
  close: () => Promise<void>
}

/** Reads no environment: apps pass the URL they parsed at their edge. */
export function createDb(url: string, opts: CreateDbOptions = {}): DbHandle {
  const sql = postgres(url, {
    max: opts.max ?? 10,
    prepare: opts.prepare ?? true,
    onnotice: opts.onNotice ?? (() => {}),
    connection: { application_name: 'impera' },
  })
  const db = drizzle(sql, { schema, casing: 'snake_case', logger: opts.onQuery ? { logQuery: opts.onQuery } : false })
  return { db, sql, close: () => sql.end({ timeout: 5 }) }
}
