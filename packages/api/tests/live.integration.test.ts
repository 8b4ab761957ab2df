import { withAgency } from '@impera/db'
import { createTestDatabase, insertAgency, type TestDatabase } from '@impera/db/testing'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { emitLive } from '../src/services'

let t: TestDatabase
let listener: postgres.Sql
const received: { rooms: string[]; event: string }[] = []
let agencyId: string

beforeAll(async () => {
  t = await createTestDatabase()
  agencyId = (await insertAgency(t.owner.db)).id
  listener = postgres(t.appUrl, { max: 1 })
  await listener.listen('socket.io#/', (payload) => {
    const m = JSON.parse(payload) as { data: { packet: { data: string[] }; opts: { rooms: string[] } } }
    received.push({ rooms: m.data.opts.rooms, event: m.data.packet.data[0]! })
  })
})
afterAll(async () => {
  await listener.end()
  await t.close()
})

describe('live events from services', () => {
  it('leave on commit, in the Socket.IO adapter format, and never for a rolled-back change', async () => {
    await withAgency(t.app.db, { agencyId, userId: null }, (tx) => emitLive(tx, 'user:abc', 'notifications:changed'))
    await expect.poll(() => received.length).toBe(1)
    expect(received[0]).toEqual({ rooms: ['user:abc'], event: 'notifications:changed' })
    await withAgency(t.app.db, { agencyId, userId: null }, async (tx) => {
      await emitLive(tx, 'user:abc', 'notifications:changed')
      throw new Error('rolled back')
    }).catch(() => {})
    await new Promise((r) => setTimeout(r, 300))
    expect(received).toHaveLength(1)
  })
})
