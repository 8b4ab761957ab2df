import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { integrationScopes, type IntegrationScope } from '@impera/db/enums'
import { sql } from '@impera/db'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPublicApi, publicApi, type PublicApi } from '../src/public-api'
import { createStorage } from '../src/storage'
import { agencyChecksum, buildWorld, testSecrets, type World } from './harness'

/**
 * The isolation suite, for the public API (the tRPC suite is isolation.integration.test.ts). It enumerates every
 * operation of /api/v1, so one added later fails here until it is in the manifest with a request aimed at agency A's
 * records. Each is then called with a key of agency B, a key of A without the operation's scope, a revoked key, an
 * expired key and no key: A's rows must be byte-for-byte unchanged and absent from every answer. A's own key with
 * every scope is the positive control.
 */
interface Call {
  path: string
  query?: Record<string, string>
  body?: unknown
}
const manifest: Record<string, (w: World) => Call> = {
  listLeads: () => ({ path: '/leads', query: { q: 'Alfa' } }),
  getLead: (w) => ({ path: `/leads/${w.a.leadId}` }),
  createLead: () => ({ path: '/leads', body: { name: 'Intruso', phones: ['+55 11 97777-0000'] } }),
  // Aimed at A's listing by its id: another agency's key makes its own lead, unlinked (a contact of A's by phone is
  // tried by the portal intake's test, where echoing the phone back is not a leak).
  intakeLead: (w) => ({
    path: '/leads/intake',
    body: { channel: 'Intruso', person: { phones: ['+55 11 97777-0001'] }, property: { id: w.a.propertyId } },
  }),
  updateLead: (w) => ({ path: `/leads/${w.a.leadId}`, body: { name: 'Renamed' } }),
  setLeadStatus: (w) => ({ path: `/leads/${w.a.leadId}/status`, body: { status: 'lost', lostReason: 'budget' } }),
  listLeadNotes: (w) => ({ path: `/leads/${w.a.leadId}/notes` }),
  addLeadNote: (w) => ({ path: `/leads/${w.a.leadId}/notes`, body: { body: 'intrusion' } }),
  getLeadConsent: (w) => ({ path: `/leads/${w.a.leadId}/consent` }),
  recordLeadConsent: (w) => ({ path: `/leads/${w.a.leadId}/consent`, body: { granted: false } }),
  listClients: () => ({ path: '/clients', query: { q: 'Alfa' } }),
  getClient: (w) => ({ path: `/clients/${w.a.clientId}` }),
  createClient: () => ({ path: '/clients', body: { name: 'Intruso', document: '111.444.777-35' } }),
  updateClient: (w) => ({ path: `/clients/${w.a.clientId}`, body: { name: 'Renamed' } }),
  getClientConsent: (w) => ({ path: `/clients/${w.a.clientId}/consent` }),
  recordClientConsent: (w) => ({ path: `/clients/${w.a.clientId}/consent`, body: { granted: true } }),
  listProperties: () => ({ path: '/properties', query: { q: 'Alfa' } }),
  getProperty: (w) => ({ path: `/properties/${w.a.propertyId}` }),
  listConversations: () => ({ path: '/conversations', query: { q: 'Alfa' } }),
  getConversation: (w) => ({ path: `/conversations/${w.a.conversationId}` }),
  updateConversation: (w) => ({ path: `/conversations/${w.a.conversationId}`, body: { status: 'resolved' } }),
  listMessages: (w) => ({ path: `/conversations/${w.a.conversationId}/messages` }),
  sendMessage: (w) => ({ path: `/conversations/${w.a.conversationId}/messages`, body: { type: 'text', text: 'oi' } }),
  postTurn: (w) => ({
    path: `/conversations/${w.a.botConversationId}/turns`,
    body: {
      inReplyTo: w.a.botInboundId,
      messages: [{ type: 'text', text: 'Olá! Sou a assistente.' }],
      actions: { qualification: { purpose: 'rent' }, tags: ['ia'] },
    },
  }),
  listMembers: () => ({ path: '/members' }),
  listEvents: (w) => ({ path: '/events', query: { entityId: w.a.leadId } }),
  listWebhookEndpoints: () => ({ path: '/webhooks/endpoints' }),
  createWebhookEndpoint: () => ({
    path: '/webhooks/endpoints',
    body: { url: 'https://hooks.intruso.example/x', eventTypes: ['lead.created'] },
  }),
  getWebhookEndpoint: (w) => ({ path: `/webhooks/endpoints/${w.a.webhookEndpointId}` }),
  updateWebhookEndpoint: (w) => ({
    path: `/webhooks/endpoints/${w.a.webhookEndpointId}`,
    body: { url: 'https://hooks.intruso.example/tomado', description: 'Renamed' },
  }),
  // Another of A's endpoints, so the positive control's delete leaves the one the other operations aim at.
  deleteWebhookEndpoint: () => ({ path: `/webhooks/endpoints/${doomedEndpointId}` }),
  rotateWebhookSecret: (w) => ({ path: `/webhooks/endpoints/${w.a.webhookEndpointId}/rotate-secret` }),
  listWebhookDeliveries: (w) => ({ path: `/webhooks/endpoints/${w.a.webhookEndpointId}/deliveries` }),
  sendWebhookTest: (w) => ({ path: `/webhooks/endpoints/${w.a.webhookEndpointId}/test` }),
  listWebhookEventTypes: () => ({ path: '/webhooks/event-types' }),
}

let w: World
let api: PublicApi
let uploads: string
let secrets: string[]
let doomedEndpointId: string
const keys: Record<string, string> = {}
const withoutScope: Partial<Record<IntegrationScope, string>> = {}

beforeAll(async () => {
  w = await buildWorld()
  uploads = await mkdtemp(path.join(tmpdir(), 'impera-api-isolation-'))
  api = createPublicApi({
    db: w.t.app.db,
    storage: createStorage({ driver: 'local', dir: uploads }),
    log: pino({ level: 'silent' }),
    secrets: testSecrets,
  })
  const all = [...integrationScopes]
  const aManager = w.caller(w.a.manager, w.a.agencyId)
  doomedEndpointId = (
    await aManager.webhooks.create({ url: 'https://hooks.alfa.example/outro-secreto', eventTypes: ['lead.updated'] })
  ).endpoint.id
  const bManager = w.caller(w.b.manager, w.b.agencyId)
  keys.aFull = (await aManager.integrations.create({ name: 'Controle da Alfa', scopes: all })).key.key
  keys.b = (await bManager.integrations.create({ name: 'Integração da Beta', scopes: all })).key.key
  for (const scope of all)
    withoutScope[scope] = (
      await aManager.integrations.create({ name: `Sem ${scope}`, scopes: all.filter((s) => s !== scope) })
    ).key.key
  const revoked = await aManager.integrations.create({ name: 'Revogada', scopes: all })
  await aManager.integrations.revokeKey({ keyId: revoked.key.id })
  keys.revoked = revoked.key.key
  const expired = await aManager.integrations.create({ name: 'Expirada', scopes: all })
  await w.t.owner.db.execute(
    sql`update integrations set expires_at = now() - interval '1 second' where id = ${expired.integration.id}`,
  )
  keys.expired = expired.key.key
  const rotated = await aManager.integrations.create({ name: 'Trocada', scopes: all })
  await aManager.integrations.rotateKey({ id: rotated.integration.id, overlapHours: 0 })
  keys.rotatedAway = rotated.key.key
  secrets = [
    w.a.leadId,
    w.a.noteId,
    'Lead da Alfa',
    'Ligou pedindo visita',
    w.a.clientId,
    'Cliente da Alfa',
    '52998224725',
    w.a.propertyId,
    'Apartamento da Alfa',
    w.a.conversationId,
    'Mensagem secreta da Alfa',
    'Contato da Alfa',
    '+5511912345678',
    w.a.manager.userId,
    w.a.manager.email,
    w.a.agent.userId,
    w.a.agent.email,
    'Integração da Alfa',
    w.a.webhookEndpointId,
    w.a.webhookDeliveryId,
    doomedEndpointId,
    'caminho-secreto',
    'outro-secreto',
    'Endpoint secreto da Alfa',
  ]
}, 60_000)

afterAll(async () => {
  await w.t.close()
  await rm(uploads, { recursive: true, force: true })
})

async function call(op: string, key: string | null) {
  const route = publicApi.find((r) => r.operationId === op)!
  const { path: p, query, body } = manifest[op]!(w)
  const url = new URL(`http://crm.test/api/v1${p}`)
  for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, v)
  const headers: Record<string, string> = key ? { authorization: `Bearer ${key}` } : {}
  if (route.method !== 'GET')
    Object.assign(headers, { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() })
  const response = await api.handle(
    new Request(url, { method: route.method, headers, body: body === undefined ? undefined : JSON.stringify(body) }),
    { ip: '198.51.100.20', requestId: 'isolation' },
  )
  return { status: response.status, text: await response.text() }
}

describe('public API isolation', () => {
  it('enumerates the API, and every operation is in the manifest', () => {
    expect(publicApi.length).toBeGreaterThan(10)
    expect(publicApi.map((r) => r.operationId).filter((op) => !(op in manifest))).toEqual([])
    expect(Object.keys(manifest).filter((op) => !publicApi.some((r) => r.operationId === op))).toEqual([])
  })

  it('no key of another agency, without the scope, revoked, expired, rotated away or absent reads or changes agency A', async () => {
    const before = await agencyChecksum(w.t, w.a.agencyId)
    const failures: string[] = []
    for (const route of publicApi) {
      const op = route.operationId
      const attempts: { who: string; key: string | null; expect: number[] }[] = [
        { who: 'no key', key: null, expect: [401] },
        { who: 'revoked key', key: keys.revoked!, expect: [401] },
        { who: 'expired key', key: keys.expired!, expect: [401] },
        { who: 'rotated-away key', key: keys.rotatedAway!, expect: [401] },
        { who: `A key without ${route.scope}`, key: withoutScope[route.scope]!, expect: [403] },
        // In its own agency with A's ids: refused as absent, or it acts on B only (checked by the checksum and scan).
        { who: 'B key', key: keys.b!, expect: [404, 200, 201, 409, 422] },
      ]
      for (const attempt of attempts) {
        const { status, text } = await call(op, attempt.key)
        if (!attempt.expect.includes(status))
          failures.push(
            `${op} with ${attempt.who}: ${status}, expected ${attempt.expect.join('|')} (${text.slice(0, 200)})`,
          )
        if (status === 403 && !text.includes(route.scope))
          failures.push(`${op} with ${attempt.who}: 403 names no scope`)
        for (const s of secrets) if (text.includes(s)) failures.push(`${op} with ${attempt.who}: leaked ${s}`)
      }
    }
    expect(failures).toEqual([])
    expect(await agencyChecksum(w.t, w.a.agencyId)).toBe(before)
  })

  it("positive control: A's own key with every scope does all of it", async () => {
    const failures: string[] = []
    for (const route of publicApi) {
      const { status, text } = await call(route.operationId, keys.aFull!)
      if (status !== route.status) failures.push(`${route.operationId}: ${status} ${text.slice(0, 200)}`)
    }
    expect(failures).toEqual([])
  })
})
