import type { Db } from '@impera/db'
import type { Logger } from 'pino'
import type { AuthProvider, Identity } from './auth/types'
import type { PushSettings } from './push'
import type { TargetPolicy } from './webhooks/targets'
import type { SecretBox } from './whatsapp/secrets'
import type { WhatsAppGraph } from './whatsapp/types'

export interface AppUrls {
  /** Absolute origin used in e-mails (e.g. https://crm.example.com). */
  origin: string
}

/** Everything a request needs, built by the web server at its edge; nothing here reads env or imports from apps. */
export interface CreateContextOptions {
  db: Db
  auth: AuthProvider
  identity: Identity | null
  /** From the agency cookie; not trusted until agencyProcedure verifies the membership. */
  unverifiedAgencyId: string | null
  request: Request
  requestId: string
  ip: string | null
  log: Logger
  urls: AppUrls
  /** Seals provider credentials (WhatsApp) with the key from env. */
  secrets: SecretBox
  /**
   * Where the WhatsApp Cloud API (Graph) answers, to check that a number's token really reaches it before the number is
   * claimed. Null where no number is ever added (benchmarks, query-plan tests): Cloud API numbers are then refused.
   * Required, so no entry point forgets it.
   */
  whatsappGraph: WhatsAppGraph | null
  /** Where webhook endpoints may point (WEBHOOKS_ALLOW_PRIVATE_TARGETS); absent: no private targets. */
  webhookTargets?: TargetPolicy
  /** Web push (VAPID public key, allowed push services); null or absent: not configured on this install. */
  push?: Pick<PushSettings, 'publicKey' | 'extraServices'> | null
}

export function createContext(opts: CreateContextOptions) {
  return { ...opts }
}

export type Context = ReturnType<typeof createContext>
