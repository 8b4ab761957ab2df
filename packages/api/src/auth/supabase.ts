import { users, type Db } from '@impera/db'
import { createServerClient, parseCookieHeader, serializeCookieHeader } from '@supabase/ssr'
import { createClient } from '@supabase/supabase-js'
import { AppError } from '../errors'
import type { AuthProvider, Identity, RequestMeta, SessionInfo, SignInResult } from './types'

/**
 * We never open Supabase Realtime (live updates go through our Socket.IO), but supabase-js builds a realtime client
 * eagerly and, on Node 20 (no global WebSocket), refuses to construct without a transport. This one fails loudly if
 * anything ever tries to use it.
 */
class NoRealtimeTransport {
  constructor() {
    throw new Error('Supabase Realtime is not used by Impera CRM')
  }
}
const clientOptions = (fetchImpl?: typeof fetch) => ({
  realtime: { transport: NoRealtimeTransport as never },
  global: fetchImpl ? { fetch: fetchImpl } : undefined,
})

export interface SupabaseAuthConfig {
  db: Db
  url: string
  anonKey: string
  /** Needed only to create accounts for invited people (admin API). Never sent to a browser. */
  serviceRoleKey?: string
  secureCookies: boolean
  meta: (request: Request) => RequestMeta
  fetch?: typeof fetch
}

/**
 * Supabase Auth behind the same seam as local auth. Identity comes from `getClaims()` (JWKS-verified with asymmetric
 * keys), never from `getSession()`; profile, memberships and roles stay in our tables, keyed by the auth user id.
 * Password-reset e-mails are sent by Supabase; their template must link to `{{ .SiteURL }}/reset-password/{{ .TokenHash }}`
 * so the same reset page serves both providers.
 */
export function createSupabaseAuth(cfg: SupabaseAuthConfig): AuthProvider {
  function serverClient(request: Request) {
    const headers = new Headers()
    const supabase = createServerClient(cfg.url, cfg.anonKey, {
      cookies: {
        getAll: () =>
          parseCookieHeader(request.headers.get('cookie') ?? '').map((c) => ({ name: c.name, value: c.value ?? '' })),
        setAll(cookiesToSet, cacheHeaders) {
          for (const { name, value, options } of cookiesToSet) {
            headers.append(
              'set-cookie',
              serializeCookieHeader(name, value, {
                ...options,
                httpOnly: true,
                sameSite: 'lax',
                secure: cfg.secureCookies,
              }),
            )
          }
          // Responses that set auth cookies must never be cached by a proxy.
          for (const [k, v] of Object.entries(cacheHeaders ?? {})) headers.set(k, v)
        },
      },
      ...clientOptions(cfg.fetch),
    })
    return { supabase, headers }
  }

  /** A cookie-less client for one-off checks (re-verifying the current password). */
  function bareClient() {
    return createClient(cfg.url, cfg.anonKey, {
      auth: { persistSession: false, autoRefreshToken: false },
      ...clientOptions(cfg.fetch),
    })
  }

  async function identityOf(request: Request) {
    const { supabase, headers } = serverClient(request)
    const { data } = await supabase.auth.getClaims()
    const claims = data?.claims
    const identity: Identity | null = claims?.sub
      ? {
          userId: claims.sub,
          email: String(claims.email ?? ''),
          sessionId: typeof claims.session_id === 'string' ? claims.session_id : null,
        }
      : null
    return { identity, headers, supabase }
  }

  return {
    kind: 'supabase',

    async getIdentity(request) {
      const { identity, headers } = await identityOf(request)
      return { identity, headers }
    },

    async signIn(request, { email, password }): Promise<SignInResult> {
      const { supabase, headers } = serverClient(request)
      const { data, error } = await supabase.auth.signInWithPassword({ email, password })
      if (error || !data.user) {
        return error?.status === 429
          ? { ok: false, reason: 'rate_limited', headers }
          : { ok: false, reason: 'invalid_credentials', headers }
      }
      return { ok: true, userId: data.user.id, headers }
    },

    async signOut(request) {
      const { supabase, headers } = serverClient(request)
      await supabase.auth.signOut({ scope: 'local' })
      return headers
    },

    async signOutEverywhere(request) {
      const { supabase, headers } = serverClient(request)
      await supabase.auth.signOut({ scope: 'global' })
      return headers
    },

    async requestPasswordReset(request, email, opts) {
      const { supabase } = serverClient(request)
      // Supabase answers the same whether or not the account exists, and sends the e-mail itself.
      await supabase.auth.resetPasswordForEmail(email, { redirectTo: opts.resetUrl('') })
    },

    async completePasswordReset(request, tokenHash, password) {
      const { supabase, headers } = serverClient(request)
      const verified = await supabase.auth.verifyOtp({ token_hash: tokenHash, type: 'recovery' })
      if (verified.error || !verified.data.session) return { ok: false }
      const updated = await supabase.auth.updateUser({ password })
      if (updated.error) return { ok: false }
      // Every session ends after a reset; the person signs in again with the new password.
      await supabase.auth.signOut({ scope: 'global' })
      return { ok: true, headers }
    },

    async changePassword(request, identity, current, next) {
      const check = await bareClient().auth.signInWithPassword({ email: identity.email, password: current })
      if (check.error) return { ok: false }
      await bareClient().auth.signOut({ scope: 'local' })
      const { supabase } = serverClient(request)
      const { error } = await supabase.auth.updateUser({ password: next })
      if (error) return { ok: false }
      await supabase.auth.signOut({ scope: 'others' })
      return { ok: true }
    },

    async listSessions(identity): Promise<SessionInfo[]> {
      // GoTrue exposes no per-user session list to users; only the current session is known here.
      return identity.sessionId
        ? [
            {
              id: identity.sessionId,
              userAgent: null,
              ip: null,
              createdAt: new Date(),
              lastSeenAt: new Date(),
              current: true,
            },
          ]
        : []
    },

    async revokeSession() {
      return false
    },

    async createUser(tx, input) {
      if (!cfg.serviceRoleKey) {
        throw new AppError('INTERNAL', 'SUPABASE_SERVICE_ROLE_KEY is required to create invited accounts', {
          userMessage: 'invitations.supabaseAdminMissing',
        })
      }
      const admin = createClient(cfg.url, cfg.serviceRoleKey, {
        auth: { persistSession: false, autoRefreshToken: false },
        ...clientOptions(cfg.fetch),
      })
      const { data, error } = await admin.auth.admin.createUser({
        email: input.email,
        password: input.password,
        email_confirm: true,
      })
      if (error || !data.user)
        throw new AppError('CONFLICT', `supabase createUser failed: ${error?.message}`, {
          userMessage: 'invitations.accountCreateFailed',
          cause: error,
        })
      await tx
        .insert(users)
        .values({ id: data.user.id, email: input.email.toLowerCase(), name: input.name, locale: input.locale })
      return { userId: data.user.id }
    },
  }
}
