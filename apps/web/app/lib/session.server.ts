import type { AppLoadContext } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { can, type Action } from '@impera/api/permissions'
import { agencyCookie } from './cookies.server'

/** The signed-in identity, or a redirect to the login page that comes back here afterwards. */
export async function requireIdentity(context: AppLoadContext, request: Request) {
  const identity = await context.scope.identity()
  if (!identity) {
    const url = new URL(request.url)
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`)
  }
  return identity
}

/**
 * Who is here and in which agency: the agency cookie if it names an active membership, else the first one. The
 * membership is re-checked by every procedure; this only decides navigation.
 */
export async function requireMember(context: AppLoadContext, request: Request) {
  const identity = await requireIdentity(context, request)
  const me = (await context.scope.me())!
  const landing = context.app.services.resolveLanding(me, context.scope.agencyId)
  if (landing.kind === 'admin') throw redirect('/admin/agencies')
  if (landing.kind === 'refused') throw redirect(`/logout?reason=${landing.reason}`)
  if (landing.agencyId !== context.scope.agencyId) {
    // Persist the choice, then reload so procedures (which read the cookie) see it.
    throw redirect(new URL(request.url).pathname + new URL(request.url).search, {
      headers: { 'set-cookie': agencyCookie(landing.agencyId, context.app.env.production) },
    })
  }
  const membership = me.memberships.find((m) => m.agencyId === landing.agencyId)!
  return { identity, me, membership, role: membership.role }
}

export async function requirePermission(context: AppLoadContext, request: Request, action: Action) {
  const member = await requireMember(context, request)
  if (!can(member.role, action)) throw new Response('Forbidden', { status: 403 })
  return member
}

export async function requirePlatformAdmin(context: AppLoadContext, request: Request) {
  const identity = await requireIdentity(context, request)
  const me = (await context.scope.me())!
  if (!me.user.isPlatformAdmin) throw new Response('Forbidden', { status: 403 })
  return { identity, me }
}
