import { auditLog, type DbOrTx } from '@impera/db'
import type { AgencyCtx, PlatformCtx } from '../ctx'

/** Every action the audit log records: a typo or a new action without a name here fails the typecheck. */
export const auditActions = [
  'agency.create',
  'agency.suspend',
  'agency.reactivate',
  'agency.settings.update',
  'agency.onboarding.dismiss',
  'agency.ai_model.update',
  'ai_faq.create',
  'ai_faq.update',
  'ai_faq.delete',
  'member.role.change',
  'member.deactivate',
  'member.reactivate',
  'invitation.create',
  'invitation.resend',
  'invitation.revoke',
  'invitation.accept',
  'import.upload',
  'import.run',
  'import.cancel',
  'import.finish',
  'import.undo',
  'lead.create',
  'lead.update',
  'lead.status',
  'lead.assign',
  'lead.convert',
  'lead.delete',
  'lead.restore',
  'lead.note.add',
  'lead.note.edit',
  'lead.note.delete',
  'lead.property.link',
  'lead.property.unlink',
  'lead.qualify',
  'client.create',
  'client.update',
  'client.delete',
  'client.restore',
  'client.note.add',
  'client.note.edit',
  'client.note.delete',
  'property.create',
  'property.update',
  'property.status',
  'property.delete',
  'property.restore',
  'property.photos.add',
  'property.photos.reorder',
  'property.photos.cover',
  'property.photos.delete',
  'view.create',
  'view.update',
  'view.delete',
  'whatsapp.account.create',
  'whatsapp.account.resume',
  'whatsapp.templates.sync',
  'whatsapp.leadRule',
  'whatsapp.conversation.assign',
  'whatsapp.conversation.link',
  'whatsapp.conversation.control',
  'whatsapp.conversation.status',
  'whatsapp.conversation.labels',
  'whatsapp.conversation.note',
  'whatsapp.conversation.noteDelete',
  'whatsapp.conversation.turn',
  'whatsapp.account.aiMode',
  'whatsapp.account.throughput',
  'whatsapp.message.send',
  'whatsapp.message.retry',
  'whatsapp.media.retry',
  'integration.create',
  'integration.update',
  'integration.revoke',
  'integration.key.rotate',
  'integration.key.revoke',
  'webhook.create',
  'webhook.update',
  'webhook.rotate',
  'webhook.enable',
  'webhook.disable',
  'webhook.delete',
  'webhook.redeliver',
  'webhook.test',
  'lead.inquiry',
  'portal.connect',
  'portal.disconnect',
  'feed.rotate',
  'feed.delete',
  'task.create',
  'task.update',
  'task.complete',
  'task.cancel',
  'task.reopen',
  'calendar_feed.rotate',
  'calendar_feed.delete',
  'distribution.settings',
  'distribution.rule.create',
  'distribution.rule.update',
  'distribution.rule.delete',
  'distribution.rule.move',
  'distribution.availability',
  'lead.bulk',
  'client.bulk',
  'property.bulk',
  'conversation.bulk',
  'lead.property.share',
  'push_device.add',
  'push_device.remove',
  'consent.grant',
  'consent.revoke',
  'privacy.export',
  'privacy.anonymise',
  'agency.export',
  'agency.export_download',
] as const
export type AuditAction = (typeof auditActions)[number]

export type AuditEntity =
  | 'agency'
  | 'ai_faq_entry'
  | 'membership'
  | 'invitation'
  | 'lead'
  | 'lead_note'
  | 'client'
  | 'client_note'
  | 'property'
  | 'saved_view'
  | 'whatsapp_account'
  | 'whatsapp_conversation'
  | 'whatsapp_message'
  | 'integration'
  | 'webhook_endpoint'
  | 'portal_connection'
  | 'listing_feed'
  | 'import'
  | 'task'
  | 'calendar_feed'
  | 'distribution_rule'
  | 'bulk_operation'
  | 'push_subscription'
  | 'agency_export'

/** What changed: the entity, its id, and its state before and after (only changed fields are kept). */
export interface AuditEntry {
  entity: AuditEntity
  entityId?: string | null
  before?: Record<string, unknown> | null
  after?: Record<string, unknown> | null
}

export interface AuditInput extends AuditEntry {
  agencyId: string
  actorUserId: string | null
  action: AuditAction
  ip?: string | null
}

/** Keeps only the fields that changed, so the log says what happened instead of repeating whole rows. */
export function diffRecords(
  before: Record<string, unknown> | null | undefined,
  after: Record<string, unknown> | null | undefined,
) {
  if (!before || !after) return { before: before ?? undefined, after: after ?? undefined }
  const b: Record<string, unknown> = {}
  const a: Record<string, unknown> = {}
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (key === 'updatedAt') continue
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      b[key] = before[key]
      a[key] = after[key]
    }
  }
  return { before: b, after: a }
}

/**
 * Every mutation records itself inside its own transaction, so the entry exists exactly when the change does. Called
 * only through the three helpers below, which fill in who acted and from where.
 */
async function writeAudit(db: DbOrTx, input: AuditInput): Promise<void> {
  await db.insert(auditLog).values({
    agencyId: input.agencyId,
    actorUserId: input.actorUserId,
    action: input.action,
    entity: input.entity,
    entityId: input.entityId ?? null,
    diff: diffRecords(input.before, input.after),
    ip: input.ip ?? null,
  })
}

/** A member's change, recorded in its own transaction with who, where from and when. */
export function audit(ctx: AgencyCtx, action: AuditAction, entry: AuditEntry): Promise<void> {
  return writeAudit(ctx.db, {
    ...entry,
    action,
    agencyId: ctx.actor.agencyId,
    actorUserId: ctx.actor.userId,
    ip: ctx.actor.ip,
  })
}

/**
 * A change to an agency named explicitly rather than the one a member works in: platform staff's (an agency created,
 * suspended), and invitations, which staff and managers both issue and someone not yet a member accepts.
 */
export function auditPlatform(
  ctx: PlatformCtx,
  agencyId: string,
  action: AuditAction,
  entry: AuditEntry,
): Promise<void> {
  return writeAudit(ctx.db, { ...entry, action, agencyId, actorUserId: ctx.actor.userId, ip: ctx.actor.ip })
}

/** A change nobody made by hand (a WhatsApp message that created a lead): no actor, no address. */
export function auditSystem(db: DbOrTx, agencyId: string, action: AuditAction, entry: AuditEntry): Promise<void> {
  return writeAudit(db, { ...entry, action, agencyId, actorUserId: null, ip: null })
}

/** Who made a change, for fact owners that record both members' and the system's changes (lead-facts). */
export interface AuditAuthor {
  agencyId: string
  actorUserId: string | null
  ip: string | null
}

export function auditAs(db: DbOrTx, who: AuditAuthor, action: AuditAction, entry: AuditEntry): Promise<void> {
  return writeAudit(db, { ...entry, action, ...who })
}
