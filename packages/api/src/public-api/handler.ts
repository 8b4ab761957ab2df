import type { Db } from '@impera/db'
import type { Logger } from 'pino'
import type { FileStorage } from '../storage'
import type { TargetPolicy } from '../webhooks/targets'
import type { SecretBox } from '../whatsapp/secrets'
import {
  authenticateKey,
  consumeApiRate,
  keyFromHeaders,
  requireScope,
  withIntegration,
  type RateDecision,
  type ResolvedKey,
} from '../integrations'
import { zodFieldProblems } from './problem'
import { claimIdempotencyKey, IDEMPOTENCY_KEY, requestHash, storeIdempotentAnswer } from './idempotency'
import { buildOpenApiDocument } from './openapi'
import { problem, problemOf, problemResponse, rateLimitHeaders, type Problem } from './problem'
import { publicApi, type ApiRoute } from './routes'

/**
 * The public API over HTTP, as a Fetch handler (`Request` → `Response`): the web server mounts it at /api (routes
 * outside /api/trpc), and tests call it in-process. In order: the version and route (404, 405), the key (401, the
 * same answer whatever was wrong with it), the key's rate limit (429; every answer to a key carries the RateLimit
 * headers), the operation's scope (403 naming it), for writes the Idempotency-Key and a JSON body (400, 413, 415),
 * the input against the operation's schemas (422 with field paths), then the operation in the integration's fenced
 * transaction. Every refusal is `application/problem+json`; anything unexpected is logged and answered as a bare 500.
 */
export interface PublicApiDeps {
  db: Db
  storage: FileStorage
  log: Logger
  /** Seals webhook signing secrets (and the stored answers that carry one), as in the app. */
  secrets: SecretBox
  /** Where webhook endpoints may point: the app's setting (WEBHOOKS_ALLOW_PRIVATE_TARGETS); absent, none private. */
  webhookTargets?: TargetPolicy
}

export interface PublicApiRequestMeta {
  /** The client address as the server trusts it (rate limits, allow-lists, last use). */
  ip: string | null
  requestId: string
  /** The body limit the request's body passed, once its stream failed for it (the server counts bytes). */
  bodyTooLarge?: () => number | null
}

/** Where the API lives under the server's /api prefix. */
export const API_VERSION_PREFIX = '/v1'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const WRITE = new Set(['POST', 'PATCH', 'PUT', 'DELETE'])

interface Compiled {
  route: ApiRoute
  pattern: RegExp
}

function compile(route: ApiRoute): Compiled {
  const source = route.path
    .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
    .replace('\\{id\\}', '([^/]+)')
    .replace('{id}', '([^/]+)')
  return { route, pattern: new RegExp(`^${source}$`) }
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'private, no-store', ...headers },
  })
}

/** The query string as an object: a key given once is a string, a repeated key an array; nothing else is inferred. */
function queryObject(params: URLSearchParams): Record<string, string | string[]> {
  const keys = [...new Set(params.keys())]
  return Object.fromEntries(
    keys.map((k) => {
      const values = params.getAll(k)
      return [k, values.length === 1 ? values[0]! : values]
    }),
  )
}

class Refusal {
  constructor(
    readonly problem: Problem,
    readonly headers: Record<string, string> = {},
  ) {}
}

export function createPublicApi(deps: PublicApiDeps) {
  const routes = publicApi.map(compile)
  const unsealAnswer = (stored: unknown) =>
    JSON.parse(deps.secrets.open((stored as { sealed: string }).sealed)) as unknown
  let documentText: string | null = null
  const document = () => (documentText ??= JSON.stringify(buildOpenApiDocument()))

  async function handle(request: Request, meta: PublicApiRequestMeta): Promise<Response> {
    let rateHeaders: Record<string, string> = {}
    let operation: string | undefined
    try {
      return await dispatch(
        request,
        meta,
        (h) => (rateHeaders = h),
        (op) => (operation = op),
      )
    } catch (e) {
      if (e instanceof Refusal) return problemResponse(e.problem, { ...rateHeaders, ...e.headers })
      const p = problemOf(e)
      if (p) return problemResponse(p, rateHeaders)
      deps.log.error({ err: e, requestId: meta.requestId, operation }, 'public api request failed')
      return problemResponse(problem('internal'), rateHeaders)
    }
  }

  async function dispatch(
    request: Request,
    meta: PublicApiRequestMeta,
    setRateHeaders: (h: Record<string, string>) => void,
    setOperation: (op: string) => void,
  ): Promise<Response> {
    const url = new URL(request.url)
    const method = request.method === 'HEAD' ? 'GET' : request.method
    // /api/v1/leads → /leads; anything but v1 is an unknown version.
    const rest = url.pathname.replace(/^\/api(?=\/|$)/, '')
    if (rest !== API_VERSION_PREFIX && !rest.startsWith(`${API_VERSION_PREFIX}/`))
      throw new Refusal(problem('not_found', { detail: 'Unknown API version or path: this server has /api/v1.' }))
    const path = rest.slice(API_VERSION_PREFIX.length).replace(/\/+$/, '') || '/'

    if (path === '/openapi.json') {
      if (method !== 'GET') throw new Refusal(problem('method_not_allowed'), { allow: 'GET' })
      return new Response(request.method === 'HEAD' ? null : document(), {
        headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache' },
      })
    }

    const matches = routes.flatMap(({ route, pattern }) => {
      const m = pattern.exec(path)
      return m ? [{ route, raw: m[1] }] : []
    })
    if (!matches.length) throw new Refusal(problem('not_found', { detail: 'No such operation in /api/v1.' }))
    const allow = [...new Set(matches.map((m) => m.route.method))].join(', ')
    if (method === 'OPTIONS') return new Response(null, { status: 204, headers: { allow } })
    const match = matches.find((m) => m.route.method === method)
    if (!match) throw new Refusal(problem('method_not_allowed'), { allow })
    const { route } = match
    setOperation(route.operationId)
    let id = ''
    if (match.raw !== undefined) {
      try {
        id = decodeURIComponent(match.raw)
      } catch {
        id = ''
      }
      if (!UUID.test(id)) throw new Refusal(problem('not_found', { detail: 'No such resource.' }))
      id = id.toLowerCase()
    }

    // The key, then its rate limit: from here on every answer carries the RateLimit headers.
    const headers = request.headers
    const key: ResolvedKey = await authenticateKey(
      deps.db,
      keyFromHeaders({ authorization: headers.get('authorization'), 'x-api-key': headers.get('x-api-key') }),
      meta.ip,
    )
    const rate: RateDecision = await consumeApiRate(deps.db, key.keyId)
    const limitHeaders = rateLimitHeaders(rate)
    setRateHeaders(limitHeaders)
    if (!rate.allowed) throw new Refusal(problem('rate_limited', { detail: `Retry in ${rate.resetSeconds} s.` }))
    requireScope(key, route.scope)

    const write = WRITE.has(method)
    let idempotencyKey: string | null = null
    let body: unknown = undefined
    if (write) {
      idempotencyKey = headers.get('idempotency-key')
      if (idempotencyKey === null) throw new Refusal(problem('idempotency_key_required'))
      if (!IDEMPOTENCY_KEY.test(idempotencyKey))
        throw new Refusal(
          problem('bad_request', { detail: 'Idempotency-Key must be 1 to 255 visible ASCII characters.' }),
        )
      const type = (headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
      if (route.body) {
        if (type !== 'application/json') throw new Refusal(problem('unsupported_media_type'))
        let text: string
        try {
          text = await request.text()
        } catch {
          const limit = meta.bodyTooLarge?.() ?? null
          throw new Refusal(
            limit !== null
              ? problem('payload_too_large', { limit })
              : problem('bad_request', { detail: 'Unreadable body.' }),
          )
        }
        try {
          body = JSON.parse(text)
        } catch {
          throw new Refusal(problem('invalid_json'))
        }
      }
    }

    const query = route.query ? route.query.safeParse(queryObject(url.searchParams)) : null
    if (query && !query.success)
      throw new Refusal(problem('validation_failed', { errors: zodFieldProblems(query.error) }))
    const parsedBody = route.body ? route.body.safeParse(body) : null
    if (parsedBody && !parsedBody.success)
      throw new Refusal(problem('validation_failed', { errors: zodFieldProblems(parsedBody.error) }))
    const input = { id, query: query?.data, body: parsedBody?.data }
    const hash = write ? requestHash(method, path, parsedBody?.data ?? null) : ''

    const result = await withIntegration(deps.db, key, meta.ip, async (ctx) => {
      if (idempotencyKey) {
        const claim = await claimIdempotencyKey(ctx, key.integrationId, idempotencyKey, hash)
        if (claim.kind === 'mismatch') return { mismatch: true as const }
        if (claim.kind === 'replay') {
          const body = route.secretAnswer ? unsealAnswer(claim.response) : claim.response
          return { status: claim.status, body, replayed: true }
        }
      }
      const { secrets, webhookTargets, storage } = deps
      const answer = await route.run({ ...ctx, storage, secrets, webhookTargets, key, idempotencyKey }, input)
      if (idempotencyKey)
        await storeIdempotentAnswer(
          ctx,
          key.integrationId,
          idempotencyKey,
          route.status,
          route.secretAnswer ? { sealed: secrets.seal(JSON.stringify(answer)) } : answer,
        )
      return { status: route.status as number, body: answer, replayed: false }
    })
    if ('mismatch' in result) throw new Refusal(problem('idempotency_key_reused'))
    const response = json(result.status, result.body, {
      ...limitHeaders,
      ...(result.replayed ? { 'idempotent-replayed': 'true' } : {}),
    })
    return request.method === 'HEAD'
      ? new Response(null, { status: response.status, headers: response.headers })
      : response
  }

  return { handle, document: () => JSON.parse(document()) as Record<string, unknown> }
}

export type PublicApi = ReturnType<typeof createPublicApi>
