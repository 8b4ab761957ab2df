import { createECDH, createPublicKey, createDecipheriv, hkdfSync, randomBytes, randomUUID, verify } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import { tmpdir } from 'node:os'
import path from 'node:path'

/**
 * A stand-in for a browser's push service (what FCM, Mozilla's autopush and Apple's web push are to real browsers),
 * speaking the Web Push protocol as RFC 8030, 8291 and 8292 define it:
 * - `createSubscription()` plays the browser: a P-256 key pair and a 16-byte auth secret, and an endpoint here —
 *   the `PushSubscription.toJSON()` a page would post to the app.
 * - `POST /push/<id>` is the push resource: it demands `TTL`, `Content-Encoding: aes128gcm` and a VAPID
 *   `Authorization: vapid t=<JWT>, k=<key>` (ES256 signature checked against `k`, `aud` = this origin, `exp` within 24
 *   hours, a `sub`), then decrypts the body with the subscription's private key (RFC 8291) and keeps the plaintext.
 *   201 on success; 400/401/403 name what was wrong; 404 for an unknown endpoint and 410 for an unsubscribed one (the
 *   app must forget it); `fail()` scripts 429/5xx answers.
 * Tests read what arrived with `next()`/`received`, and a browser test hands the plaintext to the page's service worker
 * (the last hop a real push service makes over its own connection to the browser).
 *
 * Push services speak only HTTPS (`web-push` sends nothing else): the stand-in serves a certificate made for it at
 * start (OpenSSL), which the sender trusts through `ca` (an https.Agent in-process, NODE_EXTRA_CA_CERTS for a worker).
 */
export interface PushSubscriptionJson {
  endpoint: string
  expirationTime: null
  keys: { p256dh: string; auth: string }
}

export interface ReceivedPush {
  subscriptionId: string
  payload: string
  ttl: number
  urgency: string | null
  topic: string | null
  subject: string
  vapidKey: string
}

interface Device {
  ecdh: ReturnType<typeof createECDH>
  publicKey: Buffer
  auth: Buffer
  gone: boolean
}

const b64u = (b: Buffer) => b.toString('base64url')

function vapidProblem(authorization: string | undefined, origin: string): { subject: string; key: string } | string {
  const m = /^vapid\s+(.+)$/i.exec(authorization ?? '')
  if (!m) return 'missing vapid authorization'
  const params = new Map(
    m[1]!.split(',').map((p) => {
      const [k, ...v] = p.trim().split('=')
      return [k!.trim(), v.join('=').trim()] as const
    }),
  )
  const token = params.get('t')
  const key = params.get('k')
  if (!token || !key) return 'vapid t= and k= are required'
  const raw = Buffer.from(key, 'base64url')
  if (raw.length !== 65 || raw[0] !== 4) return 'k is not an uncompressed P-256 point'
  const parts = token.split('.')
  if (parts.length !== 3) return 'malformed JWT'
  let header: { alg?: string }
  let claims: { aud?: string; exp?: number; sub?: string }
  try {
    header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as typeof header
    claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as typeof claims
  } catch {
    return 'malformed JWT'
  }
  if (header.alg !== 'ES256') return 'JWT must be ES256'
  const jwk = { kty: 'EC', crv: 'P-256', x: b64u(raw.subarray(1, 33)), y: b64u(raw.subarray(33)) }
  const signed = verify(
    'sha256',
    Buffer.from(`${parts[0]}.${parts[1]}`),
    { key: createPublicKey({ key: jwk, format: 'jwk' }), dsaEncoding: 'ieee-p1363' },
    Buffer.from(parts[2]!, 'base64url'),
  )
  if (!signed) return 'bad JWT signature'
  if (claims.aud !== origin) return `aud must be ${origin}`
  const now = Math.floor(Date.now() / 1000)
  if (typeof claims.exp !== 'number' || claims.exp <= now || claims.exp > now + 24 * 3600) return 'exp out of range'
  if (!claims.sub || !/^(mailto:|https:)/.test(claims.sub)) return 'sub must be a mailto: or https: URL'
  return { subject: claims.sub, key }
}

/** RFC 8291 with RFC 8188's aes128gcm: the header carries salt, record size and the sender's ephemeral key. */
function decrypt(body: Buffer, device: Device): string {
  if (body.length < 21) throw new Error('body shorter than the aes128gcm header')
  const salt = body.subarray(0, 16)
  const rs = body.readUInt32BE(16)
  const idlen = body[20]!
  const senderKey = body.subarray(21, 21 + idlen)
  if (idlen !== 65) throw new Error('keyid must be the sender’s 65-byte public key')
  const ecdhSecret = device.ecdh.computeSecret(senderKey)
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), device.publicKey, senderKey])
  const ikm = Buffer.from(hkdfSync('sha256', ecdhSecret, device.auth, keyInfo, 32))
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16))
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12))
  const records = body.subarray(21 + idlen)
  if (records.length > rs) throw new Error('more than one record')
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce)
  decipher.setAuthTag(records.subarray(records.length - 16))
  const plain = Buffer.concat([decipher.update(records.subarray(0, records.length - 16)), decipher.final()])
  let end = plain.length - 1
  while (end >= 0 && plain[end] === 0) end--
  if (plain[end] !== 2) throw new Error('last record without its 0x02 delimiter')
  return plain.subarray(0, end).toString('utf8')
}

/** A throwaway self-signed certificate for 127.0.0.1, valid two days. */
function certificate(): { key: string; cert: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'impera-push-standin-'))
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2']
        .concat(['-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'])
        .concat(['-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')]),
      { stdio: 'ignore' },
    )
    return {
      key: readFileSync(path.join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(path.join(dir, 'cert.pem'), 'utf8'),
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export async function startPushStandIn() {
  const tls = certificate()
  const devices = new Map<string, Device>()
  const received: ReceivedPush[] = []
  const failures: { status: number; retryAfter?: string }[] = []
  const rejected: { status: number; reason: string }[] = []
  const waiters: ((p: ReceivedPush) => void)[] = []
  let origin = ''

  const answer = (res: http.ServerResponse, status: number, reason: string) => {
    rejected.push({ status, reason })
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ reason }))
  }

  const server = https.createServer(tls, (req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const m = /^\/push\/([\w-]+)$/.exec(req.url ?? '')
      if (req.method !== 'POST' || !m) return answer(res, 404, 'no such push resource')
      const id = m[1]!
      const device = devices.get(id)
      if (!device) return answer(res, 404, 'unknown subscription')
      if (device.gone) return answer(res, 410, 'unsubscribed')
      const failure = failures.shift()
      if (failure) {
        res.writeHead(failure.status, failure.retryAfter ? { 'retry-after': failure.retryAfter } : {}).end()
        return
      }
      const ttl = Number(req.headers.ttl)
      if (req.headers.ttl === undefined || !Number.isInteger(ttl) || ttl < 0) return answer(res, 400, 'TTL required')
      const vapid = vapidProblem(req.headers.authorization, origin)
      if (typeof vapid === 'string') return answer(res, 401, vapid)
      if (req.headers['content-encoding'] !== 'aes128gcm') return answer(res, 415, 'Content-Encoding must be aes128gcm')
      let payload: string
      try {
        payload = decrypt(Buffer.concat(chunks), device)
      } catch (e) {
        return answer(res, 400, `cannot decrypt: ${(e as Error).message}`)
      }
      const push: ReceivedPush = {
        subscriptionId: id,
        payload,
        ttl,
        urgency: (req.headers.urgency as string | undefined) ?? null,
        topic: (req.headers.topic as string | undefined) ?? null,
        subject: vapid.subject,
        vapidKey: vapid.key,
      }
      received.push(push)
      res.writeHead(201, { location: `${origin}/message/${randomUUID()}` }).end()
      for (const w of waiters.splice(0)) w(push)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  origin = `https://127.0.0.1:${port}`

  return {
    url: origin,
    /** The certificate to trust (PEM). */
    ca: tls.cert,
    received,
    rejected,
    /** A new "browser": its subscription as the page would post it. */
    createSubscription(): PushSubscriptionJson {
      const id = randomUUID()
      const ecdh = createECDH('prime256v1')
      ecdh.generateKeys()
      const device: Device = { ecdh, publicKey: ecdh.getPublicKey(), auth: randomBytes(16), gone: false }
      devices.set(id, device)
      return {
        endpoint: `${origin}/push/${id}`,
        expirationTime: null,
        keys: { p256dh: b64u(device.publicKey), auth: b64u(device.auth) },
      }
    },
    /** The browser dropped this subscription (the user blocked notifications): pushes now answer 410 Gone. */
    unsubscribe(endpoint: string) {
      const device = devices.get(endpoint.split('/').pop()!)
      if (device) device.gone = true
    },
    /** The next pushes answer this status instead of being accepted (429 with Retry-After, 500…). */
    fail(status: number, times = 1, retryAfter?: string) {
      for (let i = 0; i < times; i++) failures.push({ status, retryAfter })
    },
    /** The next push that arrives (or the first already received matching `match`). */
    next(match: (p: ReceivedPush) => boolean = () => true, timeoutMs = 20_000): Promise<ReceivedPush> {
      const already = received.find(match)
      if (already) return Promise.resolve(already)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no push arrived')), timeoutMs)
        const wait = (p: ReceivedPush) => {
          if (match(p)) {
            clearTimeout(timer)
            resolve(p)
          } else waiters.push(wait)
        }
        waiters.push(wait)
      })
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

export type PushStandIn = Awaited<ReturnType<typeof startPushStandIn>>

/**
 * The stand-in driven from another process (browser specs run apart from the global setup that starts the servers):
 * plain HTTP on 127.0.0.1 — `POST /subscriptions` makes a "browser" subscription, `GET /received?subscription=<id>`
 * lists what arrived for it, decrypted.
 */
export async function startPushControl(service: PushStandIn) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://control')
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    if (req.method === 'POST' && url.pathname === '/subscriptions') return json(201, service.createSubscription())
    if (req.method === 'GET' && url.pathname === '/received') {
      const id = url.searchParams.get('subscription')
      return json(
        200,
        service.received.filter((p) => !id || p.subscriptionId === id),
      )
    }
    json(404, { reason: 'unknown control route' })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
