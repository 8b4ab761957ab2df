import { isAppError, type AppError } from '@impera/api/errors'
import { databaseInputError } from '@impera/api/db-errors'
import { withIntegration, type ResolvedKey } from '@impera/api/integrations'
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import type { Express, Request as ExpressRequest, Response as ExpressResponse } from 'express'
import { translator } from '../app/i18n'
import { registerServerCatalogs } from '../app/i18n/catalogs.server'
import { authenticateApiRequest, clientIp, problem, problemResponse, requireScope } from './api-auth'
import type { WebApp } from './app'
import { bodyTooLarge, toFetchRequest } from './fetch-request'
import { mcpTools, type McpTool } from './mcp-tools'

/**
 * The MCP server: `POST /mcp`, Streamable HTTP in stateless mode (no sessions: every request carries its key, and any
 * web instance answers it), JSON answers rather than event streams (no tool streams progress). Each request:
 *
 * 1. authenticates its key (`Authorization: Bearer imp_live_…`, or `X-Api-Key`): 401 otherwise, one answer for every
 *    reason; and
 * 2. takes a token from the key's bucket (`consumeApiRate`): 429 with `Retry-After` past it; both as on the REST API,
 *    through the same helpers (`api-auth.ts`), with the same problem+json refusals and RateLimit headers;
 * 3. gets a server holding only the tools its key's scopes allow (a key with read scopes alone sees and can call only
 *    read-only tools); each tool call runs the service in the integration's fenced transaction (`withIntegration`).
 *
 * A service's refusal is a tool error (`isError`) carrying its message in English and its code, fields and reason as
 * structured content; never a stack. Malformed JSON-RPC gets the SDK's 4xx answers.
 */

export const MCP_PATH = '/mcp'
/** Array and object elements in one call's arguments, counted before any schema runs. */
const MAX_ARGUMENT_ELEMENTS = 2_000
const MAX_BODY_BYTES = 1024 * 1024
registerServerCatalogs()
const en = translator('en')

const SERVER_INSTRUCTIONS = [
  "Impera CRM: a real-estate agency's leads, WhatsApp conversations and properties, as the integration this key belongs to.",
  "Money is in integer cents of the agency's currency (R$ 500.000,00 is 50000000). Ids are UUIDs from the tools' answers.",
  "Everything written through these tools is recorded under the integration's name. WhatsApp free text can only be sent inside the 24-hour window after the contact's last message.",
].join(' ')

/** A service's refusal as a tool error: the English message for people and models, the details as data. */
function toolError(e: AppError): CallToolResult {
  const fields = (e.meta?.fields as Record<string, string[]> | undefined) ?? {}
  const vars = typeof e.meta?.scope === 'string' ? { scope: e.meta.scope } : undefined
  const message = en(e.userMessage ?? 'errors.internal', vars)
  const detail = Object.entries(fields)
    .map(([field, keys]) => [field, keys.filter((k) => k !== e.userMessage).map((k) => en(k))] as const)
    .filter(([, texts]) => texts.length)
    .map(([field, texts]) => `${field}: ${texts.join(' ')}`)
  return {
    isError: true,
    content: [{ type: 'text', text: [`${e.code}: ${message}`, ...detail].join('\n') }],
    structuredContent: { error: { code: e.code, message: e.userMessage ?? 'errors.internal', ...e.meta } },
  }
}

/**
 * What no tool answer carries: the agency's id (the key's own, known), the search columns (copies for the index) and
 * where stored files live (they are served only to the app's pages).
 */
const INTERNAL_KEYS = new Set(['agencyId', 'searchDoc', 'storageKey'])

/** The answer as JSON: dates as ISO strings, internal keys left out. */
function toJson(data: Record<string, unknown>): Record<string, unknown> {
  const text = JSON.stringify(data, (k, v: unknown) => (INTERNAL_KEYS.has(k) ? undefined : v))
  return JSON.parse(text) as Record<string, unknown>
}

/** A server holding the tools `key` may call; each call runs as the integration in its agency's transaction. */
export function mcpServerFor(app: WebApp, key: ResolvedKey, ip: string | null, requestId: string) {
  const server = new McpServer(
    { name: 'impera-crm', title: 'Impera CRM', version: '1.0.0' },
    { instructions: SERVER_INSTRUCTIONS, maxToolInputElements: MAX_ARGUMENT_ELEMENTS },
  )
  for (const tool of visibleTools(key)) {
    server.registerTool(
      tool.name,
      { title: tool.title, description: tool.description, inputSchema: tool.input, annotations: tool.annotations },
      async (args: Record<string, unknown>): Promise<CallToolResult> => {
        try {
          const out = await withIntegration(app.db, key, ip, (ctx) =>
            tool.run(ctx, args as never, (scope) => requireScope(key, scope)),
          )
          return { content: [{ type: 'text', text: out.text }], structuredContent: toJson(out.data) }
        } catch (e) {
          if (isAppError(e)) return toolError(e)
          const refused = databaseInputError(e)
          if (refused) {
            // A schema should have refused this before the database did: the warning points at the gap.
            app.log.warn({ err: e, tool: tool.name, requestId }, 'database refused mcp input')
            return toolError(refused)
          }
          app.log.error({ err: e, tool: tool.name, requestId }, 'mcp tool failed')
          return {
            isError: true,
            content: [{ type: 'text', text: `INTERNAL: ${en('errors.internal')}` }],
            structuredContent: { error: { code: 'INTERNAL', message: 'errors.internal' } },
          }
        }
      },
    )
  }
  return server
}

/** The tools a key's scopes allow: read scopes alone leave only read-only tools. */
export function visibleTools(key: Pick<ResolvedKey, 'scopes'>): McpTool[] {
  return mcpTools.filter((t) => key.scopes.includes(t.scope))
}

/**
 * A Fetch Response written to Express. A body the server left unread (a refusal before the transport ran) is read to
 * its end first, within the body limit, so a keep-alive connection can carry the next request.
 */
async function send(res: ExpressResponse, response: Response, request: Request) {
  if (request.body && !request.bodyUsed && bodyTooLarge(res) === null) await request.arrayBuffer().catch(() => {})
  if (res.headersSent) return void (await response.body?.cancel())
  const body = Buffer.from(await response.arrayBuffer())
  res.status(response.status)
  response.headers.forEach((v, k) => res.setHeader(k, v))
  res.setHeader('cache-control', 'private, no-store')
  res.end(body)
}

async function handle(app: WebApp, req: ExpressRequest, res: ExpressResponse) {
  const request = toFetchRequest(req, res)
  const auth = await authenticateApiRequest(app, request)
  if (!auth.ok) return send(res, auth.response, request)
  for (const [k, v] of Object.entries(auth.headers)) res.setHeader(k, v)
  // Stateless: no event stream to open (GET) and no session to end (DELETE).
  if (req.method !== 'POST')
    return send(
      res,
      problemResponse(problem('method_not_allowed', { detail: 'This MCP server is stateless: POST JSON-RPC.' }), {
        allow: 'POST',
      }),
      request,
    )

  const server = mcpServerFor(app, auth.key, clientIp(req), res.locals.requestId as string)
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
    maxRequestBodySize: MAX_BODY_BYTES,
  })
  try {
    await server.connect(transport)
    const response = await transport.handleRequest(request)
    // A body that passed the server's limit fails as it streams; the transport saw unreadable JSON, the client a 413.
    const limit = bodyTooLarge(res)
    if (limit !== null) return send(res, problemResponse(problem('payload_too_large', { limit })), request)
    await send(res, response, request)
  } finally {
    await server.close()
  }
}

export function mountMcp(server: Express, app: WebApp) {
  server.all(MCP_PATH, (req, res, next) => {
    handle(app, req, res).catch(next)
  })
}
