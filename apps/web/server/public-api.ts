import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { createPublicApi } from '@impera/api/public-api'
import type { Express } from 'express'
import { clientIp, sendApiResponse } from './api-auth'
import type { WebApp } from './app'
import { bodyTooLarge, toFetchRequest } from './fetch-request'

/**
 * The public REST API (`/api/v1`, decision 017) and its reference page (`/api/docs`). The API itself — routes, keys,
 * rate limits, idempotency, problems, the OpenAPI document — lives in `@impera/api/public-api`; this mounts it on the
 * web server, after the security headers, the origin guard (which lets key-carrying requests without cookies through)
 * and the body limits.
 */

/** Every /api path but tRPC's: /api/v1/…, and unknown versions, which get a 404 problem rather than a page. */
const API_PATHS = /^\/api(?!\/trpc(?:\/|$))(?:\/.*)?$/

let scalarBundle: Buffer | null = null
/** Scalar's standalone bundle, served from our own origin (no CDN): the reference page's only script besides ours. */
function scalar(): Buffer {
  const entry = createRequire(import.meta.url).resolve('@scalar/api-reference')
  return (scalarBundle ??= readFileSync(path.join(path.dirname(entry), 'browser/standalone.js')))
}

/**
 * The reference page loads two same-origin scripts and no inline code, so it runs under the app's production policy
 * unchanged (`script-src 'self' 'nonce-…'`, `style-src 'self' 'unsafe-inline'`, `connect-src 'self'`). Scalar's
 * default web fonts live on its CDN, so they are turned off (the page uses the system's fonts), and "Try it" sends
 * requests to this server directly, not through Scalar's proxy.
 */
// The element is not `#api-reference`: Scalar's bundle mounts one of that id by itself, with its defaults, at load.
const docsPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Impera CRM — API reference</title>
<link rel="icon" href="/favicon.svg">
</head>
<body>
<div id="impera-api-reference"></div>
<script src="/api/docs/scalar.js"></script>
<script src="/api/docs/init.js"></script>
</body>
</html>
`

const docsInit = `Scalar.createApiReference('#impera-api-reference', {
  url: '/api/v1/openapi.json',
  withDefaultFonts: false,
  hideClientButton: false,
  telemetry: false,
  agent: { disabled: true },
  authentication: { preferredSecurityScheme: 'apiKey' },
})
`

export function mountPublicApi(server: Express, app: WebApp) {
  const { db, storage, log, secrets, webhookTargets } = app
  const api = createPublicApi({ db, storage, log, secrets, webhookTargets })

  server.get('/api/docs', (_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8')
    res.setHeader('cache-control', 'no-cache')
    res.end(docsPage)
  })
  server.get('/api/docs/init.js', (_req, res) => {
    res.setHeader('content-type', 'text/javascript; charset=utf-8')
    res.setHeader('cache-control', 'no-cache')
    res.end(docsInit)
  })
  server.get('/api/docs/scalar.js', (_req, res) => {
    res.setHeader('content-type', 'text/javascript; charset=utf-8')
    res.setHeader('cache-control', 'public, max-age=86400')
    res.end(scalar())
  })

  server.all(API_PATHS, async (req, res, next) => {
    try {
      const request = toFetchRequest(req, res)
      const response = await api.handle(request, {
        ip: clientIp(req),
        requestId: res.locals.requestId as string,
        bodyTooLarge: () => bodyTooLarge(res),
      })
      await sendApiResponse(res, response, request)
    } catch (e) {
      next(e)
    }
  })
}
