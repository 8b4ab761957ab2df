import { randomUUID } from 'node:crypto'
import type { Server } from 'node:http'
import { createStorage } from '@impera/api/storage'
import { sql } from '@impera/db'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { agencyChecksum, buildWorld, type World } from '../../../packages/api/tests/harness'
import { createWebApp } from './app'
import type { WebEnv } from './env'
import { createHttpApp } from './http'

/**
 * The MCP server driven by the SDK's own client over HTTP, against the real Express app: tools by scope, every tool
 * called, writes attributed to the integration, agencies fenced, bad keys and bad input refused without a 5xx.
 */

let w: World
let server: Server
let base: string
const keys = {} as Record<'full' | 'readOnly' | 'propertiesOnly' | 'beta' | 'revoked' | 'expired', string>
const open: Client[] = []
/** What the server logged at warn and above: a tool that failed unexpectedly logs an error. */
const logged: string[] = []

const ALL = ['leads:read', 'leads:write', 'conversations:read', 'conversations:reply', 'properties:read'] as const
const READ_ONLY = ['search_leads', 'get_lead', 'search_conversations', 'get_conversation', 'match_properties']

beforeAll(async () => {
  w = await buildWorld()
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
    db: w.t.app.db,
    log: pino({ level: 'warn' }, { write: (line: string) => void logged.push(line) }),
    storage: createStorage({ driver: 'local', dir: '/tmp/impera-mcp-test' }),
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

  const alfa = w.caller(w.a.manager, w.a.agencyId).integrations
  const create = async (name: string, scopes: string[], api = alfa) =>
    (await api.create({ name, scopes: scopes as never })).key.key
  keys.full = await create('Agente IA', [...ALL])
  keys.readOnly = await create('Painel de leitura', ['leads:read', 'conversations:read', 'properties:read'])
  keys.propertiesOnly = await create('Vitrine', ['properties:read'])
  keys.beta = await create('Agente da Beta', [...ALL], w.caller(w.b.manager, w.b.agencyId).integrations)
  keys.revoked = await create('Revogada', [...ALL])
  keys.expired = await create('Expirada', [...ALL])
  const list = await alfa.list()
  await alfa.revoke({ id: list.find((i) => i.name === 'Revogada')!.id })
  await w.t.owner.db.execute(
    sql`update integrations set expires_at = now() - interval '1 second' where name = 'Expirada'`,
  )
}, 60_000)

afterAll(async () => {
  await Promise.all(open.map((c) => c.close()))
  await new Promise((r) => server?.close(r))
  await w?.t.close()
})

async function connect(key: string): Promise<Client> {
  const client = new Client({ name: 'impera-mcp-test', version: '1.0.0' })
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${base}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${key}` } },
    }),
  )
  open.push(client)
  return client
}

async function call(client: Client, name: string, args: Record<string, unknown>) {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult
  const text = result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n')
  return { ...result, text, data: result.structuredContent as Record<string, any> } // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** A raw JSON-RPC POST, as a client that is not the SDK would send it. */
function post(body: string, headers: Record<string, string> = {}) {
  return fetch(`${base}/mcp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: `Bearer ${keys.full}`,
      ...headers,
    },
    body,
  })
}
const initialize = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'curl', version: '1' } },
})

describe('tools by scope', () => {
  it('a key with every scope sees the eleven tools, each annotated', async () => {
    const { tools } = await (await connect(keys.full)).listTools()
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]))
    expect(Object.keys(byName).sort()).toEqual(
      [
        ...READ_ONLY,
        'send_message',
        'set_conversation_status',
        'post_turn',
        'update_lead',
        'add_note',
        'record_consent',
      ].sort(),
    )
    for (const name of READ_ONLY) expect(byName[name]!.annotations).toMatchObject({ readOnlyHint: true })
    expect(byName.post_turn!.annotations).toMatchObject({ readOnlyHint: false, idempotentHint: true })
    expect(byName.set_conversation_status!.annotations).toMatchObject({ readOnlyHint: false, idempotentHint: true })
    expect(byName.send_message!.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: true,
    })
    expect(byName.update_lead!.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: true,
    })
    expect(byName.add_note!.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: false,
    })
    // The ranking is explained where a model reads it.
    expect(byName.match_properties!.description).toMatch(/10% above .* percentage/)
    expect(byName.get_lead!.inputSchema).toMatchObject({ type: 'object', required: ['id'] })
  })

  it('a key with read scopes alone sees and can call only read-only tools', async () => {
    const client = await connect(keys.readOnly)
    const { tools } = await client.listTools()
    expect(tools.map((t) => t.name).sort()).toEqual([...READ_ONLY].sort())
    expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true)
    const refused = await call(client, 'add_note', { leadId: w.a.leadId, body: 'não deveria' })
    expect(refused.isError).toBe(true)
    expect(refused.text).toMatch(/add_note not found/)
    const found = await call(client, 'get_lead', { id: w.a.leadId })
    expect(found.isError).toBeFalsy()
  })

  it('each tool needs its scope; matching by lead also needs leads:read, named in the refusal', async () => {
    const client = await connect(keys.propertiesOnly)
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['match_properties'])
    const byCriteria = await call(client, 'match_properties', { locations: ['Pinheiros'] })
    expect(byCriteria.isError).toBeFalsy()
    const byLead = await call(client, 'match_properties', { leadId: w.a.leadId })
    expect(byLead.isError).toBe(true)
    expect(byLead.text).toContain('leads:read')
    expect(byLead.data.error).toMatchObject({ code: 'FORBIDDEN', reason: 'missing_scope', scope: 'leads:read' })
    expect((await call(client, 'get_lead', { id: w.a.leadId })).isError).toBe(true)
  })
})

describe('every tool, through the services, as the integration', () => {
  let client: Client
  beforeAll(async () => {
    client = await connect(keys.full)
  })

  it('search_leads and get_lead read the lead with its notes and history', async () => {
    const found = await call(client, 'search_leads', { query: 'Lead da Alfa', pageSize: 5 })
    expect(found.isError).toBeFalsy()
    expect(found.data.leads.map((l: { id: string }) => l.id)).toEqual([w.a.leadId])
    expect(found.text).toContain('Lead da Alfa')
    const lead = await call(client, 'get_lead', { id: w.a.leadId })
    expect(lead.data.lead).toMatchObject({ id: w.a.leadId, name: 'Lead da Alfa', interest: 'buy' })
    expect(lead.data.lead.searchDoc).toBeUndefined()
    expect(lead.data.lead.agencyId).toBeUndefined()
    expect(lead.data.notes.map((n: { body: string }) => n.body)).toContain('Ligou pedindo visita')
    expect(lead.text).toMatch(/^Lead da Alfa \(/)
  })

  it('search_conversations and get_conversation read the thread and its window', async () => {
    const found = await call(client, 'search_conversations', { query: '91234-5678' })
    expect(found.data.conversations.map((c: { id: string }) => c.id)).toEqual([w.a.conversationId])
    expect(found.data.conversations[0]).toMatchObject({ leadId: w.a.leadId })
    const thread = await call(client, 'get_conversation', { id: w.a.conversationId })
    expect(thread.data.conversation).toMatchObject({ id: w.a.conversationId, windowOpen: true })
    expect(thread.data.messages.some((m: { body: string }) => m.body === 'Mensagem secreta da Alfa')).toBe(true)
    expect(thread.text).toContain('window open until')
    expect(JSON.stringify(thread.data)).not.toMatch(/storageKey|agencyId|searchDoc/)
  })

  it('match_properties ranks the agency properties for the lead and says why', async () => {
    const out = await call(client, 'match_properties', { leadId: w.a.leadId })
    expect(out.isError).toBeFalsy()
    expect(out.data.matches[0]).toMatchObject({
      id: w.a.propertyId,
      score: 100,
      reasons: ['neighbourhood', 'within_budget', 'bedrooms'],
    })
    expect(out.text).toContain(w.a.propertyCode)
  })

  it('send_message queues once per client id, as the integration, and refuses outside the window', async () => {
    const messageId = randomUUID()
    const args = { conversationId: w.a.conversationId, messageId, text: 'Olá! Posso ajudar com a visita?' }
    const first = await call(client, 'send_message', args)
    expect(first.isError).toBeFalsy()
    expect(first.data.message).toMatchObject({ id: messageId, status: 'queued', direction: 'outbound' })
    const again = await call(client, 'send_message', args)
    expect(again.data.message.id).toBe(messageId)
    const rows = await w.t.owner.db.execute<{ n: number; name: string }>(sql`
      select count(*)::int as n, min(u.name) as name from whatsapp_messages m join users u on u.id = m.sent_by
      where m.body = ${args.text}`)
    expect(rows[0]).toEqual({ n: 1, name: 'Agente IA' })

    await w.t.owner.db.execute(
      sql`update whatsapp_conversations set last_inbound_at = now() - interval '2 days' where id = ${w.a.conversationId}`,
    )
    const closed = await call(client, 'send_message', { ...args, messageId: randomUUID() })
    expect(closed.isError).toBe(true)
    expect(closed.text).toMatch(/^INVALID_INPUT: .*24-hour window/)
    expect(closed.data.error).toMatchObject({ code: 'INVALID_INPUT', reason: 'window_closed' })
    expect(closed.text).not.toMatch(/\bat \S+:\d+/)
  })

  it("update_lead changes only the fields given and moves the status, in the lead's history as the integration", async () => {
    const out = await call(client, 'update_lead', {
      id: w.a.leadId,
      budgetMax: 95_000_000,
      locations: ['Pinheiros', 'Perdizes'],
      status: 'contacted',
    })
    expect(out.isError).toBeFalsy()
    expect(out.data.lead).toMatchObject({
      name: 'Lead da Alfa',
      budgetMax: 95_000_000,
      budgetMin: 50_000_000,
      locations: ['Pinheiros', 'Perdizes'],
      status: 'contacted',
      phones: ['+5511912345678'],
    })
    const seen = await w.caller(w.a.manager, w.a.agencyId).leads.get({ id: w.a.leadId })
    const mine = seen.events.filter((e) => e.actorName === 'Agente IA').map((e) => [e.kind, e.data])
    expect(mine).toEqual(
      expect.arrayContaining([
        ['status_changed', expect.objectContaining({ from: 'new', to: 'contacted', via: 'api' })],
        ['edited', expect.objectContaining({ via: 'api' })],
      ]),
    )
    const lost = await call(client, 'update_lead', { id: w.a.leadId, status: 'lost' })
    expect(lost.isError).toBe(true)
    expect(lost.data.error.fields).toHaveProperty('lostReason')
  })

  it('record_consent records what the person said; get_lead tells the agent whether it may market', async () => {
    const before = await call(client, 'get_lead', { id: w.a.qualifiedLeadId })
    expect(before.text).toMatch(/Marketing consent: never asked \(no marketing\)\./)
    const out = await call(client, 'record_consent', {
      leadId: w.a.qualifiedLeadId,
      granted: true,
      textVersion: 'Pode me mandar ofertas por aqui.',
    })
    expect([out.isError ?? false, out.data]).toEqual([false, { status: 'granted', recordedAt: expect.any(String) }])
    const after = await call(client, 'get_lead', { id: w.a.qualifiedLeadId })
    expect([after.text.includes('Marketing consent: granted.'), after.data.consent]).toEqual([true, 'granted'])
    const consent = await w.caller(w.a.manager, w.a.agencyId).consent.get({ leadId: w.a.qualifiedLeadId })
    expect(consent.current).toMatchObject({ source: 'api', textVersion: 'Pode me mandar ofertas por aqui.' })
  })

  it("add_note adds a note the manager sees as the integration's", async () => {
    const out = await call(client, 'add_note', { leadId: w.a.leadId, body: 'Cliente pediu visita no sábado.' })
    expect(out.isError).toBeFalsy()
    const seen = await w.caller(w.a.manager, w.a.agencyId).leads.get({ id: w.a.leadId })
    expect(seen.notes[0]).toMatchObject({ body: 'Cliente pediu visita no sábado.', authorName: 'Agente IA' })
    const [audit] = await w.t.owner.db.execute<{ name: string }>(sql`
      select u.name from audit_log a join users u on u.id = a.actor_user_id
      where a.action = 'lead.note.add' and a.entity_id = ${out.data.note.id}`)
    expect(audit).toEqual({ name: 'Agente IA' })
  })
})

describe('isolation', () => {
  it("agency B's key reaches none of A's records, and A's data is unchanged", async () => {
    const before = await agencyChecksum(w.t, w.a.agencyId)
    const client = await connect(keys.beta)
    const attempts: [string, Record<string, unknown>][] = [
      ['get_lead', { id: w.a.leadId }],
      ['get_conversation', { id: w.a.conversationId }],
      ['send_message', { conversationId: w.a.conversationId, messageId: randomUUID(), text: 'invasão' }],
      ['update_lead', { id: w.a.leadId, name: 'Tomado' }],
      ['add_note', { leadId: w.a.leadId, body: 'invasão' }],
      ['match_properties', { leadId: w.a.leadId }],
    ]
    for (const [name, args] of attempts) {
      const out = await call(client, name, args)
      expect(out.isError, name).toBe(true)
      expect(out.data.error.code, name).toBe('NOT_FOUND')
    }
    const leads = await call(client, 'search_leads', { query: 'Alfa' })
    expect(leads.data.leads).toEqual([])
    const conversations = await call(client, 'search_conversations', {})
    expect(conversations.data.conversations).toEqual([])
    const properties = await call(client, 'match_properties', { locations: ['Pinheiros'] })
    expect(properties.data.matches).toEqual([])
    expect(await agencyChecksum(w.t, w.a.agencyId)).toBe(before)
  })

  it('revoked, expired, malformed and missing keys are refused with 401, the same for each', async () => {
    for (const key of [keys.revoked, keys.expired, 'imp_live_nope', `${keys.full.slice(0, -2)}xx`]) {
      const r = await post(initialize, { authorization: `Bearer ${key}` })
      expect(r.status).toBe(401)
      expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/)
      expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/)
      expect(await r.json()).toMatchObject({ status: 401, code: 'unauthenticated' })
    }
    expect((await post(initialize, { authorization: '' })).status).toBe(401)
    await expect(connect(keys.revoked)).rejects.toThrow()
    // The key may come as X-Api-Key for tools that cannot set a bearer token.
    expect((await post(initialize, { authorization: '', 'x-api-key': keys.full })).status).toBe(200)
  })
})

describe('the transport', () => {
  it('answers JSON, with the rate limit of the key, and no session', async () => {
    const r = await post(initialize)
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toMatch(/application\/json/)
    expect(r.headers.get('mcp-session-id')).toBeNull()
    expect(Number(r.headers.get('ratelimit-limit'))).toBe(600)
    expect(Number(r.headers.get('ratelimit-remaining'))).toBeLessThan(600)
    expect(await r.json()).toMatchObject({ result: { serverInfo: { name: 'impera-crm' } } })
  })

  it('refuses malformed JSON-RPC and other methods with a 4xx', async () => {
    for (const body of ['{"jsonrpc":', '"x"', '{"jsonrpc":"2.0"}', '[1]', '{"id":1,"method":"tools/list"}'])
      expect((await post(body)).status, body).toBe(400)
    // Stateless: a request needs no initialize before it (any instance may answer any request).
    const list = await post('{"jsonrpc":"2.0","id":7,"method":"tools/list"}')
    expect(list.status).toBe(200)
    expect((await list.json()).result.tools).toHaveLength(11)
    expect((await fetch(`${base}/mcp`, { headers: { authorization: `Bearer ${keys.full}` } })).status).toBe(405)
    expect((await post(initialize, { accept: 'text/html' })).status).toBe(406)
    expect((await post('name=x', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415)
  })

  it('refuses bodies over 1 MB, declared or streamed, with a 413', async () => {
    const big = `{"jsonrpc":"2.0","id":1,"method":"ping","params":{"x":"${'a'.repeat(1_100_000)}"}}`
    expect((await post(big)).status).toBe(413)
    const chunked = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode(big))
        c.close()
      },
    })
    const r = await fetch(`${base}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${keys.full}`,
      },
      body: chunked,
      duplex: 'half',
    } as RequestInit)
    expect(r.status).toBe(413)
    expect(await r.json()).toMatchObject({ code: 'payload_too_large' })
  })

  it('lets a key from any origin through without cookies, but not a cookie-carrying cross-site request', async () => {
    // A browser-based client (an inspector, a web agent) sends its page's origin; a key is nothing ambient.
    expect((await post(initialize, { origin: 'https://inspector.example' })).status).toBe(200)
    // With cookies, the usual cross-origin check applies, key or not.
    expect((await post(initialize, { origin: 'https://evil.example', cookie: 'impera_session=x' })).status).toBe(403)
  })

  it('past the rate limit: 429 with Retry-After, shared with the REST API through the key bucket', async () => {
    const [k] = await w.t.owner.db.execute<{ id: string }>(sql`
      select k.id from api_keys k join integrations i on i.id = k.integration_id where i.name = 'Vitrine'`)
    await w.t.owner.db.execute(sql`
      insert into api_rate_buckets (key_id, tokens, updated_at) values (${k!.id}, 0, now() + interval '1 minute')
      on conflict (key_id) do update set tokens = 0, updated_at = now() + interval '1 minute'`)
    const r = await post(initialize, { authorization: `Bearer ${keys.propertiesOnly}` })
    expect(r.status).toBe(429)
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(await r.json()).toMatchObject({ code: 'rate_limited' })
  })
})

describe('hostile arguments', () => {
  it('bad ids, unsafe characters, wrong types and unknown tools are tool errors, never stacks', async () => {
    const client = await connect(keys.full)
    const cases: [string, Record<string, unknown>][] = [
      ['get_lead', { id: 'nope' }],
      ['get_lead', {}],
      ['add_note', { leadId: w.a.leadId, body: 'a\u0000b' }],
      ['add_note', { leadId: w.a.leadId, body: '\ud800' }],
      ['update_lead', { id: w.a.leadId, budgetMin: 10, budgetMax: 5 }],
      ['update_lead', { id: w.a.leadId, phones: ['abc'] }],
      ['search_leads', { cursor: 'Zm9v' }],
      ['search_leads', { status: ['nope'] }],
      ['match_properties', {}],
      ['match_properties', { budgetMin: 1e300 }],
      ['send_message', { conversationId: w.a.conversationId, messageId: 'x', text: 'oi' }],
      ['get_conversation', { id: w.a.conversationId, before: -1 }],
      ['no_such_tool', {}],
    ]
    for (const [name, args] of cases) {
      const out = await call(client, name, args)
      expect(out.isError, `${name} ${JSON.stringify(args)}`).toBe(true)
      expect(out.text).not.toMatch(/\n\s+at |node_modules|\.ts:\d+|select |insert /i)
    }
    // Refusals name the tool's own arguments, not the service's fields.
    const stale = await call(client, 'search_leads', { cursor: 'Zm9v' })
    expect(Object.keys(stale.data.error.fields)).toEqual(['cursor'])
    expect(stale.text).toBe(
      'INVALID_INPUT: Please correct the highlighted fields.\ncursor: This page link is out of date. Start again from the first page.',
    )
  })
})

describe('the log', () => {
  it('holds no error: every refusal above was a client error', () => {
    expect(logged.filter((l) => /"level":(50|60)/.test(l))).toEqual([])
  })
})
