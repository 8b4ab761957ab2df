import { agencies, agencyAiModels, auditLog, desc, eq, users } from '@impera/db'
import { inAgency, type AgencyCtx } from '../ctx'
import { AppError, notFound } from '../errors'
import type { TAgencyAiSettingsInput, TUpdateAgencySettingsInput } from '../schemas'
import { audit } from './audit'

export async function getAgency(ctx: AgencyCtx) {
  const [agency] = await ctx.db.select().from(agencies).where(eq(agencies.id, ctx.actor.agencyId))
  if (!agency) throw notFound('agency')
  return agency
}

export function updateAgencySettings(ctx: AgencyCtx, input: TUpdateAgencySettingsInput) {
  return writeSettings(ctx, input)
}

/**
 * The AI agent's settings (decision 020); managers only, audited like the rest of the settings. A language model is
 * chosen only once one is configured (decision 021): otherwise every conversation would go straight to a person.
 */
export async function updateAgencyAiSettings(ctx: AgencyCtx, input: TAgencyAiSettingsInput) {
  if (input.aiProvider === 'openai_compatible') {
    const [model] = await ctx.db
      .select({ agencyId: agencyAiModels.agencyId })
      .from(agencyAiModels)
      .where(inAgency(agencyAiModels, ctx))
    if (!model)
      throw new AppError('INVALID_INPUT', 'aiProvider: no model configured', {
        userMessage: 'settings.aiModel.missing',
        meta: { fields: { aiProvider: ['settings.aiModel.missing'] } },
      })
  }
  return writeSettings(ctx, input)
}

async function writeSettings(ctx: AgencyCtx, values: Partial<typeof agencies.$inferInsert>) {
  const before = await getAgency(ctx)
  const [after] = await ctx.db
    .update(agencies)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(agencies.id, ctx.actor.agencyId))
    .returning()
  if (!after) throw notFound('agency')
  await audit(ctx, 'agency.settings.update', { entity: 'agency', entityId: ctx.actor.agencyId, before, after })
  return after
}

const AUDIT_LOG_PAGE = 100

export async function listAuditLog(ctx: AgencyCtx) {
  return ctx.db
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
    .where(inAgency(auditLog, ctx))
    .orderBy(desc(auditLog.at))
    .limit(AUDIT_LOG_PAGE)
}
