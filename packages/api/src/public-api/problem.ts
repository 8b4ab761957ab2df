import { ZodError } from 'zod'
import { databaseInputError } from '../db-errors'
import { AppError, type AppErrorCode } from '../errors'
import type { RateDecision } from '../integrations'

/**
 * Errors of the public API (and the MCP server) as RFC 9457 problem details (`application/problem+json`). `type` is a
 * stable URN per kind of problem, `code` the same as a short name, and `errors` the field paths of a refused body or
 * query. Messages are the app's message keys (`validation.required`), stable and translatable by the integrator.
 * Nothing internal (SQL, stacks, which check refused a key) ever reaches a problem.
 */
export interface FieldProblem {
  /** Dotted path of the field in the body or query (`phones.1`, `budgetMax`); empty for the whole input. */
  path: string
  /** The same as a JSON Pointer (`/phones/1`). */
  pointer: string
  /** A message key (`validation.required`, `leads.contactRequired`). */
  message: string
}

export interface Problem {
  type: string
  title: string
  status: number
  code: string
  detail?: string
  errors?: FieldProblem[]
  [extension: string]: unknown
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json'

/** Every kind of problem the API answers with: its code, status and title (the OpenAPI document lists them). */
export const problemKinds = {
  bad_request: { status: 400, title: 'Bad request' },
  invalid_json: { status: 400, title: 'The body is not valid JSON' },
  idempotency_key_required: { status: 400, title: 'Writes need an Idempotency-Key header' },
  unauthenticated: { status: 401, title: 'Unauthenticated' },
  missing_scope: { status: 403, title: 'The key lacks a scope this operation needs' },
  forbidden: { status: 403, title: 'Forbidden' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'Conflict' },
  duplicate: { status: 409, title: 'A record with this phone or e-mail exists' },
  payload_too_large: { status: 413, title: 'The body is too large' },
  unsupported_media_type: { status: 415, title: 'Bodies must be application/json' },
  validation_failed: { status: 422, title: 'The input is not valid' },
  idempotency_key_reused: { status: 422, title: 'This Idempotency-Key was used with a different request' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal error' },
} as const satisfies Record<string, { status: number; title: string }>
export type ProblemCode = keyof typeof problemKinds

export function problemType(code: ProblemCode): string {
  return `urn:impera:problem:${code.replace(/_/g, '-')}`
}

export function problem(code: ProblemCode, extra: Omit<Partial<Problem>, 'type' | 'status' | 'code'> = {}): Problem {
  const kind = problemKinds[code]
  return { type: problemType(code), title: kind.title, status: kind.status, code, ...extra }
}

function fieldProblem(path: readonly PropertyKey[], message: string): FieldProblem {
  const segments = path.map(String)
  return {
    path: segments.join('.'),
    pointer: segments.length ? `/${segments.map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}` : '',
    message,
  }
}

/**
 * The field problems of a zod refusal. Inputs handed to services wrap the record in `data` (`{ id, data }`); that
 * segment is the API's own wrapping, not the integrator's, so it is dropped.
 */
export function zodFieldProblems(error: ZodError, prefix: readonly string[] = []): FieldProblem[] {
  return error.issues.map((issue) => {
    const path = issue.path[0] === 'data' ? issue.path.slice(1) : issue.path
    return fieldProblem([...prefix, ...path], issue.message)
  })
}

const statusByCode: Record<AppErrorCode, ProblemCode> = {
  NOT_FOUND: 'not_found',
  FORBIDDEN: 'forbidden',
  UNAUTHENTICATED: 'unauthenticated',
  CONFLICT: 'conflict',
  INVALID_INPUT: 'validation_failed',
  RATE_LIMITED: 'rate_limited',
  INTERNAL: 'internal',
}

/**
 * The problem for anything a request's handling threw: a service's AppError (its message key as `detail`, its field
 * errors as `errors`, the safe parts of its meta), a schema's ZodError, a database refusal of input (the same mapping
 * as the tRPC seam), or — for anything else — null: the caller logs it and answers a bare 500.
 */
export function problemOf(e: unknown): Problem | null {
  if (e instanceof ZodError) return problem('validation_failed', { errors: zodFieldProblems(e) })
  const app = e instanceof AppError ? e : databaseInputError(e)
  if (!app) return null
  if (app.code === 'INTERNAL') return null
  // A key is refused the same way whatever failed: no hint for someone guessing.
  if (app.code === 'UNAUTHENTICATED') return problem('unauthenticated')
  const meta = app.meta ?? {}
  if (app.code === 'FORBIDDEN' && meta.reason === 'missing_scope')
    return problem('missing_scope', { detail: `This key needs the scope ${String(meta.scope)}.`, scope: meta.scope })
  if (app.code === 'CONFLICT' && meta.reason === 'duplicate')
    return problem('duplicate', { detail: app.userMessage, duplicates: meta.duplicates })
  const fields = (meta.fields as Record<string, string[]> | undefined) ?? {}
  const errors = Object.entries(fields).flatMap(([field, messages]) =>
    messages.map((m) => fieldProblem(field.split('.'), m)),
  )
  const extra: Record<string, unknown> = {}
  if (typeof meta.reason === 'string') extra.reason = meta.reason
  if (typeof meta.entity === 'string') extra.entity = meta.entity
  return problem(statusByCode[app.code], {
    ...(app.userMessage ? { detail: app.userMessage } : {}),
    ...(errors.length ? { errors } : {}),
    ...extra,
  })
}

/** The rate-limit headers every answer to a key carries (IETF RateLimit fields), plus Retry-After on a refusal. */
export function rateLimitHeaders(rate: RateDecision): Record<string, string> {
  return {
    'ratelimit-limit': String(rate.limit),
    'ratelimit-remaining': String(Math.max(0, rate.remaining)),
    'ratelimit-reset': String(rate.resetSeconds),
    ...(rate.allowed ? {} : { 'retry-after': String(rate.resetSeconds) }),
  }
}

/** A problem as a Fetch Response. */
export function problemResponse(p: Problem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(p), {
    status: p.status,
    headers: {
      'content-type': PROBLEM_CONTENT_TYPE,
      'cache-control': 'private, no-store',
      ...(p.status === 401 ? { 'www-authenticate': 'Bearer realm="impera"' } : {}),
      ...headers,
    },
  })
}
