import { createHmac, randomBytes } from 'node:crypto'

/**
 * Standard Webhooks signing (decision 018): a secret is `whsec_` + base64 of 32 random bytes; a signature is
 * `v1,` + base64(HMAC-SHA256(secret bytes, `${id}.${timestamp}.${body}`)) over the exact bytes sent, and the
 * `webhook-signature` header lists one per secret in use, space-separated (two while a rotated-out secret still signs).
 */

const PREFIX = 'whsec_'

export function newWebhookSecret(): string {
  return PREFIX + randomBytes(32).toString('base64')
}

function secretBytes(secret: string): Buffer {
  return Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64')
}

export function signWebhook(secret: string, id: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', secretBytes(secret)).update(`${id}.${timestampSeconds}.${body}`).digest('base64')
  return `v1,${mac}`
}

/** The three Standard Webhooks headers for one attempt, signed with every secret given (current first). */
export function webhookHeaders(
  secrets: string[],
  id: string,
  body: string,
  now: Date = new Date(),
): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> {
  const ts = Math.floor(now.getTime() / 1000)
  return {
    'webhook-id': id,
    'webhook-timestamp': String(ts),
    'webhook-signature': secrets.map((s) => signWebhook(s, id, ts, body)).join(' '),
  }
}

/** The `webhook-id` of an event: its row id without dashes, after `msg_` (no dots, as the signature scheme needs). */
export function webhookMessageId(eventId: string): string {
  return `msg_${eventId.replace(/-/g, '')}`
}
