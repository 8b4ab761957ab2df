import { parseEnv } from '@impera/config/env'
import { z } from 'zod'

const schema = z.object({
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL (the owner/admin connection)'),
  APP_DB_PASSWORD: z.string().min(8),
})

/** For `pnpm db:migrate` / `pnpm db:seed` run directly; `pnpm dev` supplies these itself for the embedded database. */
export function loadDbCliEnv() {
  return parseEnv(schema, process.env, 'db')
}
