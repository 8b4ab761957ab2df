import { data, type AppLoadContext } from '@remix-run/node'
import type { FormResult } from './forms'

/**
 * Runs a procedure call from an action and turns failures into form data with the right 4xx: field errors inline,
 * anything else as a form-level message. Unexpected errors are logged and shown generically (never a stack).
 */
export async function runAction<T>(
  context: AppLoadContext,
  fn: () => Promise<T>,
  onOk: (value: T) => FormResult | Response,
): Promise<ReturnType<typeof data<FormResult>> | Response> {
  try {
    const value = await fn()
    const out = onOk(value)
    return out instanceof Response ? out : data(out)
  } catch (e) {
    const d = context.app.services.describeError(e)
    if (d.code === 'INTERNAL_SERVER_ERROR')
      context.app.log.error({ err: e, requestId: context.scope.requestId }, 'action failed')
    const hasFields = Object.keys(d.fieldErrors).length > 0
    return data<FormResult>(
      {
        ok: false,
        fieldErrors: d.fieldErrors,
        formError: hasFields || d.meta?.reason === 'duplicate' ? undefined : d.message,
        meta: d.meta ?? undefined,
      },
      { status: context.app.services.httpStatusOf[d.code] ?? 500 },
    )
  }
}

/**
 * An action's form body. Every action here takes a form, so another content type is answered 415 and a body that does
 * not parse (a truncated multipart upload, bytes that are not a form) 400 — the client's mistake, not a crash.
 */
export async function readForm(request: Request): Promise<FormData> {
  const type = request.headers.get('content-type') ?? ''
  if (!/^\s*(application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i.test(type))
    throw new Response('Expected a form submission.', { status: 415 })
  try {
    return await request.formData()
  } catch {
    throw new Response('The form could not be read.', { status: 400 })
  }
}
