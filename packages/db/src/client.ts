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

/** A session-level advisory lock (see `lockSession`). */
export interface LockSession {
  /** Tries to take the lock; true when this session holds it (taking it twice is harmless). */
  take(): Promise<boolean>
  /** Lets go of the lock (if held); it may be taken again later. */
  letGo(): Promise<void>
}

/** Per pool: the one connection holding this process's locks (while it holds any), and which it holds. */
interface LockState {
  connection: Promise<postgres.ReservedSql> | null
  held: Set<string>
  queue: Promise<unknown>
}
const lockStates = new WeakMap<Db, LockState>()

/**
 * For work that must run once at a time across processes for longer than a transaction (a number's sender): an
 * advisory lock that lives with a connection, so a process that dies frees it at once. A process's locks share one
 * connection, reserved from the pool that made `db` (drizzle keeps it as `$client`) while any is held — a connection
 * per lock would take the pool's connections from the work the locks guard. Within the process the lock is exclusive
 * too (Postgres's advisory locks are re-entrant for their session). If the connection breaks, its locks are gone with
 * it and the next `take` opens another.
 */
export function lockSession(db: Db, space: number, key: string): LockSession {
  let state = lockStates.get(db)
  if (!state) lockStates.set(db, (state = { connection: null, held: new Set(), queue: Promise.resolve() }))
  const s = state
  const id = `${space}:${key}`
  let mine = false
  // One operation at a time on the shared connection, so a release never races a take.
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = s.queue.then(fn, fn)
    s.queue = next.catch(() => {})
    return next
  }
  const release = () => {
    const connection = s.connection
    s.connection = null
    void connection?.then((c) => c.release()).catch(() => {})
  }
  const ask = async (query: (c: postgres.ReservedSql) => Promise<{ ok: boolean }[]>) => {
    s.connection ??= (db as unknown as { $client: postgres.Sql }).$client.reserve()
    try {
      return (await query(await s.connection))[0]!.ok
    } catch (e) {
      s.connection = null
      s.held.clear()
      throw e
    }
  }
  return {
    take: () =>
      serial(async () => {
        if (mine) return true
        if (s.held.has(id)) return false
        const ok = await ask((c) => c`select pg_try_advisory_lock(${space}, hashtext(${key})) as ok`)
        if (ok) s.held.add(id)
        else if (!s.held.size) release()
        return (mine = ok)
      }),
    letGo: () =>
      serial(async () => {
        if (!mine) return
        mine = false
        s.held.delete(id)
        await ask((c) => c`select pg_advisory_unlock(${space}, hashtext(${key})) as ok`).catch(() => false)
        if (!s.held.size) release()
      }),
  }
}
