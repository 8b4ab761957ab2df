import {
  and,
  authSessions,
  eq,
  gt,
  isNull,
  localCredentials,
  passwordResetTokens,
  sql,
  users,
  withSystem,
  type Db,
  type Tx,
} from '@impera/db'
import { passwordChangedEmail, passwordResetEmail } from '../emails'
import { enqueue, sendEmailJob } from '../jobs'
import { cookieHeader, readCookie, signValue, unsignValue } from './cookies'
import { dummyPasswordHash, hashPassword, verifyPassword } from './passwords'
import { checkLogin, consume, recordLoginFailure, recordLoginSuccess, resetRules } from './rate-limit'
import { hashToken, randomToken } from './tokens'
import type { AuthProvider, Identity, RequestMeta, SessionInfo, SignInResult } from './types'

export interface LocalAuthConfig {
  db: Db
  cookieSecrets: readonly string[]
  secureCookies: boolean
  sessionDays?: number
  resetTokenMinutes?: number
  meta: (request: Request) => RequestMeta
}

export const LOCAL_SESSION_COOKIE = 'impera_session'
const TOUCH_EVERY_MS = 5 * 60 * 1000

/** Email + password with Argon2id, revocable database sessions and single-use reset tokens. */
export function createLocalAuth(cfg: LocalAuthConfig): AuthProvider {
  const sessionMs = (cfg.sessionDays ?? 30) * 24 * 3600 * 1000
  const resetMs = (cfg.resetTokenMinutes ?? 30) * 60 * 1000
  const { db } = cfg

  const setCookie = (token: string, expires: Date) =>
    cookieHeader(LOCAL_SESSION_COOKIE, signValue(token, cfg.cookieSecrets), { secure: cfg.secureCookies, expires })
  const clearCookie = () => cookieHeader(LOCAL_SESSION_COOKIE, '', { secure: cfg.secureCookies, maxAge: 0 })

  function tokenFrom(request: Request): string | null {
    const raw = readCookie(request, LOCAL_SESSION_COOKIE)
    return raw ? unsignValue(raw, cfg.cookieSecrets) : null
  }

  async function createSession(tx: Tx, userId: string, request: Request): Promise<Headers> {
    const token = randomToken()
    const expiresAt = new Date(Date.now() + sessionMs)
    const m = cfg.meta(request)
    await tx.insert(authSessions).values({
      tokenHash: hashToken(token),
      userId,
      expiresAt,
      ip: m.ip,
      userAgent: m.userAgent?.slice(0, 400) ?? null,
    })
    return new Headers({ 'set-cookie': setCookie(token, expiresAt) })
  }

  return {
    kind: 'local',

    async getIdentity(request) {
      const headers = new Headers()
      const token = tokenFrom(request)
      if (!token) return { identity: null, headers }
      const rows = await db
        .select({
          id: authSessions.id,
          userId: authSessions.userId,
          email: users.email,
          lastSeenAt: authSessions.lastSeenAt,
        })
        .from(authSessions)
        .innerJoin(users, eq(users.id, authSessions.userId))
        .where(
          and(
            eq(authSessions.tokenHash, hashToken(token)),
            isNull(authSessions.revokedAt),
            gt(authSessions.expiresAt, sql`now()`),
          ),
        )
        .limit(1)
      const row = rows[0]
      if (!row) {
        headers.append('set-cookie', clearCookie())
        return { identity: null, headers }
      }
      if (Date.now() - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
        await db.update(authSessions).set({ lastSeenAt: new Date() }).where(eq(authSessions.id, row.id))
      }
      return { identity: { userId: row.userId, email: row.email, sessionId: row.id }, headers }
    },

    async signIn(request, { email, password }): Promise<SignInResult> {
      const headers = new Headers()
      const ip = cfg.meta(request).ip ?? 'unknown'
      const normalized = email.trim().toLowerCase()
      const gate = await checkLogin(db, ip, normalized)
      if (!gate.allowed)
        return { ok: false, reason: 'rate_limited', retryAfterSeconds: gate.retryAfterSeconds, headers }
      const rows = await db
        .select({ userId: users.id, hash: localCredentials.passwordHash })
        .from(users)
        .leftJoin(localCredentials, eq(localCredentials.userId, users.id))
        .where(sql`lower(${users.email}) = ${normalized}`)
        .limit(1)
      const row = rows[0]
      // Always run one Argon2 verification so an unknown e-mail costs the same time as a wrong password.
      const valid = await verifyPassword(row?.hash ?? (await dummyPasswordHash()), password)
      if (!row?.hash || !valid) {
        await recordLoginFailure(db, ip, normalized)
        return { ok: false, reason: 'invalid_credentials', headers }
      }
      await recordLoginSuccess(db, ip, normalized)
      const sessionHeaders = await withSystem(db, (tx) => createSession(tx, row.userId, request))
      return { ok: true, userId: row.userId, headers: sessionHeaders }
    },

    async signOut(request) {
      const token = tokenFrom(request)
      if (token) {
        await db
          .update(authSessions)
          .set({ revokedAt: new Date() })
          .where(eq(authSessions.tokenHash, hashToken(token)))
      }
      return new Headers({ 'set-cookie': clearCookie() })
    },

    async signOutEverywhere(_request, identity) {
      await revokeAll(db, identity.userId)
      return new Headers({ 'set-cookie': clearCookie() })
    },

    async requestPasswordReset(request, email, opts) {
      const ip = cfg.meta(request).ip ?? 'unknown'
      const normalized = email.trim().toLowerCase()
      const byIp = await consume(db, resetRules.byIp, ip)
      const byEmail = await consume(db, resetRules.byEmail, normalized)
      // Over the limit we silently send nothing: the response must not differ, or it would reveal the account.
      if (!byIp.allowed || !byEmail.allowed) return
      await withSystem(db, async (tx) => {
        const [user] = await tx
          .select({ id: users.id, locale: users.locale, email: users.email })
          .from(users)
          .innerJoin(localCredentials, eq(localCredentials.userId, users.id))
          .where(sql`lower(${users.email}) = ${normalized}`)
          .limit(1)
        if (!user) return
        const token = randomToken()
        await tx
          .insert(passwordResetTokens)
          .values({ tokenHash: hashToken(token), userId: user.id, expiresAt: new Date(Date.now() + resetMs) })
        const mail = passwordResetEmail(opts.resetUrl(token), user.locale ?? opts.locale)
        // The e-mail goes through the queue, so the response time does not depend on whether one was sent.
        await enqueue(tx, sendEmailJob, { to: user.email, ...mail })
      })
    },

    async completePasswordReset(request, token, password) {
      return withSystem(db, async (tx) => {
        // Single use: the row is claimed atomically; a second use of the same token finds nothing.
        const [claimed] = await tx
          .update(passwordResetTokens)
          .set({ usedAt: new Date() })
          .where(
            and(
              eq(passwordResetTokens.tokenHash, hashToken(token)),
              isNull(passwordResetTokens.usedAt),
              gt(passwordResetTokens.expiresAt, sql`now()`),
            ),
          )
          .returning({ userId: passwordResetTokens.userId })
        if (!claimed) return { ok: false as const }
        await setPassword(tx, claimed.userId, password)
        await revokeAll(tx, claimed.userId)
        await tx
          .update(passwordResetTokens)
          .set({ usedAt: new Date() })
          .where(and(eq(passwordResetTokens.userId, claimed.userId), isNull(passwordResetTokens.usedAt)))
        const [user] = await tx
          .select({ email: users.email, locale: users.locale })
          .from(users)
          .where(eq(users.id, claimed.userId))
        if (user) await enqueue(tx, sendEmailJob, { to: user.email, ...passwordChangedEmail(user.locale) })
        // No automatic sign-in after a reset (OWASP): the person signs in with the new password.
        return { ok: true as const, headers: new Headers({ 'set-cookie': clearCookie() }) }
      })
    },

    async changePassword(request, identity, current, next) {
      const [row] = await db
        .select({ hash: localCredentials.passwordHash })
        .from(localCredentials)
        .where(eq(localCredentials.userId, identity.userId))
      if (!row || !(await verifyPassword(row.hash, current))) return { ok: false }
      await withSystem(db, async (tx) => {
        await setPassword(tx, identity.userId, next)
        // Other devices are signed out; this one keeps its session.
        await tx
          .update(authSessions)
          .set({ revokedAt: new Date() })
          .where(
            and(
              eq(authSessions.userId, identity.userId),
              isNull(authSessions.revokedAt),
              sql`${authSessions.id} <> ${identity.sessionId}`,
            ),
          )
      })
      return { ok: true }
    },

    async listSessions(identity): Promise<SessionInfo[]> {
      const rows = await db
        .select()
        .from(authSessions)
        .where(
          and(
            eq(authSessions.userId, identity.userId),
            isNull(authSessions.revokedAt),
            gt(authSessions.expiresAt, sql`now()`),
          ),
        )
        .orderBy(sql`${authSessions.lastSeenAt} desc`)
      return rows.map((r) => ({
        id: r.id,
        userAgent: r.userAgent,
        ip: r.ip,
        createdAt: r.createdAt,
        lastSeenAt: r.lastSeenAt,
        current: r.id === identity.sessionId,
      }))
    },

    async revokeSession(identity, sessionId) {
      const rows = await db
        .update(authSessions)
        .set({ revokedAt: new Date() })
        .where(
          and(eq(authSessions.id, sessionId), eq(authSessions.userId, identity.userId), isNull(authSessions.revokedAt)),
        )
        .returning({ id: authSessions.id })
      return rows.length > 0
    },

    async createUser(tx, input) {
      // Callers check first; an existing account is never given a new password through this path.
      const [created] = await tx
        .insert(users)
        .values({ email: input.email.toLowerCase(), name: input.name, locale: input.locale })
        .returning({ id: users.id })
      await setPassword(tx, created!.id, input.password)
      return { userId: created!.id }
    },
  }
}

async function setPassword(tx: Tx, userId: string, password: string) {
  const passwordHash = await hashPassword(password)
  await tx
    .insert(localCredentials)
    .values({ userId, passwordHash })
    .onConflictDoUpdate({ target: localCredentials.userId, set: { passwordHash, updatedAt: new Date() } })
}

async function revokeAll(db: Db | Tx, userId: string) {
  await db
    .update(authSessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(authSessions.userId, userId), isNull(authSessions.revokedAt)))
}

export type { Identity }
