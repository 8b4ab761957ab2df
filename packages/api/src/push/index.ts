import { createECDH } from 'node:crypto'
import type { Agent } from 'node:https'
import webpush from 'web-push'

/**
 * Web push (decision 035): members' browsers subscribe with their push service (FCM for Chrome and Android, Mozilla's
 * for Firefox, Apple's for Safari and installed iOS apps), and the worker sends each notification there, encrypted to
 * the browser's keys (RFC 8291) and signed with our VAPID key (RFC 8292), through the `web-push` library.
 */

export interface PushSettings {
  publicKey: string
  privateKey: string
  subject: string
  /** Origins a subscription's endpoint may point at besides the browsers' own push services. */
  extraServices: string[]
}

/** The push services of the browsers we support. An endpoint anywhere else is refused (the worker would POST to it). */
const BROWSER_PUSH_HOSTS = [
  /^fcm\.googleapis\.com$/,
  /^android\.googleapis\.com$/,
  /^updates\.push\.services\.mozilla\.com$/,
  /^web\.push\.apple\.com$/,
  /^[a-z0-9-]+\.push\.apple\.com$/,
  /^[a-z0-9-]+\.notify\.windows\.com$/,
]

/** From the parsed env (each app's edge): null when no VAPID key is configured, an error when half of one is. */
export function pushSettings(env: {
  VAPID_PUBLIC_KEY?: string
  VAPID_PRIVATE_KEY?: string
  VAPID_SUBJECT: string
  PUSH_EXTRA_SERVICES: string[]
}): PushSettings | null {
  if (!env.VAPID_PUBLIC_KEY && !env.VAPID_PRIVATE_KEY) return null
  if (!env.VAPID_PUBLIC_KEY || !env.VAPID_PRIVATE_KEY)
    throw new Error('VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY go together (or neither: no web push)')
  return {
    publicKey: env.VAPID_PUBLIC_KEY,
    privateKey: env.VAPID_PRIVATE_KEY,
    subject: env.VAPID_SUBJECT,
    extraServices: env.PUSH_EXTRA_SERVICES,
  }
}

/** A new VAPID key pair (P-256), base64url as browsers and push services take them. */
export function generateVapidKeys(): { publicKey: string; privateKey: string } {
  const ecdh = createECDH('prime256v1')
  ecdh.generateKeys()
  return {
    publicKey: ecdh.getPublicKey().toString('base64url'),
    // A private scalar with leading zero bytes comes out shorter; VAPID takes exactly 32.
    privateKey: Buffer.from(ecdh.getPrivateKey().toString('hex').padStart(64, '0'), 'hex').toString('base64url'),
  }
}

/** Whether a subscription may name this endpoint: https at a browser's push service, or one the install allows. */
export function pushEndpointAllowed(endpoint: string, settings: Pick<PushSettings, 'extraServices'>): boolean {
  if (!URL.canParse(endpoint)) return false
  const url = new URL(endpoint)
  if (settings.extraServices.includes(url.origin)) return true
  return url.protocol === 'https:' && !url.port && BROWSER_PUSH_HOSTS.some((h) => h.test(url.hostname))
}

export interface PushTarget {
  endpoint: string
  p256dh: string
  auth: string
}

export interface PushMessage {
  title: string
  body: string
  /** Path in the app the notification opens. */
  url: string
  /** A later push with the same tag replaces this one on the device (a conversation's next message, a retry). */
  tag: string
}

/** What became of one push: delivered to the push service, the subscription is gone for good, or try again later. */
export type PushOutcome = { kind: 'sent' } | { kind: 'gone' } | { kind: 'refused'; status: number } | { kind: 'retry' }

export interface PushSender {
  send(target: PushTarget, message: PushMessage, opts: { ttlSeconds: number; urgent: boolean }): Promise<PushOutcome>
}

/** The real sender: `web-push` encrypts and signs, and speaks to whichever push service the endpoint names. */
export function webPushSender(settings: PushSettings, opts: { timeoutMs?: number; agent?: Agent } = {}): PushSender {
  return {
    async send(target, message, { ttlSeconds, urgent }) {
      if (!pushEndpointAllowed(target.endpoint, settings)) return { kind: 'gone' }
      try {
        await webpush.sendNotification(
          { endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } },
          JSON.stringify(message),
          {
            vapidDetails: { subject: settings.subject, publicKey: settings.publicKey, privateKey: settings.privateKey },
            TTL: ttlSeconds,
            urgency: urgent ? 'high' : 'normal',
            timeout: opts.timeoutMs ?? 10_000,
            contentEncoding: 'aes128gcm',
            ...(opts.agent ? { agent: opts.agent } : {}),
          },
        )
        return { kind: 'sent' }
      } catch (e) {
        const status = (e as { statusCode?: number }).statusCode
        // 404/410: the browser unsubscribed or the subscription expired; the push service will never take it again.
        if (status === 404 || status === 410) return { kind: 'gone' }
        // 429 and 5xx (and no answer at all) pass; anything else is about this request and would fail again.
        if (status === undefined || status === 429 || status >= 500) return { kind: 'retry' }
        return { kind: 'refused', status }
      }
    },
  }
}
