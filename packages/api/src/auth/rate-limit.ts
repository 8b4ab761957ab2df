import { sql, type Db } from '@impera/db'

export interface RateLimitRule {
  /** e.g. `login:ip` */
  name: string
  points: number
  windowSeconds: number
}

export const loginRules = {
  byIp: { name: 'login:ip', points: 50, windowSeconds: 15 * 60 },
  byEmailAndIp: { name: 'login:email-ip', points: 10, windowSeconds: 15 * 60 },
  byEmail: { name: 'login:email', points: 30, windowSeconds: 60 * 60 },
} satisfies Record<string, RateLimitRule>

export const resetRules = {
  byIp: { name: 'reset:ip', points: 20, windowSeconds: 60 * 60 },
  byEmail: { name: 'reset:email', points: 5, windowSeconds: 60 * 60 },
} satisfies Record<string, RateLimitRule>

/**
 * Fixed-window counters in Postgres, so every web instance shares them and nothing else is needed to run. One
 * upsert per check; returns whether the hit is still within the limit. Old windows are purged by the worker.
 */
export async function consume(db: Db, rule: RateLimitRule, subject: string): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
  const key = `${rule.name}:${subject}`
  const rows = await db.execute<{ hits: number; window_start: Date }>(sql`
    insert into rate_limits (key, window_start, hits)
    values (${key}, to_timestamp(floor(extract(epoch from now()) / ${rule.windowSeconds}) * ${rule.windowSeconds}), 1)
    on conflict (key, window_start) do update set hits = rate_limits.hits + 1
    returning hits, window_start`)
  const row = rows[0]!
  const windowEnd = new Date(row.window_start).getTime() + rule.windowSeconds * 1000
  return { allowed: row.hits <= rule.points, retryAfterSeconds: Math.max(1, Math.ceil((windowEnd - Date.now()) / 1000)) }
}

/** A successful sign-in clears the consecutive-failure counter for that e-mail and address. */
export async function reset(db: Db, rule: RateLimitRule, subject: string): Promise<void> {
  await db.execute(sql`delete from rate_limits where key = ${`${rule.name}:${subject}`}`)
}
