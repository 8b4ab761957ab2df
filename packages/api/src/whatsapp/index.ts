import { and, eq, isNull, sql, whatsappSandboxInbox, type DbOrTx, type WhatsappAccount } from '@impera/db'
import type { FileStorage } from '../storage'
import { createCloudApiProvider } from './cloud-api'
import { createSandboxProvider } from './sandbox'
import type { SecretBox } from './secrets'
import type { WhatsAppProvider } from './types'

export * from './types'
export { createSecretBox, type SecretBox } from './secrets'
export { lookupPhoneNumber } from './cloud-api'
export { sandboxInboundBody } from './sandbox'

/** What WhatsApp code needs from its process: secrets, the Graph endpoint, file storage. Built at each app's edge. */
export interface WhatsAppRuntime {
  secrets: SecretBox
  graphUrl: string
  graphVersion: string
  storage: FileStorage
  fetch?: typeof fetch
}

/** The provider implementation of an account, with its secrets opened. `db` is needed by the sandbox's outbox. */
export function providerFor(runtime: WhatsAppRuntime, account: WhatsappAccount, db: DbOrTx): WhatsAppProvider {
  const open = (v: string | null) => (v ? runtime.secrets.open(v) : '')
  if (account.provider === 'sandbox') {
    return createSandboxProvider({
      phoneNumberId: account.phoneNumberId,
      displayNumber: account.displayNumber,
      appSecret: open(account.appSecretEnc),
      verifyToken: open(account.verifyTokenEnc),
      outbox: {
        async push(body, delayMs) {
          await db.insert(whatsappSandboxInbox).values({
            agencyId: account.agencyId,
            accountId: account.id,
            body,
            availableAt: sql`now() + ${`${delayMs} milliseconds`}::interval`,
          })
        },
        async take() {
          const due = await db
            .update(whatsappSandboxInbox)
            .set({ consumedAt: new Date() })
            .where(
              and(
                eq(whatsappSandboxInbox.agencyId, account.agencyId),
                eq(whatsappSandboxInbox.accountId, account.id),
                isNull(whatsappSandboxInbox.consumedAt),
                sql`${whatsappSandboxInbox.availableAt} <= now()`,
              ),
            )
            .returning({ id: whatsappSandboxInbox.id, body: whatsappSandboxInbox.body })
          return due.sort((a, b) => a.id - b.id).map((d) => d.body)
        },
      },
    })
  }
  return createCloudApiProvider({
    graphUrl: runtime.graphUrl,
    version: runtime.graphVersion,
    phoneNumberId: account.phoneNumberId,
    wabaId: account.wabaId,
    accessToken: open(account.accessTokenEnc),
    appSecret: open(account.appSecretEnc),
    verifyToken: open(account.verifyTokenEnc),
    fetch: runtime.fetch,
  })
}

export { seedDemoWhatsapp } from './demo'
