import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sql } from '@impera/db'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { SEND_LANES } from '../src/jobs'
import { sendDueMessages, type WhatsAppChange } from '../src/services'
import { createStorage } from '../src/storage'
import type { WhatsAppRuntime } from '../src/whatsapp'
import { buildWorld, outcome, queuedPayloads, testSecrets, type World } from './harness'
import { startGraphStandIn } from './stand-ins/graph'

/**
 * The number's sender (decision 049) against the Graph stand-in: pacing on the stand-in's own meter, several calls in
 * flight, one per recipient in order, Meta's pair limit backed off per recipient without holding the others, one run
 * per number, and the hand-over and wake-up the worker schedules from a run's result.
 */
let w: World
let graph: Awaited<ReturnType<typeof startGraphStandIn>>
let runtime: WhatsAppRuntime
let accountId: string
let dir: string
const PHONE_NUMBER_ID = '109876549900'
const TOKEN = 'EAAG-access-token-of-the-sender-test'

beforeAll(async () => {
  graph = await startGraphStandIn({
    accessToken: TOKEN,
    appSecret: 'sender-app-secret',
    phoneNumbers: [PHONE_NUMBER_ID],
  })
  w = await buildWorld({ graph: { graphUrl: graph.url, graphVersion: graph.version } })
  dir = await mkdtemp(path.join(tmpdir(), 'impera-sender-'))
  runtime = {
    secrets: testSecrets,
    graphUrl: graph.url,
    graphVersion: graph.version,
    storage: createStorage({ driver: 'local', dir }),
  }
  const created = await w.caller(w.a.manager, w.a.agencyId).whatsapp.createAccount({
    provider: 'cloud_api',
    label: 'Campanhas',
    phoneNumberId: PHONE_NUMBER_ID,
    displayNumber: '+55 11 95555-9900',
    accessToken: TOKEN,
    appSecret: 'sender-app-secret',
    verifyToken: 'verify-the-sender',
  })
  accountId = created.account.id
})
afterAll(async () => {
  await graph.close()
  await w.t.close()
  await rm(dir, { recursive: true, force: true })
})
beforeEach(async () => {
  graph.resetSendMeter()
  graph.setSendDelay(0)
  await w.t.owner.db.execute(sql`update whatsapp_accounts set messages_per_second = 80 where id = ${accountId}`)
})

const system = () => ({ db: w.t.app.db, whatsapp: runtime })
let phoneSeq = 0

/** A conversation the contact opened just now, with `texts` queued to them in that order; returns the message ids. */
async function queued(texts: string[]): Promise<{ to: string; ids: string[] }> {
  const to = `55119${String(7_000_000 + phoneSeq++).padStart(8, '0')}`
  const [c] = await w.t.owner.db.execute<{ id: string }>(sql`
    insert into whatsapp_conversations (agency_id, account_id, contact_phone, last_inbound_at)
    values (${w.a.agencyId}, ${accountId}, ${`+${to}`}, now()) returning id`)
  const ids: string[] = []
  for (const text of texts) {
    const [m] = await w.t.owner.db.execute<{ id: string }>(sql`
      insert into whatsapp_messages (agency_id, conversation_id, account_id, direction, type, body, status, provider_at, author)
      values (${w.a.agencyId}, ${c!.id}, ${accountId}, 'outbound', 'text', ${text}, 'queued', now(), 'member')
      returning id`)
    ids.push(m!.id)
  }
  return { to, ids }
}

const run = (opts: { runForMs?: number; changes?: WhatsAppChange[] } = {}) =>
  sendDueMessages(system(), {
    agencyId: w.a.agencyId,
    accountId,
    runForMs: opts.runForMs ?? 60_000,
    onChanges: async (c) => void opts.changes?.push(...c),
  })

async function row(id: string) {
  const [m] = await w.t.owner.db.execute<{
    status: string
    attempts: number
    error_code: string | null
    send_after: Date | null
  }>(sql`select status, attempts, error_code, send_after from whatsapp_messages where id = ${id}`)
  return m!
}

const ourIds = () => graph.sends.map((s) => String(s.body.biz_opaque_callback_data))

describe('the number’s sender', () => {
  it('a number’s pace is a manager’s setting, within what Meta allows', async () => {
    const manager = w.caller(w.a.manager, w.a.agencyId)
    expect(await manager.whatsapp.setAccountThroughput({ id: accountId, messagesPerSecond: 20 })).toMatchObject({
      id: accountId,
      messagesPerSecond: 20,
    })
    expect((await manager.whatsapp.accounts()).find((a) => a.id === accountId)?.messagesPerSecond).toBe(20)
    for (const messagesPerSecond of [0, 1001, 2.5])
      expect(await outcome(manager.whatsapp.setAccountThroughput({ id: accountId, messagesPerSecond }))).toBe(
        'BAD_REQUEST',
      )
    // Agents, whether or not the agency lets them see all records, and platform staff may not.
    const [original] = await w.t.owner.db.execute<{ seeAll: boolean }>(
      sql`select agents_see_all as "seeAll" from agencies where id = ${w.a.agencyId}`,
    )
    for (const mode of [false, true]) {
      await w.t.owner.db.execute(sql`update agencies set agents_see_all = ${mode} where id = ${w.a.agencyId}`)
      expect(
        await outcome(
          w.caller(w.a.agent, w.a.agencyId).whatsapp.setAccountThroughput({ id: accountId, messagesPerSecond: 80 }),
        ),
      ).toBe('FORBIDDEN')
    }
    await w.t.owner.db.execute(sql`update agencies set agents_see_all = ${original!.seeAll} where id = ${w.a.agencyId}`)
    expect(
      await outcome(
        w.caller(w.admin, w.a.agencyId).whatsapp.setAccountThroughput({ id: accountId, messagesPerSecond: 80 }),
      ),
    ).toBe('FORBIDDEN')
    expect((await manager.whatsapp.accounts()).find((a) => a.id === accountId)?.messagesPerSecond).toBe(20)
    const [audited] = await w.t.owner.db.execute<{ n: number }>(
      sql`select count(*)::int as n from audit_log where action = 'whatsapp.account.throughput' and entity_id = ${accountId}`,
    )
    expect(audited!.n).toBe(1)
  })

  it('paces a number to its throughput on the provider’s meter, with several calls in flight', async () => {
    await w.caller(w.a.manager, w.a.agencyId).whatsapp.setAccountThroughput({ id: accountId, messagesPerSecond: 10 })
    graph.setSendDelay(150)
    const contacts = await Promise.all(Array.from({ length: 30 }, (_, i) => queued([`Campanha ${i}`])))
    const changes: WhatsAppChange[] = []
    const result = await run({ changes })
    expect(result).toMatchObject({ busy: false, settled: 30, retried: 0, handover: false, wakeAt: null })
    for (const c of contacts) expect(graph.sendsFor(c.ids[0]!)).toBe(1)
    // Ten a second, evenly: never a second with more than ten (one more for a late timer's catch-up), and thirty take
    // the best part of three seconds. Without the pacer all thirty arrive within the same second.
    expect(graph.busiestSecond()).toBeLessThanOrEqual(11)
    const times = graph.sends.map((s) => s.at)
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(2_500)
    // A send takes 150 ms at the provider and one starts every 100 ms: the next does not wait for the last answer.
    expect(graph.maxSendsInFlight()).toBeGreaterThanOrEqual(2)
    expect(new Set(changes.map((c) => c.messageId))).toEqual(new Set(contacts.map((c) => c.ids[0])))
    const statuses = await w.t.owner.db.execute<{ status: string }>(
      sql`select status from whatsapp_messages where id = any(${`{${contacts.map((c) => c.ids[0]!).join(',')}}`}::uuid[])`,
    )
    expect(statuses.every((s) => s.status === 'sent')).toBe(true)
  })

  it('keeps one message in flight per recipient, in order; the pair limit backs one recipient off 4^n s, not the others', async () => {
    const x = await queued(['A', 'B', 'C'])
    const y = await queued(['D'])
    graph.fault(/\/messages$/, { code: 131056, details: 'Pair rate limit hit', to: x.to })
    const before = Date.now()
    const first = await run()
    // A waits out its back-off; B and C stay behind it; the other recipient is not held.
    expect(first).toMatchObject({ busy: false, settled: 1, retried: 1 })
    expect(ourIds()).toEqual([y.ids[0]])
    const a = await row(x.ids[0]!)
    expect(a).toMatchObject({ status: 'queued', attempts: 1, error_code: '131056' })
    expect(new Date(a.send_after!).getTime()).toBeGreaterThanOrEqual(before + 4_000)
    expect(new Date(a.send_after!).getTime()).toBeLessThan(Date.now() + 4_000 + 1_000)
    expect(first.wakeAt?.getTime()).toBe(new Date(a.send_after!).getTime())
    for (const id of x.ids.slice(1)) expect(await row(id)).toMatchObject({ status: 'queued', attempts: 0 })

    // Its back-off over (moved to now rather than waited for), the pair limit again: 4² seconds this time.
    await w.t.owner.db.execute(sql`update whatsapp_messages set send_after = now() where id = ${x.ids[0]!}`)
    graph.fault(/\/messages$/, { code: 131056, details: 'Pair rate limit hit', to: x.to })
    const second = Date.now()
    await run()
    const again = await row(x.ids[0]!)
    expect(again).toMatchObject({ status: 'queued', attempts: 2 })
    expect(new Date(again.send_after!).getTime()).toBeGreaterThanOrEqual(second + 16_000)

    await w.t.owner.db.execute(sql`update whatsapp_messages set send_after = now() where id = ${x.ids[0]!}`)
    const last = await run()
    expect(last).toMatchObject({ settled: 3, retried: 0, wakeAt: null })
    expect(ourIds().slice(1)).toEqual(x.ids)
    for (const id of x.ids) expect(graph.sendsFor(id)).toBe(1)
  })

  it('fails a message for good on a permanent error and goes on with the recipient’s next one', async () => {
    const x = await queued(['Fora da janela', 'Depois'])
    graph.fault(/\/messages$/, { code: 131047, details: 'Re-engagement message', to: x.to })
    expect(await run()).toMatchObject({ settled: 2, retried: 0 })
    expect(await row(x.ids[0]!)).toMatchObject({ status: 'failed', error_code: '131047' })
    expect(await row(x.ids[1]!)).toMatchObject({ status: 'sent' })
  })

  it('never sends a bot’s queued message once a person has taken the conversation over', async () => {
    const x = await queued(['Resposta da IA'])
    await w.t.owner.db.execute(sql`update whatsapp_messages set author = 'bot' where id = ${x.ids[0]!}`)
    await w.t.owner.db.execute(sql`
      update whatsapp_conversations set controller = 'human', control_changed_at = now() + interval '1 second'
      where id = (select conversation_id from whatsapp_messages where id = ${x.ids[0]!})`)
    const changes: WhatsAppChange[] = []
    expect(await run({ changes })).toMatchObject({ settled: 1, retried: 0 })
    expect(await row(x.ids[0]!)).toMatchObject({ status: 'failed', error_code: 'human_took_over' })
    expect(graph.sendsFor(x.ids[0]!)).toBe(0)
    expect(changes.map((c) => c.messageId)).toEqual([x.ids[0]])
  })

  it('a paused number holds its queue: the run ends at once, and resuming the number sends it', async () => {
    const x = await queued(['Depois da pausa'])
    await w.t.owner.db.execute(
      sql`update whatsapp_accounts set paused_reason = '190: token expired' where id = ${accountId}`,
    )
    expect(await run()).toMatchObject({ busy: false, settled: 0, retried: 0, handover: false })
    expect(await row(x.ids[0]!)).toMatchObject({ status: 'queued', attempts: 0 })
    await w.caller(w.a.manager, w.a.agencyId).whatsapp.resumeAccount({ id: accountId })
    expect(await run()).toMatchObject({ settled: 1 })
    expect(graph.sendsFor(x.ids[0]!)).toBe(1)
  })

  it('runs once per number: a second run while one sends leaves at once, and nothing goes out twice', async () => {
    graph.setSendDelay(300)
    const contacts = await Promise.all(Array.from({ length: 5 }, (_, i) => queued([`Olá ${i}`])))
    const holder = run()
    await expect.poll(() => graph.sends.length, { timeout: 30_000 }).toBeGreaterThan(0)
    expect(await run()).toMatchObject({ busy: true, settled: 0 })
    expect(await holder).toMatchObject({ busy: false, settled: 5 })
    for (const c of contacts) expect(graph.sendsFor(c.ids[0]!)).toBe(1)
    // The lock went with the run: the next one takes the number.
    const late = await queued(['Mais uma'])
    expect(await run()).toMatchObject({ busy: false, settled: 1 })
    expect(graph.sendsFor(late.ids[0]!)).toBe(1)
  })

  it('hands over when its time is up, and the worker’s schedule keeps one run waiting per number', async () => {
    const x = await queued(['Fica para a próxima'])
    expect(await run({ runForMs: 0 })).toMatchObject({ busy: false, settled: 0, handover: true })
    expect(await row(x.ids[0]!)).toMatchObject({ status: 'queued' })
    // Asked for by every message queued: a waiting run is moved, not doubled (its key is one of the number's lanes).
    const manager = w.caller(w.a.manager, w.a.agencyId)
    for (const text of ['um', 'dois'])
      await manager.whatsapp.send({
        id: crypto.randomUUID(),
        conversationId: (
          await w.t.owner.db.execute<{ id: string }>(
            sql`select conversation_id as id from whatsapp_messages where id = ${x.ids[0]!}`,
          )
        )[0]!.id,
        type: 'text',
        text,
      })
    const waiting = (await queuedPayloads<{ accountId: string }>(w.t, 'whatsapp:send-pending')).filter(
      (p) => p.accountId === accountId,
    )
    expect(waiting.length).toBeGreaterThanOrEqual(1)
    expect(waiting.length).toBeLessThanOrEqual(SEND_LANES)
    expect(new Set(waiting.map((p) => JSON.stringify(p)))).toEqual(
      new Set([JSON.stringify({ agencyId: w.a.agencyId, accountId })]),
    )
    expect(await run()).toMatchObject({ settled: 3, handover: false })
  })
})
