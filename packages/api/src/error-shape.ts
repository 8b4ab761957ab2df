import { TRPCError } from '@trpc/server'
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc'
import { ZodError } from 'zod'
import { AppError, type AppErrorCode } from './errors'

const codeMap: Record<AppErrorCode, TRPC_ERROR_CODE_KEY> = {
  NOT_FOUND: 'NOT_FOUND',
  FORBIDDEN: 'FORBIDDEN',
  UNAUTHENTICATED: 'UNAUTHORIZED',
  CONFLICT: 'CONFLICT',
  INVALID_INPUT: 'BAD_REQUEST',
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
}

/** The seam: every AppError thrown below a procedure becomes a TRPCError here, with its code from `codeMap`. */
export function toTRPCError(e: unknown): unknown {
  if (e instanceof AppError)
    return new TRPCError({ code: codeMap[e.code], message: e.userMessage ?? e.message, cause: e })
  return e
}

/** The HTTP status of each code a described error can carry; anything not listed is a 500. */
export const httpStatusOf: Record<string, number> = {
  BAD_REQUEST: 400,
  PARSE_ERROR: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_SUPPORTED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNPROCESSABLE_CONTENT: 422,
  TOO_MANY_REQUESTS: 429,
}

export interface ErrorShape {
  /** tRPC code, e.g. BAD_REQUEST */
  code: string
  /** An i18n key or sentence safe to show. */
  message: string
  fieldErrors: Record<string, string[]>
  formErrors: string[]
  meta: Record<string, unknown> | null
}

/**
 * One description of a failure for every consumer: the HTTP error formatter and Remix actions that call procedures
 * through `createCaller`. Zod issues are flattened per field so forms show them inline.
 */
export function describeError(e: unknown): ErrorShape {
  const trpc = e instanceof TRPCError ? e : null
  const cause = trpc?.cause ?? e
  // A service a Remix loader or action calls directly throws its AppError bare: it keeps its own code, as through the
  // tRPC seam, instead of passing for an internal error.
  const code = trpc?.code ?? (e instanceof AppError ? codeMap[e.code] : 'INTERNAL_SERVER_ERROR')
  if (cause instanceof ZodError) {
    const { fieldErrors, formErrors } = flattenIssues(cause)
    return { code, message: 'errors.invalidInput', fieldErrors, formErrors, meta: null }
  }
  if (cause instanceof AppError) {
    const fields = (cause.meta?.fields as Record<string, string[]> | undefined) ?? {}
    return {
      code,
      message: cause.userMessage ?? 'errors.internal',
      fieldErrors: fields,
      formErrors: Object.keys(fields).length ? [] : [cause.userMessage ?? 'errors.internal'],
      meta: cause.meta ?? null,
    }
  }
  if (trpc && code !== 'INTERNAL_SERVER_ERROR')
    return { code, message: trpc.message, fieldErrors: {}, formErrors: [trpc.message], meta: null }
  return {
    code: 'INTERNAL_SERVER_ERROR',
    message: 'errors.internal',
    fieldErrors: {},
    formErrors: ['errors.internal'],
    meta: null,
  }
}

/**
 * Issues keyed by the form field they belong to. Update-style inputs wrap the form in `data` ({ id, data }), so a
 * leading `data` segment is dropped; array positions (phones.1) report on the field itself.
 */
function flattenIssues(error: ZodError): { fieldErrors: Record<string, string[]>; formErrors: string[] } {
  const fieldErrors: Record<string, string[]> = {}
  const formErrors: string[] = []
  for (const issue of error.issues) {
    const path = issue.path[0] === 'data' ? issue.path.slice(1) : issue.path
    const key = path[0]
    if (key === undefined) formErrors.push(issue.message)
    else (fieldErrors[String(key)] ??= []).push(issue.message)
  }
  return { fieldErrors, formErrors }
}
