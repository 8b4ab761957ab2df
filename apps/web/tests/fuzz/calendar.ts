import { check } from './portals'

/**
 * The private calendar feed (decision 025): a real token, then forged, malformed and oversized ones, other methods
 * and odd headers. Only 200 for the real token, 404 for anything else; never a 5xx or internals.
 */
export async function fuzzCalendarFeed(opts: { base: string; path: string }) {
  const get = (p: string, init: RequestInit = {}) => fetch(`${opts.base}${p}`, { redirect: 'manual', ...init })
  const cases: [string, () => Promise<Response>, number | null][] = [
    ['feed', () => get(opts.path), 200],
    ['feed with odd headers', () => get(opts.path, { headers: { 'if-none-match': '*', accept: '\u00ff' } }), 200],
    ['feed HEAD', () => get(opts.path, { method: 'HEAD' }), null],
    ['feed POST', () => get(opts.path, { method: 'POST', body: 'BEGIN:VCALENDAR' }), null],
    ['forged token', () => get(`/calendar/${'A'.repeat(32)}.ics`), 404],
    ['no extension', () => get(opts.path.replace('.ics', '')), 404],
    ['token NUL', () => get('/calendar/%00.ics'), 404],
    // Express refuses a malformed escape before the route runs: a 400, which is fine.
    ['token bad escape', () => get('/calendar/%c3%28.ics'), null],
    ['token too long', () => get(`/calendar/${'a'.repeat(3000)}.ics`), 404],
    ['token with quote', () => get(`/calendar/${"'".repeat(32)}.ics`), 404],
    ['path traversal', () => get('/calendar/..%2f..%2fetc%2fpasswd.ics'), 404],
  ]
  const failures: string[] = []
  for (const [label, send, status] of cases) {
    const response = await send()
    if (status !== null && response.status !== status) failures.push(`calendar feed: ${label} → ${response.status}`)
    const failure = await check(`calendar feed: ${label}`, response)
    if (failure) failures.push(failure)
  }
  return failures
}
