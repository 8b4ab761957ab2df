import { sql } from '@impera/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LOCAL_SESSION_COOKIE } from '../src/auth/local'
import { loginThrottleRules } from '../src/auth/rate-limit'
import { describeError } from '../src/error-shape'
import { buildWorld, outcome, PASSWORD, queuedPayloads, type World } from './harness'

let w: World
beforeAll(async () => {
  w = await buildWorld()
})
afterAll(() => w.t.close())

const cookieFrom = (headers: Headers) => headers.get('set-cookie')!.split(';')[0]!
const withCookie = (cookie: string, ip = '127.0.0.1') =>
  new Request('http://localhost/', { headers: { cookie, 'x-test-ip': ip } })

async function queuedEmails(to: string) {
  return (await queuedPayloads<{ to: string; subject: string; text: string }>(w.t, 'email:send')).filter(
    (m) => m.to === to,
  )
}

describe('local sign-in and sessions', () => {
  it('signs in with the right password and resolves the identity from the signed cookie', async () => {
    const r = await w.auth.signIn(w.request(), { email: w.b.agent.email.toUpperCase(), password: PASSWORD })
    expect(r.ok).toBe(true)
    const setCookie = r.headers.get('set-cookie')!
    expect(setCookie).toMatch(/HttpOnly/i)
    expect(setCookie).toMatch(/SameSite=Lax/i)
    const { identity } = await w.auth.getIdentity(withCookie(cookieFrom(r.headers)))
    expect(identity?.userId).toBe(w.b.agent.userId)
  })

  it('gives the same answer for a wrong password and an unknown account', async () => {
    const wrong = await w.auth.signIn(w.request({ 'x-test-ip': '10.0.0.2' }), {
      email: w.b.agent.email,
      password: 'wrong password',
    })
    const unknown = await w.auth.signIn(w.request({ 'x-test-ip': '10.0.0.2' }), {
      email: 'nobody@example.test',
      password: 'wrong password',
    })
    expect(wrong).toMatchObject({ ok: false, reason: 'invalid_credentials' })
    expect(unknown).toMatchObject({ ok: false, reason: 'invalid_credentials' })
  })

  it('rejects a tampered cookie', async () => {
    const r = await w.auth.signIn(w.request(), { email: w.b.agent.email, password: PASSWORD })
    const cookie = cookieFrom(r.headers)
    const [name, value] = cookie.split('=') as [string, string]
    // One character changed, whatever it was (an 'x' replaced by 'x' is no tampering).
    const swapped = value[5] === 'x' ? 'y' : 'x'
    const tampered = `${name}=${value.slice(0, 5)}${swapped}${value.slice(6)}`
    expect((await w.auth.getIdentity(withCookie(tampered))).identity).toBeNull()
    expect((await w.auth.getIdentity(withCookie(`${LOCAL_SESSION_COOKIE}=garbage`))).identity).toBeNull()
  })

  it('sign-out revokes the session server-side, not just the cookie', async () => {
    const r = await w.auth.signIn(w.request(), { email: w.b.agent.email, password: PASSWORD })
    const cookie = cookieFrom(r.headers)
    await w.auth.signOut(withCookie(cookie))
    expect((await w.auth.getIdentity(withCookie(cookie))).identity).toBeNull()
  })

  it('log out everywhere revokes every session of the user', async () => {
    const one = cookieFrom((await w.auth.signIn(w.request(), { email: w.b.manager.email, password: PASSWORD })).headers)
    const two = cookieFrom((await w.auth.signIn(w.request(), { email: w.b.manager.email, password: PASSWORD })).headers)
    const { identity } = await w.auth.getIdentity(withCookie(one))
    await w.auth.signOutEverywhere(withCookie(one), identity!)
    expect((await w.auth.getIdentity(withCookie(one))).identity).toBeNull()
    expect((await w.auth.getIdentity(withCookie(two))).identity).toBeNull()
  })

  it('throttles failures per e-mail and address with a growing wait; a success clears it', async () => {
    const ip = '10.9.9.9'
    const req = () => w.request({ 'x-test-ip': ip })
    const results = []
    for (let i = 0; i < loginThrottleRules.freeFailures + 1; i++)
      results.push(await w.auth.signIn(req(), { email: w.a.agent.email, password: 'nope nope' }))
    expect(results.every((r) => !r.ok && r.reason === 'invalid_credentials')).toBe(true)
    // Past the free tries, even the right password waits (1 s now, doubling with each failure)…
    expect(await w.auth.signIn(req(), { email: w.a.agent.email, password: PASSWORD })).toMatchObject({
      ok: false,
      reason: 'rate_limited',
      retryAfterSeconds: 1,
    })
    // …another address is unaffected…
    expect(
      (await w.auth.signIn(w.request({ 'x-test-ip': '10.9.9.10' }), { email: w.a.agent.email, password: PASSWORD })).ok,
    ).toBe(true)
    // …and once the wait has passed, the right password gets in and clears the count.
    await age(`pair:${w.a.agent.email}|${ip}`, 2)
    expect((await w.auth.signIn(req(), { email: w.a.agent.email, password: PASSWORD })).ok).toBe(true)
    expect(await w.auth.signIn(req(), { email: w.a.agent.email, password: 'nope nope' })).toMatchObject({
      reason: 'invalid_credentials',
    })
  })

  it('never counts successful sign-ins (a busy office behind one address)', async () => {
    const req = () => w.request({ 'x-test-ip': '10.7.7.7' })
    for (let i = 0; i < 60; i++)
      expect((await w.auth.signIn(req(), { email: w.b.agent.email, password: PASSWORD })).ok).toBe(true)
  })

  it('an e-mail under attack from many addresses: the owner from a new address passes after a short wait', async () => {
    const email = w.b.manager.email
    for (let i = 0; i < loginThrottleRules.emailFailures; i++) {
      expect(
        await w.auth.signIn(w.request({ 'x-test-ip': `10.66.0.${i}` }), { email, password: 'guess guess' }),
      ).toMatchObject({ reason: 'invalid_credentials' })
    }
    // A new address serves a short wait first; the answer is the same for an unknown e-mail under the same attack.
    const owner = () => w.request({ 'x-test-ip': '192.0.2.44' })
    expect(await w.auth.signIn(owner(), { email, password: PASSWORD })).toMatchObject({
      ok: false,
      reason: 'rate_limited',
      retryAfterSeconds: loginThrottleRules.newAddressWaitSeconds,
    })
    expect(await w.auth.signIn(owner(), { email, password: PASSWORD })).toMatchObject({
      ok: false,
      reason: 'rate_limited',
    })
    await age(`wait:${email}|192.0.2.44`, loginThrottleRules.newAddressWaitSeconds + 1)
    expect((await w.auth.signIn(owner(), { email, password: PASSWORD })).ok).toBe(true)
    // An attacking address gets no free tries while the attack lasts: one failure, then a wait.
    const attacker = () => w.request({ 'x-test-ip': '10.66.0.1' })
    expect(await w.auth.signIn(attacker(), { email, password: 'guess again' })).toMatchObject({
      ok: false,
      reason: 'rate_limited',
    })
  })

  it('blocks an address that fails across many e-mails', async () => {
    const req = () => w.request({ 'x-test-ip': '10.8.8.8' })
    for (let i = 0; i < loginThrottleRules.ipFailures; i++)
      await w.auth.signIn(req(), { email: `nobody${i}@example.test`, password: 'x' })
    expect(await w.auth.signIn(req(), { email: w.a.manager.email, password: PASSWORD })).toMatchObject({
      ok: false,
      reason: 'rate_limited',
    })
  })
})

/** Moves a throttle row's clock back, instead of waiting for it. */
async function age(key: string, seconds: number) {
  await w.t.owner.db.execute(
    sql`update login_throttle set last_at = last_at - make_interval(secs => ${seconds}), window_start = window_start - make_interval(secs => ${seconds}) where key = ${key}`,
  )
}

describe('password reset', () => {
  const resetUrl = (token: string) => `http://crm.test/reset-password/${token}`

  it('queues an e-mail for an existing account and nothing for an unknown one, answering the same', async () => {
    await expect(
      w.auth.requestPasswordReset(w.request(), w.b.agent.email, { resetUrl, locale: 'pt-BR' }),
    ).resolves.toBeUndefined()
    await expect(
      w.auth.requestPasswordReset(w.request(), 'ghost@example.test', { resetUrl, locale: 'pt-BR' }),
    ).resolves.toBeUndefined()
    expect(await queuedEmails(w.b.agent.email)).toHaveLength(1)
    expect(await queuedEmails('ghost@example.test')).toHaveLength(0)
  })

  it('resets once with the e-mailed token, revokes every session, and refuses reuse', async () => {
    const session = cookieFrom(
      (await w.auth.signIn(w.request(), { email: w.b.agent.email, password: PASSWORD })).headers,
    )
    const [mail] = (await queuedEmails(w.b.agent.email)).slice(-1)
    const token = /reset-password\/([\w-]+)/.exec(mail!.text)![1]!
    expect(
      await w.t.owner.db.execute(sql`select 1 from password_reset_tokens where token_hash = ${token}`),
    ).toHaveLength(0)
    const done = await w.auth.completePasswordReset(w.request(), token, 'a whole new passphrase')
    expect(done.ok).toBe(true)
    expect((await w.auth.getIdentity(withCookie(session))).identity).toBeNull()
    expect((await w.auth.completePasswordReset(w.request(), token, 'another passphrase')).ok).toBe(false)
    expect((await w.auth.signIn(w.request(), { email: w.b.agent.email, password: 'a whole new passphrase' })).ok).toBe(
      true,
    )
  })

  it('refuses an expired token', async () => {
    await w.auth.requestPasswordReset(w.request(), w.b.manager.email, { resetUrl, locale: 'en' })
    const [mail] = (await queuedEmails(w.b.manager.email)).slice(-1)
    const token = /reset-password\/([\w-]+)/.exec(mail!.text)![1]!
    await w.t.owner.db.execute(
      sql`update password_reset_tokens set expires_at = now() - interval '1 minute' where user_id = ${w.b.manager.userId}`,
    )
    expect((await w.auth.completePasswordReset(w.request(), token, 'a whole new passphrase')).ok).toBe(false)
  })
})

describe('profile procedures', () => {
  it('changing the password needs the current one and refuses common passwords, per field', async () => {
    const me = w.caller(w.a.agent, w.a.agencyId)
    const wrong = await me.profile
      .changePassword({ currentPassword: 'not it', password: 'fresh passphrase 1', confirm: 'fresh passphrase 1' })
      .catch((e) => e)
    expect(wrong.code).toBe('BAD_REQUEST')
    expect(describeError(wrong).fieldErrors).toEqual({ currentPassword: ['profile.currentPasswordWrong'] })
    const common = await me.profile
      .changePassword({ currentPassword: PASSWORD, password: 'password123', confirm: 'password123' })
      .catch((e) => e)
    expect(describeError(common).fieldErrors).toEqual({ password: ['validation.passwordCommon'] })
    const mismatch = await me.profile
      .changePassword({ currentPassword: PASSWORD, password: 'fresh passphrase 1', confirm: 'other' })
      .catch((e) => e)
    expect(mismatch.code).toBe('BAD_REQUEST')
    expect(describeError(mismatch).fieldErrors).toEqual({ confirm: ['validation.passwordsDiffer'] })
  })

  it('rejects a 10 kB name and a malformed phone with field errors, not a 500', async () => {
    const err = await w
      .caller(w.a.agent)
      .profile.update({ name: 'x'.repeat(10_000), phone: 'call me', locale: 'en' })
      .catch((e) => e)
    expect(err.code).toBe('BAD_REQUEST')
    expect(Object.keys(describeError(err).fieldErrors).sort()).toEqual(['name', 'phone'])
  })

  it('saves the person’s theme; anything but system, light or dark is refused on the field', async () => {
    const me = w.caller(w.a.agent)
    expect((await me.profile.me()).user.theme).toBe('system')
    expect(await me.profile.setTheme({ theme: 'dark' })).toEqual({ theme: 'dark' })
    expect((await me.profile.me()).user.theme).toBe('dark')
    // Only their own row changes.
    expect((await w.caller(w.a.manager).profile.me()).user.theme).toBe('system')
    const bad = await me.profile.setTheme({ theme: 'neon' as never }).catch((e) => e)
    expect(describeError(bad).fieldErrors).toHaveProperty('theme')
    await me.profile.setTheme({ theme: 'system' })
  })

  it('lists own sessions and cannot revoke someone else’s', async () => {
    expect(await outcome(w.caller(w.b.manager).profile.revokeSession({ sessionId: w.a.managerSessionId }))).toBe(
      'NOT_FOUND',
    )
    const sessions = await w.caller(w.a.manager).profile.sessions()
    expect(sessions.map((s) => s.id)).toContain(w.a.managerSessionId)
  })
})
