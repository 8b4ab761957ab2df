import { createHash, randomBytes, randomUUID } from 'node:crypto'
import http from 'node:http'
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose'

/**
 * A small stand-in for Supabase Auth (GoTrue) speaking the HTTP contract supabase-js uses: password and refresh-token
 * grants, logout scopes, recover, verify (token_hash), user get/update, admin user creation and an ES256 JWKS, so
 * `getClaims()` takes its real local-verification path. Error bodies follow the 2024-01-01 API version
 * (`{ code, message }` with the version header echoed). Never used by the app; only by contract tests.
 */
export interface StandInUser {
  id: string
  email: string
  password: string
  created_at: string
  app_metadata: Record<string, unknown>
  user_metadata: Record<string, unknown>
}

interface Session {
  id: string
  userId: string
  refreshToken: string
  revoked: boolean
}

export async function startGoTrueStandIn(opts: {
  serviceRoleKey: string
  anonKey: string
  accessTokenSeconds?: number
}) {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true })
  const kid = randomUUID()
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }
  const users = new Map<string, StandInUser>()
  const sessions = new Map<string, Session>()
  const recoveries = new Map<string, { userId: string; used: boolean }>()
  const lastRecoveryToken = new Map<string, string>()
  const calls: string[] = []
  let issuer = ''
  let ttl = opts.accessTokenSeconds ?? 3600

  const userJson = (u: StandInUser) => ({
    id: u.id,
    aud: 'authenticated',
    role: 'authenticated',
    email: u.email,
    email_confirmed_at: u.created_at,
    phone: '',
    confirmed_at: u.created_at,
    last_sign_in_at: new Date().toISOString(),
    app_metadata: u.app_metadata,
    user_metadata: u.user_metadata,
    identities: [],
    factors: [],
    created_at: u.created_at,
    updated_at: u.created_at,
    is_anonymous: false,
  })

  async function tokenResponse(user: StandInUser, session: Session) {
    const now = Math.floor(Date.now() / 1000)
    const accessToken = await new SignJWT({
      email: user.email,
      role: 'authenticated',
      session_id: session.id,
      aal: 'aal1',
      app_metadata: user.app_metadata,
      user_metadata: user.user_metadata,
      is_anonymous: false,
      phone: '',
    })
      .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
      .setSubject(user.id)
      .setAudience('authenticated')
      .setIssuer(issuer)
      .setIssuedAt(now)
      .setExpirationTime(now + ttl)
      .sign(privateKey)
    return {
      access_token: accessToken,
      token_type: 'bearer',
      expires_in: ttl,
      expires_at: now + ttl,
      refresh_token: session.refreshToken,
      user: userJson(user),
    }
  }

  async function bearerSession(req: http.IncomingMessage): Promise<{ user: StandInUser; session: Session } | null> {
    const token = req.headers.authorization?.replace(/^Bearer /, '')
    if (!token) return null
    const [, payload] = token.split('.')
    try {
      const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as {
        sub: string
        session_id: string
        exp: number
      }
      const session = sessions.get(claims.session_id)
      const user = users.get(claims.sub)
      if (!session || session.revoked || !user || claims.exp * 1000 < Date.now()) return null
      return { user, session }
    } catch {
      return null
    }
  }

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    calls.push(`${req.method} ${url.pathname}${url.search}`)
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString()) as Record<string, string>) : {}
    const send = (status: number, json?: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', 'x-supabase-api-version': '2024-01-01', ...headers })
      res.end(json === undefined ? undefined : JSON.stringify(json))
    }
    const fail = (status: number, code: string, message: string) => send(status, { code, message })
    const path = url.pathname.replace(/^\/auth\/v1/, '')
    try {
      if (req.method === 'GET' && path === '/.well-known/jwks.json')
        return send(200, { keys: [jwk] }, { 'cache-control': 'public, max-age=600' })
      if (req.method === 'POST' && path === '/token') {
        const grant = url.searchParams.get('grant_type')
        if (grant === 'password') {
          const user = [...users.values()].find((u) => u.email === String(body.email).toLowerCase())
          if (!user || user.password !== body.password)
            return fail(400, 'invalid_credentials', 'Invalid login credentials')
          const session = {
            id: randomUUID(),
            userId: user.id,
            refreshToken: randomBytes(16).toString('hex'),
            revoked: false,
          }
          sessions.set(session.id, session)
          return send(200, await tokenResponse(user, session))
        }
        if (grant === 'refresh_token') {
          const session = [...sessions.values()].find((s) => s.refreshToken === body.refresh_token && !s.revoked)
          if (!session) return fail(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found')
          session.refreshToken = randomBytes(16).toString('hex')
          return send(200, await tokenResponse(users.get(session.userId)!, session))
        }
        return fail(400, 'validation_failed', 'unsupported grant_type')
      }
      if (req.method === 'POST' && path === '/logout') {
        const auth = await bearerSession(req)
        if (!auth) return fail(401, 'session_not_found', 'Session not found')
        const scope = url.searchParams.get('scope') ?? 'global'
        for (const s of sessions.values()) {
          if (s.userId !== auth.user.id) continue
          if (
            scope === 'global' ||
            (scope === 'local' && s.id === auth.session.id) ||
            (scope === 'others' && s.id !== auth.session.id)
          )
            s.revoked = true
        }
        return send(204)
      }
      if (req.method === 'POST' && path === '/recover') {
        const user = [...users.values()].find((u) => u.email === String(body.email).toLowerCase())
        if (user) {
          const token = randomBytes(16).toString('hex')
          const tokenHash = createHash('sha224')
            .update(user.email + token)
            .digest('hex')
          recoveries.set(tokenHash, { userId: user.id, used: false })
          lastRecoveryToken.set(user.email, tokenHash)
        }
        // Same answer whether or not the account exists.
        return send(200, {})
      }
      if (req.method === 'POST' && path === '/verify') {
        if (body.email || body.phone)
          return fail(400, 'validation_failed', 'Only the token_hash and type should be provided')
        const rec = recoveries.get(body.token_hash ?? '')
        if (!rec || rec.used || body.type !== 'recovery')
          return fail(403, 'otp_expired', 'Email link is invalid or has expired')
        rec.used = true
        const session = {
          id: randomUUID(),
          userId: rec.userId,
          refreshToken: randomBytes(16).toString('hex'),
          revoked: false,
        }
        sessions.set(session.id, session)
        return send(200, await tokenResponse(users.get(rec.userId)!, session))
      }
      if (path === '/user' && (req.method === 'GET' || req.method === 'PUT')) {
        const auth = await bearerSession(req)
        if (!auth) return fail(401, 'session_not_found', 'Session not found')
        if (req.method === 'PUT' && body.password) {
          if (body.password === auth.user.password)
            return fail(422, 'same_password', 'New password should be different from the old password.')
          auth.user.password = body.password
        }
        return send(200, userJson(auth.user))
      }
      if (req.method === 'POST' && path === '/admin/users') {
        if (req.headers.authorization !== `Bearer ${opts.serviceRoleKey}`)
          return fail(403, 'not_admin', 'User not allowed')
        const email = String(body.email).toLowerCase()
        if ([...users.values()].some((u) => u.email === email))
          return fail(422, 'email_exists', 'A user with this email address has already been registered')
        const user = addUser(email, String(body.password))
        return send(200, userJson(user))
      }
      return fail(404, 'not_found', `no route ${req.method} ${path}`)
    } catch (e) {
      return fail(500, 'unexpected_failure', String(e))
    }
  })

  function addUser(email: string, password: string, extra: Partial<StandInUser> = {}): StandInUser {
    const user: StandInUser = {
      id: randomUUID(),
      email: email.toLowerCase(),
      password,
      created_at: new Date().toISOString(),
      app_metadata: { provider: 'email' },
      user_metadata: {},
      ...extra,
    }
    users.set(user.id, user)
    return user
  }

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as { port: number }).port
  const url = `http://127.0.0.1:${port}`
  issuer = `${url}/auth/v1`
  return {
    url,
    addUser,
    calls,
    recoveryTokenHash: (email: string) => lastRecoveryToken.get(email.toLowerCase()),
    setAccessTokenSeconds: (s: number) => void (ttl = s),
    /** A token signed with a key the JWKS does not publish, for tamper tests. */
    async forgedToken(userId: string) {
      const other = await generateKeyPair('ES256')
      return new SignJWT({ email: 'x@y.z', session_id: randomUUID() })
        .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
        .setSubject(userId)
        .setAudience('authenticated')
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(other.privateKey)
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  }
}
