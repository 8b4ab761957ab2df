import { createLiveEmitter, rooms, ZWhatsappChanged } from '@impera/api/live'
import type { WhatsAppChange } from '@impera/api/services'
import type pg from 'pg'
import type { Logger } from 'pino'

/** What jobs tell the web instances' sockets: ids of changed records, per agency (clients refetch what they may see). */
export interface Live {
  whatsapp(changes: WhatsAppChange[]): Promise<void>
}

export function createLive(pool: pg.Pool, log: Logger): Live {
  const emitter = createLiveEmitter(pool)
  return {
    async whatsapp(changes) {
      for (const c of changes) {
        // A lost live event costs only freshness (clients refetch on reconnect), never data: log, do not fail the job.
        await emitter.emit(rooms.agency(c.agencyId), 'wa:changed', ZWhatsappChanged.parse({ conversationId: c.conversationId, messageId: c.messageId, kind: c.kind })).catch((err: unknown) => log.warn({ err }, 'live emit failed'))
      }
    },
  }
}

/** For processes and tests without live updates. */
export const noLive: Live = { whatsapp: async () => {} }
