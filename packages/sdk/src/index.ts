import createClient, { type Client, type Middleware } from 'openapi-fetch'
import type { components, operations, paths } from './schema'

/**
 * A typed client for Impera CRM's public API (/api/v1), generated from its OpenAPI document: paths, parameters,
 * bodies and answers are checked by TypeScript (`client.GET('/leads', { params: { query: { status: ['new'] } } })`).
 *
 * On top of openapi-fetch it adds what every integration needs:
 * - the key on every request (`Authorization: Bearer imp_live_…`);
 * - an `Idempotency-Key` on every write that has none (a UUID), kept across its retries, so a retried write never
 *   acts twice;
 * - retries of 429 (after `Retry-After`), 503 and network failures, a few times;
 * - `unwrap()` for "the data or throw the problem", and `pages()` to walk a list by its cursors.
 */
export type { components, operations, paths }
export type Problem = components['schemas']['Problem']
export type ImperaClient = Client<paths>

export interface ImperaClientOptions {
  /** The CRM's address, e.g. `https://crm.example.com` (the API is under /api/v1). */
  baseUrl: string
  /** An integration's key, `imp_live_…` (Settings → Integrações). */
  apiKey: string
  /** Retries of 429, 503 and network failures (default 3). */
  retries?: number
  /** The longest wait between retries, in ms (default 30 s). */
  maxRetryDelayMs?: number
  fetch?: typeof globalThis.fetch
}

/** A refused call: its HTTP status and RFC 9457 problem (`code`, `detail`, `errors[]` with field paths). */
export class ImperaApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(`${status} ${problem.code}${problem.detail ? `: ${problem.detail}` : ''}`)
    this.name = 'ImperaApiError'
  }
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export function createImperaClient(opts: ImperaClientOptions): ImperaClient {
  const baseFetch = opts.fetch ?? globalThis.fetch
  const retries = opts.retries ?? 3
  const maxDelay = opts.maxRetryDelayMs ?? 30_000
  const auth: Middleware = {
    onRequest({ request }) {
      request.headers.set('authorization', `Bearer ${opts.apiKey}`)
      if (WRITES.has(request.method) && !request.headers.has('idempotency-key'))
        request.headers.set('idempotency-key', crypto.randomUUID())
      return request
    },
  }
  // Retries reuse the same request (and so its Idempotency-Key): a write answered once is replayed, not repeated.
  const retrying = async (input: Request): Promise<Response> => {
    for (let attempt = 0; ; attempt++) {
      let response: Response | null = null
      try {
        response = await baseFetch(input.clone())
      } catch (e) {
        if (attempt >= retries) throw e
      }
      if (response && ((response.status !== 429 && response.status !== 503) || attempt >= retries)) return response
      const after = Number(response?.headers.get('retry-after'))
      const delay = Number.isFinite(after) && after > 0 ? after * 1000 : 250 * 2 ** attempt
      await response?.body?.cancel()
      await sleep(Math.min(delay, maxDelay))
    }
  }
  const client = createClient<paths>({
    baseUrl: `${opts.baseUrl.replace(/\/+$/, '')}/api/v1`,
    fetch: retrying,
    querySerializer: { array: { style: 'form', explode: true } },
  })
  client.use(auth)
  return client
}

/** The data of a call, or its problem thrown as an ImperaApiError. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<Exclude<T, undefined>> {
  const { data, error, response } = await call
  if (response.ok && data !== undefined) return data as Exclude<T, undefined>
  const problem = (error && typeof error === 'object' ? error : { code: 'internal', title: 'Error' }) as Problem
  throw new ImperaApiError(response.status, problem)
}

type PageOf<T> = { data: T[]; next: string | null }

/**
 * Every row of a list, page after page: `for await (const lead of pages((after) => client.GET('/leads', { params:
 * { query: { status: ['new'], after } } })))`.
 */
export async function* pages<T>(
  fetchPage: (after: string | undefined) => Promise<{ data?: PageOf<T>; error?: unknown; response: Response }>,
): AsyncGenerator<T> {
  let after: string | undefined
  for (;;) {
    const page = await unwrap(fetchPage(after))
    yield* page.data
    if (!page.next) return
    after = page.next
  }
}
