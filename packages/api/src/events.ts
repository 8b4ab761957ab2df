import type { DbOrTx } from '@impera/db'
import type {
  AiMode,
  ConversationController,
  ConversationStatus,
  ControlReason,
  LeadSource,
  LeadStatus,
} from '@impera/db/enums'
import { activityChanged } from './services/live'
import { queueWebhookEvent } from './webhooks/outbox'

/**
 * Domain events: the one "something changed" seam. Each fact has one owner module (lead-facts for leads) that writes
 * the fact, its history row, its audit entry and its notifications, then emits the event here, inside the same
 * transaction — so an event exists exactly when its change commits, whichever path made it (the UI, a WhatsApp
 * message, an import, a portal, the public API, the AI agent, an automation).
 *
 * What reacts to an event is listed in `emitDomainEvent`, in one place: the live signal that dashboards and timelines
 * refetch on, and the outgoing-webhook outbox (decision 018); automation triggers join here (decision 015).
 */

/** Where a change came from, for history ("por WhatsApp"), reports and loops (an automation ignores its own events). */
export const changeOrigins = ['ui', 'whatsapp', 'import', 'portal', 'api', 'ai', 'automation', 'system'] as const
export type ChangeOrigin = (typeof changeOrigins)[number]

/** The origin of a change a member or an integration makes through a service: the UI, or the public API and MCP. */
export function originOf(actor: { integration?: unknown }): ChangeOrigin {
  return actor.integration ? 'api' : 'ui'
}

interface Base {
  agencyId: string
  /** The member who made the change, or null for the system (an inbound message, a job). */
  actorUserId: string | null
  origin: ChangeOrigin
}

export type DomainEvent = Base &
  (
    | { type: 'lead.created'; leadId: string; status: LeadStatus; source: LeadSource; assignedTo: string | null }
    /** `previous` holds the changed fields' values before the change. */
    | { type: 'lead.updated'; leadId: string; fields: string[]; previous: Record<string, unknown> }
    | { type: 'lead.status_changed'; leadId: string; from: LeadStatus; to: LeadStatus }
    | { type: 'lead.assigned'; leadId: string; from: string | null; to: string | null }
    | { type: 'lead.converted'; leadId: string; clientId: string }
    | { type: 'lead.deleted'; leadId: string }
    | { type: 'lead.restored'; leadId: string }
    | { type: 'lead.property_linked'; leadId: string; propertyId: string }
    | { type: 'lead.property_unlinked'; leadId: string; propertyId: string }
    | { type: 'client.created'; clientId: string }
    | { type: 'client.updated'; clientId: string; fields: string[]; previous: Record<string, unknown> }
    | { type: 'property.created'; propertyId: string }
    | { type: 'property.updated'; propertyId: string; fields: string[]; previous: Record<string, unknown> }
    | { type: 'conversation.created'; conversationId: string }
    | { type: 'conversation.assigned'; conversationId: string; from: string | null; to: string | null }
    /** Who answers changed (decision 019): the controller and/or the effective AI mode, and why. */
    | {
        type: 'conversation.control_changed'
        conversationId: string
        from: { controller: ConversationController; aiMode: AiMode }
        to: { controller: ConversationController; aiMode: AiMode }
        reason: ControlReason
      }
    /** The team's state of the conversation changed (a person, or the contact's message reopening it). */
    | { type: 'conversation.status_changed'; conversationId: string; from: ConversationStatus; to: ConversationStatus }
    /**
     * An external AI agent should take its turn (decision 020): the contact's burst of messages has settled. Carries the
     * burst and the message to answer (`inReplyTo`), and when a person gets the conversation if no turn arrives.
     */
    | {
        type: 'conversation.turn_requested'
        conversationId: string
        inReplyTo: string
        messageIds: string[]
        deadlineAt: string
      }
    | { type: 'message.received'; conversationId: string; messageId: string }
    /** An outbound message was sent from the CRM (queued for the provider); its progress is `message.status_changed`. */
    | { type: 'message.sent'; conversationId: string; messageId: string }
    | { type: 'message.status_changed'; conversationId: string; messageId: string; from: string; to: string }
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
 * several events (a conversion) signals once. The webhook outbox is rows and jobs in the same transaction: nothing is
 * sent from here, so a slow endpoint never slows the change.
 */
export async function emitDomainEvent(db: DbOrTx, event: DomainEvent): Promise<void> {
  if (activityEvents.has(event.type)) await activityChanged(db, event.agencyId)
  await queueWebhookEvent(db, event)
}

/** An event without who and where: what a fact owner describes. */
export type DomainEventBody<E = DomainEvent> = E extends DomainEvent ? Omit<E, keyof Base> : never

/** Emits an event caused by a member (or an integration) acting through a service, in the ctx's transaction. */
export function emitAsMember(
  ctx: { db: DbOrTx; actor: { agencyId: string; userId: string | null; integration?: unknown } },
  event: DomainEventBody,
): Promise<void> {
  return emitDomainEvent(ctx.db, {
    ...event,
    agencyId: ctx.actor.agencyId,
    actorUserId: ctx.actor.userId,
    origin: originOf(ctx.actor),
  } as DomainEvent)
}

/** Emits an event no member caused (an inbound message, a job), with its origin. */
export function emitAsSystem(db: DbOrTx, agencyId: string, origin: ChangeOrigin, event: DomainEventBody) {
  return emitDomainEvent(db, { ...event, agencyId, actorUserId: null, origin } as DomainEvent)
}

/** The values the named fields had before a change (`previous{}` of an `*.updated` event). */
export function previousValues(before: Record<string, unknown>, fields: string[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((f) => [f, before[f] ?? null]))
}
