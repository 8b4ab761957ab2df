import http from 'node:http'
import https from 'node:https'
import { cleanText } from '../schemas/common'
import { guardedLookup, isAllowedAddress, literalAddress, TargetRefusedError, type TargetPolicy } from './targets'

/**
 * One HTTP attempt of a webhook (decision 018): a POST of the exact signed bytes, 15 s to answer, redirects never
 * followed (a 3xx is a failure that shows where it pointed, so the owner can fix the URL), every address the host
 * resolves to checked against the target policy at connection time.
 */
export interface AttemptResult {
  ok: boolean
  /** The HTTP status, when there was an answer. */
  status: number | null
  latencyMs: number
  /** The start of the answer's body (or where a redirect pointed), cleaned, for the delivery log. */
  excerpt: string | null
  /** Why there was no usable answer: 'timeout', 'connection', 'refused_target', 'redirect', 'http'. */
  error: 'timeout' | 'connection' | 'refused_target' | 'redirect' | 'http' | null
  /** From a Retry-After header, in ms. */
  retryAfterMs: number | null
  /** The answer's body (its first 64 KiB), when the caller reads it (`readBody`): a language model's completion. */
  body?: string
}

export const ATTEMPT_TIMEOUT_MS = 15_000
const EXCERPT_CHARS = 500
const READ_LIMIT = 64 * 1024

// Kept-alive connections per origin (a busy endpoint is not re-handshaken for every event). A reused socket was
// opened through the guarded lookup like any other.
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 16 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 16 }),
}

function parseRetryAfter(value: string | undefined, now: number): number | null {
  if (!value) return null
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000
  const at = Date.parse(value)
  return Number.isNaN(at) ? null : Math.max(0, at - now)
}

// eslint-disable-next-line no-control-regex -- control characters make the log unreadable
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g

function excerptOf(text: string): string | null {
  const cleaned = cleanText(text).replace(CONTROL, '').trim()
  return cleaned ? cleaned.slice(0, EXCERPT_CHARS) : null
}

export async function postWebhook(opts: {
  url: string
  body: string
  headers: Record<string, string>
  policy: TargetPolicy
  timeoutMs?: number
  /** The same guarded POST serves the AI agent's language model (decision 021), whose answer is the point. */
  readBody?: boolean
  userAgent?: string
}): Promise<AttemptResult> {
  const started = performance.now()
  const done = (r: Omit<AttemptResult, 'latencyMs'>): AttemptResult => ({
    ...r,
    latencyMs: Math.round(performance.now() - started),
  })
  let url: URL
  try {
    url = new URL(opts.url)
  } catch {
    return done({ ok: false, status: null, excerpt: null, error: 'connection', retryAfterMs: null })
  }
  const literal = literalAddress(url)
  if (literal && !isAllowedAddress(literal, opts.policy))
    return done({ ok: false, status: null, excerpt: literal, error: 'refused_target', retryAfterMs: null })
  const attempt = () =>
    new Promise<AttemptResult & { reused?: boolean; reset?: boolean }>((resolve) => {
      const client = url.protocol === 'https:' ? https : http
      const req = client.request(url, {
        method: 'POST',
        agent: agents[url.protocol as 'http:' | 'https:'],
        lookup: guardedLookup(opts.policy) as never,
        headers: {
          ...opts.headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(opts.body)),
          'user-agent': opts.userAgent ?? 'Impera-Webhooks/1',
        },
      })
      const timer = setTimeout(() => req.destroy(new Error('timeout')), opts.timeoutMs ?? ATTEMPT_TIMEOUT_MS)
      req.on('response', (res) => {
        const status = res.statusCode ?? 0
        const chunks: Buffer[] = []
        let size = 0
        res.on('data', (c: Buffer) => {
          if (size < READ_LIMIT) chunks.push(c)
          size += c.length
          // A huge answer is not read to its end: the connection goes instead.
          if (size > READ_LIMIT * 16) res.destroy()
        })
        const finish = () => {
          clearTimeout(timer)
          const text = Buffer.concat(chunks).toString('utf8')
          const redirect = status >= 300 && status < 400
          resolve(
            done({
              ok: status >= 200 && status < 300,
              status,
              excerpt: redirect ? excerptOf(`→ ${res.headers.location ?? ''}`) : excerptOf(text),
              error: status >= 200 && status < 300 ? null : redirect ? 'redirect' : 'http',
              retryAfterMs: parseRetryAfter(res.headers['retry-after'], Date.now()),
              ...(opts.readBody ? { body: text } : {}),
            }),
          )
        }
        res.on('end', finish)
        res.on('close', () => res.complete || finish())
        res.on('error', () => undefined)
      })
      req.on('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer)
        const refused = e instanceof TargetRefusedError || e.code === 'ERR_WEBHOOK_TARGET_REFUSED'
        resolve({
          ...done({
            ok: false,
            status: null,
            excerpt: refused ? (e as TargetRefusedError).address : excerptOf(e.code ?? e.message),
            error: refused ? 'refused_target' : e.message === 'timeout' ? 'timeout' : 'connection',
            retryAfterMs: null,
          }),
          reused: req.reusedSocket,
          reset: e.code === 'ECONNRESET' || e.code === 'EPIPE',
        })
      })
      req.end(opts.body)
    })
  const first = await attempt()
  // A kept-alive socket the server had just closed: the request never reached it, so it goes again on a new one.
  if (first.reused && first.reset) return strip(await attempt())
  return strip(first)
}

function strip(r: AttemptResult & { reused?: boolean; reset?: boolean }): AttemptResult {
  const { reused: _r, reset: _s, ...rest } = r
  return rest
}

/**
 * The retry schedule (Standard Webhooks' example): after a failed attempt n, the next one waits `retryDelays[n-1]`,
 * ±20 % jitter, or longer if the endpoint asked (Retry-After, up to a day). Ten attempts over about three days; when
 * the last fails, the delivery is given up and the endpoint disabled.
 */
export const retryDelays = [
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3600_000,
  5 * 3600_000,
  10 * 3600_000,
  14 * 3600_000,
  20 * 3600_000,
  24 * 3600_000,
] as const
export const MAX_ATTEMPTS = retryDelays.length + 1

/** When to try again after `attempts` failed attempts, or null when they are spent. */
export function nextAttemptDelay(attempts: number, retryAfterMs: number | null, random = Math.random): number | null {
  const base = retryDelays[attempts - 1]
  if (base === undefined) return null
  const jittered = Math.round(base * (0.8 + 0.4 * random()))
  return retryAfterMs ? Math.max(jittered, Math.min(retryAfterMs, 24 * 3600_000)) : jittered
}
