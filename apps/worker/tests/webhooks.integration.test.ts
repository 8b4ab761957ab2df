import { once } from 'node:events'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createCaller, createContext } from '@impera/api'
import { webhooksDeliverJob } from '@impera/api/jobs'
import { ZUpdateLeadInput } from '@impera/api/schemas'
import { updateLead } from '@impera/api/services'
import { createStorage } from '@impera/api/storage'
import { deliverJobKey, MAX_ATTEMPTS, targetPolicy, type TargetPolicy } from '@impera/api/webhooks'
import { sql, withAgency } from '@impera/db'
import type { Runner } from 'graphile-worker'
import pino from 'pino'
import { Webhook } from 'standardwebhooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildWorld, leadData, testSecrets, type Persona, type World } from '../../../packages/api/tests/harness'
import { emitDomainEvent } from '../../../packages/api/src/events'
import { createMailer, startWorker } from '../src/index'

/**
 * Outgoing webhooks through the real worker job and real HTTP (decision 018). The receiver the worker may reach
 * listens on 127.0.0.2, the one install setting allows (WEBHOOKS_ALLOW_PRIVATE_TARGETS=127.0.0.2/32); a second one on
 * 127.0.0.1 stands for the private network, which must never be reached. (Linux answers on all of 127/8.)
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

/**
 * A receiver that records every request and answers per path: `/status/<code>`, `/flaky/<n>` (n × 500, then 200),
 * `/held` (the first request waits until `release()`).
 */
async function startReceiver(host: string) {
  const received: Received[] = []
  const counts = new Map<string, number>()
  let redirectTo = ''
  let release = () => {}
  const held = new Promise<void>((r) => (release = r))
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const body = Buffer.concat(chunks).toString('utf8')
    const url = req.url ?? '/'
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]))
    received.push({ path: url, headers, body, json: body ? JSON.parse(body) : null })
    const n = (counts.get(url) ?? 0) + 1
    counts.set(url, n)
    const [, kind, arg] = url.split('/')
    if (kind === 'held' && n === 1) await held
    if (kind === 'status') res.writeHead(Number(arg)).end(`answered ${arg}`)
    else if (kind === 'flaky') res.writeHead(n <= Number(arg) ? 500 : 200).end(n <= Number(arg) ? 'boom' : 'ok')
    else if (kind === 'redirect') res.writeHead(302, { location: redirectTo }).end()
    else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}')
  })
  server.listen(0, host)
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  return {
    url: (p: string) => `http://${host}:${port}${p}`,
    at: (p: string) => received.filter((r) => r.path === p),
    all: received,
    redirect: (to: string) => void (redirectTo = to),
    release: () => release(),
    close: () => new Promise((r) => server.close(r)),
  }
}

type Receiver = Awaited<ReturnType<typeof startReceiver>>

let w: World
let runner: Runner
/** What the worker logged at warn or above: a delivery job must never fail (failures are recorded, not thrown). */
const logged: { msg: string; job?: string }[] = []
let hooks: Receiver
let privateNet: Receiver
let uploads: string
const allowed: TargetPolicy = targetPolicy(['127.0.0.2/32'])

function caller(p: Persona, agencyId = w.a.agencyId, webhookTargets: TargetPolicy = allowed) {
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
      whatsappGraph: null,
      webhookTargets,
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

async function deliveries(endpointId: string) {
  return w.t.owner.db.execute<{
    seq: number
    state: string
    attempts: number
    error: string | null
    response_status: number | null
    trigger: string
  }>(
    sql`select seq::int, state, attempts, error, response_status, trigger from webhook_deliveries where endpoint_id = ${endpointId} order by seq`,
  )
}

async function endpoint(id: string) {
  const [row] = await w.t.owner.db.execute<{ enabled: boolean; disabled_reason: string | null }>(
    sql`select enabled, disabled_reason from webhook_endpoints where id = ${id}`,
  )
  return row!
}

let phones = 0
/** A lead created by A's manager, with a phone of its own (a lead needs a contact). */
async function newLead(name: string, p: Persona = w.a.manager, agencyId = w.a.agencyId) {
  const phone = `+55 11 9${String(1000_0000 + ++phones).slice(1)}`
  return caller(p, agencyId).leads.create({ data: leadData({ name, phones: [phone] }), allowDuplicate: true })
}

beforeAll(async () => {
  w = await buildWorld()
  hooks = await startReceiver('127.0.0.2')
  privateNet = await startReceiver('127.0.0.1')
  uploads = await mkdtemp(path.join(tmpdir(), 'impera-webhooks-'))
  runner = await startWorker({
    queueUrl: w.t.ownerUrl,
    db: w.t.app.db,
    mailer: createMailer({ from: 'test@impera', db: w.t.app.db }),
    storage: createStorage({ driver: 'local', dir: uploads }),
    whatsapp: {
      secrets: testSecrets,
      graphUrl: 'http://127.0.0.1:9',
      graphVersion: 'v21.0',
      storage: createStorage({ driver: 'local', dir: uploads }),
    },
    webhooks: { targets: allowed, timeoutMs: 3_000 },
    log: pino({ level: 'warn' }, { write: (line: string) => void logged.push(JSON.parse(line)) }),
  })
})

afterAll(async () => {
  await runner?.stop()
  await hooks?.close()
  await privateNet?.close()
  await w?.t.close()
  await rm(uploads, { recursive: true, force: true })
})

describe('outgoing webhooks', () => {
  it('signs each delivery so the Standard Webhooks library verifies it, and never shows the secret again', async () => {
    const m = caller(w.a.manager)
    const { endpoint: ep, secret } = await m.webhooks.create({
      url: hooks.url('/signed'),
      eventTypes: ['lead.created'],
    })
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/)
    const lead = await newLead('Lead assinado')
    const [got] = await waitFor(() => hooks.at('/signed').length > 0 && hooks.at('/signed'))
    // The reference library: throws unless the signature, the id and a fresh timestamp match the exact bytes.
    expect(new Webhook(secret).verify(got!.body, got!.headers)).toMatchObject({ type: 'lead.created' })
    expect(got!.headers['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/)
    expect(got!.headers['content-type']).toBe('application/json')
    expect(got!.json).toMatchObject({
      type: 'lead.created',
      agencyId: w.a.agencyId,
      seq: 1,
      origin: 'ui',
      actorUserId: w.a.manager.userId,
      data: { lead: { id: lead.id, name: 'Lead assinado', status: 'new' } },
    })
    expect(new Date(got!.json.timestamp).toISOString()).toBe(got!.json.timestamp)
    // A wrong secret does not verify.
    expect(() =>
      new Webhook(`whsec_${Buffer.alloc(32, 9).toString('base64')}`).verify(got!.body, got!.headers),
    ).toThrow()
    // Whatever is read back later, the secret is not in it.
    const answers = [
      await m.webhooks.list(),
      await m.webhooks.update({ id: ep.id, url: hooks.url('/signed'), eventTypes: ['lead.created'] }),
      await m.webhooks.deliveries({ endpointId: ep.id }),
      await m.webhooks.setEnabled({ id: ep.id, enabled: false }),
      await m.webhooks.setEnabled({ id: ep.id, enabled: true }),
    ]
    const text = JSON.stringify(answers)
    expect(text).not.toContain(secret)
    expect(text).not.toContain('whsec_')
    expect(text).not.toMatch(/secret_?enc/i)
    await m.webhooks.delete({ id: ep.id })
  })

  it('sends both signatures for 24 hours after a rotation, each verifiable with its secret', async () => {
    const m = caller(w.a.manager)
    const { endpoint: ep, secret: oldSecret } = await m.webhooks.create({
      url: hooks.url('/rotated'),
      eventTypes: ['lead.created'],
    })
    const rotated = await m.webhooks.rotateSecret({ id: ep.id })
    expect(rotated.secret).not.toBe(oldSecret)
    expect(rotated.previousSecretExpiresAt.getTime() - Date.now()).toBeGreaterThan(23.9 * 3600_000)
    await newLead('Lead rotacionado')
    const [got] = await waitFor(() => hooks.at('/rotated').length > 0 && hooks.at('/rotated'))
    expect(got!.headers['webhook-signature']!.split(' ')).toHaveLength(2)
    expect(new Webhook(rotated.secret).verify(got!.body, got!.headers)).toBeTruthy()
    expect(new Webhook(oldSecret).verify(got!.body, got!.headers)).toBeTruthy()
    // Once the overlap is over, only the new secret signs.
    await w.t.owner.db.execute(
      sql`update webhook_endpoints set previous_secret_expires_at = now() - interval '1 second' where id = ${ep.id}`,
    )
    await newLead('Lead depois da troca')
    const [, second] = await waitFor(() => hooks.at('/rotated').length > 1 && hooks.at('/rotated'))
    expect(second!.headers['webhook-signature']!.split(' ')).toHaveLength(1)
    expect(new Webhook(rotated.secret).verify(second!.body, second!.headers)).toBeTruthy()
    expect(() => new Webhook(oldSecret).verify(second!.body, second!.headers)).toThrow()
    await m.webhooks.delete({ id: ep.id })
  })

  it('delivers an endpoint its events in sequence order, one after another, as the changes committed', async () => {
    const m = caller(w.a.manager)
    const { endpoint: ep } = await m.webhooks.create({
      url: hooks.url('/ordered'),
      eventTypes: ['lead.created', 'lead.status_changed'],
    })
    const lead = await newLead('Lead em ordem')
    const statuses = ['contacted', 'qualified', 'contacted', 'new', 'contacted', 'qualified', 'lost'] as const
    for (const status of statuses)
      await m.leads.setStatus({ id: lead.id, status, lostReason: status === 'lost' ? 'budget' : undefined })
    // Concurrent changes on other leads: still one gapless sequence, in commit order.
    await Promise.all(['A', 'B', 'C', 'D', 'E'].map((x) => newLead(`Lead paralelo ${x}`)))
    const total = 1 + statuses.length + 5
    const got = await waitFor(() => hooks.at('/ordered').length >= total && hooks.at('/ordered'))
    expect(got.map((r) => r.json.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1))
    const moves = got.filter((r) => r.json.type === 'lead.status_changed' && r.json.data.lead.id === lead.id)
    expect(moves.map((r) => r.json.data.to)).toEqual([...statuses])
    expect(moves[6]!.json.data).toMatchObject({ from: 'qualified', to: 'lost', lead: { lostReason: 'budget' } })
    expect((await deliveries(ep.id)).every((d) => d.state === 'delivered' && d.attempts === 1)).toBe(true)
    await m.webhooks.delete({ id: ep.id })
  })

  it('adds no job per event while a run is delivering, and that run picks up what committed meanwhile', async () => {
    const m = caller(w.a.manager)
    const { endpoint: ep } = await m.webhooks.create({ url: hooks.url('/held'), eventTypes: ['lead.created'] })
    // Every job graphile-worker is asked to add for this endpoint, even one that runs and is gone at once.
    const key = deliverJobKey(ep.id)
    await w.t.owner.db.execute(
      sql.raw(`
      create table test_added_jobs (key text);
      create function test_record_job() returns trigger language plpgsql security definer as $$
        begin insert into public.test_added_jobs values (new.key); return new; end $$;
      create trigger test_record_job after insert on graphile_worker._private_jobs
        for each row execute function test_record_job();`),
    )
    const added = async () => {
      const [{ n }] = (await w.t.owner.db.execute<{ n: number }>(
        sql`select count(*)::int as n from test_added_jobs where key = ${key}`,
      )) as unknown as [{ n: number }]
      return n
    }
    try {
      await newLead('Lead segurado 0')
      // The run holds the lease while the receiver keeps its first POST waiting.
      await waitFor(() => hooks.at('/held').length === 1)
      const before = await added()
      for (const i of [1, 2, 3, 4, 5]) await newLead(`Lead segurado ${i}`)
      expect(await added()).toBe(before)
      hooks.release()
      const got = await waitFor(() => hooks.at('/held').length >= 6 && hooks.at('/held'))
      expect(got.map((r) => r.json.seq)).toEqual([1, 2, 3, 4, 5, 6])
      expect((await deliveries(ep.id)).every((d) => d.state === 'delivered' && d.attempts === 1)).toBe(true)
    } finally {
      await w.t.owner.db.execute(
        sql.raw(`drop trigger test_record_job on graphile_worker._private_jobs;
          drop function test_record_job(); drop table test_added_jobs;`),
      )
    }
    await m.webhooks.delete({ id: ep.id })
  })

  it('retries a 500 after a jittered delay and then succeeds, holding later events behind it', async () => {
    const m = caller(w.a.manager)
    const { endpoint: ep } = await m.webhooks.create({ url: hooks.url('/flaky/1'), eventTypes: ['lead.created'] })
    await newLead('Lead instável 1')
    const [first] = await waitFor(async () => {
      const ds = await deliveries(ep.id)
      return ds[0]?.attempts === 1 && ds
    })
    expect(first).toMatchObject({ state: 'pending', response_status: 500, error: 'http' })
    const [{ wait }] = (await w.t.owner.db.execute<{ wait: number }>(
      sql`select extract(epoch from next_attempt_at - last_attempt_at)::float as wait from webhook_deliveries where endpoint_id = ${ep.id} and seq = 1`,
    )) as unknown as [{ wait: number }]
    expect(wait).toBeGreaterThanOrEqual(3.9)
    expect(wait).toBeLessThanOrEqual(6.1)
    // An event behind the failing one waits for it: order is kept.
    await newLead('Lead instável 2')
    const got = await waitFor(() => hooks.at('/flaky/1').length >= 3 && hooks.at('/flaky/1'), 20_000)
    expect(got.map((r) => [r.json.seq, r.json.data.lead.name])).toEqual([
      [1, 'Lead instável 1'],
      [1, 'Lead instável 1'],
      [2, 'Lead instável 2'],
    ])
    // The same event keeps its id across attempts (the receiver's idempotency key).
    expect(got[0]!.headers['webhook-id']).toBe(got[1]!.headers['webhook-id'])
    await waitFor(async () => (await deliveries(ep.id)).every((d) => d.state === 'delivered'))
    expect((await deliveries(ep.id)).map((d) => d.attempts)).toEqual([2, 1])
    await m.webhooks.delete({ id: ep.id })
  })

  it('disables an endpoint that answers 410 Gone and tells the managers', async () => {
    const m = caller(w.a.manager)
    const { endpoint: ep } = await m.webhooks.create({ url: hooks.url('/status/410'), eventTypes: ['lead.created'] })
    await newLead('Lead para ninguém')
    await waitFor(async () => !(await endpoint(ep.id)).enabled)
    expect(await endpoint(ep.id)).toEqual({ enabled: false, disabled_reason: 'gone' })
    expect((await deliveries(ep.id))[0]).toMatchObject({ state: 'failed', response_status: 410, attempts: 1 })
    const notes = await w.t.owner.db.execute<{ user_id: string; data: { reason: string } }>(
      sql`select user_id, data from notifications where kind = 'webhook_disabled' and entity_id = ${ep.id}`,
    )
    expect(notes.map((n) => [n.user_id, n.data.reason])).toEqual([[w.a.manager.userId, 'gone']])
    // While disabled, nothing is queued for it.
    await newLead('Lead com o endpoint desligado')
    expect(await deliveries(ep.id)).toHaveLength(1)
    const [listed] = (await m.webhooks.list()).filter((e) => e.id === ep.id)
    expect(listed).toMatchObject({ enabled: false, disabledReason: 'gone', lastDelivery: { responseStatus: 410 } })
    await m.webhooks.delete({ id: ep.id })
  })

  it('gives up after the last scheduled attempt, disables the endpoint and notifies the managers', async () => {
    const m = caller(w.a.manager)
    const { endpoint: ep } = await m.webhooks.create({ url: hooks.url('/status/503'), eventTypes: ['lead.created'] })
    await newLead('Lead sem resposta')
    await waitFor(async () => (await deliveries(ep.id))[0]?.attempts === 1)
    // Three days of failures, without the three days: the last attempt is due now.
    await w.t.owner.db.execute(
      sql`update webhook_deliveries set attempts = ${MAX_ATTEMPTS - 1}, next_attempt_at = now() where endpoint_id = ${ep.id}`,
    )
    await w.t.owner.db.execute(
      sql`select enqueue_job(${webhooksDeliverJob.id}, ${JSON.stringify({ agencyId: w.a.agencyId, endpointId: ep.id })}::json, null, 5, ${`webhooks-deliver-${ep.id}`})`,
    )
    await waitFor(async () => !(await endpoint(ep.id)).enabled)
    expect(await endpoint(ep.id)).toEqual({ enabled: false, disabled_reason: 'failing' })
    expect((await deliveries(ep.id))[0]).toMatchObject({ state: 'failed', attempts: MAX_ATTEMPTS })
    const notes = await w.t.owner.db.execute<{ user_id: string; data: { reason: string; url: string } }>(
      sql`select user_id, data from notifications where kind = 'webhook_disabled' and entity_id = ${ep.id}`,
    )
    expect(notes.map((n) => [n.user_id, n.data.reason, n.data.url])).toEqual([
      [w.a.manager.userId, 'failing', hooks.url('/status/503')],
    ])
    // Turned on again, it starts from a fresh schedule.
    expect(await m.webhooks.setEnabled({ id: ep.id, enabled: true })).toEqual({ id: ep.id, enabled: true })
    expect(await endpoint(ep.id)).toEqual({ enabled: true, disabled_reason: null })
    await m.webhooks.delete({ id: ep.id })
  })

  it('sends a delivery again on request (same webhook-id, new place in the queue) and sends test events', async () => {
    const m = caller(w.a.manager)
    const { endpoint: ep, secret } = await m.webhooks.create({ url: hooks.url('/again'), eventTypes: ['lead.created'] })
    await newLead('Lead repetido')
    await waitFor(() => hooks.at('/again').length === 1)
    const page = await m.webhooks.deliveries({ endpointId: ep.id })
    expect(page.items).toHaveLength(1)
    expect(page.items[0]).toMatchObject({ state: 'delivered', responseStatus: 200, responseExcerpt: '{"ok":true}' })
    expect(page.items[0]!.latencyMs).toBeGreaterThanOrEqual(0)
    const again = await m.webhooks.redeliver({ deliveryId: page.items[0]!.id })
    expect(again.seq).toBe(2)
    const test = await m.webhooks.sendTest({ id: ep.id })
    expect(test.seq).toBe(3)
    const got = await waitFor(() => hooks.at('/again').length === 3 && hooks.at('/again'))
    expect(got[1]!.headers['webhook-id']).toBe(got[0]!.headers['webhook-id'])
    expect(got[1]!.json).toMatchObject({ seq: 2, type: 'lead.created' })
    expect(got[2]!.json).toMatchObject({ seq: 3, type: 'webhook.test', data: { endpointId: ep.id } })
    expect(new Webhook(secret).verify(got[2]!.body, got[2]!.headers)).toBeTruthy()
    await waitFor(async () => (await deliveries(ep.id)).every((d) => d.state === 'delivered'))
    const log = await m.webhooks.deliveries({ endpointId: ep.id, limit: 2 })
    expect(log.items.map((d) => [d.seq, d.trigger, d.type])).toEqual([
      [3, 'test', 'webhook.test'],
      [2, 'redelivery', 'lead.created'],
    ])
    expect(log.nextBefore).toBe(2)
    const older = await m.webhooks.deliveries({ endpointId: ep.id, before: log.nextBefore! })
    expect(older.items.map((d) => d.seq)).toEqual([1])
    expect(older.nextBefore).toBeNull()
    // A disabled endpoint takes neither.
    await m.webhooks.setEnabled({ id: ep.id, enabled: false })
    await expect(m.webhooks.sendTest({ id: ep.id })).rejects.toMatchObject({ code: 'CONFLICT' })
    await m.webhooks.delete({ id: ep.id })
  })

  it('filters *.updated events by field and carries changed[] and previous{}', async () => {
    const m = caller(w.a.manager)
    const { endpoint: ep } = await m.webhooks.create({
      url: hooks.url('/fields'),
      eventTypes: ['lead.updated'],
      updatedFields: { 'lead.updated': ['email', 'phones'] },
    })
    const lead = await newLead('Lead filtrado')
    await m.leads.update({
      id: lead.id,
      data: leadData({ name: 'Lead renomeado', phones: lead.phones }),
      allowDuplicate: true,
    })
    await m.leads.update({
      id: lead.id,
      data: leadData({ name: 'Lead renomeado', phones: lead.phones, email: 'novo@example.test' }),
      allowDuplicate: true,
    })
    const [got] = await waitFor(() => hooks.at('/fields').length > 0 && hooks.at('/fields'))
    expect(got!.json.data).toEqual({
      lead: expect.objectContaining({ id: lead.id, name: 'Lead renomeado', email: 'novo@example.test' }),
      changed: ['email'],
      previous: { email: null },
    })
    // Only the e-mail change went out: the rename did not match the filter.
    await m.webhooks.sendTest({ id: ep.id })
    await waitFor(() => hooks.at('/fields').length === 2)
    expect(hooks.at('/fields').map((r) => r.json.type)).toEqual(['lead.updated', 'webhook.test'])
    await m.webhooks.delete({ id: ep.id })
  })

  it("never sends an integration its own changes, and still sends it everyone else's", async () => {
    const m = caller(w.a.manager)
    const { endpoint: own } = await m.webhooks.create({
      url: hooks.url('/integration'),
      eventTypes: ['lead.updated'],
      integrationId: w.a.integrationId,
    })
    const { endpoint: other } = await m.webhooks.create({ url: hooks.url('/other'), eventTypes: ['lead.updated'] })
    const lead = await newLead('Lead da integração')
    const [integration] = await w.t.owner.db.execute<{ user_id: string; name: string }>(
      sql`select user_id, name from integrations where id = ${w.a.integrationId}`,
    )
    // The integration acts as its own user, as the public API and MCP make it act (decision 017).
    await withAgency(w.t.app.db, { agencyId: w.a.agencyId, userId: integration!.user_id }, (tx) =>
      updateLead(
        {
          db: tx,
          actor: {
            userId: integration!.user_id,
            agencyId: w.a.agencyId,
            role: 'manager',
            membershipId: '',
            ip: null,
            agency: { agentsSeeAll: true, defaultPhoneCountry: 'BR' },
            integration: { integrationId: w.a.integrationId, keyId: '', name: integration!.name, scopes: [] },
          },
        },
        ZUpdateLeadInput.parse({
          id: lead.id,
          data: leadData({ name: 'Mudado pela integração', phones: lead.phones }),
          allowDuplicate: true,
        }),
      ),
    )
    const [fromApi] = await waitFor(() => hooks.at('/other').length > 0 && hooks.at('/other'))
    expect(fromApi!.json).toMatchObject({ origin: 'api', actorUserId: integration!.user_id })
    expect(await deliveries(own.id)).toEqual([])
    // A person's change reaches both.
    await m.leads.update({
      id: lead.id,
      data: leadData({ name: 'Mudado por uma pessoa', phones: lead.phones }),
      allowDuplicate: true,
    })
    await waitFor(() => hooks.at('/integration').length === 1 && hooks.at('/other').length === 2)
    expect(hooks.at('/integration')[0]!.json).toMatchObject({ origin: 'ui', data: { changed: ['name'] } })
    await m.webhooks.delete({ id: own.id })
    await m.webhooks.delete({ id: other.id })
  })

  it('refuses private targets: at creation, at delivery (also by name), and never follows a redirect to one', async () => {
    const strict = caller(w.a.manager, w.a.agencyId, targetPolicy(false))
    for (const url of [
      'http://127.0.0.1:8080/x',
      'http://[::1]/x',
      'http://169.254.169.254/latest',
      'http://localhost/x',
    ])
      await expect(strict.webhooks.create({ url, eventTypes: ['lead.created'] })).rejects.toMatchObject({
        code: 'BAD_REQUEST',
        message: 'webhooks.privateTarget',
      })
    const m = caller(w.a.manager)
    // Saved under a laxer setting (or a name that resolves privately): the worker refuses to connect.
    const lax = caller(w.a.manager, w.a.agencyId, targetPolicy(true))
    const direct = await lax.webhooks.create({
      url: privateNet.url('/direct'),
      eventTypes: ['lead.created'],
    })
    const byName = await lax.webhooks.create({
      url: privateNet.url('/by-name').replace('127.0.0.1', 'localhost'),
      eventTypes: ['lead.created'],
    })
    hooks.redirect(privateNet.url('/after-redirect'))
    const redirected = await m.webhooks.create({ url: hooks.url('/redirect'), eventTypes: ['lead.created'] })
    await newLead('Lead para a rede interna')
    await waitFor(async () => {
      const all = await Promise.all([direct, byName, redirected].map((e) => deliveries(e.endpoint.id)))
      return all.every((ds) => ds[0]?.attempts === 1)
    })
    expect((await deliveries(direct.endpoint.id))[0]).toMatchObject({ state: 'pending', error: 'refused_target' })
    expect((await deliveries(byName.endpoint.id))[0]).toMatchObject({ state: 'pending', error: 'refused_target' })
    expect((await deliveries(redirected.endpoint.id))[0]).toMatchObject({
      state: 'pending',
      error: 'redirect',
      response_status: 302,
    })
    expect(hooks.at('/redirect')).toHaveLength(1)
    expect(privateNet.all).toEqual([])
    const log = await m.webhooks.deliveries({ endpointId: redirected.endpoint.id })
    expect(log.items[0]!.responseExcerpt).toBe(`→ ${privateNet.url('/after-redirect')}`)
    for (const e of [direct, byName, redirected]) await m.webhooks.delete({ id: e.endpoint.id })
  })

  it('writes the outbox in the change’s transaction: a change that rolls back sends nothing', async () => {
    const m = caller(w.a.manager)
    const { endpoint: ep } = await m.webhooks.create({ url: hooks.url('/rollback'), eventTypes: ['lead.created'] })
    const lead = await newLead('Lead desfeito')
    await waitFor(() => hooks.at('/rollback').length === 1)
    await expect(
      withAgency(w.t.app.db, { agencyId: w.a.agencyId, userId: w.a.manager.userId }, async (tx) => {
        await emitDomainEvent(tx, {
          type: 'lead.created',
          leadId: lead.id,
          status: 'new',
          source: 'website',
          assignedTo: null,
          agencyId: w.a.agencyId,
          actorUserId: w.a.manager.userId,
          origin: 'ui',
        })
        throw new Error('the change failed')
      }),
    ).rejects.toThrow('the change failed')
    expect(await deliveries(ep.id)).toHaveLength(1)
    const [{ n }] = (await w.t.owner.db.execute<{ n: number }>(
      sql`select count(*)::int as n from webhook_events where agency_id = ${w.a.agencyId} and data->'lead'->>'id' = ${lead.id}`,
    )) as unknown as [{ n: number }]
    expect(n).toBe(1)
    await m.webhooks.delete({ id: ep.id })
  })

  it('logged no failed job along the way', () => {
    expect(logged.map((l) => `${l.job ?? ''} ${l.msg}`)).toEqual([])
  })

  it('keeps endpoints, deliveries and secrets of one agency out of another’s reach', async () => {
    const a = caller(w.a.manager)
    const { endpoint: ep } = await a.webhooks.create({ url: hooks.url('/mine'), eventTypes: ['lead.created'] })
    const b = caller(w.b.manager, w.b.agencyId)
    expect((await b.webhooks.list()).map((e) => e.id)).not.toContain(ep.id)
    await expect(b.webhooks.deliveries({ endpointId: ep.id })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(b.webhooks.sendTest({ id: ep.id })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    // Agents do not manage webhooks.
    await expect(caller(w.a.agent).webhooks.list()).rejects.toMatchObject({ code: 'FORBIDDEN' })
    // B's changes never reach A's endpoint.
    await newLead('Lead da Beta', w.b.manager, w.b.agencyId)
    await newLead('Lead da Alfa para o teste')
    await waitFor(() => hooks.at('/mine').length === 1)
    expect(hooks.at('/mine')[0]!.json.data.lead.name).toBe('Lead da Alfa para o teste')
    await a.webhooks.delete({ id: ep.id })
  })
})
