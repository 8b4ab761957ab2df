import { randomUUID } from 'node:crypto'
import { Readable } from 'node:stream'
import { pendingMigrations } from '@impera/db/migrate'
import { createRequestHandler, type ServerBuild } from '@remix-run/node'
import { fetchRequestHandler } from '@trpc/server/adapters/fetch'
import { appRouter, createContext } from '@impera/api'
import compression from 'compression'
import express, { type Response as ExpressResponse } from 'express'
import type { DbHandle } from '@impera/db'
import type { WebApp } from './app'
import { bodyTooLarge, toFetchRequest } from './fetch-request'
import { mountMedia, UPLOAD_MAX_BYTES } from './media'
import { withClientErrors } from './remix-errors'
import { mountPublicApi } from './public-api'
import { originGuard, securityHeaders } from './security'
import { mountMcp } from './mcp'
import { mountWebhooks } from './webhooks'

const MAX_BODY_BYTES = 1024 * 1024
/** Meta's webhook batches reach about 3 MB. */
const WEBHOOK_MAX_BYTES = 4 * 1024 * 1024

export interface HttpOptions {
  app: WebApp
  sql: DbHandle['sql']
  /** Production: the built server; development: a loader through Vite. */
  build: () => Promise<ServerBuild>
  mode: 'production' | 'development'
  trustProxy: boolean
  /** Mounted before Remix (Vite's dev middlewares, or static assets). */
  before?: (server: express.Express) => void
}

/** tRPC calls per batched request: each runs in its own transaction, so a batch is as costly as its calls. */
export const MAX_BATCH_SIZE = 10

async function sendFetchResponse(res: ExpressResponse, response: Response, extra?: Headers) {
  // A body that passed its limit was already answered; whatever the handler made of the broken stream is dropped.
  if (res.headersSent) return void (await response.body?.cancel())
  const limit = bodyTooLarge(res)
  if (limit !== null) {
    await response.body?.cancel()
    return void res.status(413).json({ error: 'payload_too_large', limit })
  }
  res.status(response.status)
  // Pages and API answers carry someone's data: never kept by a shared cache or the back-forward history on disk.
  if (!response.headers.has('cache-control')) res.setHeader('cache-control', 'private, no-store')
  const setCookies = [...response.headers.getSetCookie(), ...(extra?.getSetCookie() ?? [])]
  response.headers.forEach((v, k) => k !== 'set-cookie' && res.append(k, v))
  extra?.forEach((v, k) => k !== 'set-cookie' && res.setHeader(k, v))
  if (setCookies.length) res.setHeader('set-cookie', setCookies)
  if (!response.body) return void res.end()
  Readable.fromWeb(response.body as never).pipe(res)
}

/**
 * One Node HTTP server: health checks, tRPC at /api/trpc, then Remix for everything else. Every request gets a
 * request id (echoed as x-request-id) and a child logger.
 */
export function createHttpApp(opts: HttpOptions) {
  const { app } = opts
  const server = express()
  server.disable('x-powered-by')
  server.set('trust proxy', opts.trustProxy)
  // Pages and API answers are compressed on every request, so at zlib's fastest level (nginx's default): on a 150 kB
  // page, 15 % larger than the default level for a third of its CPU (1.7 ms instead of 4.7 ms). Under the mixed load
  // run, compression was a tenth of the server's time. Built assets keep the default level.
  server.use(
    compression({
      level: 1,
      filter: (req, res) => !req.path.startsWith('/assets/') && compression.filter(req, res),
    }),
  )
  server.use('/assets', compression())
  server.use((req, res, next) => {
    const id = (req.get('x-request-id') ?? '').slice(0, 64) || randomUUID()
    res.locals.requestId = id
    res.setHeader('x-request-id', id)
    // The client address as the server trusts it, handed to auth (rate limits, session list) in a header we own.
    req.headers['x-impera-client-ip'] = req.ip ?? ''
    const start = performance.now()
    res.on('finish', () => {
      if (req.path.startsWith('/assets/')) return
      app.log.info(
        {
          requestId: id,
          method: req.method,
          path: req.path,
          status: res.statusCode,
          ms: Math.round(performance.now() - start),
        },
        'request',
      )
    })
    next()
  })

  server.use(securityHeaders({ production: opts.mode === 'production', https: app.env.origin.startsWith('https:') }))
  server.use(originGuard(app.env.origin))

  // Forms and API calls are small; refuse oversized bodies before anything parses them. Photo uploads have their own,
  // larger limit (and the multipart reader enforces the size per file). A declared length is refused up front; a
  // chunked body is counted as it streams (limitedBody) and cut off at the same limit.
  server.use((req, res, next) => {
    const limit = req.path.startsWith('/uploads/')
      ? UPLOAD_MAX_BYTES
      : req.path.startsWith('/webhooks/')
        ? WEBHOOK_MAX_BYTES
        : MAX_BODY_BYTES
    const length = Number(req.get('content-length') ?? 0)
    if (length > limit) return void res.status(413).json({ error: 'payload_too_large', limit })
    res.locals.bodyLimit = limit
    next()
  })

  server.get('/healthz', (_req, res) => void res.json({ ok: true }))
  server.get('/favicon.ico', (_req, res) => res.redirect(301, '/favicon.svg'))
  server.get('/readyz', async (_req, res) => {
    try {
      await opts.sql`select 1`
      const pending = await pendingMigrations(opts.sql)
      if (pending > 0) return void res.status(503).json({ ok: false, database: 'up', pendingMigrations: pending })
      res.json({ ok: true, database: 'up', pendingMigrations: 0 })
    } catch (e) {
      app.log.error({ err: e }, 'readiness check failed')
      res.status(503).json({ ok: false, database: 'down' })
    }
  })

  server.all('/api/trpc/*', async (req, res) => {
    const request = toFetchRequest(req, res)
    const scope = app.scope(request, res.locals.requestId as string)
    const identity = await scope.identity()
    const response = await fetchRequestHandler({
      endpoint: '/api/trpc',
      req: request,
      router: appRouter,
      maxBatchSize: MAX_BATCH_SIZE,
      createContext: () =>
        createContext({
          db: app.db,
          auth: app.auth,
          identity,
          unverifiedAgencyId: scope.agencyId,
          request,
          requestId: scope.requestId,
          ip: scope.ip,
          log: app.log.child({ requestId: scope.requestId }),
          urls: { origin: app.env.origin },
          secrets: app.secrets,
          whatsappGraph: app.whatsapp,
          webhookTargets: app.webhookTargets,
          push: app.push,
        }),
      onError: ({ error, path }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR')
          app.log.error({ err: error, path, requestId: scope.requestId }, 'trpc error')
      },
    })
    await sendFetchResponse(res, response, scope.headers)
  })

  mountMedia(server, app, app.storage)
  mountWebhooks(server, app)
  mountPublicApi(server, app)
  mountMcp(server, app)

  opts.before?.(server)

  server.all('*', async (req, res, next) => {
    try {
      const build = withClientErrors(await opts.build())
      const handler = createRequestHandler(build, opts.mode)
      const request = toFetchRequest(req, res)
      const scope = app.scope(request, res.locals.requestId as string, res.locals.cspNonce as string)
      const response = await handler(request, { app, scope })
      await sendFetchResponse(res, response, scope.headers)
    } catch (e) {
      next(e)
    }
  })
  // Express's own failures (a path that does not decode, a body that does not parse) are the client's when they carry a
  // 4xx status: answered without a stack in the log. Anything else is ours: logged, and a 500 without detail.
  server.use(
    (
      err: { status?: unknown; statusCode?: unknown },
      _req: express.Request,
      res: ExpressResponse,
      _next: express.NextFunction,
    ) => {
      const declared = Number(err.status ?? err.statusCode)
      const status = declared >= 400 && declared < 500 ? declared : 500
      if (status === 500) app.log.error({ err, requestId: res.locals.requestId }, 'request failed')
      if (res.headersSent) return void res.end()
      res
        .status(status)
        .json({ error: status === 500 ? 'internal_error' : status === 413 ? 'payload_too_large' : 'bad_request' })
    },
  )
  return server
}
