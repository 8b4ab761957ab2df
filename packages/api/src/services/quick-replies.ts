import { agencies, and, asc, eq, isNull, leads, or, quickReplies, sql, users } from '@impera/db'
import { byId, inAgency, type AgencyCtx } from '../ctx'
import { forbidden, notFound } from '../errors'
import type { TQuickRepliesForInput, TQuickReplyInput } from '../schemas'
import { getVisibleConversation } from './whatsapp'

/**
 * Quick replies for the WhatsApp composer (issue 16's inbox): the agency's, kept by managers, and each member's own,
 * which win over an agency reply with the same shortcut. Variables are filled on the server, per conversation, so
 * the composer and any other client get the same text.
 */

/** The replies the member may use: the agency's and their own, by shortcut. */
export async function listQuickReplies(ctx: AgencyCtx) {
  return ctx.db
    .select({
      id: quickReplies.id,
      shortcut: quickReplies.shortcut,
      body: quickReplies.body,
      personal: sql<boolean>`${quickReplies.userId} is not null`,
    })
    .from(quickReplies)
    .where(and(inAgency(quickReplies, ctx), or(isNull(quickReplies.userId), eq(quickReplies.userId, ctx.actor.userId))))
    .orderBy(asc(quickReplies.shortcut), asc(quickReplies.userId))
}

async function editableReply(ctx: AgencyCtx, id: string) {
  const [reply] = await ctx.db
    .select()
    .from(quickReplies)
    .where(byId(quickReplies, ctx, id))
  if (!reply || (reply.userId !== null && reply.userId !== ctx.actor.userId)) throw notFound('quick reply')
  if (reply.userId === null && ctx.actor.role !== 'manager')
    throw forbidden('managers keep the agency replies', { reason: 'manager_only' })
  return reply
}

export async function saveQuickReply(ctx: AgencyCtx, input: TQuickReplyInput) {
  const { db, actor } = ctx
  if (!input.personal && actor.role !== 'manager')
    throw forbidden('managers keep the agency replies', { reason: 'manager_only' })
  const values = { shortcut: input.shortcut, body: input.body, userId: input.personal ? actor.userId : null }
  if (input.id) {
    await editableReply(ctx, input.id)
    const [saved] = await db
      .update(quickReplies)
      .set({ ...values, updatedAt: new Date() })
      .where(byId(quickReplies, ctx, input.id))
      .returning()
    return saved!
  }
  const [saved] = await db
    .insert(quickReplies)
    .values({ ...values, agencyId: actor.agencyId })
    .returning()
  return saved!
}

export async function deleteQuickReply(ctx: AgencyCtx, { id }: { id: string }) {
  await editableReply(ctx, id)
  await ctx.db.delete(quickReplies).where(byId(quickReplies, ctx, id))
  return { id }
}

/** Fills {{nome}} (the contact's first name), {{corretor}} (the member's name) and {{imobiliaria}} (the agency's). */
export function fillQuickReply(body: string, vars: { nome: string; corretor: string; imobiliaria: string }) {
  return body.replace(
    /\{\{\s*(nome|corretor|imobiliaria)\s*\}\}/gi,
    (_, k: string) => vars[k.toLowerCase() as keyof typeof vars],
  )
}

/** The composer's suggestions for one conversation: shortcuts starting with `q`, the member's own first, filled in. */
export async function quickRepliesFor(ctx: AgencyCtx, { conversationId, q }: TQuickRepliesForInput) {
  const conversation = await getVisibleConversation(ctx, conversationId)
  const [lead] = conversation.leadId
    ? await ctx.db
        .select({ name: leads.name })
        .from(leads)
        .where(and(eq(leads.agencyId, ctx.actor.agencyId), eq(leads.id, conversation.leadId)))
    : []
  const [me] = await ctx.db.select({ name: users.name }).from(users).where(eq(users.id, ctx.actor.userId))
  const [agency] = await ctx.db
    .select({ name: agencies.name })
    .from(agencies)
    .where(eq(agencies.id, ctx.actor.agencyId))
  const contact = (lead?.name ?? conversation.contactName ?? '').trim()
  const vars = { nome: contact.split(/\s+/)[0] ?? '', corretor: me?.name ?? '', imobiliaria: agency?.name ?? '' }
  const prefix = q.toLowerCase()
  const all = await listQuickReplies(ctx)
  const mine = new Set(all.filter((r) => r.personal).map((r) => r.shortcut))
  return all
    .filter((r) => r.shortcut.startsWith(prefix) && (r.personal || !mine.has(r.shortcut)))
    .sort((a, b) => a.shortcut.localeCompare(b.shortcut))
    .slice(0, 8)
    .map((r) => ({ id: r.id, shortcut: r.shortcut, personal: r.personal, text: fillQuickReply(r.body, vars) }))
}
