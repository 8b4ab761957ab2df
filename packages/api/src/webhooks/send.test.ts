import { describe, expect, it } from 'vitest'
import { MAX_ATTEMPTS, nextAttemptDelay, retryDelays } from './send'
import { signWebhook, webhookHeaders, webhookMessageId } from './signing'

describe('webhook retries', () => {
  it('spans about three days over ten attempts, with ±20 % jitter', () => {
    expect(MAX_ATTEMPTS).toBe(10)
    const total = retryDelays.reduce((a, b) => a + b, 0)
    expect(total / 3600_000).toBeGreaterThan(70)
    expect(total / 3600_000).toBeLessThan(80)
    expect(nextAttemptDelay(1, null, () => 0)).toBe(4_000)
    expect(nextAttemptDelay(1, null, () => 1)).toBe(6_000)
    expect(nextAttemptDelay(9, null, () => 0.5)).toBe(24 * 3600_000)
    expect(nextAttemptDelay(10, null)).toBeNull()
  })

  it('waits longer when the endpoint asks (Retry-After), up to a day', () => {
    expect(nextAttemptDelay(1, 60_000, () => 0.5)).toBe(60_000)
    expect(nextAttemptDelay(1, 1_000, () => 0.5)).toBe(5_000)
    expect(nextAttemptDelay(1, 10 * 86_400_000, () => 0.5)).toBe(86_400_000)
  })
})

describe('webhook signatures', () => {
  it('signs id.timestamp.body with HMAC-SHA256, one v1 signature per secret', () => {
    // The Standard Webhooks specification's own example.
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
    const body = '{"test": 2432232314}'
    expect(signWebhook(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, body)).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    )
    const h = webhookHeaders([secret, secret], 'msg_x', body, new Date(1614265330_000))
    expect(h['webhook-timestamp']).toBe('1614265330')
    expect(h['webhook-signature'].split(' ')).toHaveLength(2)
    expect(webhookMessageId('0b2eb16d-e2c4-4590-bdbd-91c8fb4fb4f1')).toBe('msg_0b2eb16de2c44590bdbd91c8fb4fb4f1')
  })
})
