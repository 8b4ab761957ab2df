import { check } from './portals'

/**
 * A person's data as a ZIP (decision 038): the real lead and client for every caller, then forged, malformed and
 * oversized ids, other kinds and methods. Only a manager gets 200; never a 5xx or internals.
 */
export async function fuzzPrivacyExport(opts: {
  base: string
  leadId: string
  clientId: string
  callers: { name: string; cookie: string; expect: number }[]
}) {
  const get = (p: string, cookie: string, init: RequestInit = {}) =>
    fetch(`${opts.base}${p}`, { redirect: 'manual', ...init, headers: { cookie, ...(init.headers ?? {}) } })
  const failures: string[] = []
  for (const caller of opts.callers) {
    const cases: [string, () => Promise<Response>, number | null][] = [
      ['lead', () => get(`/privacy/leads/${opts.leadId}/export.zip`, caller.cookie), caller.expect],
      ['client', () => get(`/privacy/clients/${opts.clientId}/export.zip`, caller.cookie), caller.expect],
      ['lead as client', () => get(`/privacy/clients/${opts.leadId}/export.zip`, caller.cookie), null],
      ['other kind', () => get(`/privacy/users/${opts.leadId}/export.zip`, caller.cookie), 404],
      ['malformed id', () => get('/privacy/leads/not-a-uuid/export.zip', caller.cookie), 404],
      ['NUL id', () => get('/privacy/leads/%00/export.zip', caller.cookie), 404],
      ['bad escape', () => get('/privacy/leads/%c3%28/export.zip', caller.cookie), null],
      ['long id', () => get(`/privacy/leads/${'a'.repeat(3000)}/export.zip`, caller.cookie), 404],
      ['traversal', () => get('/privacy/leads/..%2f..%2fetc%2fpasswd/export.zip', caller.cookie), 404],
      ['POST', () => get(`/privacy/leads/${opts.leadId}/export.zip`, caller.cookie, { method: 'POST' }), null],
      [
        'odd headers',
        () =>
          get(`/privacy/leads/${opts.leadId}/export.zip`, caller.cookie, {
            headers: { range: 'bytes=99999999-', accept: '\u00ff' },
          }),
        null,
      ],
    ]
    for (const [label, send, status] of cases) {
      const response = await send()
      const name = `privacy export as ${caller.name}: ${label}`
      if (status !== null && response.status !== status) failures.push(`${name} → ${response.status}`)
      const failure = await check(name, response)
      if (failure) failures.push(failure)
    }
  }
  return failures
}

/**
 * The agency export's download (decision 041): its real id for every caller, then unknown, forged and malformed ids
 * and other methods. Never a 5xx or internals; only a manager of the agency ever reaches the file.
 */
export async function fuzzAgencyExportDownload(opts: {
  base: string
  exportId: string
  callers: { name: string; cookie: string; expect: number | null }[]
}) {
  const get = (p: string, cookie: string, init: RequestInit = {}) =>
    fetch(`${opts.base}${p}`, { redirect: 'manual', ...init, headers: { cookie, ...(init.headers ?? {}) } })
  const failures: string[] = []
  for (const caller of opts.callers) {
    const unknown = caller.expect === 401 || caller.expect === 403 ? caller.expect : 404
    const cases: [string, () => Promise<Response>, number | null][] = [
      ['real id', () => get(`/exports/${opts.exportId}/download`, caller.cookie), caller.expect],
      ['unknown id', () => get(`/exports/00000000-0000-4000-8000-000000000000/download`, caller.cookie), unknown],
      ['malformed id', () => get('/exports/not-a-uuid/download', caller.cookie), 404],
      ['NUL id', () => get('/exports/%00/download', caller.cookie), 404],
      ['bad escape', () => get('/exports/%c3%28/download', caller.cookie), null],
      ['long id', () => get(`/exports/${'a'.repeat(3000)}/download`, caller.cookie), 404],
      ['traversal', () => get('/exports/..%2f..%2fetc%2fpasswd/download', caller.cookie), 404],
      ['POST', () => get(`/exports/${opts.exportId}/download`, caller.cookie, { method: 'POST' }), null],
    ]
    for (const [label, send, status] of cases) {
      const response = await send()
      const name = `agency export as ${caller.name}: ${label}`
      if (status !== null && response.status !== status) failures.push(`${name} → ${response.status}`)
      const failure = await check(name, response)
      if (failure) failures.push(failure)
    }
  }
  return failures
}
