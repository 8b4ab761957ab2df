import { sql, withAgency } from '@impera/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AgencyCtx } from '../src/ctx'
import { ZMatchPropertiesInput, type TMatchPropertiesInput } from '../src/schemas'
import { announcePropertyMatches, matchProperties } from '../src/services'
import { withAgencyActor } from '../src/trpc'
import { buildWorld, leadData, outcome, propertyData, queuedPayloads, type Persona, type World } from './harness'

let w: World
/** Titles by id, to read the ranking. */
const titles = new Map<string, string>()
let leadId: string

beforeAll(async () => {
  w = await buildWorld()
  const manager = w.caller(w.a.manager, w.a.agencyId)
  // The world's own "Apartamento da Alfa": Pinheiros, R$ 650.000, 2 bedrooms, for sale, the agent's.
  titles.set(w.a.propertyId, 'Apartamento da Alfa')
  const add = async (title: string, overrides: Record<string, unknown>, status?: 'reserved') => {
    const p = await manager.properties.create({ data: propertyData({ title, ...overrides }) })
    if (status) await manager.properties.setStatus({ id: p.id, status })
    titles.set(p.id, title)
    return p.id
  }
  await add('Perfeito', { salePrice: 70_000_000, bedrooms: 3 })
  await add('Só a cidade', { neighbourhood: 'Vila Madalena', salePrice: 60_000_000 })
  await add('Um pouco caro, 1 quarto', { salePrice: 84_000_000, bedrooms: 1, suites: 0 })
  await add('Abaixo do orçamento, sem acento', { neighbourhood: 'butanta', salePrice: 40_000_000 })
  await add('Caro demais', { salePrice: 90_000_000 })
  await add('Casa', { type: 'house' })
  await add('Só aluguel', { purpose: 'rent', salePrice: null, rentPrice: 500_000 })
  await add('Reservado', {}, 'reserved')
  await w
    .caller(w.b.manager, w.b.agencyId)
    .properties.create({ data: propertyData({ title: 'Perfeito da Beta', salePrice: 70_000_000, bedrooms: 3 }) })
  // leadData: buys an apartment, R$ 500.000–800.000, 2+ bedrooms; here in Pinheiros or Butantã, or elsewhere in the
  // city (a location may name either).
  leadId = (
    await manager.leads.create({
      data: leadData({
        name: 'Compradora',
        phones: ['11 97777-0101'],
        locations: ['Pinheiros', 'Butantã', 'sao paulo'],
      }),
    })
  ).id
}, 60_000)
afterAll(() => w.t.close())

function match(persona: Persona, input: Partial<TMatchPropertiesInput>, agencyId = w.a.agencyId) {
  return withAgencyActor(w.t.app.db, { userId: persona.userId, agencyId, ip: null }, (ctx: AgencyCtx) =>
    matchProperties(ctx, ZMatchPropertiesInput.parse(input)),
  )
}

describe('matching properties to a lead', () => {
  it("ranks by location, budget and bedrooms, keeping only what fits the lead's interest and types", async () => {
    const out = await match(w.a.manager, { leadId })
    expect(out.criteria).toMatchObject({ interest: 'buy', propertyTypes: ['apartment'], minBedrooms: 2 })
    expect(out.maxPoints).toBe(90)
    const ranked = out.matches.map((m) => [titles.get(m.id), m.score, m.reasons])
    expect(ranked).toEqual([
      // 40 + 30 + 20 of 90; the newer first.
      ['Perfeito', 100, ['neighbourhood', 'within_budget', 'bedrooms']],
      ['Apartamento da Alfa', 100, ['neighbourhood', 'within_budget', 'bedrooms']],
      // 40 + 20 + 20 (accents and case do not matter).
      ['Abaixo do orçamento, sem acento', 89, ['neighbourhood', 'below_budget', 'bedrooms']],
      // 25 + 30 + 20
      ['Só a cidade', 83, ['city', 'within_budget', 'bedrooms']],
      // 40 + 15 + 10
      ['Um pouco caro, 1 quarto', 72, ['neighbourhood', 'slightly_above_budget', 'one_bedroom_less']],
    ])
    // Over 10 % above the budget, a house, rent only, reserved, another agency's: none of them.
  })

  it("criteria given replace the lead's; without a lead they stand alone", async () => {
    const rent = await match(w.a.manager, { leadId, interest: 'rent', budgetMin: null, budgetMax: 600_000 })
    expect(rent.matches.map((m) => titles.get(m.id))).toEqual(['Só aluguel'])
    expect(rent.matches[0]).toMatchObject({ price: 500_000, rentPrice: 500_000, salePrice: null })
    const houses = await match(w.a.manager, { propertyTypes: ['house'], limit: 5 })
    expect(houses.leadId).toBeNull()
    expect(houses.matches.map((m) => [titles.get(m.id), m.score])).toEqual([['Casa', 100]])
    const top = await match(w.a.manager, { leadId, limit: 1 })
    expect(top.matches).toHaveLength(1)
  })

  it('refuses an empty question, a reversed budget, and leads the actor cannot see', async () => {
    expect(ZMatchPropertiesInput.safeParse({}).success).toBe(false)
    expect(ZMatchPropertiesInput.safeParse({ budgetMin: 10, budgetMax: 5 }).success).toBe(false)
    expect(ZMatchPropertiesInput.safeParse({ locations: ['a\u0000b'] }).success).toBe(false)
    expect(await outcome(match(w.b.manager, { leadId }, w.b.agencyId))).toBe('NOT_FOUND')
  })

  it("an agent who sees only their own records gets only those properties, and another's lead is not found", async () => {
    await w.t.owner.db.execute(sql`update properties set assigned_to = ${w.a.manager.userId} where title = 'Perfeito'`)
    const out = await match(w.a.agent, { locations: ['Pinheiros'] })
    const seen = out.matches.map((m) => titles.get(m.id))
    expect(seen).toContain('Apartamento da Alfa')
    expect(seen).not.toContain('Perfeito')
    await w.t.owner.db.execute(sql`update leads set assigned_to = ${w.a.manager.userId} where id = ${leadId}`)
    expect(await outcome(match(w.a.agent, { leadId }))).toBe('NOT_FOUND')
  })
})

describe('matching leads to a property', () => {
  it('lists the open leads the property suits, best first, with why; never what the reader may not see', async () => {
    const manager = w.caller(w.a.manager, w.a.agencyId)
    const lead = async (name: string, overrides: Record<string, unknown>, status?: 'lost') => {
      const l = await manager.leads.create({
        data: leadData({ name, phones: [`11 9${String(Math.random()).slice(2, 10)}`], ...overrides }),
      })
      if (status) await manager.leads.setStatus({ id: l.id, status, lostReason: 'budget' })
      return l.id
    }
    await lead('Quer alugar', { interest: 'rent' })
    await lead('Orçamento baixo', { budgetMin: null, budgetMax: 30_000_000 })
    await lead('Sem critérios', {
      locations: [],
      budgetMin: null,
      budgetMax: null,
      minBedrooms: null,
      propertyTypes: [],
    })
    await lead('Só casa', { propertyTypes: ['house'] })
    await lead('Perdido', {}, 'lost')
    const elsewhere = await lead('Outro bairro', { locations: ['Lourdes'], assignedTo: w.a.manager.userId })
    // The world's property: Pinheiros, R$ 650.000, 2 bedrooms, for sale.
    const out = await manager.properties.matches({ id: w.a.propertyId })
    const names = out.matches.map((m) => m.name)
    // The world's lead and the "Compradora" above both want Pinheiros, R$ 500–800 mil, 2+ bedrooms: a full match, first.
    expect(out.matches[0]!.score).toBe(100)
    expect(out.matches.find((m) => m.name === 'Lead da Alfa')).toMatchObject({
      score: 100,
      reasons: ['neighbourhood', 'within_budget', 'bedrooms'],
    })
    expect(out.matches.find((m) => m.id === elsewhere)).toMatchObject({
      score: 56,
      reasons: ['within_budget', 'bedrooms'],
    })
    for (const excluded of ['Quer alugar', 'Orçamento baixo', 'Sem critérios', 'Só casa', 'Perdido'])
      expect(names).not.toContain(excluded)
    // An agent kept to their own leads sees theirs (and unassigned ones), not the manager's.
    await w.t.owner.db.execute(sql`update agencies set agents_see_all = false where id = ${w.a.agencyId}`)
    const agents = await w.caller(w.a.agent, w.a.agencyId).properties.matches({ id: w.a.propertyId })
    expect(agents.matches.map((m) => m.name)).toContain('Lead da Alfa')
    expect(agents.matches.map((m) => m.id)).not.toContain(elsewhere)
    // And the lead page's suggestions are the ranking of matchProperties.
    const forLead = await manager.leads.matches({ id: elsewhere })
    expect(forLead.matches.map((m) => m.id)).toContain(w.a.propertyId)
  })
})

describe('announcing a listing to the agents of matching leads', () => {
  it('a price change queues the announcement; it tells each assignee how many of their leads match, once', async () => {
    const manager = w.caller(w.a.manager, w.a.agencyId)
    const before = (await queuedPayloads(w.t, 'properties:match-leads')).length
    const p = await manager.properties.get({ id: w.a.propertyId })
    await manager.properties.setStatus({ id: w.a.propertyId, status: 'reserved' })
    await manager.properties.setStatus({ id: w.a.propertyId, status: 'available' })
    const queued = await queuedPayloads<{ propertyId: string }>(w.t, 'properties:match-leads')
    // One waiting job per listing: the second change replaced the first.
    expect(queued.filter((q) => q.propertyId === w.a.propertyId).length).toBe(1)
    expect(queued.length).toBeGreaterThanOrEqual(before)
    const announce = () =>
      withAgency(w.t.app.db, { agencyId: w.a.agencyId, userId: null }, (tx) =>
        announcePropertyMatches(tx, { agencyId: w.a.agencyId, propertyId: w.a.propertyId }),
      )
    expect(await announce()).toBeGreaterThan(0)
    const notes = await w.t.owner.db.execute<{ user_id: string; data: { code: string; count: number } }>(
      sql`select user_id, data from notifications where kind = 'property_matches' and entity_id = ${w.a.propertyId}`,
    )
    const agents = notes.find((n) => n.user_id === w.a.agent.userId)
    expect(agents?.data.code).toBe(p.property.code)
    expect(agents?.data.count).toBeGreaterThanOrEqual(1)
    // Unread, it is not repeated.
    await announce()
    const again = await w.t.owner.db.execute(
      sql`select 1 from notifications where kind = 'property_matches' and entity_id = ${w.a.propertyId} and user_id = ${w.a.agent.userId}`,
    )
    expect(again).toHaveLength(1)
    // A listing no longer available is not announced.
    await manager.properties.setStatus({ id: w.a.propertyId, status: 'sold' })
    expect(await announce()).toBe(0)
  })
})
