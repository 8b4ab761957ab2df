import http from 'node:http'

/**
 * A stand-in for Supabase Storage's object API (the endpoints storage-js calls): upload with x-upsert, authenticated
 * download, bulk delete by prefixes, and listing one folder level. Requires the service-role bearer, keeps objects per bucket in memory, and answers
 * errors with Storage's `{ statusCode, error, message }` bodies (a missing object is 400 with statusCode "404", as
 * the hosted service does). Never used by the app; only by contract tests.
 */
export async function startStorageStandIn(opts: { serviceRoleKey: string; buckets: string[] }) {
  const objects = new Map<string, { bytes: Buffer; contentType: string }>()
  const calls: string[] = []
  const fail = (res: http.ServerResponse, status: number, statusCode: string, error: string, message: string) => {
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ statusCode, error, message }))
  }
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const body = Buffer.concat(chunks)
    const url = new URL(req.url ?? '/', 'http://x')
    calls.push(`${req.method} ${url.pathname}`)
    if (req.headers.authorization !== `Bearer ${opts.serviceRoleKey}`)
      return fail(res, 400, '403', 'Unauthorized', 'invalid signature')
    const listed = /^\/storage\/v1\/object\/list\/([^/]+)$/.exec(url.pathname)
    if (listed && req.method === 'POST') {
      const bucket = listed[1]!
      if (!opts.buckets.includes(bucket)) return fail(res, 400, '404', 'Bucket not found', 'Bucket not found')
      const {
        prefix = '',
        limit = 100,
        offset = 0,
      } = JSON.parse(body.toString() || '{}') as {
        prefix?: string
        limit?: number
        offset?: number
      }
      // One folder level, as Storage lists: files under the prefix, and each sub-folder once with a null id.
      const base = prefix ? `${bucket}/${prefix.replace(/\/$/, '')}/` : `${bucket}/`
      const entries = new Map<string, { name: string; id: string | null }>()
      for (const id of objects.keys()) {
        if (!id.startsWith(base)) continue
        const [head, ...rest] = id.slice(base.length).split('/')
        entries.set(head!, { name: head!, id: rest.length ? null : id })
      }
      const page = [...entries.values()].sort((a, b) => a.name.localeCompare(b.name)).slice(offset, offset + limit)
      res.writeHead(200, { 'content-type': 'application/json' })
      return res.end(JSON.stringify(page))
    }
    const m = /^\/storage\/v1\/object\/(?:(authenticated)\/)?([^/]+)(?:\/(.+))?$/.exec(url.pathname)
    if (!m) return fail(res, 404, '404', 'not_found', 'route not found')
    const [, authenticated, bucket, rawKey] = m
    if (!opts.buckets.includes(bucket!)) return fail(res, 400, '404', 'Bucket not found', 'Bucket not found')
    const key = rawKey ? decodeURIComponent(rawKey) : undefined
    if (req.method === 'POST' && key && !authenticated) {
      const id = `${bucket}/${key}`
      if (objects.has(id) && req.headers['x-upsert'] !== 'true')
        return fail(res, 400, '409', 'Duplicate', 'The resource already exists')
      objects.set(id, { bytes: body, contentType: String(req.headers['content-type'] ?? 'application/octet-stream') })
      res.writeHead(200, { 'content-type': 'application/json' })
      return res.end(JSON.stringify({ Key: id, Id: id }))
    }
    if (req.method === 'GET' && key && authenticated) {
      const o = objects.get(`${bucket}/${key}`)
      if (!o) return fail(res, 400, '404', 'not_found', 'Object not found')
      res.writeHead(200, { 'content-type': o.contentType, 'content-length': o.bytes.length })
      return res.end(o.bytes)
    }
    if (req.method === 'DELETE' && !key) {
      const { prefixes } = JSON.parse(body.toString() || '{}') as { prefixes?: string[] }
      if (!Array.isArray(prefixes)) return fail(res, 400, '400', 'Bad Request', 'prefixes required')
      const removed = prefixes
        .filter((p) => objects.delete(`${bucket}/${p}`))
        .map((name) => ({ name, bucket_id: bucket }))
      res.writeHead(200, { 'content-type': 'application/json' })
      return res.end(JSON.stringify(removed))
    }
    fail(res, 405, '405', 'method_not_allowed', 'method not allowed')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  return { url, objects, calls, close: () => new Promise<void>((r) => server.close(() => r())) }
}
