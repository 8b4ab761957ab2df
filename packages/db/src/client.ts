import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js'
import postgres from 'postgres'
import * as schema from './schema'

type Schema = typeof schema
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
  const db = drizzle(honourPrepare(sql, opts.prepare ?? true), {
    schema,
    casing: 'snake_case',
    logger: opts.onQuery ? { logQuery: opts.onQuery } : false,
  })
  return { db, sql, close: () => sql.end({ timeout: 5 }) }
}

type Unsafe = postgres.Sql['unsafe']
type Scope = (tx: postgres.TransactionSql) => unknown

/**
 * drizzle's postgres.js adapter runs every query it builds through `unsafe(…, { prepare: false })`, and postgres.js's
 * `unsafe` is unprepared by default anyway, so the client's own `prepare` setting never applies (drizzle-orm#6096).
 * postgres.js must then describe each parameterised statement before binding it: two round trips per query, and a
 * parse every time. This view of the client (and of the transactions and savepoints it opens) asks for what the client
 * was configured with: prepared statements by default, unnamed behind a transaction-mode pooler (`prepare: false`).
 * Plans stay custom for tenant queries (see `withAgency`).
 */
function honourPrepare<T extends postgres.Sql | postgres.TransactionSql>(client: T, prepare: boolean): T {
  const unsafe = ((query: string, params?: unknown[], options?: object) =>
    client.unsafe(query, params as never, { ...options, prepare })) as Unsafe
  const scoped = (fn: Scope) => (tx: postgres.TransactionSql) => fn(honourPrepare(tx, prepare))
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'unsafe') return unsafe
      if (prop === 'begin') {
        return (...args: unknown[]) =>
          (target as postgres.Sql).begin(...(args.slice(0, -1) as []), scoped(args.at(-1) as Scope))
      }
      if (prop === 'savepoint') {
        return (...args: unknown[]) =>
          (target as postgres.TransactionSql).savepoint(...(args.slice(0, -1) as []), scoped(args.at(-1) as Scope))
      }
      return Reflect.get(target, prop, receiver)
    },
  })
}
