import { withAgency } from '@impera/db'
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
})
