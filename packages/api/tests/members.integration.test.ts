import { sql } from '@impera/db'
import { insertUser } from '@impera/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { contrast } from '../src/branding'
import { acceptInvitation, getInvitationByToken } from '../src/services'
import { describeError } from '../src/error-shape'
import { buildWorld, outcome, PASSWORD, queuedPayloads, type World } from './harness'

let w: World
beforeAll(async () => {
  w = await buildWorld()
})
afterAll(() => w.t.close())

async function lastInviteToken(email: string) {
  const mails = (await queuedPayloads<{ to: string; text: string }>(w.t, 'email:send')).filter((m) => m.to === email)
  return /invite\/([\w-]+)/.exec(mails.at(-1)!.text)![1]!
}

describe('members and invitations', () => {
  it('an agent cannot invite, change roles or settings', async () => {
    const agent = w.caller(w.a.agent, w.a.agencyId)
    expect(await outcome(agent.members.invite({ email: 'x@example.test', role: 'agent' }))).toBe('FORBIDDEN')
    expect(await outcome(agent.members.changeRole({ membershipId: w.a.agentMembershipId, role: 'manager' }))).toBe(
      'FORBIDDEN',
    )
    expect(await outcome(agent.agency.auditLog())).toBe('FORBIDDEN')
    expect(await outcome(agent.members.list())).toBe('OK')
  })

  it('rejects a malformed e-mail on invite with the field named', async () => {
    const err = await w
      .caller(w.a.manager, w.a.agencyId)
      .members.invite({ email: 'not-an-email', role: 'agent' })
      .catch((e) => e)
    expect(err.code).toBe('BAD_REQUEST')
    expect(describeError(err).fieldErrors.email).toEqual(['validation.email'])
  })

  it('refuses to invite someone who is already a member', async () => {
    const err = await w
      .caller(w.a.manager, w.a.agencyId)
      .members.invite({ email: w.a.agent.email, role: 'agent' })
      .catch((e) => e)
    expect(err.code).toBe('BAD_REQUEST')
    expect(describeError(err).fieldErrors.email).toEqual(['members.alreadyMember'])
  })

  it('a new person accepts an invitation once, becomes an agent, and the audit log records it', async () => {
    await w.caller(w.a.manager, w.a.agencyId).members.invite({ email: 'Nova.Corretora@Example.test', role: 'agent' })
    const token = await lastInviteToken('nova.corretora@example.test')
    expect(await getInvitationByToken({ db: w.t.app.db }, { token })).toMatchObject({
      state: 'valid',
      hasAccount: false,
      role: 'agent',
    })
    const accepted = await acceptInvitation(
      { db: w.t.app.db, auth: w.auth, identity: null, ip: null },
      { token, name: 'Nova Corretora', password: 'uma senha bem longa', confirm: 'uma senha bem longa' },
    )
    expect(accepted.agencyId).toBe(w.a.agencyId)
    const members = await w.caller(w.a.manager, w.a.agencyId).members.list()
    expect(members.find((m) => m.email === 'nova.corretora@example.test')).toMatchObject({
      role: 'agent',
      status: 'active',
    })
    const again = await acceptInvitation(
      { db: w.t.app.db, auth: w.auth, identity: null, ip: null },
      { token, name: 'X', password: 'uma senha bem longa', confirm: 'uma senha bem longa' },
    ).catch((e) => e)
    expect(again).toMatchObject({ code: 'CONFLICT', meta: { reason: 'used' } })
    const log = await w.caller(w.a.manager, w.a.agencyId).agency.auditLog()
    expect(log.map((l) => l.action)).toEqual(expect.arrayContaining(['invitation.create', 'invitation.accept']))
    expect(
      (await w.auth.signIn(w.request(), { email: 'nova.corretora@example.test', password: 'uma senha bem longa' })).ok,
    ).toBe(true)
  })

  it("the invitation e-mail carries the agency's logo and colour, every text escaped", async () => {
    const key = `${w.a.agencyId}/branding/logo-${crypto.randomUUID()}.png`
    const [{ name }] = (await w.t.owner.db.execute<{ name: string }>(
      sql`select name from agencies where id = ${w.a.agencyId}`,
    )) as unknown as [{ name: string }]
    await w.t.owner.db.execute(
      sql`update agencies set brand_color = '#ffd166', logo_key = ${key}, name = 'Casa <b>&</b> Lar' where id = ${w.a.agencyId}`,
    )
    await w.caller(w.a.manager, w.a.agencyId).members.invite({ email: 'marca@example.test', role: 'agent' })
    const [mail] = (await queuedPayloads<{ to: string; html: string; text: string }>(w.t, 'email:send')).filter(
      (m) => m.to === 'marca@example.test',
    )
    expect(mail!.html).toContain(`src="http://crm.test/media/branding/${key.replace('/branding/', '/')}"`)
    expect(mail!.html).toContain('alt="Casa &lt;b&gt;&amp;&lt;/b&gt; Lar"')
    expect(mail!.html).not.toContain('<b>&</b>')
    // The pale yellow is darkened until white text on the button reads (decision 043).
    const [, background, color] = /background:(#[0-9a-f]{6});color:(#[0-9a-f]{6})/.exec(mail!.html)!
    expect(contrast(background!, color!)).toBeGreaterThanOrEqual(4.5)
    expect(mail!.html).toContain(`href="${/http:\/\/crm\.test\/invite\/[\w-]+/.exec(mail!.text)![0]}"`)
    await w.t.owner.db.execute(
      sql`update agencies set brand_color = null, logo_key = null, name = ${name} where id = ${w.a.agencyId}`,
    )
  })

  it('an expired or unknown token is refused with a specific reason', async () => {
    await w.caller(w.a.manager, w.a.agencyId).members.invite({ email: 'late@example.test', role: 'agent' })
    const token = await lastInviteToken('late@example.test')
    await w.t.owner.db.execute(
      sql`update invitations set expires_at = now() - interval '1 day' where email = 'late@example.test'`,
    )
    const err = await acceptInvitation(
      { db: w.t.app.db, auth: w.auth, identity: null, ip: null },
      { token, name: 'L', password: 'uma senha bem longa', confirm: 'uma senha bem longa' },
    ).catch((e) => e)
    expect(err).toMatchObject({ code: 'CONFLICT', meta: { reason: 'expired' } })
    const unknown = await acceptInvitation(
      { db: w.t.app.db, auth: w.auth, identity: null, ip: null },
      { token: 'x'.repeat(43), name: 'L', password: 'uma senha bem longa', confirm: 'uma senha bem longa' },
    ).catch((e) => e)
    expect(unknown).toMatchObject({ code: 'NOT_FOUND' })
  })

  it('an existing account must be signed in to accept, and keeps its password', async () => {
    await w.caller(w.a.manager, w.a.agencyId).members.invite({ email: w.b.agent.email, role: 'agent' })
    const token = await lastInviteToken(w.b.agent.email)
    const anonymous = await acceptInvitation(
      { db: w.t.app.db, auth: w.auth, identity: null, ip: null },
      { token, name: 'Hijack', password: 'hijacked password', confirm: 'hijacked password' },
    ).catch((e) => e)
    expect(anonymous).toMatchObject({ code: 'CONFLICT', meta: { reason: 'sign_in_first' } })
    await acceptInvitation({ db: w.t.app.db, auth: w.auth, identity: w.b.agent.identity, ip: null }, { token })
    expect((await w.auth.signIn(w.request(), { email: w.b.agent.email, password: PASSWORD })).ok).toBe(true)
    expect((await w.caller(w.b.agent).profile.me()).memberships.map((m) => m.agencyId).sort()).toEqual(
      [w.a.agencyId, w.b.agencyId].sort(),
    )
  })

  it('never leaves an agency without an active manager', async () => {
    const manager = w.caller(w.a.manager, w.a.agencyId)
    const me = (await manager.members.list()).find((m) => m.userId === w.a.manager.userId)!
    expect(await outcome(manager.members.changeRole({ membershipId: me.membershipId, role: 'agent' }))).toBe('CONFLICT')
    expect(await outcome(manager.members.deactivate({ membershipId: me.membershipId }))).toBe('CONFLICT')
  })

  it('a deactivated member loses access at once', async () => {
    const manager = w.caller(w.a.manager, w.a.agencyId)
    await manager.members.deactivate({ membershipId: w.a.agentMembershipId })
    expect(await outcome(w.caller(w.a.agent, w.a.agencyId).members.list())).toBe('FORBIDDEN')
    await manager.members.reactivate({ membershipId: w.a.agentMembershipId })
    expect(await outcome(w.caller(w.a.agent, w.a.agencyId).members.list())).toBe('OK')
  })
})

describe('platform admin', () => {
  it('sees how many active members and managers each agency has (not their names or records)', async () => {
    const counted = async () =>
      Object.fromEntries((await w.caller(w.admin).admin.agencies()).map((r) => [r.id, [r.activeMembers, r.managers]]))
    // The same counts read as the owner, bypassing RLS: for every agency, and not zero for the ones with members.
    const direct = await w.t.owner.db.execute<{ id: string; active: number; managers: number }>(sql`
      select a.id, count(m.id) filter (where m.status = 'active')::int as active, count(m.id) filter (where m.status = 'active' and m.role = 'manager')::int as managers
      from agencies a left join memberships m on m.agency_id = a.id group by a.id`)
    const before = await counted()
    expect(before).toEqual(Object.fromEntries(direct.map((r) => [r.id, [r.active, r.managers]])))
    expect(before[w.b.agencyId]).toEqual([2, 1])
    await w.caller(w.a.manager, w.a.agencyId).members.deactivate({ membershipId: w.a.agentMembershipId })
    expect((await counted())[w.a.agencyId]).toEqual([before[w.a.agencyId]![0]! - 1, before[w.a.agencyId]![1]])
    await w.caller(w.a.manager, w.a.agencyId).members.reactivate({ membershipId: w.a.agentMembershipId })
    expect(JSON.stringify(await w.caller(w.admin).admin.agencies())).not.toContain(w.a.manager.email)
  })

  it('creates an agency with its first manager invited, and suspension locks members out', async () => {
    const admin = w.caller(w.admin)
    const { agency } = await admin.admin.createAgency({
      name: 'Casa Nova Imóveis',
      slug: 'casa-nova',
      managerEmail: 'dona@casanova.test',
    })
    expect(await lastInviteToken('dona@casanova.test')).toBeTruthy()
    const dup = await admin.admin
      .createAgency({ name: 'Outra', slug: 'casa-nova', managerEmail: 'x@casanova.test' })
      .catch((e) => e)
    expect(describeError(dup).fieldErrors).toEqual({ slug: ['admin.slugTaken'] })
    expect((await admin.admin.agencies()).map((a) => a.id)).toContain(agency.id)
    await admin.admin.setAgencyStatus({ agencyId: w.b.agencyId, status: 'suspended' })
    const err = await w
      .caller(w.b.manager, w.b.agencyId)
      .members.list()
      .catch((e) => e)
    expect(err.code).toBe('FORBIDDEN')
    expect(err.message).toBe('errors.agencySuspended')
    await admin.admin.setAgencyStatus({ agencyId: w.b.agencyId, status: 'active' })
    expect(await outcome(w.caller(w.b.manager, w.b.agencyId).members.list())).toBe('OK')
  })

  it('two admins creating the same slug at once: one agency, the other gets 409 on the slug, never a 500', async () => {
    // Two admins, two transactions: both pass the "slug taken?" check before either commits; the unique index decides.
    const admin2 = await insertUser(w.t.owner.db, { isPlatformAdmin: true })
    const persona2 = {
      userId: admin2.id,
      email: admin2.email,
      identity: { userId: admin2.id, email: admin2.email, sessionId: null },
    }
    for (let round = 0; round < 5; round++) {
      const slug = `corrida-${round}`
      const results = await Promise.allSettled(
        [w.caller(w.admin), w.caller(persona2)].map((c, i) =>
          c.admin.createAgency({ name: `Corrida ${i}`, slug, managerEmail: `corrida${round}-${i}@example.test` }),
        ),
      )
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
      const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult
      expect(refused.reason.code).toBe('CONFLICT')
      expect(describeError(refused.reason).fieldErrors).toEqual({ slug: ['admin.slugTaken'] })
    }
  })
})
