import { and, clients, eq, leads, properties, whatsappConversations, whatsappMessages, type DbOrTx } from '@impera/db'
import type { WebhookEventType } from '@impera/db/enums'
import type { DomainEvent } from '../events'

/**
 * "Thin-plus" payloads (decision 018): a record's ids plus the fields a consumer needs to act on the event without
 * calling back, read inside the change's transaction (so as the change left it). An `*.updated` event also carries
 * every changed field's new value in the record, `changed[]` and `previous{}`. Money is in cents, times ISO 8601.
 */

const leadFields = [
  'id',
  'name',
  'phones',
  'email',
  'status',
  'source',
  'interest',
  'assignedTo',
  'clientId',
  'createdAt',
  'updatedAt',
] as const
const clientFields = ['id', 'name', 'types', 'phones', 'email', 'assignedTo', 'createdAt', 'updatedAt'] as const
const propertyFields = [
  'id',
  'code',
  'title',
  'type',
  'purpose',
  'status',
  'salePrice',
  'rentPrice',
  'neighbourhood',
  'city',
  'bedrooms',
  'assignedTo',
  'createdAt',
  'updatedAt',
] as const

/** WhatsApp's customer-service window: free text can be sent until 24 h after the contact's last message. */
const WINDOW_MS = 24 * 3600_000

function pick(row: Record<string, unknown>, keys: readonly string[]) {
  return Object.fromEntries(keys.filter((k) => k in row).map((k) => [k, row[k] ?? null]))
}

async function lead(db: DbOrTx, agencyId: string, id: string, extra: string[] = []) {
  const [row] = await db
    .select()
    .from(leads)
    .where(and(eq(leads.agencyId, agencyId), eq(leads.id, id)))
  return row ? pick(row, [...leadFields, ...extra]) : null
}

async function client(db: DbOrTx, agencyId: string, id: string, extra: string[] = []) {
  const [row] = await db
    .select()
    .from(clients)
    .where(and(eq(clients.agencyId, agencyId), eq(clients.id, id)))
  return row ? pick(row, [...clientFields, ...extra]) : null
}

async function property(db: DbOrTx, agencyId: string, id: string, extra: string[] = []) {
  const [row] = await db
    .select()
    .from(properties)
    .where(and(eq(properties.agencyId, agencyId), eq(properties.id, id)))
  return row ? pick(row, [...propertyFields, ...extra]) : null
}

async function conversation(db: DbOrTx, agencyId: string, id: string) {
  const [row] = await db
    .select()
    .from(whatsappConversations)
    .where(and(eq(whatsappConversations.agencyId, agencyId), eq(whatsappConversations.id, id)))
  if (!row) return null
  return {
    id: row.id,
    accountId: row.accountId,
    contactPhone: row.contactPhone,
    contactName: row.contactName,
    leadId: row.leadId,
    clientId: row.clientId,
    assignedTo: row.assignedTo,
    windowOpenUntil: row.lastInboundAt ? new Date(row.lastInboundAt.getTime() + WINDOW_MS) : null,
    controller: row.controller,
    aiMode: row.aiMode,
    status: row.status,
    createdAt: row.createdAt,
  }
}

/** The public status of a message: 'sending' is our own step between queued and sent. */
export function publicMessageStatus(status: string): string {
  return status === 'sending' ? 'queued' : status
}

async function message(db: DbOrTx, agencyId: string, id: string) {
  const [row] = await db
    .select()
    .from(whatsappMessages)
    .where(and(eq(whatsappMessages.agencyId, agencyId), eq(whatsappMessages.id, id)))
  if (!row) return null
  const conv = await conversation(db, agencyId, row.conversationId)
  return {
    message: {
      id: row.id,
      conversationId: row.conversationId,
      direction: row.direction,
      type: row.type,
      text: row.body,
      media: row.media ? { mimeType: row.media.mimeType ?? null, filename: row.media.filename ?? null } : null,
      status: publicMessageStatus(row.status),
      error: row.status === 'failed' ? { code: row.errorCode, reason: row.errorReason } : null,
      sentBy: row.sentBy,
      author: row.author,
      at: row.providerAt ?? row.createdAt,
    },
    conversation: conv,
  }
}

/** The public type of a domain event, or null for the ones webhooks do not carry (yet). */
export function webhookTypeOf(event: DomainEvent): WebhookEventType | null {
  switch (event.type) {
    case 'lead.created':
    case 'lead.updated':
    case 'lead.status_changed':
    case 'lead.assigned':
    case 'client.created':
    case 'client.updated':
    case 'property.created':
    case 'property.updated':
    case 'conversation.created':
    case 'conversation.assigned':
    case 'message.received':
    case 'message.sent':
    case 'message.status_changed':
    case 'conversation.control_changed':
    case 'conversation.turn_requested':
    case 'conversation.status_changed':
      return event.type
    default:
      return null
  }
}

/** The fields an `*.updated` event names (for field filters), or null for other events. */
export function changedFieldsOf(event: DomainEvent): string[] | null {
  return event.type === 'lead.updated' || event.type === 'client.updated' || event.type === 'property.updated'
    ? event.fields
    : null
}

const changes = (fields: string[], previous: Record<string, unknown>) => ({
  changed: fields,
  previous: Object.fromEntries(fields.map((f) => [f, previous[f] ?? null])),
})

/** The `data` of the envelope for an event, read in the change's transaction; null if the record is gone. */
export async function webhookData(db: DbOrTx, event: DomainEvent): Promise<Record<string, unknown> | null> {
  const a = event.agencyId
  const wrap = async <T>(key: string, p: Promise<T | null>, rest: Record<string, unknown> = {}) => {
    const record = await p
    return record ? { [key]: record, ...rest } : null
  }
  switch (event.type) {
    case 'lead.created':
      return wrap('lead', lead(db, a, event.leadId))
    case 'lead.updated':
      return wrap('lead', lead(db, a, event.leadId, event.fields), changes(event.fields, event.previous))
    case 'lead.status_changed':
      return wrap('lead', lead(db, a, event.leadId, ['lostReason', 'lostDetail']), { from: event.from, to: event.to })
    case 'lead.assigned':
      return wrap('lead', lead(db, a, event.leadId), { from: event.from, to: event.to })
    case 'client.created':
      return wrap('client', client(db, a, event.clientId))
    case 'client.updated':
      return wrap('client', client(db, a, event.clientId, event.fields), changes(event.fields, event.previous))
    case 'property.created':
      return wrap('property', property(db, a, event.propertyId))
    case 'property.updated':
      return wrap('property', property(db, a, event.propertyId, event.fields), changes(event.fields, event.previous))
    case 'conversation.created':
      return wrap('conversation', conversation(db, a, event.conversationId))
    case 'conversation.assigned':
      return wrap('conversation', conversation(db, a, event.conversationId), { from: event.from, to: event.to })
    case 'conversation.control_changed':
      return wrap('conversation', conversation(db, a, event.conversationId), {
        from: event.from,
        to: event.to,
        reason: event.reason,
        changedBy: event.actorUserId,
      })
    case 'conversation.status_changed':
      return wrap('conversation', conversation(db, a, event.conversationId), {
        from: event.from,
        to: event.to,
        changedBy: event.actorUserId,
      })
    case 'conversation.turn_requested': {
      const messages = []
      for (const id of event.messageIds) {
        const m = await message(db, a, id)
        if (m) messages.push(m.message)
      }
      return wrap('conversation', conversation(db, a, event.conversationId), {
        inReplyTo: event.inReplyTo,
        messages,
        deadlineAt: event.deadlineAt,
      })
    }
    case 'message.received':
    case 'message.sent':
      return message(db, a, event.messageId)
    case 'message.status_changed': {
      const m = await message(db, a, event.messageId)
      return m ? { ...m, from: publicMessageStatus(event.from), to: publicMessageStatus(event.to) } : null
    }
    default:
      return null
  }
}
