import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sql } from '@impera/db'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rooms } from '../src/live'
import { ingestWebhookEvent, reconcileAgency } from '../src/services'
import { createStorage } from '../src/storage'
import type { WhatsAppRuntime } from '../src/whatsapp'
import { buildWorld, leadData, testSecrets, type World } from './harness'

/**
 * One writer per lead fact (decision 015): whichever path creates or changes a lead, the same history row, audit
 * entry, notification and live signal follow, because every path goes through services/lead-facts.ts.
 */
let w: World
let listener: postgres.Sql
let dir: string
let runtime: WhatsAppRuntime
const signals: string[][] = []

beforeAll(async () => {
  w = await buildWorld()
  dir = await mkdtemp(path.join(tmpdir(), 'impera-facts-'))
  runtime = {
    secrets: testSecrets,
    graphUrl: 'http://127.0.0.1:9',
    graphVersion: 'v21.0',
    storage: createStorage({ driver: 'local', dir }),
  }
  listener = postgres(w.t.appUrl, { max: 1 })
  await listener.listen('socket.io#/', (payload) => {
    const m = JSON.parse(payload) as { data: { packet: { data: string[] }; opts: { rooms: string[] } } }
    if (m.data.packet.data[0] === 'activity:changed') signals.push(m.data.opts.rooms)
  })
})
afterAll(async () => {
  await listener.end()
  await w.t.close()
  await rm(dir, { recursive: true, force: true })
})

const system = () => ({ db: w.t.app.db, whatsapp: runtime })
const dashboardSignals = () => signals.filter((r) => r.includes(rooms.agency(w.a.agencyId))).length

async function factsOf(leadId: string) {
  const events = await w.t.owner.db.execute<{ kind: string; data: Record<string, unknown>; actor: string | null }>(
    sql`select kind, data, actor_user_id as actor from lead_events where lead_id = ${leadId} order by at, id`,
  )
  const audits = await w.t.owner.db.execute<{ action: string; actor: string | null }>(
    sql`select action, actor_user_id as actor from audit_log where entity = 'lead' and entity_id = ${leadId} order by at`,
  )
  const notified = await w.t.owner.db.execute<{ user_id: string }>(
    sql`select user_id from notifications where kind = 'lead_assigned' and entity_id = ${leadId}`,
  )
  return { events, audits, notified: notified.map((n) => n.user_id) }
}

describe('every path to a new lead records the same facts', () => {
  it('created in the app: history, audit, the assignee told, dashboards signalled', async () => {
    const before = dashboardSignals()
    const lead = await w
      .caller(w.a.manager, w.a.agencyId)
      .leads.create({ data: leadData({ name: 'Pelo app', phones: ['11 97111-0001'], assignedTo: w.a.agent.userId }) })
    const facts = await factsOf(lead.id)
    expect(facts.events).toEqual([
      {
        kind: 'created',
        data: { status: 'new', source: 'website', assignedTo: w.a.agent.userId },
        actor: w.a.manager.userId,
      },
    ])
    expect(facts.audits).toEqual([{ action: 'lead.create', actor: w.a.manager.userId }])
    expect(facts.notified).toEqual([w.a.agent.userId])
    await expect.poll(dashboardSignals).toBe(before + 1)
  })

  it('created by a WhatsApp message from an unknown number: the same facts, by the system, marked as from WhatsApp', async () => {
    await w.caller(w.a.manager, w.a.agencyId).distribution.saveRule({
      name: 'WhatsApp',
      sources: ['whatsapp'],
      members: [{ userId: w.a.agent.userId, weight: 1 }],
    })
    const before = dashboardSignals()
    await w.caller(w.a.manager, w.a.agencyId).whatsapp.sandboxInject({
      accountId: w.a.waAccountId,
      from: '+55 11 97111-0002',
      name: 'Pelo WhatsApp',
      text: 'Oi!',
    })
    // What the worker does: the reconcile job posts the sandbox's signed webhook, then ingest jobs run.
    expect((await reconcileAgency(system(), { agencyId: w.a.agencyId })).delivered).toBe(1)
    const pending = await w.t.owner.db.execute<{ id: number }>(
      sql`select id from whatsapp_webhook_events where agency_id = ${w.a.agencyId} and state = 'pending' order by id`,
    )
    for (const p of pending) await ingestWebhookEvent(system(), { agencyId: w.a.agencyId, eventId: Number(p.id) })
    const [lead] = await w.t.owner.db.execute<{ id: string }>(sql`select id from leads where name = 'Pelo WhatsApp'`)
    const facts = await factsOf(lead!.id)
    // Created unowned, then given by the distribution (decision 027) with its reason — one change, one instant.
    expect([...facts.events].sort((a, b) => b.kind.localeCompare(a.kind))).toEqual([
      {
        kind: 'created',
        data: { status: 'new', source: 'whatsapp', assignedTo: null, via: 'whatsapp' },
        actor: null,
      },
      {
        kind: 'assigned',
        data: { from: null, to: w.a.agent.userId, by: { reason: 'rule', rule: 'WhatsApp' }, via: 'whatsapp' },
        actor: null,
      },
    ])
    expect(facts.audits.map((a) => a.action).sort()).toEqual(['lead.assign', 'lead.create'])
    expect(facts.audits.every((a) => a.actor === null)).toBe(true)
    expect(facts.notified).toEqual([w.a.agent.userId])
    await expect.poll(dashboardSignals).toBeGreaterThan(before)
  })

  it('converted into a client: the move and the conversion in history, one audit entry, dashboards signalled', async () => {
    const manager = w.caller(w.a.manager, w.a.agencyId)
    const start = dashboardSignals()
    const lead = await manager.leads.create({ data: leadData({ name: 'Vai converter', phones: ['11 97111-0003'] }) })
    await manager.leads.setStatus({ id: lead.id, status: 'qualified' })
    // Signals arrive after their commit: wait for the creation's and the move's before counting the conversion's.
    await expect.poll(dashboardSignals).toBe(start + 2)
    const before = dashboardSignals()
    const { client } = await manager.leads.convert({ id: lead.id })
    const facts = await factsOf(lead.id)
    // The move and the conversion share one instant (one change), so only the set is compared.
    expect(facts.events.map((e) => e.kind).sort()).toEqual(['converted', 'created', 'status_changed', 'status_changed'])
    expect(facts.events.find((e) => e.kind === 'converted')!.data).toMatchObject({
      clientId: client.id,
      newClient: true,
    })
    expect(facts.audits.map((a) => a.action)).toEqual(['lead.create', 'lead.status', 'lead.convert'])
    await expect.poll(dashboardSignals).toBe(before + 1)
  })
})
