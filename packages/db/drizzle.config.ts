import { defineConfig } from 'drizzle-kit'

// drizzle-kit only generates SQL here (`generate`, `check`); migrations are applied by src/migrate.ts, never `push`
// (docs/decisions/002-committed-migrations.md).
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema/index.ts',
  out: './migrations',
  casing: 'snake_case',
})
