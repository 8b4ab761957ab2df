import { users } from '@impera/db'
import { createTestDatabase, type TestDatabase } from '@impera/db/testing'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSupabaseAuth } from '../src/auth/supabase'
import type { AuthProvider } from '../src/auth/types'
import { startGoTrueStandIn } from './stand-ins/gotrue'

/**
 * Contract tests of the Supabase provider: the real @supabase/ssr + supabase-js clients against the in-repo GoTrue
 * stand-in (tests/stand-ins/gotrue.ts), so cookies, cache headers, JWKS verification, refresh and recovery are exercised
 * as they would be against Supabase.
 */
let gotrue: Awaited<ReturnType<typeof startGoTrueStandIn>>
let t: TestDatabase
let auth: AuthProvider

/** A minimal cookie jar: applies Set-Cookie headers the way a browser would. */
class Jar {
  private cookies = new Map<string, string>()
  apply(headers: Headers) {
    for (const c of headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';')
      const i = pair!.indexOf('=')
      const name = pair!.slice(0, i).trim()
      const expired = attrs.some((a) => /max-age=0/i.test(a.trim()))
      if (expired) this.cookies.delete(name)
      else this.cookies.set(name, pair!.slice(i + 1))
    }
    return this
  }
  names() {
    return [...this.cookies.keys()]
  }
  request(path = '/') {
    return new Request(`http://localhost${path}`, {
      headers: { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    })
  }
  set(name: string, value: string) {
    this.cookies.set(name, value)
  }
}

beforeAll(async () => {
  gotrue = await startGoTrueStandIn({ serviceRoleKey: 'service-role-key', anonKey: 'anon-key' })
  t = await createTestDatabase()
  auth = createSupabaseAuth({
    db: t.app.db,
    url: gotrue.url,
    anonKey: 'anon-key',
    serviceRoleKey: 'service-role-key',
    secureCookies: false,
    meta: () => ({ ip: '127.0.0.1', userAgent: 'vitest' }),
  })
})
afterAll(async () => {
  await gotrue.close()
  await t.close()
})

describe('Supabase auth provider (contract)', () => {
  it('signs in: session cookie plus no-store cache headers; identity verified locally with the JWKS', async () => {
    const user = gotrue.addUser('maria@example.test', 'senha muito segura')
    const r = await auth.signIn(new Request('http://localhost/login'), {
      email: 'maria@example.test',
      password: 'senha muito segura',
    })
    expect(r.ok).toBe(true)
    expect(r.headers.get('cache-control')).toContain('no-store')
    const jar = new Jar().apply(r.headers)
    expect(jar.names().some((n) => n.startsWith('sb-127-auth-token'))).toBe(true)
    gotrue.calls.length = 0
    const { identity } = await auth.getIdentity(jar.request())
    expect(identity).toMatchObject({ userId: user.id, email: 'maria@example.test' })
    expect(gotrue.calls).toContain('GET /auth/v1/.well-known/jwks.json')
    expect(gotrue.calls.some((c) => c.startsWith('GET /auth/v1/user'))).toBe(false)
  })

  it('answers a wrong password and an unknown account the same way', async () => {
    gotrue.addUser('joao@example.test', 'senha muito segura')
    const wrong = await auth.signIn(new Request('http://localhost/'), {
      email: 'joao@example.test',
      password: 'nope nope nope',
    })
    const unknown = await auth.signIn(new Request('http://localhost/'), {
      email: 'ninguem@example.test',
      password: 'nope nope nope',
    })
    expect(wrong).toMatchObject({ ok: false, reason: 'invalid_credentials' })
    expect(unknown).toMatchObject({ ok: false, reason: 'invalid_credentials' })
  })

  it('rejects a token signed with a key the JWKS does not publish', async () => {
    const user = gotrue.addUser('forja@example.test', 'senha muito segura')
    const real = new Jar().apply(
      (
        await auth.signIn(new Request('http://localhost/'), {
          email: 'forja@example.test',
          password: 'senha muito segura',
        })
      ).headers,
    )
    const cookie = real
      .request()
      .headers.get('cookie')!
      .split('; ')
      .find((c) => c.startsWith('sb-127-auth-token='))!
    const session = JSON.parse(
      Buffer.from(cookie.slice('sb-127-auth-token=base64-'.length), 'base64url').toString(),
    ) as { access_token: string }
    // Positive control: the untouched cookie is accepted, so a null below is the signature check, not a bad format.
    expect((await auth.getIdentity(real.request())).identity?.userId).toBe(user.id)
    session.access_token = await gotrue.forgedToken(user.id)
    const forged = new Jar()
    forged.set('sb-127-auth-token', `base64-${Buffer.from(JSON.stringify(session)).toString('base64url')}`)
    expect((await auth.getIdentity(forged.request())).identity).toBeNull()
  })

  it('refreshes an expiring access token and re-emits the cookies', async () => {
    gotrue.addUser('refresh@example.test', 'senha muito segura')
    gotrue.setAccessTokenSeconds(5)
    const r = await auth.signIn(new Request('http://localhost/'), {
      email: 'refresh@example.test',
      password: 'senha muito segura',
    })
    gotrue.setAccessTokenSeconds(3600)
    const jar = new Jar().apply(r.headers)
    gotrue.calls.length = 0
    const { identity, headers } = await auth.getIdentity(jar.request())
    expect(identity?.email).toBe('refresh@example.test')
    expect(gotrue.calls).toContain('POST /auth/v1/token?grant_type=refresh_token')
    expect(headers.getSetCookie().some((c) => c.startsWith('sb-127-auth-token'))).toBe(true)
  })

  it('signs out: cookies cleared and the session revoked at the server', async () => {
    gotrue.addUser('sair@example.test', 'senha muito segura')
    const jar = new Jar().apply(
      (
        await auth.signIn(new Request('http://localhost/'), {
          email: 'sair@example.test',
          password: 'senha muito segura',
        })
      ).headers,
    )
    const headers = await auth.signOut(jar.request())
    expect(gotrue.calls).toContain('POST /auth/v1/logout?scope=local')
    jar.apply(headers)
    expect(jar.names().filter((n) => n.startsWith('sb-'))).toEqual([])
  })

  it('resets a password with the e-mailed token_hash, once', async () => {
    gotrue.addUser('reset@example.test', 'senha antiga longa')
    await auth.requestPasswordReset(new Request('http://localhost/'), 'reset@example.test', {
      resetUrl: (tok) => `http://localhost/reset-password/${tok}`,
      locale: 'pt-BR',
    })
    await auth.requestPasswordReset(new Request('http://localhost/'), 'nobody@example.test', {
      resetUrl: (tok) => `http://localhost/reset-password/${tok}`,
      locale: 'pt-BR',
    })
    const tokenHash = gotrue.recoveryTokenHash('reset@example.test')!
    expect(tokenHash).toBeTruthy()
    expect(
      (await auth.completePasswordReset(new Request('http://localhost/'), tokenHash, 'senha nova bem longa')).ok,
    ).toBe(true)
    expect(
      (await auth.completePasswordReset(new Request('http://localhost/'), tokenHash, 'outra senha longa')).ok,
    ).toBe(false)
    expect(
      (
        await auth.signIn(new Request('http://localhost/'), {
          email: 'reset@example.test',
          password: 'senha nova bem longa',
        })
      ).ok,
    ).toBe(true)
    expect(
      (
        await auth.signIn(new Request('http://localhost/'), {
          email: 'reset@example.test',
          password: 'senha antiga longa',
        })
      ).ok,
    ).toBe(false)
  })

  it('creates invited accounts through the admin API, keyed by the auth user id', async () => {
    const { userId } = await t.app.db.transaction((tx) =>
      auth.createUser(tx, {
        email: 'Convidado@Example.test',
        name: 'Convidado',
        password: 'senha do convidado',
        locale: 'pt-BR',
      }),
    )
    const [row] = await t.owner.db.select().from(users).where(eq(users.id, userId))
    expect(row).toMatchObject({ email: 'convidado@example.test', name: 'Convidado' })
    expect(
      (
        await auth.signIn(new Request('http://localhost/'), {
          email: 'convidado@example.test',
          password: 'senha do convidado',
        })
      ).ok,
    ).toBe(true)
  })

  it('ignores roles or agencies injected into user_metadata', async () => {
    const user = gotrue.addUser('meta@example.test', 'senha muito segura', {
      user_metadata: { role: 'platform_admin', agency_id: 'x' },
    })
    const jar = new Jar().apply(
      (
        await auth.signIn(new Request('http://localhost/'), {
          email: 'meta@example.test',
          password: 'senha muito segura',
        })
      ).headers,
    )
    const { identity } = await auth.getIdentity(jar.request())
    expect(identity).toEqual({ userId: user.id, email: 'meta@example.test', sessionId: expect.any(String) })
  })
})
