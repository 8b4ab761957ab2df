import { aiFaqEntries, and, asc, eq, sql, type DbOrTx } from '@impera/db'
import type { FaqEntry } from '../ai/faq'
import { byId, inAgency, type AgencyCtx } from '../ctx'
import { AppError, notFound } from '../errors'
import type { TFaqEntryIdInput, TFaqEntryInput, TFaqEntryUpdateInput } from '../schemas'
import { audit } from './audit'

/**
 * The owner of the agency's FAQ (decision 021): what the AI agent may answer on its own. Managers write it in
 * Settings → Agente de IA; the rules agent matches it, a language model reads it.
 */
const MAX_ENTRIES = 100

export function listFaqEntries(ctx: AgencyCtx) {
  return ctx.db.select().from(aiFaqEntries).where(inAgency(aiFaqEntries, ctx)).orderBy(asc(aiFaqEntries.createdAt))
}

export async function createFaqEntry(ctx: AgencyCtx, input: TFaqEntryInput) {
  const [count] = await ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(aiFaqEntries)
    .where(inAgency(aiFaqEntries, ctx))
  if (count!.n >= MAX_ENTRIES)
    throw new AppError('INVALID_INPUT', 'too many FAQ entries', {
      userMessage: 'settings.faq.tooMany',
      meta: { reason: 'too_many' },
    })
  const [entry] = await ctx.db
    .insert(aiFaqEntries)
    .values({ agencyId: ctx.actor.agencyId, ...input })
    .returning()
  await audit(ctx, 'ai_faq.create', { entity: 'ai_faq_entry', entityId: entry!.id, after: entry })
  return entry!
}

export async function updateFaqEntry(ctx: AgencyCtx, { id, ...input }: TFaqEntryUpdateInput) {
  const [before] = await ctx.db
    .select()
    .from(aiFaqEntries)
    .where(byId(aiFaqEntries, ctx, id))
    .for('update')
  if (!before) throw notFound('faq entry')
  const [after] = await ctx.db
    .update(aiFaqEntries)
    .set({ ...input, updatedAt: new Date() })
    .where(byId(aiFaqEntries, ctx, id))
    .returning()
  await audit(ctx, 'ai_faq.update', { entity: 'ai_faq_entry', entityId: id, before, after })
  return after!
}

export async function deleteFaqEntry(ctx: AgencyCtx, { id }: TFaqEntryIdInput) {
  const [before] = await ctx.db
    .delete(aiFaqEntries)
    .where(byId(aiFaqEntries, ctx, id))
    .returning()
  if (!before) throw notFound('faq entry')
  await audit(ctx, 'ai_faq.delete', { entity: 'ai_faq_entry', entityId: id, before })
  return { id }
}

/** The entries the agent answers from (enabled ones), for the step's transaction. */
export async function faqForAgent(db: DbOrTx, agencyId: string): Promise<FaqEntry[]> {
  return db
    .select({
      id: aiFaqEntries.id,
      question: aiFaqEntries.question,
      answer: aiFaqEntries.answer,
      keywords: aiFaqEntries.keywords,
    })
    .from(aiFaqEntries)
    .where(and(eq(aiFaqEntries.agencyId, agencyId), eq(aiFaqEntries.enabled, true)))
    .orderBy(asc(aiFaqEntries.createdAt))
}
