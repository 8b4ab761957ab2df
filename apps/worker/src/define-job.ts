import type { JobContract } from '@impera/api/jobs'
import type { PushSender } from '@impera/api/push'
import type { FileStorage } from '@impera/api/storage'
import type { WebhookRuntime } from '@impera/api/webhooks'
import type { WhatsAppRuntime } from '@impera/api/whatsapp'
import type { Db } from '@impera/db'
import type { Logger } from 'pino'
import type { z } from 'zod'
import type { Live } from './live'
import type { Mailer } from './mailer'

/** Schedules a follow-up job from a handler (graphile's addJob, typed loosely: contracts validate payloads). */
type AddJob = (id: string, payload: unknown, opts?: { runAt?: Date; jobKey?: string }) => Promise<void>

interface JobDeps {
  /** The runtime (non-owner) database; tenant work goes through withAgency like any request. */
  db: Db
  log: Logger
  mailer: Mailer
  storage: FileStorage
  whatsapp: WhatsAppRuntime
  /** Outgoing webhooks: the secrets' key and where endpoints may point. */
  webhooks: WebhookRuntime
  live: Live
  /** Web push to members' devices (decision 035); null when the install has no VAPID key. */
  push: PushSender | null
  /** The web app's public origin, for links in e-mails. */
  origin: string
  /** This process's instance id, stamped on the WhatsApp sends it claims (see instance.ts). */
  instanceId?: string
}

export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  contract: JobContract<S>
  handler: (
    payload: z.infer<S>,
    deps: JobDeps & { attempts: number; maxAttempts: number; jobId: string; addJob: AddJob },
  ) => Promise<void>
}

export function defineJob<S extends z.ZodType>(
  contract: JobContract<S>,
  handler: JobDefinition<S>['handler'],
): JobDefinition<S> {
  return { contract, handler }
}
