import { sql } from '@impera/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AgencyCtx } from '../src/ctx'
import { ZMatchPropertiesInput, type TMatchPropertiesInput } from '../src/schemas'
import { matchProperties } from '../src/services'
import { withAgencyActor } from '../src/trpc'
import { buildWorld, leadData, outcome, propertyData, type Persona, type World } from './harness'

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
