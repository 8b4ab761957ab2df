import type { Server as HttpServer } from 'node:http'
import { createLiveEmitter, roomsForConversation } from '@impera/api/live'
import { createStorage } from '@impera/api/storage'
import { addMember, createTestDatabase, insertAgency, insertUser, type TestDatabase } from '@impera/db/testing'
import pg from 'pg'
import pino from 'pino'
import { io as connect, type Socket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createWebApp } from './app'
import type { WebEnv } from './env'
import { createHttpApp } from './http'
import { attachLive } from './live'

/** Two web instances on one database, as behind a load balancer; the worker's emitter is a third party. */
let t: TestDatabase
const instances: { server: HttpServer; base: string; pool: pg.Pool; close: () => Promise<void> }[] = []
let cookieA: string
let cookieB: string
let agencyA: string
let agentId: string
let emitterPool: pg.Pool
const sockets: Socket[] = []

async function instance() {
  const env = {
    NODE_ENV: 'test',
    SESSION_SECRET: ['x'.repeat(32)],
    origin: 'http://crm.test',
    devMailbox: false,
    SECRETS_KEY: Buffer.alloc(32, 5).toString('base64'),
    WHATSAPP_GRAPH_URL: 'http://127.0.0.1:9',
    WHATSAPP_GRAPH_VERSION: 'v21.0',
  } as unknown as WebEnv
  const app = createWebApp({
    env,
    db: t.app.db,
    log: pino({ level: 'silent' }),
    storage: createStorage({ driver: 'local', dir: '/tmp/impera-live-test' }),
  })
  const http = createHttpApp({
    app,
    sql: t.app.sql,
    build: () => Promise.reject(new Error('no Remix build in this test')),
    mode: 'production',
    trustProxy: false,
  })
  const server = await new Promise<HttpServer>((r) => {
    const s = http.listen(0, '127.0.0.1', () => r(s))
  })
  const pool = new pg.Pool({ connectionString: t.appUrl, max: 2 })
  const io = attachLive(server, app, pool)
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  return { server, base, pool, app, close: async () => (await io.close(), await pool.end()) }
}

function client(base: string, cookie: string | null): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(base, {
      path: '/socket.io',
      transports: ['websocket'],
      extraHeaders: cookie ? { cookie } : {},
      reconnection: false,
    })
    sockets.push(s)
    s.on('connect', () => resolve(s))
    s.on('connect_error', (e) => reject(e))
  })
}

const next = (s: Socket, ms = 5000) =>
  new Promise<unknown>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no event')), ms)
    s.once('wa:changed', (p) => (clearTimeout(timer), resolve(p)))
  })

beforeAll(async () => {
  t = await createTestDatabase()
  const a = await insertAgency(t.owner.db)
  const b = await insertAgency(t.owner.db)
  agencyA = a.id
  const ua = await insertUser(t.owner.db, { email: 'a@example.test', password: 'correct horse battery' })
  const ub = await insertUser(t.owner.db, { email: 'b@example.test', password: 'correct horse battery' })
  await addMember(t.owner.db, { agencyId: a.id, userId: ua.id, role: 'agent' })
  agentId = ua.id
  await addMember(t.owner.db, { agencyId: b.id, userId: ub.id, role: 'manager' })
  instances.push(await instance(), await instance())
  const signIn = async (email: string) =>
    (
      await (instances[0] as unknown as { app: ReturnType<typeof createWebApp> }).app.auth.signIn(
        new Request('http://x/'),
        { email, password: 'correct horse battery' },
      )
    ).headers
      .get('set-cookie')!
      .split(';')[0]
  cookieA = `${await signIn('a@example.test')}; impera_agency=${a.id}`
  cookieB = `${await signIn('b@example.test')}; impera_agency=${b.id}`
  emitterPool = new pg.Pool({ connectionString: t.appUrl, max: 1 })
})
afterAll(async () => {
  for (const s of sockets) s.close()
  for (const i of instances) await i.close()
  for (const i of instances) await new Promise((r) => i.server.close(r))
  await emitterPool.end()
  await t.close()
})

describe('live updates', () => {
  it('refuses a handshake without a session, or for an agency the user is not a member of', async () => {
    await expect(client(instances[0]!.base, null)).rejects.toThrow(/unauthenticated/)
    await expect(
      client(instances[0]!.base, cookieA.replace(agencyA, '00000000-0000-4000-8000-000000000000')),
    ).rejects.toThrow(/forbidden/)
  })

  it('delivers the worker emitter’s events to sockets on either instance, only within the agency', async () => {
    const onA = await client(instances[0]!.base, cookieA)
    const onB = await client(instances[1]!.base, cookieA)
    const otherAgency = await client(instances[1]!.base, cookieB)
    const leaked: unknown[] = []
    otherAgency.on('wa:changed', (p) => leaked.push(p))
    const payload = { conversationId: '6f1d2c3b-4a59-4e8f-9a0b-1c2d3e4f5a6b', kind: 'message' }
    const received = Promise.all([next(onA), next(onB)])
    // Give the adapters' LISTEN connections a moment to be ready.
    await new Promise((r) => setTimeout(r, 300))
    await createLiveEmitter(emitterPool).emit(
      roomsForConversation(agencyA, null, false),
      'wa:changed',
      payload as never,
    )
    expect(await received).toEqual([payload, payload])
    await new Promise((r) => setTimeout(r, 300))
    expect(leaked).toEqual([])
  })

  it('a conversation assigned to someone else reaches its assignee and the managers, not the other agents', async () => {
    const agent = await client(instances[1]!.base, cookieA)
    const heard: unknown[] = []
    agent.on('wa:changed', (p) => heard.push(p))
    await new Promise((r) => setTimeout(r, 300))
    const payload = { conversationId: '7f1d2c3b-4a59-4e8f-9a0b-1c2d3e4f5a6b', kind: 'message' }
    await createLiveEmitter(emitterPool).emit(
      roomsForConversation(agencyA, '00000000-0000-4000-8000-0000000000aa', false),
      'wa:changed',
      payload as never,
    )
    await new Promise((r) => setTimeout(r, 500))
    expect(heard).toEqual([])
    await createLiveEmitter(emitterPool).emit(
      roomsForConversation(agencyA, agentId, false),
      'wa:changed',
      payload as never,
    )
    await expect.poll(() => heard.length).toBe(1)
  })

  it("a batch emitted in one statement reaches each event's own readers, in order", async () => {
    const agent = await client(instances[0]!.base, cookieA)
    const heard: unknown[] = []
    agent.on('wa:changed', (p) => heard.push(p))
    await new Promise((r) => setTimeout(r, 300))
    const event = (n: number) => ({ conversationId: `8f1d2c3b-4a59-4e8f-9a0b-1c2d3e4f5a6${n}`, kind: 'message' })
    await createLiveEmitter(emitterPool).emitMany([
      {
        to: roomsForConversation(agencyA, '00000000-0000-4000-8000-0000000000aa', false),
        event: 'wa:changed',
        args: [event(1) as never],
      },
      { to: roomsForConversation(agencyA, agentId, false), event: 'wa:changed', args: [event(2) as never] },
      { to: roomsForConversation(agencyA, agentId, false), event: 'wa:changed', args: [event(3) as never] },
    ])
    await expect.poll(() => heard.length).toBe(2)
    expect(heard).toEqual([event(2), event(3)])
  })
})
