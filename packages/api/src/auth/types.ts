import type { Tx } from '@impera/db'

export interface Identity {
  userId: string
  email: string
  /** Local: our auth_sessions id. Supabase: the JWT's session_id. */
  sessionId: string | null
}

export interface RequestMeta {
  ip: string | null
  userAgent: string | null
}

/** Headers (Set-Cookie, Cache-Control) the caller must put on its response. */
export type AuthHeaders = Headers

export interface SessionInfo {
  id: string
  userAgent: string | null
  ip: string | null
  createdAt: Date
  lastSeenAt: Date
  current: boolean
}

export type SignInResult =
  | { ok: true; userId: string; headers: AuthHeaders }
  | { ok: false; reason: 'invalid_credentials' | 'rate_limited'; retryAfterSeconds?: number; headers: AuthHeaders }

/**
 * The one seam both identity providers implement (local and Supabase). Everything above it (tRPC context, membership
 * checks, RLS transactions) only ever sees `Identity`.
 */
export interface AuthProvider {
  readonly kind: 'local' | 'supabase'
  getIdentity(request: Request): Promise<{ identity: Identity | null; headers: AuthHeaders }>
  signIn(request: Request, input: { email: string; password: string }): Promise<SignInResult>
  signOut(request: Request): Promise<AuthHeaders>
  /** Revokes every session of the user (including the current one). */
  signOutEverywhere(request: Request, identity: Identity): Promise<AuthHeaders>
  /** Always resolves the same way whether or not the account exists. */
  requestPasswordReset(
    request: Request,
    email: string,
    opts: { resetUrl: (token: string) => string; locale: string },
  ): Promise<void>
  /** Returns false for an unknown, used or expired token. Revokes all sessions on success. */
  completePasswordReset(
    request: Request,
    token: string,
    password: string,
  ): Promise<{ ok: true; headers: AuthHeaders } | { ok: false }>
  changePassword(request: Request, identity: Identity, current: string, next: string): Promise<{ ok: boolean }>
  listSessions(identity: Identity): Promise<SessionInfo[]>
  revokeSession(identity: Identity, sessionId: string): Promise<boolean>
  /** Creates the identity for an invited person (local credentials, or a Supabase user via the admin API). */
  createUser(
    tx: Tx,
    input: { email: string; name: string; password: string; locale: string },
  ): Promise<{ userId: string }>
}
