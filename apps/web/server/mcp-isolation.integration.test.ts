import type { Server } from 'node:http'
import { integrationScopes, type IntegrationScope } from '@impera/db/enums'
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
import { mcpTools } from './mcp-tools'

/**
 * The isolation suite, for the MCP server (the REST API's is packages/api/tests/public-api-isolation…, tRPC's
 * isolation.integration.test.ts). It iterates every tool in `mcpTools`, so a tool added later fails here until the
 * manifest gives it arguments aimed at agency A's records. Each tool is then tried with a key of agency B (A's ids:
 * not found, or an empty answer), a key of A without the tool's scope (not listed, not callable), and revoked,
 * expired, rotated-away, malformed and missing keys (401 at the transport, before any tool): A's rows must be
 * byte-for-byte unchanged and absent from every answer. A's own keys are the positive control, and show that the
 * manifest names every other scope a call with its arguments asks for.
 */
interface Entry {
  /** Arguments aimed at agency A's records, valid for A's own key. */
  args: (w: World) => Record<string, unknown>
  /** Scopes a call with these arguments needs besides the tool's own (refused, naming them, without). */
  alsoNeeds?: IntegrationScope[]
}

const messageId = crypto.randomUUID()
const manifest: Record<string, Entry> = {
  search_leads: { args: () => ({ query: 'Alfa' }) },
  get_lead: { args: (w) => ({ id: w.a.leadId }) },
  search_conversations: { args: () => ({ query: 'Alfa' }) },
  get_conversation: { args: (w) => ({ id: w.a.conversationId }) },
  match_properties: { args: (w) => ({ leadId: w.a.leadId }), alsoNeeds: ['leads:read'] },
  send_message: { args: (w) => ({ conversationId: w.a.conversationId, messageId, text: 'invasão' }) },
  post_turn: {
    args: (w) => ({
      conversationId: w.a.botConversationId,
      turnId: crypto.randomUUID(),
      inReplyTo: w.a.botInboundId,
      // Actions only: the positive control calls it once per key, and messages would trip the bot's loop guard.
      actions: { tags: ['invadido'], note: 'invasão' },
    }),
  },
  set_conversation_status: { args: (w) => ({ conversationId: w.a.conversationId, status: 'resolved' }) },
  update_lead: { args: (w) => ({ id: w.a.leadId, name: 'Tomado', status: 'lost', lostReason: 'budget' }) },
  add_note: { args: (w) => ({ leadId: w.a.leadId, body: 'invasão' }) },
  record_consent: { args: (w) => ({ leadId: w.a.leadId, granted: false, textVersion: 'invasão' }) },
}

let w: World
let server: Server
let base: string
let secrets: string[]
const keys = {} as Record<
  'full' | 'b' | 'revokedKey' | 'revokedIntegration' | 'expiredKey' | 'expiredIntegration' | 'rotatedAway',
  string
>
const withoutScope = {} as Record<IntegrationScope, string>
const open: Client[] = []
/** What the server logged at warn and above. */
const logged: string[] = []

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
    storage: createStorage({ driver: 'local', dir: '/tmp/impera-mcp-isolation-test' }),
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

  const all = [...integrationScopes]
  const alfa = w.caller(w.a.manager, w.a.agencyId).integrations
  const create = async (name: string, scopes: IntegrationScope[], api = alfa) => api.create({ name, scopes })
  keys.full = (await create('Agente da Alfa', all)).key.key
  keys.b = (await create('Agente da Beta', all, w.caller(w.b.manager, w.b.agencyId).integrations)).key.key
  for (const scope of all)
    withoutScope[scope] = (
      await create(
        `Sem ${scope}`,
        all.filter((s) => s !== scope),
      )
    ).key.key
  const revokedKey = await create('Chave revogada', all)
  await alfa.revokeKey({ keyId: revokedKey.key.id })
  keys.revokedKey = revokedKey.key.key
  const revokedIntegration = await create('Integração revogada', all)
  await alfa.revoke({ id: revokedIntegration.integration.id })
  keys.revokedIntegration = revokedIntegration.key.key
  const expiredKey = await create('Chave expirada', all)
  await w.t.owner.db.execute(
    sql`update api_keys set expires_at = now() - interval '1 second' where id = ${expiredKey.key.id}`,
  )
  keys.expiredKey = expiredKey.key.key
  const expiredIntegration = await create('Integração expirada', all)
  await w.t.owner.db.execute(
    sql`update integrations set expires_at = now() - interval '1 second' where id = ${expiredIntegration.integration.id}`,
  )
  keys.expiredIntegration = expiredIntegration.key.key
  const rotated = await create('Chave trocada', all)
  await alfa.rotateKey({ id: rotated.integration.id, overlapHours: 0 })
  keys.rotatedAway = rotated.key.key

  secrets = [
    w.a.leadId,
    w.a.noteId,
    'Lead da Alfa',
    'Ligou pedindo visita',
    w.a.clientId,
    'Cliente da Alfa',
    w.a.propertyId,
    w.a.propertyCode,
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
  ]
}, 90_000)

afterAll(async () => {
  await Promise.all(open.map((c) => c.close()))
  if (server) await new Promise((r) => server.close(r))
  await w?.t.close()
})

async function connect(key: string): Promise<Client> {
  const client = new Client({ name: 'impera-mcp-isolation', version: '1.0.0' })
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${base}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${key}` } },
    }),
  )
  open.push(client)
  return client
}

async function call(client: Client, name: string) {
  const result = (await client.callTool({ name, arguments: manifest[name]!.args(w) })) as CallToolResult
  const text = result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n')
  const data = (result.structuredContent ?? {}) as Record<string, unknown>
  return { isError: result.isError === true, text, data, raw: JSON.stringify(result) }
}

/** A tool call as raw JSON-RPC, with whatever authorization is given (none: no header). */
function rawCall(name: string, authorization: string | null) {
  return fetch(`${base}/mcp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(authorization === null ? {} : { authorization }),
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name, arguments: manifest[name]!.args(w) },
    }),
  })
}

const leaks = (what: string, text: string) => secrets.filter((s) => text.includes(s)).map((s) => `${what}: leaked ${s}`)

describe('MCP isolation, tool by tool', () => {
  it('enumerates the tools, and every tool is in the manifest', () => {
    expect(mcpTools.length).toBeGreaterThanOrEqual(8)
    expect(mcpTools.map((t) => t.name).filter((name) => !(name in manifest))).toEqual([])
    expect(Object.keys(manifest).filter((name) => !mcpTools.some((t) => t.name === name))).toEqual([])
  })

  it("agency B's key, a key without the scope, and bad or missing keys neither read nor change agency A", async () => {
    const before = await agencyChecksum(w.t, w.a.agencyId)
    const failures: string[] = []

    // B: every tool is there for it, and with A's ids each finds nothing.
    const beta = await connect(keys.b)
    const betaTools = (await beta.listTools()).tools.map((t) => t.name)
    expect(betaTools.sort()).toEqual(mcpTools.map((t) => t.name).sort())
    for (const tool of mcpTools) {
      const out = await call(beta, tool.name)
      const code = (out.data.error as { code?: string } | undefined)?.code
      if (out.isError && code !== 'NOT_FOUND')
        failures.push(`${tool.name} with B's key: ${code ?? 'error'}, expected NOT_FOUND (${out.text.slice(0, 200)})`)
      if (!out.isError) {
        const found = Object.entries(out.data).filter(([, v]) => Array.isArray(v) && v.length)
        if (found.length) failures.push(`${tool.name} with B's key found ${found.map(([k]) => k).join(', ')}`)
      }
      failures.push(...leaks(`${tool.name} with B's key`, out.raw))
    }

    // A key of A without the tool's scope: the tool is neither listed nor callable.
    for (const tool of mcpTools) {
      const client = await connect(withoutScope[tool.scope])
      const listed = (await client.listTools()).tools.map((t) => t.name)
      const expected = mcpTools.filter((t) => t.scope !== tool.scope).map((t) => t.name)
      if (listed.includes(tool.name)) failures.push(`${tool.name} is listed for a key without ${tool.scope}`)
      expect(listed.sort(), `tools of a key without ${tool.scope}`).toEqual(expected.sort())
      const out = await call(client, tool.name)
      if (!out.isError || !/not found/i.test(out.text))
        failures.push(`${tool.name} without ${tool.scope}: ${out.isError ? out.text.slice(0, 200) : 'it ran'}`)
      failures.push(...leaks(`${tool.name} without ${tool.scope}`, out.raw))
    }

    // Scopes a call asks for besides the tool's own: refused at the call, naming the scope.
    for (const tool of mcpTools)
      for (const scope of manifest[tool.name]!.alsoNeeds ?? []) {
        const out = await call(await connect(withoutScope[scope]), tool.name)
        const error = out.data.error as { code?: string; reason?: string; scope?: string } | undefined
        if (!out.isError || error?.reason !== 'missing_scope' || error.scope !== scope || !out.text.includes(scope))
          failures.push(`${tool.name} without ${scope}: ${out.text.slice(0, 200)}`)
        failures.push(...leaks(`${tool.name} without ${scope}`, out.raw))
      }

    // Revoked, expired, rotated-away, malformed and missing keys: 401 at the transport, the same for each.
    const bad: [string, string | null][] = [
      ['no key', null],
      ['an empty bearer', 'Bearer '],
      ['a malformed key', 'Bearer imp_live_nope'],
      ['a forged secret', `Bearer ${keys.full.slice(0, -2)}xx`],
      ['a revoked key', `Bearer ${keys.revokedKey}`],
      ['a revoked integration', `Bearer ${keys.revokedIntegration}`],
      ['an expired key', `Bearer ${keys.expiredKey}`],
      ['an expired integration', `Bearer ${keys.expiredIntegration}`],
      ['a rotated-away key', `Bearer ${keys.rotatedAway}`],
    ]
    for (const tool of mcpTools)
      for (const [who, authorization] of bad) {
        const r = await rawCall(tool.name, authorization)
        const body = await r.text()
        if (r.status !== 401) failures.push(`${tool.name} with ${who}: ${r.status}, expected 401`)
        else {
          expect(r.headers.get('content-type'), `${tool.name} with ${who}`).toMatch(/^application\/problem\+json/)
          expect(JSON.parse(body), `${tool.name} with ${who}`).toEqual({
            type: 'urn:impera:problem:unauthenticated',
            title: 'Unauthenticated',
            status: 401,
            code: 'unauthenticated',
          })
        }
        failures.push(...leaks(`${tool.name} with ${who}`, body))
      }
    await expect(connect(keys.revokedKey)).rejects.toThrow()

    expect(failures).toEqual([])
    expect(await agencyChecksum(w.t, w.a.agencyId)).toBe(before)
  })

  it("positive control: A's keys call every tool, and need no scope the manifest does not name", async () => {
    const failures: string[] = []
    const full = await connect(keys.full)
    for (const tool of mcpTools) {
      const out = await call(full, tool.name)
      if (out.isError) failures.push(`${tool.name} with every scope: ${out.text.slice(0, 200)}`)
    }
    // Without any one other scope, a call succeeds unless the manifest says it needs that scope.
    for (const scope of integrationScopes) {
      const client = await connect(withoutScope[scope])
      for (const tool of mcpTools.filter((t) => t.scope !== scope)) {
        const out = await call(client, tool.name)
        const needed = manifest[tool.name]!.alsoNeeds?.includes(scope) ?? false
        if (out.isError !== needed)
          failures.push(`${tool.name} without ${scope}: ${out.isError ? out.text.slice(0, 200) : 'ran'}`)
      }
    }
    expect(failures).toEqual([])
  })

  it('the server logged no error: every refusal was a client error', () => {
    expect(logged.filter((l) => /"level":(50|60)/.test(l))).toEqual([])
  })
})
