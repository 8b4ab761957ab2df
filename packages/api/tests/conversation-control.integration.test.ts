import { sql, withAgency } from '@impera/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { authenticateKey, withIntegration } from '../src/integrations'
import { describeError } from '../src/error-shape'
import { applyReturnRule, ingestWebhookEvent, queueWhatsappMessage, receiveWebhook } from '../src/services'
import { createStorage } from '../src/storage'
import type { WhatsAppRuntime } from '../src/whatsapp'
import { buildWorld, outcome, testSecrets, type World } from './harness'
import { startGraphStandIn, webhook } from './stand-ins/graph'

/**
 * Decision 019: who answers a WhatsApp conversation. Every path that changes control goes through
 * services/conversation-control.ts; these tests drive each path and read what it left behind.
 */
let w: World
let graph: Awaited<ReturnType<typeof startGraphStandIn>>
let runtime: WhatsAppRuntime
let accountId: string
let apiKey: string
const PHONE_NUMBER_ID = '109876549999'
const APP_SECRET = 'app-secret-of-the-control-app'
const TOKEN = 'EAAG-control-token'

beforeAll(async () => {
  graph = await startGraphStandIn({ accessToken: TOKEN, appSecret: APP_SECRET, phoneNumbers: [PHONE_NUMBER_ID] })
  w = await buildWorld({ graph: { graphUrl: graph.url, graphVersion: graph.version } })
  runtime = {
    secrets: testSecrets,
    graphUrl: graph.url,
    graphVersion: graph.version,
    storage: createStorage({ driver: 'local', dir: '/tmp/impera-control-test' }),
  }
  const created = await manager().whatsapp.createAccount({
    provider: 'cloud_api',
    label: 'Controle',
    phoneNumberId: PHONE_NUMBER_ID,
    displayNumber: '+55 11 95555-9999',
    accessToken: TOKEN,
    appSecret: APP_SECRET,
    verifyToken: 'verify-control',
  })
  accountId = created.account.id
  const { key } = await manager().integrations.create({
    name: 'Agente externo',
    scopes: ['conversations:read', 'conversations:reply'],
  })
  apiKey = key.key
})
afterAll(async () => {
  await graph.close()
  await w.t.close()
})

const manager = () => w.caller(w.a.manager, w.a.agencyId)
const agent = () => w.caller(w.a.agent, w.a.agencyId)
const system = () => ({ db: w.t.app.db, whatsapp: runtime })

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

/** What Meta delivers when the business answers from its phone (an `smb_message_echoes` change). */
function echoDelivery(to: string, id: string, text: string, entryId = 'WABA1') {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: entryId,
        changes: [
          {
            field: 'smb_message_echoes',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '5511955559999', phone_number_id: PHONE_NUMBER_ID },
              message_echoes: [
                {
                  from: '5511955559999',
                  to,
                  id,
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  type: 'text',
                  text: { body: text },
                },
              ],
            },
          },
        ],
      },
    ],
  }
}

let phoneSeq = 0
/** A new contact writes to the number: a new conversation, as the pipeline opens it. */
async function newConversation() {
  const waId = `55119870${String(++phoneSeq).padStart(5, '0')}`
  await deliver(webhook.envelope(PHONE_NUMBER_ID, [webhook.text(waId, 'Oi, vi o anúncio')]))
  const [c] = await w.t.owner.db.execute<{ id: string }>(
    sql`select id from whatsapp_conversations where agency_id = ${w.a.agencyId} and contact_wa_id = ${waId}`,
  )
  return { id: c!.id, waId }
}

async function control(id: string) {
  const [c] = await w.t.owner.db.execute<{
    controller: string
    ai_mode: string
    control_reason: string | null
    control_changed_by: string | null
    last_human_at: Date | null
  }>(sql`select * from whatsapp_conversations where id = ${id}`)
  return c!
}

async function timeline(id: string) {
  return (
    await w.t.owner.db.execute<{ from_controller: string; to_controller: string; reason: string }>(
      sql`select from_controller, to_controller, reason from whatsapp_control_events where conversation_id = ${id} order by at, id`,
    )
  ).map((e) => `${e.from_controller}→${e.to_controller} ${e.reason}`)
}

async function audits(id: string) {
  return w.t.owner.db.execute<{ actor_user_id: string | null }>(
    sql`select actor_user_id from audit_log where action = 'whatsapp.conversation.control' and entity_id = ${id} order by id`,
  )
}

/** The agency's settings as they are, with `changes` on top. */
async function updateSettings(changes: Partial<Parameters<ReturnType<typeof manager>['agency']['updateSettings']>[0]>) {
  const a = await manager().agency.get()
  return manager().agency.updateSettings({
    name: a.name,
    locale: a.locale as 'pt-BR',
    currency: a.currency as 'BRL',
    defaultPhoneCountry: a.defaultPhoneCountry,
    timezone: a.timezone,
    agentsSeeAll: a.agentsSeeAll,
    contactSlaHours: a.contactSlaHours,
    staleReservedDays: a.staleReservedDays,
    ...changes,
  })
}

const setAgencyAi = (aiMode: 'off' | 'assist' | 'auto', aiReturnAfterHours: number | null = null) =>
  updateSettings({ aiMode, aiReturnAfterHours })

const sendText = (conversationId: string, text = 'Olá! Sou o corretor.') =>
  manager().whatsapp.send({ id: crypto.randomUUID(), conversationId, type: 'text', text })

describe('conversation control (decision 019)', () => {
  it('a new conversation takes its mode from the number, else the agency; auto starts with the bot', async () => {
    await setAgencyAi('assist')
    const fromAgency = await newConversation()
    expect(await control(fromAgency.id)).toMatchObject({ ai_mode: 'assist', controller: 'none' })

    await manager().whatsapp.setAccountAiMode({ id: accountId, aiMode: 'auto' })
    const fromNumber = await newConversation()
    expect(await control(fromNumber.id)).toMatchObject({ ai_mode: 'auto', controller: 'bot' })
    // The conversation opened before keeps its own mode: a number's setting is a default for new ones.
    expect((await control(fromAgency.id)).ai_mode).toBe('assist')

    await manager().whatsapp.setAccountAiMode({ id: accountId, aiMode: null })
    await setAgencyAi('off')
    expect(await control((await newConversation()).id)).toMatchObject({ ai_mode: 'off', controller: 'none' })
    // Only managers set a number's mode.
    expect(await outcome(agent().whatsapp.setAccountAiMode({ id: accountId, aiMode: 'auto' }))).toBe('FORBIDDEN')
  })

  it('a send from the composer takes control at once: timeline, audit, author', async () => {
    await manager().whatsapp.setAccountAiMode({ id: accountId, aiMode: 'auto' })
    const c = await newConversation()
    expect((await control(c.id)).controller).toBe('bot')
    const message = await sendText(c.id)
    expect(message.author).toBe('member')
    const after = await control(c.id)
    expect(after).toMatchObject({ controller: 'human', control_reason: 'human_send' })
    expect(after.control_changed_by).toBe(w.a.manager.userId)
    expect(after.last_human_at).not.toBeNull()
    expect(await timeline(c.id)).toEqual(['bot→human human_send'])
    expect((await audits(c.id)).map((a) => a.actor_user_id)).toEqual([w.a.manager.userId])
    // The thread shows the entry and the header who controls it.
    const view = await manager().whatsapp.conversation({ id: c.id })
    expect(view.control).toMatchObject({ controller: 'human', reason: 'human_send' })
    expect(view.timeline.map((e) => [e.toController, e.reason, e.actorName])).toEqual([
      ['human', 'human_send', expect.any(String)],
    ])
    // A second send changes nothing more.
    await sendText(c.id, 'Mais uma')
    expect(await timeline(c.id)).toHaveLength(1)
  })

  it('a send by an integration (public API, MCP) is a bot message and leaves control alone', async () => {
    const c = await newConversation()
    const key = await authenticateKey(w.t.app.db, apiKey, null)
    const message = await withIntegration(w.t.app.db, key, null, (ctx) =>
      queueWhatsappMessage(ctx, { id: crypto.randomUUID(), conversationId: c.id, type: 'text', text: 'Oi! Sou a IA.' }),
    )
    expect(message.author).toBe('bot')
    expect(await control(c.id)).toMatchObject({ controller: 'bot', last_human_at: null })
    expect(await timeline(c.id)).toEqual([])
    // An integration cannot "assumir" either: it is not a person.
    await expect(
      withIntegration(w.t.app.db, key, null, async (ctx) => {
        const { takeOverConversation } = await import('../src/services')
        return takeOverConversation(ctx, { id: c.id })
      }),
    ).rejects.toThrow(/integration is a bot/)
  })

  it('a message the business sends from its phone (an echo) is stored as a person’s and takes control', async () => {
    const c = await newConversation()
    const wamid = `wamid.ECHO${Date.now()}`
    const echo = echoDelivery(c.waId, wamid, 'Respondi pelo celular')
    await deliver(echo)
    await deliver(echoDelivery(c.waId, wamid, 'Respondi pelo celular', 'WABA1-again')) // a redelivery: one message
    const rows = await w.t.owner.db.execute<{ direction: string; author: string; status: string; body: string }>(
      sql`select direction, author, status, body from whatsapp_messages where provider_message_id = ${wamid}`,
    )
    expect(rows).toEqual([{ direction: 'outbound', author: 'phone', status: 'sent', body: 'Respondi pelo celular' }])
    expect(await control(c.id)).toMatchObject({
      controller: 'human',
      control_reason: 'phone_send',
      control_changed_by: null,
    })
    expect(await timeline(c.id)).toEqual(['bot→human phone_send'])
  })

  it('"assumir" and "devolver para a IA" explicitly; returning is refused while the AI is off', async () => {
    const c = await newConversation()
    await agent().whatsapp.takeOver({ id: c.id })
    expect(await control(c.id)).toMatchObject({ controller: 'human', control_reason: 'take_over' })
    expect((await control(c.id)).control_changed_by).toBe(w.a.agent.userId)
    await manager().whatsapp.returnToAi({ id: c.id })
    expect(await control(c.id)).toMatchObject({ controller: 'bot', control_reason: 'return_to_ai' })
    // Doing it again changes nothing (no second entry).
    await manager().whatsapp.returnToAi({ id: c.id })
    expect(await timeline(c.id)).toEqual(['bot→human take_over', 'human→bot return_to_ai'])
    // Turning the AI off takes the bot's control away; then it cannot be handed back.
    await manager().whatsapp.setAiMode({ id: c.id, aiMode: 'off' })
    expect(await control(c.id)).toMatchObject({ controller: 'none', ai_mode: 'off' })
    expect(await outcome(manager().whatsapp.returnToAi({ id: c.id }))).toBe('BAD_REQUEST')
    expect((await timeline(c.id)).at(-1)).toBe('bot→none mode_changed')
    expect(await audits(c.id)).toHaveLength(3)
  })

  it('the agency rule returns control to the bot after N hours without a human reply', async () => {
    const idle = await newConversation()
    const recent = await newConversation()
    await sendText(idle.id)
    await sendText(recent.id)
    // No rule yet (null = never): nothing returns, however old the last reply.
    await w.t.owner.db.execute(
      sql`update whatsapp_conversations set last_human_at = now() - interval '5 hours', control_changed_at = now() - interval '5 hours' where id = ${idle.id}`,
    )
    const run = () =>
      withAgency(w.t.app.db, { agencyId: w.a.agencyId, userId: null }, (tx) =>
        applyReturnRule(tx, { agencyId: w.a.agencyId }),
      )
    expect(await run()).toBe(0)
    await setAgencyAi('off', 4)
    await w.t.owner.db.execute(
      sql`update whatsapp_conversations set last_human_at = now() - interval '3 hours', control_changed_at = now() - interval '3 hours' where id = ${recent.id}`,
    )
    expect(await run()).toBe(1)
    expect(await control(idle.id)).toMatchObject({
      controller: 'bot',
      control_reason: 'idle_rule',
      control_changed_by: null,
    })
    expect(await control(recent.id)).toMatchObject({ controller: 'human' })
    expect(await timeline(idle.id)).toEqual(['bot→human human_send', 'human→bot idle_rule'])
    // A clock four hours on returns the other one too; the rule never touches a conversation whose AI is off.
    const later = new Date(Date.now() + 4 * 3600_000)
    const runLater = () =>
      withAgency(w.t.app.db, { agencyId: w.a.agencyId, userId: null }, (tx) =>
        applyReturnRule(tx, { agencyId: w.a.agencyId, now: later }),
      )
    await manager().whatsapp.setAiMode({ id: recent.id, aiMode: 'off' })
    await runLater()
    expect(await control(recent.id)).toMatchObject({ controller: 'human', ai_mode: 'off' })
    await manager().whatsapp.setAiMode({ id: recent.id, aiMode: 'assist' })
    await runLater()
    expect(await control(recent.id)).toMatchObject({ controller: 'bot', control_reason: 'idle_rule' })
  })

  it('with "horas úteis", only the agency’s opening hours count towards the rule', async () => {
    await updateSettings({
      timezone: 'America/Sao_Paulo',
      aiMode: 'auto',
      aiReturnAfterHours: 2,
      aiReturnBusinessHours: true,
      businessHours: {
        mon: '09:00-18:00',
        tue: '09:00-18:00',
        wed: '09:00-18:00',
        thu: '09:00-18:00',
        fri: '09:00-18:00',
        sat: '',
        sun: [],
      },
    })
    expect((await manager().agency.get()).businessHours).toMatchObject({ mon: ['09:00-18:00'], sat: [] })
    const c = await newConversation()
    await sendText(c.id)
    // A person answered on Friday 2026-12-04 at 17:30 (São Paulo, UTC−3) and went quiet.
    await w.t.owner.db.execute(
      sql`update whatsapp_conversations set last_human_at = '2026-12-04T20:30:00Z', control_changed_at = '2026-12-04T20:30:00Z' where id = ${c.id}`,
    )
    const runAt = (iso: string) =>
      withAgency(w.t.app.db, { agencyId: w.a.agencyId, userId: null }, (tx) =>
        applyReturnRule(tx, { agencyId: w.a.agencyId, now: new Date(iso) }),
      )
    // Saturday noon: 18½ wall-clock hours, but 30 minutes of opening hours.
    await runAt('2026-12-05T15:00:00Z')
    expect(await control(c.id)).toMatchObject({ controller: 'human' })
    // Monday 10:00: 1½ hours of opening hours. 10:30: two — back to the AI.
    await runAt('2026-12-07T13:00:00Z')
    expect(await control(c.id)).toMatchObject({ controller: 'human' })
    await runAt('2026-12-07T13:30:00Z')
    expect(await control(c.id)).toMatchObject({ controller: 'bot', control_reason: 'idle_rule' })
    // A range that is not one is refused on its day.
    const bad = await updateSettings({
      businessHours: { ...(await manager().agency.get()).businessHours, tue: ['18:00-09:00'] },
    }).catch((e) => e)
    expect(describeError(bad).fieldErrors).toEqual({ businessHours: ['settings.businessHours.invalid'] })
  })
})

describe("a person's first WhatsApp reply moves a new lead to contacted", () => {
  const leadOf = async (conversationId: string) => {
    const [row] = await w.t.owner.db.execute<{ id: string; status: string; first_contact_at: Date | null }>(sql`
      select l.id, l.status, l.first_contact_at from leads l
      join whatsapp_conversations c on c.agency_id = l.agency_id and c.lead_id = l.id where c.id = ${conversationId}`)
    return row!
  }
  const moves = async (leadId: string) =>
    w.t.owner.db.execute<{ actor_user_id: string | null; data: Record<string, unknown> }>(
      sql`select actor_user_id, data from lead_events where lead_id = ${leadId} and kind = 'status_changed' order by at, id`,
    )

  it('from the composer: recorded with who replied, once', async () => {
    const c = await newConversation()
    expect((await leadOf(c.id)).status).toBe('new')
    await sendText(c.id)
    const lead = await leadOf(c.id)
    expect(lead.status).toBe('contacted')
    expect(await moves(lead.id)).toEqual([
      { actor_user_id: w.a.manager.userId, data: { from: 'new', to: 'contacted', cause: 'first_reply' } },
    ])
    await sendText(c.id, 'Mais uma coisa')
    expect(await moves(lead.id)).toHaveLength(1)
    const audit = await w.t.owner.db.execute(
      sql`select 1 from audit_log where action = 'lead.status' and entity_id = ${lead.id} and actor_user_id = ${w.a.manager.userId}`,
    )
    expect(audit).toHaveLength(1)
  })

  it('from the business phone (an echo): moved by the system, via WhatsApp', async () => {
    const c = await newConversation()
    const wamid = `wamid.FIRST${Date.now()}`
    await deliver(echoDelivery(c.waId, wamid, 'Oi! Respondendo do celular'))
    const lead = await leadOf(c.id)
    expect(lead.status).toBe('contacted')
    expect(await moves(lead.id)).toEqual([
      { actor_user_id: null, data: { via: 'whatsapp', from: 'new', to: 'contacted', cause: 'first_reply' } },
    ])
  })

  it('leaves a lead that moved on alone, ignores bots, and can be turned off', async () => {
    const qualified = await newConversation()
    const q = await leadOf(qualified.id)
    await manager().leads.setStatus({ id: q.id, status: 'qualified' })
    await sendText(qualified.id)
    expect((await leadOf(qualified.id)).status).toBe('qualified')

    // An integration's message is a bot's (decision 019): not a person's contact.
    const botTalk = await newConversation()
    const key = await authenticateKey(w.t.app.db, apiKey, null)
    await withIntegration(w.t.app.db, key, null, (ctx) =>
      queueWhatsappMessage(ctx, {
        id: crypto.randomUUID(),
        conversationId: botTalk.id,
        type: 'text',
        text: 'Sou a IA',
      }),
    )
    expect((await leadOf(botTalk.id)).status).toBe('new')

    await updateSettings({ contactedOnFirstReply: false })
    const off = await newConversation()
    await sendText(off.id)
    expect((await leadOf(off.id)).status).toBe('new')
    await updateSettings({ contactedOnFirstReply: true })
  })

  it('an agent replying to their own new lead moves it too', async () => {
    const c = await newConversation()
    const lead = await leadOf(c.id)
    await manager().leads.assign({ id: lead.id, assignedTo: w.a.agent.userId })
    await w.t.owner.db.execute(
      sql`update whatsapp_conversations set assigned_to = ${w.a.agent.userId} where id = ${c.id}`,
    )
    await agent().whatsapp.send({
      id: crypto.randomUUID(),
      conversationId: c.id,
      type: 'text',
      text: 'Oi, sou a corretora',
    })
    expect(await moves(lead.id)).toEqual([
      { actor_user_id: w.a.agent.userId, data: { from: 'new', to: 'contacted', cause: 'first_reply' } },
    ])
  })
})
