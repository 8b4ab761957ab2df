import { sql, withAgency } from '@impera/db'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rooms } from '../src/live'
import { emitLive } from '../src/services'
import { buildWorld, leadData, type World } from './harness'

let w: World
let listener: postgres.Sql
const received: { rooms: string[]; event: string }[] = []
let agencyId: string

beforeAll(async () => {
  w = await buildWorld()
  agencyId = w.a.agencyId
  listener = postgres(w.t.appUrl, { max: 1 })
  await listener.listen('socket.io#/', (payload) => {
    const m = JSON.parse(payload) as { data: { packet: { data: string[] }; opts: { rooms: string[] } } }
    received.push({ rooms: m.data.opts.rooms, event: m.data.packet.data[0]! })
  })
})
afterAll(async () => {
  await listener.end()
  await w.t.close()
})

describe('live events from services', () => {
  it('leave on commit, in the Socket.IO adapter format, and never for a rolled-back change', async () => {
    await withAgency(w.t.app.db, { agencyId, userId: null }, (tx) => emitLive(tx, 'user:abc', 'notifications:changed'))
    await expect.poll(() => received.length).toBe(1)
    expect(received[0]).toEqual({ rooms: ['user:abc'], event: 'notifications:changed' })
    await withAgency(w.t.app.db, { agencyId, userId: null }, async (tx) => {
      await emitLive(tx, 'user:abc', 'notifications:changed')
      throw new Error('rolled back')
    }).catch(() => {})
    await new Promise((r) => setTimeout(r, 300))
    expect(received).toHaveLength(1)
  })

  it('a lead converted into a client refreshes the agency’s dashboards, like every other move of a lead', async () => {
    const dashboards = () =>
      received.filter((r) => r.event === 'activity:changed' && r.rooms.includes(rooms.agency(agencyId))).length
    const manager = w.caller(w.a.manager, w.a.agencyId)
    const lead = await manager.leads.create({ data: leadData({ name: 'Vira cliente', phones: ['11 97000-8888'] }) })
    await manager.leads.setStatus({ id: lead.id, status: 'qualified' })
    // One signal per committed change: the creation and the move.
    await expect.poll(dashboards, { timeout: 10_000 }).toBe(2)
    await manager.leads.convert({ id: lead.id })
    await expect.poll(dashboards, { timeout: 10_000 }).toBe(3)
  })

  it('a conversation handed to another agent changes the inbox of whoever had it and whoever has it now', async () => {
    await w.t.owner.db.execute(sql`update agencies set agents_see_all = false where id = ${agencyId}`)
    const [conversation] = await w.t.owner.db.execute<{ id: string }>(sql`
      with a as (
        insert into whatsapp_accounts (agency_id, provider, label, phone_number_id, display_number)
        values (${agencyId}, 'sandbox', 'Live', ${`sandbox-live-${crypto.randomUUID()}`}, '+55 11 90000-0009') returning id)
      insert into whatsapp_conversations (agency_id, account_id, contact_wa_id, contact_phone, assigned_to)
      select ${agencyId}, a.id, '5511900001234', '+5511900001234', ${w.a.manager.userId} from a returning id`)
    const changedFor = (userId: string) =>
      received.filter((r) => r.event === 'wa:changed' && r.rooms.includes(rooms.user(userId))).length
    await w.caller(w.a.manager, agencyId).whatsapp.assign({ id: conversation!.id, assignedTo: w.a.agent.userId })
    await expect.poll(() => changedFor(w.a.agent.userId), { timeout: 10_000 }).toBe(1)
    expect(changedFor(w.a.manager.userId)).toBe(1)
  })
})
