import type { Request as ExpressRequest } from 'express'
import { Readable } from 'node:stream'

/** Express request → Fetch Request, so auth and tRPC see the same object Remix does. */
export function toFetchRequest(req: ExpressRequest, opts: { body?: boolean } = {}): Request {
  const origin = `${req.protocol}://${req.get('host') ?? 'localhost'}`
  const headers = new Headers()
  for (const [k, v] of Object.entries(req.headers)) {
    if (Array.isArray(v)) v.forEach((x) => headers.append(k, x))
    else if (v !== undefined) headers.set(k, v)
  }
  const init: RequestInit & { duplex?: 'half' } = { method: req.method, headers }
  // Routes that read the body themselves (uploads) take only the headers, leaving the stream unread.
  if (req.method !== 'GET' && req.method !== 'HEAD' && opts.body !== false) {
    init.body = Readable.toWeb(req) as unknown as ReadableStream
    init.duplex = 'half'
  }
  return new Request(new URL(req.originalUrl, origin), init)
}
