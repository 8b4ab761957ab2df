import {
  agencies,
  and,
  asc,
  clients,
  eq,
  gt,
  isNull,
  leads,
  lte,
  properties,
  sql,
  taskProperties,
  tasks,
  whatsappConversations,
  whatsappMessages,
  whatsappTemplates,
  type DbOrTx,
} from '@impera/db'
import type { VisitConfirmationState } from '@impera/db/enums'
import { AppError, invalidField } from '../errors'
import { emitAsSystem } from '../events'
import { scheduleSends } from '../jobs'
import { rooms } from '../live'
import { fillTemplate } from '../schemas'
import { wallClock } from '../zoned-time'
import { audit } from './audit'
import { emitLive } from './live'
import { raiseNotification } from './notifications'
import { openConversationFor } from './whatsapp'
import type { AgencyCtx } from '../ctx'
import type { TVisitConfirmationInput } from '../schemas'

/*
 * Visit confirmations by WhatsApp (decision 026): the day before a visit, the agency's approved template goes to the
 * lead or client; their answer ("Sim", "Não posso", anything) is recorded on the visit and told to its assignee.
 */

const HOUR_MS = 3_600_000
/** Sent from a day before the visit, not later than an hour before it, and only in the daytime of the agency's zone. */
const SEND_FROM_HOURS = 24
const SEND_UNTIL_HOURS = 1
const DAY_START = 8
const DAY_END = 21
const BATCH = 50

export async function getVisitConfirmation(ctx: AgencyCtx) {
  const [agency] = await ctx.db
    .select({ name: agencies.visitConfirmationTemplate, language: agencies.visitConfirmationLanguage })
    .from(agencies)
    .where(eq(agencies.id, ctx.actor.agencyId))
  const templates = await ctx.db
    .selectDistinct({
      name: whatsappTemplates.name,
      language: whatsappTemplates.language,
      params: whatsappTemplates.params,
    })
    .from(whatsappTemplates)
    .where(and(eq(whatsappTemplates.agencyId, ctx.actor.agencyId), eq(whatsappTemplates.status, 'APPROVED')))
    .orderBy(asc(whatsappTemplates.name), asc(whatsappTemplates.language))
  return { template: agency?.name ? { name: agency.name, language: agency.language ?? 'pt_BR' } : null, templates }
}

/** Chooses the template (one approved on the agency's numbers), or turns confirmations off (`name: null`). */
export async function setVisitConfirmation(ctx: AgencyCtx, input: TVisitConfirmationInput) {
  if (input.name) {
    const [known] = await ctx.db
      .select({ name: whatsappTemplates.name })
      .from(whatsappTemplates)
      .where(
        and(
          eq(whatsappTemplates.agencyId, ctx.actor.agencyId),
          eq(whatsappTemplates.name, input.name),
          eq(whatsappTemplates.language, input.language),
          eq(whatsappTemplates.status, 'APPROVED'),
        ),
      )
      .limit(1)
    if (!known) throw invalidField('name', 'tasks.confirmation.templateUnknown')
  }
  const [before] = await ctx.db
    .select({ name: agencies.visitConfirmationTemplate, language: agencies.visitConfirmationLanguage })
    .from(agencies)
    .where(eq(agencies.id, ctx.actor.agencyId))
  await ctx.db
    .update(agencies)
    .set({
      visitConfirmationTemplate: input.name,
      visitConfirmationLanguage: input.name ? input.language : null,
      updatedAt: new Date(),
    })
    .where(eq(agencies.id, ctx.actor.agencyId))
  await audit(ctx, 'agency.settings.update', {
    entity: 'agency',
    entityId: ctx.actor.agencyId,
    before: { visitConfirmation: before ?? null },
    after: { visitConfirmation: input.name ? { name: input.name, language: input.language } : null },
  })
  return getVisitConfirmation(ctx)
}

/**
 * The worker's minute: visits due between one and twenty-four hours from now that were not confirmed get the
 * template, in the agency's daytime. A visit that cannot be confirmed (no phone, no number, the template not approved
 * on the number its conversation uses) is marked `failed` with the reason, shown on the visit, and not tried again.
 */
export async function sendVisitConfirmations(
  db: DbOrTx,
  { agencyId, now = new Date() }: { agencyId: string; now?: Date },
) {
  const [agency] = await db
    .select({
      timezone: agencies.timezone,
      locale: agencies.locale,
      template: agencies.visitConfirmationTemplate,
      language: agencies.visitConfirmationLanguage,
    })
    .from(agencies)
    .where(eq(agencies.id, agencyId))
  if (!agency?.template) return 0
  const hour = wallClock(now, agency.timezone).hour
  if (hour < DAY_START || hour >= DAY_END) return 0
  const due = await db
    .select({
      id: tasks.id,
      title: tasks.title,
      dueAt: tasks.dueAt,
      place: tasks.place,
      assignedTo: tasks.assignedTo,
      leadId: tasks.leadId,
      clientId: tasks.clientId,
    })
    .from(tasks)
    .where(
      and(
        eq(tasks.agencyId, agencyId),
        eq(tasks.kind, 'visit'),
        eq(tasks.status, 'open'),
        isNull(tasks.confirmationState),
        gt(tasks.dueAt, new Date(now.getTime() + SEND_UNTIL_HOURS * HOUR_MS)),
        lte(tasks.dueAt, new Date(now.getTime() + SEND_FROM_HOURS * HOUR_MS)),
      ),
    )
    .orderBy(asc(tasks.dueAt))
    .limit(BATCH)
    .for('update', { skipLocked: true })
  let sent = 0
  for (const visit of due) {
    const outcome = await confirmOne(db, agencyId, agency, visit).catch((e: unknown) => {
      if (e instanceof AppError)
        return { state: 'failed' as const, reason: e.userMessage ?? e.message, conversationId: null }
      throw e
    })
    await db
      .update(tasks)
      .set({
        confirmationState: outcome.state,
        confirmationConversationId: outcome.conversationId,
        confirmationReply: outcome.state === 'failed' ? outcome.reason : null,
        confirmationAt: now,
        updatedAt: now,
      })
      .where(and(eq(tasks.agencyId, agencyId), eq(tasks.id, visit.id)))
    await emitLive(db, [rooms.managers(agencyId), rooms.user(visit.assignedTo)], 'tasks:changed')
    if (outcome.state === 'sent') sent++
  }
  return sent
}

type Visit = {
  id: string
  title: string
  dueAt: Date
  place: string | null
  assignedTo: string
  leadId: string | null
  clientId: string | null
}

async function confirmOne(
  db: DbOrTx,
  agencyId: string,
  agency: { timezone: string; locale: string; template: string | null; language: string | null },
  visit: Visit,
): Promise<{ state: 'sent'; conversationId: string } | { state: 'failed'; reason: string; conversationId: null }> {
  const table = visit.leadId ? leads : clients
  const recordId = (visit.leadId ?? visit.clientId)!
  const [record] = await db
    .select({ name: table.name, phones: table.phones, assignedTo: table.assignedTo })
    .from(table)
    .where(and(eq(table.agencyId, agencyId), eq(table.id, recordId), isNull(table.deletedAt)))
  if (!record) return { state: 'failed', reason: 'tasks.confirmation.noContact', conversationId: null }
  const conversation = await openConversationFor(db, agencyId, {
    ...(visit.leadId ? { leadId: visit.leadId } : { clientId: recordId }),
    phone: record.phones[0] ?? null,
    name: record.name,
    assignedTo: record.assignedTo,
  })
  if (conversation.created)
    await emitAsSystem(db, agencyId, 'system', { type: 'conversation.created', conversationId: conversation.id })
  const [template] = await db
    .select({ body: whatsappTemplates.body, params: whatsappTemplates.params })
    .from(whatsappTemplates)
    .where(
      and(
        eq(whatsappTemplates.agencyId, agencyId),
        eq(whatsappTemplates.accountId, conversation.accountId),
        eq(whatsappTemplates.name, agency.template!),
        eq(whatsappTemplates.language, agency.language ?? 'pt_BR'),
        eq(whatsappTemplates.status, 'APPROVED'),
      ),
    )
  if (!template) return { state: 'failed', reason: 'tasks.confirmation.templateMissing', conversationId: null }
  const shown = await db
    .select({ code: properties.code })
    .from(taskProperties)
    .innerJoin(
      properties,
      and(eq(properties.agencyId, taskProperties.agencyId), eq(properties.id, taskProperties.propertyId)),
    )
    .where(and(eq(taskProperties.agencyId, agencyId), eq(taskProperties.taskId, visit.id)))
    .orderBy(asc(taskProperties.position))
  // The template's placeholders, in order: the contact's first name, when, and where (or which listings).
  const when = new Intl.DateTimeFormat(agency.locale, {
    weekday: 'long',
    day: 'numeric',
    month: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: agency.timezone,
  }).format(visit.dueAt)
  const where = visit.place ?? shown.map((s) => s.code).join(', ')
  const parameters = [record.name.split(/\s+/)[0] || record.name, when, where || '-'].slice(0, template.params)
  const [message] = await db
    .insert(whatsappMessages)
    .values({
      agencyId,
      conversationId: conversation.id,
      accountId: conversation.accountId,
      direction: 'outbound',
      type: 'template',
      body: fillTemplate(template.body, parameters),
      payload: { name: agency.template, language: agency.language ?? 'pt_BR', parameters },
      status: 'queued',
      providerAt: new Date(),
      author: 'system',
    })
    .returning({ id: whatsappMessages.id, body: whatsappMessages.body, providerAt: whatsappMessages.providerAt })
  await db
    .update(whatsappConversations)
    .set({
      lastMessageAt: message!.providerAt,
      lastMessagePreview: (message!.body ?? '').slice(0, 140),
      updatedAt: new Date(),
    })
    .where(eq(whatsappConversations.id, conversation.id))
  await scheduleSends(db, agencyId, conversation.accountId)
  await emitAsSystem(db, agencyId, 'system', {
    type: 'message.sent',
    conversationId: conversation.id,
    messageId: message!.id,
  })
  return { state: 'sent', conversationId: conversation.id }
}

const YES = /^(?:(?:sim|s|ss|confirm\w*|ok|okay|pode ser|combinado|certo|claro|beleza|blz|yes|y)\b|👍)/iu
// "no" alone is English; inside a sentence it is Portuguese ("no local"), so only a reply that starts with it counts.
const NO = /\b(?:n[aã]o|cancel\w*|desmarc\w*|remarc\w*|adiar|outro dia|outra hora|can'?t|cannot|reschedul\w*)\b|^no\b/iu

/** What a reply says: a template button's id or the text, read for yes or no; anything else is just a reply. */
export function readConfirmationReply(text: string, buttonId?: string | null): VisitConfirmationState {
  const said = `${buttonId ?? ''} ${text}`.trim()
  if (NO.test(said)) return 'declined'
  if (YES.test(said) || YES.test(buttonId ?? '')) return 'confirmed'
  return 'replied'
}

/**
 * An inbound message in a conversation that a visit's confirmation went to: the latest such visit still open (and
 * not long past) records the reply, and its assignee hears of it. Called by the WhatsApp ingest in its transaction.
 */
export async function noteVisitConfirmationReply(
  db: DbOrTx,
  {
    agencyId,
    conversationId,
    text,
    buttonId,
    now = new Date(),
  }: {
    agencyId: string
    conversationId: string
    text: string | null
    buttonId?: string | null
    now?: Date
  },
) {
  const said = (text ?? '').trim()
  if (!said && !buttonId) return null
  const [visit] = await db
    .select({ id: tasks.id, title: tasks.title, dueAt: tasks.dueAt, assignedTo: tasks.assignedTo })
    .from(tasks)
    .where(
      and(
        eq(tasks.agencyId, agencyId),
        eq(tasks.confirmationConversationId, conversationId),
        eq(tasks.status, 'open'),
        sql`${tasks.confirmationState} in ('sent', 'replied')`,
        gt(tasks.dueAt, new Date(now.getTime() - 12 * HOUR_MS)),
      ),
    )
    .orderBy(asc(tasks.dueAt))
    .limit(1)
    .for('update')
  if (!visit) return null
  const state = readConfirmationReply(said, buttonId)
  await db
    .update(tasks)
    .set({ confirmationState: state, confirmationReply: said.slice(0, 500), confirmationAt: now, updatedAt: now })
    .where(and(eq(tasks.agencyId, agencyId), eq(tasks.id, visit.id)))
  await raiseNotification(db, {
    agencyId,
    userIds: [visit.assignedTo],
    kind: 'visit_reply',
    entity: 'task',
    entityId: visit.id,
    data: { title: visit.title, dueAt: visit.dueAt.toISOString(), confirmation: state, reply: said.slice(0, 140) },
    bump: true,
  })
  await emitLive(db, [rooms.managers(agencyId), rooms.user(visit.assignedTo)], 'tasks:changed')
  return state
}
