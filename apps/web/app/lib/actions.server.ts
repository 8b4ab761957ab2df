import { data, type AppLoadContext } from '@remix-run/node'
import type { FormResult } from './forms'

const statusOf: Record<string, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TOO_MANY_REQUESTS: 429,
  PAYLOAD_TOO_LARGE: 413,
}

/**
 * Runs a procedure call from an action and turns failures into form data with the right 4xx: field errors inline,
 * anything else as a form-level message. Unexpected errors are logged and shown generically (never a stack).
 */
export async function runAction<T>(context: AppLoadContext, fn: () => Promise<T>, onOk: (value: T) => FormResult | Response): Promise<ReturnType<typeof data<FormResult>> | Response> {
  try {
    const value = await fn()
    const out = onOk(value)
    return out instanceof Response ? out : data(out)
  } catch (e) {
    const d = context.app.services.describeError(e)
    if (d.code === 'INTERNAL_SERVER_ERROR') context.app.log.error({ err: e, requestId: context.scope.requestId }, 'action failed')
    const hasFields = Object.keys(d.fieldErrors).length > 0
    return data<FormResult>({ ok: false, fieldErrors: d.fieldErrors, formError: hasFields || d.meta?.reason === 'duplicate' ? undefined : d.message, meta: d.meta ?? undefined }, { status: statusOf[d.code] ?? 500 })
  }
}
