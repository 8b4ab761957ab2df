import { check } from './portals'

/**
 * A listing shared with a contact (issue 16): its public page and photos by a real token, then forged, malformed and
 * oversized tokens and photo names, other methods. 200 only for the real page, 404 for anything else; never a 5xx.
 */
export async function fuzzPropertyShare(opts: { base: string; token: string; photoId: string }) {
  const get = (p: string, init: RequestInit = {}) => fetch(`${opts.base}${p}`, { redirect: 'manual', ...init })
  const { token, photoId } = opts
  const cases: [string, () => Promise<Response>, number | null][] = [
    ['page', () => get(`/p/${token}`), 200],
    // The test world's photo row has no file behind it (the browser test loads a real one): found, then 404.
    ['photo', () => get(`/p/${token}/photos/${photoId}.jpg`), 404],
    ['photo POST', () => get(`/p/${token}/photos/${photoId}.jpg`, { method: 'POST', body: 'x' }), null],
    ['forged token page', () => get(`/p/${'A'.repeat(32)}`), 404],
    ['forged token photo', () => get(`/p/${'A'.repeat(32)}/photos/${photoId}.jpg`), 404],
    ['another photo id', () => get(`/p/${token}/photos/00000000-0000-4000-8000-000000000000.jpg`), 404],
    ['photo without extension', () => get(`/p/${token}/photos/${photoId}`), 404],
    ['photo NUL', () => get(`/p/${token}/photos/%00.jpg`), 404],
    ['token NUL', () => get('/p/%00/photos/x.jpg'), 404],
    ['token too long', () => get(`/p/${'a'.repeat(3000)}/photos/${photoId}.jpg`), 404],
    ['page token too long', () => get(`/p/${'a'.repeat(3000)}`), 404],
    ['page token with quote', () => get(`/p/${"'".repeat(32)}`), 404],
    ['path traversal', () => get(`/p/${token}/photos/..%2f..%2fetc%2fpasswd`), 404],
    // Express refuses a malformed escape before the route runs: a 400, which is fine.
    ['bad escape', () => get('/p/%c3%28/photos/x.jpg'), null],
  ]
  const failures: string[] = []
  for (const [label, send, status] of cases) {
    const response = await send()
    if (status !== null && response.status !== status) failures.push(`property share: ${label} → ${response.status}`)
    const failure = await check(`property share: ${label}`, response)
    if (failure) failures.push(failure)
  }
  return failures
}
