import { BlockList, isIP } from 'node:net'
import { sql, withAgency, type Db } from '@impera/db'
import type { IntegrationScope } from '@impera/db/enums'
import { REQUEST_STATEMENT_TIMEOUT_MS, type AgencyCtx, type IntegrationPrincipal } from '../ctx'
import { AppError } from '../errors'
import { parseApiKey, secretMatches } from './keys'

/**
 * How an integration's request becomes an agency context (decision 017): the key is found by its public prefix through
 * `resolve_api_key` (the one cross-agency lookup), its secret checked against the stored hash, its integration's state,
 * expiry and address allow-list checked; then the request runs in the same fenced transaction as the web's, as the
 * integration's own principal. Nothing here trusts a membership row, and the integration has none.
 */

export interface ResolvedKey extends IntegrationPrincipal {
  agencyId: string
  userId: string
}

type KeyRow = {
  key_id: string
  agency_id: string
  integration_id: string
  user_id: string
  secret_hash: string
  key_expires_at: Date | null
  key_revoked_at: Date | null
  integration_expires_at: Date | null
  integration_revoked_at: Date | null
  scopes: IntegrationScope[]
  ip_allowlist: string[]
  integration_name: string
  agency_status: string
}

/** Every refusal of a key looks the same from outside: no hint whether the prefix, the secret or the state failed. */
const badKey = () => new AppError('UNAUTHENTICATED', 'bad api key', { userMessage: 'errors.unauthenticated' })

export async function authenticateKey(db: Db, key: string | null, ip: string | null): Promise<ResolvedKey> {
  const parsed = key ? parseApiKey(key) : null
  if (!parsed) throw badKey()
  const [row] = await db.execute<KeyRow>(sql`select * from resolve_api_key(${parsed.prefix})`)
  if (!row || !secretMatches(parsed.secret, row.secret_hash)) throw badKey()
  const now = Date.now()
  const expired = (at: Date | null) => at !== null && new Date(at).getTime() <= now
  if (
    row.key_revoked_at ||
    row.integration_revoked_at ||
    expired(row.key_expires_at) ||
    expired(row.integration_expires_at)
  )
    throw badKey()
  if (row.agency_status !== 'active') throw badKey()
  if (row.ip_allowlist.length && !allowedAddress(ip, row.ip_allowlist)) throw badKey()
  return {
    agencyId: row.agency_id,
    userId: row.user_id,
    integrationId: row.integration_id,
    keyId: row.key_id,
    name: row.integration_name,
    scopes: row.scopes,
  }
}

/** Whether `ip` is one of the allow-list's addresses or inside one of its CIDR ranges (IPv4 and IPv6). */
export function allowedAddress(ip: string | null, allowlist: string[]): boolean {
  if (!ip) return false
  const address = ip.replace(/^::ffff:/, '')
  const family = isIP(address)
  if (!family) return false
  const list = new BlockList()
  for (const entry of allowlist) {
    const [base, bits] = entry.split('/')
    const type = isIP(base ?? '') === 6 ? 'ipv6' : 'ipv4'
    if (!isIP(base ?? '')) continue
    if (bits === undefined) list.addAddress(base!, type)
    else list.addSubnet(base!, Number(bits), type)
  }
  return list.check(address, family === 6 ? 'ipv6' : 'ipv4')
}

/** A missing scope is named, so an integrator knows what to ask the agency for. */
export function requireScope(key: ResolvedKey, scope: IntegrationScope) {
  if (!key.scopes.includes(scope))
    throw new AppError('FORBIDDEN', `missing scope ${scope}`, {
      userMessage: 'errors.missingScope',
      meta: { reason: 'missing_scope', scope },
    })
}

/**
 * Runs `fn` as the integration in its agency's fenced transaction. The actor has a manager's reach over records
 * (scopes, checked before, say what it may touch); `integration` on the actor marks every write as the integration's.
 * The key's last use is recorded at most once a minute per address, so a busy key costs no write per request.
 */
export function withIntegration<T>(
  db: Db,
  key: ResolvedKey,
  ip: string | null,
  fn: (ctx: AgencyCtx) => Promise<T>,
): Promise<T> {
  return withAgency(
    db,
    { agencyId: key.agencyId, userId: key.userId, statementTimeoutMs: REQUEST_STATEMENT_TIMEOUT_MS },
    async (tx) => {
      const [agency] = await tx.execute<{ agentsSeeAll: boolean; defaultPhoneCountry: string }>(
        sql`select agents_see_all as "agentsSeeAll", default_phone_country as "defaultPhoneCountry" from agencies where id = ${key.agencyId}`,
      )
      await tx.execute(sql`
      update api_keys set last_used_at = now(), last_used_ip = ${ip}
      where id = ${key.keyId} and (last_used_at is null or last_used_at < now() - interval '1 minute' or last_used_ip is distinct from ${ip})`)
      const { agencyId, userId, integrationId, keyId, name, scopes } = key
      return fn({
        db: tx,
        actor: {
          userId,
          agencyId,
          role: 'manager',
          membershipId: '',
          ip,
          agency: agency!,
          integration: { integrationId, keyId, name, scopes },
        },
      })
    },
  )
}

export interface RateDecision {
  allowed: boolean
  limit: number
  remaining: number
  /** Seconds until a token is back (Retry-After), or until the bucket is full (RateLimit-Reset). */
  resetSeconds: number
}

/** Per key: 600 requests a minute, in bursts of up to 600 (decision 017). */
export const API_RATE = { capacity: 600, perSecond: 10 }

/**
 * A token bucket per key in Postgres, so every web instance shares it: one statement refills the bucket by the time
 * elapsed (locking its row) and takes a token if a whole one is there.
 */
export async function consumeApiRate(db: Db, keyId: string, rate = API_RATE): Promise<RateDecision> {
  const [row] = await db.execute<{ tokens: number; allowed: boolean }>(sql`
    with cur as (
      select coalesce(
        (select least(${rate.capacity}::float8, b.tokens + extract(epoch from now() - b.updated_at)::float8 * ${rate.perSecond})
         from api_rate_buckets b where b.key_id = ${keyId} for update),
        ${rate.capacity}::float8) as available
    )
    insert into api_rate_buckets (key_id, tokens, updated_at)
    select ${keyId}, case when available >= 1 then available - 1 else available end, now() from cur
    on conflict (key_id) do update set tokens = excluded.tokens, updated_at = excluded.updated_at
    returning tokens, (select available >= 1 from cur) as allowed`)
  const tokens = Number(row!.tokens)
  return {
    allowed: row!.allowed,
    limit: rate.capacity,
    remaining: Math.floor(tokens),
    resetSeconds: row!.allowed
      ? Math.ceil((rate.capacity - tokens) / rate.perSecond)
      : Math.max(1, Math.ceil((1 - tokens) / rate.perSecond)),
  }
}
