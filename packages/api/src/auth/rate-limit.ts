import { sql, type Db } from '@impera/db'

export interface RateLimitRule {
  /** e.g. `login:ip` */
  name: string
  points: number
  windowSeconds: number
}

export const resetRules = {
  byIp: { name: 'reset:ip', points: 20, windowSeconds: 60 * 60 },
  byEmail: { name: 'reset:email', points: 5, windowSeconds: 60 * 60 },
} satisfies Record<string, RateLimitRule>

/**
 * Fixed-window counters in Postgres, so every web instance shares them and nothing else is needed to run. One
 * upsert per check; returns whether the hit is still within the limit. Old windows are purged by the worker.
 */
export async function consume(
  db: Db,
  rule: RateLimitRule,
  subject: string,
): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
  const key = `${rule.name}:${subject}`
  const rows = await db.execute<{ hits: number; window_start: Date }>(sql`
    insert into rate_limits (key, window_start, hits)
    values (${key}, to_timestamp(floor(extract(epoch from now()) / ${rule.windowSeconds}) * ${rule.windowSeconds}), 1)
    on conflict (key, window_start) do update set hits = rate_limits.hits + 1
    returning hits, window_start`)
  const row = rows[0]!
  const windowEnd = new Date(row.window_start).getTime() + rule.windowSeconds * 1000
  return {
    allowed: row.hits <= rule.points,
    retryAfterSeconds: Math.max(1, Math.ceil((windowEnd - Date.now()) / 1000)),
  }
}

/**
 * Sign-in throttling that counts failures only, so the owner of an account is never locked out by someone else's
 * guessing (decision 014):
 * - per address and e-mail: `freeFailures` tries, then an exponential wait (1 s, 2 s, 4 s… up to `maxBackoffSeconds`)
 *   after each further failure; a success clears it;
 * - per address, any e-mail (credential stuffing): blocked for the window after `ipFailures` failures;
 * - per e-mail, any address: past `emailFailures` in the window the e-mail is under attack. Then an address that has
 *   not failed for it serves one short wait (`newAddressWaitSeconds`) before its attempt counts — a correct password
 *   from the owner's new address passes after seconds — and backoff starts from the first failure.
 * The answer is the same for unknown e-mails, so it reveals no account.
 */
export const loginThrottleRules = {
  freeFailures: 5,
  maxBackoffSeconds: 15 * 60,
  pairMemorySeconds: 24 * 3600,
  ipFailures: 100,
  ipWindowSeconds: 15 * 60,
  emailFailures: 20,
  emailWindowSeconds: 3600,
  newAddressWaitSeconds: 10,
  /** How long a served wait stays good for the attempt that follows it. */
  waitValidSeconds: 10 * 60,
}

type ThrottleRow = { key: string; failures: number; windowAge: number; lastAge: number }

const keysFor = (ip: string, email: string) => ({
  ip: `ip:${ip}`,
  pair: `pair:${email}|${ip}`,
  email: `email:${email}`,
  wait: `wait:${email}|${ip}`,
})

/** Whether this address may try this e-mail now; if not, after how many seconds. Serves a new address's wait. */
export async function checkLogin(
  db: Db,
  ip: string,
  email: string,
): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }> {
  const k = keysFor(ip, email)
  const L = loginThrottleRules
  const rows = await db.execute<ThrottleRow>(sql`
    select key, failures, extract(epoch from now() - window_start)::float8 as "windowAge", extract(epoch from now() - last_at)::float8 as "lastAge"
    from login_throttle where key in (${k.ip}, ${k.pair}, ${k.email}, ${k.wait})`)
  const row = (key: string) => rows.find((r) => r.key === key)
  const blocked = (seconds: number) => ({ allowed: false as const, retryAfterSeconds: Math.max(1, Math.ceil(seconds)) })

  const byIp = row(k.ip)
  if (byIp && byIp.windowAge < L.ipWindowSeconds && byIp.failures >= L.ipFailures)
    return blocked(L.ipWindowSeconds - byIp.windowAge)

  const byEmail = row(k.email)
  const underAttack = !!byEmail && byEmail.windowAge < L.emailWindowSeconds && byEmail.failures >= L.emailFailures
  const pair = row(k.pair)
  const pairFailures = pair && pair.lastAge < L.pairMemorySeconds ? pair.failures : 0
  const free = underAttack ? 0 : L.freeFailures
  if (pairFailures > free) {
    const wait = Math.min(2 ** (pairFailures - free - 1), L.maxBackoffSeconds)
    if (pair!.lastAge < wait) return blocked(wait - pair!.lastAge)
  }
  if (underAttack && pairFailures === 0) {
    const served = row(k.wait)
    if (!served || served.lastAge > L.waitValidSeconds) {
      await db.execute(sql`
        insert into login_throttle (key, failures, window_start, last_at) values (${k.wait}, 0, now(), now())
        on conflict (key) do update set last_at = now()`)
      return blocked(L.newAddressWaitSeconds)
    }
    if (served.lastAge < L.newAddressWaitSeconds) return blocked(L.newAddressWaitSeconds - served.lastAge)
  }
  return { allowed: true }
}

/** A wrong password or unknown e-mail: one more failure for the address, the pair and the e-mail. */
export async function recordLoginFailure(db: Db, ip: string, email: string): Promise<void> {
  const k = keysFor(ip, email)
  const L = loginThrottleRules
  // A window past its length starts again at this failure.
  await db.execute(sql`
    insert into login_throttle (key, failures, window_start, last_at)
    values (${k.ip}, 1, now(), now()), (${k.pair}, 1, now(), now()), (${k.email}, 1, now(), now())
    on conflict (key) do update set
      failures = case
        when login_throttle.key like 'ip:%' and login_throttle.window_start < now() - make_interval(secs => ${L.ipWindowSeconds}) then 1
        when login_throttle.key like 'email:%' and login_throttle.window_start < now() - make_interval(secs => ${L.emailWindowSeconds}) then 1
        when login_throttle.key like 'pair:%' and login_throttle.last_at < now() - make_interval(secs => ${L.pairMemorySeconds}) then 1
        else login_throttle.failures + 1 end,
      window_start = case
        when login_throttle.key like 'ip:%' and login_throttle.window_start < now() - make_interval(secs => ${L.ipWindowSeconds}) then now()
        when login_throttle.key like 'email:%' and login_throttle.window_start < now() - make_interval(secs => ${L.emailWindowSeconds}) then now()
        else login_throttle.window_start end,
      last_at = now()`)
}

/** A success clears this address's failures and served wait for the e-mail; the e-mail's own count stays. */
export async function recordLoginSuccess(db: Db, ip: string, email: string): Promise<void> {
  const k = keysFor(ip, email)
  await db.execute(sql`delete from login_throttle where key in (${k.pair}, ${k.wait})`)
}
