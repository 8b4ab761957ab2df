import { once } from 'node:events'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createCaller, createContext } from '@impera/api'
import { createPublicApi, type PublicApi } from '@impera/api/public-api'
import { receiveWebhook } from '@impera/api/services'
import { createStorage } from '@impera/api/storage'
import { targetPolicy, type TargetPolicy } from '@impera/api/webhooks'
import type { WhatsAppRuntime } from '@impera/api/whatsapp'
import { and, eq, sql, whatsappConversations, whatsappMessages } from '@impera/db'
import type { Runner } from 'graphile-worker'
import pino from 'pino'
import { Webhook } from 'standardwebhooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  buildWorld,
  clientData,
  leadData,
  propertyData,
  testSecrets,
  type Persona,
  type World,
} from '../../../packages/api/tests/harness'
import { startGraphStandIn, webhook } from '../../../packages/api/tests/stand-ins/graph'
import { createMailer, startWorker } from '../src/index'

/**
 * Each outgoing webhook event type beyond the lead ones of webhooks.integration.test.ts, delivered by the real worker
 * over real HTTP when the real change happens: through the tRPC router, the public API, and for WhatsApp a signed
 * Graph webhook stored by the intake service and ingested by the worker's own job, with sends going out to a Graph API
 * stand-in. Payloads are compared whole with the records as the change left them (decision 018's "thin-plus" shape).
 */

interface Received {
  path: string
  headers: Record<string, string>
  body: string
  json: {
    type: string
    timestamp: string
    agencyId: string
    seq: number
    origin: string
    actorUserId: string | null
    data: Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any
  }
}

/** A receiver that records every request and answers 200. */
async function startReceiver(host: string) {
  const received: Received[] = []
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const body = Buffer.concat(chunks).toString('utf8')
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]))
    received.push({ path: req.url ?? '/', headers, body, json: body ? JSON.parse(body) : null })
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}')
  })
  server.listen(0, host)
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  return {
    url: (p: string) => `http://${host}:${port}${p}`,
    at: (p: string) => received.filter((r) => r.path === p),
    close: () => new Promise((r) => server.close(r)),
  }
}

type Receiver = Awaited<ReturnType<typeof startReceiver>>

const PHONE_NUMBER_ID = '109876549999'
const WABA_ID = '2233445566'
const TOKEN = 'EAAG-token-of-the-events-test'
const APP_SECRET = 'app-secret-of-the-events-test'

let w: World
let runner: Runner
let graph: Awaited<ReturnType<typeof startGraphStandIn>>
let runtime: WhatsAppRuntime
let api: PublicApi
let accountId: string
/** What the worker logged at warn or above: no job may fail along the way. */
const logged: { msg: string; job?: string }[] = []
let hooks: Receiver
let uploads: string
const allowed: TargetPolicy = targetPolicy(['127.0.0.2/32'])

function caller(p: Persona, agencyId = w.a.agencyId) {
  return createCaller(
    createContext({
      db: w.t.app.db,
      auth: w.auth,
      identity: p.identity,
      unverifiedAgencyId: agencyId,
      request: new Request('http://localhost/'),
      requestId: 'test',
      ip: '127.0.0.1',
      log: pino({ level: 'silent' }),
      urls: { origin: 'http://crm.test' },
      secrets: testSecrets,
      whatsappGraph: { graphUrl: graph.url, graphVersion: graph.version },
      webhookTargets: allowed,
    }),
  )
}

async function waitFor<T>(fn: () => Promise<T | undefined | false> | T | undefined | false, ms = 15_000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = await fn()
    if (v !== undefined && v !== false) return v
    if (Date.now() > end) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** The first `n` requests the receiver got on a path, once there are that many. */
const received = (p: string, n: number) => waitFor(() => hooks.at(p).length >= n && hooks.at(p).slice(0, n))

/** The outbox rows of an endpoint: written in the change's transaction, so final as soon as the change returns. */
async function deliveries(endpointId: string) {
  return w.t.owner.db.execute<{ seq: number; state: string }>(
    sql`select seq::int, state from webhook_deliveries where endpoint_id = ${endpointId} order by seq`,
  )
}

/** A record as a webhook carries it: the documented fields (payloads.ts), as JSON. */
const leadFields = [
  'id',
  'name',
  'phones',
  'email',
  'status',
  'source',
  'interest',
  'assignedTo',
  'clientId',
  'createdAt',
  'updatedAt',
]
const clientFields = ['id', 'name', 'types', 'phones', 'email', 'assignedTo', 'createdAt', 'updatedAt']
const propertyFields = [
  'id',
  'code',
  'title',
  'type',
  'purpose',
  'status',
  'salePrice',
  'rentPrice',
  'neighbourhood',
  'city',
  'bedrooms',
  'assignedTo',
  'createdAt',
  'updatedAt',
]
function shown(row: object, fields: string[], extra: string[] = []) {
  const r = row as Record<string, unknown>
  return JSON.parse(JSON.stringify(Object.fromEntries([...fields, ...extra].map((k) => [k, r[k] ?? null]))))
}

let phones = 0
const nextPhone = () => `+55 11 9${String(2000_0000 + ++phones).slice(1)}`

beforeAll(async () => {
  w = await buildWorld()
  hooks = await startReceiver('127.0.0.2')
  graph = await startGraphStandIn({ accessToken: TOKEN, appSecret: APP_SECRET, phoneNumbers: [PHONE_NUMBER_ID] })
  graph.setTemplates(WABA_ID, [])
  uploads = await mkdtemp(path.join(tmpdir(), 'impera-webhook-events-'))
  runtime = {
    secrets: testSecrets,
    graphUrl: graph.url,
    graphVersion: graph.version,
    storage: createStorage({ driver: 'local', dir: uploads }),
  }
  // A variable, not a literal: the secret box is accepted whether or not this version of PublicApiDeps names it.
  const apiDeps = { db: w.t.app.db, storage: runtime.storage, log: pino({ level: 'silent' }), secrets: testSecrets }
  api = createPublicApi(apiDeps)
  runner = await startWorker({
    queueUrl: w.t.ownerUrl,
    db: w.t.app.db,
    mailer: createMailer({ from: 'test@impera', db: w.t.app.db }),
    storage: runtime.storage,
    whatsapp: runtime,
    webhooks: { targets: allowed, timeoutMs: 3_000 },
    log: pino({ level: 'warn' }, { write: (line: string) => void logged.push(JSON.parse(line)) }),
  })
  const created = await caller(w.a.manager).whatsapp.createAccount({
    provider: 'cloud_api',
    label: 'Eventos',
    phoneNumberId: PHONE_NUMBER_ID,
    displayNumber: '+55 11 95555-9999',
    wabaId: WABA_ID,
    accessToken: TOKEN,
    appSecret: APP_SECRET,
    verifyToken: 'verify-the-events-test',
  })
  accountId = created.account.id
})

afterAll(async () => {
  await runner?.stop()
  await hooks?.close()
  await graph?.close()
  await w?.t.close()
  await rm(uploads, { recursive: true, force: true })
})

describe('webhook events beyond lead.created / updated / status_changed', () => {
  it('lead.assigned: from/to and the lead as assigned, whether by assign or by an edit that reassigns', async () => {
    const m = caller(w.a.manager)
    const { endpoint: ep } = await m.webhooks.create({
      url: hooks.url('/lead-assigned'),
      eventTypes: ['lead.assigned'],
    })
    const lead = await m.leads.create({
      data: leadData({ name: 'Lead a atribuir', phones: [nextPhone()] }),
      allowDuplicate: true,
    })
    expect(lead.assignedTo).toBeNull()
    const toAgent = await m.leads.assign({ id: lead.id, assignedTo: w.a.agent.userId })
    const toManager = await m.leads.assign({ id: lead.id, assignedTo: w.a.manager.userId })
    const byEdit = await m.leads.update({
      id: lead.id,
      data: leadData({ name: 'Lead a atribuir', phones: lead.phones, assignedTo: w.a.agent.userId }),
      allowDuplicate: true,
    })
    // Assigning to whom it already is, is no event.
    await m.leads.assign({ id: lead.id, assignedTo: w.a.agent.userId })
    const got = await received('/lead-assigned', 3)
    expect(got.map((r) => r.json.seq)).toEqual([1, 2, 3])
    for (const r of got)
      expect(r.json).toMatchObject({
        type: 'lead.assigned',
        agencyId: w.a.agencyId,
        origin: 'ui',
        actorUserId: w.a.manager.userId,
      })
    expect(got.map((r) => r.json.data)).toEqual([
      { lead: shown(toAgent, leadFields), from: null, to: w.a.agent.userId },
      { lead: shown(toManager, leadFields), from: w.a.agent.userId, to: w.a.manager.userId },
      { lead: shown(byEdit, leadFields), from: w.a.manager.userId, to: w.a.agent.userId },
    ])
    expect(await deliveries(ep.id)).toHaveLength(3)
    await m.webhooks.delete({ id: ep.id })
  })

  it('client.created and client.updated: the client, changed[] and previous{}, non-listed fields included', async () => {
    const m = caller(w.a.manager)
    const { endpoint: ep, secret } = await m.webhooks.create({
      url: hooks.url('/clients'),
      eventTypes: ['client.created', 'client.updated'],
    })
    const phone = nextPhone()
    const created = await m.clients.create({ data: clientData({ name: 'Cliente do webhook', phones: [phone] }) })
    const renamed = await m.clients.update({
      id: created.id,
      data: clientData({ name: 'Cliente renomeado', phones: [phone], email: 'cliente@example.test' }),
    })
    // `city` is not among the fields every client event carries: an update of it carries it.
    const moved = await m.clients.update({
      id: created.id,
      data: clientData({ name: 'Cliente renomeado', phones: [phone], email: 'cliente@example.test', city: 'Campinas' }),
    })
    const reassigned = await m.clients.update({
      id: created.id,
      data: clientData({
        name: 'Cliente renomeado',
        phones: [phone],
        email: 'cliente@example.test',
        city: 'Campinas',
        assignedTo: w.a.agent.userId,
      }),
    })
    const got = await received('/clients', 4)
    expect(new Webhook(secret).verify(got[0]!.body, got[0]!.headers)).toMatchObject({ type: 'client.created' })
    expect(got.map((r) => [r.json.seq, r.json.type, r.json.origin, r.json.actorUserId])).toEqual([
      [1, 'client.created', 'ui', w.a.manager.userId],
      [2, 'client.updated', 'ui', w.a.manager.userId],
      [3, 'client.updated', 'ui', w.a.manager.userId],
      [4, 'client.updated', 'ui', w.a.manager.userId],
    ])
    expect(got[0]!.json.data).toEqual({ client: shown(created, clientFields) })
    expect(got[0]!.json.data.client).toMatchObject({ name: 'Cliente do webhook', phones: created.phones })
    expect(got[1]!.json.data).toEqual({
      client: shown(renamed, clientFields),
      changed: ['name', 'email'],
      previous: { name: 'Cliente do webhook', email: null },
    })
    expect(got[2]!.json.data).toEqual({
      client: shown(moved, clientFields, ['city']),
      changed: ['city'],
      previous: { city: 'São Paulo' },
    })
    expect(got[2]!.json.data.client.city).toBe('Campinas')
    expect(got[3]!.json.data).toEqual({
      client: shown(reassigned, clientFields),
      changed: ['assignedTo'],
      previous: { assignedTo: null },
    })
    expect(got[3]!.json.data.client.assignedTo).toBe(w.a.agent.userId)
    await m.webhooks.delete({ id: ep.id })
  })

  it('client.updated with a field filter: only updates touching those fields are delivered', async () => {
    const m = caller(w.a.manager)
    const { endpoint: ep } = await m.webhooks.create({
      url: hooks.url('/client-fields'),
      eventTypes: ['client.updated'],
      updatedFields: { 'client.updated': ['email', 'phones'] },
    })
    const phone = nextPhone()
    const other = nextPhone()
    const client = await m.clients.create({ data: clientData({ name: 'Cliente filtrado', phones: [phone] }) })
    await m.clients.update({ id: client.id, data: clientData({ name: 'Cliente filtrado 2', phones: [phone] }) })
    await m.clients.update({
      id: client.id,
      data: clientData({ name: 'Cliente filtrado 2', phones: [phone], city: 'Santos', tags: ['vip'] }),
    })
    // Neither the rename nor the city/tags change matched: nothing was queued for the endpoint.
    expect(await deliveries(ep.id)).toEqual([])
    const newPhone = await m.clients.update({
      id: client.id,
      data: clientData({ name: 'Cliente filtrado 2', phones: [phone, other], city: 'Santos', tags: ['vip'] }),
    })
    // A change of a filtered field and another one: delivered, with every field it changed.
    const both = await m.clients.update({
      id: client.id,
      data: clientData({
        name: 'Cliente filtrado 3',
        phones: [phone, other],
        email: 'filtrado@example.test',
        city: 'Santos',
        tags: ['vip'],
      }),
    })
    await m.webhooks.sendTest({ id: ep.id })
    const got = await received('/client-fields', 3)
    expect(got.map((r) => [r.json.seq, r.json.type])).toEqual([
      [1, 'client.updated'],
      [2, 'client.updated'],
      [3, 'webhook.test'],
    ])
    expect(got[0]!.json.data).toEqual({
      client: shown(newPhone, clientFields),
      changed: ['phones'],
      previous: { phones: client.phones },
    })
    expect(got[1]!.json.data).toEqual({
      client: shown(both, clientFields),
      changed: ['name', 'email'],
      previous: { name: 'Cliente filtrado 2', email: null },
    })
    await m.webhooks.delete({ id: ep.id })
  })

  it('property.created and property.updated: the property, changed[] and previous{}, also from setStatus', async () => {
    const m = caller(w.a.manager)
    const { endpoint: ep } = await m.webhooks.create({
      url: hooks.url('/properties'),
      eventTypes: ['property.created', 'property.updated'],
    })
    const created = await m.properties.create({
      data: propertyData({ title: 'Casa do webhook', type: 'house', salePrice: 120_000_000 }),
    })
    expect(created.code).toMatch(/^CA\d{4}$/)
    const edited = await m.properties.update({
      id: created.id,
      data: propertyData({
        title: 'Casa do webhook reformada',
        type: 'house',
        salePrice: 120_000_000,
        bedrooms: 3,
        description: 'Reformada em 2024',
      }),
    })
    const reserved = await m.properties.setStatus({ id: created.id, status: 'reserved' })
    const got = await received('/properties', 3)
    expect(got.map((r) => [r.json.seq, r.json.type, r.json.origin, r.json.actorUserId])).toEqual([
      [1, 'property.created', 'ui', w.a.manager.userId],
      [2, 'property.updated', 'ui', w.a.manager.userId],
      [3, 'property.updated', 'ui', w.a.manager.userId],
    ])
    expect(got[0]!.json.data).toEqual({ property: shown(created, propertyFields) })
    expect(got[0]!.json.data.property).toMatchObject({
      code: created.code,
      status: 'available',
      salePrice: 120_000_000,
      rentPrice: null,
    })
    expect(got[1]!.json.data).toEqual({
      property: shown(edited, propertyFields, ['description']),
      changed: ['title', 'bedrooms', 'description'],
      previous: { title: 'Casa do webhook', bedrooms: 2, description: null },
    })
    expect(got[1]!.json.data.property.description).toBe('Reformada em 2024')
    expect(got[2]!.json.data).toEqual({
      property: shown(reserved, propertyFields),
      changed: ['status'],
      previous: { status: 'available' },
    })
    expect(got[2]!.json.data.property.status).toBe('reserved')
    await m.webhooks.delete({ id: ep.id })
  })

  it('property.updated with a field filter: only updates touching those fields are delivered', async () => {
    const m = caller(w.a.manager)
    const { endpoint: ep } = await m.webhooks.create({
      url: hooks.url('/property-fields'),
      eventTypes: ['property.updated'],
      updatedFields: { 'property.updated': ['salePrice', 'status'] },
    })
    const property = await m.properties.create({ data: propertyData({ title: 'Apartamento filtrado' }) })
    await m.properties.update({
      id: property.id,
      data: propertyData({ title: 'Apartamento filtrado, vista livre', bedrooms: 3 }),
    })
    expect(await deliveries(ep.id)).toEqual([])
    const cheaper = await m.properties.update({
      id: property.id,
      data: propertyData({ title: 'Apartamento filtrado, vista livre', bedrooms: 3, salePrice: 59_000_000 }),
    })
    // The status through the edit form counts as much as through setStatus.
    const sold = await m.properties.update({
      id: property.id,
      data: propertyData({
        title: 'Apartamento vendido',
        bedrooms: 3,
        salePrice: 59_000_000,
        status: 'sold',
      }),
    })
    await m.properties.update({
      id: property.id,
      data: propertyData({
        title: 'Apartamento vendido',
        bedrooms: 3,
        salePrice: 59_000_000,
        status: 'sold',
        suites: 2,
      }),
    })
    expect(await deliveries(ep.id)).toHaveLength(2)
    const available = await m.properties.setStatus({ id: property.id, status: 'available' })
    await m.webhooks.sendTest({ id: ep.id })
    const got = await received('/property-fields', 4)
    expect(got.map((r) => [r.json.seq, r.json.type])).toEqual([
      [1, 'property.updated'],
      [2, 'property.updated'],
      [3, 'property.updated'],
      [4, 'webhook.test'],
    ])
    expect(got[0]!.json.data).toEqual({
      property: shown(cheaper, propertyFields),
      changed: ['salePrice'],
      previous: { salePrice: 65_000_000 },
    })
    expect(got[1]!.json.data).toEqual({
      property: shown(sold, propertyFields),
      changed: ['title', 'status'],
      previous: { title: 'Apartamento filtrado, vista livre', status: 'available' },
    })
    expect(got[2]!.json.data).toEqual({
      property: shown(available, propertyFields),
      changed: ['status'],
      previous: { status: 'sold' },
    })
    await m.webhooks.delete({ id: ep.id })
  })

  it('WhatsApp: conversation.created, message.received, conversation.assigned, message.sent, message.status_changed', async () => {
    const m = caller(w.a.manager)
    const { endpoint: ep } = await m.webhooks.create({
      url: hooks.url('/whatsapp'),
      eventTypes: [
        'conversation.created',
        'conversation.assigned',
        'message.received',
        'message.sent',
        'message.status_changed',
      ],
    })
    const from = '5511966660101'
    /** A Meta-signed delivery through the intake service the webhook route calls; the worker's job ingests it. */
    const deliver = async (body: unknown) => {
      const raw = Buffer.from(JSON.stringify(body))
      const { status } = await receiveWebhook(
        { db: w.t.app.db, whatsapp: runtime },
        {
          accountId,
          rawBody: raw,
          headers: { 'content-type': 'application/json', 'x-hub-signature-256': graph.sign(raw) },
        },
      )
      expect(status).toBe(200)
    }
    const ts = Math.floor(Date.now() / 1000) - 5
    const windowOpenUntil = new Date(ts * 1000 + 24 * 3600_000).toISOString()
    await deliver(
      webhook.envelope(PHONE_NUMBER_ID, [
        webhook.text(from, 'Olá, vi o anúncio', { id: 'wamid.EVENTS1', ts, name: 'Marina Costa' }),
      ]),
    )
    const [opened, first] = await received('/whatsapp', 2)
    // Read as the payload builder reads them (Drizzle rows), as the owner.
    const [conv] = await w.t.owner.db
      .select()
      .from(whatsappConversations)
      .where(and(eq(whatsappConversations.accountId, accountId), eq(whatsappConversations.contactPhone, `+${from}`)))
    const [inbound] = await w.t.owner.db
      .select({ id: whatsappMessages.id })
      .from(whatsappMessages)
      .where(eq(whatsappMessages.providerMessageId, 'wamid.EVENTS1'))
    const conversation = {
      id: conv!.id,
      accountId,
      contactPhone: `+${from}`,
      contactName: 'Marina Costa',
      leadId: conv!.leadId,
      clientId: null,
      assignedTo: null,
      windowOpenUntil,
      controller: 'none',
      aiMode: 'off',
      status: 'open',
      createdAt: conv!.createdAt.toISOString(),
    }
    expect(conv!.leadId).toBeTruthy()
    // Both come from the system (an inbound message), in the one transaction that stored the message.
    expect(opened!.json).toMatchObject({ seq: 1, type: 'conversation.created', origin: 'whatsapp', actorUserId: null })
    expect(Object.keys(opened!.json.data)).toEqual(['conversation'])
    expect(opened!.json.data.conversation).toEqual(conversation)
    expect(first!.json).toMatchObject({ seq: 2, type: 'message.received', origin: 'whatsapp', actorUserId: null })
    const receivedMessage = {
      id: inbound!.id,
      conversationId: conv!.id,
      direction: 'inbound',
      type: 'text',
      text: 'Olá, vi o anúncio',
      media: null,
      status: 'received',
      error: null,
      sentBy: null,
      author: 'contact',
      at: new Date(ts * 1000).toISOString(),
    }
    expect(first!.json.data.message).toEqual(receivedMessage)
    expect(Object.keys(first!.json.data).sort()).toEqual(['conversation', 'message'])
    expect(first!.json.data.conversation).toEqual(conversation)

    // A manager hands the conversation to the agent.
    await m.whatsapp.assign({ id: conv!.id, assignedTo: w.a.agent.userId })
    const [, , assigned] = await received('/whatsapp', 3)
    expect(assigned!.json).toMatchObject({
      seq: 3,
      type: 'conversation.assigned',
      origin: 'ui',
      actorUserId: w.a.manager.userId,
    })
    const assignedConversation = { ...conversation, assignedTo: w.a.agent.userId }
    expect(assigned!.json.data).toEqual({
      conversation: assignedConversation,
      from: null,
      to: w.a.agent.userId,
    })

    // A reply through the router: message.sent at once; the worker's send job takes it to "Meta" (queued → sent).
    const replyId = crypto.randomUUID()
    const reply = await m.whatsapp.send({ id: replyId, conversationId: conv!.id, type: 'text', text: 'Olá Marina!' })
    const sentMessage = {
      id: replyId,
      conversationId: conv!.id,
      direction: 'outbound',
      type: 'text',
      text: 'Olá Marina!',
      media: null,
      status: 'queued',
      error: null,
      sentBy: w.a.manager.userId,
      author: 'member',
      at: reply.providerAt!.toISOString(),
    }
    // The send took the conversation over (decision 019): events after it show a person in control.
    const heldConversation = { ...assignedConversation, controller: 'human' }
    const [, , , sent, wentOut] = await received('/whatsapp', 5)
    expect(sent!.json).toMatchObject({ seq: 4, type: 'message.sent', origin: 'ui', actorUserId: w.a.manager.userId })
    expect(sent!.json.data).toEqual({ message: sentMessage, conversation: assignedConversation })
    expect(wentOut!.json).toMatchObject({
      seq: 5,
      type: 'message.status_changed',
      origin: 'whatsapp',
      actorUserId: null,
    })
    expect(wentOut!.json.data).toEqual({
      message: { ...sentMessage, status: 'sent' },
      conversation: heldConversation,
      from: 'queued',
      to: 'sent',
    })
    expect(graph.sendsFor(replyId)).toBe(1)
    const wamid = graph.sends.find((s) => s.body.biz_opaque_callback_data === replyId)!.wamid

    // Meta's receipts, signed, through the same intake and ingest.
    await deliver(webhook.envelope(PHONE_NUMBER_ID, [webhook.status(wamid, 'delivered', { ts: ts + 2 })]))
    const [, , , , , delivered] = await received('/whatsapp', 6)
    await deliver(webhook.envelope(PHONE_NUMBER_ID, [webhook.status(wamid, 'read', { ts: ts + 3 })]))
    const [, , , , , , read] = await received('/whatsapp', 7)
    expect(delivered!.json).toMatchObject({ seq: 6, type: 'message.status_changed', origin: 'whatsapp' })
    expect(delivered!.json.data).toEqual({
      message: { ...sentMessage, status: 'delivered' },
      conversation: heldConversation,
      from: 'sent',
      to: 'delivered',
    })
    expect(read!.json).toMatchObject({ seq: 7, type: 'message.status_changed', origin: 'whatsapp' })
    expect(read!.json.data).toEqual({
      message: { ...sentMessage, status: 'read' },
      conversation: heldConversation,
      from: 'delivered',
      to: 'read',
    })

    // The contact writes again: a message in the same conversation, no new conversation.
    await deliver(
      webhook.envelope(PHONE_NUMBER_ID, [
        webhook.text(from, 'Pode ser amanhã?', { id: 'wamid.EVENTS2', ts: ts + 4, name: 'Marina Costa' }),
      ]),
    )
    const [, , , , , , , again] = await received('/whatsapp', 8)
    const [second] = await w.t.owner.db
      .select({ id: whatsappMessages.id })
      .from(whatsappMessages)
      .where(eq(whatsappMessages.providerMessageId, 'wamid.EVENTS2'))
    expect(again!.json).toMatchObject({ seq: 8, type: 'message.received', origin: 'whatsapp', actorUserId: null })
    expect(again!.json.data.message).toEqual({
      ...receivedMessage,
      id: second!.id,
      text: 'Pode ser amanhã?',
      at: new Date((ts + 4) * 1000).toISOString(),
    })
    // The window this message opened, not the one before it.
    expect(again!.json.data.conversation).toEqual({
      ...heldConversation,
      windowOpenUntil: new Date((ts + 4) * 1000 + 24 * 3600_000).toISOString(),
    })
    expect((await deliveries(ep.id)).map((d) => d.state)).toEqual(Array(8).fill('delivered'))
    await m.webhooks.delete({ id: ep.id })
  })

  it("never sends an integration its own client changes (public API), and still sends it everyone else's", async () => {
    const m = caller(w.a.manager)
    const { integration, key } = await m.integrations.create({
      name: 'CRM de parceiros',
      scopes: ['clients:read', 'clients:write'],
    })
    const { endpoint: own } = await m.webhooks.create({
      url: hooks.url('/own'),
      eventTypes: ['client.created', 'client.updated'],
      integrationId: integration.id,
    })
    const { endpoint: other } = await m.webhooks.create({
      url: hooks.url('/everyone'),
      eventTypes: ['client.created', 'client.updated'],
    })
    const call = async (method: string, p: string, body: unknown) => {
      const res = await api.handle(
        new Request(`http://crm.test/api/v1${p}`, {
          method,
          headers: {
            authorization: `Bearer ${key.key}`,
            'content-type': 'application/json',
            'idempotency-key': crypto.randomUUID(),
          },
          body: JSON.stringify(body),
        }),
        { ip: '198.51.100.7', requestId: 'events' },
      )
      expect(res.status, await res.clone().text()).toBeLessThan(300)
      return (await res.json()) as { id: string }
    }
    const viaApi = await call('POST', '/clients', { name: 'Cliente da integração', phones: [nextPhone()] })
    await call('PATCH', `/clients/${viaApi.id}`, { email: 'parceiro@example.test' })
    const [integrationUser] = await w.t.owner.db.execute<{ user_id: string }>(
      sql`select user_id from integrations where id = ${integration.id}`,
    )
    // Written in the change's transaction: the integration's own endpoint got nothing queued, the other both.
    expect(await deliveries(own.id)).toEqual([])
    const fromApi = await received('/everyone', 2)
    expect(fromApi.map((r) => [r.json.type, r.json.origin, r.json.actorUserId])).toEqual([
      ['client.created', 'api', integrationUser!.user_id],
      ['client.updated', 'api', integrationUser!.user_id],
    ])
    expect(fromApi[1]!.json.data).toMatchObject({
      client: { id: viaApi.id, email: 'parceiro@example.test' },
      changed: ['email'],
      previous: { email: null },
    })
    // A person's change of the same client reaches both.
    const client = await m.clients.update({
      id: viaApi.id,
      data: clientData({ name: 'Cliente da integração', phones: [], email: 'parceiro@example.test', city: null }),
    })
    const [mine] = await received('/own', 1)
    await received('/everyone', 3)
    expect(mine!.json).toMatchObject({
      seq: 1,
      type: 'client.updated',
      origin: 'ui',
      actorUserId: w.a.manager.userId,
      data: { client: { id: client.id } },
    })
    await m.webhooks.delete({ id: own.id })
    await m.webhooks.delete({ id: other.id })
  })

  it('logged no failed job along the way', () => {
    expect(logged.map((l) => `${l.job ?? ''} ${l.msg}`)).toEqual([])
  })
})

describe('conversation.control_changed (decision 019)', () => {
  it('every change of controller or mode is delivered: from, to, reason, who, and the conversation as it is', async () => {
    const m = caller(w.a.manager)
    const { endpoint: ep } = await m.webhooks.create({
      url: hooks.url('/control'),
      eventTypes: ['conversation.control_changed'],
    })
    const id = w.a.conversationId
    await m.whatsapp.setAiMode({ id, aiMode: 'auto' })
    await caller(w.a.agent).whatsapp.takeOver({ id })
    await m.whatsapp.returnToAi({ id })
    const [mode, taken, back] = await received('/control', 3)
    expect(mode!.json).toMatchObject({ seq: 1, type: 'conversation.control_changed', origin: 'ui' })
    expect(mode!.json.data).toMatchObject({
      conversation: { id, controller: 'bot', aiMode: 'auto' },
      from: { controller: 'none', aiMode: 'off' },
      to: { controller: 'bot', aiMode: 'auto' },
      reason: 'mode_changed',
      changedBy: w.a.manager.userId,
    })
    expect(taken!.json).toMatchObject({ seq: 2, actorUserId: w.a.agent.userId })
    expect(taken!.json.data).toMatchObject({
      conversation: { id, controller: 'human' },
      from: { controller: 'bot', aiMode: 'auto' },
      to: { controller: 'human', aiMode: 'auto' },
      reason: 'take_over',
      changedBy: w.a.agent.userId,
    })
    expect(back!.json.data).toMatchObject({ to: { controller: 'bot' }, reason: 'return_to_ai' })
    expect((await deliveries(ep.id)).map((d) => d.state)).toEqual(Array(3).fill('delivered'))
    await m.webhooks.delete({ id: ep.id })
  })
})

describe('conversation.status_changed (issue 16)', () => {
  it('resolving and reopening are delivered with from, to, who and the conversation; the same status again is not', async () => {
    const m = caller(w.a.manager)
    const { endpoint: ep } = await m.webhooks.create({
      url: hooks.url('/status'),
      eventTypes: ['conversation.status_changed'],
    })
    const id = w.a.conversationId
    await m.whatsapp.setStatus({ id, status: 'resolved' })
    await m.whatsapp.setStatus({ id, status: 'resolved' })
    await caller(w.a.agent).whatsapp.setStatus({ id, status: 'open' })
    const [resolved, reopened] = await received('/status', 2)
    expect(resolved!.json).toMatchObject({ type: 'conversation.status_changed', origin: 'ui' })
    expect(resolved!.json.data).toMatchObject({
      conversation: { id, status: 'resolved' },
      from: 'open',
      to: 'resolved',
      changedBy: w.a.manager.userId,
    })
    expect(reopened!.json.data).toMatchObject({ from: 'resolved', to: 'open', changedBy: w.a.agent.userId })
    expect((await deliveries(ep.id)).map((d) => d.state)).toEqual(['delivered', 'delivered'])
    await m.webhooks.delete({ id: ep.id })
  })
})

describe('conversation.turn_requested (decision 020)', () => {
  it('an external agent is asked once per burst, with the burst, the message to answer and the deadline', async () => {
    const m = caller(w.a.manager)
    await w.t.owner.db.execute(
      sql`update agencies set ai_provider = 'external', ai_debounce_ms = 300, ai_turn_deadline_seconds = 120 where id = ${w.a.agencyId}`,
    )
    await m.whatsapp.setAccountAiMode({ id: accountId, aiMode: 'auto' })
    const { endpoint: ep } = await m.webhooks.create({
      url: hooks.url('/turns'),
      eventTypes: ['conversation.turn_requested'],
    })
    try {
      const from = '5511966660202'
      const ts = Math.floor(Date.now() / 1000)
      // Two messages in one delivery (the contact typed fast): one request, answering the second.
      const raw = Buffer.from(
        JSON.stringify(
          webhook.envelope(PHONE_NUMBER_ID, [
            webhook.text(from, 'Oi', { id: 'wamid.TURN1', ts, name: 'Rita Agente' }),
            webhook.text(from, 'quero alugar', { id: 'wamid.TURN2', ts: ts + 1, name: 'Rita Agente' }),
          ]),
        ),
      )
      const { status } = await receiveWebhook(
        { db: w.t.app.db, whatsapp: runtime },
        {
          accountId,
          rawBody: raw,
          headers: { 'content-type': 'application/json', 'x-hub-signature-256': graph.sign(raw) },
        },
      )
      expect(status).toBe(200)
      const [request] = await received('/turns', 1)
      const ids = await w.t.owner.db
        .select({ id: whatsappMessages.id, wamid: whatsappMessages.providerMessageId })
        .from(whatsappMessages)
        .where(sql`${whatsappMessages.providerMessageId} in ('wamid.TURN1', 'wamid.TURN2')`)
      const byWamid = Object.fromEntries(ids.map((r) => [r.wamid, r.id]))
      expect(request!.json).toMatchObject({ type: 'conversation.turn_requested', origin: 'ai', actorUserId: null })
      expect(request!.json.data).toMatchObject({
        conversation: { controller: 'bot', aiMode: 'auto' },
        inReplyTo: byWamid['wamid.TURN2'],
        messages: [
          { id: byWamid['wamid.TURN1'], text: 'Oi' },
          { id: byWamid['wamid.TURN2'], text: 'quero alugar' },
        ],
      })
      expect(Date.parse(request!.json.data.deadlineAt)).toBeGreaterThan(Date.now() + 60_000)
      // The request job is done (keyed: nothing left to run for the burst), and it asked once.
      await waitFor(async () => {
        const [job] = await w.t.owner.db.execute<{ n: number }>(
          sql`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'ai:request-turn'`,
        )
        return job!.n === 0
      })
      expect(await deliveries(ep.id)).toHaveLength(1)
    } finally {
      await m.webhooks.delete({ id: ep.id })
      await m.whatsapp.setAccountAiMode({ id: accountId, aiMode: null })
      await w.t.owner.db.execute(
        sql`update agencies set ai_provider = 'rules', ai_debounce_ms = 1500 where id = ${w.a.agencyId}`,
      )
    }
  })
})
