import type { JobContract } from '@impera/api/jobs'
import type { FileStorage } from '@impera/api/storage'
import type { Db } from '@impera/db'
import type { Logger } from 'pino'
import type { z } from 'zod'
import type { Mailer } from './mailer'

export interface JobDeps {
  /** The runtime (non-owner) database; tenant work goes through withAgency like any request. */
  db: Db
  log: Logger
  mailer: Mailer
  storage: FileStorage
}

export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  contract: JobContract<S>
  handler: (payload: z.infer<S>, deps: JobDeps & { attempts: number; jobId: string }) => Promise<void>
}

export function defineJob<S extends z.ZodType>(contract: JobContract<S>, handler: JobDefinition<S>['handler']): JobDefinition<S> {
  return { contract, handler }
}
