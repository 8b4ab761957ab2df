import { createLiveEmitter, roomsForConversation, type WhatsappChanged } from '@impera/api/live'
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
      // One read of the conversations' readers and one NOTIFY statement per agency, not a transaction per change: a
      // batch of ingested deliveries carries two changes per new contact (decision 047).
      const byAgency = new Map<string, WhatsAppChange[]>()
      for (const c of changes) byAgency.set(c.agencyId, [...(byAgency.get(c.agencyId) ?? []), c])
      for (const [agencyId, some] of byAgency) {
        // A lost live event costs only freshness (clients refetch on reconnect), never data: log, do not fail the job.
        try {
          const ids = [...new Set(some.map((c) => c.conversationId))]
          const rows = await withAgency(db, { agencyId, userId: null }, (tx) =>
            tx.execute<{ id: string; assigned_to: string | null; agents_see_all: boolean }>(
              sql`select c.id, c.assigned_to, a.agents_see_all from whatsapp_conversations c join agencies a on a.id = c.agency_id
                  where c.agency_id = ${agencyId} and c.id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::uuid)`,
            ),
          )
          const readers = new Map(rows.map((r) => [r.id, r]))
          await emitter.emitMany(
            some.flatMap((c) => {
              const row = readers.get(c.conversationId)
              if (!row) return []
              return [
                {
                  to: roomsForConversation(agencyId, row.assigned_to, row.agents_see_all),
                  event: 'wa:changed' as const,
                  args: [{ conversationId: c.conversationId, messageId: c.messageId, kind: c.kind }] as [
                    WhatsappChanged,
                  ],
                },
              ]
            }),
          )
        } catch (err) {
          log.warn({ err }, 'live emit failed')
        }
      }
    },
  }
}

/** For processes and tests without live updates. */
export const noLive: Live = { whatsapp: async () => {} }
