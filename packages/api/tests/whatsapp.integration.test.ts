import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sql } from '@impera/db'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { describeError } from '../src/error-shape'
import {
  downloadMessageMedia,
  ingestWebhookEvent,
  purgeWebhookEvents,
  queueWhatsappMedia,
  receiveWebhook,
  reconcileAgency,
  sendQueuedMessage,
  syncWhatsappTemplates,
  verifyWebhookSubscription,
} from '../src/services'
import { SEND_LANES } from '../src/jobs'
import { withAgencyActor } from '../src/trpc'
import { createStorage } from '../src/storage'
import type { WhatsAppRuntime } from '../src/whatsapp'
import { buildWorld, clientData, leadData, outcome, queuedPayloads, testSecrets, type World } from './harness'
import { startGraphStandIn, webhook } from './stand-ins/graph'

let w: World
let graph: Awaited<ReturnType<typeof startGraphStandIn>>
let runtime: WhatsAppRuntime
let accountId: string
let dir: string
const PHONE_NUMBER_ID = '109876543210'
const APP_SECRET = 'app-secret-of-the-alfa-app'
const TOKEN = 'EAAG-access-token-of-alfa'

beforeAll(async () => {
  // The numbers this test adds, reachable with its token (a number is claimed only once its token proves access).
  graph = await startGraphStandIn({
    accessToken: TOKEN,
    appSecret: APP_SECRET,
    phoneNumbers: [PHONE_NUMBER_ID, '109876540001', '109876540002'],
  })
  w = await buildWorld({ graph: { graphUrl: graph.url, graphVersion: graph.version } })
  dir = await mkdtemp(path.join(tmpdir(), 'impera-wa-'))
  runtime = {
    secrets: testSecrets,
    graphUrl: graph.url,
    graphVersion: graph.version,
    storage: createStorage({ driver: 'local', dir }),
  }
  const created = await manager().whatsapp.createAccount({
    provider: 'cloud_api',
    label: 'Comercial',
    phoneNumberId: PHONE_NUMBER_ID,
    displayNumber: '+55 11 95555-0000',
    accessToken: TOKEN,
    appSecret: APP_SECRET,
    verifyToken: 'verify-me-please',
  })
  accountId = created.account.id
  expect(created.credentials).toBeNull()
})
afterAll(async () => {
  await graph.close()
  await w.t.close()
  await rm(dir, { recursive: true, force: true })
})

const manager = () => w.caller(w.a.manager, w.a.agencyId)
const db = () => w.t.app.db
/** What the webhook route and the worker's jobs hand the pipeline: the pool and the provider runtime. */
const system = () => ({ db: db(), whatsapp: runtime })

async function post(body: unknown, opts: { raw?: string; signature?: string | null } = {}) {
  const raw = Buffer.from(opts.raw ?? JSON.stringify(body))
  const headers: Record<string, string | undefined> = { 'content-type': 'application/json' }
  if (opts.signature !== null) headers['x-hub-signature-256'] = opts.signature ?? graph.sign(raw)
  return (await receiveWebhook(system(), { accountId, rawBody: raw, headers })).status
}

/** Runs the worker's ingest step for every pending stored event (what the whatsapp:ingest jobs do). */
async function drain() {
  const pending = await w.t.owner.db.execute<{ id: number }>(
    sql`select id from whatsapp_webhook_events where agency_id = ${w.a.agencyId} and state = 'pending' order by id`,
  )
  for (const p of pending) await ingestWebhookEvent(system(), { agencyId: w.a.agencyId, eventId: Number(p.id) })
  return pending.length
}

const send = (messageId: string, finalAttempt = false) =>
  sendQueuedMessage(system(), { agencyId: w.a.agencyId, messageId, finalAttempt })

async function messages(phone: string) {
  return w.t.owner.db.execute<{
    id: string
    body: string | null
    status: string
    direction: string
    provider_message_id: string | null
    error_code: string | null
    error_reason: string | null
    media: Record<string, unknown> | null
  }>(
    sql`select m.* from whatsapp_messages m join whatsapp_conversations c on c.id = m.conversation_id where c.agency_id = ${w.a.agencyId} and c.contact_phone = ${phone} order by m.provider_at, m.seq`,
  )
}

async function conversationOf(phone: string) {
  const [c] = await w.t.owner.db.execute<{
    id: string
    lead_id: string | null
    client_id: string | null
    last_inbound_at: Date | null
  }>(sql`select * from whatsapp_conversations where agency_id = ${w.a.agencyId} and contact_phone = ${phone}`)
  return c
}

/** An open conversation (the contact wrote just now) with a queued outbound text, returning the message id. */
async function queuedText(phone: string, text: string) {
  await post(webhook.envelope(PHONE_NUMBER_ID, [webhook.text(phone.replace('+', ''), 'Oi')]))
  await drain()
  const c = await conversationOf(phone)
  const id = crypto.randomUUID()
  await manager().whatsapp.send({ id, conversationId: c!.id, type: 'text', text })
  return id
}

describe('webhook intake', () => {
  it('answers the verification handshake with the challenge, 403 on a wrong token, 404 for an unknown account', async () => {
    const q = (token: string, mode = 'subscribe') =>
      new URLSearchParams({ 'hub.mode': mode, 'hub.verify_token': token, 'hub.challenge': '1158201444' })
    expect(await verifyWebhookSubscription(system(), { accountId, query: q('verify-me-please') })).toEqual({
      status: 200,
      body: '1158201444',
    })
    expect(await verifyWebhookSubscription(system(), { accountId, query: q('wrong') })).toEqual({
      status: 403,
      body: '',
    })
    expect(
      (await verifyWebhookSubscription(system(), { accountId, query: q('verify-me-please', 'unsubscribe') })).status,
    ).toBe(403)
    expect(
      (await verifyWebhookSubscription(system(), { accountId: crypto.randomUUID(), query: q('verify-me-please') }))
        .status,
    ).toBe(404)
  })

  it('verifies the signature over the raw bytes: escaped pt-BR accents pass, the same JSON re-serialised does not', async () => {
    const raw = JSON.stringify(
      webhook.envelope(PHONE_NUMBER_ID, [webhook.text('5511977770001', 'placeholder', { name: 'Jo\u00e3o' })]),
    )
      .replace('placeholder', 'Quero uma avalia\\u00e7\\u00e3o do im\\u00f3vel')
      .replace('Jo\u00e3o', 'Jo\\u00e3o')
    expect(raw).toContain('\\u00e7\\u00e3o')
    expect(await post(null, { raw })).toBe(200)
    const reserialised = JSON.stringify(JSON.parse(raw))
    expect(await post(null, { raw: reserialised, signature: graph.sign(raw) })).toBe(403)
    expect(await post(null, { raw, signature: null })).toBe(403)
    expect(await post(null, { raw, signature: `sha1=${'0'.repeat(40)}` })).toBe(403)
    expect(await post(null, { raw, signature: graph.sign(raw, 'another-secret') })).toBe(403)
    expect(await post(null, { raw, signature: 'sha256=abcd' })).toBe(403)
    const rows = await w.t.owner.db.execute<{ state: string; signature_ok: boolean }>(
      sql`select state, signature_ok from whatsapp_webhook_events where agency_id = ${w.a.agencyId} order by id`,
    )
    // Only the valid delivery is stored; each refusal is noted apart, as evidence.
    expect(rows.map((r) => [r.state, r.signature_ok])).toEqual([['pending', true]])
    const refusals = await w.t.owner.db.execute<{ signature: string | null }>(
      sql`select signature from whatsapp_webhook_rejections where agency_id = ${w.a.agencyId} order by id`,
    )
    expect(refusals.map((r) => r.signature)).toEqual([
      graph.sign(raw),
      null,
      `sha1=${'0'.repeat(40)}`,
      graph.sign(raw, 'another-secret'),
      'sha256=abcd',
    ])
    await drain()
    const [m] = await messages('+5511977770001')
    expect(m!.body).toBe('Quero uma avaliação do imóvel')
  })

  it('stores an unknown sender as a new WhatsApp lead, unassigned, and opens the conversation', async () => {
    await post(
      webhook.envelope(PHONE_NUMBER_ID, [
        webhook.text('5511977770002', 'Vi o anúncio do apartamento', { name: 'Renata Prado' }),
      ]),
    )
    await drain()
    const c = await conversationOf('+5511977770002')
    const [lead] = await w.t.owner.db.execute<{
      name: string
      source: string
      assigned_to: string | null
      phones: string[]
    }>(sql`select * from leads where id = ${c!.lead_id}`)
    expect(lead).toMatchObject({
      name: 'Renata Prado',
      source: 'whatsapp',
      assigned_to: null,
      phones: ['+5511977770002'],
    })
    expect(
      await w.t.owner.db.execute(
        sql`select 1 from audit_log where entity_id = ${c!.lead_id} and action = 'lead.create'`,
      ),
    ).toHaveLength(1)
  })

  it('notifies the managers of messages in an unowned conversation, one line per conversation with a count; the owner once owned', async () => {
    await post(
      webhook.envelope(PHONE_NUMBER_ID, [webhook.text('5511977770041', 'Primeira', { name: 'Olga Notificada' })]),
    )
    await drain()
    await post(webhook.envelope(PHONE_NUMBER_ID, [webhook.text('5511977770041', 'Segunda')]))
    await drain()
    const c = await conversationOf('+5511977770041')
    const mine = (await manager().notifications.list()).items.filter((n) => n.entityId === c!.id)
    expect(mine).toHaveLength(1)
    expect(mine[0]).toMatchObject({
      kind: 'message_received',
      count: 2,
      data: { contact: 'Olga Notificada', preview: 'Segunda' },
    })
    expect(
      (await w.caller(w.a.agent, w.a.agencyId).notifications.list()).items.filter((n) => n.entityId === c!.id),
    ).toEqual([])
    await manager().whatsapp.assign({ id: c!.id, assignedTo: w.a.agent.userId })
    await post(webhook.envelope(PHONE_NUMBER_ID, [webhook.text('5511977770041', 'Terceira')]))
    await drain()
    expect(
      (await w.caller(w.a.agent, w.a.agencyId).notifications.list()).items.filter((n) => n.entityId === c!.id),
    ).toMatchObject([{ kind: 'message_received', count: 1, data: { preview: 'Terceira' } }])
  })

  it('assigns new WhatsApp leads by the distribution rules, the conversation with the lead', async () => {
    const leadOf = async (phone: string) => {
      const c = await conversationOf(phone)
      const [l] = await w.t.owner.db.execute<{ assigned_to: string | null }>(
        sql`select assigned_to from leads where id = ${c!.lead_id}`,
      )
      return {
        lead: l!.assigned_to,
        conversation: (
          await w.t.owner.db.execute<{ assigned_to: string | null }>(
            sql`select assigned_to from whatsapp_conversations where id = ${c!.id}`,
          )
        )[0]!.assigned_to,
      }
    }
    // The rule the agency had before the distribution (decision 027): WhatsApp leads to one member…
    const rule = await manager().distribution.saveRule({
      name: 'WhatsApp',
      sources: ['whatsapp'],
      members: [{ userId: w.a.agent.userId, weight: 1 }],
    })
    await post(webhook.envelope(PHONE_NUMBER_ID, [webhook.text('5511977770030', 'Regra: membro')]))
    await drain()
    expect(await leadOf('+5511977770030')).toEqual({ lead: w.a.agent.userId, conversation: w.a.agent.userId })
    // …and with the rule gone, nobody: a manager routes it.
    await manager().distribution.deleteRule({ id: rule.id })
    await post(webhook.envelope(PHONE_NUMBER_ID, [webhook.text('5511977770031', 'Sem regra')]))
    await drain()
    expect(await leadOf('+5511977770031')).toEqual({ lead: null, conversation: null })
  })

  it('attaches a known phone to its lead, matching a Brazilian mobile sent without the 9th digit', async () => {
    const lead = await manager().leads.create({
      data: leadData({ name: 'Cliente antigo', phones: ['(11) 98765-1200'] }),
    })
    const before = await w.t.owner.db.execute(sql`select 1 from leads where agency_id = ${w.a.agencyId}`)
    await post(webhook.envelope(PHONE_NUMBER_ID, [webhook.text('551187651200', 'Ainda tem a casa?')]))
    await drain()
    expect((await conversationOf('+5511987651200'))!.lead_id).toBe(lead.id)
    expect(await w.t.owner.db.execute(sql`select 1 from leads where agency_id = ${w.a.agencyId}`)).toHaveLength(
      before.length,
    )
  })

  it('follows a contact to their new number: the conversation moves with its history, the lead and client gain the number', async () => {
    const lead = await manager().leads.create({
      data: leadData({ name: 'Troca de número', phones: ['(11) 98765-3300'] }),
    })
    const client = await manager().clients.create({
      data: clientData({ name: 'Troca de número', phones: ['(11) 98765-3300'] }),
    })
    await post(webhook.envelope(PHONE_NUMBER_ID, [webhook.text('5511987653300', 'Oi, é o número antigo')]))
    await drain()
    const before = (await conversationOf('+5511987653300'))!
    expect([before.lead_id, before.client_id]).toEqual([lead.id, client.id])
    await post(webhook.envelope(PHONE_NUMBER_ID, [webhook.numberChanged('5511987653300', '5511912343300')]))
    await drain()
    expect(await conversationOf('+5511987653300')).toBeUndefined()
    expect((await conversationOf('+5511912343300'))!.id).toBe(before.id)
    // The next message from the new number lands in the same conversation, after the old history and the notice.
    await post(webhook.envelope(PHONE_NUMBER_ID, [webhook.text('5511912343300', 'Agora é este número')]))
    await drain()
    expect((await messages('+5511912343300')).map((m) => m.body)).toEqual([
      'Oi, é o número antigo',
      'User changed from 5511987653300 to 5511912343300',
      'Agora é este número',
    ])
    const detail = await manager().leads.get({ id: lead.id })
    expect(detail.lead.phones).toEqual(['+5511987653300', '+5511912343300'])
    expect(detail.events.find((e) => e.kind === 'edited')?.data).toMatchObject({ fields: ['phones'] })
    expect((await manager().clients.get({ id: client.id })).client.phones).toEqual(['+5511987653300', '+5511912343300'])
    // A redelivered notice changes nothing more.
    await post(
      webhook.envelope(PHONE_NUMBER_ID, [
        webhook.numberChanged('5511987653300', '5511912343300', { id: 'wamid.SYS-again' }),
      ]),
    )
    await drain()
    expect((await manager().leads.get({ id: lead.id })).lead.phones).toHaveLength(2)
  })

  it('a new number that already has its own conversation keeps it; the records still gain the number', async () => {
    const lead = await manager().leads.create({ data: leadData({ name: 'Dois números', phones: ['(11) 98765-4400'] }) })
    await post(
      webhook.envelope(PHONE_NUMBER_ID, [
        webhook.text('5511987654400', 'Número antigo'),
        webhook.text('5511912344400', 'Número novo, escrevendo antes do aviso'),
      ]),
    )
    await drain()
    const oldOne = (await conversationOf('+5511987654400'))!
    const newOne = (await conversationOf('+5511912344400'))!
    await post(webhook.envelope(PHONE_NUMBER_ID, [webhook.numberChanged('5511987654400', '5511912344400')]))
    await drain()
    expect((await conversationOf('+5511987654400'))!.id).toBe(oldOne.id)
    expect((await conversationOf('+5511912344400'))!.id).toBe(newOne.id)
    expect((await manager().leads.get({ id: lead.id })).lead.phones).toEqual(['+5511987654400', '+5511912344400'])
  })

  it('processes every item of a batch: 2 entries × 2 changes × 3 messages = 12 messages, in provider-time order', async () => {
    const base = 1_790_000_000
    let n = 0
    const change = () => ({
      contacts: [{ profile: { name: 'Lote' }, wa_id: '5511977770003' }],
      messages: [0, 1, 2].map(() => ({
        from: '5511977770003',
        id: `wamid.BATCH${++n}`,
        timestamp: String(base + 100 - n),
        type: 'text',
        text: { body: `m${n}` },
      })),
    })
    const body = {
      object: 'whatsapp_business_account',
      entry: [0, 1].map(() => ({
        id: 'WABA1',
        changes: [0, 1].map(() => ({
          field: 'messages',
          value: { messaging_product: 'whatsapp', metadata: { phone_number_id: PHONE_NUMBER_ID }, ...change() },
        })),
      })),
    }
    expect(await post(body)).toBe(200)
    await drain()
    const rows = await messages('+5511977770003')
    expect(rows).toHaveLength(12)
    // Sent later in the batch but earlier in time: displayed first.
    expect(rows.map((r) => r.body)).toEqual(Array.from({ length: 12 }, (_, i) => `m${12 - i}`))
  })

  it('is idempotent: a byte-identical redelivery is one raw row; the same message in another batch is one message', async () => {
    const body = webhook.envelope(PHONE_NUMBER_ID, [webhook.text('5511977770004', 'duplicada', { id: 'wamid.DUP1' })])
    expect(await post(body)).toBe(200)
    expect(await post(body)).toBe(200)
    const other = webhook.envelope(PHONE_NUMBER_ID, [
      webhook.text('5511977770004', 'duplicada', { id: 'wamid.DUP1' }),
      webhook.text('5511977770004', 'nova', { id: 'wamid.DUP2' }),
    ])
    expect(await post(other)).toBe(200)
    await drain()
    await drain()
    expect((await messages('+5511977770004')).map((m) => m.body).sort()).toEqual(['duplicada', 'nova'])
    const [raw] = await w.t.owner.db.execute<{ n: number }>(
      sql`select count(*)::int as n from whatsapp_webhook_events where convert_from(raw_body, 'UTF8') like '%wamid.DUP1%'`,
    )
    expect(raw!.n).toBe(2)
  })

  it('keeps an unparseable body as failed evidence and ignores irrelevant fields with a 200', async () => {
    expect(await post(null, { raw: '{not json' })).toBe(200)
    expect(
      await post({
        object: 'whatsapp_business_account',
        entry: [{ id: 'W', changes: [{ field: 'message_template_status_update', value: {} }] }],
      }),
    ).toBe(200)
    await drain()
    const rows = await w.t.owner.db.execute<{ state: string; last_error: string | null }>(
      sql`select state, last_error from whatsapp_webhook_events where agency_id = ${w.a.agencyId} order by id desc limit 2`,
    )
    expect(rows.map((r) => r.state)).toEqual(['ignored', 'failed'])
    expect(rows[1]!.last_error).toContain('unparseable')
  })
})

describe('message templates', () => {
  const approved = (name: string, body: string) => ({
    id: `t-${name}`,
    name,
    language: 'pt_BR',
    status: 'APPROVED',
    category: 'UTILITY',
    components: [
      { type: 'HEADER', format: 'TEXT', text: 'Imobiliária' },
      { type: 'BODY', text: body },
    ],
  })

  it("syncs a number's templates from its business account across pages; the composer gets the approved ones", async () => {
    const created = await manager().whatsapp.createAccount({
      provider: 'cloud_api',
      label: 'Modelos',
      phoneNumberId: '109876540001',
      wabaId: '102290129340398',
      displayNumber: '+55 11 95555-0001',
      accessToken: TOKEN,
      appSecret: APP_SECRET,
      verifyToken: 'verify-modelos',
    })
    const id = created.account.id
    // Adding the number queued its first sync; the worker runs the same function.
    expect(
      (await queuedPayloads<{ accountId: string }>(w.t, 'whatsapp:sync-templates')).filter((p) => p.accountId === id),
    ).toHaveLength(1)
    graph.setTemplates(
      '102290129340398',
      [
        approved('visita_confirmada', 'Olá, {{1}}! Sua visita ao imóvel {{2}} está confirmada para {{3}}.'),
        { ...approved('oferta', 'Novidades para você, {{1}}.'), status: 'PENDING' },
        approved('obrigado', 'Obrigado pelo contato!'),
      ],
      { pageSize: 2 },
    )
    graph.templateRequests.length = 0
    expect(await syncWhatsappTemplates(system(), { agencyId: w.a.agencyId, accountId: id })).toEqual({
      synced: 3,
    })
    // Two pages, the second by cursor against our own base URL (never the `next` link, which would carry the token away).
    expect(graph.templateRequests).toHaveLength(2)
    expect(new URLSearchParams(graph.templateRequests[1]!).get('after')).toBeTruthy()
    expect(await manager().whatsapp.templates({ accountId: id })).toEqual([
      expect.objectContaining({ name: 'obrigado', language: 'pt_BR', params: 0, body: 'Obrigado pelo contato!' }),
      expect.objectContaining({ name: 'visita_confirmada', params: 3 }),
    ])
    expect(
      (await manager().whatsapp.templates({ accountId: id, all: true })).map((t) => `${t.name}:${t.status}`),
    ).toEqual(['obrigado:APPROVED', 'oferta:PENDING', 'visita_confirmada:APPROVED'])
    // Deleted at Meta → gone here; approved meanwhile → offered.
    graph.setTemplates('102290129340398', [
      approved('visita_confirmada', 'Olá, {{1}}! Sua visita ao imóvel {{2}} está confirmada para {{3}}.'),
      approved('oferta', 'Novidades para você, {{1}}.'),
    ])
    await syncWhatsappTemplates(system(), { agencyId: w.a.agencyId, accountId: id })
    expect((await manager().whatsapp.templates({ accountId: id })).map((t) => t.name)).toEqual([
      'oferta',
      'visita_confirmada',
    ])
    const account = (await manager().whatsapp.accounts()).find((a) => a.id === id)!
    expect(account.templatesSyncedAt).toBeInstanceOf(Date)
    expect(account.templatesError).toBeNull()
  })

  it('a refused token or a missing business account id is shown on the number, and the last good list stays', async () => {
    const created = await manager().whatsapp.createAccount({
      provider: 'cloud_api',
      label: 'Sem WABA',
      phoneNumberId: '109876540002',
      displayNumber: '+55 11 95555-0002',
      accessToken: TOKEN,
      appSecret: APP_SECRET,
      verifyToken: 'verify-sem-waba',
    })
    expect(
      await syncWhatsappTemplates(system(), { agencyId: w.a.agencyId, accountId: created.account.id }),
    ).toMatchObject({ synced: 0 })
    expect((await manager().whatsapp.accounts()).find((a) => a.id === created.account.id)!.templatesError).toMatch(
      /Business Account id/,
    )
    const withWaba = (await manager().whatsapp.accounts()).find((a) => a.label === 'Modelos')!
    graph.fault(/message_templates/, { code: 190, status: 401, details: 'Invalid OAuth access token' })
    expect(await syncWhatsappTemplates(system(), { agencyId: w.a.agencyId, accountId: withWaba.id })).toMatchObject({
      synced: 0,
    })
    expect((await manager().whatsapp.accounts()).find((a) => a.id === withWaba.id)!.templatesError).toBe(
      'Invalid OAuth access token',
    )
    expect((await manager().whatsapp.templates({ accountId: withWaba.id })).map((t) => t.name)).toEqual([
      'oferta',
      'visita_confirmada',
    ])
  })

  it('a synced template is checked before sending, and the thread shows the text the contact reads', async () => {
    await w.t.owner.db.execute(sql`
      insert into whatsapp_templates (agency_id, account_id, name, language, category, status, body, params, components) values
        (${w.a.agencyId}, ${accountId}, 'visita', 'pt_BR', 'UTILITY', 'APPROVED', 'Olá, {{1}}! Visita confirmada para {{2}}.', 2, '[]'::jsonb),
        (${w.a.agencyId}, ${accountId}, 'em_analise', 'pt_BR', 'MARKETING', 'PENDING', 'Oi {{1}}', 1, '[]'::jsonb)`)
    await post(webhook.envelope(PHONE_NUMBER_ID, [webhook.text('5511955557711', 'Oi')]))
    await drain()
    const c = (await conversationOf('+5511955557711'))!
    const send = (name: string, parameters: string[]) =>
      manager().whatsapp.send({
        id: crypto.randomUUID(),
        conversationId: c.id,
        type: 'template',
        name,
        language: 'pt_BR',
        parameters,
      })
    expect(describeError(await send('visita', ['Ana']).catch((e) => e)).fieldErrors).toEqual({
      parameters: ['whatsapp.templateParamCount'],
    })
    expect(describeError(await send('em_analise', ['Ana']).catch((e) => e)).fieldErrors).toEqual({
      name: ['whatsapp.templateNotApproved'],
    })
    const sent = await send('visita', ['Ana', 'sábado às 10h'])
    expect(sent.body).toBe('Olá, Ana! Visita confirmada para sábado às 10h.')
    await sendQueuedMessage(system(), { agencyId: w.a.agencyId, messageId: sent.id, finalAttempt: false })
    const out = graph.sends.find((x) => x.body.biz_opaque_callback_data === sent.id)!
    expect(out.body.template).toEqual({
      name: 'visita',
      language: { code: 'pt_BR' },
      components: [
        {
          type: 'body',
          parameters: [
            { type: 'text', text: 'Ana' },
            { type: 'text', text: 'sábado às 10h' },
          ],
        },
      ],
    })
    // A template approved since the last sync has no category here: it is held to the marketing rule (decision 046),
    // refused to a contact who never agreed, and goes as typed once they have.
    expect(describeError(await send('novo_aprovado', ['x']).catch((e) => e)).fieldErrors).toEqual({
      name: ['consent.errors.missing'],
    })
    await manager().consent.record({ leadId: c.lead_id!, granted: true, textVersion: 'Aceitou por telefone' })
    expect((await send('novo_aprovado', ['x'])).body).toBe('[novo_aprovado] x')
  })

  it('the sandbox number has templates to try; an agent cannot ask for a sync', async () => {
    const sandbox = await manager().whatsapp.createAccount({ provider: 'sandbox', label: 'Sandbox modelos' })
    await syncWhatsappTemplates(system(), { agencyId: w.a.agencyId, accountId: sandbox.account.id })
    expect((await manager().whatsapp.templates({ accountId: sandbox.account.id })).map((t) => t.name)).toEqual([
      'documentos_pendentes',
      'retomar_contato',
      'visita_confirmada',
    ])
    expect(await outcome(w.caller(w.a.agent, w.a.agencyId).whatsapp.syncTemplates({ id: sandbox.account.id }))).toBe(
      'FORBIDDEN',
    )
    expect(await outcome(manager().whatsapp.syncTemplates({ id: sandbox.account.id }))).toBe('OK')
  })
})

describe('raw webhook retention', () => {
  it("purges raw bodies read or ignored, and refusals, more than 30 days old; keeps pending and failed ones, and other agencies' ones", async () => {
    const o = w.t.owner.db
    const insert = async (agencyId: string, account: string, state: string, daysAgo: number) => {
      const [row] = await o.execute<{ id: number }>(sql`
        insert into whatsapp_webhook_events (agency_id, account_id, headers, raw_body, body_sha256, signature_ok, state, received_at)
        values (${agencyId}, ${account}, '{}'::jsonb, ${Buffer.from(`{"n":"${state}-${daysAgo}"}`)}, ${`sha-${state}-${daysAgo}-${crypto.randomUUID()}`}, ${state !== 'rejected'}, ${state}::whatsapp_event_state, now() - make_interval(days => ${daysAgo}))
        returning id`)
      return Number(row!.id)
    }
    const refusal = async (daysAgo: number) =>
      (
        await o.execute<{ id: number }>(
          sql`insert into whatsapp_webhook_rejections (agency_id, account_id, source, body_sha256, body_bytes, body_head, received_at) values (${w.a.agencyId}, ${accountId}, '203.0.113.1', 'x', 2, '\x7b7d'::bytea, now() - make_interval(days => ${daysAgo})) returning id`,
        )
      )[0]!.id
    const old = {
      processed: await insert(w.a.agencyId, accountId, 'processed', 31),
      ignored: await insert(w.a.agencyId, accountId, 'ignored', 40),
    }
    const kept = [
      await insert(w.a.agencyId, accountId, 'processed', 29),
      await insert(w.a.agencyId, accountId, 'pending', 90),
      await insert(w.a.agencyId, accountId, 'failed', 400),
    ]
    const oldRefusal = await refusal(31)
    const newRefusal = await refusal(2)
    const [bAccount] = await o.execute<{ id: string }>(
      sql`insert into whatsapp_accounts (agency_id, provider, label, phone_number_id, display_number) values (${w.b.agencyId}, 'sandbox', 'B', ${`sandbox-b-${crypto.randomUUID()}`}, '+55 11 90000-0002') returning id`,
    )
    const bOld = await insert(w.b.agencyId, bAccount!.id, 'processed', 60)
    expect(await purgeWebhookEvents({ db: db() }, { agencyId: w.a.agencyId })).toBe(3)
    const left = await o.execute<{ id: number }>(
      sql`select id from whatsapp_webhook_events where id in (${sql.join(
        [...Object.values(old), ...kept, bOld].map((id) => sql`${id}`),
        sql`, `,
      )})`,
    )
    expect(left.map((r) => Number(r.id)).sort((x, y) => x - y)).toEqual([...kept, bOld].sort((x, y) => x - y))
    const refusalsLeft = await o.execute<{ id: number }>(
      sql`select id from whatsapp_webhook_rejections where id in (${oldRefusal}, ${newRefusal})`,
    )
    expect(refusalsLeft.map((r) => Number(r.id))).toEqual([Number(newRefusal)])
    expect(await purgeWebhookEvents({ db: db() }, { agencyId: w.a.agencyId })).toBe(0)
  })
})

describe('outbound', () => {
  beforeEach(() => {
    graph.sends.length = 0
  })

  it('sends once per composer id, even on a double submit and a repeated job', async () => {
    const id = await queuedText('+5511977770010', 'Olá! Segue o link do imóvel.')
    const c = await conversationOf('+5511977770010')
    await manager().whatsapp.send({ id, conversationId: c!.id, type: 'text', text: 'Olá! Segue o link do imóvel.' })
    // The number's sender waits to run, once per lane at most however many times it was asked for.
    const waiting = (await queuedPayloads<{ accountId: string }>(w.t, 'whatsapp:send-pending')).filter(
      (p) => p.accountId === accountId,
    )
    expect(waiting.length).toBeGreaterThanOrEqual(1)
    expect(waiting.length).toBeLessThanOrEqual(SEND_LANES)
    await send(id)
    await send(id)
    expect(graph.sendsFor(id)).toBe(1)
    expect(graph.sends[0]!.body).toMatchObject({
      to: '5511977770010',
      type: 'text',
      text: { body: 'Olá! Segue o link do imóvel.' },
      biz_opaque_callback_data: id,
    })
    const [m] = (await messages('+5511977770010')).filter((x) => x.id === id)
    expect(m).toMatchObject({ status: 'sent', provider_message_id: graph.sends[0]!.wamid })
  })

  it('statuses only move forward, whatever order they arrive in; failed after delivery keeps delivered', async () => {
    const id = await queuedText('+5511977770011', 'Teste de recibos')
    await send(id)
    const wamid = graph.sends.at(-1)!.wamid
    const t = Math.floor(Date.now() / 1000)
    await post(
      webhook.envelope(PHONE_NUMBER_ID, [
        webhook.status(wamid, 'read', { ts: t + 3 }),
        webhook.status(wamid, 'sent', { ts: t + 1 }),
        webhook.status(wamid, 'delivered', { ts: t + 2 }),
      ]),
    )
    await drain()
    const status = async () => (await messages('+5511977770011')).find((m) => m.id === id)!.status
    expect(await status()).toBe('read')
    await post(webhook.envelope(PHONE_NUMBER_ID, [webhook.status(wamid, 'failed', { ts: t + 4, errorCode: 131026 })]))
    await drain()
    expect(await status()).toBe('read')
    const [log] = await w.t.owner.db.execute<{ n: number }>(
      sql`select count(*)::int as n from whatsapp_status_events where provider_message_id = ${wamid}`,
    )
    expect(log!.n).toBe(4)
  })

  it('a failed status before delivery fails the message with a human reason', async () => {
    const id = await queuedText('+5511977770012', 'Vai falhar')
    await send(id)
    const wamid = graph.sends.at(-1)!.wamid
    await post(webhook.envelope(PHONE_NUMBER_ID, [webhook.status(wamid, 'failed', { errorCode: 131047 })]))
    await drain()
    expect((await messages('+5511977770012')).find((m) => m.id === id)).toMatchObject({
      status: 'failed',
      error_code: '131047',
      error_reason: 'whatsapp.errors.windowClosed',
    })
    // Its author hears of it.
    const c = await conversationOf('+5511977770012')
    expect(
      (await manager().notifications.list()).items.find((n) => n.entityId === c!.id && n.kind === 'message_failed'),
    ).toMatchObject({ data: { reason: 'whatsapp.errors.windowClosed', preview: 'Vai falhar' } })
  })

  it('retries 130429 (rate limit) and then sends exactly once', async () => {
    const id = await queuedText('+5511977770013', 'Com limite')
    graph.fault(/\/messages$/, { code: 130429, status: 400, details: 'Rate limit hit' })
    const before = Date.now()
    await expect(send(id)).rejects.toMatchObject({ category: 'rate_limited' })
    // Back in the queue, not before its first back-off (a second) has passed.
    const [row] = await w.t.owner.db.execute<{ status: string; send_after: Date }>(
      sql`select status, send_after from whatsapp_messages where id = ${id}`,
    )
    expect(row!.status).toBe('queued')
    expect(new Date(row!.send_after).getTime()).toBeGreaterThanOrEqual(before + 1000)
    await send(id)
    expect(graph.sendsFor(id)).toBe(1)
  })

  it('stops on 131047 from the API with the reason, no retry; a text outside the window is refused before any call', async () => {
    const id = await queuedText('+5511977770014', 'Fora da janela')
    graph.fault(/\/messages$/, {
      code: 131047,
      details: 'Message failed to send because more than 24 hours have passed',
    })
    await send(id)
    expect((await messages('+5511977770014')).find((m) => m.id === id)).toMatchObject({
      status: 'failed',
      error_reason: 'whatsapp.errors.windowClosed',
    })
    const c = await conversationOf('+5511977770014')
    await w.t.owner.db.execute(
      sql`update whatsapp_conversations set last_inbound_at = now() - interval '24 hours 1 minute' where id = ${c!.id}`,
    )
    const err = await manager()
      .whatsapp.send({ id: crypto.randomUUID(), conversationId: c!.id, type: 'text', text: 'Oi de novo' })
      .catch((e) => e)
    expect(describeError(err)).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: { text: ['whatsapp.errors.windowClosed'] },
    })
    // A template is allowed outside the window (a synced utility one: no marketing consent needed).
    await w.t.owner.db.execute(sql`
      insert into whatsapp_templates (agency_id, account_id, name, language, category, status, body, params, components)
      values (${w.a.agencyId}, ${accountId}, 'retomar_contato', 'pt_BR', 'UTILITY', 'APPROVED', 'Olá, {{1}}!', 1, '[]'::jsonb)
      on conflict do nothing`)
    const tid = crypto.randomUUID()
    await manager().whatsapp.send({
      id: tid,
      conversationId: c!.id,
      type: 'template',
      name: 'retomar_contato',
      language: 'pt_BR',
      parameters: ['Maria'],
    })
    await send(tid)
    expect(graph.sends.at(-1)!.body).toMatchObject({
      type: 'template',
      template: {
        name: 'retomar_contato',
        language: { code: 'pt_BR' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: 'Maria' }] }],
      },
    })
  })

  it('a dropped connection after sending is ambiguous: never resent; the receipt echoing our id settles it', async () => {
    const id = await queuedText('+5511977770015', 'Conexão caiu')
    graph.fault(/\/messages$/, { drop: true })
    await send(id)
    expect((await messages('+5511977770015')).find((m) => m.id === id)).toMatchObject({
      status: 'failed',
      error_reason: 'whatsapp.errors.ambiguous',
    })
    expect(graph.sendsFor(id)).toBe(0)
    await post(
      webhook.envelope(PHONE_NUMBER_ID, [webhook.status('wamid.RECOVERED1', 'delivered', { correlationId: id })]),
    )
    await drain()
    expect((await messages('+5511977770015')).find((m) => m.id === id)).toMatchObject({
      status: 'delivered',
      provider_message_id: 'wamid.RECOVERED1',
    })
  })

  it('an expired token pauses the number and holds its queue; resuming re-drives it', async () => {
    const id = await queuedText('+5511977770016', 'Token expirado')
    graph.fault(/\/messages$/, { code: 190, status: 401, details: 'Error validating access token' })
    await send(id)
    const [account] = await w.t.owner.db.execute<{ paused_reason: string | null }>(
      sql`select paused_reason from whatsapp_accounts where id = ${accountId}`,
    )
    expect(account!.paused_reason).toContain('190')
    expect((await messages('+5511977770016')).find((m) => m.id === id)!.status).toBe('queued')
    await send(id)
    expect(graph.sendsFor(id)).toBe(0)
    await manager().whatsapp.resumeAccount({ id: accountId })
    await send(id)
    expect(graph.sendsFor(id)).toBe(1)
  })
})

describe('outbound attachments', () => {
  const attach = (
    conversationId: string,
    file: { id?: string; filename: string; mimeType: string; bytes: Uint8Array; caption?: string },
  ) =>
    withAgencyActor(
      db(),
      { userId: w.a.manager.userId, agencyId: w.a.agencyId, ip: null, action: 'records.write' },
      (ctx) =>
        queueWhatsappMedia(
          { ...ctx, storage: runtime.storage },
          { id: file.id ?? crypto.randomUUID(), conversationId, ...file },
        ),
    )

  it('uploads the file to the provider and sends it by id (never by a public link), once per composer id', async () => {
    await queuedText('+5511977770040', 'primeiro')
    const c = await conversationOf('+5511977770040')
    const id = crypto.randomUUID()
    const pdf = new TextEncoder().encode('%PDF-1.4 proposta')
    await attach(c!.id, {
      id,
      filename: 'proposta.pdf',
      mimeType: 'application/pdf',
      bytes: pdf,
      caption: 'Segue a proposta',
    })
    await attach(c!.id, {
      id,
      filename: 'proposta.pdf',
      mimeType: 'application/pdf',
      bytes: pdf,
      caption: 'Segue a proposta',
    })
    await send(id)
    const upload = graph.uploads.at(-1)!
    expect(upload).toMatchObject({ mimeType: 'application/pdf', bytes: pdf.byteLength })
    expect(graph.sends.at(-1)!.body).toMatchObject({
      type: 'document',
      document: { id: upload.id, filename: 'proposta.pdf', caption: 'Segue a proposta' },
      biz_opaque_callback_data: id,
    })
    expect(graph.sendsFor(id)).toBe(1)
    // A video goes the same way, as a video message with its caption.
    const videoId = crypto.randomUUID()
    const mp4 = new Uint8Array([0, 0, 0, 24, 102, 116, 121, 112])
    await attach(c!.id, { id: videoId, filename: 'tour.mp4', mimeType: 'video/mp4', bytes: mp4, caption: 'Tour' })
    await send(videoId)
    expect(graph.sends.at(-1)!.body).toMatchObject({
      type: 'video',
      video: { id: graph.uploads.at(-1)!.id, caption: 'Tour' },
    })
  })

  it('refuses types WhatsApp does not take, empty files, and attachments outside the window, naming the file', async () => {
    const c = await conversationOf('+5511977770040')
    const err = await attach(c!.id, {
      filename: 'setup.exe',
      mimeType: 'application/x-msdownload',
      bytes: new Uint8Array([1]),
    }).catch((e) => e)
    expect(err).toMatchObject({
      code: 'INVALID_INPUT',
      userMessage: 'whatsapp.errors.fileType',
      meta: { file: 'setup.exe' },
    })
    expect(
      await attach(c!.id, { filename: 'vazio.pdf', mimeType: 'application/pdf', bytes: new Uint8Array() }).catch(
        (e) => e.userMessage,
      ),
    ).toBe('whatsapp.errors.fileEmpty')
    // A "voice note" that is not Opus in WebM is refused as such, nothing stored.
    const badVoice = crypto.randomUUID()
    expect(
      await attach(c!.id, {
        id: badVoice,
        filename: 'mensagem-de-voz.webm',
        mimeType: 'audio/webm',
        bytes: new TextEncoder().encode('not a recording'),
      }).catch((e) => e.userMessage),
    ).toBe('whatsapp.errors.voiceNote')
    expect(await w.t.owner.db.execute(sql`select 1 from whatsapp_messages where id = ${badVoice}`)).toHaveLength(0)
    await w.t.owner.db.execute(
      sql`update whatsapp_conversations set last_inbound_at = now() - interval '2 days' where id = ${c!.id}`,
    )
    expect(
      await attach(c!.id, { filename: 'foto.jpg', mimeType: 'image/jpeg', bytes: new Uint8Array([1, 2]) }).catch(
        (e) => e.userMessage,
      ),
    ).toBe('whatsapp.errors.windowClosed')
  })
})

describe('media', () => {
  it('stores the message at once; a failing download is retried as its own job and ends stored with a verified file', async () => {
    graph.addMedia('2754859441498128', Buffer.from('fake-jpeg-bytes'), 'image/jpeg')
    const body = webhook.envelope(PHONE_NUMBER_ID, [
      {
        contacts: [{ profile: { name: 'Foto' }, wa_id: '5511977770020' }],
        messages: [
          {
            from: '5511977770020',
            id: 'wamid.IMG1',
            timestamp: String(Math.floor(Date.now() / 1000)),
            type: 'image',
            image: { id: '2754859441498128', mime_type: 'image/jpeg', caption: 'a fachada' },
          },
        ],
      },
    ])
    await post(body)
    await drain()
    const [m] = await messages('+5511977770020')
    expect(m).toMatchObject({ body: 'a fachada', media: { state: 'pending', providerMediaId: '2754859441498128' } })
    expect(
      (await queuedPayloads<{ messageId: string }>(w.t, 'whatsapp:media')).some((p) => p.messageId === m!.id),
    ).toBe(true)
    graph.fault(/\/2754859441498128$/, { status: 503 })
    await expect(
      downloadMessageMedia(system(), { agencyId: w.a.agencyId, messageId: m!.id, finalAttempt: false }),
    ).rejects.toMatchObject({ category: 'transient' })
    expect((await messages('+5511977770020'))[0]!.media).toMatchObject({ state: 'pending' })
    await downloadMessageMedia(system(), { agencyId: w.a.agencyId, messageId: m!.id, finalAttempt: false })
    const stored = (await messages('+5511977770020'))[0]!.media as { state: string; storageKey: string }
    expect(stored.state).toBe('stored')
    expect((await readFile(path.join(dir, stored.storageKey))).toString()).toBe('fake-jpeg-bytes')
  })

  it('a final failure is visible on the message with a retry action; the message itself is never lost', async () => {
    const body = webhook.envelope(PHONE_NUMBER_ID, [
      {
        contacts: [{ profile: { name: 'Doc' }, wa_id: '5511977770021' }],
        messages: [
          {
            from: '5511977770021',
            id: 'wamid.DOC1',
            timestamp: String(Math.floor(Date.now() / 1000)),
            type: 'document',
            document: { id: '1037543291543636', mime_type: 'application/pdf', filename: 'contrato.pdf' },
          },
        ],
      },
    ])
    await post(body)
    await drain()
    const [m] = await messages('+5511977770021')
    await downloadMessageMedia(system(), { agencyId: w.a.agencyId, messageId: m!.id, finalAttempt: true })
    expect((await messages('+5511977770021'))[0]!.media).toMatchObject({ state: 'failed', filename: 'contrato.pdf' })
    graph.addMedia('1037543291543636', Buffer.from('%PDF'), 'application/pdf')
    await manager().whatsapp.retryMedia({ id: m!.id })
    await downloadMessageMedia(system(), { agencyId: w.a.agencyId, messageId: m!.id, finalAttempt: false })
    expect((await messages('+5511977770021'))[0]!.media).toMatchObject({ state: 'stored' })
  })
})

describe('sandbox number', () => {
  it('injected messages travel stored event → ingest → conversation; replies get simulated receipts through the poll', async () => {
    const { account } = await manager().whatsapp.createAccount({ provider: 'sandbox', label: 'Demo' })
    await manager().whatsapp.sandboxInject({
      accountId: account.id,
      from: '+55 11 96666-1234',
      name: 'Contato Simulado',
      text: 'Olá, vi no site',
    })
    expect((await reconcileAgency(system(), { agencyId: w.a.agencyId })).delivered).toBe(1)
    await drain()
    const list = await manager().whatsapp.conversations({})
    const conv = list.rows.find((c) => c.contactPhone === '+5511966661234')!
    expect(conv).toMatchObject({ contactName: 'Contato Simulado', lastMessagePreview: 'Olá, vi no site', unread: 1 })
    await manager().whatsapp.markRead({ id: conv.id })
    expect((await manager().whatsapp.conversations({})).rows.find((c) => c.id === conv.id)!.unread).toBe(0)
    const id = crypto.randomUUID()
    await manager().whatsapp.send({ id, conversationId: conv.id, type: 'text', text: 'Olá! Como posso ajudar?' })
    await send(id)
    await w.t.owner.db.execute(
      sql`update whatsapp_sandbox_inbox set available_at = now() where agency_id = ${w.a.agencyId}`,
    )
    expect((await reconcileAgency(system(), { agencyId: w.a.agencyId })).delivered).toBe(2)
    await drain()
    const detail = await manager().whatsapp.conversation({ id: conv.id })
    expect(detail.messages.map((m) => [m.direction, m.status])).toEqual([
      ['inbound', 'received'],
      ['outbound', 'read'],
    ])
    expect(detail.conversation.windowOpen).toBe(true)
    // Numbers ending in 0000 demo a permanent failure.
    await manager().whatsapp.sandboxInject({ accountId: account.id, from: '+55 11 96666-0000', text: 'oi' })
    await reconcileAgency(system(), { agencyId: w.a.agencyId })
    await drain()
    const bad = (await manager().whatsapp.conversations({})).rows.find((c) => c.contactPhone === '+5511966660000')!
    const bid = crypto.randomUUID()
    await manager().whatsapp.send({ id: bid, conversationId: bad.id, type: 'text', text: 'oi' })
    await send(bid)
    const failed = (await manager().whatsapp.conversation({ id: bad.id })).messages.find((m) => m.id === bid)!
    expect(failed).toMatchObject({ status: 'failed', errorReason: 'whatsapp.errors.recipientInvalid' })
    expect(await outcome(manager().whatsapp.retry({ id: bid }))).toBe('OK')
  })
})

describe('starting a record’s conversation', () => {
  it('opens on the chosen number and phone; a number or phone not the agency’s or the record’s is refused', async () => {
    const { account: second } = await manager().whatsapp.createAccount({ provider: 'sandbox', label: 'Locação' })
    const lead = await manager().leads.create({
      data: leadData({ name: 'Dois Telefones', phones: ['11 97777-1001', '11 97777-1002'] }),
    })
    // Chosen: the second number, to the second phone.
    const chosen = await manager().whatsapp.forRecord({
      leadId: lead.id,
      accountId: second.id,
      phone: '+55 11 97777-1002',
    })
    const opened = await manager().whatsapp.conversation({ id: chosen.id })
    expect(opened.conversation).toMatchObject({ accountId: second.id, contactPhone: '+5511977771002' })
    // Asked again the same way: the same conversation, not a second one.
    expect(
      (await manager().whatsapp.forRecord({ leadId: lead.id, accountId: second.id, phone: '11977771002' })).id,
    ).toBe(chosen.id)
    // The first number to the first phone: another conversation of the same lead.
    const other = await manager().whatsapp.forRecord({ leadId: lead.id, accountId, phone: '11 97777-1001' })
    expect(other.id).not.toBe(chosen.id)
    expect((await manager().whatsapp.conversation({ id: other.id })).conversation).toMatchObject({
      accountId,
      contactPhone: '+5511977771001',
      leadId: lead.id,
    })
    // Without a choice: the record's latest conversation.
    expect([chosen.id, other.id]).toContain((await manager().whatsapp.forRecord({ leadId: lead.id })).id)
    const refused = async (input: { accountId?: string; phone?: string }) =>
      describeError(
        await manager()
          .whatsapp.forRecord({ leadId: lead.id, ...input })
          .catch((e: unknown) => e),
      ).fieldErrors
    expect(await refused({ phone: '+55 11 90000-0000' })).toEqual({ phone: ['whatsapp.phoneNotOnRecord'] })
    expect(await refused({ accountId: crypto.randomUUID() })).toEqual({ accountId: ['whatsapp.accountInvalid'] })
    const [bAccount] = await w.t.owner.db.execute<{ id: string }>(
      sql`insert into whatsapp_accounts (agency_id, provider, label, phone_number_id, display_number) values (${w.b.agencyId}, 'sandbox', 'B', ${`sandbox-b-${crypto.randomUUID()}`}, '+55 11 90000-0003') returning id`,
    )
    expect(await refused({ accountId: bAccount!.id })).toEqual({ accountId: ['whatsapp.accountInvalid'] })
  })
})
