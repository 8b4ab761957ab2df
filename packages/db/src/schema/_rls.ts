import { sql, type SQL } from 'drizzle-orm'
import { pgPolicy, pgRole, type AnyPgColumn } from 'drizzle-orm/pg-core'

/**
 * Roles are created by `bootstrapRoles` (see ../roles.ts) before migrations run, so drizzle-kit only references them.
 * - app_rls: tenant requests; every tenant table fences it to the agency in `app.agency_id`.
 * - app_platform: platform-admin requests (agencies list, cross-agency counts).
 * - impera_app: the login role the processes connect with; it owns nothing and holds only system grants.
 */
export const appRls = pgRole('app_rls').existing()
export const appPlatform = pgRole('app_platform').existing()
export const imperaApp = pgRole('impera_app').existing()

/** `''` after a connection once held a local setting, hence nullif: "no agency" must mean zero rows, not an error. */
export const currentAgencyId = sql`(select nullif(current_setting('app.agency_id', true), '')::uuid)`
export const currentUserId = sql`(select nullif(current_setting('app.user_id', true), '')::uuid)`

/**
 * The standard policy set of a tenant table: a restrictive fence (ANDed with everything else, so no permissive policy
 * can ever widen access across agencies) plus one permissive policy per command for app_rls, and full access for the
 * platform role only where a table opts in.
 */
export function tenantPolicies(
  table: string,
  agencyId: AnyPgColumn,
  opts: { selectAlso?: SQL; platform?: boolean } = {},
) {
  const fence = sql`${agencyId} = ${currentAgencyId}`
  const selectFence = opts.selectAlso ? sql`(${fence}) or (${opts.selectAlso})` : fence
  const policies = [
    pgPolicy(`${table}_fence_select`, { as: 'restrictive', for: 'select', to: appRls, using: selectFence }),
    pgPolicy(`${table}_fence_insert`, { as: 'restrictive', for: 'insert', to: appRls, withCheck: fence }),
    pgPolicy(`${table}_fence_update`, { as: 'restrictive', for: 'update', to: appRls, using: fence, withCheck: fence }),
    pgPolicy(`${table}_fence_delete`, { as: 'restrictive', for: 'delete', to: appRls, using: fence }),
    pgPolicy(`${table}_member_select`, { as: 'permissive', for: 'select', to: appRls, using: sql`true` }),
    pgPolicy(`${table}_member_insert`, { as: 'permissive', for: 'insert', to: appRls, withCheck: sql`true` }),
    pgPolicy(`${table}_member_update`, {
      as: 'permissive',
      for: 'update',
      to: appRls,
      using: sql`true`,
      withCheck: sql`true`,
    }),
    pgPolicy(`${table}_member_delete`, { as: 'permissive', for: 'delete', to: appRls, using: sql`true` }),
  ]
  if (opts.platform) {
    policies.push(
      pgPolicy(`${table}_platform_all`, {
        as: 'permissive',
        for: 'all',
        to: appPlatform,
        using: sql`true`,
        withCheck: sql`true`,
      }),
    )
  }
  return policies
}
