import fc from 'fast-check'
import { hostileStrings, leakPattern } from './arbitraries'

/**
 * The portal intake's share of the fuzz test (decision 022): the door (`POST /integrations/grupo-olx/:token/leads`)
 * with malformed transport (tokens, credentials, content types, bodies), then generated pushes in the contract's shape
 * with hostile values in every field, authenticated. Nothing may answer 5xx or leak internals; the accepted ones are
 * returned so the caller can run them through the worker's half.
 */
const fields = [
  'leadOrigin',
  'timestamp',
  'originLeadId',
  'originListingId',
  'clientListingId',
  'name',
  'email',
  'ddd',
  'phone',
  'phoneNumber',
  'message',
] as const

export async function check(label: string, response: Response): Promise<string | null> {
  const body = await response.text()
  if (response.status >= 500) return `${label} → ${response.status}: ${body.slice(0, 300)}`
  const leak = response.status >= 400 ? leakPattern.exec(body) : null
  if (leak) return `${label} → ${response.status} leaks internals (${leak[0]})`
  return null
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`

/** A field's value: plausible text, a hostile string, or a value of the wrong type. */
const fieldValue = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom(...hostileStrings),
  fc.constantFrom(null, 0, -1, 1e308, true, [], {}, ['x'], { $ne: 1 }),
  fc.constantFrom('11', '999999999', '(11) 9 8888-7777', '+55 11 98888-7777', 'a@b.co', 'AP0001', '2026-13-45T99:99'),
)

/** The listing feed and its photo links (decision 023): forged tokens, signatures and expiries, odd conditionals. */
export async function fuzzListingFeed(opts: { base: string; path: string; agencyId: string; photoId: string }) {
  const get = (p: string, headers: Record<string, string> = {}) =>
    fetch(`${opts.base}${p}`, { headers, redirect: 'manual' })
  const photo = `/feeds/photos/${opts.agencyId}/${opts.photoId}.jpg`
  const cases: [string, () => Promise<Response>][] = [
    ['feed', () => get(opts.path)],
    ['feed with odd If-None-Match', () => get(opts.path, { 'if-none-match': '*, "", W/"x", \u00ff' })],
    ['feed with huge If-None-Match', () => get(opts.path, { 'if-none-match': `"${'a'.repeat(8000)}"` })],
    ['feed HEAD', () => fetch(`${opts.base}${opts.path}`, { method: 'HEAD' })],
    ['feed POST', () => fetch(`${opts.base}${opts.path}`, { method: 'POST', body: '<x/>' })],
    ['feed token NUL', () => get('/feeds/%00/vrsync.xml')],
    ['feed token bad escape', () => get('/feeds/%c3%28/vrsync.xml')],
    ['feed token too long', () => get(`/feeds/${'a'.repeat(3000)}/vrsync.xml`)],
    ['photo without signature', () => get(photo)],
    ['photo with NaN expiry', () => get(`${photo}?expires=abc&signature=x`)],
    ['photo with huge expiry', () => get(`${photo}?expires=${'9'.repeat(400)}&signature=x`)],
    ['photo with negative expiry', () => get(`${photo}?expires=-1&signature=x`)],
    ['photo with array params', () => get(`${photo}?expires=1&expires=2&signature=a&signature=b`)],
    ['photo with NUL signature', () => get(`${photo}?expires=99999999999&signature=%00`)],
    [
      'photo of another id',
      () => get(`/feeds/photos/${opts.agencyId}/00000000-0000-4000-8000-000000000000.jpg?expires=1&signature=x`),
    ],
    ['photo bad agency', () => get(`/feeds/photos/%00/${opts.photoId}.jpg?expires=1&signature=x`)],
  ]
  const failures: string[] = []
  for (const [label, send] of cases) {
    const failure = await check(`listing feed: ${label}`, await send())
    if (failure) failures.push(failure)
  }
  return failures
}

export async function fuzzPortalIntake(opts: {
  base: string
  path: string
  password: string
  runs: number
}): Promise<{ failures: string[]; accepted: number }> {
  const url = `${opts.base}${opts.path}`
  const auth = basic('vivareal', opts.password)
  const json = { 'content-type': 'application/json' }
  const post = (target: string, init: RequestInit) => fetch(target, { method: 'POST', redirect: 'manual', ...init })
  const valid = JSON.stringify({ originLeadId: 'fuzz-1', clientListingId: 'AP0001', name: 'Fuzz' })
  const cases: [string, () => Promise<Response>][] = [
    ['no credentials', () => post(url, { headers: json, body: valid })],
    ['bearer instead of basic', () => post(url, { headers: { ...json, authorization: 'Bearer x' }, body: valid })],
    [
      'basic without colon',
      () => post(url, { headers: { ...json, authorization: `Basic ${btoa('vivareal')}` }, body: valid }),
    ],
    ['basic not base64', () => post(url, { headers: { ...json, authorization: 'Basic %%%' }, body: valid })],
    [
      'huge authorization',
      () => post(url, { headers: { ...json, authorization: `Basic ${'A'.repeat(8000)}` }, body: valid }),
    ],
    [
      'NUL in password',
      () => post(url, { headers: { ...json, authorization: basic('vivareal', 'a\u0000b') }, body: valid }),
    ],
    ['empty body', () => post(url, { headers: { ...json, authorization: auth } })],
    [
      'binary body',
      () => post(url, { headers: { ...json, authorization: auth }, body: new Uint8Array([0, 255, 254, 1]) }),
    ],
    [
      'invalid UTF-8',
      () => post(url, { headers: { ...json, authorization: auth }, body: Buffer.from([0x7b, 0xc3, 0x28, 0x7d]) }),
    ],
    ['JSON null', () => post(url, { headers: { ...json, authorization: auth }, body: 'null' })],
    ['JSON string', () => post(url, { headers: { ...json, authorization: auth }, body: '"lead"' })],
    [
      'deep JSON',
      () => post(url, { headers: { ...json, authorization: auth }, body: `${'['.repeat(5000)}${']'.repeat(5000)}` }),
    ],
    [
      'proto keys',
      () => post(url, { headers: { ...json, authorization: auth }, body: '{"__proto__":{"x":1},"constructor":1}' }),
    ],
    [
      'form body',
      () =>
        post(url, {
          headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: auth },
          body: 'a=1',
        }),
    ],
    [
      'multipart',
      () =>
        post(url, {
          headers: { 'content-type': 'multipart/form-data; boundary=x', authorization: auth },
          body: '--x--',
        }),
    ],
    ['GET', () => fetch(url, { headers: { authorization: auth } })],
    ['PUT', () => fetch(url, { method: 'PUT', headers: { ...json, authorization: auth }, body: valid })],
    ['token with NUL', () => post(`${opts.base}/integrations/grupo-olx/%00/leads`, { headers: json, body: valid })],
    [
      'token bad escape',
      () => post(`${opts.base}/integrations/grupo-olx/%c3%28/leads`, { headers: json, body: valid }),
    ],
    [
      'token too long',
      () => post(`${opts.base}/integrations/grupo-olx/${'a'.repeat(3000)}/leads`, { headers: json, body: valid }),
    ],
  ]
  const failures: string[] = []
  for (const [label, send] of cases) {
    const failure = await check(`portal intake: ${label}`, await send())
    if (failure) failures.push(failure)
  }
  let accepted = 0
  const pushes = fc.sample(
    fc.record(
      Object.fromEntries(fields.map((f) => [f, fieldValue])) as Record<(typeof fields)[number], typeof fieldValue>,
      {
        requiredKeys: [],
      },
    ),
    { numRuns: opts.runs * fields.length, seed: 22 },
  )
  // Every other push is a valid one with a single field turned hostile, so hostile values reach the worker's half too.
  const values = fc.sample(fieldValue, { numRuns: pushes.length, seed: 23 })
  for (const [i, push] of pushes.entries()) {
    const field = fields[i % fields.length]!
    const body =
      i % 2
        ? push
        : { originLeadId: `fuzz-${i}`, clientListingId: i % 4 ? 'AP0001' : `x${i}`, name: 'Fuzz', [field]: values[i] }
    const response = await post(url, { headers: { ...json, authorization: auth }, body: JSON.stringify(body) })
    if (response.status === 201) accepted += 1
    const failure = await check(`portal intake push ${JSON.stringify(body).slice(0, 200)}`, response)
    if (failure) failures.push(failure)
  }
  return { failures, accepted }
}
