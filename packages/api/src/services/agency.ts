import { agencies, auditLog, desc, eq, users, type DbOrTx } from '@impera/db'
import { notFound } from '../errors'
import type { TUpdateAgencySettingsInput } from '../schemas'
import type { AgencyActor } from '../ctx'
import { writeAudit } from './audit'

export async function getAgency({ db, actor }: { db: DbOrTx; actor: AgencyActor }) {
  const [agency] = await db.select().from(agencies).where(eq(agencies.id, actor.agencyId))
  if (!agency) throw notFound('agency')
  return agency
}

export async function updateAgencySettings({
  db,
  actor,
  input,
}: {
  db: DbOrTx
  actor: AgencyActor
  input: TUpdateAgencySettingsInput
}) {
  const before = await getAgency({ db, actor })
  const [after] = await db
    .update(agencies)
    .set({ ...input, updatedAt: new Date() })
    .where(eq(agencies.id, actor.agencyId))
    .returning()
  if (!after) throw notFound('agency')
  await writeAudit(db, {
    agencyId: actor.agencyId,
    actorUserId: actor.userId,
    action: 'agency.settings.update',
    entity: 'agency',
    entityId: actor.agencyId,
    before,
    after,
    ip: actor.ip,
  })
  return after
}

export async function listAuditLog({ db, actor, limit = 100 }: { db: DbOrTx; actor: AgencyActor; limit?: number }) {
  return db
    .select({
      id: auditLog.id,
      action: auditLog.action,
      entity: auditLog.entity,
      entityId: auditLog.entityId,
      diff: auditLog.diff,
      at: auditLog.at,
      actorName: users.name,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorUserId))
    .where(eq(auditLog.agencyId, actor.agencyId))
    .orderBy(desc(auditLog.at))
    .limit(limit)
}
