import { addMember, insertAgency, insertUser } from '@impera/db/testing'
import { sql } from '@impera/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildWorld, leadData, outcome, propertyData, type Persona, type World } from './harness'

/**
 * Issue 18's first-steps checklist through the real router: each step read from the agency's own data (whoever did
 * it, however), managers only, put away for the whole agency with an audit entry.
 */
let w: World
let manager: Persona
let agencyId: string
beforeAll(async () => {
  w = await buildWorld()
  const o = w.t.owner.db
  agencyId = (await insertAgency(o, { name: 'Imobiliária Nova' })).id
  const u = await insertUser(o, {})
  manager = { userId: u.id, email: u.email, identity: { userId: u.id, email: u.email, sessionId: null } }
  await addMember(o, { agencyId, userId: u.id, role: 'manager' })
})
afterAll(() => w?.t.close())

const as = () => w.caller(manager, agencyId)
const stepsDone = async () =>
  Object.fromEntries((await as().agency.onboarding()).steps.map((s) => [s.key, s.done])) as Record<string, boolean>

describe('first steps of a new agency', () => {
  it('starts with nothing done, and each step is done by the data it asks for', async () => {
    const start = await as().agency.onboarding()
    expect(start).toEqual({
      dismissed: false,
      done: false,
      steps: ['team', 'whatsapp', 'leads', 'property', 'distribution'].map((key) => ({ key, done: false })),
    })
    await as().members.invite({ email: 'corretor@nova.test', role: 'agent' })
    expect(await stepsDone()).toMatchObject({ team: true, whatsapp: false, leads: false })
    await as().whatsapp.createAccount({ provider: 'sandbox', label: 'Teste' })
    await as().leads.create({ data: leadData({ name: 'Primeiro lead', phones: ['11 97777-1234'] }) })
    await as().properties.create({ data: propertyData({ title: 'Primeiro imóvel' }) })
    expect(await stepsDone()).toEqual({ team: true, whatsapp: true, leads: true, property: true, distribution: false })
    // Another agency's data counts for nothing here: agency A has every kind of record.
    expect(
      (await w.caller(w.a.manager, w.a.agencyId).agency.onboarding()).steps.find((s) => s.key === 'team')!.done,
    ).toBe(true)
    await as().distribution.saveRule({ name: 'Todos', members: [{ userId: manager.userId, weight: 1 }] })
    expect(await as().agency.onboarding()).toMatchObject({ done: true, dismissed: false })
  })

  it('is a manager’s: put away once for the whole agency, audited, and an agent may neither read nor hide it', async () => {
    const agent = await insertUser(w.t.owner.db, {})
    await addMember(w.t.owner.db, { agencyId, userId: agent.id, role: 'agent' })
    const asAgent = w.caller(
      { userId: agent.id, email: agent.email, identity: { userId: agent.id, email: agent.email, sessionId: null } },
      agencyId,
    )
    expect(await outcome(asAgent.agency.onboarding())).toBe('FORBIDDEN')
    expect(await outcome(asAgent.agency.dismissOnboarding())).toBe('FORBIDDEN')
    expect(await as().agency.dismissOnboarding()).toEqual({ dismissed: true })
    expect(await as().agency.dismissOnboarding()).toEqual({ dismissed: true })
    expect((await as().agency.onboarding()).dismissed).toBe(true)
    const audits = await w.t.owner.db.execute<{ n: number }>(
      sql`select count(*)::int as n from audit_log where agency_id = ${agencyId} and action = 'agency.onboarding.dismiss'`,
    )
    expect(audits[0]!.n).toBe(1)
    // Agency A's checklist is untouched.
    expect((await w.caller(w.a.manager, w.a.agencyId).agency.onboarding()).dismissed).toBe(false)
  })
})
