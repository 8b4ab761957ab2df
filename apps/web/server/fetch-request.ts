import type { Request as ExpressRequest, Response as ExpressResponse } from 'express'
import { Readable, Transform } from 'node:stream'

/** Thrown into a body stream that passed its limit; the response becomes a 413 (see `bodyTooLarge`). */
class PayloadTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`body over ${limit} bytes`)
  }
}

/**
 * The request body, counted while it streams: a chunked body has no Content-Length to check up front, so the bytes
 * themselves are counted and the stream fails once they pass `limit` (set per path by the server's limit middleware).
 * Every reader of a body (tRPC, Remix actions, uploads) goes through this.
 */
export function limitedBody(req: ExpressRequest, res: ExpressResponse): Readable {
  const existing = res.locals.limitedBody as Readable | undefined
  if (existing) return existing
  const limit = (res.locals.bodyLimit as number | undefined) ?? Number.POSITIVE_INFINITY
  let seen = 0
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length
      if (seen > limit) {
        res.locals.bodyTooLarge = limit
        discardRest(req)
        return done(new PayloadTooLargeError(limit))
      }
      done(null, chunk)
    },
  })
  req.on('error', (e) => counter.destroy(e))
  req.pipe(counter)
  res.locals.limitedBody = counter
  return counter
}

/** What is read and thrown away after a body passes its limit, so the client sees the 413 rather than a reset. */
const DISCARD_MAX_BYTES = 16 * 1024 * 1024

/**
 * The rest of an oversized body is never buffered: it is read and dropped, so a client still sending can read the
 * answer; past DISCARD_MAX_BYTES the connection is cut instead.
 */
function discardRest(req: ExpressRequest) {
  req.unpipe()
  let discarded = 0
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length
    if (discarded > DISCARD_MAX_BYTES) req.destroy()
  })
  req.resume()
}

/** The limit an oversized body passed, once its stream failed for it. */
export function bodyTooLarge(res: ExpressResponse): number | null {
  return (res.locals.bodyTooLarge as number | undefined) ?? null
}

/** Express request → Fetch Request, so auth and tRPC see the same object Remix does. */
export function toFetchRequest(req: ExpressRequest, res: ExpressResponse, opts: { body?: boolean } = {}): Request {
  const origin = `${req.protocol}://${req.get('host') ?? 'localhost'}`
  const headers = new Headers()
  for (const [k, v] of Object.entries(req.headers)) {
    if (Array.isArray(v)) v.forEach((x) => headers.append(k, x))
    else if (v !== undefined) headers.set(k, v)
  }
  // Only a trusted proxy may say which host the browser saw; from anyone else the header is noise that would make
  // Remix's own origin check fail.
  if (!req.app.get('trust proxy')) headers.delete('x-forwarded-host')
  const init: RequestInit & { duplex?: 'half' } = { method: req.method, headers }
  // Routes that read the body themselves (uploads) take only the headers, leaving the stream unread.
  if (req.method !== 'GET' && req.method !== 'HEAD' && opts.body !== false) {
    init.body = Readable.toWeb(limitedBody(req, res)) as unknown as ReadableStream
    init.duplex = 'half'
  }
  return new Request(new URL(req.originalUrl, origin), init)
}
