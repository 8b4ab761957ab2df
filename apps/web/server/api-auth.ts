import { Readable } from 'node:stream'
import {
  authenticateKey,
  consumeApiRate,
  keyFromHeaders,
  requireScope,
  type RateDecision,
  type ResolvedKey,
} from '@impera/api/integrations'
import {
  problem,
  problemOf,
  problemResponse,
  rateLimitHeaders,
  type Problem,
  type ProblemCode,
} from '@impera/api/public-api'
import type { IntegrationScope } from '@impera/db/enums'
import type { Request as ExpressRequest, Response as ExpressResponse } from 'express'
import type { WebApp } from './app'
import { bodyTooLarge } from './fetch-request'

/**
 * What every entry point for integrations shares (the public API at /api/v1, the MCP server at /mcp): the key from
 * `Authorization: Bearer …` or `X-Api-Key`, its per-key rate limit with the RateLimit headers, scope checks, and
 * refusals as `application/problem+json` (401 without detail, 403 naming the scope, 429 with Retry-After). Import
 * from here rather than re-deriving any of it.
 */

export { problem, problemOf, problemResponse, rateLimitHeaders, requireScope, type Problem, type ProblemCode }

export type ApiAuth =
  | { ok: true; key: ResolvedKey; rate: RateDecision; headers: Record<string, string> }
  | { ok: false; response: Response }

/** The client address the server trusts (set by http.ts for every request). */
export function clientIp(req: ExpressRequest | Request): string | null {
  const value = req instanceof Request ? req.headers.get('x-impera-client-ip') : req.headers['x-impera-client-ip']
  return typeof value === 'string' && value ? value : null
}

/**
 * Authenticates a request's key and takes one token of its rate limit. A refusal comes as a ready problem response
 * (401 for any bad, revoked, expired or foreign-address key; 429 past the limit); on success, `headers` are the
 * RateLimit headers every answer to this key should carry.
 */
export async function authenticateApiRequest(app: Pick<WebApp, 'db'>, request: Request): Promise<ApiAuth> {
  let key: ResolvedKey
  try {
    key = await authenticateKey(
      app.db,
      keyFromHeaders({
        authorization: request.headers.get('authorization'),
        'x-api-key': request.headers.get('x-api-key'),
      }),
      clientIp(request),
    )
  } catch (e) {
    const p = problemOf(e)
    if (!p) throw e
    return { ok: false, response: problemResponse(p) }
  }
  const rate = await consumeApiRate(app.db, key.keyId)
  const headers = rateLimitHeaders(rate)
  if (!rate.allowed)
    return {
      ok: false,
      response: problemResponse(problem('rate_limited', { detail: `Retry in ${rate.resetSeconds} s.` }), headers),
    }
  return { ok: true, key, rate, headers }
}

/** Whether the key holds a scope; a missing one as the 403 problem naming it. */
export function scopeRefusal(key: ResolvedKey, scope: IntegrationScope, headers: Record<string, string> = {}) {
  try {
    requireScope(key, scope)
    return null
  } catch (e) {
    return problemResponse(problemOf(e)!, headers)
  }
}

/**
 * Writes a Fetch Response to Express. A body that passed its limit was already refused with a 413 problem; a body
 * the handler left unread is drained first.
 */
export async function sendApiResponse(res: ExpressResponse, response: Response, request?: Request) {
  // Read to its end (at most the body limit, counted as it streams) and dropped: a keep-alive connection can only
  // carry the next request once this one's body is off it.
  if (request?.body && !request.bodyUsed && bodyTooLarge(res) === null) await request.arrayBuffer().catch(() => {})
  if (res.headersSent) return void (await response.body?.cancel())
  res.status(response.status)
  response.headers.forEach((v, k) => res.setHeader(k, v))
  if (!response.headers.has('cache-control')) res.setHeader('cache-control', 'private, no-store')
  if (!response.body) return void res.end()
  Readable.fromWeb(response.body as never).pipe(res)
}
