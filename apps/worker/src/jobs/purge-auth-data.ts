import { purgeAuthDataJob } from '@impera/api/jobs'
import { sql } from '@impera/db'
import { defineJob } from '../define-job'

/**
 * Hourly: expired or long-revoked sessions, used or expired reset tokens, rate-limit windows older than a day, and
 * sign-in failures nobody has added to for a day (longer than any throttle remembers them).
 */
export const purgeAuthData = defineJob(purgeAuthDataJob, async (_payload, { db, log }) => {
  const sessions = await db.execute(
    sql`delete from auth_sessions where expires_at < now() or revoked_at < now() - interval '7 days'`,
  )
  const tokens = await db.execute(sql`delete from password_reset_tokens where expires_at < now() - interval '1 day'`)
  const limits = await db.execute(sql`delete from rate_limits where window_start < now() - interval '1 day'`)
  const throttle = await db.execute(sql`delete from login_throttle where last_at < now() - interval '25 hours'`)
  log.info(
    { sessions: sessions.count, tokens: tokens.count, rateLimits: limits.count, loginThrottle: throttle.count },
    'auth data purged',
  )
})
