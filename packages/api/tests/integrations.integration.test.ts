import { sql } from '@impera/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REQUEST_STATEMENT_TIMEOUT_MS } from '../src/ctx'
import { authenticateKey, consumeApiRate, parseApiKey, withIntegration } from '../src/integrations'
import { withAgencyActor } from '../src/trpc'
import { createLead, getLead } from '../src/services'
import { buildWorld, leadData, outcome, type World } from './harness'

let w: World
beforeAll(async () => {
  w = await buildWorld()
})
afterAll(() => w.t.close())

const manager = () => w.caller(w.a.manager, w.a.agencyId)
const db = () => w.t.app.db
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => 'OK',
    (e: { code?: string }) => e.code ?? String(e),
  )

describe('integrations and their keys', () => {
  it('a manager creates one and sees its key once; later only the prefix and the last use', async () => {
    const { integration, key } = await manager().integrations.create({ name: 'StarIAup', scopes: ['leads:read'] })
    expect(key.key).toMatch(/^imp_live_[a-z2-7]{12}_[A-Za-z0-9_-]{43}$/)
    expect(parseApiKey(key.key)!.prefix).toBe(key.prefix)
    const listed = await manager().integrations.list()
    const text = JSON.stringify(listed)
    expect(text).toContain(key.prefix)
    expect(text).not.toContain(parseApiKey(key.key)!.secret)
    expect(text).not.toMatch(/secretHash|secret_hash/)
    expect(listed.find((i) => i.id === integration.id)!.keys[0]!.lastUsedAt).toBeNull()
    await authenticateKey(db(), key.key, '198.51.100.4').then((k) =>
      withIntegration(db(), k, '198.51.100.4', async () => null),
    )
    const used = (await manager().integrations.list()).find((i) => i.id === integration.id)!.keys[0]!
    expect(used.lastUsedIp).toBe('198.51.100.4')
    expect(used.lastUsedAt).not.toBeNull()
    const [entry] = await w.t.owner.db.execute<{ diff: unknown }>(
      sql`select diff from audit_log where action = 'integration.create' and entity_id = ${integration.id}`,
    )
    expect(JSON.stringify(entry!.diff)).not.toContain(parseApiKey(key.key)!.secret)
  })

  it('agents cannot manage integrations', async () => {
    expect(await outcome(w.caller(w.a.agent, w.a.agencyId).integrations.list())).toBe('FORBIDDEN')
    expect(
      await outcome(w.caller(w.a.agent, w.a.agencyId).integrations.create({ name: 'x', scopes: ['leads:read'] })),
    ).toBe('FORBIDDEN')
  })

  it('a key is refused, without saying why, when wrong, revoked, expired, from a foreign address, or its agency is suspended', async () => {
    const { integration, key } = await manager().integrations.create({
      name: 'Site',
      scopes: ['leads:write'],
      ipAllowlist: ['203.0.113.0/24', '2001:db8::1'],
    })
    expect((await authenticateKey(db(), key.key, '203.0.113.9')).integrationId).toBe(integration.id)
    expect((await authenticateKey(db(), key.key, '2001:db8::1')).integrationId).toBe(integration.id)
    const wrong = key.key.slice(0, -4) + (key.key.endsWith('AAAA') ? 'BBBB' : 'AAAA')
    for (const [k, ip] of [
      [wrong, '203.0.113.9'],
      [key.key, '198.51.100.1'],
      ['imp_live_nope', '203.0.113.9'],
      [null, '203.0.113.9'],
    ] as const) {
      const e = await authenticateKey(db(), k, ip).catch((err: { code: string; message: string }) => err)
      expect(e).toMatchObject({ code: 'UNAUTHENTICATED', userMessage: 'errors.unauthenticated' })
    }
    await w.t.owner.db.execute(sql`update agencies set status = 'suspended' where id = ${w.a.agencyId}`)
    expect(await refusal(authenticateKey(db(), key.key, '203.0.113.9'))).toBe('UNAUTHENTICATED')
    await w.t.owner.db.execute(sql`update agencies set status = 'active' where id = ${w.a.agencyId}`)
    await manager().integrations.update({
      id: integration.id,
      name: 'Site',
      scopes: ['leads:write'],
      ipAllowlist: [],
      expiresAt: new Date(Date.now() + 3600_000),
    })
    await w.t.owner.db.execute(
      sql`update integrations set expires_at = now() - interval '1 second' where id = ${integration.id}`,
    )
    expect(await refusal(authenticateKey(db(), key.key, '198.51.100.1'))).toBe('UNAUTHENTICATED')
    await w.t.owner.db.execute(sql`update integrations set expires_at = null where id = ${integration.id}`)
    expect(await refusal(authenticateKey(db(), key.key, '198.51.100.1'))).toBe('OK')
    await manager().integrations.revoke({ id: integration.id })
    expect(await refusal(authenticateKey(db(), key.key, '198.51.100.1'))).toBe('UNAUTHENTICATED')
  })

  it('rotation: the new key works at once, the old one until the overlap ends; a revoked key stops at once', async () => {
    const { integration, key: first } = await manager().integrations.create({ name: 'Rotação', scopes: ['leads:read'] })
    const second = await manager().integrations.rotateKey({ id: integration.id, overlapHours: 24 })
    expect(await refusal(authenticateKey(db(), first.key, null))).toBe('OK')
    expect(await refusal(authenticateKey(db(), second.key, null))).toBe('OK')
    const third = await manager().integrations.rotateKey({ id: integration.id, overlapHours: 0 })
    expect(await refusal(authenticateKey(db(), first.key, null))).toBe('UNAUTHENTICATED')
    expect(await refusal(authenticateKey(db(), second.key, null))).toBe('UNAUTHENTICATED')
    expect(await refusal(authenticateKey(db(), third.key, null))).toBe('OK')
    await manager().integrations.revokeKey({ keyId: third.id })
    expect(await refusal(authenticateKey(db(), third.key, null))).toBe('UNAUTHENTICATED')
  })

  it('what an integration writes is its own: history, audit and timelines name it, in its agency only', async () => {
    const { key } = await manager().integrations.create({ name: 'StarIAup Agente', scopes: ['leads:write'] })
    const resolved = await authenticateKey(db(), key.key, null)
    const lead = await withIntegration(db(), resolved, '198.51.100.7', (ctx) =>
      createLead(ctx, {
        data: leadData({ name: 'Veio pela API', phones: ['11 97222-0001'] }) as never,
        allowDuplicate: false,
      }),
    )
    expect(lead.createdBy).toBe(resolved.userId)
    const [audit] = await w.t.owner.db.execute<{ actor_user_id: string; ip: string }>(
      sql`select actor_user_id, ip from audit_log where action = 'lead.create' and entity_id = ${lead.id}`,
    )
    expect(audit).toEqual({ actor_user_id: resolved.userId, ip: '198.51.100.7' })
    // The manager's timeline shows who: the integration, by name.
    const seen = await manager().leads.get({ id: lead.id })
    expect(JSON.stringify(seen)).toContain('StarIAup Agente')
    // Inside its agency's fence: another agency's lead does not exist for it.
    const other = await w
      .caller(w.b.manager, w.b.agencyId)
      .leads.create({ data: leadData({ name: 'Da Beta', phones: ['11 97222-0002'] }) })
    expect(await refusal(withIntegration(db(), resolved, null, (ctx) => getLead(ctx, { id: other.id })))).toBe(
      'NOT_FOUND',
    )
    // It can never sign in: its principal has no credentials and no membership.
    const [row] = await w.t.owner.db.execute<{ kind: string; creds: number; members: number }>(sql`
      select u.kind, (select count(*)::int from local_credentials c where c.user_id = u.id) as creds,
        (select count(*)::int from memberships m where m.user_id = u.id) as members from users u where u.id = ${resolved.userId}`)
    expect(row).toEqual({ kind: 'integration', creds: 0, members: 0 })
  })

  it('requests, a member’s or an integration’s, run with the statement time limit', async () => {
    const show = (ctx: { db: { execute: (q: ReturnType<typeof sql>) => Promise<unknown[]> } }) =>
      ctx.db.execute(sql`show statement_timeout`).then((r) => (r[0] as { statement_timeout: string }).statement_timeout)
    const member = await withAgencyActor(db(), { userId: w.a.manager.userId, agencyId: w.a.agencyId, ip: null }, show)
    const { key } = await manager().integrations.create({ name: 'Tempo', scopes: ['leads:read'] })
    const integration = await withIntegration(db(), await authenticateKey(db(), key.key, null), null, show)
    expect([member, integration]).toEqual([
      `${REQUEST_STATEMENT_TIMEOUT_MS / 1000}s`,
      `${REQUEST_STATEMENT_TIMEOUT_MS / 1000}s`,
    ])
  })

  it('rate limit: a token bucket per key, shared through the database', async () => {
    const keyId = crypto.randomUUID()
    const rate = { capacity: 3, perSecond: 1 }
    const decisions = []
    for (let i = 0; i < 4; i++) decisions.push(await consumeApiRate(db(), keyId, rate))
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false])
    expect(decisions[3]).toMatchObject({ remaining: 0, limit: 3 })
    expect(decisions[3]!.resetSeconds).toBeGreaterThanOrEqual(1)
    // Two seconds later (moved back rather than waited for), two tokens are back.
    await w.t.owner.db.execute(
      sql`update api_rate_buckets set updated_at = updated_at - interval '2 seconds' where key_id = ${keyId}`,
    )
    expect((await consumeApiRate(db(), keyId, rate)).allowed).toBe(true)
    expect((await consumeApiRate(db(), keyId, rate)).allowed).toBe(true)
    expect((await consumeApiRate(db(), keyId, rate)).allowed).toBe(false)
  })
})

describe('the audit log of integration changes', () => {
  type Entry = { actor_user_id: string | null; entity: string; entity_id: string; ip: string | null; diff: unknown }
  /** The one entry of `action` on the integration, as written: who, what, and the recorded change. */
  async function entry(action: string, integrationId: string): Promise<Entry> {
    const rows = await w.t.owner.db.execute<Entry>(
      sql`select actor_user_id, entity, entity_id, ip, diff from audit_log where agency_id = ${w.a.agencyId} and action = ${action} and entity_id = ${integrationId}`,
    )
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      actor_user_id: w.a.manager.userId,
      entity: 'integration',
      entity_id: integrationId,
      ip: '127.0.0.1',
    })
    return rows[0]!
  }
  /** Neither a key nor its secret, nor any stored hash of the integration's keys, is in the entry. */
  async function expectNoKeyMaterial(e: Entry, integrationId: string, keys: string[]) {
    const hashes = await w.t.owner.db.execute<{ secret_hash: string }>(
      sql`select secret_hash from api_keys where integration_id = ${integrationId}`,
    )
    const text = JSON.stringify(e)
    for (const k of keys) {
      expect(text).not.toContain(k)
      expect(text).not.toContain(parseApiKey(k)!.secret)
    }
    for (const h of hashes) expect(text).not.toContain(h.secret_hash)
    expect(text).not.toMatch(/secretHash|secret_hash/)
  }

  it('update: records the changed fields before and after', async () => {
    const { integration, key } = await manager().integrations.create({ name: 'Portal', scopes: ['leads:read'] })
    await manager().integrations.update({
      id: integration.id,
      name: 'Portal Novo',
      scopes: ['leads:read', 'leads:write'],
      ipAllowlist: ['203.0.113.0/24'],
      expiresAt: null,
    })
    const e = await entry('integration.update', integration.id)
    expect(e.diff).toEqual({
      before: { name: 'Portal', scopes: ['leads:read'], ipAllowlist: [] },
      after: { name: 'Portal Novo', scopes: ['leads:read', 'leads:write'], ipAllowlist: ['203.0.113.0/24'] },
    })
    await expectNoKeyMaterial(e, integration.id, [key.key])
  })

  it('rotateKey: records the new key’s prefix and when the previous keys end, never the new key', async () => {
    const { integration, key: first } = await manager().integrations.create({ name: 'Rodízio', scopes: ['leads:read'] })
    const second = await manager().integrations.rotateKey({ id: integration.id, overlapHours: 2 })
    const e = await entry('integration.key.rotate', integration.id)
    expect(e.diff).toEqual({ after: { keyPrefix: second.prefix, previousKeysEndAt: expect.any(String) } })
    const { previousKeysEndAt } = (e.diff as { after: { previousKeysEndAt: string } }).after
    expect(Math.abs(new Date(previousKeysEndAt).getTime() - (Date.now() + 2 * 3600_000))).toBeLessThan(60_000)
    await expectNoKeyMaterial(e, integration.id, [first.key, second.key])
  })

  it('revokeKey: records the revoked key’s prefix on its integration', async () => {
    const { integration, key } = await manager().integrations.create({ name: 'Chave', scopes: ['leads:read'] })
    await manager().integrations.revokeKey({ keyId: key.id })
    const e = await entry('integration.key.revoke', integration.id)
    expect(e.diff).toEqual({ after: { keyPrefix: key.prefix } })
    await expectNoKeyMaterial(e, integration.id, [key.key])
  })

  it('revoke: records the integration as it was, once (revoking it again records nothing)', async () => {
    const { integration, key } = await manager().integrations.create({ name: 'Fim', scopes: ['leads:write'] })
    await manager().integrations.revoke({ id: integration.id })
    await manager().integrations.revoke({ id: integration.id })
    const e = await entry('integration.revoke', integration.id)
    expect(e.diff).toEqual({
      before: { name: 'Fim', scopes: ['leads:write'], ipAllowlist: [], expiresAt: null, revokedAt: null },
    })
    await expectNoKeyMaterial(e, integration.id, [key.key])
  })
})
