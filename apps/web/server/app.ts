import {
  acceptInvitation,
  createCaller,
  createContext,
  describeError,
  getInvitationByToken,
  getMe,
  httpStatusOf,
  resolveLanding,
  withAgencyActor,
  type GuestCtx,
} from '@impera/api'
import { isAppError } from '@impera/api/errors'
import {
  createLocalAuth,
  createSupabaseAuth,
  isCommonPassword,
  type AuthProvider,
  type Identity,
} from '@impera/api/auth'
import { feedPhotoSigner, forgetSessionDevices, readPropertyShare } from '@impera/api/services'
import { pushSettings } from '@impera/api/push'
import type { FileStorage } from '@impera/api/storage'
import { targetPolicy } from '@impera/api/webhooks'
import { createSecretBox, type WhatsAppRuntime } from '@impera/api/whatsapp'
import { sql, type Db } from '@impera/db'
import { parse } from 'cookie'
import type { Logger } from 'pino'
import { AGENCY_COOKIE, LOCALE_COOKIE } from '../app/lib/cookie-names'
import type { WebEnv } from './env'

type Me = Awaited<ReturnType<typeof getMe>>

export interface WebAppOptions {
  env: WebEnv
  db: Db
  log: Logger
  /** Where Supabase lives when configured; tests point it at the GoTrue stand-in. */
  fetch?: typeof fetch
  /** Uploaded files (property photos). */
  storage: FileStorage
}

/**
 * The composed server application. Remix routes receive it through the load context and call procedures and services
 * from it, so they run the same module instances as the server (one AppError class, one db pool).
 */
export function createWebApp(opts: WebAppOptions) {
  const { env, db, log } = opts
  const secrets = createSecretBox(env.SECRETS_KEY)
  // Where webhook endpoints may point: the worker applies the same setting when it delivers.
  const webhookTargets = targetPolicy(env.WEBHOOKS_ALLOW_PRIVATE_TARGETS)
  // Web push: the browser needs the public key; the worker signs with the private one (decision 035).
  const push = pushSettings(env)
  const pushSetup = push && { publicKey: push.publicKey, extraServices: push.extraServices }
  const whatsapp: WhatsAppRuntime = {
    secrets,
    graphUrl: env.WHATSAPP_GRAPH_URL,
    graphVersion: env.WHATSAPP_GRAPH_VERSION,
    storage: opts.storage,
    fetch: opts.fetch,
  }
  const meta = (request: Request) => ({
    ip: request.headers.get('x-impera-client-ip'),
    userAgent: request.headers.get('user-agent'),
  })
  const auth: AuthProvider =
    env.SUPABASE_URL && env.SUPABASE_ANON_KEY
      ? createSupabaseAuth({
          db,
          url: env.SUPABASE_URL,
          anonKey: env.SUPABASE_ANON_KEY,
          serviceRoleKey: env.SUPABASE_SERVICE_ROLE_KEY,
          secureCookies: env.NODE_ENV === 'production',
          meta,
          fetch: opts.fetch,
        })
      : createLocalAuth({ db, cookieSecrets: env.SESSION_SECRET, secureCookies: env.NODE_ENV === 'production', meta })

  /** What a request carries through Remix and tRPC; `nonce` is its Content-Security-Policy script nonce. */
  function scope(request: Request, requestId: string, nonce = '') {
    const headers = new Headers()
    let identityPromise: Promise<Identity | null> | undefined
    const cookies = parse(request.headers.get('cookie') ?? '')
    const identity = () =>
      (identityPromise ??= auth.getIdentity(request).then((r) => {
        r.headers.forEach((v, k) => headers.append(k, v))
        return r.identity
      }))
    // A page's loaders run together and several need the profile: a GET reads it once. Any other method reads it each
    // time, since an action may change it before the loaders that render the answer run in the same request.
    let mePromise: Promise<Me> | undefined
    const readMe = (userId: string) =>
      request.method === 'GET'
        ? (mePromise ??= getMe({ db, identity: { userId } }))
        : getMe({ db, identity: { userId } })
    return {
      requestId,
      nonce,
      /** Headers auth needs on whatever response this request produces (refreshed or cleared cookies). */
      headers,
      ip: meta(request).ip,
      agencyId: cookies[AGENCY_COOKIE] ?? null,
      locale: cookies[LOCALE_COOKIE] ?? null,
      identity,
      /** The signed-in user's profile and memberships (`getMe`), or null when nobody is signed in. */
      async me(): Promise<Me | null> {
        const who = await identity()
        return who ? readMe(who.userId) : null
      },
      async caller() {
        return createCaller(
          createContext({
            db,
            auth,
            identity: await identity(),
            unverifiedAgencyId: cookies[AGENCY_COOKIE] ?? null,
            request,
            requestId,
            ip: meta(request).ip,
            log: log.child({ requestId }),
            urls: { origin: env.origin },
            secrets,
            whatsappGraph: whatsapp,
            webhookTargets,
            push: pushSetup,
          }),
        )
      },
    }
  }

  const feedPhotos = feedPhotoSigner(env.SECRETS_KEY, env.origin)
  return {
    env: {
      origin: env.origin,
      devMailbox: env.devMailbox,
      authKind: auth.kind,
      production: env.NODE_ENV === 'production',
    },
    auth,
    db,
    log,
    storage: opts.storage,
    secrets,
    whatsapp,
    webhookTargets,
    push: pushSetup,
    /** Signs the public, expiring photo links of the portal feed (decision 023). */
    feedPhotos,
    scope,
    services: {
      isCommonPassword,
      getMe: (userId: string) => getMe({ db, identity: { userId } }),
      resolveLanding,
      getInvitationByToken: (token: string) => getInvitationByToken({ db }, { token }),
      /** The public page of a shared listing (issue 16), by its token. */
      readPropertyShare: (token: string) => readPropertyShare(db, { token, origin: env.origin }),
      acceptInvitation: (who: Pick<GuestCtx, 'identity' | 'ip'>, input: Parameters<typeof acceptInvitation>[1]) =>
        acceptInvitation({ db, auth, ...who }, input),
      describeError,
      httpStatusOf,
      /** Signing out: no more pushes to this browser (or, everywhere, to any of the member's devices). */
      forgetPushDevices: (
        who: { userId: string; agencyId: string | null; ip: string | null },
        sessionId: string | null,
      ) =>
        withAgencyActor(db, who, (ctx) => forgetSessionDevices(ctx, { sessionId })).catch((err: unknown) => {
          // Not a member of that agency (any more): it has no devices of theirs. Anything else must not block signing
          // out; the worker drops a revoked session's devices at their next push anyway.
          if (!isAppError(err)) log.warn({ err }, 'could not forget push devices at sign-out')
        }),
    },
    async devMailbox(limit = 50) {
      return db.execute<{ id: string; to: string; subject: string; text: string; created_at: string }>(
        sql`select id, "to", subject, text, created_at from dev_mailbox order by created_at desc limit ${limit}`,
      )
    },
  }
}

export type WebApp = ReturnType<typeof createWebApp>
export type RequestScope = ReturnType<WebApp['scope']>
