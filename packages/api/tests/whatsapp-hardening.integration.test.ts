import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sql } from '@impera/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeError } from '../src/error-shape'
import {
  ingestWebhookEvent,
  noteIngestFailure,
  queueWhatsappMedia,
  receiveWebhook,
  sendQueuedMessage,
} from '../src/services'
import { withAgencyActor } from '../src/trpc'
import { createStorage } from '../src/storage'
import type { WhatsAppRuntime } from '../src/whatsapp'
import { buildWorld, leadData, outcome, testSecrets, type World } from './harness'
import { startGraphStandIn, webhook } from './stand-ins/graph'

/**
 * What the WhatsApp pipeline does with hostile, broken or racing input from outside: always through the signed webhook
 * path (receiveWebhook, as the HTTP route calls it) and the worker's ingest step, on a real database.
 */
let w: World
let graph: Awaited<ReturnType<typeof startGraphStandIn>>
let runtime: WhatsAppRuntime
let dir: string
let accountId: string
const PHONE_NUMBER_ID = '201234567890'
const APP_SECRET = 'hardening-app-secret'
const TOKEN = 'EAAG-hardening-token'

beforeAll(async () => {
  graph = await startGraphStandIn({
    accessToken: TOKEN,
    appSecret: APP_SECRET,
    phoneNumbers: [PHONE_NUMBER_ID, '201234567891'],
  })
  w = await buildWorld({ graph: { graphUrl: graph.url, graphVersion: graph.version } })
  dir = await mkdtemp(path.join(tmpdir(), 'impera-wa-hardening-'))
  runtime = {
    secrets: testSecrets,
    graphUrl: graph.url,
    graphVersion: graph.version,
    storage: createStorage({ driver: 'local', dir }),
  }
  accountId = (
    await manager().whatsapp.createAccount({
      provider: 'cloud_api',
      label: 'Principal',
      phoneNumberId: PHONE_NUMBER_ID,
      displayNumber: '+55 11 95555-1000',
      accessToken: TOKEN,
      appSecret: APP_SECRET,
      verifyToken: 'verify-hardening',
    })
  ).account.id
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
const o = () => w.t.owner.db

async function post(
  body: unknown,
  opts: { raw?: string | Buffer; signature?: string | null; account?: string; source?: string } = {},
) {
  const raw = Buffer.isBuffer(opts.raw) ? opts.raw : Buffer.from(opts.raw ?? JSON.stringify(body))
  const headers: Record<string, string | undefined> = { 'content-type': 'application/json' }
  if (opts.signature !== null) headers['x-hub-signature-256'] = opts.signature ?? graph.sign(raw)
  return (
    await receiveWebhook(system(), {
      accountId: opts.account ?? accountId,
      rawBody: raw,
      headers,
      source: opts.source ?? '203.0.113.7',
    })
  ).status
}

async function pendingEvents(agencyId = w.a.agencyId) {
  return (
    await o().execute<{ id: number }>(
      sql`select id from whatsapp_webhook_events where agency_id = ${agencyId} and state = 'pending' order by id`,
    )
  ).map((r) => Number(r.id))
}

async function drain(agencyId = w.a.agencyId) {
  for (const id of await pendingEvents(agencyId)) await ingestWebhookEvent(system(), { agencyId, eventId: id })
}

async function conversationOf(phone: string, agencyId = w.a.agencyId) {
  const [c] = await o().execute<{
    id: string
    account_id: string
    lead_id: string | null
    contact_name: string | null
  }>(sql`select * from whatsapp_conversations where agency_id = ${agencyId} and contact_phone = ${phone}`)
  return c
}

/** An outbound message already accepted by the provider (status sent, with its wamid), in an open conversation. */
async function sentMessage(phone: string) {
  await post(webhook.envelope(PHONE_NUMBER_ID, [webhook.text(phone.replace('+', ''), 'Oi')]))
  await drain()
  const c = (await conversationOf(phone))!
  const id = crypto.randomUUID()
  await manager().whatsapp.send({ id, conversationId: c.id, type: 'text', text: 'Olá!' })
  await sendQueuedMessage(system(), { agencyId: w.a.agencyId, messageId: id, finalAttempt: false })
  const [m] = await o().execute<{ provider_message_id: string }>(
    sql`select provider_message_id from whatsapp_messages where id = ${id}`,
  )
  return { id, wamid: m!.provider_message_id, conversationId: c.id }
}

const statusOf = async (id: string) =>
  (await o().execute<{ status: string }>(sql`select status from whatsapp_messages where id = ${id}`))[0]!.status

describe('statuses under concurrent deliveries', () => {
  it('never go backwards when sent, delivered and read arrive in separate deliveries ingested at once, in any order', async () => {
    const orders = [
      ['sent', 'delivered', 'read'],
      ['sent', 'read', 'delivered'],
      ['delivered', 'sent', 'read'],
      ['delivered', 'read', 'sent'],
      ['read', 'sent', 'delivered'],
      ['read', 'delivered', 'sent'],
    ]
    const rounds = 4
    const t0 = Math.floor(Date.now() / 1000)
    for (let round = 0; round < rounds; round++) {
      const sent = []
      for (let i = 0; i < orders.length; i++)
        sent.push(await sentMessage(`+55119777${String(round).padStart(2, '0')}${String(i).padStart(3, '0')}`))
      // Each status is its own signed delivery (its own stored event and ingest job), as Meta sends them.
      const runs = []
      for (const [i, m] of sent.entries()) {
        const events: number[] = []
        for (const status of orders[i]!) {
          expect(
            await post(
              webhook.envelope(PHONE_NUMBER_ID, [
                webhook.status(m.wamid, status, { ts: t0 + ['sent', 'delivered', 'read'].indexOf(status) }),
              ]),
            ),
          ).toBe(200)
          events.push((await pendingEvents()).at(-1)!)
        }
        runs.push({ m, events })
      }
      // All ingest jobs of the round run at once, each message's three racing each other in the permutation's order.
      await Promise.all(
        runs.flatMap(({ events }) =>
          events.map((eventId) => ingestWebhookEvent(system(), { agencyId: w.a.agencyId, eventId })),
        ),
      )
      for (const { m } of runs) expect(await statusOf(m.id)).toBe('read')
    }
  })
})

describe('routing by metadata.phone_number_id', () => {
  it("a delivery for a number that is not this account's creates nothing here; one for another number of the agency lands on that number", async () => {
    const leadsBefore = (await o().execute(sql`select id from leads where agency_id = ${w.a.agencyId}`)).length
    expect(
      await post(
        webhook.envelope('999000999000', [webhook.text('5511966001001', 'Para outro número', { name: 'Desviado' })]),
      ),
    ).toBe(200)
    await drain()
    expect(await conversationOf('+5511966001001')).toBeUndefined()
    expect((await o().execute(sql`select id from leads where agency_id = ${w.a.agencyId}`)).length).toBe(leadsBefore)
    const [refused] = await o().execute<{ state: string; last_error: string }>(
      sql`select state, last_error from whatsapp_webhook_events where agency_id = ${w.a.agencyId} order by id desc limit 1`,
    )
    // Kept (never purged) and explained, for someone to look at the number's webhook configuration.
    expect(refused).toMatchObject({ state: 'failed' })
    expect(refused!.last_error).toContain('999000999000')

    // Another agency's number, posted to this account's URL and signed with this account's secret: refused too.
    const [bAccount] = await o().execute<{ id: string }>(
      sql`insert into whatsapp_accounts (agency_id, provider, label, phone_number_id, display_number, access_token_enc, app_secret_enc, verify_token_enc)
          values (${w.b.agencyId}, 'cloud_api', 'Beta', '301234567890', '+5511955552000', ${testSecrets.seal('beta-token')}, ${testSecrets.seal(APP_SECRET)}, ${testSecrets.seal('v')}) returning id`,
    )
    expect(await post(webhook.envelope('301234567890', [webhook.text('5511966001002', 'Para a Beta')]))).toBe(200)
    await drain()
    expect(await conversationOf('+5511966001002')).toBeUndefined()
    expect(await conversationOf('+5511966001002', w.b.agencyId)).toBeUndefined()

    // A second number of the same agency on the same Meta app (one callback URL per app): routed to it.
    const second = await manager().whatsapp.createAccount({
      provider: 'cloud_api',
      label: 'Segundo',
      phoneNumberId: '201234567891',
      displayNumber: '+55 11 95555-1001',
      accessToken: TOKEN,
      appSecret: APP_SECRET,
      verifyToken: 'verify-second',
    })
    expect(await post(webhook.envelope('201234567891', [webhook.text('5511966001003', 'Para o segundo número')]))).toBe(
      200,
    )
    await drain()
    expect((await conversationOf('+5511966001003'))!.account_id).toBe(second.account.id)
    expect(bAccount).toBeTruthy()
  })
})

describe('signature refusals', () => {
  it('a delivery refused for its signature and then sent again correctly signed is stored and ingested', async () => {
    const body = webhook.envelope(PHONE_NUMBER_ID, [
      webhook.text('5511966002001', 'Durante a troca do segredo', { id: 'wamid.ROTATION1' }),
    ])
    const raw = JSON.stringify(body)
    // Meta still signs with the old secret while we already hold the new one (or the other way round): refused.
    expect(await post(null, { raw, signature: graph.sign(raw, 'the-old-app-secret') })).toBe(403)
    // Meta retries the same bytes, now with the right signature.
    expect(await post(null, { raw })).toBe(200)
    await drain()
    const c = await conversationOf('+5511966002001')
    expect(c).toBeDefined()
    const [m] = await o().execute<{ body: string }>(
      sql`select body from whatsapp_messages where provider_message_id = 'wamid.ROTATION1'`,
    )
    expect(m!.body).toBe('Durante a troca do segredo')
  })

  it('bad-signature bodies are kept as a hash, a size and their first bytes, a bounded number per source', async () => {
    const big = Buffer.concat([
      Buffer.from('{"object":"whatsapp_business_account","padding":"'),
      Buffer.alloc(200_000, 'x'),
      Buffer.from('"}'),
    ])
    for (let i = 0; i < 40; i++)
      expect(
        await post(null, {
          raw: Buffer.concat([big, Buffer.from(String(i))]),
          signature: `sha256=${'0'.repeat(64)}`,
          source: '198.51.100.9',
        }),
      ).toBe(403)
    expect(await post(null, { raw: big, signature: null, source: '198.51.100.10' })).toBe(403)
    const rows = await o().execute<{ source: string; body_sha256: string; body_bytes: number; body_head: Buffer }>(
      sql`select source, body_sha256, body_bytes, body_head from whatsapp_webhook_rejections where agency_id = ${w.a.agencyId} order by id`,
    )
    const fromFirst = rows.filter((r) => r.source === '198.51.100.9')
    expect(fromFirst.length).toBeGreaterThan(0)
    expect(fromFirst.length).toBeLessThan(40)
    expect(rows.filter((r) => r.source === '198.51.100.10')).toHaveLength(1)
    for (const r of rows) {
      expect(r.body_head.length).toBeLessThanOrEqual(512)
      expect(r.body_sha256).toMatch(/^[0-9a-f]{64}$/)
    }
    expect(fromFirst[0]!.body_bytes).toBe(big.length + 1)
    expect(fromFirst[0]!.body_head.toString()).toBe(big.subarray(0, 512).toString())
    // Nothing of them in the raw event store.
    expect(
      await o().execute(
        sql`select 1 from whatsapp_webhook_events where agency_id = ${w.a.agencyId} and not signature_ok`,
      ),
    ).toHaveLength(0)
  })
})

describe('text Postgres cannot store', () => {
  it('NUL and lone surrogates in a message, a profile name and a contacts card are ingested, sanitised', async () => {
    const ts = String(Math.floor(Date.now() / 1000))
    const body = webhook.envelope(PHONE_NUMBER_ID, [
      {
        contacts: [{ profile: { name: 'Ma\u0000ria \ud83d' }, wa_id: '5511966003001' }],
        messages: [
          {
            from: '5511966003001',
            id: 'wamid.NUL1',
            timestamp: ts,
            type: 'text',
            text: { body: 'Oi\u0000 tudo bem? \udc00fim' },
          },
          {
            from: '5511966003001',
            id: 'wamid.NUL2',
            timestamp: ts,
            type: 'contacts',
            contacts: [
              { name: { formatted_name: 'Jo\u0000ão \ud800' }, phones: [{ phone: '+55 11 9\u00008888-7777' }] },
            ],
          },
        ],
      },
    ])
    expect(await post(body)).toBe(200)
    await drain()
    const c = (await conversationOf('+5511966003001'))!
    expect(c.contact_name).toBe('Maria \ufffd')
    const [lead] = await o().execute<{ name: string }>(sql`select name from leads where id = ${c.lead_id}`)
    expect(lead!.name).toBe('Maria \ufffd')
    const rows = await o().execute<{
      provider_message_id: string
      body: string | null
      payload: { contacts?: { name: { formatted_name: string } }[] } | null
    }>(
      sql`select provider_message_id, body, payload from whatsapp_messages where conversation_id = ${c.id} order by provider_message_id`,
    )
    expect(rows.map((r) => r.provider_message_id)).toEqual(['wamid.NUL1', 'wamid.NUL2'])
    expect(rows[0]!.body).toBe('Oi tudo bem? \ufffdfim')
    expect(rows[1]!.payload!.contacts![0]!.name.formatted_name).toBe('João \ufffd')
    const [event] = await o().execute<{ state: string }>(
      sql`select state from whatsapp_webhook_events where agency_id = ${w.a.agencyId} order by id desc limit 1`,
    )
    expect(event!.state).toBe('processed')
  })

  it('recording a failure never fails on its content', async () => {
    await post(webhook.envelope(PHONE_NUMBER_ID, [webhook.text('5511966003002', 'qualquer')]))
    const [id] = await pendingEvents()
    await noteIngestFailure(
      { db: db() },
      { agencyId: w.a.agencyId, eventId: id!, error: `boom \u0000 \ud800 ${'x'.repeat(5000)}`, final: false },
    )
    const [row] = await o().execute<{ last_error: string; attempts: number }>(
      sql`select last_error, attempts from whatsapp_webhook_events where id = ${id}`,
    )
    expect(row!.attempts).toBe(1)
    expect(row!.last_error.startsWith('boom  \ufffd x')).toBe(true)
    expect(row!.last_error.length).toBeLessThanOrEqual(1000)
    await drain()
  })
})

describe('message ids chosen by the client', () => {
  it("another agency's message id answers 404 on send, and an attachment under it leaves no file behind", async () => {
    const theirs = await sentMessage('+5511966004001')
    const b = w.caller(w.b.manager, w.b.agencyId)
    const { account } = await b.whatsapp.createAccount({ provider: 'sandbox', label: 'Beta sandbox' })
    const [conv] = await o().execute<{ id: string }>(
      sql`insert into whatsapp_conversations (agency_id, account_id, contact_phone, last_inbound_at) values (${w.b.agencyId}, ${account.id}, '+5511966004002', now()) returning id`,
    )
    // A synced utility template, so the template send reaches the id check (an unsynced one needs consent first).
    await o().execute(sql`
      insert into whatsapp_templates (agency_id, account_id, name, language, category, status, body, params, components)
      values (${w.b.agencyId}, ${account.id}, 'retomar_contato', 'pt_BR', 'UTILITY', 'APPROVED', 'Olá, {{1}}!', 1, '[]'::jsonb)
      on conflict do nothing`)
    expect(
      await outcome(b.whatsapp.send({ id: theirs.id, conversationId: conv!.id, type: 'text', text: 'sequestro' })),
    ).toBe('NOT_FOUND')
    expect(
      await outcome(
        b.whatsapp.send({
          id: theirs.id,
          conversationId: conv!.id,
          type: 'template',
          name: 'retomar_contato',
          language: 'pt_BR',
          parameters: ['x'],
        }),
      ),
    ).toBe('NOT_FOUND')
    const err = await withAgencyActor(
      db(),
      { userId: w.b.manager.userId, agencyId: w.b.agencyId, ip: null, action: 'records.write' },
      (ctx) =>
        queueWhatsappMedia(
          { ...ctx, storage: runtime.storage },
          {
            id: theirs.id,
            conversationId: conv!.id,
            filename: 'a.pdf',
            mimeType: 'application/pdf',
            bytes: new TextEncoder().encode('%PDF-1.4'),
          },
        ),
    ).catch((e) => e)
    expect(err).toMatchObject({ code: 'NOT_FOUND' })
    const files = await readdir(path.join(dir, w.b.agencyId), { recursive: true }).catch(() => [])
    expect(files.filter((f) => f.includes(theirs.id))).toEqual([])
    // Their message is untouched.
    expect(
      await o().execute<{ conversation_id: string; agency_id: string }>(
        sql`select conversation_id, agency_id from whatsapp_messages where id = ${theirs.id}`,
      ),
    ).toEqual([{ conversation_id: theirs.conversationId, agency_id: w.a.agencyId }])
  })
})

describe('claiming a Cloud API number', () => {
  it('needs a token that proves access to it (asked of Graph); otherwise a field error and nothing claimed', async () => {
    graph.addPhoneNumber('401234567890', { token: 'EAAG-token-of-its-real-owner' })
    const b = w.caller(w.b.manager, w.b.agencyId)
    const squat = await b.whatsapp
      .createAccount({
        provider: 'cloud_api',
        label: 'Posseiro',
        phoneNumberId: '401234567890',
        displayNumber: '+55 11 95555-4000',
        accessToken: 'EAAG-some-other-token',
        appSecret: 'whatever-secret',
        verifyToken: 'whatever-verify',
      })
      .catch((e) => e)
    expect(describeError(squat)).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: { accessToken: ['whatsapp.numberNotProven'] },
    })
    const unknown = await b.whatsapp
      .createAccount({
        provider: 'cloud_api',
        label: 'Inexistente',
        phoneNumberId: '409999999999',
        displayNumber: '+55 11 95555-4001',
        accessToken: TOKEN,
        appSecret: 'whatever-secret',
        verifyToken: 'whatever-verify',
      })
      .catch((e) => e)
    expect(describeError(unknown).fieldErrors).toEqual({ accessToken: ['whatsapp.numberNotProven'] })
    expect(
      await o().execute(sql`select 1 from whatsapp_accounts where phone_number_id in ('401234567890', '409999999999')`),
    ).toHaveLength(0)
    // Its owner, with its token, claims it.
    const owned = await manager().whatsapp.createAccount({
      provider: 'cloud_api',
      label: 'Dono',
      phoneNumberId: '401234567890',
      displayNumber: '+55 11 95555-4000',
      accessToken: 'EAAG-token-of-its-real-owner',
      appSecret: 'owner-secret',
      verifyToken: 'owner-verify',
    })
    expect(owned.account.phoneNumberId).toBe('401234567890')
    expect(graph.numberLookups.filter((l) => l.id === '401234567890').map((l) => l.ok)).toEqual([false, true])
  })
})

describe('what the inbox shows', () => {
  it('a reaction attaches to the reacted message (a removal removes it); a known contact is named; the bell names them', async () => {
    const lead = await manager().leads.create({
      data: leadData({ name: 'Helena Conhecida', phones: ['(11) 96600-5001'] }),
    })
    const ts = Math.floor(Date.now() / 1000)
    // No profile name from WhatsApp: the lead's name is what people see.
    expect(
      await post(
        webhook.envelope(PHONE_NUMBER_ID, [
          {
            contacts: [{ wa_id: '5511966005001' }],
            messages: [
              {
                from: '5511966005001',
                id: 'wamid.R1',
                timestamp: String(ts),
                type: 'text',
                text: { body: 'Gostei do apartamento' },
              },
            ],
          },
        ]),
      ),
    ).toBe(200)
    await drain()
    const c = (await conversationOf('+5511966005001'))!
    expect(c.lead_id).toBe(lead.id)
    const listed = (await manager().whatsapp.conversations({})).rows.find((r) => r.id === c.id)!
    expect(listed.displayName).toBe('Helena Conhecida')
    expect((await manager().whatsapp.conversation({ id: c.id })).conversation.displayName).toBe('Helena Conhecida')
    const bell = (await manager().notifications.list()).items.find((n) => n.entityId === c.id)!
    expect(bell.data).toMatchObject({ contact: 'Helena Conhecida' })

    const react = (id: string, emoji: string, at: number) => ({
      contacts: [{ wa_id: '5511966005001' }],
      messages: [
        {
          from: '5511966005001',
          id,
          timestamp: String(at),
          type: 'reaction',
          reaction: { message_id: 'wamid.R1', emoji },
        },
      ],
    })
    await post(webhook.envelope(PHONE_NUMBER_ID, [react('wamid.R2', '👍', ts + 1)]))
    await drain()
    let detail = await manager().whatsapp.conversation({ id: c.id })
    expect(detail.messages.map((m) => [m.type, m.body, m.reaction])).toEqual([['text', 'Gostei do apartamento', '👍']])
    // Changed, then removed (empty emoji), arriving out of order: the latest one by the contact's clock wins.
    await post(webhook.envelope(PHONE_NUMBER_ID, [react('wamid.R4', '', ts + 3)]))
    await post(webhook.envelope(PHONE_NUMBER_ID, [react('wamid.R3', '❤️', ts + 2)]))
    await drain()
    detail = await manager().whatsapp.conversation({ id: c.id })
    expect(detail.messages.map((m) => [m.type, m.reaction])).toEqual([['text', null]])

    // A reply that fails is reported under the same name.
    const reply = crypto.randomUUID()
    await manager().whatsapp.send({ id: reply, conversationId: c.id, type: 'text', text: 'Segue o valor' })
    await sendQueuedMessage(system(), { agencyId: w.a.agencyId, messageId: reply, finalAttempt: false })
    const [sent] = await o().execute<{ provider_message_id: string }>(
      sql`select provider_message_id from whatsapp_messages where id = ${reply}`,
    )
    await post(
      webhook.envelope(PHONE_NUMBER_ID, [webhook.status(sent!.provider_message_id, 'failed', { errorCode: 131026 })]),
    )
    await drain()
    const failed = (await manager().notifications.list()).items.find(
      (n) => n.entityId === c.id && n.kind === 'message_failed',
    )!
    expect(failed.data).toMatchObject({ contact: 'Helena Conhecida' })
  })
})
