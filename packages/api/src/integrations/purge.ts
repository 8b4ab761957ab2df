import { sql, withAgency, type Db } from '@impera/db'
import { IDEMPOTENCY_HOURS } from '../public-api/idempotency'
import { API_RATE } from './principal'

/**
 * The public API's leftovers (decision 017), swept by the worker's hourly `api:purge-expired`: answers kept for
 * Idempotency-Keys past their hours (a write only clears its own agency's, and only a handful), and rate-limit buckets
 * that have refilled, which are never cleared otherwise. Both go in batches, each its own short statement, skipping
 * rows a request holds at that moment, so a backlog never holds locks long nor waits on live traffic.
 */
export const PURGE_BATCH = 1000

/** One agency's expired idempotency answers, in its tenant context (the table's row-level security is forced). */
export async function purgeIdempotencyKeys(
  db: Db,
  { agencyId, batch = PURGE_BATCH }: { agencyId: string; batch?: number },
): Promise<number> {
  let purged = 0
  for (;;) {
    const { count } = await withAgency(db, { agencyId, userId: null }, (tx) =>
      tx.execute(sql`
        delete from api_idempotency_keys where (agency_id, integration_id, key) in (
          select agency_id, integration_id, key from api_idempotency_keys
          where agency_id = ${agencyId} and created_at < now() - make_interval(hours => ${IDEMPOTENCY_HOURS})
          limit ${batch} for update skip locked)`),
    )
    purged += count
    if (count < batch) return purged
  }
}

/**
 * Buckets full again: their tokens plus what has refilled since their last request reach the capacity (the refill
 * consumeApiRate computes). A missing bucket starts full, so removing a full one changes no decision.
 */
export async function purgeRateBuckets(
  db: Db,
  { rate = API_RATE, batch = PURGE_BATCH }: { rate?: typeof API_RATE; batch?: number } = {},
): Promise<number> {
  let purged = 0
  for (;;) {
    const { count } = await db.execute(sql`
      delete from api_rate_buckets where key_id in (
        select key_id from api_rate_buckets
        where tokens + extract(epoch from now() - updated_at)::float8 * ${rate.perSecond}::float8 >= ${rate.capacity}::float8
        limit ${batch} for update skip locked)`)
    purged += count
    if (count < batch) return purged
  }
}
