import fc from 'fast-check'
import { z } from 'zod'
import { mcpTools } from '../../server/mcp-tools'
import { hostileStrings, leakPattern, mutateLeaves, procedureInput, validInputs, type Pools } from './arbitraries'

/**
 * The MCP server's share of the fuzz test: the transport (malformed JSON-RPC, wrong methods, types and headers, bad
 * keys) and every tool (arguments generated from its own schema, then one field at a time turned hostile in arguments
 * it accepts) for each key. Tools are read from the server's table, so new ones are fuzzed without registering them.
 * Nothing may answer 5xx, and no error (HTTP, JSON-RPC or a tool's) may carry SQL, a stack or a path.
 */

export interface McpKey {
  name: string
  key: string
}

const ACCEPT = 'application/json, text/event-stream'

function post(base: string, key: string | null, body: string, headers: Record<string, string> = {}) {
  return fetch(`${base}/mcp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: ACCEPT,
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...headers,
    },
    body,
  })
}

/** A failure's description, or null when the answer is handled: no 5xx, no internals in anything that is an error. */
async function problem(label: string, response: Response): Promise<string | null> {
  const body = await response.text()
  if (response.status >= 500) return `${label} → ${response.status}: ${body.slice(0, 500)}`
  const isError = response.status >= 400 || body.includes('"isError":true') || body.includes('"error":')
  const leak = isError ? leakPattern.exec(body) : null
  return leak
    ? `${label} → ${response.status} leaks internals (${leak[0]}): …${body.slice(Math.max(0, leak.index - 200), leak.index + 200)}…`
    : null
}

const rpc = (method: string, params?: unknown, id: unknown = 1) =>
  JSON.stringify({ jsonrpc: '2.0', id, method, params })
const callTool = (name: string, args: unknown) => rpc('tools/call', { name, arguments: args })

/** Malformed requests at every layer: HTTP, JSON, JSON-RPC, MCP, and the key. */
export async function fuzzMcpTransport(base: string, key: string): Promise<string[]> {
  const initialize = rpc('initialize', {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'fuzz', version: '1' },
  })
  const cases: [string, () => Promise<Response>][] = [
    ['garbage JSON', () => post(base, key, '{"jsonrpc":')],
    ['NUL in JSON', () => post(base, key, '{"jsonrpc":"2.0","id":1,"method":"tools/list\\u0000"}')],
    ['lone surrogate key', () => post(base, key, '{"\\ud800":1}')],
    ['not an object', () => post(base, key, '"tools/list"')],
    ['an empty batch', () => post(base, key, '[]')],
    ['a batch of junk', () => post(base, key, '[1,null,{}]')],
    ['a huge batch', () => post(base, key, `[${Array(500).fill(rpc('tools/list')).join(',')}]`)],
    ['deeply nested JSON', () => post(base, key, '['.repeat(200_000))],
    ['a body over the limit', () => post(base, key, JSON.stringify({ x: 'x'.repeat(1_200_000) }))],
    ['id as an object', () => post(base, key, rpc('tools/list', undefined, { a: 1 }))],
    ['method not a string', () => post(base, key, '{"jsonrpc":"2.0","id":1,"method":42}')],
    ['jsonrpc 1.0', () => post(base, key, '{"jsonrpc":"1.0","id":1,"method":"tools/list"}')],
    ['unknown method', () => post(base, key, rpc('nope/never'))],
    ['resources (none offered)', () => post(base, key, rpc('resources/read', { uri: 'file:///etc/passwd' }))],
    ['prompts (none offered)', () => post(base, key, rpc('prompts/get', { name: 'x' }))],
    ['tools/call without params', () => post(base, key, rpc('tools/call'))],
    ['tools/call name not a string', () => post(base, key, rpc('tools/call', { name: 7 }))],
    ['tools/call arguments not an object', () => post(base, key, callTool('get_lead', 'x'))],
    ['tools/call arguments an array', () => post(base, key, callTool('get_lead', [1, 2]))],
    ['tools/call arguments huge', () => post(base, key, callTool('search_leads', { tags: Array(5000).fill('x') }))],
    ['an unknown tool', () => post(base, key, callTool('drop_database', {}))],
    ['a hostile tool name', () => post(base, key, callTool('\u0000../\ud800', {}))],
    ['initialize with junk', () => post(base, key, rpc('initialize', { protocolVersion: 7, capabilities: 'x' }))],
    ['a bogus protocol version', () => post(base, key, rpc('tools/list'), { 'mcp-protocol-version': '1999-01-01' })],
    ['a notification only', () => post(base, key, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/x' }))],
    ['a response only', () => post(base, key, JSON.stringify({ jsonrpc: '2.0', id: 1, result: {} }))],
    ['a session id it never gave', () => post(base, key, rpc('tools/list'), { 'mcp-session-id': 'x'.repeat(300) })],
    ['text/plain', () => post(base, key, initialize, { 'content-type': 'text/plain' })],
    ['a form', () => post(base, key, 'a=b', { 'content-type': 'application/x-www-form-urlencoded' })],
    ['no Accept', () => post(base, key, initialize, { accept: '' })],
    ['GET', () => fetch(`${base}/mcp`, { headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream' } })],
    ['DELETE', () => fetch(`${base}/mcp`, { method: 'DELETE', headers: { authorization: `Bearer ${key}` } })],
    ['PUT', () => fetch(`${base}/mcp`, { method: 'PUT', headers: { authorization: `Bearer ${key}` }, body: 'x' })],
    ['a trailing slash', () => fetch(`${base}/mcp/`, { method: 'POST', body: initialize })],
    ['a foreign origin', () => post(base, key, initialize, { origin: 'https://evil.example' })],
    ['no key', () => post(base, null, initialize)],
    ['an empty bearer', () => post(base, null, initialize, { authorization: 'Bearer ' })],
    ['Basic auth', () => post(base, null, initialize, { authorization: 'Basic YTpi' })],
    ['a truncated key', () => post(base, key.slice(0, -5), initialize)],
    ['a key of another format', () => post(base, `imp_test_${key.slice(9)}`, initialize)],
    ['a very long key', () => post(base, `imp_live_${'a'.repeat(8000)}`, initialize)],
    ['a key with a NUL', () => post(base, null, initialize, { 'x-api-key': `imp_live_%00${'a'.repeat(40)}` })],
    ['an X-Api-Key of junk', () => post(base, null, initialize, { 'x-api-key': "'; drop table api_keys; --" })],
  ]
  const failures: string[] = []
  for (const [label, send] of cases) {
    const found = await problem(`MCP ${label}`, await send())
    if (found) failures.push(found)
  }
  return failures
}

const hostileArguments = fc.oneof(
  fc.constantFrom(...hostileStrings),
  fc.jsonValue({ maxDepth: 3 }),
  fc.dictionary(
    fc.constantFrom('id', 'leadId', 'text', 'body', 'query', 'cursor', '__proto__', 'constructor'),
    fc.jsonValue({ maxDepth: 2 }),
    { maxKeys: 4 },
  ),
)

/**
 * Every tool, as every key: arguments from the tool's schema with hostile values and anything at all, then, in
 * arguments the tool accepts, one field at a time turned hostile (as the manager-like key only: those reach the
 * services' writes).
 */
export async function fuzzMcpTools(opts: {
  base: string
  keys: McpKey[]
  pools: Pools
  runs: number
}): Promise<{ failures: string[]; reached: number }> {
  const failures: string[] = []
  let reached = 0
  for (const { name: who, key } of opts.keys) {
    for (const tool of mcpTools) {
      const schema = z.object(tool.input)
      const args = fc.oneof({ weight: 4, arbitrary: procedureInput([schema], opts.pools) }, hostileArguments)
      const run = await fc.check(
        fc.asyncProperty(args, async (a) => {
          const found = await problem(
            `${who} ${tool.name}(${JSON.stringify(a)?.slice(0, 300)})`,
            await post(opts.base, key, callTool(tool.name, a)),
          )
          if (found) throw new Error(found)
        }),
        { numRuns: opts.runs },
      )
      if (run.failed) failures.push(`${String(run.errorInstance)} [seed ${run.seed}]`)
    }
  }
  const [writer] = opts.keys
  for (const tool of mcpTools) {
    const seeds = validInputs([z.object(tool.input)], opts.pools)
    for (const seed of seeds) {
      const response = await post(opts.base, writer!.key, callTool(tool.name, seed))
      const body = await response.clone().text()
      const found = await problem(`${writer!.name} ${tool.name} (valid arguments)`, response)
      if (found) failures.push(found)
      // Reached the service: anything but the SDK's own argument check.
      if (!body.includes('Input validation error')) reached++
    }
    for (const input of seeds.flatMap(mutateLeaves)) {
      const found = await problem(
        `${writer!.name} ${tool.name}(${JSON.stringify(input)?.slice(0, 300)})`,
        await post(opts.base, writer!.key, callTool(tool.name, input)),
      )
      if (found) {
        failures.push(found)
        break
      }
    }
  }
  return { failures, reached }
}
