import { randomBytes } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { Request as ExpressRequest, Response as ExpressResponse, RequestHandler } from 'express'
import helmet from 'helmet'

/**
 * Browser-facing protections, in one place: response headers (a nonce-based Content-Security-Policy in production),
 * and the origin check every state-changing request and the live socket pass.
 */

/**
 * The request's script nonce; the document renders it on every script (app/entry.server.tsx). Development skips the
 * policy: Vite's client injects inline scripts and a websocket of its own.
 */
export function securityHeaders(opts: { production: boolean; https: boolean }): RequestHandler[] {
  const nonce: RequestHandler = (_req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString('base64')
    next()
  }
  const headers = helmet({
    contentSecurityPolicy: opts.production
      ? {
          useDefaults: false,
          directives: {
            defaultSrc: ["'self'"],
            scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as ExpressResponse).locals.cspNonce as string}'`],
            // React's style attributes and the charts' inline styles; styles cannot run code.
            styleSrc: ["'self'", "'unsafe-inline'"],
            imgSrc: ["'self'", 'data:', 'blob:'],
            mediaSrc: ["'self'", 'blob:'],
            fontSrc: ["'self'", 'data:'],
            // The live socket is same-origin; older browsers do not count ws: as 'self', so it is named.
            connectSrc: [
              "'self'",
              (req) => `${opts.https ? 'wss' : 'ws'}://${(req as IncomingMessage).headers.host ?? ''}`,
            ],
            objectSrc: ["'none'"],
            baseUri: ["'self'"],
            formAction: ["'self'"],
            frameAncestors: ["'none'"],
            ...(opts.https ? { upgradeInsecureRequests: [] } : {}),
          },
        }
      : false,
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    strictTransportSecurity: opts.https ? { maxAge: 365 * 24 * 3600, includeSubDomains: true } : false,
    xFrameOptions: { action: 'deny' },
  })
  const permissions: RequestHandler = (_req, res, next) => {
    // The microphone stays available to the app itself for voice notes; nothing else is used.
    res.setHeader(
      'permissions-policy',
      'camera=(), geolocation=(), microphone=(self), payment=(), usb=(), interest-cohort=()',
    )
    next()
  }
  return [nonce, headers, permissions]
}

/**
 * Whether a browser request comes from one of our own pages. Browsers send Origin on every cross-origin request, on
 * every POST and on websocket handshakes; a request without it is from a non-browser client, which carries no ambient
 * cookies to abuse. `Sec-Fetch-Site` backs it up for browsers that omit Origin.
 */
export function isSameOrigin(headers: IncomingMessage['headers'], allowed: Set<string>): boolean {
  const origin = headers.origin
  if (origin !== undefined) return allowed.has(origin)
  const site = headers['sec-fetch-site']
  return site === undefined || site === 'same-origin' || site === 'none'
}

/** Our own origins for a request: the configured public URL and the host the request was addressed to. */
function allowedOrigins(req: ExpressRequest | IncomingMessage, publicOrigin: string, protocol: string): Set<string> {
  const host = req.headers.host
  return new Set([publicOrigin, ...(host ? [`${protocol}://${host}`] : [])])
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** Paths whose callers authenticate with an API key and never with cookies (the public API, decision 017; MCP). */
export const API_KEY_PATHS = ['/api/v1/', '/mcp']

/**
 * A request to a key-authenticated path that carries a key and no cookies: nothing ambient rides on it (a page on
 * another site cannot make a browser attach a key), so where it comes from does not matter. With cookies it gets
 * the usual check, so no cookie-borne request skips it.
 */
export function isApiKeyRequest(req: { path: string; headers: IncomingMessage['headers'] }): boolean {
  if (!API_KEY_PATHS.some((p) => req.path.startsWith(p))) return false
  if (req.headers.cookie !== undefined) return false
  return /^Bearer\s+imp_/i.test(req.headers.authorization ?? '') || req.headers['x-api-key'] !== undefined
}

/**
 * Cross-site request forgery, refused before anything runs: a state-changing request from another origin gets a 403
 * (Remix's own check would throw a 500, and tRPC has none). Webhooks are server-to-server and signed, so exempt; so
 * are API-key requests without cookies (above).
 */
export function originGuard(publicOrigin: string): RequestHandler {
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method) || req.path.startsWith('/webhooks/') || isApiKeyRequest(req)) return next()
    if (isSameOrigin(req.headers, allowedOrigins(req, publicOrigin, req.protocol))) return next()
    res.status(403).json({ error: 'cross_origin_request', message: 'errors.forbidden' })
  }
}
