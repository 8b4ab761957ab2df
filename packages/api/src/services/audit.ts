import { auditLog, type DbOrTx } from '@impera/db'

export interface AuditInput {
  agencyId: string
  actorUserId: string | null
  action: string
  entity: string
  entityId?: string | null
  before?: Record<string, unknown> | null
  after?: Record<string, unknown> | null
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

/** Every mutation calls this inside its own transaction, so the entry exists exactly when the change does. */
export async function writeAudit(db: DbOrTx, input: AuditInput): Promise<void> {
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
