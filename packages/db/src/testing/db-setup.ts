import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { inject } from 'vitest'
import { createDb, type DbHandle } from '../client'
import { appUrlFrom } from '../roles'
import { TEMPLATE_DB } from './global-setup'

// What global-setup.ts provides. Declared here, beside its reader, so that the declarations of this module carry it to
// every package that reads inject('pg') (they see db's .d.ts, not global-setup.ts, under tsc -b).
declare module 'vitest' {
  export interface ProvidedContext {
    pg: { ownerUrlTemplate: string; appPassword: string }
  }
}

export interface TestDatabase {
  name: string
  /** Superuser: bypasses RLS. For fixtures and checksums only, never for the code under test. */
  owner: DbHandle
  /** The runtime login role, exactly as the app connects. */
  app: DbHandle
  ownerUrl: string
  appUrl: string
  close: () => Promise<void>
}

export async function createTestDatabase(opts: { appPoolMax?: number } = {}): Promise<TestDatabase> {
  const { ownerUrlTemplate, appPassword } = inject('pg')
  const name = `t_${randomBytes(6).toString('hex')}`
  const admin = postgres(ownerUrlTemplate.replace('__DB__', 'postgres'), { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database ${name} template ${TEMPLATE_DB}`)
  await admin.end()
  const ownerUrl = ownerUrlTemplate.replace('__DB__', name)
  const appUrl = appUrlFrom(ownerUrl, appPassword)
  const owner = createDb(ownerUrl, { max: 2 })
  const app = createDb(appUrl, { max: opts.appPoolMax ?? 4 })
  return {
    name,
    owner,
    app,
    ownerUrl,
    appUrl,
    close: async () => {
      await app.close()
      await owner.close()
    },
  }
}
