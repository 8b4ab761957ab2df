import { createLiveEmitter, roomsForConversation } from '@impera/api/live'
import type { WhatsAppChange } from '@impera/api/services'
import { sql, withAgency, type Db } from '@impera/db'
import type pg from 'pg'
import type { Logger } from 'pino'

/** What jobs tell the web instances' sockets: ids of changed records, to the people who may read them. */
export interface Live {
  whatsapp(changes: WhatsAppChange[]): Promise<void>
}

export function createLive(pool: pg.Pool, db: Db, log: Logger): Live {
  const emitter = createLiveEmitter(pool)
  return {
    async whatsapp(changes) {
      for (const c of changes) {
        // A lost live event costs only freshness (clients refetch on reconnect), never data: log, do not fail the job.
        try {
          const [row] = await withAgency(db, { agencyId: c.agencyId, userId: null }, (tx) =>
            tx.execute<{ assigned_to: string | null; agents_see_all: boolean }>(
              sql`select c.assigned_to, a.agents_see_all from whatsapp_conversations c join agencies a on a.id = c.agency_id where c.agency_id = ${c.agencyId} and c.id = ${c.conversationId}`,
            ),
          )
          if (!row) continue
          await emitter.emit(roomsForConversation(c.agencyId, row.assigned_to, row.agents_see_all), 'wa:changed', {
            conversationId: c.conversationId,
            messageId: c.messageId,
            kind: c.kind,
          })
        } catch (err) {
          log.warn({ err }, 'live emit failed')
        }
      }
    },
  }
}

/** For processes and tests without live updates. */
export const noLive: Live = { whatsapp: async () => {} }
