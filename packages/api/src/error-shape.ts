import { TRPCError } from '@trpc/server'
import { z, ZodError } from 'zod'
import { AppError } from './errors'

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
  const code = trpc?.code ?? 'INTERNAL_SERVER_ERROR'
  if (cause instanceof ZodError) {
    const flat = z.flattenError(cause)
    return { code, message: 'errors.invalidInput', fieldErrors: flat.fieldErrors as Record<string, string[]>, formErrors: flat.formErrors, meta: null }
  }
  if (cause instanceof AppError) {
    const fields = (cause.meta?.fields as Record<string, string[]> | undefined) ?? {}
    return { code, message: cause.userMessage ?? 'errors.internal', fieldErrors: fields, formErrors: Object.keys(fields).length ? [] : [cause.userMessage ?? 'errors.internal'], meta: cause.meta ?? null }
  }
  if (trpc && code !== 'INTERNAL_SERVER_ERROR') return { code, message: trpc.message, fieldErrors: {}, formErrors: [trpc.message], meta: null }
  return { code: 'INTERNAL_SERVER_ERROR', message: 'errors.internal', fieldErrors: {}, formErrors: ['errors.internal'], meta: null }
}
