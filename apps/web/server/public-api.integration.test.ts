import type { Server } from 'node:http'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { authenticateKey, withIntegration } from '@impera/api/integrations'
import { buildOpenApiDocument, publicApi } from '@impera/api/public-api'
import { listWebhookEndpoints } from '@impera/api/services'
import { createStorage } from '@impera/api/storage'
import { sql, withAgency } from '@impera/db'
import { createImperaClient, ImperaApiError, pages, unwrap, type ImperaClient } from '@impera/sdk'
import { Validator } from '@seriousme/openapi-schema-validator'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildWorld, leadData, type World } from '../../../packages/api/tests/harness'
import { createWebApp } from './app'
import type { WebEnv } from './env'
import { createHttpApp } from './http'

/**
 * The public API over the real HTTP server (security headers, origin guard, body limits, the mount), called through
 * the SDK integrators get: the OpenAPI document is valid, every documented operation answers as documented, and the
 * cross-cutting rules (keys, scopes, idempotency, problems, rate limits) hold.
 */
let w: World
let server: Server
let base: string
let uploads: string
let full: { key: string; integrationId: string; userId: string }
let readOnly: string
let api: ImperaClient

const allScopes = [
  'leads:read',
  'leads:write',
  'clients:read',
  'clients:write',
  'properties:read',
  'conversations:read',
  'conversations:reply',
  'members:read',
  'events:read',
  'webhooks:manage',
] as const

beforeAll(async () => {
  w = await buildWorld()
  uploads = await mkdtemp(path.join(tmpdir(), 'impera-api-uploads-'))
  const env = {
    NODE_ENV: 'production',
    SESSION_SECRET: ['x'.repeat(32)],
    origin: 'http://crm.test',
    devMailbox: false,
    SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
    WHATSAPP_GRAPH_URL: 'http://127.0.0.1:9',
    WHATSAPP_GRAPH_VERSION: 'v21.0',
  } as unknown as WebEnv
  const app = createWebApp({
    env,
    db: w.t.app.db,
    log: pino({ level: 'silent' }),
    storage: createStorage({ driver: 'local', dir: uploads }),
  })
  const http = createHttpApp({
    app,
    sql: w.t.app.sql,
    build: () => Promise.reject(new Error('no Remix build in this test')),
    mode: 'production',
    trustProxy: false,
  })
  await new Promise<void>((r) => (server = http.listen(0, '127.0.0.1', r)))
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  const manager = w.caller(w.a.manager, w.a.agencyId)
  const created = await manager.integrations.create({ name: 'Robô da Alfa', scopes: [...allScopes] })
  const [principal] = await w.t.owner.db.execute<{ user_id: string }>(
    sql`select user_id from integrations where id = ${created.integration.id}`,
  )
  full = { key: created.key.key, integrationId: created.integration.id, userId: principal!.user_id }
  readOnly = (await manager.integrations.create({ name: 'Leitor', scopes: ['leads:read'] })).key.key
  api = createImperaClient({ baseUrl: base, apiKey: full.key, retries: 0 })
}, 60_000)

afterAll(async () => {
  await new Promise((r) => server.close(r))
  await w.t.close()
  await rm(uploads, { recursive: true, force: true })
})

const raw = (p: string, init: RequestInit & { key?: string | null } = {}) => {
  const { key = full.key, ...rest } = init
  const headers = new Headers(rest.headers)
  if (key) headers.set('authorization', `Bearer ${key}`)
  return fetch(`${base}/api/v1${p}`, { ...rest, headers })
}
const post = (p: string, body: unknown, headers: Record<string, string> = {}, key: string | null = full.key) =>
  raw(p, {
    method: 'POST',
    key,
    headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID(), ...headers },
    body: JSON.stringify(body),
  })

type Problem = { type: string; code: string; status: number; errors?: { path: string; message: string }[] }

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document, served at /api/v1/openapi.json without a key', async () => {
    const served = await fetch(`${base}/api/v1/openapi.json`)
    expect(served.status).toBe(200)
    const doc = (await served.json()) as Record<string, unknown>
    expect(doc).toEqual(buildOpenApiDocument())
    const result = await new Validator().validate(doc)
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
    expect(doc.openapi).toBe('3.1.0')
  })

  it('names a scope for every operation, from the integration scopes', () => {
    const doc = buildOpenApiDocument() as { paths: Record<string, Record<string, { 'x-scope': string }>> }
    for (const [p, item] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(item)) expect(allScopes, `${method} ${p}`).toContain(op['x-scope'])
  })
})

describe('every documented operation answers as documented', () => {
  it('valid calls through the SDK: the documented status and a body that is exactly the documented shape', async () => {
    const a = w.a
    const body = Buffer.from('%PDF-1.4 tiny').toString('base64')
    // An endpoint of its own for the delete, so the other webhook operations keep theirs.
    const doomed = await w.caller(a.manager, a.agencyId).webhooks.create({
      url: 'https://hooks.example.test/doomed',
      eventTypes: ['client.created'],
    })
    // One valid call per operation (the SDK types each one from the document).
    const calls: Record<string, () => Promise<{ data?: unknown; response: Response }>> = {
      listLeads: () => api.GET('/leads', { params: { query: { status: ['new', 'qualified'], pageSize: 5 } } }),
      getLead: () => api.GET('/leads/{id}', { params: { path: { id: a.leadId } } }),
      createLead: () =>
        api.POST('/leads', { body: { name: 'Veio pela API', phones: ['11 97000-1000'], source: 'website' } }),
      intakeLead: () =>
        api.POST('/leads/intake', {
          body: {
            source: 'website',
            channel: 'Landing Jardins',
            person: { name: 'Veio pelo formulário', phones: ['11 97000-3100'], email: 'form@example.test' },
            message: 'Quero saber o condomínio.',
            utm: { source: 'google', campaign: 'jardins' },
            consent: { marketing: true, text: 'Aceito receber novidades.' },
          },
        }),
      updateLead: () =>
        api.PATCH('/leads/{id}', {
          params: { path: { id: a.leadId } },
          body: { tags: ['api'], budgetMax: 90_000_000 },
        }),
      setLeadStatus: () =>
        api.POST('/leads/{id}/status', { params: { path: { id: a.leadId } }, body: { status: 'contacted' } }),
      listLeadNotes: () => api.GET('/leads/{id}/notes', { params: { path: { id: a.leadId } } }),
      addLeadNote: () =>
        api.POST('/leads/{id}/notes', { params: { path: { id: a.leadId } }, body: { body: 'Nota da integração' } }),
      recordLeadConsent: () =>
        api.POST('/leads/{id}/consent', {
          params: { path: { id: a.leadId } },
          body: { granted: true, basis: 'consent', textVersion: 'Aceito receber ofertas por WhatsApp.' },
        }),
      getLeadConsent: () => api.GET('/leads/{id}/consent', { params: { path: { id: a.leadId } } }),
      listClients: () => api.GET('/clients', { params: { query: { q: 'Cliente', consent: 'none' } } }),
      getClient: () => api.GET('/clients/{id}', { params: { path: { id: a.clientId } } }),
      createClient: () => api.POST('/clients', { body: { name: 'Cliente pela API', email: 'api@example.test' } }),
      updateClient: () =>
        api.PATCH('/clients/{id}', { params: { path: { id: a.clientId } }, body: { city: 'Santos' } }),
      recordClientConsent: () =>
        api.POST('/clients/{id}/consent', { params: { path: { id: a.clientId } }, body: { granted: false } }),
      getClientConsent: () => api.GET('/clients/{id}/consent', { params: { path: { id: a.clientId } } }),
      listProperties: () =>
        api.GET('/properties', { params: { query: { purpose: 'sale', priceMax: 100_000_000, minBedrooms: 1 } } }),
      getProperty: () => api.GET('/properties/{id}', { params: { path: { id: a.propertyId } } }),
      listConversations: () => api.GET('/conversations', { params: { query: { filter: 'all' } } }),
      getConversation: () => api.GET('/conversations/{id}', { params: { path: { id: a.conversationId } } }),
      updateConversation: () =>
        api.PATCH('/conversations/{id}', { params: { path: { id: a.conversationId } }, body: { status: 'pending' } }),
      listMessages: () => api.GET('/conversations/{id}/messages', { params: { path: { id: a.conversationId } } }),
      sendMessage: () =>
        api.POST('/conversations/{id}/messages', {
          params: { path: { id: a.conversationId } },
          body: { type: 'media', filename: 'proposta.pdf', mimeType: 'application/pdf', data: body, caption: 'Segue' },
        }),
      postTurn: () =>
        api.POST('/conversations/{id}/turns', {
          params: { path: { id: a.botConversationId } },
          body: {
            inReplyTo: a.botInboundId,
            messages: [{ type: 'text', text: 'Olá! Procura comprar ou alugar?' }],
            actions: { qualification: { purpose: 'buy' } },
          },
        }),
      listMembers: () => api.GET('/members'),
      listEvents: () => api.GET('/events', { params: { query: { type: ['lead', 'client'] } } }),
      listWebhookEndpoints: () => api.GET('/webhooks/endpoints'),
      createWebhookEndpoint: () =>
        api.POST('/webhooks/endpoints', {
          body: {
            url: 'https://hooks.example.test/impera',
            description: 'Pela API',
            eventTypes: ['lead.created', 'lead.updated'],
            updatedFields: { 'lead.updated': ['budgetMax'] },
          },
        }),
      getWebhookEndpoint: () => api.GET('/webhooks/endpoints/{id}', { params: { path: { id: a.webhookEndpointId } } }),
      updateWebhookEndpoint: () =>
        api.PATCH('/webhooks/endpoints/{id}', {
          params: { path: { id: a.webhookEndpointId } },
          body: { description: 'Renomeado pela API' },
        }),
      deleteWebhookEndpoint: () =>
        api.DELETE('/webhooks/endpoints/{id}', { params: { path: { id: doomed.endpoint.id } } }),
      rotateWebhookSecret: () =>
        api.POST('/webhooks/endpoints/{id}/rotate-secret', { params: { path: { id: a.webhookEndpointId } } }),
      listWebhookDeliveries: () =>
        api.GET('/webhooks/endpoints/{id}/deliveries', { params: { path: { id: a.webhookEndpointId } } }),
      sendWebhookTest: () =>
        api.POST('/webhooks/endpoints/{id}/test', { params: { path: { id: a.webhookEndpointId } } }),
      listWebhookEventTypes: () => api.GET('/webhooks/event-types'),
    }
    const doc = buildOpenApiDocument() as {
      paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>>
    }
    const documented = Object.values(doc.paths).flatMap((item) => Object.values(item))
    expect(documented.map((o) => o.operationId).sort()).toEqual(Object.keys(calls).sort())
    for (const op of documented) {
      const route = publicApi.find((r) => r.operationId === op.operationId)!
      const { data, response } = await calls[op.operationId]!()
      const success = Object.keys(op.responses).find((s) => s.startsWith('2'))
      expect(String(response.status), `${op.operationId}: ${JSON.stringify(data)}`).toBe(success)
      expect(response.headers.get('content-type')).toMatch(/^application\/json/)
      expect(response.headers.get('ratelimit-limit')).toBe('600')
      // Parsing keeps only documented fields: equal means nothing undocumented or mistyped was sent.
      expect(route.response.parse(data), op.operationId).toEqual(data)
    }
  })

  it('records and reads marketing consent, and lists by it (LGPD, decision 037)', async () => {
    const lead = await unwrap(
      api.POST('/leads', { body: { name: 'Consentimento API', email: 'consente@example.test', source: 'website' } }),
    )
    const path = { params: { path: { id: lead.id } } }
    const byConsent = async (consent: 'granted' | 'revoked' | 'none') =>
      (await unwrap(api.GET('/leads', { params: { query: { q: 'Consentimento API', consent } } }))).data.map(
        (l) => l.id,
      )
    expect(await unwrap(api.GET('/leads/{id}/consent', path))).toEqual({
      status: 'unknown',
      current: null,
      history: [],
    })
    expect(await byConsent('none')).toEqual([lead.id])
    const granted = await unwrap(
      api.POST('/leads/{id}/consent', { ...path, body: { granted: true, textVersion: 'Aceito ofertas (chat)' } }),
    )
    expect(granted).toMatchObject({
      status: 'granted',
      current: { granted: true, basis: 'consent', source: 'api', textVersion: 'Aceito ofertas (chat)' },
    })
    expect([await byConsent('granted'), await byConsent('none')]).toEqual([[lead.id], []])
    await unwrap(api.POST('/leads/{id}/consent', { ...path, body: { granted: false, basis: 'contract' } }))
    const revoked = await unwrap(api.GET('/leads/{id}/consent', path))
    expect([revoked.status, revoked.current?.basis, revoked.history.length]).toEqual(['revoked', null, 2])
    expect([await byConsent('revoked'), await byConsent('granted')]).toEqual([[lead.id], []])
    const bad = await api.POST('/leads/{id}/consent', { ...path, body: { granted: 'yes' } as never })
    expect(bad.response.status).toBe(422)
  })

  it('lists page by cursor with the SDK, and writes are the integration’s, marked as from the API', async () => {
    const names: string[] = []
    for await (const lead of pages((after) => api.GET('/leads', { params: { query: { pageSize: 5, after } } })))
      names.push(lead.name)
    const [{ n }] = (await w.t.owner.db.execute<{ n: number }>(
      sql`select count(*)::int as n from leads where agency_id = ${w.a.agencyId} and deleted_at is null`,
    )) as unknown as [{ n: number }]
    expect(names.length).toBe(n)
    const lead = await unwrap(
      api.POST('/leads', { body: { name: 'Atribuída', email: 'atribuida@example.test', source: 'website' } }),
    )
    const [event] = await w.t.owner.db.execute<{ actor_user_id: string; data: { via?: string } }>(
      sql`select actor_user_id, data from lead_events where lead_id = ${lead.id} and kind = 'created'`,
    )
    expect(event).toEqual({ actor_user_id: full.userId, data: expect.objectContaining({ via: 'api' }) })
    // The events log (rows settle for a few seconds before they are listed: moved back rather than waited for).
    await w.t.owner.db.execute(sql`update lead_events set at = at - interval '1 minute' where lead_id = ${lead.id}`)
    const events = await unwrap(api.GET('/events', { params: { query: { entityId: lead.id } } }))
    expect(events.data).toEqual([
      expect.objectContaining({
        type: 'lead.created',
        entity: { type: 'lead', id: lead.id },
        origin: 'api',
        actor: { id: full.userId, name: 'Robô da Alfa', kind: 'integration' },
      }),
    ])
    // One type, from an instant on.
    const since = await unwrap(
      api.GET('/events', { params: { query: { type: ['lead'], since: '2000-01-01T00:00:00Z', entityId: lead.id } } }),
    )
    expect(since.data.map((e) => e.type)).toEqual(['lead.created'])
    // Polling on: nothing new after the last cursor, which comes back to be used again.
    const again = await unwrap(api.GET('/events', { params: { query: { after: events.next!, entityId: lead.id } } }))
    expect(again).toEqual({ data: [], next: events.next, more: false })
  })
})

describe('lead intake (decision 022)', () => {
  it('a new contact is a new lead on the listing agent; a known one gets the contact on its timeline', async () => {
    const [listing] = await w.t.owner.db.execute<{ id: string; code: string; assigned_to: string | null }>(
      sql`select id, code, assigned_to from properties where id = ${w.a.propertyId}`,
    )
    const first = await post('/leads/intake', {
      channel: 'Landing Jardins',
      person: { name: 'Rita Formulário', phones: ['(11) 97000-4400'], email: 'Rita@Example.test' },
      property: { code: listing!.code.toLowerCase() },
      message: 'Aceita financiamento?',
      utm: { source: 'google', medium: 'cpc', campaign: 'jardins', term: '' },
      consent: { marketing: false },
    })
    expect(first.status).toBe(200)
    const created = (await first.json()) as {
      outcome: string
      lead: { id: string; source: string; assignedTo: string }
    }
    expect(created.outcome).toBe('created')
    expect(created.lead).toMatchObject({
      source: 'website',
      sourceDetail: 'Landing Jardins',
      assignedTo: listing!.assigned_to,
    })
    // The same person from an ad a week later, by e-mail only.
    const again = await post('/leads/intake', {
      source: 'social',
      channel: 'Facebook Lead Ads',
      person: { name: 'Rita F.', email: 'rita@example.test' },
    })
    expect((await again.json()) as { outcome: string; lead: { id: string } }).toMatchObject({
      outcome: 'merged',
      lead: { id: created.lead.id },
    })
    const timeline = await w.t.owner.db.execute<{ data: Record<string, unknown> }>(
      sql`select data from lead_events where lead_id = ${created.lead.id} and kind = 'inquiry' order by at, id`,
    )
    expect(timeline.map((e) => e.data)).toEqual([
      {
        via: 'api',
        portal: null,
        channel: 'Landing Jardins',
        message: 'Aceita financiamento?',
        listingCode: listing!.code.toLowerCase(),
        propertyId: listing!.id,
        utm: { source: 'google', medium: 'cpc', campaign: 'jardins' },
        consent: { marketing: false, text: null },
      },
      {
        via: 'api',
        portal: null,
        channel: 'Facebook Lead Ads',
        message: null,
        listingCode: null,
        propertyId: null,
        utm: null,
        consent: null,
      },
    ])
    const links = await w.t.owner.db.execute(
      sql`select 1 from lead_properties where lead_id = ${created.lead.id} and property_id = ${listing!.id}`,
    )
    expect(links).toHaveLength(1)
  })

  it('refuses, with the field, what cannot be a contact', async () => {
    const problem = async (body: unknown) => {
      const res = await post('/leads/intake', body)
      return { ...((await res.json()) as Problem), status: res.status }
    }
    expect(await problem({ channel: 'Site', person: {} })).toMatchObject({
      status: 422,
      errors: [{ path: 'person.phones', message: 'leads.contactRequired' }],
    })
    expect(await problem({ channel: 'Site', person: { phones: ['11 97000-5500', 'abc'] } })).toMatchObject({
      status: 422,
      code: 'validation_failed',
    })
    expect(await problem({ channel: 'Site', person: { email: 'não é e-mail' } })).toMatchObject({
      status: 422,
      errors: [{ path: 'person.email' }],
    })
    expect(await problem({ channel: '', person: { email: 'a@b.co' } })).toMatchObject({ status: 422 })
    expect(await problem({ channel: 'Site', person: { name: 'a\u0000b', email: 'a@b.co' } })).toMatchObject({
      status: 422,
    })
  })
})

describe('webhook endpoints (webhooks:manage)', () => {
  type Endpoint = { id: string; [k: string]: unknown }
  const newEndpoint = (url: string, headers: Record<string, string> = {}) =>
    api.POST('/webhooks/endpoints', {
      params: { header: headers },
      body: { url, eventTypes: ['lead.created'] },
    })

  it('created through the SDK: the secret in that answer only, never listed or read back, sealed in the stored replay', async () => {
    const idempotencyKey = crypto.randomUUID()
    const created = await newEndpoint('https://hooks.example.test/uma-vez', { 'Idempotency-Key': idempotencyKey })
    expect(created.response.status).toBe(201)
    const endpoint = created.data!
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{20,}$/)
    // It feeds the integration that made it, so that integration's own changes are not sent back to it.
    expect(endpoint).toMatchObject({
      url: 'https://hooks.example.test/uma-vez',
      eventTypes: ['lead.created'],
      integrationId: full.integrationId,
      integrationName: 'Robô da Alfa',
      enabled: true,
      pendingDeliveries: 0,
      lastDelivery: null,
    })
    const listed = await unwrap(api.GET('/webhooks/endpoints'))
    const read = await unwrap(api.GET('/webhooks/endpoints/{id}', { params: { path: { id: endpoint.id } } }))
    const { secret, ...withoutSecret } = endpoint
    expect(read).toEqual(withoutSecret)
    expect(listed.data.find((e) => e.id === endpoint.id)).toEqual(withoutSecret)
    for (const answer of [listed, read]) {
      expect(JSON.stringify(answer)).not.toContain(secret)
      expect(JSON.stringify(answer)).not.toMatch(/"secret|secretEnc|previousSecretEnc|whsec_/)
    }
    // A retry with the same key gets the same answer (the secret included: its first answer may have been lost),
    // from a copy kept sealed: the secret is nowhere in the database in the clear.
    const retry = await newEndpoint('https://hooks.example.test/uma-vez', { 'Idempotency-Key': idempotencyKey })
    expect(retry.response.headers.get('idempotent-replayed')).toBe('true')
    expect(retry.data).toEqual(endpoint)
    const clear = `%${secret.slice('whsec_'.length)}%`
    const [stored] = await w.t.owner.db.execute<{ n: number }>(sql`
      select (select count(*) from api_idempotency_keys where response::text like ${clear})
        + (select count(*) from webhook_endpoints where secret_enc like ${clear}) as n`)
    expect(Number(stored!.n)).toBe(0)
    const [{ n }] = (await w.t.owner.db.execute<{ n: number }>(
      sql`select count(*)::int as n from webhook_endpoints where url = 'https://hooks.example.test/uma-vez'`,
    )) as unknown as [{ n: number }]
    expect(n).toBe(1)
    // The audit log names the integration, as for anything it writes.
    const [audit] = await w.t.owner.db.execute<{ actor_user_id: string }>(
      sql`select actor_user_id from audit_log where action = 'webhook.create' and entity_id = ${endpoint.id}`,
    )
    expect(audit).toEqual({ actor_user_id: full.userId })

    // Rotation: a new secret, once; the old one keeps signing for 24 hours.
    const rotated = await unwrap(
      api.POST('/webhooks/endpoints/{id}/rotate-secret', { params: { path: { id: endpoint.id } } }),
    )
    expect(rotated.secret).toMatch(/^whsec_/)
    expect(rotated.secret).not.toBe(secret)
    const overlap = Date.parse(rotated.previousSecretExpiresAt) - Date.now()
    expect(overlap).toBeGreaterThan(23 * 3600_000)
    const after = await unwrap(api.GET('/webhooks/endpoints/{id}', { params: { path: { id: endpoint.id } } }))
    expect(after.previousSecretExpiresAt).toBe(rotated.previousSecretExpiresAt)
    expect(JSON.stringify(await unwrap(api.GET('/webhooks/endpoints')))).not.toContain(rotated.secret)

    const deleted = await unwrap(api.DELETE('/webhooks/endpoints/{id}', { params: { path: { id: endpoint.id } } }))
    expect(deleted).toEqual({ id: endpoint.id, deleted: true })
    expect((await api.GET('/webhooks/endpoints/{id}', { params: { path: { id: endpoint.id } } })).response.status).toBe(
      404,
    )
  })

  it('a non-public target is refused with 422 on `url`, created or updated, as in the app', async () => {
    const before = await unwrap(api.GET('/webhooks/endpoints'))
    for (const url of [
      'http://127.0.0.1:8080/x',
      'http://[::1]/x',
      'http://169.254.169.254/latest/meta-data',
      'http://10.0.0.5/n8n',
      'http://[::ffff:192.168.0.1]/',
      'http://localhost:3000/',
      'http://api.localhost/',
    ]) {
      const r = await post('/webhooks/endpoints', { url, eventTypes: ['lead.created'] })
      expect(r.status, url).toBe(422)
      expect(r.headers.get('content-type')).toBe('application/problem+json')
      expect(await r.json()).toMatchObject({
        code: 'validation_failed',
        errors: [{ path: 'url', pointer: '/url', message: 'webhooks.privateTarget' }],
      })
    }
    const endpoint = await unwrap(newEndpoint('https://hooks.example.test/publico'))
    const moved = await raw(`/webhooks/endpoints/${endpoint.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
      body: JSON.stringify({ url: 'http://192.168.1.10/hook' }),
    })
    expect(moved.status).toBe(422)
    expect(((await moved.json()) as Problem).errors).toEqual([
      { path: 'url', pointer: '/url', message: 'webhooks.privateTarget' },
    ])
    // Input the service's own schema refuses gets its messages, with the field paths.
    const bad = await post('/webhooks/endpoints', { url: 'ftp://user:pw@example.test/', eventTypes: [] })
    expect(bad.status).toBe(422)
    expect(((await bad.json()) as Problem).errors!.map((e) => e.path).sort()).toEqual(['eventTypes', 'url'])
    const after = await unwrap(api.GET('/webhooks/endpoints'))
    expect(after.data.map((e) => e.id).sort()).toEqual([...before.data.map((e) => e.id), endpoint.id].sort())
    expect(after.data.find((e) => e.id === endpoint.id)!.url).toBe('https://hooks.example.test/publico')
  })

  it('a test event is queued (202) and logged like any other; the log pages by cursor; a disabled endpoint refuses it', async () => {
    const endpoint = (await unwrap(newEndpoint('https://hooks.example.test/teste'))) as Endpoint
    const path = { params: { path: { id: endpoint.id } } }
    const first = await api.POST('/webhooks/endpoints/{id}/test', path)
    expect(first.response.status).toBe(202)
    const second = await unwrap(api.POST('/webhooks/endpoints/{id}/test', path))
    expect(second).toMatchObject({ endpointId: endpoint.id, seq: first.data!.seq + 1 })
    const page = await unwrap(
      api.GET('/webhooks/endpoints/{id}/deliveries', { params: { path: { id: endpoint.id }, query: { pageSize: 1 } } }),
    )
    expect(page.data).toEqual([
      expect.objectContaining({
        id: second.id,
        seq: second.seq,
        type: 'webhook.test',
        trigger: 'test',
        state: 'pending',
        attempts: 0,
        messageId: expect.stringMatching(/^msg_/),
      }),
    ])
    expect(page.next).toEqual(expect.any(String))
    const older = await unwrap(
      api.GET('/webhooks/endpoints/{id}/deliveries', {
        params: { path: { id: endpoint.id }, query: { pageSize: 1, after: page.next! } },
      }),
    )
    expect(older).toEqual({ data: [expect.objectContaining({ id: first.data!.id })], next: null })
    const all: string[] = []
    for await (const d of pages((after) =>
      api.GET('/webhooks/endpoints/{id}/deliveries', { params: { path: { id: endpoint.id }, query: { after } } }),
    ))
      all.push(d.id)
    expect(all).toEqual([second.id, first.data!.id])
    // The webhook event is the integration's, from the API.
    const [event] = await w.t.owner.db.execute<{ actor_user_id: string; origin: string }>(sql`
      select e.actor_user_id, e.origin from webhook_events e join webhook_deliveries d on d.event_id = e.id
      where d.id = ${second.id}`)
    expect(event).toEqual({ actor_user_id: full.userId, origin: 'api' })
    // A cursor of another endpoint's log is refused.
    const foreign = await raw(`/webhooks/endpoints/${w.a.webhookEndpointId}/deliveries?after=${page.next}`)
    expect(foreign.status).toBe(422)
    expect(((await foreign.json()) as Problem).errors!.map((e) => e.path)).toEqual(['after'])

    const off = await unwrap(api.PATCH('/webhooks/endpoints/{id}', { ...path, body: { enabled: false } }))
    expect(off).toMatchObject({ enabled: false, disabledReason: 'manual', url: endpoint.url })
    const refused = await api.POST('/webhooks/endpoints/{id}/test', path)
    expect(refused.response.status).toBe(409)
    expect(refused.error).toMatchObject({ code: 'conflict', detail: 'webhooks.endpointDisabled' })
    const on = await unwrap(
      api.PATCH('/webhooks/endpoints/{id}', { ...path, body: { enabled: true, eventTypes: ['lead.updated'] } }),
    )
    expect(on).toMatchObject({ enabled: true, disabledReason: null, eventTypes: ['lead.updated'] })
    expect((await api.POST('/webhooks/endpoints/{id}/test', path)).response.status).toBe(202)
  })

  it("its own changes are not queued for the endpoint it feeds; a person's are", async () => {
    const endpoint = await unwrap(newEndpoint('https://hooks.example.test/eco'))
    await unwrap(api.POST('/leads', { body: { name: 'Criado pela integração', email: 'eco@example.test' } }))
    await w.caller(w.a.manager, w.a.agencyId).leads.create({
      data: leadData({ name: 'Criado por uma pessoa', phones: ['11 97000-3000'] }),
    })
    const log = await unwrap(api.GET('/webhooks/endpoints/{id}/deliveries', { params: { path: { id: endpoint.id } } }))
    expect(log.data.map((d) => [d.type, d.trigger])).toEqual([['lead.created', 'event']])
    const [data] = await w.t.owner.db.execute<{ name: string }>(sql`
      select e.data->'lead'->>'name' as name from webhook_events e join webhook_deliveries d on d.event_id = e.id
      where d.id = ${log.data[0]!.id}`)
    expect(data).toEqual({ name: 'Criado por uma pessoa' })
  })

  it('the services themselves let through an integration with webhooks:manage, and no other integration or role', async () => {
    const as = async (key: string) =>
      withIntegration(w.t.app.db, await authenticateKey(w.t.app.db, key, null), null, (ctx) =>
        listWebhookEndpoints(ctx).then(
          (rows) => rows.length,
          (e: unknown) => e,
        ),
      )
    expect(await as(full.key)).toBeGreaterThan(0)
    expect(await as(readOnly)).toMatchObject({
      code: 'FORBIDDEN',
      meta: { reason: 'missing_scope', scope: 'webhooks:manage' },
    })
    // An agent reaches none of it, even past tRPC.
    const agent = await withAgency(w.t.app.db, { agencyId: w.a.agencyId, userId: w.a.agent.userId }, (tx) =>
      listWebhookEndpoints({
        db: tx,
        actor: {
          userId: w.a.agent.userId,
          agencyId: w.a.agencyId,
          role: 'agent',
          membershipId: '',
          ip: null,
          agency: { agentsSeeAll: true, defaultPhoneCountry: 'BR' },
        },
      }).catch((e: unknown) => e),
    )
    expect(agent).toMatchObject({ code: 'FORBIDDEN' })
    // And over HTTP, a key without the scope is refused naming it.
    const r = await raw('/webhooks/endpoints', { key: readOnly })
    expect(r.status).toBe(403)
    expect(await r.json()).toMatchObject({ code: 'missing_scope', scope: 'webhooks:manage' })
  })
})

describe('cross-cutting rules', () => {
  it('a write needs an Idempotency-Key; a retry gets the first answer back, another body with the key is 422', async () => {
    const lead = { name: 'Idempotente', phones: ['11 97000-2000'] }
    expect(((await (await post('/leads', lead, { 'idempotency-key': '' })).json()) as Problem).code).toBe('bad_request')
    const noKey = await raw('/leads', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    expect(noKey.status).toBe(400)
    expect(((await noKey.json()) as Problem).code).toBe('idempotency_key_required')
    const key = crypto.randomUUID()
    const first = await post('/leads', lead, { 'idempotency-key': key })
    expect(first.status).toBe(201)
    const created = (await first.json()) as { id: string }
    // The same body written differently (key order, spacing) is the same request.
    const retry = await raw('/leads', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body: ' { "phones": ["11 97000-2000"],  "name": "Idempotente" } ',
    })
    expect(retry.status).toBe(201)
    expect(retry.headers.get('idempotent-replayed')).toBe('true')
    expect(((await retry.json()) as { id: string }).id).toBe(created.id)
    const other = await post('/leads', { ...lead, name: 'Outro' }, { 'idempotency-key': key })
    expect(other.status).toBe(422)
    expect(((await other.json()) as Problem).code).toBe('idempotency_key_reused')
    const [{ n }] = (await w.t.owner.db.execute<{ n: number }>(
      sql`select count(*)::int as n from leads where name = 'Idempotente'`,
    )) as unknown as [{ n: number }]
    expect(n).toBe(1)
    // A failed write leaves the key free: the same key with a valid body then runs.
    const failKey = crypto.randomUUID()
    expect((await post('/leads', { name: '' }, { 'idempotency-key': failKey })).status).toBe(422)
    expect(
      (await post('/leads', { name: 'Depois do erro', email: 'depois@example.test' }, { 'idempotency-key': failKey }))
        .status,
    ).toBe(201)
  })

  it('a retried message send never sends twice: the message id comes from the key', async () => {
    const key = crypto.randomUUID()
    const send = () =>
      post(
        `/conversations/${w.a.conversationId}/messages`,
        { type: 'text', text: 'Olá pela API' },
        { 'idempotency-key': key },
      )
    const first = (await (await send()).json()) as { id: string; status: string }
    const second = (await (await send()).json()) as { id: string }
    expect(first.status).toBe('queued')
    expect(second.id).toBe(first.id)
    // Past the 24 hours the API keeps answers, the same key still makes the same message: nothing new is queued.
    await w.t.owner.db.execute(sql`update api_idempotency_keys set created_at = now() - interval '25 hours'`)
    expect(((await (await send()).json()) as { id: string }).id).toBe(first.id)
    const [{ n }] = (await w.t.owner.db.execute<{ n: number }>(
      sql`select count(*)::int as n from whatsapp_messages where body = 'Olá pela API'`,
    )) as unknown as [{ n: number }]
    expect(n).toBe(1)
  })

  it('problems: 401 without detail, 403 naming the scope, 422 with field paths, 404, 405, 409 duplicate', async () => {
    for (const key of [null, 'imp_live_aaaaaaaaaaaa_' + 'A'.repeat(43), 'Basic abc', readOnly.slice(0, -1) + 'x']) {
      const r = await raw('/leads', { key })
      expect(r.status).toBe(401)
      expect(r.headers.get('content-type')).toBe('application/problem+json')
      expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/)
      expect(await r.json()).toEqual({
        type: 'urn:impera:problem:unauthenticated',
        title: 'Unauthenticated',
        status: 401,
        code: 'unauthenticated',
      })
    }
    const forbidden = await post('/leads', { name: 'x', email: 'x@example.test' }, {}, readOnly)
    expect(forbidden.status).toBe(403)
    expect(forbidden.headers.get('ratelimit-remaining')).toMatch(/^\d+$/)
    expect(await forbidden.json()).toMatchObject({ code: 'missing_scope', scope: 'leads:write' })
    const invalid = await post('/leads', { name: '', phones: ['abc'], budgetMin: 10, budgetMax: 5 })
    expect(invalid.status).toBe(422)
    const problem = (await invalid.json()) as Problem
    expect(problem.code).toBe('validation_failed')
    expect(problem.errors!.map((e) => e.path).sort()).toEqual(['budgetMax', 'name'])
    const badQuery = await raw('/leads?status=nope&pageSize=1000&after=forged')
    expect(badQuery.status).toBe(422)
    expect(((await badQuery.json()) as Problem).errors!.map((e) => e.path).sort()).toEqual([
      'after',
      'pageSize',
      'status.0',
    ])
    expect((await raw('/leads/not-a-uuid')).status).toBe(404)
    expect((await raw(`/leads/${crypto.randomUUID()}`)).status).toBe(404)
    expect((await raw('/nothing')).status).toBe(404)
    const v2 = await fetch(`${base}/api/v2/leads`)
    expect(v2.status).toBe(404)
    expect(v2.headers.get('content-type')).toBe('application/problem+json')
    const wrong = await raw('/members', { method: 'DELETE' })
    expect(wrong.status).toBe(405)
    expect(wrong.headers.get('allow')).toBe('GET')
    const dup = await post('/leads', { name: 'Duplicado', phones: ['+55 11 91234-5678'] })
    expect(dup.status).toBe(409)
    expect(await dup.json()).toMatchObject({ code: 'duplicate', duplicates: [{ id: w.a.leadId, matchedOn: 'phone' }] })
    expect(
      (await post('/leads', { name: 'Duplicado', phones: ['+55 11 91234-5678'], allowDuplicate: true })).status,
    ).toBe(201)
    const sdkError = await unwrap(api.GET('/leads/{id}', { params: { path: { id: crypto.randomUUID() } } })).catch(
      (e: unknown) => e,
    )
    expect(sdkError).toBeInstanceOf(ImperaApiError)
    expect(sdkError).toMatchObject({ status: 404, problem: { code: 'not_found' } })
  })

  it('bodies: JSON only (415), parse errors 400, past the server limit 413', async () => {
    const form = await raw('/leads', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': 'k1' },
      body: 'name=x',
    })
    expect(form.status).toBe(415)
    const broken = await raw('/leads', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'k2' },
      body: '{"name":',
    })
    expect(broken.status).toBe(400)
    expect(((await broken.json()) as Problem).code).toBe('invalid_json')
    const huge = await post('/leads', { name: 'x', notes: 'x'.repeat(2 * 1024 * 1024) })
    expect(huge.status).toBe(413)
    // Chunked, with no declared length: counted as it streams.
    const chunks = new ReadableStream({
      start(c) {
        for (let i = 0; i < 40; i++) c.enqueue(new TextEncoder().encode(`"${'y'.repeat(64 * 1024)}",`))
        c.close()
      },
    })
    const chunked = await raw('/leads', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'k3' },
      body: chunks,
      duplex: 'half',
    } as RequestInit)
    expect(chunked.status).toBe(413)
    expect(chunked.headers.get('content-type')).toBe('application/problem+json')
  })

  it('rate limits: 429 with Retry-After, and the RateLimit headers on every answer to a key', async () => {
    const ok = await raw('/members')
    expect(Number(ok.headers.get('ratelimit-remaining'))).toBeLessThan(600)
    expect(ok.headers.get('ratelimit-reset')).toMatch(/^\d+$/)
    // An empty bucket (set a second ahead, so no token comes back before the next request).
    await w.t.owner.db.execute(sql`update api_rate_buckets set tokens = 0, updated_at = now() + interval '1 second'`)
    const limited = await raw('/members')
    await w.t.owner.db.execute(sql`update api_rate_buckets set tokens = 600, updated_at = now()`)
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(limited.headers.get('ratelimit-remaining')).toBe('0')
    expect(((await limited.json()) as Problem).code).toBe('rate_limited')
  })

  it('the origin guard lets key requests from servers and cookie-less browsers through, not cookie-carrying ones', async () => {
    const headers = { 'content-type': 'application/json', origin: 'https://elsewhere.example' }
    const browser = await post('/leads/' + w.a.leadId + '/notes', { body: 'de outro site' }, headers)
    expect(browser.status).toBe(201)
    const withCookie = await post('/leads/' + w.a.leadId + '/notes', { body: 'x' }, { ...headers, cookie: 'a=b' })
    expect(withCookie.status).toBe(403)
    expect(await withCookie.json()).toMatchObject({ error: 'cross_origin_request' })
    // Other paths keep the check with a key too.
    const trpc = await fetch(`${base}/api/trpc/leads.create`, {
      method: 'POST',
      headers: { ...headers, authorization: `Bearer ${full.key}` },
      body: '{}',
    })
    expect(trpc.status).toBe(403)
  })

  it('the reference page is self-hosted and needs no change to the production policy', async () => {
    const page = await fetch(`${base}/api/docs`)
    expect(page.status).toBe(200)
    const html = await page.text()
    const csp = page.headers.get('content-security-policy')!
    expect(csp).toMatch(/script-src 'self' 'nonce-/)
    // Only same-origin scripts, no inline code and nothing from elsewhere.
    expect([...html.matchAll(/<script[^>]*>/g)].map((m) => m[0])).toEqual([
      '<script src="/api/docs/scalar.js">',
      '<script src="/api/docs/init.js">',
    ])
    expect(html).not.toMatch(/https?:\/\//)
    const bundle = await fetch(`${base}/api/docs/scalar.js`)
    expect(bundle.status).toBe(200)
    expect(bundle.headers.get('content-type')).toMatch(/javascript/)
    expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(1_000_000)
    expect(await (await fetch(`${base}/api/docs/init.js`)).text()).toContain('/api/v1/openapi.json')
  })
})

describe('AI turns over HTTP (decision 020)', () => {
  let seq = 0
  /** A conversation the bot answers, with a lead and one message from the contact. */
  async function botConversation() {
    const phone = `+5511955${String(++seq).padStart(6, '0')}`
    const [c] = await w.t.owner.db.execute<{ id: string }>(
      sql`insert into whatsapp_conversations (agency_id, account_id, contact_phone, contact_name, ai_mode, controller, last_inbound_at, last_message_at)
          values (${w.a.agencyId}, ${w.a.waAccountId}, ${phone}, 'Contato do turno', 'auto', 'bot', now(), now()) returning id`,
    )
    return { id: c!.id, inbound: await inbound(c!.id, 'Oi, quero alugar') }
  }
  async function inbound(conversationId: string, body: string) {
    const [m] = await w.t.owner.db.execute<{ id: string }>(
      sql`insert into whatsapp_messages (agency_id, conversation_id, account_id, direction, type, body, provider_message_id, status, provider_at, author)
          values (${w.a.agencyId}, ${conversationId}, ${w.a.waAccountId}, 'inbound', 'text', ${body}, ${`wamid.T${crypto.randomUUID()}`}, 'received', now(), 'contact') returning id`,
    )
    return m!.id
  }
  const botSent = async (conversationId: string) =>
    (
      await w.t.owner.db.execute<{ n: number }>(
        sql`select count(*)::int as n from whatsapp_messages where conversation_id = ${conversationId} and author = 'bot'`,
      )
    )[0]!.n
  const turn = (inReplyTo: string, text = 'Olá! Até quanto pode pagar?') => ({
    inReplyTo,
    messages: [{ type: 'text', text }],
    actions: { tags: ['ia'] },
  })

  it('the same Idempotency-Key twice at once acts once; both get the same answer', async () => {
    const c = await botConversation()
    const key = crypto.randomUUID()
    const [a, b] = await Promise.all([
      post(`/conversations/${c.id}/turns`, turn(c.inbound), { 'idempotency-key': key }),
      post(`/conversations/${c.id}/turns`, turn(c.inbound), { 'idempotency-key': key }),
    ])
    const answers = [a.status, b.status]
    // One runs; the other waits for it and replays its answer, or is told the first is still in flight (409).
    expect(answers).toContain(200)
    const bodies = await Promise.all([a, b].filter((r) => r.status === 200).map((r) => r.json()))
    for (const body of bodies) expect(body).toMatchObject({ outcome: 'executed', messageIds: [expect.any(String)] })
    expect(await botSent(c.id)).toBe(1)
    const replay = await post(`/conversations/${c.id}/turns`, turn(c.inbound), { 'idempotency-key': key })
    expect(replay.status).toBe(200)
    expect(await botSent(c.id)).toBe(1)
  })

  it('a person sends while the turn is on its way: 409 stale_turn, nothing sent', async () => {
    const c = await botConversation()
    await w
      .caller(w.a.manager, w.a.agencyId)
      .whatsapp.send({ id: crypto.randomUUID(), conversationId: c.id, type: 'text', text: 'Deixa comigo.' })
    const res = await post(`/conversations/${c.id}/turns`, turn(c.inbound))
    expect(res.status).toBe(409)
    expect((await res.json()) as Problem).toMatchObject({ code: 'conflict', reason: 'stale_turn' })
    expect(await botSent(c.id)).toBe(0)
  })

  it('a newer message from the contact makes the turn stale; answering it works', async () => {
    const c = await botConversation()
    const newer = await inbound(c.id, 'em Pinheiros')
    const stale = await post(`/conversations/${c.id}/turns`, turn(c.inbound))
    expect(stale.status).toBe(409)
    expect(((await stale.json()) as Problem & { reason?: string }).reason).toBe('stale_turn')
    expect(await botSent(c.id)).toBe(0)
    expect((await post(`/conversations/${c.id}/turns`, turn(newer))).status).toBe(200)
    expect(await botSent(c.id)).toBe(1)
  })

  it('refuses a bad turn with 422 and the paths, and free text outside the window with window_closed', async () => {
    const c = await botConversation()
    const tooMany = await post(`/conversations/${c.id}/turns`, {
      inReplyTo: c.inbound,
      messages: Array(4).fill({ type: 'text', text: 'oi' }),
    })
    expect(tooMany.status).toBe(422)
    expect(((await tooMany.json()) as Problem).errors?.map((e) => e.path)).toEqual(['messages'])
    const bad = await post(`/conversations/${c.id}/turns`, {
      inReplyTo: 'não-é-id',
      messages: [{ type: 'video', text: 'oi' }],
      actions: { status: 'lost', surprise: true },
    })
    expect(bad.status).toBe(422)
    expect(((await bad.json()) as Problem).errors?.map((e) => e.path).sort()).toEqual(
      ['actions', 'actions.status', 'inReplyTo', 'messages.0.type'].sort(),
    )
    await w.t.owner.db.execute(
      sql`update whatsapp_conversations set last_inbound_at = now() - interval '2 days' where id = ${c.id}`,
    )
    const closed = await post(`/conversations/${c.id}/turns`, turn(c.inbound))
    expect(closed.status).toBe(422)
    expect((await closed.json()) as Problem).toMatchObject({
      reason: 'window_closed',
      errors: [expect.objectContaining({ path: 'messages.0.type' })],
    })
    expect(await botSent(c.id)).toBe(0)
  })
})
