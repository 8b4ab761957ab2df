import type { Server } from 'node:http'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createStorage } from '@impera/api/storage'
import { purgePortalLeadEvents } from '@impera/api/services'
import { sql } from '@impera/db'
import { createMailer, startWorker } from '@impera/worker'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildWorld, TEST_SECRETS_KEY, testSecrets, type World } from '../../../packages/api/tests/harness'
import { grupoOlxPusher, sampleLead } from '../../../packages/api/tests/stand-ins/grupo-olx'
import { createWebApp } from './app'
import type { WebEnv } from './env'
import { createHttpApp } from './http'

/**
 * Portal lead intake (decision 022) against a stand-in of Grupo OLX's push that follows its public contract (Basic
 * credentials, a 2xx or five retries): over the real HTTP server, stored, and made into leads by the real worker.
 */
let w: World
let server: Server
let base: string
let dir: string
let runner: Awaited<ReturnType<typeof startWorker>>
const logged: { msg: string }[] = []

beforeAll(async () => {
  w = await buildWorld()
  dir = await mkdtemp(path.join(tmpdir(), 'impera-portals-'))
  const storage = createStorage({ driver: 'local', dir })
  const env = {
    NODE_ENV: 'test',
    SESSION_SECRET: ['x'.repeat(32)],
    origin: 'http://crm.test',
    devMailbox: false,
    SECRETS_KEY: TEST_SECRETS_KEY,
    WHATSAPP_GRAPH_URL: 'http://127.0.0.1:9',
    WHATSAPP_GRAPH_VERSION: 'v21.0',
  } as unknown as WebEnv
  const app = createWebApp({ env, db: w.t.app.db, log: pino({ level: 'silent' }), storage })
  const http = createHttpApp({
    app,
    sql: w.t.app.sql,
    build: () => Promise.reject(new Error('no Remix build in this test')),
    mode: 'production',
    trustProxy: false,
  })
  await new Promise<void>((r) => (server = http.listen(0, '127.0.0.1', r)))
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  runner = await startWorker({
    queueUrl: w.t.ownerUrl,
    db: w.t.app.db,
    mailer: createMailer({ from: 'test@impera', db: w.t.app.db }),
    storage,
    whatsapp: { secrets: testSecrets, graphUrl: 'http://127.0.0.1:9', graphVersion: 'v21.0', storage },
    log: pino({ level: 'warn' }, { write: (line: string) => void logged.push(JSON.parse(line)) }),
  })
  // The listing the portal advertises is the agent's.
  await w.t.owner.db.execute(
    sql`update properties set assigned_to = ${w.a.agent.userId}, purpose = 'rent' where id = ${w.a.propertyId}`,
  )
})

afterAll(async () => {
  await runner?.stop()
  await new Promise((r) => server?.close(r))
  await w?.t.close()
  await rm(dir, { recursive: true, force: true })
})

async function waitFor<T>(fn: () => Promise<T | undefined | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = await fn()
    if (v !== undefined && v !== false) return v
    if (Date.now() > end) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 50))
  }
}

const manager = () => w.caller(w.a.manager, w.a.agencyId)

/** The stored push of a portal lead id once the worker has processed it. */
function processed(originLeadId: string) {
  return waitFor(async () => {
    const rows = await w.t.owner.db.execute<{ state: string; outcome: string; lead_id: string }>(
      sql`select state, outcome, lead_id from portal_lead_events where origin_lead_id = ${originLeadId} order by id`,
    )
    return rows.length > 0 && rows.every((r) => r.state === 'processed') && rows
  })
}

async function leadRow(id: string) {
  const [row] = await w.t.owner.db.execute<{
    name: string
    phones: string[]
    email: string | null
    source: string
    source_detail: string | null
    interest: string | null
    assigned_to: string | null
  }>(sql`select name, phones, email, source, source_detail, interest, assigned_to from leads where id = ${id}`)
  return row!
}

const inquiries = (leadId: string) =>
  w.t.owner.db.execute<{ data: Record<string, unknown> }>(
    sql`select data from lead_events where lead_id = ${leadId} and kind = 'inquiry' order by at, id`,
  )

describe('Grupo OLX lead push', () => {
  let url: string
  let password: string

  beforeAll(async () => {
    const door = await manager().portals.connect({ portal: 'grupo_olx' })
    expect(door.user).toBe('vivareal')
    url = `${base}${door.path}`
    password = door.secret
  })

  it('a lead for a listing lands on the listing agent, linked to it, with the message on its timeline', async () => {
    const code = (
      await w.t.owner.db.execute<{ code: string }>(sql`select code from properties where id = ${w.a.propertyId}`)
    )[0]!.code
    const lead = sampleLead({ clientListingId: code.toLowerCase(), name: 'Maria do Portal', phone: '988887777' })
    const pushed = await grupoOlxPusher({ url, password }).push(lead)
    expect(pushed).toEqual({ delivered: true, attempts: [{ status: 201 }] })
    const [event] = await processed(lead.originLeadId!)
    expect(event!.outcome).toBe('created')
    expect(await leadRow(event!.lead_id)).toEqual({
      name: 'Maria do Portal',
      phones: ['+5511988887777'],
      email: lead.email,
      source: 'portal',
      source_detail: 'Viva Real',
      interest: 'rent',
      assigned_to: w.a.agent.userId,
    })
    const links = await w.t.owner.db.execute(
      sql`select 1 from lead_properties where lead_id = ${event!.lead_id} and property_id = ${w.a.propertyId}`,
    )
    expect(links).toHaveLength(1)
    expect((await inquiries(event!.lead_id)).map((r) => r.data)).toEqual([
      {
        via: 'portal',
        portal: 'grupo_olx',
        channel: 'Viva Real',
        message: lead.message,
        listingCode: code.toLowerCase(),
        propertyId: w.a.propertyId,
        utm: null,
        consent: null,
      },
    ])
    // The agent is told, and the manager sees the push on the settings page.
    const notes = await w.caller(w.a.agent, w.a.agencyId).notifications.list({})
    expect(notes.items.some((n) => n.kind === 'lead_assigned' && n.entityId === event!.lead_id)).toBe(true)
    const page = await manager().portals.get({ portal: 'grupo_olx' })
    expect(page.connection?.lastReceivedAt).toBeInstanceOf(Date)
    expect(page.recent[0]).toMatchObject({ outcome: 'created', leadName: 'Maria do Portal', state: 'processed' })
    expect(logged).toEqual([])
  })

  it("the portal's retries and a push stored twice make one lead", async () => {
    const lead = sampleLead({ name: 'Retentativa', phone: '977776666' })
    const pusher = grupoOlxPusher({ url, password })
    expect((await pusher.push(lead)).delivered).toBe(true)
    expect((await pusher.push(lead)).delivered).toBe(true)
    const events = await processed(lead.originLeadId!)
    expect(events.map((e) => e.outcome).sort()).toEqual(['created', 'duplicate'])
    expect(new Set(events.map((e) => e.lead_id)).size).toBe(1)
    const leads = await w.t.owner.db.execute(sql`select id from leads where name = 'Retentativa'`)
    expect(leads).toHaveLength(1)
  })

  it('a contact who is already a lead gets the new inquiry, not a second lead (old 8-digit mobile too)', async () => {
    const first = sampleLead({ name: 'Contato Antigo', phone: '966665555', email: 'antigo@example.test' })
    await grupoOlxPusher({ url, password }).push(first)
    const [a] = await processed(first.originLeadId!)
    // Again weeks later, from another listing, the mobile typed without its ninth digit.
    const again = sampleLead({
      name: 'Contato Antigo',
      ddd: '(11)',
      phone: '6666-5555',
      email: '',
      clientListingId: 'XX999',
    })
    await grupoOlxPusher({ url, password }).push(again)
    const [b] = await processed(again.originLeadId!)
    expect(b).toMatchObject({ outcome: 'merged', lead_id: a!.lead_id })
    expect((await inquiries(a!.lead_id)).map((r) => r.data.listingCode)).toEqual([first.clientListingId, 'XX999'])
  })

  it('an unknown listing code still makes the lead, unassigned by the agency rule, and says which code it was', async () => {
    const lead = sampleLead({
      name: 'Sem Anúncio',
      phone: '955554444',
      clientListingId: 'NAO-EXISTE',
      leadOrigin: 'Zap',
    })
    expect((await grupoOlxPusher({ url, password }).push(lead)).delivered).toBe(true)
    const [event] = await processed(lead.originLeadId!)
    expect(await leadRow(event!.lead_id)).toMatchObject({
      source_detail: 'ZAP Imóveis',
      assigned_to: null,
      interest: null,
    })
    expect((await inquiries(event!.lead_id))[0]!.data).toMatchObject({ listingCode: 'NAO-EXISTE', propertyId: null })
  })

  it('wrong credentials are 401 (retried by the portal, never stored); an unknown door is 404', async () => {
    const count = async () =>
      (await w.t.owner.db.execute<{ n: number }>(sql`select count(*)::int as n from portal_lead_events`))[0]!.n
    const before = await count()
    const wrong = await grupoOlxPusher({ url, password: `${password}x` }).push(sampleLead())
    expect(wrong).toEqual({ delivered: false, attempts: Array(6).fill({ status: 401 }) })
    const noAuth = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    expect(noAuth.status).toBe(401)
    expect(noAuth.headers.get('www-authenticate')).toMatch(/^Basic /)
    const forged = url.replace(/\/[A-Za-z0-9_-]{32}\//, `/${'A'.repeat(32)}/`)
    expect((await grupoOlxPusher({ url: forged, password, retries: 0 }).push(sampleLead())).attempts).toEqual([
      { status: 404 },
    ])
    // Tokens that cannot be one: no such door (a bad escape is refused by the router before that).
    for (const bad of ['x', '%00', '%ff', 'A'.repeat(5000)]) {
      const res = await fetch(`${base}/integrations/grupo-olx/${bad}/leads`, { method: 'POST', body: '{}' })
      expect([bad.slice(0, 10), res.status]).toEqual([bad.slice(0, 10), bad === '%ff' ? 400 : 404])
    }
    // Agency B's door does not take agency A's password.
    const doorB = await w.caller(w.b.manager, w.b.agencyId).portals.connect({ portal: 'grupo_olx' })
    const crossed = await grupoOlxPusher({ url: `${base}${doorB.path}`, password, retries: 0 }).push(sampleLead())
    expect(crossed.attempts).toEqual([{ status: 401 }])
    expect(await count()).toBe(before)
  })

  it('a push without clientListingId or not JSON is 400 with the reason; odd text is cleaned, not refused', async () => {
    const once = grupoOlxPusher({ url, password, retries: 0 })
    const noListing = sampleLead()
    delete noListing.clientListingId
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basic(password) },
      body: JSON.stringify(noListing),
    })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ error: 'invalid_lead', issues: [{ path: 'clientListingId' }] })
    expect((await once.push('{"originLeadId": ')).attempts).toEqual([{ status: 400 }])
    expect((await once.push('[]')).attempts).toEqual([{ status: 400 }])
    expect((await once.push(sampleLead(), { headers: { 'content-type': 'application/xml' } })).attempts).toEqual([
      { status: 415 },
    ])
    expect((await once.push(sampleLead({ message: 'x'.repeat(300_000) }))).attempts).toEqual([{ status: 413 }])
    const odd = sampleLead({ name: 'Nul\u0000 e \ud800 sozinho', phone: 'não tem', email: 'não é e-mail' })
    expect((await once.push(odd)).delivered).toBe(true)
    const [event] = await processed(odd.originLeadId!)
    expect(await leadRow(event!.lead_id)).toMatchObject({ name: 'Nul e \ufffd sozinho', phones: [], email: null })
  })

  it('a new password closes the old door at once; disconnecting closes it for good', async () => {
    const rotated = await manager().portals.connect({ portal: 'grupo_olx' })
    const old = await grupoOlxPusher({ url, password, retries: 0 }).push(sampleLead())
    expect(old.attempts).toEqual([{ status: 404 }])
    const fresh = await grupoOlxPusher({ url: `${base}${rotated.path}`, password: rotated.secret }).push(sampleLead())
    expect(fresh.delivered).toBe(true)
    await manager().portals.disconnect({ portal: 'grupo_olx' })
    expect((await manager().portals.get({ portal: 'grupo_olx' })).connection).toBeNull()
    const closed = await grupoOlxPusher({ url: `${base}${rotated.path}`, password: rotated.secret, retries: 0 }).push(
      sampleLead(),
    )
    expect(closed.attempts).toEqual([{ status: 404 }])
    const audit = await w.t.owner.db.execute<{ action: string }>(
      sql`select action from audit_log where agency_id = ${w.a.agencyId} and action like 'portal.%' order by at, id`,
    )
    expect(audit.map((a) => a.action)).toEqual(['portal.connect', 'portal.connect', 'portal.disconnect'])
  })

  it("another agency's door never merges into this agency's leads", async () => {
    const doorB = await w.caller(w.b.manager, w.b.agencyId).portals.connect({ portal: 'grupo_olx' })
    // Agency A's WhatsApp contact (harness) writes to agency B through the portal.
    const lead = sampleLead({ name: 'Contato em duas imobiliárias', ddd: '11', phone: '91234-5678' })
    // A's leads with that phone, untouched: the rest of A may still be moving (the worker runs the earlier tests' jobs).
    const mine = () =>
      w.t.owner.db.execute(
        sql`select * from leads where agency_id = ${w.a.agencyId} and '+5511912345678' = any(phones) order by id`,
      )
    const before = await mine()
    expect(before.length).toBeGreaterThan(0)
    await grupoOlxPusher({ url: `${base}${doorB.path}`, password: doorB.secret }).push(lead)
    const [event] = await processed(lead.originLeadId!)
    expect(event!.outcome).toBe('created')
    const [made] = await w.t.owner.db.execute<{ agency_id: string; phones: string[] }>(
      sql`select agency_id, phones from leads where id = ${event!.lead_id}`,
    )
    expect(made).toEqual({ agency_id: w.b.agencyId, phones: ['+5511912345678'] })
    expect(await mine()).toEqual(before)
  })

  it('processed pushes are purged after 30 days; pending ones stay', async () => {
    await w.t.owner.db.execute(sql`
      insert into portal_lead_events (agency_id, connection_id, portal, headers, raw_body, origin_lead_id, listing_code)
      values (${w.a.agencyId}, gen_random_uuid(), 'grupo_olx', '{}'::jsonb, '\\x7b7d'::bytea, 'pendente-antigo', 'X')`)
    const count = async () =>
      (
        await w.t.owner.db.execute<{ state: string; n: number }>(
          sql`select state, count(*)::int as n from portal_lead_events where agency_id = ${w.a.agencyId} group by 1 order by 1`,
        )
      ).map((r) => `${r.state}:${r.n}`)
    const before = await count()
    expect(await purgePortalLeadEvents({ db: w.t.app.db }, { agencyId: w.a.agencyId })).toBe(0)
    const later = new Date(Date.now() + 31 * 86_400_000)
    expect(await purgePortalLeadEvents({ db: w.t.app.db }, { agencyId: w.a.agencyId, now: later })).toBeGreaterThan(0)
    expect(await count()).toEqual(before.filter((s) => !s.startsWith('processed')))
  })

  it('agents may not see or change the door', async () => {
    const agent = w.caller(w.a.agent, w.a.agencyId)
    await expect(agent.portals.get({ portal: 'grupo_olx' })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(agent.portals.connect({ portal: 'grupo_olx' })).rejects.toMatchObject({ code: 'FORBIDDEN' })
  })
})

const basic = (password: string) => `Basic ${Buffer.from(`vivareal:${password}`).toString('base64')}`
