import { describeError, httpStatusOf } from '@impera/api'
import type { ServerBuild } from '@remix-run/node'

type Handler = (args: never) => unknown

const wrapped = new WeakMap<ServerBuild, ServerBuild>()

/**
 * A procedure's refusal inside a loader or action (a forged cursor → 400, another member's data → 403, a missing
 * record → 404) answers with that status, as the same call over tRPC does, instead of the 500 Remix gives any thrown
 * error. Applied to every route of the build at this one seam, so new routes get it too. Errors that are not a
 * client's mistake pass through unchanged (logged by handleError, shown as a 500).
 */
export function withClientErrors(build: ServerBuild): ServerBuild {
  const known = wrapped.get(build)
  if (known) return known
  const routes = Object.fromEntries(
    Object.entries(build.routes).map(([id, route]) => {
      if (!route) return [id, route]
      const module = { ...route.module, loader: wrap(route.module.loader), action: wrap(route.module.action) }
      return [id, { ...route, module }]
    }),
  ) as ServerBuild['routes']
  const result = { ...build, routes }
  wrapped.set(build, result)
  return result
}

function wrap<F extends Handler | undefined>(fn: F): F {
  if (!fn) return fn
  return (async (args: never) => {
    try {
      return await fn(args)
    } catch (e) {
      if (e instanceof Response) throw e
      const status = httpStatusOf[describeError(e).code]
      if (status) throw new Response(null, { status })
      throw e
    }
  }) as F
}
