import { fileURLToPath } from 'node:url'
import { readMigrationFiles } from 'drizzle-orm/migrator'
import { drizzle } from 'drizzle-orm/postgres-js'
import { migrate } from 'drizzle-orm/postgres-js/migrator'
import { Logger, runMigrations as runWorkerMigrations } from 'graphile-worker'
import postgres from 'postgres'
import { bootstrapRoles } from './roles'

const MIGRATIONS_FOLDER = fileURLToPath(new URL('../migrations', import.meta.url))

/**
 * Brings a database to the current schema as its owner: roles, graphile-worker's own schema (our enqueue wrapper
 * calls into it), then our committed SQL migrations. Safe to run repeatedly and concurrently-ish (drizzle records
 * applied migrations; graphile-worker takes a lock).
 */
export async function migrateDatabase(opts: { ownerUrl: string; appPassword: string; log?: (msg: string) => void }) {
  const log = opts.log ?? (() => {})
  const sql = postgres(opts.ownerUrl, { max: 1, onnotice: () => {} })
  try {
    await bootstrapRoles(sql, opts.appPassword)
    await runWorkerMigrations({ connectionString: opts.ownerUrl, logger: silentLogger() })
    await migrate(drizzle(sql), { migrationsFolder: MIGRATIONS_FOLDER })
    // /readyz, running as the login role, compares the applied list with the committed files.
    await sql.unsafe(
      `GRANT USAGE ON SCHEMA drizzle TO impera_app; GRANT SELECT ON drizzle.__drizzle_migrations TO impera_app`,
    )
    log('migrations applied')
  } finally {
    await sql.end({ timeout: 5 })
  }
}

/** Number of committed migrations not yet applied (for /readyz). */
export async function pendingMigrations(sql: postgres.Sql): Promise<number> {
  const files = readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER })
  const rows = await sql<{ hash: string }[]>`select hash from drizzle.__drizzle_migrations`.catch(() => [])
  const applied = new Set(rows.map((r) => r.hash))
  return files.filter((f) => !applied.has(f.hash)).length
}

function silentLogger() {
  // Migrations are quiet unless they fail, and then they throw.
  return new Logger(() => () => {})
}
