import { randomUUID } from 'node:crypto'
import { agencies, agencyAiModels, auditLog, desc, eq, users } from '@impera/db'
import sharp from 'sharp'
import { inAgency, type AgencyCtx, type WithStorage } from '../ctx'
import { AppError, notFound } from '../errors'
import { deleteStoredFilesJob, enqueue } from '../jobs'
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

export const LOGO_MAX_BYTES = 2 * 1024 * 1024
// No SVG: rendering one could fetch what it references; a logo is a picture.
const logoFormats = new Set(['jpeg', 'png', 'webp', 'gif'])
const logoError = (message: string) =>
  new AppError('INVALID_INPUT', message, { userMessage: message, meta: { fields: { logo: [message] } } })

/**
 * The agency's logo (issue 18's identity): a JPEG, PNG, WebP or GIF up to 2 MB, stored as a PNG of at most 512 px
 * (transparency kept). A new logo gets a new key, so browsers cache each one for good; the old file goes once the
 * change commits.
 */
export async function setAgencyLogo(ctx: AgencyCtx & WithStorage, { bytes }: { bytes: Uint8Array }) {
  if (!bytes.byteLength) throw logoError('settings.logoNone')
  if (bytes.byteLength > LOGO_MAX_BYTES) throw logoError('settings.logoTooLarge')
  const meta = await sharp(bytes, { limitInputPixels: 50_000_000 })
    .metadata()
    .catch(() => null)
  if (!meta?.format || !logoFormats.has(meta.format) || !meta.width || !meta.height)
    throw logoError('settings.logoType')
  const png = await sharp(bytes, { limitInputPixels: 50_000_000 })
    .rotate()
    .resize({ width: 512, height: 512, fit: 'inside', withoutEnlargement: true })
    .png()
    .toBuffer()
  const key = `${ctx.actor.agencyId}/branding/logo-${randomUUID()}.png`
  await ctx.storage.put(key, png, 'image/png')
  try {
    // Locked: two uploads at once must each delete the logo the other replaced, not the same one twice.
    const [before] = await ctx.db
      .select({ logoKey: agencies.logoKey })
      .from(agencies)
      .where(eq(agencies.id, ctx.actor.agencyId))
      .for('update')
    const after = await writeSettings(ctx, { logoKey: key })
    if (before?.logoKey) await enqueue(ctx.db, deleteStoredFilesJob, { keys: [before.logoKey] })
    return after
  } catch (e) {
    await ctx.storage.delete([key]).catch(() => {})
    throw e
  }
}

export async function removeAgencyLogo(ctx: AgencyCtx) {
  const [before] = await ctx.db.select().from(agencies).where(eq(agencies.id, ctx.actor.agencyId)).for('update')
  if (!before) throw notFound('agency')
  if (!before.logoKey) return before
  const after = await writeSettings(ctx, { logoKey: null })
  await enqueue(ctx.db, deleteStoredFilesJob, { keys: [before.logoKey] })
  return after
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
