import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sql, withAgency } from '@impera/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  hasWaitingEvents,
  INGEST_LANES,
  ingestLane,
  ingestPendingEvents,
  ingestWebhookEvent,
  receiveWebhook,
} from '../src/services'
import { deferLiveEvents, emitLive } from '../src/services/live'
import { createStorage } from '../src/storage'
import type { WhatsAppRuntime } from '../src/whatsapp'
import { buildWorld, testSecrets, type World } from './harness'
import { startGraphStandIn, webhook } from './stand-ins/graph'

/**
 * Decision 047: a delivery is stored and its agency's drain scheduled in one statement, and the worker applies many
 * deliveries per transaction, each in its own savepoint.
 */
let w: World
let graph: Awaited<ReturnType<typeof startGraphStandIn>>
let runtime: WhatsAppRuntime
let accountId: string
let dir: string
const PHONE_NUMBER_ID = '109876549900'
const APP_SECRET = 'app-secret-of-the-batch-app'
const TOKEN = 'EAAG-access-token-of-batch'

beforeAll(async () => {
  graph = await startGraphStandIn({ accessToken: TOKEN, appSecret: APP_SECRET, phoneNumbers: [PHONE_NUMBER_ID] })
  w = await buildWorld({ graph: { graphUrl: graph.url, graphVersion: graph.version } })
  dir = await mkdtemp(path.join(tmpdir(), 'impera-wa-batch-'))
  runtime = {
    secrets: testSecrets,
    graphUrl: graph.url,
    graphVersion: graph.version,
    storage: createStorage({ driver: 'local', dir }),
  }
  const created = await w.caller(w.a.manager, w.a.agencyId).whatsapp.createAccount({
    provider: 'cloud_api',
    label: 'Lote',
    phoneNumberId: PHONE_NUMBER_ID,
    displayNumber: '+55 11 95555-9900',
    accessToken: TOKEN,
    appSecret: APP_SECRET,
    verifyToken: 'verify-the-batch',
  })
  accountId = created.account.id
})
afterAll(async () => {
  await graph.close()
  await w.t.close()
  await rm(dir, { recursive: true, force: true })
})

const system = () => ({ db: w.t.app.db, whatsapp: runtime })
const owner = () => w.t.owner.db

let seq = 0
/** A signed delivery of one text message from `phone` (digits), through the intake the webhook route calls. */
async function deliver(phone: string, text: string, opts: { secret?: string; account?: string } = {}) {
  const raw = Buffer.from(
    JSON.stringify(
      webhook.envelope(PHONE_NUMBER_ID, [webhook.text(phone, text, { id: `wamid.batch${++seq}.${Date.now()}` })]),
    ),
  )
  const headers = { 'content-type': 'application/json', 'x-hub-signature-256': graph.sign(raw, opts.secret) }
  return (await receiveWebhook(system(), { accountId: opts.account ?? accountId, rawBody: raw, headers })).status
}

const pendingIds = async () =>
  (
    await owner().execute<{ id: string }>(
      sql`select id from whatsapp_webhook_events where agency_id = ${w.a.agencyId} and state = 'pending' order by id`,
    )
  ).map((r) => Number(r.id))

const jobs = (identifier: string) =>
  owner().execute<{ key: string | null; payload: { agencyId: string; eventId?: number; lane?: number } }>(
    sql`select j.key, j.payload from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
        where t.identifier = ${identifier} order by j.id`,
  )

async function bodiesOf(digits: string) {
  const rows = await owner().execute<{ body: string }>(
    sql`select m.body from whatsapp_messages m join whatsapp_conversations c on c.id = m.conversation_id
        where c.agency_id = ${w.a.agencyId} and c.contact_phone = ${`+${digits}`} order by m.seq`,
  )
  return rows.map((r) => r.body)
}

describe('intake', () => {
  it('stores each delivery and schedules one drain per agency, not a job per delivery', async () => {
    await owner().execute(sql`delete from graphile_worker._private_jobs`)
    expect(await deliver('5511977001001', 'um')).toBe(200)
    expect(await deliver('5511977001002', 'dois')).toBe(200)
    expect(await deliver('5511977001003', 'três')).toBe(200)
    expect(await pendingIds()).toHaveLength(3)
    // One job per lane at most (a lane's job key and queue), however many deliveries.
    const drains = await jobs('whatsapp:ingest-pending')
    expect(drains.length).toBeGreaterThanOrEqual(1)
    expect(drains.length).toBeLessThanOrEqual(INGEST_LANES)
    for (const d of drains) {
      expect(d.key).toBe(ingestLane(w.a.agencyId, d.payload.lane!))
      expect(d.payload.agencyId).toBe(w.a.agencyId)
    }
    expect(await jobs('whatsapp:ingest')).toEqual([])
    const r = await ingestPendingEvents(system(), { agencyId: w.a.agencyId })
    expect(r).toMatchObject({ taken: 3, failed: 0 })
    expect(r.changes.filter((c) => c.kind === 'message')).toHaveLength(3)
    expect(await bodiesOf('5511977001003')).toEqual(['três'])
    expect(await pendingIds()).toEqual([])
  })

  it('stores a byte-identical redelivery once', async () => {
    const raw = Buffer.from(
      JSON.stringify(
        webhook.envelope(PHONE_NUMBER_ID, [webhook.text('5511977002001', 'de novo', { id: 'wamid.again' })]),
      ),
    )
    const headers = { 'x-hub-signature-256': graph.sign(raw) }
    expect((await receiveWebhook(system(), { accountId, rawBody: raw, headers })).status).toBe(200)
    expect((await receiveWebhook(system(), { accountId, rawBody: raw, headers })).status).toBe(200)
    expect(await pendingIds()).toHaveLength(1)
    await ingestPendingEvents(system(), { agencyId: w.a.agencyId })
    expect(await bodiesOf('5511977002001')).toEqual(['de novo'])
  })

  it('reads a new app secret at once, and a number removed after it was read answers 404 and stores nothing', async () => {
    expect(await deliver('5511977003001', 'antes')).toBe(200)
    // The secret rotated in the database; the intake's copy of the number still has the old one.
    await owner().execute(
      sql`update whatsapp_accounts set app_secret_enc = ${testSecrets.seal('a-rotated-secret')} where id = ${accountId}`,
    )
    expect(await deliver('5511977003001', 'depois', { secret: 'a-rotated-secret' })).toBe(200)
    expect(await deliver('5511977003001', 'velho', { secret: APP_SECRET })).toBe(403)
    await owner().execute(
      sql`update whatsapp_accounts set app_secret_enc = ${testSecrets.seal(APP_SECRET)} where id = ${accountId}`,
    )
    expect(await deliver('5511977003001', 'de volta')).toBe(200)
    await ingestPendingEvents(system(), { agencyId: w.a.agencyId })
    expect(await bodiesOf('5511977003001')).toEqual(['antes', 'depois', 'de volta'])
  })

  it("cannot store a delivery for another agency's number, even called directly", async () => {
    const before = await pendingIds()
    const [row] = await w.t.app.db.execute<{ id: string | null }>(
      sql`select store_whatsapp_delivery(${w.b.agencyId}::uuid, ${accountId}::uuid, '{}'::jsonb, '\\x7b7d'::bytea,
            'whatsapp:ingest-pending', ${JSON.stringify({ agencyId: w.b.agencyId })}::json, 'x', 1, 0)::text as id`,
    )
    expect(row!.id).toBeNull()
    expect(await pendingIds()).toEqual(before)
    const [other] = await owner().execute<{ n: number }>(
      sql`select count(*)::int as n from whatsapp_webhook_events where agency_id = ${w.b.agencyId}`,
    )
    expect(other!.n).toBe(0)
  })
})

/** The live events (Socket.IO adapter NOTIFYs) sent while `fn` runs, in arrival order. */
async function liveEventsDuring(fn: () => Promise<unknown>) {
  const heard: string[] = []
  const channel = 'socket.io#/'
  const sub = await w.t.owner.sql.listen(channel, (p) => heard.push(p))
  try {
    await fn()
    // Notifications arrive in commit order: a marker sent after the work ends the wait.
    await w.t.owner.sql`select pg_notify(${channel}, 'marker')`
    await expect.poll(() => heard.includes('marker')).toBe(true)
  } finally {
    await sub.unlisten()
  }
  return heard.filter((p) => p !== 'marker').map((p) => JSON.parse(p).data.packet.data[0] as string)
}

describe('batches', () => {
  it('send held-back live events once at the end, and drop those of a step that failed', async () => {
    const events = await liveEventsDuring(() =>
      withAgency(w.t.app.db, { agencyId: w.a.agencyId, userId: null }, (tx) =>
        deferLiveEvents(tx, async () => {
          await emitLive(tx, 'room-a', 'activity:changed')
          await emitLive(tx, 'room-a', 'activity:changed')
          await tx
            .transaction((sp) =>
              deferLiveEvents(sp, async () => {
                await emitLive(sp, 'room-b', 'tasks:changed')
                throw new Error('step failed')
              }),
            )
            .catch(() => {})
          await tx.transaction((sp) => deferLiveEvents(sp, () => emitLive(sp, 'room-c', 'bulk:changed')))
        }),
      ),
    )
    expect(events).toEqual(['activity:changed', 'bulk:changed'])
  })

  it('roll back a failing delivery alone (the batch again, a savepoint each), hand it to its own job, leave it out', async () => {
    await owner().execute(sql`delete from graphile_worker._private_jobs`)
    // A real failure inside Postgres for one message of the batch.
    await owner().execute(sql`create function batch_test_boom() returns trigger language plpgsql as $$
      begin if new.body = 'boom' then raise exception 'boom refused'; end if; return new; end $$`)
    await owner().execute(
      sql`create trigger batch_test_boom before insert on whatsapp_messages for each row execute function batch_test_boom()`,
    )
    try {
      expect(await deliver('5511977004001', 'primeira')).toBe(200)
      expect(await deliver('5511977004002', 'boom')).toBe(200)
      expect(await deliver('5511977004003', 'terceira')).toBe(200)
      const [, boomId] = await pendingIds()
      let r: Awaited<ReturnType<typeof ingestPendingEvents>> | undefined
      const events = await liveEventsDuring(async () => {
        r = await ingestPendingEvents(system(), { agencyId: w.a.agencyId })
      })
      expect(r).toMatchObject({ taken: 3, failed: 1 })
      // Sent once for the whole batch, however many of its steps raised them.
      expect(events.filter((e) => e === 'activity:changed')).toHaveLength(1)
      expect(events.length).toBeGreaterThan(1)
      expect(await bodiesOf('5511977004001')).toEqual(['primeira'])
      expect(await bodiesOf('5511977004003')).toEqual(['terceira'])
      // The first attempt, without savepoints, was rolled back whole: the first contact's lead was made once.
      const [first] = await owner().execute<{ n: number }>(
        sql`select count(*)::int as n from leads where '+5511977004001' = any(phones)`,
      )
      expect(first!.n).toBe(1)
      // Nothing of the failed delivery stayed: no conversation, no lead.
      const [c] = await owner().execute<{ n: number }>(
        sql`select (select count(*) from whatsapp_conversations where contact_phone = '+5511977004002')
              + (select count(*) from leads where '+5511977004002' = any(phones)) as n`,
      )
      expect(Number(c!.n)).toBe(0)
      const [event] = await owner().execute<{ state: string; attempts: number; last_error: string }>(
        sql`select state, attempts, last_error from whatsapp_webhook_events where id = ${boomId!}`,
      )
      expect(event).toMatchObject({ state: 'pending', attempts: 1 })
      expect(event!.last_error).toContain('boom refused')
      expect(await jobs('whatsapp:ingest')).toEqual([
        { key: `wa-ingest-${boomId}`, payload: { agencyId: w.a.agencyId, eventId: boomId } },
      ])
      expect(await ingestPendingEvents(system(), { agencyId: w.a.agencyId })).toMatchObject({ taken: 0 })
    } finally {
      await owner().execute(sql`drop trigger batch_test_boom on whatsapp_messages`)
      await owner().execute(sql`drop function batch_test_boom()`)
    }
    const [boomId] = await pendingIds()
    await ingestWebhookEvent(system(), { agencyId: w.a.agencyId, eventId: boomId! })
    expect(await bodiesOf('5511977004002')).toEqual(['boom'])
    expect(await pendingIds()).toEqual([])
  })

  it("a run whose lane another batch holds steps aside and takes nothing; the lane's next run takes the deliveries", async () => {
    expect(await deliver('5511977006001', 'na fila')).toBe(200)
    const holder = await w.t.owner.sql.reserve()
    try {
      await holder`begin`
      await holder`select pg_advisory_xact_lock(hashtextextended(${`lock:${ingestLane(w.a.agencyId, 1)}`}, 0))`
      expect(await ingestPendingEvents(system(), { agencyId: w.a.agencyId, lane: 1 })).toMatchObject({
        busy: true,
        taken: 0,
      })
      // The other lane is free.
      expect(await ingestPendingEvents(system(), { agencyId: w.a.agencyId, lane: 0 })).toMatchObject({
        busy: false,
        taken: 1,
      })
      expect(await deliver('5511977006001', 'depois')).toBe(200)
      await holder`commit`
    } finally {
      holder.release()
    }
    expect(await ingestPendingEvents(system(), { agencyId: w.a.agencyId, lane: 1 })).toMatchObject({
      busy: false,
      taken: 1,
    })
    expect(await bodiesOf('5511977006001')).toEqual(['na fila', 'depois'])
  })

  it('tell a drain about to stop whether a delivery waits that no batch holds', async () => {
    expect(await hasWaitingEvents(system(), { agencyId: w.a.agencyId })).toBe(false)
    expect(await deliver('5511977007001', 'esperando')).toBe(200)
    expect(await hasWaitingEvents(system(), { agencyId: w.a.agencyId })).toBe(true)
    const [id] = await pendingIds()
    const holder = await w.t.owner.sql.reserve()
    try {
      await holder`begin`
      await holder`select id from whatsapp_webhook_events where id = ${id!} for update`
      expect(await hasWaitingEvents(system(), { agencyId: w.a.agencyId })).toBe(false)
      await holder`commit`
    } finally {
      holder.release()
    }
    await ingestPendingEvents(system(), { agencyId: w.a.agencyId })
    expect(await hasWaitingEvents(system(), { agencyId: w.a.agencyId })).toBe(false)
  })

  it('two runs at once take different deliveries; each contact gets one conversation with all its messages', async () => {
    const contacts = ['5511977005001', '5511977005002', '5511977005003', '5511977005004', '5511977005005']
    for (let round = 1; round <= 4; round++)
      for (const phone of contacts) expect(await deliver(phone, `${phone.slice(-1)}-${round}`)).toBe(200)
    const runs = await Promise.all([
      ingestPendingEvents(system(), { agencyId: w.a.agencyId, limit: 7 }),
      ingestPendingEvents(system(), { agencyId: w.a.agencyId, limit: 7 }),
      ingestPendingEvents(system(), { agencyId: w.a.agencyId, limit: 7 }),
    ])
    expect(runs.reduce((n, r) => n + r.taken, 0)).toBe(20)
    expect(runs.every((r) => r.failed === 0)).toBe(true)
    expect(await pendingIds()).toEqual([])
    for (const phone of contacts) {
      const [c] = await owner().execute<{ n: number }>(
        sql`select count(*)::int as n from whatsapp_conversations where agency_id = ${w.a.agencyId} and contact_phone = ${`+${phone}`}`,
      )
      expect(c!.n).toBe(1)
      expect((await bodiesOf(phone)).sort()).toEqual([1, 2, 3, 4].map((r) => `${phone.slice(-1)}-${r}`))
    }
    // A new lead each, made once; the managers told once per conversation.
    const [leads] = await owner().execute<{ n: number }>(
      sql`select count(*)::int as n from leads where agency_id = ${w.a.agencyId} and phones && ${sql.raw(`array[${contacts.map((p) => `'+${p}'`).join(',')}]`)}::text[]`,
    )
    expect(leads!.n).toBe(5)
  })

  it("opens a new contact's conversation with its first message, names them as the agency does, marks the batch", async () => {
    await owner().execute(
      sql`insert into clients (agency_id, name, phones) values (${w.a.agencyId}, 'Cliente Conhecida', array['+5511977009001'])`,
    )
    const ts = Math.floor(Date.parse('2026-11-30T13:00:00Z') / 1000)
    const post = async (values: Parameters<typeof webhook.envelope>[1]) => {
      const raw = Buffer.from(JSON.stringify(webhook.envelope(PHONE_NUMBER_ID, values)))
      const headers = { 'x-hub-signature-256': graph.sign(raw) }
      expect((await receiveWebhook(system(), { accountId, rawBody: raw, headers })).status).toBe(200)
    }
    // A client writing for the first time under another profile name; a stranger; a stranger's withdrawn reaction.
    await post([webhook.text('5511977009001', 'Sou cliente', { id: 'wamid.open1', ts, name: 'Perfil Dela' })])
    await post([webhook.text('5511977009002', 'Primeira vez', { id: 'wamid.open2', ts: ts + 1, name: 'Novo Contato' })])
    await post([
      {
        contacts: [{ profile: { name: 'Contato' }, wa_id: '5511977009003' }],
        messages: [
          {
            from: '5511977009003',
            id: 'wamid.open3',
            timestamp: String(ts + 2),
            type: 'reaction',
            reaction: { message_id: 'wamid.unknown', emoji: '' },
          },
        ],
      },
    ])
    const ids = await pendingIds()
    expect(await ingestPendingEvents(system(), { agencyId: w.a.agencyId })).toMatchObject({ taken: 3, failed: 0 })

    const conversations = await owner().execute<{
      contact_phone: string
      last_message_preview: string | null
      last_inbound_at: string | null
      last_message_at: string | null
      id: string
    }>(
      sql`select id, contact_phone, last_message_preview, last_inbound_at, last_message_at from whatsapp_conversations
          where agency_id = ${w.a.agencyId} and contact_phone like '+551197700900%' order by contact_phone`,
    )
    expect(
      conversations.map((c) => [
        c.last_message_preview,
        c.last_inbound_at && new Date(c.last_inbound_at).toISOString(),
      ]),
    ).toEqual([
      ['Sou cliente', new Date(ts * 1000).toISOString()],
      ['Primeira vez', new Date((ts + 1) * 1000).toISOString()],
      // A reaction taken back is no news: it opens no window and moves nothing in the list.
      [null, null],
    ])
    expect(conversations[0]!.last_message_at).toEqual(conversations[0]!.last_inbound_at)
    const bells = await owner().execute<{ entity_id: string; data: { contact: string } }>(
      sql`select entity_id, data from notifications where agency_id = ${w.a.agencyId} and user_id = ${w.a.manager.userId}
          and entity_id in (${conversations[0]!.id}, ${conversations[1]!.id})`,
    )
    const named = Object.fromEntries(bells.map((b) => [b.entity_id, b.data.contact]))
    // The client's name over the WhatsApp profile's; a stranger by the name of the lead made for them.
    expect(named).toEqual({ [conversations[0]!.id]: 'Cliente Conhecida', [conversations[1]!.id]: 'Novo Contato' })
    const marks = await owner().execute<{ state: string; attempts: number; processed: boolean; last_error: null }>(
      sql`select state, attempts, processed_at is not null as processed, last_error from whatsapp_webhook_events
          where agency_id = ${w.a.agencyId} and id in (${sql.raw(ids.join(','))}) order by id`,
    )
    expect(marks).toEqual(ids.map(() => ({ state: 'processed', attempts: 1, processed: true, last_error: null })))
  })

  it('reads its contacts ahead: a phone on two numbers is one lead, a burst one bell with its count', async () => {
    // A second number of the agency, with its own app.
    const [b] = await owner().execute<{ id: string }>(
      sql`insert into whatsapp_accounts (agency_id, provider, label, phone_number_id, display_number, access_token_enc, app_secret_enc, verify_token_enc)
          values (${w.a.agencyId}, 'cloud_api', 'Outro', '109876549911', '+55 11 95555-9911', ${testSecrets.seal('token-b')},
            ${testSecrets.seal('secret-of-b')}, ${testSecrets.seal('verify-b')}) returning id`,
    )
    const ts = Math.floor(Date.now() / 1000) - 60
    let n = 0
    const post = async (on: 'a' | 'b', from: string, text: string) => {
      const raw = Buffer.from(
        JSON.stringify(
          webhook.envelope(on === 'a' ? PHONE_NUMBER_ID : '109876549911', [
            webhook.text(from, text, { id: `wamid.ahead${++n}.${Date.now()}`, ts: ts + n }),
          ]),
        ),
      )
      const headers = { 'x-hub-signature-256': graph.sign(raw, on === 'a' ? APP_SECRET : 'secret-of-b') }
      const to = on === 'a' ? accountId : b!.id
      expect((await receiveWebhook(system(), { accountId: to, rawBody: raw, headers })).status).toBe(200)
    }
    // A contact the agency already talks to, its bell unread.
    await post('a', '5511977010002', 'antes')
    await ingestPendingEvents(system(), { agencyId: w.a.agencyId })
    // One batch: a stranger on both numbers, twice on the first; the known contact twice.
    await post('a', '5511977010001', 'oi pelo primeiro')
    await post('b', '5511977010001', 'oi pelo segundo')
    await post('a', '5511977010002', 'de novo')
    await post('a', '5511977010001', 'ainda eu')
    await post('a', '5511977010002', 'última')
    expect(await ingestPendingEvents(system(), { agencyId: w.a.agencyId })).toMatchObject({ taken: 5, failed: 0 })

    const stranger = await owner().execute<{ account_id: string; lead_id: string; id: string }>(
      sql`select account_id, lead_id, id from whatsapp_conversations where agency_id = ${w.a.agencyId}
          and contact_phone = '+5511977010001' order by account_id = ${accountId} desc`,
    )
    expect(stranger.map((c) => c.account_id)).toEqual([accountId, b!.id])
    const [leads] = await owner().execute<{ ids: string[] }>(
      sql`select array_agg(id)::text[] as ids from leads where agency_id = ${w.a.agencyId} and '+5511977010001' = any(phones)`,
    )
    // The second number's conversation found the lead the first one's message made in the same batch.
    expect(leads!.ids).toHaveLength(1)
    expect(stranger.map((c) => c.lead_id)).toEqual([leads!.ids[0], leads!.ids[0]])
    expect((await bodiesOf('5511977010001')).sort()).toEqual(['ainda eu', 'oi pelo primeiro', 'oi pelo segundo'])

    const [known] = await owner().execute<{ id: string }>(
      sql`select id from whatsapp_conversations where agency_id = ${w.a.agencyId} and account_id = ${accountId} and contact_phone = '+5511977010002'`,
    )
    const bells = (conversationId: string) =>
      owner().execute<{ count: number; preview: string }>(
        sql`select count, data->>'preview' as preview from notifications
            where agency_id = ${w.a.agencyId} and kind = 'message_received' and entity_id = ${conversationId}`,
      )
    // Written once at the end of the batch, as if bumped message by message.
    const knownBells = await bells(known!.id)
    expect(knownBells.length).toBeGreaterThan(0)
    for (const bell of knownBells) expect(bell).toEqual({ count: 3, preview: 'última' })
    const strangerBells = await bells(stranger[0]!.id)
    expect(strangerBells.length).toBeGreaterThan(0)
    for (const bell of strangerBells) expect(bell).toEqual({ count: 2, preview: 'ainda eu' })
  })

  it('reads afresh after a contact moves to a new number in the batch: the new number lands in their conversation', async () => {
    await deliver('5511977011001', 'número antigo')
    await ingestPendingEvents(system(), { agencyId: w.a.agencyId })
    const [before] = await owner().execute<{ id: string }>(
      sql`select id from whatsapp_conversations where agency_id = ${w.a.agencyId} and contact_phone = '+5511977011001'`,
    )
    const raw = Buffer.from(
      JSON.stringify(
        webhook.envelope(PHONE_NUMBER_ID, [
          webhook.numberChanged('5511977011001', '5511977011002', { id: 'wamid.moved1' }),
        ]),
      ),
    )
    expect(
      (await receiveWebhook(system(), { accountId, rawBody: raw, headers: { 'x-hub-signature-256': graph.sign(raw) } }))
        .status,
    ).toBe(200)
    await deliver('5511977011002', 'número novo')
    // Both in one batch: the new number had no conversation when the batch began.
    expect(await ingestPendingEvents(system(), { agencyId: w.a.agencyId })).toMatchObject({ taken: 2, failed: 0 })
    const conversations = await owner().execute<{ id: string }>(
      sql`select id from whatsapp_conversations where agency_id = ${w.a.agencyId} and contact_phone in ('+5511977011001', '+5511977011002')`,
    )
    expect(conversations).toEqual([{ id: before!.id }])
    expect(await bodiesOf('5511977011002')).toEqual([
      'número antigo',
      'User changed from 5511977011001 to 5511977011002',
      'número novo',
    ])
  })

  it('counts the messages of the day whichever connection wrote them', async () => {
    const [stats] = await owner().execute<{ n: number; rows: number }>(
      sql`select coalesce(sum(messages_in), 0)::int as n, count(*)::int as rows from agency_daily_stats where agency_id = ${w.a.agencyId}`,
    )
    const [messages] = await owner().execute<{ n: number }>(
      sql`select count(*)::int as n from whatsapp_messages where agency_id = ${w.a.agencyId} and direction = 'inbound'`,
    )
    expect(stats!.n).toBe(messages!.n)
    expect(stats!.rows).toBeGreaterThanOrEqual(1)
  })
})
