import { publicApi, type ApiRoute } from '@impera/api/public-api'
import fc from 'fast-check'
import { hostileStrings, leakPattern, mutateLeaves, procedureInput, validInputs, type Pools } from './arbitraries'

/**
 * The public API's share of the fuzz test (/api/v1): the transport (malformed bodies, paths, query strings, headers,
 * keys and Idempotency-Keys, forged cursors) and every operation (query and body generated from its own schemas, then
 * one field at a time turned hostile in input it accepts), for each key. Operations are read from the route table, so
 * new ones are fuzzed without registering them. Nothing may answer 5xx, no error may carry SQL, a stack or a path, and
 * every refusal of the API's own is `application/problem+json`.
 */

export interface ApiKey {
  name: string
  key: string
}

/** A failure's description, or null when the answer is handled. */
async function check(label: string, response: Response): Promise<string | null> {
  const body = await response.text()
  if (response.status >= 500) return `${label} → ${response.status}: ${body.slice(0, 500)}`
  if (response.status >= 400) {
    const leak = leakPattern.exec(body)
    if (leak)
      return `${label} → ${response.status} leaks internals (${leak[0]}): …${body.slice(Math.max(0, leak.index - 200), leak.index + 200)}…`
    // Node (431: headers or URL over 16 KB) and the server's body limit on a declared length (413, http.ts) answer
    // before the API does; every other refusal is the API's own.
    const type = response.headers.get('content-type') ?? ''
    if (response.status !== 413 && response.status !== 431 && !type.startsWith('application/problem+json'))
      return `${label} → ${response.status} is not a problem (${type}): ${body.slice(0, 200)}`
  }
  return null
}

function send(base: string, path: string, init: RequestInit & { key?: string | null } = {}) {
  const { key, ...rest } = init
  const headers = new Headers(rest.headers)
  if (key) headers.set('authorization', `Bearer ${key}`)
  return fetch(`${base}${path}`, { ...rest, headers, redirect: 'manual' })
}

const json = { 'content-type': 'application/json' }
const idem = () => ({ 'idempotency-key': crypto.randomUUID() })

/** Malformed requests at every layer: path, version, method, query, headers, key, Idempotency-Key, body. */
export async function fuzzPublicApiTransport(base: string, key: string, pools: Pools): Promise<string[]> {
  const id = pools.ids[0]!
  const cases: [string, () => Promise<Response>][] = [
    ['no version', () => send(base, '/api', { key })],
    ['unknown version', () => send(base, '/api/v2/leads', { key })],
    ['version only', () => send(base, '/api/v1', { key })],
    ['dot segments', () => send(base, '/api/v1/../v1/leads', { key })],
    ['double slashes', () => send(base, '/api/v1//leads//', { key })],
    ['bad escape in id', () => send(base, '/api/v1/leads/%ff', { key })],
    ['lone percent in id', () => send(base, '/api/v1/leads/%', { key })],
    ['NUL in id', () => send(base, '/api/v1/leads/%00', { key })],
    ['encoded slash in id', () => send(base, `/api/v1/leads/${id}%2Fstatus`, { key })],
    ['extra segment', () => send(base, `/api/v1/leads/${id}/status/extra`, { key })],
    ['huge id', () => send(base, `/api/v1/leads/${'a'.repeat(5000)}`, { key })],
    [
      'unknown method',
      () => send(base, '/api/v1/leads', { key, method: 'PUT', headers: { ...json, ...idem() }, body: '{}' }),
    ],
    ['DELETE', () => send(base, `/api/v1/leads/${id}`, { key, method: 'DELETE', headers: idem() })],
    ['OPTIONS', () => send(base, '/api/v1/leads', { method: 'OPTIONS' })],
    ['HEAD', () => send(base, '/api/v1/leads', { key, method: 'HEAD' })],
    [
      'POST the document',
      () => send(base, '/api/v1/openapi.json', { key, method: 'POST', headers: { ...json, ...idem() }, body: '{}' }),
    ],
    [
      'prototype keys in the query',
      () => send(base, '/api/v1/leads?__proto__=1&constructor=x&toString=y&hasOwnProperty=z', { key }),
    ],
    [
      'repeated scalar in the query',
      () => send(base, '/api/v1/leads?sort=name&sort=email&pageSize=5&pageSize=6', { key }),
    ],
    ['huge query', () => send(base, `/api/v1/leads?q=${'x'.repeat(6000)}&tags=${'t,'.repeat(3000)}`, { key })],
    ['bad escapes in the query', () => send(base, '/api/v1/leads?q=%ff%fe&status=%&after=%c3%28', { key })],
    ['no key', () => send(base, '/api/v1/leads')],
    ['empty bearer', () => send(base, '/api/v1/leads', { headers: { authorization: 'Bearer ' } })],
    [
      'bearer of junk',
      () => send(base, '/api/v1/leads', { headers: { authorization: `Bearer ${'\u00ff'.repeat(300)}` } }),
    ],
    ['basic auth', () => send(base, '/api/v1/leads', { headers: { authorization: 'Basic YTpi' } })],
    ['huge x-api-key', () => send(base, '/api/v1/leads', { headers: { 'x-api-key': 'imp_live_' + 'a'.repeat(8000) } })],
    [
      'key and x-api-key disagree',
      () => send(base, '/api/v1/leads', { key, headers: { 'x-api-key': 'imp_live_nope' } }),
    ],
    [
      'Idempotency-Key too long',
      () =>
        send(base, '/api/v1/leads', {
          key,
          method: 'POST',
          headers: { ...json, 'idempotency-key': 'k'.repeat(300) },
          body: '{}',
        }),
    ],
    [
      'Idempotency-Key latin-1',
      () =>
        send(base, '/api/v1/leads', {
          key,
          method: 'POST',
          headers: { ...json, 'idempotency-key': 'chave-\u00e9\u00ff' },
          body: '{}',
        }),
    ],
    [
      'Idempotency-Key spaces',
      () =>
        send(base, '/api/v1/leads', { key, method: 'POST', headers: { ...json, 'idempotency-key': '  ' }, body: '{}' }),
    ],
    [
      'no content type',
      () => send(base, '/api/v1/leads', { key, method: 'POST', headers: idem(), body: '{"name":"x"}' }),
    ],
    [
      'JSON with a charset',
      () =>
        send(base, '/api/v1/leads', {
          key,
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=latin1', ...idem() },
          body: '{"name":"\u00e9","email":"e@example.test"}',
        }),
    ],
    [
      'garbage JSON',
      () => send(base, '/api/v1/leads', { key, method: 'POST', headers: { ...json, ...idem() }, body: '{"name":' }),
    ],
    [
      'NUL in JSON',
      () =>
        send(base, '/api/v1/leads', {
          key,
          method: 'POST',
          headers: { ...json, ...idem() },
          body: '{"name":"a\\u0000b","email":"a@example.test"}',
        }),
    ],
    [
      'lone surrogate key',
      () =>
        send(base, '/api/v1/leads', {
          key,
          method: 'POST',
          headers: { ...json, ...idem() },
          body: '{"\\ud800":1,"name":"x"}',
        }),
    ],
    [
      'lone surrogate value',
      () =>
        send(base, '/api/v1/leads', {
          key,
          method: 'POST',
          headers: { ...json, ...idem() },
          body: '{"name":"\\udfff","email":"a@example.test"}',
        }),
    ],
    [
      '__proto__ in the body',
      () =>
        send(base, '/api/v1/leads', {
          key,
          method: 'POST',
          headers: { ...json, ...idem() },
          body: '{"__proto__":{"allowDuplicate":true},"name":"x","email":"p@example.test"}',
        }),
    ],
    [
      'deeply nested JSON',
      () =>
        send(base, '/api/v1/leads', {
          key,
          method: 'POST',
          headers: { ...json, ...idem() },
          body: '['.repeat(200_000),
        }),
    ],
    [
      'deep junk beside valid fields',
      () =>
        send(base, '/api/v1/leads', {
          key,
          method: 'POST',
          headers: { ...json, ...idem() },
          body: `{"name":"x","email":"d@example.test","junk":${'['.repeat(5000)}${']'.repeat(5000)}}`,
        }),
    ],
    [
      'a body that is an array',
      () => send(base, '/api/v1/leads', { key, method: 'POST', headers: { ...json, ...idem() }, body: '[1,2]' }),
    ],
    [
      'a body that is null',
      () => send(base, '/api/v1/leads', { key, method: 'POST', headers: { ...json, ...idem() }, body: 'null' }),
    ],
    [
      'an empty body',
      () => send(base, '/api/v1/leads', { key, method: 'POST', headers: { ...json, ...idem() }, body: '' }),
    ],
    [
      'binary body',
      () =>
        send(base, '/api/v1/leads', {
          key,
          method: 'POST',
          headers: { ...json, ...idem() },
          body: new Uint8Array([0, 255, 254, 0xc3, 0x28]),
        }),
    ],
    [
      'media that is not base64',
      () =>
        send(base, `/api/v1/conversations/${id}/messages`, {
          key,
          method: 'POST',
          headers: { ...json, ...idem() },
          body: '{"type":"media","filename":"a","mimeType":"image/png","data":"%%%"}',
        }),
    ],
    [
      'media of a refused type',
      () =>
        send(base, `/api/v1/conversations/${id}/messages`, {
          key,
          method: 'POST',
          headers: { ...json, ...idem() },
          body: '{"type":"media","filename":"a.exe","mimeType":"application/x-msdownload","data":"AAAA"}',
        }),
    ],
    [
      'unknown message type',
      () =>
        send(base, `/api/v1/conversations/${id}/messages`, {
          key,
          method: 'POST',
          headers: { ...json, ...idem() },
          body: '{"type":"sticker"}',
        }),
    ],
    ...pools.cursors.map((c, i): [string, () => Promise<Response>] => [
      `forged cursor ${i}`,
      () => send(base, `/api/v1/leads?after=${encodeURIComponent(c)}`, { key }),
    ]),
    ...pools.cursors.map((c, i): [string, () => Promise<Response>] => [
      `forged events cursor ${i}`,
      () => send(base, `/api/v1/events?after=${encodeURIComponent(c)}`, { key }),
    ]),
    ...pools.cursors.map((c, i): [string, () => Promise<Response>] => [
      `forged messages cursor ${i}`,
      () => send(base, `/api/v1/conversations/${id}/messages?before=${encodeURIComponent(c)}`, { key }),
    ]),
  ]
  const failures: string[] = []
  for (const [label, run] of cases) {
    const f = await run().then(
      (r) => check(`API ${label}`, r),
      (e: unknown) => `API ${label} → no answer: ${String(e)} (${String((e as { cause?: unknown }).cause)})`,
    )
    if (f) failures.push(f)
  }
  // The same Idempotency-Key at once with different bodies: one runs, the others replay or are refused, none fails.
  const shared = crypto.randomUUID()
  const racing = await Promise.all(
    Array.from({ length: 6 }, (_, i) =>
      send(base, '/api/v1/leads', {
        key,
        method: 'POST',
        headers: { ...json, 'idempotency-key': shared },
        body: JSON.stringify({ name: `Corrida ${i % 2}`, email: `corrida${i % 2}@example.test`, allowDuplicate: true }),
      }),
    ),
  )
  for (const [i, r] of racing.entries()) {
    const f = await check(`API racing Idempotency-Key ${i}`, r)
    if (f) failures.push(f)
  }
  return failures
}

/** A path, query string and body for an operation from generated input. */
function requestFor(route: ApiRoute, input: { id?: unknown; query?: unknown; body?: unknown }) {
  const id = typeof input.id === 'string' ? encodeURIComponent(input.id.replace(/[\ud800-\udfff]/g, '\ufffd')) : 'x'
  const path = `/api/v1${route.path.replace('{id}', id)}`
  const params = new URLSearchParams()
  if (input.query && typeof input.query === 'object')
    for (const [k, v] of Object.entries(input.query as Record<string, unknown>)) {
      if (v === undefined) continue
      for (const item of Array.isArray(v) ? v : [v])
        params.append(k, (typeof item === 'string' ? item : JSON.stringify(item)).replace(/[\ud800-\udfff]/g, '\ufffd'))
    }
  const qs = params.toString()
  return { url: qs ? `${path}?${qs}` : path, body: input.body === undefined ? undefined : JSON.stringify(input.body) }
}

export async function fuzzPublicApiOperations(opts: {
  base: string
  keys: ApiKey[]
  pools: Pools
  runs: number
}): Promise<{ failures: string[]; reached: number }> {
  const { base, keys, pools } = opts
  const failures: string[] = []
  let reached = 0
  const idArb = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...pools.ids) },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 1, arbitrary: fc.constantFrom(...hostileStrings) },
  )
  const call = (key: ApiKey, route: ApiRoute, input: { id?: unknown; query?: unknown; body?: unknown }) => {
    const { url, body } = requestFor(route, input)
    const write = route.method !== 'GET'
    return send(base, url, {
      key: key.key,
      method: route.method,
      headers: write ? { ...json, ...idem() } : {},
      body: write ? (body ?? '{}') : undefined,
    })
  }
  for (const key of keys) {
    for (const route of publicApi) {
      const label = (input: unknown) =>
        `${key.name} ${route.method} ${route.path} ${JSON.stringify(input)?.slice(0, 300)}`
      const generated = fc.record({
        id: idArb,
        query: route.query ? procedureInput([route.query], pools) : fc.constant(undefined),
        body: route.body ? procedureInput([route.body], pools) : fc.constant(undefined),
      })
      const run = await fc.check(
        fc.asyncProperty(generated, async (input) => {
          const f = await check(label(input), await call(key, route, input))
          if (f) throw new Error(f)
        }),
        { numRuns: opts.runs },
      )
      if (run.failed) failures.push(`${String(run.errorInstance)} [seed ${run.seed}]`)
      // One field at a time turned hostile, around input the operation's schemas accept.
      const id = pools.ids[0]
      const query = route.query ? (validInputs([route.query], pools)[0] ?? {}) : undefined
      const body = route.body ? validInputs([route.body], pools)[0] : undefined
      const seed = { id, query, body }
      const start = await call(key, route, seed)
      if (start.status !== 422 && start.status !== 400) reached++
      const f0 = await check(label(seed), start)
      if (f0) failures.push(f0)
      const variants = [
        ...(query ? mutateLeaves(query).map((q) => ({ id, query: q, body })) : []),
        ...(body ? mutateLeaves(body).map((b) => ({ id, query, body: b })) : []),
      ]
      for (const input of variants) {
        const f = await check(label(input), await call(key, route, input))
        if (f) {
          failures.push(f)
          break
        }
      }
    }
  }
  return { failures, reached }
}
