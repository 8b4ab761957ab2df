import { randomUUID } from 'node:crypto'
import { WORKER_INSTANCE_LOCK_SPACE } from '@impera/api/services'
import type { DbHandle } from '@impera/db'

/**
 * This worker process's identity on the sends it claims: a fresh id whose advisory lock it holds, on a connection of
 * its own, for as long as it lives. A send left in `sending` under an id whose lock is free belongs to a worker that
 * is gone (killed, crashed), so the reconcile job can show it as uncertain at once rather than minutes later.
 */
export async function holdWorkerInstance(sql: DbHandle['sql']) {
  const id = randomUUID()
  const connection = await sql.reserve()
  await connection`select pg_advisory_lock(${WORKER_INSTANCE_LOCK_SPACE}, hashtext(${id}))`
  return {
    id,
    /** Fails when the connection holding the lock is gone (and with it the lock): the watchdog then exits. */
    async check() {
      await connection`select 1`
    },
    async release() {
      await connection`select pg_advisory_unlock(${WORKER_INSTANCE_LOCK_SPACE}, hashtext(${id}))`
      connection.release()
    },
  }
}
