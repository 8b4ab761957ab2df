import { sql, withAgency } from '@impera/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ingestWebhookEvent,
  readConfirmationReply,
  receiveWebhook,
  sendQueuedMessage,
  sendVisitConfirmations,
} from '../src/services'
import { createStorage } from '../src/storage'
import type { WhatsAppRuntime } from '../src/whatsapp'
import { zonedInstant } from '../src/zoned-time'
import { buildWorld, leadData, outcome, testSecrets, type World } from './harness'
import { startGraphStandIn } from './stand-ins/graph'

/**
 * Visit confirmations by WhatsApp (decision 026), against the Graph stand-in: the day before, the agency's approved
 * template goes to the lead through the real send step; the lead's button reply comes back as a signed webhook and
 * lands on the visit, with the assignee told.
 */
let w: World
let graph: Awaited<ReturnType<typeof startGraphStandIn>>
let runtime: WhatsAppRuntime
let accountId: string
const PHONE_NUMBER_ID = '109876541234'
const APP_SECRET = 'app-secret-of-the-confirmations-app'
const TOKEN = 'EAAG-confirmations-token'
const TZ = 'America/Sao_Paulo'

beforeAll(async () => {
  graph = await startGraphStandIn({ accessToken: TOKEN, appSecret: APP_SECRET, phoneNumbers: [PHONE_NUMBER_ID] })
  w = await buildWorld({ graph: { graphUrl: graph.url, graphVersion: graph.version } })
  runtime = {
    secrets: testSecrets,
    graphUrl: graph.url,
    graphVersion: graph.version,
    storage: createStorage({ driver: 'local', dir: '/tmp/impera-confirmations-test' }),
  }
  // The agency's only number for this test: the sandbox one of the harness goes, so new conversations open here.
  await w.t.owner.db.execute(sql`delete from whatsapp_accounts where agency_id = ${w.a.agencyId}`)
  const created = await manager().whatsapp.createAccount({
    provider: 'cloud_api',
    label: 'Confirmações',
    phoneNumberId: PHONE_NUMBER_ID,
    displayNumber: '+55 11 95555-1234',
    accessToken: TOKEN,
    appSecret: APP_SECRET,
    verifyToken: 'verify-confirmations',
  })
  accountId = created.account.id
  await w.t.owner.db.execute(sql`
    insert into whatsapp_templates (agency_id, account_id, name, language, category, status, body, params, components)
    values (${w.a.agencyId}, ${accountId}, 'confirmar_visita', 'pt_BR', 'UTILITY', 'APPROVED',
      'Olá {{1}}! Confirmamos sua visita {{2}} em {{3}}? Responda Sim ou Não.', 3, '[]'::jsonb),
      (${w.a.agencyId}, ${accountId}, 'promocao', 'pt_BR', 'MARKETING', 'REJECTED', 'Oferta', 0, '[]'::jsonb)`)
})
afterAll(async () => {
  await graph?.close()
  await w?.t.close()
})

const manager = () => w.caller(w.a.manager, w.a.agencyId)
const agent = () => w.caller(w.a.agent, w.a.agencyId)
const system = () => ({ db: w.t.app.db, whatsapp: runtime })
const HOUR = 3_600_000

/** Runs the worker's sweep for agency A at `now`, in its tenant transaction as the job does. */
function sweep(now: Date) {
  return withAgency(w.t.app.db, { agencyId: w.a.agencyId, userId: null }, (tx) =>
    sendVisitConfirmations(tx, { agencyId: w.a.agencyId, now }),
  )
}

async function taskRow(id: string) {
  const [row] = await w.t.owner.db.execute<{
    confirmation_state: string | null
    confirmation_reply: string | null
    confirmation_conversation_id: string | null
  }>(sql`select confirmation_state, confirmation_reply, confirmation_conversation_id from tasks where id = ${id}`)
  return row!
}

function replyDelivery(from: string, id: string, button: { payload: string; text: string }) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'WABA1',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '5511955551234', phone_number_id: PHONE_NUMBER_ID },
              contacts: [{ profile: { name: 'Contato' }, wa_id: from }],
              messages: [
                { from, id, timestamp: String(Math.floor(Date.now() / 1000)), type: 'button', button: button },
              ],
            },
          },
        ],
      },
    ],
  }
}

async function deliver(body: unknown) {
  const raw = Buffer.from(JSON.stringify(body))
  const res = await receiveWebhook(system(), {
    accountId,
    rawBody: raw,
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': graph.sign(raw) },
  })
  expect(res.status).toBe(200)
  const pending = await w.t.owner.db.execute<{ id: number }>(
    sql`select id from whatsapp_webhook_events where agency_id = ${w.a.agencyId} and state = 'pending' order by id`,
  )
  for (const p of pending) await ingestWebhookEvent(system(), { agencyId: w.a.agencyId, eventId: Number(p.id) })
}

describe('choosing the template', () => {
  it('managers choose an approved template or none; agents cannot; unknown ones are refused', async () => {
    expect(await outcome(agent().tasks.setVisitConfirmation({ name: 'confirmar_visita', language: 'pt_BR' }))).toBe(
      'FORBIDDEN',
    )
    expect(await outcome(manager().tasks.setVisitConfirmation({ name: 'promocao', language: 'pt_BR' }))).toBe(
      'BAD_REQUEST',
    )
    expect(await outcome(manager().tasks.setVisitConfirmation({ name: 'nao_existe', language: 'pt_BR' }))).toBe(
      'BAD_REQUEST',
    )
    const off = await manager().tasks.setVisitConfirmation({ name: null, language: 'pt_BR' })
    expect(off.template).toBeNull()
    expect(off.templates.map((t) => t.name)).toEqual(['confirmar_visita'])
    const on = await manager().tasks.setVisitConfirmation({ name: 'confirmar_visita', language: 'pt_BR' })
    expect(on.template).toEqual({ name: 'confirmar_visita', language: 'pt_BR' })
  })
})

describe('the day before', () => {
  it('sends the template once in daytime, and the button reply confirms the visit', async () => {
    const lead = await agent().leads.create({
      data: leadData({ name: 'Marina Confirma', phones: ['11 97654-3210'], assignedTo: w.a.agent.userId }),
    })
    const dueAt = new Date(zonedInstant(TZ, 2031, 6, 10, 14 * 60))
    const visit = await agent().tasks.create({
      data: {
        kind: 'visit',
        title: 'Visita ao apartamento',
        dueAt,
        leadId: lead.id,
        propertyIds: [w.a.propertyId],
        place: 'Rua das Flores, 10',
      },
    })
    // At night (02:00 in São Paulo) nothing goes; two days before, neither.
    expect(await sweep(new Date(zonedInstant(TZ, 2031, 6, 10, 2 * 60)))).toBe(0)
    expect(await sweep(new Date(dueAt.getTime() - 48 * HOUR))).toBe(0)
    expect((await taskRow(visit.id)).confirmation_state).toBeNull()
    // The afternoon before: sent, once.
    const before = new Date(dueAt.getTime() - 20 * HOUR)
    expect(await sweep(before)).toBe(1)
    expect(await sweep(before)).toBe(0)
    const row = await taskRow(visit.id)
    expect(row.confirmation_state).toBe('sent')
    const [message] = await w.t.owner.db.execute<{ id: string; body: string; author: string; type: string }>(
      sql`select id, body, author, type from whatsapp_messages where conversation_id = ${row.confirmation_conversation_id}`,
    )
    expect(message!.type).toBe('template')
    expect(message!.author).toBe('system')
    expect(message!.body).toContain('Olá Marina!')
    expect(message!.body).toContain('Rua das Flores, 10')
    // The real send step delivers it to "Meta" as a template with its three parameters.
    await sendQueuedMessage(system(), { agencyId: w.a.agencyId, messageId: message!.id, finalAttempt: false })
    expect(graph.sendsFor(message!.id)).toBe(1)
    const sent = graph.sends.find((s) => s.body.biz_opaque_callback_data === message!.id)!.body as {
      type: string
      template: { name: string; components: { parameters: { text: string }[] }[] }
    }
    expect(sent.type).toBe('template')
    expect(sent.template.name).toBe('confirmar_visita')
    expect(sent.template.components[0]!.parameters.map((p) => p.text)[0]).toBe('Marina')
    // The visit shows it on the agent's agenda.
    expect((await agent().tasks.get({ id: visit.id })).confirmationState).toBe('sent')

    // Marina taps "Sim" on the template's button.
    await deliver(replyDelivery('5511976543210', 'wamid.CONFIRMA1', { payload: 'SIM', text: 'Sim' }))
    const confirmed = await agent().tasks.get({ id: visit.id })
    expect(confirmed.confirmationState).toBe('confirmed')
    expect(confirmed.confirmationReply).toBe('Sim')
    const [n] = await w.t.owner.db.execute<{ kind: string }>(
      sql`select kind from notifications where user_id = ${w.a.agent.userId} and entity_id = ${visit.id} and kind = 'visit_reply'`,
    )
    expect(n?.kind).toBe('visit_reply')

    // Moved to another day, it is confirmed again for the new time.
    await agent().tasks.reschedule({ id: visit.id, dueAt: new Date(dueAt.getTime() + 24 * HOUR) })
    expect((await taskRow(visit.id)).confirmation_state).toBeNull()
  })

  it('a visit that cannot be confirmed says why and is not retried', async () => {
    const client = await manager().clients.create({
      data: { name: 'Cliente sem telefone', phones: [], email: 'semfone@example.test', assignedTo: w.a.agent.userId },
    })
    const dueAt = new Date(zonedInstant(TZ, 2031, 7, 2, 15 * 60))
    const visit = await agent().tasks.create({
      data: { kind: 'visit', title: 'Visita sem telefone', dueAt, clientId: client.id, propertyIds: [w.a.propertyId] },
    })
    const at = new Date(dueAt.getTime() - 20 * HOUR)
    expect(await sweep(at)).toBe(0)
    const row = await taskRow(visit.id)
    expect(row.confirmation_state).toBe('failed')
    expect(row.confirmation_reply).toBe('whatsapp.errors.noPhone')
    expect(await sweep(at)).toBe(0)
  })

  it('reads replies for yes, no, or something else', () => {
    const cases: [string, string | null, string][] = [
      ['Sim', null, 'confirmed'],
      ['', 'SIM', 'confirmed'],
      ['sim, confirmo!', null, 'confirmed'],
      ['Pode ser', null, 'confirmed'],
      ['👍', null, 'confirmed'],
      ['Não posso amanhã', null, 'declined'],
      ['nao vou conseguir', null, 'declined'],
      ['Preciso remarcar', null, 'declined'],
      ['Sim, mas vou precisar remarcar o horário', null, 'declined'],
      ['no', null, 'declined'],
      ['Estarei no local às 14h', null, 'replied'],
      ['Qual o número do apartamento?', null, 'replied'],
    ]
    for (const [text, button, want] of cases) expect([text, readConfirmationReply(text, button)]).toEqual([text, want])
  })
})
