import { sql } from '@impera/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeError } from '../src/error-shape'
import { snippet } from '../src/services'
import { buildWorld, clientData, leadData, outcome, propertyData, type World } from './harness'

let w: World
const ids: Record<string, string> = {}
let conversationId: string

beforeAll(async () => {
  w = await buildWorld()
  const manager = w.caller(w.a.manager, w.a.agencyId)
  ids.conceicao = (
    await manager.leads.create({
      data: leadData({
        name: 'Conceição Araújo',
        phones: ['(11) 98765-4321'],
        email: 'conceicao.araujo@exemplo.com.br',
        assignedTo: w.a.agent.userId,
      }),
    })
  ).id
  ids.marcio = (
    await manager.leads.create({
      data: leadData({ name: 'Márcio Fernandes', phones: ['(21) 99876-5432'], assignedTo: w.a.manager.userId }),
    })
  ).id
  ids.joaquim = (
    await manager.clients.create({
      data: clientData({
        name: 'Joaquim Barbosa',
        document: '111.444.777-35',
        phones: ['(11) 93456-7890'],
        assignedTo: w.a.agent.userId,
      }),
    })
  ).id
  const property = await manager.properties.create({
    data: propertyData({
      title: 'Apartamento com varanda gourmet',
      neighbourhood: 'Vila Madalena',
      city: 'São Paulo',
      assignedTo: w.a.agent.userId,
    }),
  })
  ids.property = property.id
  ids.code = property.code
  const [c] = await w.t.owner.db.execute<{ id: string }>(
    sql`insert into whatsapp_conversations (agency_id, account_id, contact_phone, contact_name, lead_id, assigned_to, last_inbound_at, last_message_at)
        values (${w.a.agencyId}, ${w.a.waAccountId}, '+5511976543210', 'Renata Prado', ${ids.conceicao}, ${w.a.agent.userId}, now(), now()) returning id`,
  )
  conversationId = c!.id
  await w.t.owner.db
    .execute(sql`insert into whatsapp_messages (agency_id, conversation_id, account_id, direction, type, body, status, provider_message_id, provider_at) values
    (${w.a.agencyId}, ${conversationId}, ${w.a.waAccountId}, 'inbound', 'text', 'Bom dia! Quero visitar o apartamento na Rua Harmonia, é possível amanhã?', 'received', 'wamid.S1', now() - interval '2 days'),
    (${w.a.agencyId}, ${conversationId}, ${w.a.waAccountId}, 'outbound', 'text', 'Claro, às 10h na rua harmonia está ótimo.', 'sent', 'wamid.S2', now() - interval '1 day')`)
})
afterAll(() => w.t.close())

const manager = () => w.caller(w.a.manager, w.a.agencyId)
const agent = () => w.caller(w.a.agent, w.a.agencyId)
const titles = (hits: { title: string }[]) => hits.map((h) => h.title)

describe('global search', () => {
  it('finds names without accents and with typos', async () => {
    expect(titles((await manager().search.global({ q: 'conceicao araujo' })).leads)).toContain('Conceição Araújo')
    expect(titles((await manager().search.global({ q: 'Conseição' })).leads)).toContain('Conceição Araújo')
    expect(titles((await manager().search.global({ q: 'marcio fernandez' })).leads)).toContain('Márcio Fernandes')
    expect(titles((await manager().search.global({ q: 'Joakim Barbosa' })).clients)).toContain('Joaquim Barbosa')
  })

  it('finds a phone in any format: digits only, with country code, without the 9th digit, the local part', async () => {
    for (const q of ['11987654321', '+55 (11) 98765-4321', '(11) 8765-4321', '98765-4321']) {
      expect(titles((await manager().search.global({ q })).leads), q).toContain('Conceição Araújo')
    }
  })

  it('finds e-mails, CPF with or without punctuation, property codes and addresses', async () => {
    expect(titles((await manager().search.global({ q: 'conceicao.araujo@exemplo' })).leads)).toEqual([
      'Conceição Araújo',
    ])
    expect(titles((await manager().search.global({ q: '111.444.777-35' })).clients)).toEqual(['Joaquim Barbosa'])
    expect(titles((await manager().search.global({ q: '11144477735' })).clients)).toEqual(['Joaquim Barbosa'])
    const byCode = await manager().search.global({ q: ids.code!.toLowerCase() })
    expect(byCode.properties[0]!.id).toBe(ids.property)
    expect((await manager().search.global({ q: 'vila madalena' })).properties.map((p) => p.id)).toContain(ids.property)
  })

  it('finds conversations by any message of their history, with a snippet around the match', async () => {
    const hits = (await manager().search.global({ q: 'rua harmonia' })).conversations
    expect(hits.filter((h) => h.id === conversationId)).toHaveLength(2)
    expect(hits.find((h) => h.subtitle?.includes('Quero visitar'))).toMatchObject({ title: 'Renata Prado' })
    expect(snippet('x'.repeat(100) + ' Rua Harmonia fim', 'harmonia')).toMatch(/^…x+ Rua Harmonia fim$/)
  })

  it('gives the contacts last active first, those that never had a message last (migration 0084)', async () => {
    const insert = (name: string, phone: string, minutesAgo: number | null) =>
      w.t.owner.db.execute<{ id: string }>(
        sql`insert into whatsapp_conversations (agency_id, account_id, contact_phone, contact_name, last_message_at)
            values (${w.a.agencyId}, ${w.a.waAccountId}, ${phone}, ${name},
              ${minutesAgo === null ? null : new Date(Date.now() - minutesAgo * 60_000).toISOString()}::timestamptz)
            returning id`,
      )
    // Eight matches, more than a group holds: the newest six come, in order; the one without messages does not.
    const many: string[] = []
    for (const [k, minutes] of [5, null, 1, 7, 3, 2, 8, 4].entries())
      many.push((await insert(`Zuleica ${k}`, `+55119770840${k}`, minutes))[0]!.id)
    const newest = [2, 5, 4, 7, 0, 3].map((k) => many[k])
    expect((await manager().search.global({ q: 'zuleica' })).conversations.map((c) => c.id)).toEqual(newest)
    // Fewer matches than a group holds: all of them, the one without messages last.
    const [old] = await insert('Yolanda Prates', '+5511977084101', 60)
    const [none] = await insert('Yolanda Prates', '+5511977084102', null)
    const [recent] = await insert('Yolanda Prates', '+5511977084103', 1)
    expect((await manager().search.global({ q: 'yolanda prates' })).conversations.map((c) => c.id)).toEqual([
      recent!.id,
      old!.id,
      none!.id,
    ])
    // The inbox's search takes every match.
    const inbox = await manager().whatsapp.conversations({ q: 'zuleica' })
    expect(inbox.rows.map((c) => c.id).sort()).toEqual([...many].sort())
  })

  it('never returns another agency’s records, nor (for an agent) a colleague’s', async () => {
    expect(titles((await agent().search.global({ q: 'marcio' })).leads)).toEqual([])
    expect(titles((await agent().search.global({ q: 'conceicao' })).leads)).toEqual(['Conceição Araújo'])
    const b = await w.caller(w.b.manager, w.b.agencyId).search.global({ q: 'conceicao' })
    expect([...b.leads, ...b.clients, ...b.properties, ...b.conversations]).toEqual([])
    expect(JSON.stringify(await w.caller(w.b.manager, w.b.agencyId).search.global({ q: 'harmonia' }))).not.toContain(
      conversationId,
    )
    expect(await outcome(w.caller(w.b.manager, w.a.agencyId).search.global({ q: 'conceicao' }))).toBe('FORBIDDEN')
  })

  it('a one-letter query is a 400 with a field error', async () => {
    const e = await manager()
      .search.global({ q: 'a' })
      .catch((x) => x)
    expect(describeError(e)).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { q: ['validation.tooShort'] } })
  })
})

describe('inbox search', () => {
  it('the conversation list matches contact names without accents and message text', async () => {
    const byText = await manager().whatsapp.conversations({ q: 'HARMONIA' })
    expect(byText.rows.map((c) => c.id)).toContain(conversationId)
    const byName = await manager().whatsapp.conversations({ q: 'renata' })
    expect(byName.rows.map((c) => c.id)).toEqual([conversationId])
  })

  it('inside one conversation: the matching messages, newest first', async () => {
    const hits = await agent().search.conversation({ conversationId, q: 'rua harmonia' })
    expect(hits.map((h) => h.direction)).toEqual(['outbound', 'inbound'])
    expect(
      await w.caller(w.b.manager, w.b.agencyId).search.conversation({ conversationId, q: 'rua harmonia' }),
    ).toEqual([])
  })
})
