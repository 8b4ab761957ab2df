import { sql, withAgency } from '@impera/db'
import { addMember, insertUser } from '@impera/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { breachOverdueAssignments, expireLeadOffers, settleNotifications, takeInquiry } from '../src/services'
import { asSystem } from '../src/services/lead-facts'
import { describeError } from '../src/error-shape'
import { buildWorld, leadData, outcome, propertyData, queuedPayloads, type Persona, type World } from './harness'

/**
 * Lead distribution, the "roleta" (decision 027), through the real router and database: rules by condition and
 * order, the listing's agent first, paused members and working hours, the first-contact SLA moving a lead on, the
 * decisions on the lead's timeline, 200 simultaneous arrivals sharing out exactly by weight, and the SLA report.
 */
let w: World
let bruno: Persona
let carla: Persona
let diego: Persona
const allDay = {
  sun: ['00:00-24:00'],
  mon: ['00:00-24:00'],
  tue: ['00:00-24:00'],
  wed: ['00:00-24:00'],
  thu: ['00:00-24:00'],
  fri: ['00:00-24:00'],
  sat: ['00:00-24:00'],
}
const closed = { sun: [], mon: [], tue: [], wed: [], thu: [], fri: [], sat: [] }

beforeAll(async () => {
  w = await buildWorld()
  const o = w.t.owner.db
  const member = async (name: string): Promise<Persona> => {
    const u = await insertUser(o, { name })
    await addMember(o, { agencyId: w.a.agencyId, userId: u.id, role: 'agent' })
    return { userId: u.id, email: u.email, identity: { userId: u.id, email: u.email, sessionId: null } }
  }
  bruno = await member('Bruno')
  carla = await member('Carla')
  diego = await member('Diego')
  // Opening hours all day, every day: deadlines here do not depend on when the suite runs.
  await o.execute(sql`update agencies set business_hours = ${JSON.stringify(allDay)}::jsonb where id = ${w.a.agencyId}`)
})
afterAll(() => w?.t.close())

const manager = () => w.caller(w.a.manager, w.a.agencyId)
const agent = () => w.caller(w.a.agent, w.a.agencyId)
let phone = 0
const nextPhone = () => `11 9${String(7300_0000 + ++phone).padStart(8, '0')}`

async function clearRules() {
  await w.t.owner.db.execute(sql`delete from distribution_rules where agency_id = ${w.a.agencyId}`)
  await w.t.owner.db.execute(
    sql`update memberships set leads_paused = false, working_hours = null where agency_id = ${w.a.agencyId}`,
  )
}

async function newLead(data: Record<string, unknown> = {}) {
  return manager().leads.create({ data: leadData({ phones: [nextPhone()], ...data }), distribute: true })
}

async function decisions(leadId: string) {
  const rows = await w.t.owner.db.execute<{ data: Record<string, unknown> }>(
    sql`select data from lead_events where lead_id = ${leadId} and kind = 'assigned' order by at, id`,
  )
  return rows.map((r) => r.data)
}

async function sweep() {
  return withAgency(w.t.app.db, { agencyId: w.a.agencyId, userId: null }, (tx) =>
    breachOverdueAssignments(tx, { agencyId: w.a.agencyId }),
  )
}

async function expire(leadId: string) {
  await w.t.owner.db.execute(
    sql`update lead_assignments set due_at = now() - interval '1 minute' where lead_id = ${leadId} and ended_at is null`,
  )
}

describe('rules', () => {
  it('tries the rules in order, each by its conditions, the catch-all last; the reason goes on the timeline', async () => {
    await clearRules()
    await manager().distribution.saveRule({
      name: 'Até R$ 600 mil',
      budgetMax: '600.000,00',
      members: [{ userId: bruno.userId, weight: 1 }],
    })
    await manager().distribution.saveRule({
      name: 'Aluguel no Centro',
      interests: ['rent'],
      locations: ['Centro'],
      members: [{ userId: carla.userId, weight: 1 }],
    })
    await manager().distribution.saveRule({ name: 'Todos', members: [{ userId: diego.userId, weight: 1 }] })

    const cheap = await newLead({ budgetMin: null, budgetMax: '450.000' })
    expect(cheap.assignedTo).toBe(bruno.userId)
    expect(await decisions(cheap.id)).toEqual([
      { from: null, to: bruno.userId, by: { reason: 'rule', rule: 'Até R$ 600 mil' } },
    ])
    // Places compare without case or accents.
    const rent = await newLead({ interest: 'rent', budgetMax: '900.000', locations: ['centro '] })
    expect(rent.assignedTo).toBe(carla.userId)
    expect((await newLead({ interest: 'rent', locations: ['Moema'] })).assignedTo).toBe(diego.userId)
    expect((await newLead()).assignedTo).toBe(diego.userId)

    // A disabled rule is skipped; moving a rule up changes who is tried first.
    const { rules } = await manager().distribution.get()
    expect(rules.map((r) => r.name)).toEqual(['Até R$ 600 mil', 'Aluguel no Centro', 'Todos'])
    await manager().distribution.moveRule({ id: rules[2]!.id, direction: 'up' })
    await manager().distribution.moveRule({ id: rules[2]!.id, direction: 'up' })
    expect((await manager().distribution.get()).rules.map((r) => r.name)).toEqual([
      'Todos',
      'Até R$ 600 mil',
      'Aluguel no Centro',
    ])
    expect((await newLead({ budgetMin: null, budgetMax: '100.000' })).assignedTo).toBe(diego.userId)
    const todos = rules[2]!
    await manager().distribution.saveRule({ ...todos, enabled: false })
    expect((await newLead({ budgetMin: null, budgetMax: '100.000' })).assignedTo).toBe(bruno.userId)
  })

  it('leaves a lead alone when someone chose its owner, and unassigned when no rule applies', async () => {
    await clearRules()
    await manager().distribution.saveRule({
      name: 'Só portais',
      sources: ['portal'],
      members: [{ userId: bruno.userId, weight: 1 }],
    })
    expect((await newLead({ source: 'website' })).assignedTo).toBeNull()
    expect((await newLead({ source: 'portal', assignedTo: carla.userId })).assignedTo).toBe(carla.userId)
    // An agent's own lead is theirs; "distribute" does not take it away.
    const own = await agent().leads.create({
      data: leadData({ phones: [nextPhone()], source: 'portal' }),
      distribute: true,
    })
    expect(own.assignedTo).toBe(w.a.agent.userId)
    expect((await newLead({ source: 'portal' })).assignedTo).toBe(bruno.userId)
  })

  it('skips paused members and, while others work, those outside their working hours', async () => {
    await clearRules()
    await manager().distribution.saveRule({
      name: 'Equipe',
      members: [
        { userId: bruno.userId, weight: 1 },
        { userId: carla.userId, weight: 1 },
      ],
    })
    await manager().distribution.setAvailability({ userId: bruno.userId, paused: true, workingHours: null })
    for (let i = 0; i < 3; i++) expect((await newLead()).assignedTo).toBe(carla.userId)
    await manager().distribution.setAvailability({ userId: bruno.userId, paused: false, workingHours: null })
    await manager().distribution.setAvailability({ userId: carla.userId, paused: false, workingHours: closed })
    for (let i = 0; i < 3; i++) expect((await newLead()).assignedTo).toBe(bruno.userId)
    // Nobody working: the lead still goes to someone (the SLA counts business hours).
    await manager().distribution.setAvailability({ userId: bruno.userId, paused: false, workingHours: closed })
    expect([bruno.userId, carla.userId]).toContain((await newLead()).assignedTo)
    // Everyone paused: no owner, a manager routes it.
    await manager().distribution.setAvailability({ userId: bruno.userId, paused: true, workingHours: null })
    await manager().distribution.setAvailability({ userId: carla.userId, paused: true, workingHours: null })
    expect((await newLead()).assignedTo).toBeNull()
  })

  it('gives a lead that came for a listing to the listing’s agent first, unless paused or turned off', async () => {
    await clearRules()
    await manager().distribution.saveRule({ name: 'Todos', members: [{ userId: carla.userId, weight: 1 }] })
    const property = await manager().properties.create({
      data: propertyData({ title: 'Casa do Bruno', code: 'DIST01', assignedTo: bruno.userId }),
    })
    const inquire = () =>
      withAgency(w.t.app.db, { agencyId: w.a.agencyId, userId: null }, (tx) =>
        takeInquiry(asSystem(tx, w.a.agencyId, 'portal'), {
          source: 'portal',
          channel: 'zap',
          portal: 'grupo_olx',
          name: 'Interessado',
          phones: [`+55119${String(7400_0000 + ++phone)}`],
          email: null,
          message: 'Quero visitar',
          listing: { code: 'DIST01' },
          fallbackName: 'Interessado',
        }),
      )
    const first = await inquire()
    const [lead] = await w.t.owner.db.execute<{ assigned_to: string }>(
      sql`select assigned_to from leads where id = ${first.leadId}`,
    )
    expect(lead!.assigned_to).toBe(bruno.userId)
    expect(await decisions(first.leadId)).toEqual([
      { via: 'portal', from: null, to: bruno.userId, by: { reason: 'listing_agent', rule: null } },
    ])
    expect(property.id).toBe(first.propertyId)
    await manager().distribution.setAvailability({ userId: bruno.userId, paused: true, workingHours: null })
    const second = await inquire()
    expect((await decisions(second.leadId))[0]).toMatchObject({ to: carla.userId, by: { reason: 'rule' } })
    await manager().distribution.setAvailability({ userId: bruno.userId, paused: false, workingHours: null })
    await manager().distribution.saveSettings({ listingAgent: false, slaMinutes: null })
    const third = await inquire()
    expect((await decisions(third.leadId))[0]).toMatchObject({ to: carla.userId })
    await manager().distribution.saveSettings({ listingAgent: true, slaMinutes: null })
  })

  it('shares 200 simultaneous arrivals exactly by weight', async () => {
    await clearRules()
    await manager().distribution.saveRule({
      name: 'Pesos',
      members: [
        { userId: bruno.userId, weight: 1 },
        { userId: carla.userId, weight: 2 },
        { userId: diego.userId, weight: 1 },
      ],
    })
    const leads = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        manager().leads.create({
          data: leadData({ name: `Paralelo ${i}`, phones: [nextPhone()] }),
          distribute: true,
        }),
      ),
    )
    const count = (id: string) => leads.filter((l) => l.assignedTo === id).length
    expect([count(bruno.userId), count(carla.userId), count(diego.userId)]).toEqual([50, 100, 50])
  })

  it('takes turns smoothly: with weights 2:1:1 nobody gets two in a row', async () => {
    await clearRules()
    await manager().distribution.saveRule({
      name: 'Suave',
      members: [
        { userId: bruno.userId, weight: 1 },
        { userId: carla.userId, weight: 2 },
        { userId: diego.userId, weight: 1 },
      ],
    })
    const owners: (string | null)[] = []
    for (let i = 0; i < 12; i++) owners.push((await newLead()).assignedTo)
    // Every four consecutive leads: two to the weight-2 member, one to each of the others — nobody out of turn.
    for (let i = 0; i + 4 <= owners.length; i++) {
      const window = owners.slice(i, i + 4)
      expect([bruno, carla, diego].map((p) => window.filter((o) => o === p.userId).length)).toEqual([1, 2, 1])
    }
  })
})

describe('first-contact SLA', () => {
  it('moves an uncontacted lead to the next in line, tells the managers, and logs why', async () => {
    await clearRules()
    await manager().distribution.saveSettings({ listingAgent: true, slaMinutes: 15 })
    await manager().distribution.saveRule({
      name: 'Roleta',
      members: [
        { userId: bruno.userId, weight: 1 },
        { userId: carla.userId, weight: 1 },
      ],
    })
    const lead = await newLead({ name: 'Sem contato' })
    const first = lead.assignedTo!
    const second = first === bruno.userId ? carla.userId : bruno.userId
    const [due] = await w.t.owner.db.execute<{ minutes: number }>(
      sql`select round(date_part('epoch', due_at - created_at) / 60) as minutes from lead_assignments where lead_id = ${lead.id}`,
    )
    expect(Number(due!.minutes)).toBe(15)
    // The lead's page shows the deadline and whose it is meanwhile.
    expect((await manager().leads.get({ id: lead.id })).firstContactDue).toMatchObject({ userId: first })
    // Not yet due: nothing moves.
    expect(await sweep()).toBe(0)
    await expire(lead.id)
    expect(await sweep()).toBe(1)
    const [now] = await w.t.owner.db.execute<{ assigned_to: string }>(
      sql`select assigned_to from leads where id = ${lead.id}`,
    )
    expect(now!.assigned_to).toBe(second)
    expect((await decisions(lead.id)).at(-1)).toEqual({
      via: 'system',
      from: first,
      to: second,
      by: { reason: 'sla', rule: 'Roleta', slaMinutes: 15, missedBy: first },
    })
    const notes = await w.t.owner.db.execute<{ user_id: string; data: Record<string, unknown> }>(
      sql`select user_id, data from notifications where kind = 'lead_sla_breached' and entity_id = ${lead.id}`,
    )
    expect(notes.map((n) => n.user_id)).toEqual([w.a.manager.userId])
    expect(notes[0]!.data).toMatchObject({ name: 'Sem contato', minutes: 15, from: expect.any(String) })
    // The second one misses it too: nobody left who has not had it, so it stays, and the managers hear so.
    await expire(lead.id)
    expect(await sweep()).toBe(1)
    const [still] = await w.t.owner.db.execute<{ assigned_to: string }>(
      sql`select assigned_to from leads where id = ${lead.id}`,
    )
    expect(still!.assigned_to).toBe(second)
    const last = await w.t.owner.db.execute<{ data: Record<string, unknown> }>(
      sql`select data from notifications where kind = 'lead_sla_breached' and entity_id = ${lead.id} order by created_at desc limit 1`,
    )
    expect(last[0]!.data).toMatchObject({ to: null })
  })

  it('closes the deadline without a breach once the lead is contacted or a person reassigns it', async () => {
    // Contacted in time: counted as met by the report below.
    const inTime = await newLead({ name: 'Contatado a tempo' })
    await manager().leads.setStatus({ id: inTime.id, status: 'contacted' })
    expect((await manager().leads.get({ id: inTime.id })).firstContactDue).toBeNull()
    const contacted = await newLead({ name: 'Contatado' })
    await manager().leads.setStatus({ id: contacted.id, status: 'contacted' })
    const moved = await newLead({ name: 'Reatribuído' })
    await manager().leads.assign({ id: moved.id, assignedTo: diego.userId })
    const [open] = await w.t.owner.db.execute<{ n: number }>(
      sql`select count(*)::int as n from lead_assignments where lead_id = ${moved.id} and ended_at is null`,
    )
    expect(open!.n).toBe(0)
    await expire(contacted.id)
    expect(await sweep()).toBe(0)
    const rows = await w.t.owner.db.execute<{ breached: boolean; ended: boolean }>(
      sql`select breached_at is not null as breached, ended_at is not null as ended from lead_assignments where lead_id in (${contacted.id}, ${moved.id})`,
    )
    expect(rows).toEqual([
      { breached: false, ended: true },
      { breached: false, ended: true },
    ])
  })

  it('reports compliance per member', async () => {
    const report = await manager().reports.get({ report: 'sla', period: '30d' })
    const byName = Object.fromEntries(report.rows.map((r) => [r.agent, r]))
    const sum = (key: string) => report.rows.reduce((s, r) => s + Number(r[key]), 0)
    expect(sum('missedSla')).toBe(2)
    expect(sum('contactedInTime')).toBe(1)
    // The two who missed the first lead's deadline have a compliance below 100 %.
    expect(Number(byName.Bruno!.slaCompliance) + Number(byName.Carla!.slaCompliance)).toBeLessThan(2)
    // An agent sees only their own line.
    const own = await w.caller(bruno, w.a.agencyId).reports.get({ report: 'sla', period: '30d' })
    expect(own.rows.every((r) => r.agent === 'Bruno')).toBe(true)
  })
})

describe('who may set it', () => {
  it('managers only; an agent pauses only themselves; bad rules are refused field by field', async () => {
    expect(await outcome(agent().distribution.get())).toBe('FORBIDDEN')
    expect(await outcome(manager().distribution.saveRule({ name: 'x', members: [] }))).toBe('BAD_REQUEST')
    expect(
      await outcome(agent().distribution.saveRule({ name: 'x', members: [{ userId: bruno.userId, weight: 1 }] })),
    ).toBe('FORBIDDEN')
    expect(
      await outcome(agent().distribution.setAvailability({ userId: bruno.userId, paused: true, workingHours: null })),
    ).toBe('FORBIDDEN')
    const mine = await agent().distribution.setAvailability({
      userId: w.a.agent.userId,
      paused: true,
      workingHours: null,
    })
    expect(mine.paused).toBe(true)
    expect((await agent().distribution.myAvailability()).paused).toBe(true)
    await agent().distribution.setAvailability({ userId: w.a.agent.userId, paused: false, workingHours: null })

    const inverted = await manager()
      .distribution.saveRule({
        name: 'Faixa',
        budgetMin: '900.000',
        budgetMax: '100.000',
        members: [{ userId: bruno.userId, weight: 1 }],
      })
      .catch((e: unknown) => e)
    expect(describeError(inverted).fieldErrors).toEqual({ budgetMax: ['distribution.bandInverted'] })
    const gone = await manager()
      .distribution.saveRule({ name: 'Ex', members: [{ userId: w.a.deactivated.userId, weight: 1 }] })
      .catch((e: unknown) => e)
    expect(describeError(gone).fieldErrors).toEqual({ members: ['records.assigneeInvalid'] })
    const stranger = await manager()
      .distribution.saveRule({ name: 'Outra', members: [{ userId: w.b.agent.userId, weight: 1 }] })
      .catch((e: unknown) => e)
    expect(describeError(stranger).fieldErrors).toEqual({ members: ['records.assigneeInvalid'] })
    expect(
      await outcome(manager().distribution.saveRule({ name: 'Peso', members: [{ userId: bruno.userId, weight: 11 }] })),
    ).toBe('BAD_REQUEST')
    expect(await outcome(manager().distribution.deleteRule({ id: '00000000-0000-4000-8000-000000000000' }))).toBe(
      'NOT_FOUND',
    )
  })
})

describe('first to claim (decision 031)', () => {
  const callerOf = (p: Persona) => w.caller(p, w.a.agencyId)
  async function expireOffers() {
    return withAgency(w.t.app.db, { agencyId: w.a.agencyId, userId: null }, (tx) =>
      expireLeadOffers(tx, { agencyId: w.a.agencyId }),
    )
  }

  it('offers a new lead to the rule’s available members; of two claims at once exactly one wins', async () => {
    await clearRules()
    await manager().distribution.saveRule({
      name: 'Plantão',
      mode: 'claim',
      claimMinutes: 10,
      members: [
        { userId: bruno.userId, weight: 1 },
        { userId: carla.userId, weight: 1 },
        { userId: diego.userId, weight: 1 },
      ],
    })
    await manager().distribution.setAvailability({ userId: diego.userId, paused: true, workingHours: null })
    const lead = await newLead({ name: 'Lead para pegar' })
    // Nobody owns it yet: it is offered to Bruno and Carla (Diego is paused), each told once, with the deadline.
    expect(lead.assignedTo).toBeNull()
    const offered = await callerOf(bruno).distribution.offers()
    expect(offered).toEqual([
      expect.objectContaining({ leadId: lead.id, name: 'Lead para pegar', ruleName: 'Plantão' }),
    ])
    expect(offered[0]!.expiresAt.getTime() - Date.now()).toBeGreaterThan(9 * 60_000)
    expect((await callerOf(carla).distribution.offers()).map((o) => o.leadId)).toContain(lead.id)
    expect((await callerOf(diego).distribution.offers()).map((o) => o.leadId)).not.toContain(lead.id)
    const told = await w.t.owner.db.execute<{ user_id: string }>(
      sql`select user_id from notifications where kind = 'lead_offered' and entity_id = ${lead.id} order by user_id`,
    )
    expect(told.map((n) => n.user_id).sort()).toEqual([bruno.userId, carla.userId].sort())
    const [offeredEvent] = await w.t.owner.db.execute<{ data: Record<string, unknown> }>(
      sql`select data from lead_events where lead_id = ${lead.id} and kind = 'offered'`,
    )
    expect(offeredEvent!.data).toMatchObject({ rule: 'Plantão', to: 2, minutes: 10 })

    // Both press "Pegar" at once: one gets the lead, the other is told it was taken (409), never both.
    const results = await Promise.all(
      [bruno, carla].map((p) => outcome(callerOf(p).distribution.claim({ leadId: lead.id }))),
    )
    expect([...results].sort()).toEqual(['CONFLICT', 'OK'])
    const winner = results[0] === 'OK' ? bruno : carla
    const { lead: after } = await manager().leads.get({ id: lead.id })
    expect([bruno.userId, carla.userId]).toContain(after.assignedTo)
    expect((await decisions(lead.id)).at(-1)).toMatchObject({
      to: after.assignedTo,
      by: { reason: 'claim', rule: 'Plantão' },
    })
    // The offer is gone for everyone; claiming again is refused with the reason.
    expect(await callerOf(bruno).distribution.offers()).toEqual([])
    expect(await callerOf(carla).distribution.offers()).toEqual([])
    const again = await callerOf(carla)
      .distribution.claim({ leadId: lead.id })
      .catch((e: unknown) => describeError(e))
    expect(again).toMatchObject({ code: 'CONFLICT', message: 'distribution.offerTaken' })
    expect(winner).toBeDefined()
    // Nobody's bell still invites them to claim it: the claim asks the system to mark the offer's notifications.
    const settle = (await queuedPayloads<{ userIds: string[]; entityId: string }>(w.t, 'notifications:settle')).find(
      (p) => p.entityId === lead.id,
    )
    expect(settle).toMatchObject({ kind: 'lead_offered', entityId: lead.id })
    expect(settle!.userIds.sort()).toEqual([bruno.userId, carla.userId].sort())
    await withAgency(w.t.app.db, { agencyId: w.a.agencyId, userId: null }, (tx) =>
      settleNotifications(tx, settle as never),
    )
    const unread = await w.t.owner.db.execute(
      sql`select 1 from notifications where kind = 'lead_offered' and entity_id = ${lead.id} and read_at is null`,
    )
    expect(unread).toHaveLength(0)
    // The claim starts the SLA like any assignment.
    const [assignment] = await w.t.owner.db.execute<{ reason: string; due_at: Date | null }>(
      sql`select reason, due_at from lead_assignments where lead_id = ${lead.id}`,
    )
    expect(assignment!.reason).toBe('claim')
  })

  it('someone not offered, another agency, or a lead a manager assigned meanwhile cannot be claimed', async () => {
    await clearRules()
    await manager().distribution.saveRule({
      name: 'Plantão 2',
      mode: 'claim',
      members: [{ userId: bruno.userId, weight: 1 }],
    })
    const lead = await newLead()
    expect(await outcome(callerOf(carla).distribution.claim({ leadId: lead.id }))).toBe('NOT_FOUND')
    expect(await outcome(w.caller(w.b.manager, w.b.agencyId).distribution.claim({ leadId: lead.id }))).toBe('NOT_FOUND')
    await manager().leads.assign({ id: lead.id, assignedTo: carla.userId })
    expect(await callerOf(bruno).distribution.offers()).toEqual([])
    expect(await outcome(callerOf(bruno).distribution.claim({ leadId: lead.id }))).toBe('CONFLICT')
    const { lead: after } = await manager().leads.get({ id: lead.id })
    expect(after.assignedTo).toBe(carla.userId)
  })

  it('an offer nobody claims in time goes by the rule’s turns; an expired one cannot be claimed', async () => {
    await clearRules()
    await manager().distribution.saveRule({
      name: 'Plantão 3',
      mode: 'claim',
      claimMinutes: 1,
      members: [
        { userId: bruno.userId, weight: 1 },
        { userId: carla.userId, weight: 1 },
      ],
    })
    const lead = await newLead({ name: 'Ninguém pegou' })
    await w.t.owner.db.execute(
      sql`update lead_offers set expires_at = now() - interval '1 second' where lead_id = ${lead.id}`,
    )
    const late = await callerOf(bruno)
      .distribution.claim({ leadId: lead.id })
      .catch((e: unknown) => describeError(e))
    expect(late).toMatchObject({ code: 'CONFLICT', message: 'distribution.offerExpired' })
    const unreadOffers = () =>
      w.t.owner.db.execute(
        sql`select 1 from notifications where kind = 'lead_offered' and entity_id = ${lead.id} and read_at is null`,
      )
    expect(await unreadOffers()).toHaveLength(2)
    expect(await expireOffers()).toBe(1)
    expect(await unreadOffers()).toHaveLength(0)
    expect(await expireOffers()).toBe(0)
    const { lead: after } = await manager().leads.get({ id: lead.id })
    expect([bruno.userId, carla.userId]).toContain(after.assignedTo)
    expect((await decisions(lead.id)).at(-1)).toMatchObject({ by: { reason: 'rule', rule: 'Plantão 3' } })
    const [told] = await w.t.owner.db.execute<{ n: number }>(
      sql`select count(*)::int as n from notifications where kind = 'lead_assigned' and entity_id = ${lead.id} and user_id = ${after.assignedTo}`,
    )
    expect(told!.n).toBe(1)
  })

  it('a rule in claim mode saves its minutes; bad minutes are refused on the field', async () => {
    await clearRules()
    const saved = await manager().distribution.saveRule({
      name: 'Plantão 4',
      mode: 'claim',
      claimMinutes: 15,
      members: [{ userId: bruno.userId, weight: 1 }],
    })
    const rule = (await manager().distribution.get()).rules.find((r) => r.id === saved.id)
    expect(rule).toMatchObject({ mode: 'claim', claimMinutes: 15 })
    for (const claimMinutes of [0, 241, 1.5])
      expect(
        await outcome(
          manager().distribution.saveRule({
            name: 'Ruim',
            mode: 'claim',
            claimMinutes,
            members: [{ userId: bruno.userId, weight: 1 }],
          }),
        ),
      ).toBe('BAD_REQUEST')
    await clearRules()
  })
})
