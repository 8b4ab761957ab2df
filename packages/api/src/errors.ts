/**
 * The one error type services throw. `message` is for logs; `userMessage` (an i18n key or sentence) is what a person
 * sees. The tRPC seam (error-shape.ts, used by trpc.ts) maps `code` to a transport code; nothing else knows about HTTP or
 * tRPC.
 */
export const appErrorCodes = [
  'NOT_FOUND',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'CONFLICT',
  'INVALID_INPUT',
  'RATE_LIMITED',
  'INTERNAL',
] as const
export type AppErrorCode = (typeof appErrorCodes)[number]

export interface AppErrorOptions {
  userMessage?: string
  /** Machine-readable detail for clients (e.g. `{ reason: 'agency_suspended' }`, `{ fields: { email: [...] } }`). */
  meta?: Record<string, unknown>
  cause?: unknown
}

export class AppError extends Error {
  readonly code: AppErrorCode
  readonly userMessage: string | undefined
  readonly meta: Record<string, unknown> | undefined

  constructor(code: AppErrorCode, message: string, opts: AppErrorOptions = {}) {
    super(message, { cause: opts.cause })
    this.name = 'AppError'
    this.code = code
    this.userMessage = opts.userMessage
    this.meta = opts.meta
  }
}

export const notFound = (entity: string) =>
  new AppError('NOT_FOUND', `${entity} not found`, { userMessage: 'errors.notFound', meta: { entity } })
export const forbidden = (message: string, meta?: Record<string, unknown>) =>
  new AppError('FORBIDDEN', message, { userMessage: 'errors.forbidden', meta })

/** A field-level validation failure raised after parsing (e.g. "this e-mail is already a member"). */
export function invalidField(field: string, message: string): AppError {
  return new AppError('INVALID_INPUT', `${field}: ${message}`, {
    userMessage: message,
    meta: { fields: { [field]: [message] } },
  })
}

/** A field whose value is already taken (a slug, a code): 409, shown on the field like a validation error. */
export function conflictField(field: string, message: string): AppError {
  return new AppError('CONFLICT', `${field}: ${message}`, {
    userMessage: message,
    meta: { fields: { [field]: [message] } },
  })
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError
}
