import { createHash } from 'node:crypto'
import { sql } from '@impera/db'
import type { AgencyCtx } from '../ctx'

/**
 * Idempotency-Key on writes (decision 017). Inside the write's transaction, the key is claimed by inserting its row
 * first: a concurrent request with the same key waits on that row until the first commits (then it is replayed) or
 * rolls back (then it runs). The answer is stored in the same transaction, so a stored answer always belongs to a
 * committed write, and a write that failed left nothing behind: retrying it with the same key runs it again.
 */

/** How long an answer is kept (and a key stays bound to its request). */
export const IDEMPOTENCY_HOURS = 24

/** Visible ASCII, 1 to 255 characters (a UUID is the usual choice). */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/

export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${canonicalJson(body)}`)
    .digest('hex')
}

/** JSON with object keys sorted, so the same body written differently hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`
  return JSON.stringify(value ?? null)
}

export type Claim = { kind: 'new' } | { kind: 'replay'; status: number; response: unknown } | { kind: 'mismatch' }

export async function claimIdempotencyKey(
  ctx: AgencyCtx,
  integrationId: string,
  key: string,
  hash: string,
): Promise<Claim> {
  const { agencyId } = ctx.actor
  // Answers past their 24 hours go first (this integration's, a bounded handful per write), so the key is free again.
  await ctx.db.execute(sql`
    delete from api_idempotency_keys where (agency_id, integration_id, key) in (
      select agency_id, integration_id, key from api_idempotency_keys
      where agency_id = ${agencyId} and created_at < now() - make_interval(hours => ${IDEMPOTENCY_HOURS})
      limit 100)`)
  const inserted = await ctx.db.execute(sql`
    insert into api_idempotency_keys (agency_id, integration_id, key, request_hash, status, response)
    values (${agencyId}, ${integrationId}, ${key}, ${hash}, 0, 'null'::jsonb)
    on conflict do nothing returning 1`)
  if (inserted.length) return { kind: 'new' }
  const [row] = await ctx.db.execute<{ request_hash: string; status: number; response: unknown; expired: boolean }>(sql`
    select request_hash, status, response,
      created_at < now() - make_interval(hours => ${IDEMPOTENCY_HOURS}) as expired
    from api_idempotency_keys
    where agency_id = ${agencyId} and integration_id = ${integrationId} and key = ${key}`)
  if (!row) return { kind: 'new' }
  if (row.expired) {
    await ctx.db.execute(sql`
      update api_idempotency_keys set request_hash = ${hash}, status = 0, response = 'null'::jsonb, created_at = now()
      where agency_id = ${agencyId} and integration_id = ${integrationId} and key = ${key}`)
    return { kind: 'new' }
  }
  if (row.request_hash !== hash) return { kind: 'mismatch' }
  return { kind: 'replay', status: row.status, response: row.response }
}

export async function storeIdempotentAnswer(
  ctx: AgencyCtx,
  integrationId: string,
  key: string,
  status: number,
  response: unknown,
): Promise<void> {
  await ctx.db.execute(sql`
    update api_idempotency_keys set status = ${status}, response = ${JSON.stringify(response)}::jsonb
    where agency_id = ${ctx.actor.agencyId} and integration_id = ${integrationId} and key = ${key}`)
}
