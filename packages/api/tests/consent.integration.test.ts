import { sql } from '@impera/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeError } from '../src/error-shape'
import { ZLeadIntakeInput } from '../src/schemas'
import { intakeLead } from '../src/services'
import { createStorage } from '../src/storage'
import { withAgencyActor } from '../src/trpc'
import type { WhatsAppRuntime } from '../src/whatsapp'
import { buildWorld, clientData, leadData, outcome, testSecrets, type World, deliverWhatsapp } from './harness'
import { startGraphStandIn, webhook } from './stand-ins/graph'

/**
 * LGPD consent (issue 17, decision 037) through the real router and WhatsApp pipeline: the ledger per lead and client,
 * who may read and record it, the intake's consent box, a contact's opt-out and opt-in words on WhatsApp, and
 * marketing templates refused without consent — by a person and by an agent's turn alike.
 */
let w: World
let graph: Awaited<ReturnType<typeof startGraphStandIn>>
let runtime: WhatsAppRuntime
let accountId: string
const PHONE_NUMBER_ID = '109876547777'
const APP_SECRET = 'app-secret-of-the-consent-app'
const TOKEN = 'EAAG-consent-token'

beforeAll(async () => {
  graph = await startGraphStandIn({ accessToken: TOKEN, appSecret: APP_SECRET, phoneNumbers: [PHONE_NUMBER_ID] })
  w = await buildWorld({ graph: { graphUrl: graph.url, graphVersion: graph.version } })
  runtime = {
    secrets: testSecrets,
    graphUrl: graph.url,
    graphVersion: graph.version,
    storage: createStorage({ driver: 'local', dir: '/tmp/impera-consent-test' }),
  }
  const created = await manager().whatsapp.createAccount({
    provider: 'cloud_api',
    label: 'Consentimento',
    phoneNumberId: PHONE_NUMBER_ID,
    displayNumber: '+55 11 95555-7777',
    accessToken: TOKEN,
    appSecret: APP_SECRET,
    verifyToken: 'verify-consent',
  })
  accountId = created.account.id
  await w.t.owner.db.execute(sql`
    insert into whatsapp_templates (agency_id, account_id, name, language, category, status, body, params, components) values
      (${w.a.agencyId}, ${accountId}, 'ofertas', 'pt_BR', 'MARKETING', 'APPROVED', 'Novidades para você, {{1}}.', 1, '[]'::jsonb),
      (${w.a.agencyId}, ${accountId}, 'lembrete', 'pt_BR', 'UTILITY', 'APPROVED', 'Lembrete: {{1}}.', 1, '[]'::jsonb)`)
})
afterAll(async () => {
  await graph.close()
  await w.t.close()
})

const manager = () => w.caller(w.a.manager, w.a.agencyId)
const agent = () => w.caller(w.a.agent, w.a.agencyId)
const system = () => ({ db: w.t.app.db, whatsapp: runtime })

const deliver = (body: unknown) =>
  deliverWhatsapp(w.t, system(), { accountId, agencyId: w.a.agencyId, sign: (raw) => graph.sign(raw) }, body)

let phoneSeq = 0
/** A new contact writes: a conversation linked to the lead the message made. */
async function newContact(text = 'Oi, vi o anúncio') {
  const waId = `55119870${String(++phoneSeq).padStart(5, '0')}`
  await deliver(webhook.envelope(PHONE_NUMBER_ID, [webhook.text(waId, text)]))
  const [c] = await w.t.owner.db.execute<{ id: string; lead_id: string }>(
    sql`select id, lead_id from whatsapp_conversations where agency_id = ${w.a.agencyId} and contact_wa_id = ${waId}`,
  )
  return { id: c!.id, leadId: c!.lead_id, waId }
}

const say = (waId: string, text: string) => deliver(webhook.envelope(PHONE_NUMBER_ID, [webhook.text(waId, text)]))

const sendTemplate = (conversationId: string, name: string) =>
  manager().whatsapp.send({
    id: crypto.randomUUID(),
    conversationId,
    type: 'template',
    name,
    language: 'pt_BR',
    parameters: ['Ana'],
  })

async function refusal(p: Promise<unknown>) {
  try {
    await p
  } catch (e) {
    const d = describeError(e)
    return { code: d.code, fieldErrors: d.fieldErrors }
  }
  return 'sent'
}

describe('the consent ledger', () => {
  it('starts unknown; a manager records a grant and a revocation, each audited, newest first', async () => {
    const lead = await manager().leads.create({
      data: leadData({ name: 'Lia Consentimento', phones: ['+55 11 97123-1001'] }),
    })
    expect(await manager().consent.get({ leadId: lead.id })).toEqual({ status: 'unknown', current: null, history: [] })
    await manager().consent.record({
      leadId: lead.id,
      granted: true,
      basis: 'consent',
      textVersion: 'Aceito receber ofertas por WhatsApp (site v3)',
    })
    expect(await manager().consent.get({ leadId: lead.id })).toMatchObject({
      status: 'granted',
      current: { granted: true, basis: 'consent', source: 'ui', recordedBy: w.a.manager.userId },
    })
    await manager().consent.record({ leadId: lead.id, granted: false, basis: 'consent', textVersion: 'por telefone' })
    const after = await manager().consent.get({ leadId: lead.id })
    expect(after.status).toBe('revoked')
    // A revocation has no basis, whatever the form sent.
    expect(after.history.map((h) => [h.granted, h.basis])).toEqual([
      [false, null],
      [true, 'consent'],
    ])
    const audits = await w.t.owner.db.execute<{ action: string }>(
      sql`select action from audit_log where agency_id = ${w.a.agencyId} and entity_id = ${lead.id} and action like 'consent.%' order by at`,
    )
    expect(audits.map((a) => a.action)).toEqual(['consent.grant', 'consent.revoke'])
  })

  it('is a client’s too; an agent reads what they see and records only on their own records', async () => {
    const client = await manager().clients.create({
      data: clientData({ name: 'Caio Cliente', assignedTo: w.a.manager.userId }),
    })
    await manager().consent.record({ clientId: client.id, granted: true, basis: 'contract' })
    expect((await manager().consent.get({ clientId: client.id })).current).toMatchObject({ basis: 'contract' })
    // Agency A's agents see only their own records: the manager's client is not there for them.
    expect(await outcome(agent().consent.get({ clientId: client.id }))).toBe('NOT_FOUND')
    expect(await outcome(agent().consent.record({ clientId: client.id, granted: false }))).toBe('NOT_FOUND')
    // Seeing every record, they read its consent but may not record it (the client is not theirs).
    await w.t.owner.db.execute(sql`update agencies set agents_see_all = true where id = ${w.a.agencyId}`)
    try {
      expect((await agent().consent.get({ clientId: client.id })).status).toBe('granted')
      expect(await outcome(agent().consent.record({ clientId: client.id, granted: false }))).toBe('FORBIDDEN')
    } finally {
      await w.t.owner.db.execute(sql`update agencies set agents_see_all = false where id = ${w.a.agencyId}`)
    }
    const own = await agent().leads.create({
      data: leadData({ name: 'Lead do corretor', phones: ['+55 11 97123-1003'], assignedTo: w.a.agent.userId }),
    })
    await agent().consent.record({ leadId: own.id, granted: true })
    expect((await agent().consent.get({ leadId: own.id })).status).toBe('granted')
    // Another agency's record does not exist here.
    expect(await outcome(w.caller(w.b.manager, w.b.agencyId).consent.get({ leadId: own.id }))).toBe('NOT_FOUND')
  })

  it('filters the leads and clients lists by consent: granted, revoked, never asked', async () => {
    const make = async (name: string, phone: string) =>
      (await manager().leads.create({ data: leadData({ name, phones: [phone] }) })).id
    const [yes, no, never] = [
      await make('Filtro Sim', '+55 11 97123-2001'),
      await make('Filtro Não', '+55 11 97123-2002'),
      await make('Filtro Nunca', '+55 11 97123-2003'),
    ]
    // A later grant after a revocation counts as the newest word; so does a revocation after a grant.
    await manager().consent.record({ leadId: yes, granted: false })
    await manager().consent.record({ leadId: yes, granted: true })
    await manager().consent.record({ leadId: no, granted: true })
    await manager().consent.record({ leadId: no, granted: false })
    const ids = async (consent: 'granted' | 'revoked' | 'none') =>
      (await manager().leads.list({ q: 'Filtro', consent })).rows.map((r) => r.id)
    expect([await ids('granted'), await ids('revoked'), await ids('none')]).toEqual([[yes], [no], [never]])
    const client = await manager().clients.create({ data: clientData({ name: 'Filtro Cliente' }) })
    const clientIds = async (consent: 'granted' | 'none') =>
      (await manager().clients.list({ q: 'Filtro Cliente', consent })).rows.map((r) => r.id)
    expect(await clientIds('none')).toEqual([client.id])
    await manager().consent.record({ clientId: client.id, granted: true })
    expect([await clientIds('granted'), await clientIds('none')]).toEqual([[client.id], []])
    expect(await outcome(manager().leads.list({ consent: 'maybe' as never }))).toBe('BAD_REQUEST')
  })

  it('refuses a request naming no record, or both', async () => {
    const lead = await manager().leads.create({ data: leadData({ name: 'Sem alvo', phones: ['+55 11 97123-1002'] }) })
    const client = await manager().clients.create({ data: clientData({ name: 'Dois alvos' }) })
    expect(await outcome(manager().consent.get({}))).toBe('BAD_REQUEST')
    expect(await outcome(manager().consent.record({ leadId: lead.id, clientId: client.id, granted: true }))).toBe(
      'BAD_REQUEST',
    )
    expect(await outcome(manager().consent.record({ leadId: lead.id, granted: 'sim' as unknown as boolean }))).toBe(
      'BAD_REQUEST',
    )
  })

  it('takes the intake form’s ticked box as consent with its wording; an unticked one records nothing', async () => {
    const intake = (phone: string, marketing: boolean) =>
      withAgencyActor(
        w.t.app.db,
        { userId: w.a.manager.userId, agencyId: w.a.agencyId, ip: null, action: 'records.write' },
        (ctx) =>
          intakeLead(
            ctx,
            ZLeadIntakeInput.parse({
              channel: 'Landing Jardins',
              person: { name: 'Rui Formulário', phones: [phone] },
              consent: { marketing, text: 'Quero receber novidades (landing v2)' },
            }),
          ),
      )
    const yes = await intake('+55 11 97123-0001', true)
    expect(await manager().consent.get({ leadId: yes.leadId })).toMatchObject({
      status: 'granted',
      current: { source: 'intake', basis: 'consent', textVersion: 'Quero receber novidades (landing v2)' },
    })
    const no = await intake('+55 11 97123-0002', false)
    expect((await manager().consent.get({ leadId: no.leadId })).status).toBe('unknown')
  })
})

describe('marketing on WhatsApp', () => {
  it('refuses a marketing template without consent, sends it with consent; a utility one needs none', async () => {
    const c = await newContact()
    expect(await refusal(sendTemplate(c.id, 'ofertas'))).toEqual({
      code: 'BAD_REQUEST',
      fieldErrors: { name: ['consent.errors.missing'] },
    })
    expect(await refusal(sendTemplate(c.id, 'lembrete'))).toBe('sent')
    await manager().consent.record({ leadId: c.leadId, granted: true })
    expect(await refusal(sendTemplate(c.id, 'ofertas'))).toBe('sent')
  })

  it('an opt-out word revokes marketing on the linked lead with the message as evidence; an opt-in word restores it', async () => {
    const c = await newContact()
    await manager().consent.record({ leadId: c.leadId, granted: true })
    // A person answers, so the conversation is not the bot's: the pipeline itself reads the word.
    await say(c.waId, 'Sair')
    const revoked = await manager().consent.get({ leadId: c.leadId })
    expect(revoked.current).toMatchObject({ granted: false, source: 'whatsapp', textVersion: 'Sair' })
    expect(revoked.current!.evidence).toMatchObject({ conversationId: c.id, messageId: expect.any(String) })
    expect(await refusal(sendTemplate(c.id, 'ofertas'))).toEqual({
      code: 'BAD_REQUEST',
      fieldErrors: { name: ['consent.errors.revoked'] },
    })
    // Replies still go: the opt-out is from marketing, not from the conversation.
    expect(await refusal(sendTemplate(c.id, 'lembrete'))).toBe('sent')
    // A sentence that merely contains the word is not an opt-out.
    const other = await newContact()
    await manager().consent.record({ leadId: other.leadId, granted: true })
    await say(other.waId, 'Vou sair agora, depois falamos')
    expect((await manager().consent.get({ leadId: other.leadId })).status).toBe('granted')

    // "voltar" from someone who never opted out is just a message.
    await say(other.waId, 'Voltar')
    expect((await manager().consent.get({ leadId: other.leadId })).history).toHaveLength(1)

    await say(c.waId, 'VOLTAR')
    expect((await manager().consent.get({ leadId: c.leadId })).current).toMatchObject({
      granted: true,
      basis: 'consent',
      source: 'whatsapp',
    })
    expect(await refusal(sendTemplate(c.id, 'ofertas'))).toBe('sent')
  })

  it('an opt-out from a number not linked to any record still refuses marketing once it is linked', async () => {
    const c = await newContact()
    await w.t.owner.db.execute(sql`update whatsapp_conversations set lead_id = null where id = ${c.id}`)
    await say(c.waId, 'PARAR')
    await w.t.owner.db.execute(sql`update whatsapp_conversations set lead_id = ${c.leadId} where id = ${c.id}`)
    expect((await manager().consent.get({ leadId: c.leadId })).status).toBe('unknown')
    expect(await refusal(sendTemplate(c.id, 'ofertas'))).toEqual({
      code: 'BAD_REQUEST',
      fieldErrors: { name: ['consent.errors.revoked'] },
    })
    // A grant recorded after the opt-out is the person's newer word.
    await manager().consent.record({ leadId: c.leadId, granted: true, textVersion: 'pediu de novo na loja' })
    expect(await refusal(sendTemplate(c.id, 'ofertas'))).toBe('sent')
  })
})
