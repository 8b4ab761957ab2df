import type { DbOrTx } from '@impera/db'
import type { LeadSource, LeadStatus } from '@impera/db/enums'
import { activityChanged } from './services/live'

/**
 * Domain events: the one "something changed" seam. Each fact has one owner module (lead-facts for leads) that writes
 * the fact, its history row, its audit entry and its notifications, then emits the event here, inside the same
 * transaction — so an event exists exactly when its change commits, whichever path made it (the UI, a WhatsApp
 * message, an import, a portal, the public API, the AI agent, an automation).
 *
 * What reacts to an event is listed in `emitDomainEvent`, in one place: today the live signal that dashboards and
 * timelines refetch on; the outgoing-webhook outbox and automation triggers join here (decision 015).
 */

/** Where a change came from, for history ("por WhatsApp"), reports and loops (an automation ignores its own events). */
export const changeOrigins = ['ui', 'whatsapp', 'import', 'portal', 'api', 'ai', 'automation', 'system'] as const
export type ChangeOrigin = (typeof changeOrigins)[number]

interface Base {
  agencyId: string
  /** The member who made the change, or null for the system (an inbound message, a job). */
  actorUserId: string | null
  origin: ChangeOrigin
}

export type DomainEvent = Base &
  (
    | { type: 'lead.created'; leadId: string; status: LeadStatus; source: LeadSource; assignedTo: string | null }
    | { type: 'lead.updated'; leadId: string; fields: string[] }
    | { type: 'lead.status_changed'; leadId: string; from: LeadStatus; to: LeadStatus }
    | { type: 'lead.assigned'; leadId: string; from: string | null; to: string | null }
    | { type: 'lead.converted'; leadId: string; clientId: string }
    | { type: 'lead.deleted'; leadId: string }
    | { type: 'lead.restored'; leadId: string }
    | { type: 'lead.property_linked'; leadId: string; propertyId: string }
    | { type: 'lead.property_unlinked'; leadId: string; propertyId: string }
  )

export type DomainEventType = DomainEvent['type']

/** Events that move the figures and the activity feed (an edit of a lead's fields does not). */
const activityEvents = new Set<DomainEventType>([
  'lead.created',
  'lead.status_changed',
  'lead.assigned',
  'lead.converted',
  'lead.deleted',
  'lead.restored',
])

/**
 * Emitted by fact owners inside the change's transaction; never called by routers or routes. The live signal is a
 * NOTIFY, sent only if the change commits; Postgres folds identical ones within a transaction, so a change made of
 * several events (a conversion) signals once.
 */
export async function emitDomainEvent(db: DbOrTx, event: DomainEvent): Promise<void> {
  if (activityEvents.has(event.type)) await activityChanged(db, event.agencyId)
}
