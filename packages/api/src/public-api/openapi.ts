import { integrationScopes } from '@impera/db/enums'
import { z } from 'zod'
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi'
import { IDEMPOTENCY_HOURS } from './idempotency'
import { problemKinds, problemType, type ProblemCode } from './problem'
import { publicApi } from './routes'
import { ZIdParams } from './schemas'

/**
 * The OpenAPI 3.1 document of /api/v1, generated from the route table and its zod schemas (zod-openapi): each
 * operation's parameters, body, answer, scope and problems. Served at /api/v1/openapi.json, read by the reference
 * page (/api/docs) and by the SDK's type generator (packages/sdk).
 */

const ZFieldProblem = z
  .object({
    path: z.string().meta({ description: 'Dotted path of the field (`phones.1`).' }),
    pointer: z.string().meta({ description: 'The same as a JSON Pointer (`/phones/1`).' }),
    message: z.string().meta({ description: 'A message key, e.g. `validation.required`.' }),
  })
  .meta({ id: 'FieldProblem' })

const ZProblem = z
  .object({
    type: z
      .string()
      .meta({ description: 'A URN naming the kind of problem, e.g. `urn:impera:problem:missing-scope`.' }),
    title: z.string(),
    status: z.number().int(),
    code: z.enum(Object.keys(problemKinds) as [ProblemCode, ...ProblemCode[]]),
    detail: z.string().optional(),
    errors: z.array(ZFieldProblem).optional().meta({ description: 'The refused fields (422).' }),
    scope: z.string().optional().meta({ description: 'The scope the key lacks (403 `missing_scope`).' }),
    reason: z.string().optional().meta({ description: 'A finer reason, e.g. `window_closed`.' }),
    duplicates: z
      .array(z.object({ id: z.uuid().nullable(), name: z.string().nullable(), matchedOn: z.enum(['phone', 'email']) }))
      .optional()
      .meta({ description: 'The leads a new one would duplicate (409 `duplicate`).' }),
  })
  .catchall(z.unknown())
  .meta({ id: 'Problem', description: 'RFC 9457 problem details.' })

const rateHeaders = {
  'RateLimit-Limit': { description: 'Requests per minute this key may make.', schema: { type: 'integer' as const } },
  'RateLimit-Remaining': { description: 'Requests left now.', schema: { type: 'integer' as const } },
  'RateLimit-Reset': {
    description: 'Seconds until the allowance is full again.',
    schema: { type: 'integer' as const },
  },
}

const problemContent = { 'application/problem+json': { schema: ZProblem } }

function problemResponse(codes: ProblemCode[]) {
  return {
    description: codes.map((c) => `\`${c}\`: ${problemKinds[c].title}`).join('; '),
    headers: rateHeaders,
    content: problemContent,
  }
}

const common: ProblemCode[] = ['unauthenticated', 'missing_scope', 'rate_limited']

function operation(route: (typeof publicApi)[number]): ZodOpenApiOperationObject {
  const codes = [...new Set([...common, ...route.problems])]
  const byStatus = new Map<number, ProblemCode[]>()
  for (const c of codes) byStatus.set(problemKinds[c].status, [...(byStatus.get(problemKinds[c].status) ?? []), c])
  const write = route.method !== 'GET'
  return {
    operationId: route.operationId,
    summary: route.summary,
    description: [route.description, `Scope: \`${route.scope}\`.`].filter(Boolean).join('\n\n'),
    tags: [route.tag],
    security: [{ apiKey: [route.scope] }],
    'x-scope': route.scope,
    requestParams: {
      ...(route.path.includes('{id}') ? { path: ZIdParams } : {}),
      ...(route.query ? { query: route.query as z.ZodObject } : {}),
      ...(write
        ? {
            header: z.object({
              'Idempotency-Key': z
                .string()
                .min(1)
                .max(255)
                .meta({
                  description: `Required on writes: a retry with the same key and body gets the first answer back (kept ${IDEMPOTENCY_HOURS} h); the same key with another body is 422.`,
                  example: '0b7e7c39-9f3a-4c53-a2ad-6f1f7f7c1e11',
                }),
            }),
          }
        : {}),
    },
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: route.body } } } } : {}),
    responses: {
      [String(route.status)]: {
        description: route.status === 202 ? 'Accepted' : route.status === 201 ? 'Created' : 'OK',
        headers: {
          ...rateHeaders,
          ...(write
            ? {
                'Idempotent-Replayed': {
                  description: '`true` when this is the stored first answer to a retry.',
                  schema: { type: 'string' as const },
                },
              }
            : {}),
        },
        content: { 'application/json': { schema: route.response } },
      },
      ...Object.fromEntries(
        [...byStatus].sort(([a], [b]) => a - b).map(([status, cs]) => [String(status), problemResponse(cs)]),
      ),
    },
  }
}

/** The document as plain JSON (an OpenAPI 3.1 object). */
export function buildOpenApiDocument(): Record<string, unknown> {
  const paths: ZodOpenApiPathsObject = {}
  for (const route of publicApi) {
    const item = (paths[route.path] ??= {})
    ;(item as Record<string, ZodOpenApiOperationObject>)[route.method.toLowerCase()] = operation(route)
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Impera CRM public API',
      version: '1.0.0',
      description: [
        "An agency's leads, clients, properties, WhatsApp conversations, members and change history, and its outgoing webhook endpoints, for its integrations.",
        '**Keys.** A manager creates an integration in Settings → Integrações and copies its key once. Send it as `Authorization: Bearer imp_live_…` (or `X-Api-Key`). Each operation names the scope it needs; a key acts with a manager’s reach over the agency’s records, only within its scopes, and what it writes is recorded as the integration’s.',
        '**Pages.** Lists page by cursor: pass a page’s `next` as `after` (or `prev` as `before`) with the same `sort` and `dir`.',
        `**Writes** need an \`Idempotency-Key\` header; answers are kept ${IDEMPOTENCY_HOURS} h per key and integration.`,
        '**Errors** are `application/problem+json` (RFC 9457) with a `code`, and `errors[]` with field paths for refused input. Message keys such as `validation.required` are stable.',
        '**Limits.** 600 requests a minute per key (bursts up to 600); every answer to a key carries `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`, and a 429 carries `Retry-After`. Bodies up to 1 MB.',
        `**Problem types:** ${Object.keys(problemKinds)
          .map((c) => `\`${problemType(c as ProblemCode)}\``)
          .join(', ')}.`,
      ].join('\n\n'),
    },
    servers: [{ url: '/api/v1', description: 'This server' }],
    tags: ['Leads', 'Clients', 'Properties', 'Conversations', 'Members', 'Events', 'Webhooks'].map((name) => ({
      name,
    })),
    components: {
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'imp_live_<prefix>_<secret>',
          description: `An integration's key. Scopes: ${integrationScopes.map((s) => `\`${s}\``).join(', ')}.`,
        },
      },
    },
    security: [{ apiKey: [] }],
    paths,
  }) as unknown as Record<string, unknown>
}
