import type postgres from 'postgres'

const APP_LOGIN_ROLE = 'impera_app'
export const TENANT_ROLE = 'app_rls'
export const PLATFORM_ROLE = 'app_platform'

/**
 * Creates the roles the schema's policies name. Idempotent; runs as the owner before migrations.
 * impera_app is NOINHERIT: it gets a tenant's or the platform's privileges only after `SET LOCAL ROLE`, inside a
 * transaction that has also set the agency (src/rls.ts). None of them is superuser, BYPASSRLS or a table owner.
 */
export async function bootstrapRoles(sql: postgres.Sql, appPassword: string): Promise<void> {
  await sql.unsafe(`
    DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${TENANT_ROLE}') THEN
        CREATE ROLE ${TENANT_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT;
      END IF;
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${PLATFORM_ROLE}') THEN
        CREATE ROLE ${PLATFORM_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT;
      END IF;
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_LOGIN_ROLE}') THEN
        CREATE ROLE ${APP_LOGIN_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT NOCREATEDB NOCREATEROLE;
      END IF;
    END $$;
  `)
  // ALTER ROLE cannot take a bind parameter; the password comes from our own env, never from a request.
  await sql.unsafe(`ALTER ROLE ${APP_LOGIN_ROLE} WITH LOGIN PASSWORD '${appPassword.replaceAll("'", "''")}'`)
  await sql.unsafe(`GRANT ${TENANT_ROLE}, ${PLATFORM_ROLE} TO ${APP_LOGIN_ROLE}`)
}

/** The runtime URL: same server and database as the owner URL, logged in as the non-owner role. */
export function appUrlFrom(ownerUrl: string, appPassword: string): string {
  const url = new URL(ownerUrl)
  url.username = APP_LOGIN_ROLE
  url.password = appPassword
  return url.toString()
}
