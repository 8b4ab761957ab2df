import { randomBytes } from 'node:crypto'
import {
  and,
  asc,
  clients,
  desc,
  eq,
  inArray,
  isNotNull,
  isNull,
  leads,
  lt,
  ne,
  or,
  sql,
  users,
  whatsappAccounts,
  whatsappConversationReads,
  whatsappConversations,
  whatsappMessages,
  whatsappSandboxInbox,
  whatsappTemplates,
  type DbOrTx,
} from '@impera/db'
import type { SQL } from 'drizzle-orm'
import { byId, inAgency, type AgencyActor, type AgencyCtx, type WithStorage, type WithWhatsAppSetup } from '../ctx'
import { AppError, forbidden, invalidField, notFound } from '../errors'
import { normalizePhone } from '../phones'
import { emitAsMember } from '../events'
import { enqueue, scheduleSends, whatsappMediaJob, whatsappReconcileJob, whatsappSyncTemplatesJob } from '../jobs'
import {
  fillTemplate,
  type TAssignConversationInput,
  type TConversationForRecordInput,
  type TConversationInput,
  type TCreateWhatsappAccountInput,
  type TLinkConversationInput,
  type TListConversationsInput,
  type TSandboxInjectInput,
  type TSendWhatsappInput,
  type TWhatsappAccountAiModeInput,
  type TWhatsappAccountThroughputInput,
  type TWhatsappAccountIdInput,
  type TWhatsappMessageIdInput,
  type TWhatsappTemplatesInput,
} from '../schemas'
import { lookupPhoneNumber, ProviderError, sandboxInboundBody, type WhatsAppGraph } from '../whatsapp'
import { webmOpusToOgg } from '../whatsapp/voice-note'
import { audit } from './audit'
import { assertMarketingAllowed, needsMarketingConsent } from './consent'
import { authorOf, controlTimeline, messageAuthorOf, noteOutboundMessage } from './conversation-control'
import { conversationEntries } from './conversation-entries'
import { cheapCount, keyset, textKey, timeKey, toPage, type SortKey } from './list-query'
import { conversationChanged } from './live'
import { assertCanEdit, assigneeVisibility, canEditRecord, canSeeRecord, resolveAssignee, timeRange } from './records'

/** The customer-service window: free-form messages only within 24 h of the contact's last message. */
export const WINDOW_MS = 24 * 3600 * 1000

export function windowEndsAt(lastInboundAt: Date | null): Date | null {
  return lastInboundAt ? new Date(lastInboundAt.getTime() + WINDOW_MS) : null
}

function conversationVisibility(actor: AgencyActor): SQL | undefined {
  return assigneeVisibility(actor, whatsappConversations.assignedTo)
}

export async function getVisibleConversation(ctx: AgencyCtx, id: string) {
  const [c] = await ctx.db
    .select()
    .from(whatsappConversations)
    .where(and(byId(whatsappConversations, ctx, id), conversationVisibility(ctx.actor)))
  if (!c) throw notFound('conversation')
  return c
}

/**
 * The WhatsApp conversation a lead's or client's page shows with who answers it (decision 019): the one its WhatsApp
 * button opens (the most recently active linked to it), if the actor may open it.
 */
export async function recordConversation(ctx: AgencyCtx, link: { leadId: string } | { clientId: string }) {
  const [row] = await ctx.db
    .select({ id: whatsappConversations.id, controller: whatsappConversations.controller })
    .from(whatsappConversations)
    .where(
      and(
        inAgency(whatsappConversations, ctx),
        'leadId' in link
          ? eq(whatsappConversations.leadId, link.leadId)
          : eq(whatsappConversations.clientId, link.clientId),
        conversationVisibility(ctx.actor),
      ),
    )
    .orderBy(desc(whatsappConversations.lastMessageAt))
    .limit(1)
  return row ?? null
}

const accountColumns = {
  id: whatsappAccounts.id,
  provider: whatsappAccounts.provider,
  label: whatsappAccounts.label,
  displayNumber: whatsappAccounts.displayNumber,
  phoneNumberId: whatsappAccounts.phoneNumberId,
  pausedReason: whatsappAccounts.pausedReason,
  templatesSyncedAt: whatsappAccounts.templatesSyncedAt,
  templatesError: whatsappAccounts.templatesError,
  aiMode: whatsappAccounts.aiMode,
  messagesPerSecond: whatsappAccounts.messagesPerSecond,
  createdAt: whatsappAccounts.createdAt,
}

export async function listWhatsappAccounts(ctx: AgencyCtx) {
  return ctx.db
    .select(accountColumns)
    .from(whatsappAccounts)
    .where(inAgency(whatsappAccounts, ctx))
    .orderBy(asc(whatsappAccounts.createdAt))
}

/** Asks the worker to fetch a number's templates from the provider now (it also does so daily). */
export async function requestTemplateSync(ctx: AgencyCtx, { id: accountId }: TWhatsappAccountIdInput) {
  const { db, actor } = ctx
  const [account] = await db
    .select({ id: whatsappAccounts.id })
    .from(whatsappAccounts)
    .where(byId(whatsappAccounts, ctx, accountId))
  if (!account) throw notFound('whatsapp_account')
  await enqueue(
    db,
    whatsappSyncTemplatesJob,
    { agencyId: actor.agencyId, accountId },
    { jobKey: `wa-templates-${accountId}` },
  )
  await audit(ctx, 'whatsapp.templates.sync', { entity: 'whatsapp_account', entityId: accountId })
  return { queued: true }
}

/** The templates a number can send now (approved by Meta), for the composer; all of them for the settings page. */
export async function listWhatsappTemplates(ctx: AgencyCtx, { accountId, all = false }: TWhatsappTemplatesInput) {
  return ctx.db
    .select({
      id: whatsappTemplates.id,
      name: whatsappTemplates.name,
      language: whatsappTemplates.language,
      category: whatsappTemplates.category,
      status: whatsappTemplates.status,
      body: whatsappTemplates.body,
      params: whatsappTemplates.params,
    })
    .from(whatsappTemplates)
    .where(
      and(
        inAgency(whatsappTemplates, ctx),
        eq(whatsappTemplates.accountId, accountId),
        all ? undefined : eq(whatsappTemplates.status, 'APPROVED'),
      ),
    )
    .orderBy(asc(whatsappTemplates.name), asc(whatsappTemplates.language))
}

/**
 * A Cloud API number is claimed (phone_number_id is unique across agencies) only once its token proves access to it:
 * Graph answers GET /{phone-number-id} only to a token of the number's business. Otherwise anyone could type another
 * agency's number and squat it. Asked inside the request, with a short timeout, since the answer decides the form.
 */
async function proveNumberAccess(graph: WhatsAppGraph | null, phoneNumberId: string, accessToken: string) {
  if (!graph)
    throw new AppError('INTERNAL', 'no Graph endpoint to check the number against', {
      userMessage: 'whatsapp.numberCheckUnavailable',
    })
  try {
    await lookupPhoneNumber({
      graphUrl: graph.graphUrl,
      version: graph.graphVersion,
      fetch: graph.fetch,
      accessToken,
      phoneNumberId,
      timeoutMs: 10_000,
    })
  } catch (e) {
    if (!(e instanceof ProviderError)) throw e
    // Meta unreachable or busy says nothing about the token: try again later. Any refusal means no proof.
    const unanswered = e.category === 'transient' || e.category === 'ambiguous' || e.category === 'rate_limited'
    throw invalidField('accessToken', unanswered ? 'whatsapp.numberCheckUnavailable' : 'whatsapp.numberNotProven')
  }
}

/**
 * Adds a number. Cloud API credentials are sealed with the secrets key and never returned. A sandbox number gets
 * generated credentials, returned once so a developer can sign test webhooks for it.
 */
export async function createWhatsappAccount(ctx: AgencyCtx & WithWhatsAppSetup, input: TCreateWhatsappAccountInput) {
  const { db, actor, secrets } = ctx
  let values
  let revealed: { appSecret: string; verifyToken: string } | null = null
  if (input.provider === 'sandbox') {
    revealed = { appSecret: randomBytes(24).toString('base64url'), verifyToken: randomBytes(12).toString('base64url') }
    const n = String(Math.floor(1000_0000 + Math.random() * 8999_9999))
    values = {
      provider: 'sandbox' as const,
      label: input.label,
      phoneNumberId: `sandbox-${randomBytes(8).toString('hex')}`,
      displayNumber: `+55119${n}`,
      appSecretEnc: secrets.seal(revealed.appSecret),
      verifyTokenEnc: secrets.seal(revealed.verifyToken),
    }
  } else {
    const [taken] = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from ${whatsappAccounts} where ${whatsappAccounts.agencyId} = ${actor.agencyId} and ${whatsappAccounts.phoneNumberId} = ${input.phoneNumberId}`,
    )
    if (taken!.n > 0) throw invalidField('phoneNumberId', 'whatsapp.numberTaken')
    await proveNumberAccess(ctx.whatsappGraph, input.phoneNumberId, input.accessToken)
    values = {
      provider: 'cloud_api' as const,
      label: input.label,
      phoneNumberId: input.phoneNumberId,
      displayNumber: input.displayNumber,
      wabaId: input.wabaId || null,
      accessTokenEnc: secrets.seal(input.accessToken),
      appSecretEnc: secrets.seal(input.appSecret),
      verifyTokenEnc: secrets.seal(input.verifyToken),
    }
  }
  const [account] = await db
    .insert(whatsappAccounts)
    .values({ ...values, agencyId: actor.agencyId })
    .onConflictDoNothing()
    .returning(accountColumns)
  if (!account) throw invalidField('phoneNumberId', 'whatsapp.numberTaken')
  await audit(ctx, 'whatsapp.account.create', { entity: 'whatsapp_account', entityId: account.id, after: account })
  // Its templates arrive by themselves (the worker asks the provider), ready for the composer.
  await enqueue(
    db,
    whatsappSyncTemplatesJob,
    { agencyId: actor.agencyId, accountId: account.id },
    { jobKey: `wa-templates-${account.id}` },
  )
  return { account, webhookPath: `/webhooks/whatsapp/${account.id}`, credentials: revealed }
}

/** Un-pauses a number after its credentials were fixed, and re-drives the messages it held. */
export async function resumeWhatsappAccount(ctx: AgencyCtx, { id }: TWhatsappAccountIdInput) {
  const [account] = await ctx.db
    .update(whatsappAccounts)
    .set({ pausedReason: null, updatedAt: new Date() })
    .where(byId(whatsappAccounts, ctx, id))
    .returning(accountColumns)
  if (!account) throw notFound('whatsapp account')
  await scheduleSends(ctx.db, ctx.actor.agencyId, id)
  await enqueue(ctx.db, whatsappReconcileJob, { agencyId: ctx.actor.agencyId })
  await audit(ctx, 'whatsapp.account.resume', { entity: 'whatsapp_account', entityId: id })
  return account
}

/**
 * The AI mode a number's new conversations start with (null: the agency's). Conversations already open keep theirs:
 * each changes only through its own control (decision 019).
 */
export async function setWhatsappAccountAiMode(ctx: AgencyCtx, { id, aiMode }: TWhatsappAccountAiModeInput) {
  const [before] = await ctx.db
    .select({ aiMode: whatsappAccounts.aiMode })
    .from(whatsappAccounts)
    .where(byId(whatsappAccounts, ctx, id))
  if (!before) throw notFound('whatsapp account')
  const [account] = await ctx.db
    .update(whatsappAccounts)
    .set({ aiMode, updatedAt: new Date() })
    .where(byId(whatsappAccounts, ctx, id))
    .returning(accountColumns)
  await audit(ctx, 'whatsapp.account.aiMode', { entity: 'whatsapp_account', entityId: id, before, after: { aiMode } })
  return account!
}

/** The rate the number's sender paces its messages to (decision 049); the run under way takes it at its next start. */
export async function setWhatsappAccountThroughput(
  ctx: AgencyCtx,
  { id, messagesPerSecond }: TWhatsappAccountThroughputInput,
) {
  const [before] = await ctx.db
    .select({ messagesPerSecond: whatsappAccounts.messagesPerSecond })
    .from(whatsappAccounts)
    .where(byId(whatsappAccounts, ctx, id))
  if (!before) throw notFound('whatsapp account')
  const [account] = await ctx.db
    .update(whatsappAccounts)
    .set({ messagesPerSecond, updatedAt: new Date() })
    .where(byId(whatsappAccounts, ctx, id))
    .returning(accountColumns)
  await audit(ctx, 'whatsapp.account.throughput', {
    entity: 'whatsapp_account',
    entityId: id,
    before,
    after: { messagesPerSecond },
  })
  return account!
}

const unreadCount = (userId: string) => sql<number>`(
  select count(*)::int from ${whatsappMessages} m
  where m.agency_id = ${whatsappConversations.agencyId} and m.conversation_id = ${whatsappConversations.id} and m.direction = 'inbound'
    and m.created_at > coalesce((select r.last_read_at from ${whatsappConversationReads} r
      where r.agency_id = ${whatsappConversations.agencyId} and r.conversation_id = ${whatsappConversations.id} and r.user_id = ${userId}), '-infinity'::timestamptz))`

/**
 * Whether the member has something unread here: an inbound message stored after they last read it. Compares the
 * conversation's newest-inbound time (kept by a trigger) with their read mark, so counting over thousands of
 * conversations never scans messages.
 */
const hasUnread = (
  userId: string,
) => sql`${whatsappConversations.lastInboundReceivedAt} > coalesce((select r.last_read_at from ${whatsappConversationReads} r
      where r.agency_id = ${whatsappConversations.agencyId} and r.conversation_id = ${whatsappConversations.id} and r.user_id = ${userId}), '-infinity'::timestamptz)`

const conversationSortKeys: Record<TListConversationsInput['sort'], SortKey> = {
  lastMessageAt: timeKey(whatsappConversations.lastMessageAt, true),
  contact: textKey(sql`coalesce(${whatsappConversations.contactName}, ${whatsappConversations.contactPhone})`),
  waitingSince: timeKey(whatsappConversations.lastInboundAt, true),
}

/**
 * What the inbox calls the contact: the linked client's or lead's name (what the agency knows them by), else their
 * WhatsApp profile name; null leaves the number to show. Read by primary key, one row each.
 */
const displayName = sql<string | null>`coalesce(
  (select c.name from ${clients} c where c.agency_id = ${whatsappConversations.agencyId} and c.id = ${whatsappConversations.clientId}),
  (select l.name from ${leads} l where l.agency_id = ${whatsappConversations.agencyId} and l.id = ${whatsappConversations.leadId}),
  nullif(${whatsappConversations.contactName}, ''))`

/** Contact waits for us: their last message arrived after our last one. */
const waitingForReply = sql`${whatsappConversations.lastInboundReceivedAt} > coalesce(${whatsappConversations.lastOutboundAt}, '-infinity'::timestamptz)`

/** The inbox's filters as SQL: the list and "all that match" of its bulk bar read the same conversations. */
export function conversationListFilters(ctx: AgencyCtx, input: TListConversationsInput): SQL | undefined {
  const { actor } = ctx
  const filters: (SQL | undefined)[] = [inAgency(whatsappConversations, ctx), conversationVisibility(actor)]
  if (input.filter === 'mine') filters.push(eq(whatsappConversations.assignedTo, actor.userId))
  if (input.filter === 'unassigned') filters.push(isNull(whatsappConversations.assignedTo))
  if (input.filter === 'unread') filters.push(hasUnread(actor.userId))
  if (input.filter === 'ai') filters.push(eq(whatsappConversations.controller, 'bot'))
  if (input.status && input.status !== 'all') filters.push(eq(whatsappConversations.status, input.status))
  if (input.label) filters.push(sql`${whatsappConversations.labels} @> array[${input.label}]::text[]`)
  if (input.assignee) filters.push(eq(whatsappConversations.assignedTo, input.assignee))
  if (input.linked === 'lead') filters.push(isNotNull(whatsappConversations.leadId))
  if (input.linked === 'client') filters.push(isNotNull(whatsappConversations.clientId))
  if (input.linked === 'none')
    filters.push(isNull(whatsappConversations.leadId), isNull(whatsappConversations.clientId))
  if (input.waiting) filters.push(waitingForReply)
  filters.push(timeRange(whatsappConversations.lastMessageAt, input.from, input.to))
  if (input.q) {
    // Accent-blind over the contact, digits over the phone, and (3+ characters) over the whole message history, through
    // the index-driven search functions (decision 010); the conversations themselves are still read through RLS.
    const digits = input.q.replace(/\D/g, '')
    const onlyMine = !(actor.role === 'manager' || actor.agency.agentsSeeAll)
    const byContact = sql`${whatsappConversations.id} in (select id from search_conversations(${input.q}, ${digits.length >= 4 && !/[a-z]/i.test(input.q) ? digits : null}, ${onlyMine}, false, 500))`
    const byMessage =
      input.q.length >= 3
        ? sql`${whatsappConversations.id} in (select m.conversation_id from ${whatsappMessages} m where m.agency_id = ${actor.agencyId} and m.id in (select id from search_messages(${input.q}, null, ${onlyMine}, 500)))`
        : undefined
    filters.push(or(byContact, byMessage))
  }
  return and(...filters)
}

export async function listConversations(ctx: AgencyCtx, input: TListConversationsInput) {
  const { db, actor } = ctx
  const where = conversationListFilters(ctx, input)
  const page = keyset(conversationSortKeys[input.sort], whatsappConversations.id, input)
  const fetched = await db
    .select({
      id: whatsappConversations.id,
      contactPhone: whatsappConversations.contactPhone,
      contactName: whatsappConversations.contactName,
      displayName: displayName,
      leadId: whatsappConversations.leadId,
      clientId: whatsappConversations.clientId,
      assignedTo: whatsappConversations.assignedTo,
      assigneeName: users.name,
      lastMessageAt: whatsappConversations.lastMessageAt,
      lastMessagePreview: whatsappConversations.lastMessagePreview,
      lastInboundAt: whatsappConversations.lastInboundAt,
      waiting: sql<boolean>`coalesce(${waitingForReply}, false)`,
      unread: unreadCount(actor.userId),
      controller: whatsappConversations.controller,
      aiMode: whatsappConversations.aiMode,
      status: whatsappConversations.status,
      labels: whatsappConversations.labels,
      sortKey: page.keyText,
    })
    .from(whatsappConversations)
    .leftJoin(users, eq(users.id, whatsappConversations.assignedTo))
    .where(and(where, page.where))
    .orderBy(...page.orderBy)
    .limit(page.limit)
  const { rows, next, prev } = toPage(fetched, input)
  const total = await cheapCount(db, sql`select 1 from ${whatsappConversations} where ${where}`)
  return { rows: rows.map((r) => ({ ...r, windowEndsAt: windowEndsAt(r.lastInboundAt) })), next, prev, total }
}

/** Badges show "99+" beyond this, so counting stops there. */
const UNREAD_CAP = 100

/**
 * Unread conversations for the sidebar badge (on every page) and the dashboard, counted up to UNREAD_CAP: the most
 * recently active first (an index in that order), so a busy inbox answers after a hundred rows, not its whole history.
 */
export async function unreadConversations(ctx: AgencyCtx) {
  const { db, actor } = ctx
  const unread = db
    .select({ one: sql`1` })
    .from(whatsappConversations)
    .where(and(inAgency(whatsappConversations, ctx), conversationVisibility(actor), hasUnread(actor.userId)))
    .orderBy(sql`${whatsappConversations.lastInboundReceivedAt} desc nulls last`)
    .limit(UNREAD_CAP)
    .as('unread')
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(unread)
  return row!.n
}

const PAGE = 50

/** A conversation with a page of messages (newest 50, or the 50 before a given seq), oldest first for display. */
export async function getConversation(ctx: AgencyCtx, { id, before }: TConversationInput) {
  const { db, actor } = ctx
  const pageQuery = db
    .select({
      id: whatsappMessages.id,
      direction: whatsappMessages.direction,
      type: whatsappMessages.type,
      body: whatsappMessages.body,
      media: whatsappMessages.media,
      payload: whatsappMessages.payload,
      providerMessageId: whatsappMessages.providerMessageId,
      replyToProviderId: whatsappMessages.replyToProviderId,
      status: whatsappMessages.status,
      errorCode: whatsappMessages.errorCode,
      errorReason: whatsappMessages.errorReason,
      providerAt: whatsappMessages.providerAt,
      createdAt: whatsappMessages.createdAt,
      seq: whatsappMessages.seq,
      sentBy: whatsappMessages.sentBy,
      author: whatsappMessages.author,
    })
    .from(whatsappMessages)
    // Reactions are not messages of their own in the thread: each shows on the message it reacts to (below). The
    // senders' names are read after the limit (below): joined here, the planner met the tenant fence's one-row estimate
    // with a scan of users per message, 225 ms on a 5,000-message thread instead of 13.
    .where(
      and(
        inAgency(whatsappMessages, ctx),
        eq(whatsappMessages.conversationId, id),
        ne(whatsappMessages.type, 'reaction'),
        before ? lt(whatsappMessages.seq, before) : undefined,
      ),
    )
    .orderBy(
      sql`coalesce(${whatsappMessages.providerAt}, ${whatsappMessages.createdAt}) desc`,
      desc(whatsappMessages.seq),
    )
    .limit(PAGE + 1)
  // The page is asked for alongside the visibility check (one round trip, pipelined on the transaction's connection);
  // it stays under the agency fence and is dropped unread when the conversation is not the actor's to see.
  const [conversation, page] = await Promise.all([getVisibleConversation(ctx, id), pageQuery])
  const [lead, client] = await Promise.all([
    conversation.leadId
      ? db
          .select({ id: leads.id, name: leads.name, assignedTo: leads.assignedTo })
          .from(leads)
          .where(byId(leads, ctx, conversation.leadId))
      : Promise.resolve([]),
    conversation.clientId
      ? db
          .select({ id: clients.id, name: clients.name, assignedTo: clients.assignedTo })
          .from(clients)
          .where(byId(clients, ctx, conversation.clientId))
      : Promise.resolve([]),
  ])
  const link = (r: { id: string; name: string; assignedTo: string | null } | undefined) =>
    r ? { id: canSeeRecord(actor, r) ? r.id : null, name: r.name } : null
  const shown = page.slice(0, PAGE)
  const senders = [...new Set(shown.flatMap((m) => (m.sentBy ? [m.sentBy] : [])))]
  const [reactions, quotes, names] = await Promise.all([
    contactReactions(
      db,
      actor.agencyId,
      id,
      shown.flatMap((m) => (m.providerMessageId ? [m.providerMessageId] : [])),
    ),
    quotedMessages(
      db,
      { agencyId: actor.agencyId, accountId: conversation.accountId, conversationId: id },
      shown.flatMap((m) => (m.replyToProviderId ? [m.replyToProviderId] : [])),
    ),
    senders.length
      ? db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, senders))
      : Promise.resolve([]),
  ])
  const nameOf = new Map(names.map((u) => [u.id, u.name]))
  // The control timeline (decision 019) for the span this page shows: from its oldest message on (all of it on the
  // first page of a short thread), for the thread to interleave by time.
  const oldest = shown[shown.length - 1]
  const since = page.length > PAGE && oldest ? (oldest.providerAt ?? oldest.createdAt) : null
  const [timeline, entries, [changer]] = await Promise.all([
    controlTimeline(db, actor.agencyId, id, since),
    conversationEntries(db, actor.agencyId, id, since),
    conversation.controlChangedBy
      ? db.select({ name: users.name }).from(users).where(eq(users.id, conversation.controlChangedBy))
      : Promise.resolve([]),
  ])
  const newerStart = before && shown[0] ? (shown[0].providerAt ?? shown[0].createdAt) : null
  const upToNewerPage = <T extends { at: Date }>(rows: T[]) =>
    newerStart ? rows.filter((e) => e.at <= newerStart) : rows
  return {
    control: {
      controller: conversation.controller,
      aiMode: conversation.aiMode,
      changedAt: conversation.controlChangedAt,
      changedByName: changer?.name ?? null,
      reason: conversation.controlReason,
    },
    // An older page stops where the newer one (already shown) begins.
    timeline: upToNewerPage(timeline),
    /** Internal notes and status changes (issue 16's inbox), oldest first, interleaved by the thread like `timeline`. */
    entries: upToNewerPage(entries).map(({ actorUserId, ...e }) => ({
      ...e,
      canDelete: e.kind === 'note' && (actor.role === 'manager' || actorUserId === actor.userId),
    })),
    conversation: {
      ...conversation,
      displayName: client[0]?.name ?? lead[0]?.name ?? (conversation.contactName || null),
      windowEndsAt: windowEndsAt(conversation.lastInboundAt),
      windowOpen: !!conversation.lastInboundAt && conversation.lastInboundAt.getTime() + WINDOW_MS > Date.now(),
    },
    messages: shown.reverse().map(({ replyToProviderId, sentBy, ...m }) => ({
      ...m,
      sentByName: (sentBy && nameOf.get(sentBy)) ?? null,
      reaction: (m.providerMessageId && reactions.get(m.providerMessageId)) || null,
      quote: (replyToProviderId && quotes.get(replyToProviderId)) || null,
    })),
    hasMore: page.length > PAGE,
    lead: link(lead[0]),
    client: link(client[0]),
    canEdit: canEditRecord(actor, conversation),
  }
}

/** The messages these replies quote (WhatsApp's reply-to), by provider id, when they are in this conversation. */
async function quotedMessages(
  db: DbOrTx,
  { agencyId, accountId, conversationId }: { agencyId: string; accountId: string; conversationId: string },
  providerMessageIds: string[],
) {
  if (!providerMessageIds.length) return new Map<string, { direction: string; type: string; body: string | null }>()
  const rows = await db
    .select({
      providerMessageId: whatsappMessages.providerMessageId,
      direction: whatsappMessages.direction,
      type: whatsappMessages.type,
      body: whatsappMessages.body,
    })
    .from(whatsappMessages)
    .where(
      and(
        // The provider's ids are unique per number (the key this reads by), then kept to this conversation.
        eq(whatsappMessages.agencyId, agencyId),
        eq(whatsappMessages.accountId, accountId),
        eq(whatsappMessages.conversationId, conversationId),
        inArray(whatsappMessages.providerMessageId, [...new Set(providerMessageIds)]),
      ),
    )
  return new Map(
    rows.map(({ providerMessageId, ...q }) => [providerMessageId!, { ...q, body: q.body?.slice(0, 200) ?? null }]),
  )
}

/**
 * The contact's current reaction to each of these messages: their latest reaction event by their own clock (WhatsApp
 * keeps one per person and message; an empty emoji takes it back), so reactions arriving out of order settle right.
 */
async function contactReactions(db: DbOrTx, agencyId: string, conversationId: string, providerMessageIds: string[]) {
  if (!providerMessageIds.length) return new Map<string, string | null>()
  const rows = await db.execute<{ target: string; emoji: string | null }>(sql`
    select distinct on (target) target, emoji from (
      select ${whatsappMessages.payload}->>'targetProviderMessageId' as target, ${whatsappMessages.payload}->>'emoji' as emoji, ${whatsappMessages.providerAt} as at, ${whatsappMessages.seq} as seq
      from ${whatsappMessages}
      where ${whatsappMessages.agencyId} = ${agencyId} and ${whatsappMessages.conversationId} = ${conversationId} and ${whatsappMessages.type} = 'reaction' and ${whatsappMessages.direction} = 'inbound'
    ) r
    where target in (${sql.join(
      providerMessageIds.map((p) => sql`${p}`),
      sql`, `,
    )})
    order by target, at desc, seq desc`)
  return new Map(rows.map((r) => [r.target, r.emoji]))
}

/**
 * Queues an outbound message under the composer's id (idempotent: the same id again returns the first message). Free
 * text outside the 24-hour window is refused here, before any API call, with a reason that suggests a template.
 */
export async function queueWhatsappMessage(ctx: AgencyCtx, input: TSendWhatsappInput) {
  const { db, actor } = ctx
  const conversation = await getVisibleConversation(ctx, input.conversationId)
  assertCanEdit(actor, conversation, 'conversation')
  const [existing] = await db.select().from(whatsappMessages).where(eq(whatsappMessages.id, input.id))
  if (existing) {
    if (existing.agencyId !== actor.agencyId || existing.conversationId !== conversation.id)
      throw new AppError('CONFLICT', 'message id reused', { userMessage: 'errors.invalidInput' })
    return existing
  }
  const open = !!conversation.lastInboundAt && conversation.lastInboundAt.getTime() + WINDOW_MS > Date.now()
  if (input.type === 'text' && !open)
    throw new AppError('INVALID_INPUT', 'window closed', {
      userMessage: 'whatsapp.errors.windowClosed',
      meta: { fields: { text: ['whatsapp.errors.windowClosed'] }, reason: 'window_closed' },
    })
  let body = input.type === 'text' ? input.text : `[${input.name}] ${input.parameters.join(' · ')}`.trim()
  if (input.type === 'template') {
    // A synced template is checked before any API call, and the thread shows the text the contact gets. One not synced
    // (approved since the last sync) goes as typed, Meta judging its content — but only to a contact who agreed to
    // marketing (decision 046).
    const [known] = await db
      .select({
        body: whatsappTemplates.body,
        params: whatsappTemplates.params,
        status: whatsappTemplates.status,
        category: whatsappTemplates.category,
      })
      .from(whatsappTemplates)
      .where(
        and(
          inAgency(whatsappTemplates, ctx),
          eq(whatsappTemplates.accountId, conversation.accountId),
          eq(whatsappTemplates.name, input.name),
          eq(whatsappTemplates.language, input.language),
        ),
      )
    if (known && known.status !== 'APPROVED') throw invalidField('name', 'whatsapp.templateNotApproved')
    if (known && known.params !== input.parameters.filter(Boolean).length)
      throw invalidField('parameters', 'whatsapp.templateParamCount')
    if (known) body = fillTemplate(known.body, input.parameters)
    // A marketing template needs the contact's consent (LGPD, decision 037); a utility one does not; one not synced
    // (its category unknown here) is held to the marketing rule (decision 046).
    if (needsMarketingConsent(known?.category)) await assertMarketingAllowed(db, conversation, 'name')
  }
  const [message] = await db
    .insert(whatsappMessages)
    .values({
      id: input.id,
      agencyId: actor.agencyId,
      conversationId: conversation.id,
      accountId: conversation.accountId,
      direction: 'outbound',
      type: input.type,
      body,
      payload:
        input.type === 'template' ? { name: input.name, language: input.language, parameters: input.parameters } : null,
      replyToProviderId: input.type === 'text' ? (input.replyTo ?? null) : null,
      status: 'queued',
      providerAt: new Date(),
      sentBy: actor.userId,
      author: messageAuthorOf(actor),
    })
    .onConflictDoNothing()
    .returning()
  if (!message) {
    // The same id raced in from a double click: the first one stands. Not visible here, the id is another agency's
    // message (ids are unique across agencies): as if it did not exist.
    const [first] = await db
      .select()
      .from(whatsappMessages)
      .where(byId(whatsappMessages, ctx, input.id))
    if (!first) throw notFound('message')
    return first
  }
  await db
    .update(whatsappConversations)
    .set({
      lastMessageAt: message.providerAt,
      lastMessagePreview: (message.body ?? '').slice(0, 140),
      updatedAt: new Date(),
    })
    .where(eq(whatsappConversations.id, conversation.id))
  await scheduleSends(db, actor.agencyId, message.accountId)
  await audit(ctx, 'whatsapp.message.send', {
    entity: 'whatsapp_message',
    entityId: message.id,
    after: { conversationId: conversation.id, type: message.type },
  })
  await emitAsMember(ctx, { type: 'message.sent', conversationId: conversation.id, messageId: message.id })
  // A person's send takes the conversation over (decision 019); an integration's is a bot's and does not.
  await noteOutboundMessage(db, authorOf(actor), {
    conversationId: conversation.id,
    author: message.author,
    at: message.providerAt ?? new Date(),
  })
  return message
}

async function getOwnAgencyMessage(ctx: AgencyCtx, id: string) {
  const [message] = await ctx.db
    .select()
    .from(whatsappMessages)
    .where(byId(whatsappMessages, ctx, id))
  if (!message) throw notFound('message')
  const conversation = await getVisibleConversation(ctx, message.conversationId)
  assertCanEdit(ctx.actor, conversation, 'conversation')
  return message
}

/** Manual retry of a failed outbound message (same id, so still never two sends of one message). */
export async function retryWhatsappMessage(ctx: AgencyCtx, { id }: TWhatsappMessageIdInput) {
  const { db, actor } = ctx
  const message = await getOwnAgencyMessage(ctx, id)
  if (message.direction !== 'outbound' || message.status !== 'failed')
    throw new AppError('CONFLICT', 'not failed', { userMessage: 'whatsapp.errors.notRetryable' })
  const [after] = await db
    .update(whatsappMessages)
    .set({ status: 'queued', errorCode: null, errorReason: null, sendAfter: null, updatedAt: new Date() })
    .where(eq(whatsappMessages.id, id))
    .returning()
  await scheduleSends(db, actor.agencyId, after!.accountId)
  await audit(ctx, 'whatsapp.message.retry', { entity: 'whatsapp_message', entityId: id })
  return after!
}

export async function retryWhatsappMedia(ctx: AgencyCtx, { id }: TWhatsappMessageIdInput) {
  const { db, actor } = ctx
  const message = await getOwnAgencyMessage(ctx, id)
  if (!message.media || message.media.state !== 'failed')
    throw new AppError('CONFLICT', 'media not failed', { userMessage: 'whatsapp.errors.notRetryable' })
  await db
    .update(whatsappMessages)
    .set({ media: { ...message.media, state: 'pending', error: undefined }, updatedAt: new Date() })
    .where(eq(whatsappMessages.id, id))
  await enqueue(db, whatsappMediaJob, { agencyId: actor.agencyId, messageId: id }, { jobKey: `wa-media-${id}` })
  await audit(ctx, 'whatsapp.media.retry', { entity: 'whatsapp_message', entityId: id })
  return { ok: true as const }
}

/** `id` is the conversation's (the procedure reuses the schema named for account ids). */
export async function markConversationRead(ctx: AgencyCtx, { id }: TWhatsappAccountIdInput) {
  const { db, actor } = ctx
  await getVisibleConversation(ctx, id)
  await db
    .insert(whatsappConversationReads)
    .values({ agencyId: actor.agencyId, conversationId: id, userId: actor.userId, lastReadAt: new Date() })
    .onConflictDoUpdate({
      target: [
        whatsappConversationReads.agencyId,
        whatsappConversationReads.conversationId,
        whatsappConversationReads.userId,
      ],
      set: { lastReadAt: new Date() },
    })
  return { ok: true as const }
}

export async function assignConversation(ctx: AgencyCtx, { id, assignedTo }: TAssignConversationInput) {
  const before = await getVisibleConversation(ctx, id)
  assertCanEdit(ctx.actor, before, 'conversation')
  const to = await resolveAssignee(ctx, assignedTo, before.assignedTo)
  const [after] = await ctx.db
    .update(whatsappConversations)
    .set({ assignedTo: to, updatedAt: new Date() })
    .where(eq(whatsappConversations.id, id))
    .returning()
  await audit(ctx, 'whatsapp.conversation.assign', { entity: 'whatsapp_conversation', entityId: id, before, after })
  if (to !== before.assignedTo) {
    await emitAsMember(ctx, { type: 'conversation.assigned', conversationId: id, from: before.assignedTo, to })
    // Whoever had it and whoever has it now (and the managers) see the inbox change without a reload.
    await conversationChanged(ctx.db, before)
    await conversationChanged(ctx.db, after!)
  }
  return after!
}

/** Links a conversation to a lead and/or client the actor can see (e.g. after a number changed hands). */
export async function linkConversation(ctx: AgencyCtx, { id, leadId, clientId }: TLinkConversationInput) {
  const { db, actor } = ctx
  const before = await getVisibleConversation(ctx, id)
  assertCanEdit(actor, before, 'conversation')
  if (leadId) {
    const [l] = await db
      .select({ assignedTo: leads.assignedTo })
      .from(leads)
      .where(and(byId(leads, ctx, leadId), isNull(leads.deletedAt)))
    if (!l || !canSeeRecord(actor, l)) throw invalidField('leadId', 'whatsapp.linkInvalid')
  }
  if (clientId) {
    const [c] = await db
      .select({ assignedTo: clients.assignedTo })
      .from(clients)
      .where(and(byId(clients, ctx, clientId), isNull(clients.deletedAt)))
    if (!c || !canSeeRecord(actor, c)) throw invalidField('clientId', 'whatsapp.linkInvalid')
  }
  const [after] = await db
    .update(whatsappConversations)
    .set({ leadId, clientId, updatedAt: new Date() })
    .where(eq(whatsappConversations.id, id))
    .returning()
  await audit(ctx, 'whatsapp.conversation.link', { entity: 'whatsapp_conversation', entityId: id, before, after })
  return after!
}

/**
 * The conversation of a lead or client (opened from its page): the existing one, or a new one on the agency's first
 * number with the record's first phone — or on the number and to the phone the member chose (an agency with a sales
 * and a rentals number; a client with a work and a personal phone). Writing there outside the window needs a
 * template, as anywhere.
 */
export async function conversationForRecord(
  ctx: AgencyCtx,
  { leadId, clientId, accountId, phone }: TConversationForRecordInput,
) {
  const { db, actor } = ctx
  const table = leadId ? leads : clients
  const recordId = (leadId ?? clientId)!
  const [record] = await db
    .select({ id: table.id, phones: table.phones, assignedTo: table.assignedTo, name: table.name })
    .from(table)
    .where(and(byId(table, ctx, recordId), isNull(table.deletedAt)))
  if (!record || !canSeeRecord(actor, record)) throw notFound(leadId ? 'lead' : 'client')
  const to = phone
    ? record.phones.find((p) => p === normalizePhone(phone, actor.agency.defaultPhoneCountry))
    : undefined
  if (phone && !to) throw invalidField('phone', 'whatsapp.phoneNotOnRecord')
  if (accountId) {
    const [account] = await db
      .select({ id: whatsappAccounts.id })
      .from(whatsappAccounts)
      .where(byId(whatsappAccounts, ctx, accountId))
    if (!account) throw invalidField('accountId', 'whatsapp.accountInvalid')
  }
  const opened = await openConversationFor(db, actor.agencyId, {
    ...(leadId ? { leadId } : { clientId: recordId }),
    phone: to ?? record.phones[0] ?? null,
    name: record.name,
    assignedTo: record.assignedTo,
    ...(accountId || to ? { accountId, choosePhone: !!to } : {}),
  })
  if (opened.created) await emitAsMember(ctx, { type: 'conversation.created', conversationId: opened.id })
  return { id: opened.id }
}

/**
 * A lead's or client's conversation: the latest one linked to it, else the one with its phone on the agency's first
 * number (linked now), else a new one there. With `accountId` (and/or `choosePhone`, the phone being the member's
 * choice), only a linked conversation on that number and with that phone counts, and a new one opens there. Shared by
 * "iniciar conversa" and the visit confirmations (decision 026); the caller announces a created one as its author.
 */
export async function openConversationFor(
  db: DbOrTx,
  agencyId: string,
  record: ({ leadId: string } | { clientId: string }) & {
    phone: string | null
    name: string
    assignedTo: string | null
    accountId?: string
    choosePhone?: boolean
  },
): Promise<{ id: string; accountId: string; created: boolean }> {
  const link =
    'leadId' in record
      ? eq(whatsappConversations.leadId, record.leadId)
      : eq(whatsappConversations.clientId, record.clientId)
  const [existing] = await db
    .select({ id: whatsappConversations.id, accountId: whatsappConversations.accountId })
    .from(whatsappConversations)
    .where(
      and(
        eq(whatsappConversations.agencyId, agencyId),
        link,
        record.accountId ? eq(whatsappConversations.accountId, record.accountId) : undefined,
        record.choosePhone && record.phone ? eq(whatsappConversations.contactPhone, record.phone) : undefined,
      ),
    )
    .orderBy(desc(whatsappConversations.lastMessageAt))
    .limit(1)
  if (existing) return { ...existing, created: false }
  const phone = record.phone
  if (!phone) throw new AppError('INVALID_INPUT', 'no phone', { userMessage: 'whatsapp.errors.noPhone' })
  const [account] = await db
    .select({ id: whatsappAccounts.id })
    .from(whatsappAccounts)
    .where(
      and(
        eq(whatsappAccounts.agencyId, agencyId),
        record.accountId ? eq(whatsappAccounts.id, record.accountId) : undefined,
      ),
    )
    .orderBy(asc(whatsappAccounts.createdAt))
    .limit(1)
  if (!account) throw new AppError('CONFLICT', 'no account', { userMessage: 'whatsapp.errors.noAccount' })
  const recordLink = 'leadId' in record ? { leadId: record.leadId } : { clientId: record.clientId }
  const [byPhone] = await db
    .select({ id: whatsappConversations.id })
    .from(whatsappConversations)
    .where(
      and(
        eq(whatsappConversations.agencyId, agencyId),
        eq(whatsappConversations.accountId, account.id),
        eq(whatsappConversations.contactPhone, phone),
      ),
    )
  if (byPhone) {
    await db.update(whatsappConversations).set(recordLink).where(eq(whatsappConversations.id, byPhone.id))
    return { id: byPhone.id, accountId: account.id, created: false }
  }
  const [created] = await db
    .insert(whatsappConversations)
    .values({
      agencyId,
      accountId: account.id,
      contactPhone: phone,
      contactName: record.name,
      ...recordLink,
      assignedTo: record.assignedTo,
    })
    .returning({ id: whatsappConversations.id })
  return { id: created!.id, accountId: account.id, created: true }
}

/** Dev panel / CLI: a message from a simulated contact to a sandbox number, delivered through the worker's poll. */
export async function injectSandboxMessage(ctx: AgencyCtx, input: TSandboxInjectInput) {
  const { db, actor } = ctx
  const [account] = await db
    .select()
    .from(whatsappAccounts)
    .where(byId(whatsappAccounts, ctx, input.accountId))
  if (!account) throw notFound('whatsapp account')
  if (account.provider !== 'sandbox') throw forbidden('not a sandbox number', { reason: 'not_sandbox' })
  const from = input.from.replace(/\D/g, '')
  if (from.length < 10) throw invalidField('from', 'validation.phone')
  await db.insert(whatsappSandboxInbox).values({
    agencyId: actor.agencyId,
    accountId: account.id,
    body: sandboxInboundBody({
      phoneNumberId: account.phoneNumberId,
      displayNumber: account.displayNumber,
      from,
      name: input.name,
      text: input.text,
    }),
  })
  await enqueue(db, whatsappReconcileJob, { agencyId: actor.agencyId })
  return { ok: true as const }
}

/** For the media route: the stored file of a message in a conversation the actor may see, or NOT_FOUND. */
export async function readWhatsappMedia(ctx: AgencyCtx & WithStorage, { messageId }: { messageId: string }) {
  const [message] = await ctx.db
    .select()
    .from(whatsappMessages)
    .where(byId(whatsappMessages, ctx, messageId))
  if (!message?.media?.storageKey || message.media.state !== 'stored') throw notFound('media')
  await getVisibleConversation(ctx, message.conversationId)
  const file = await ctx.storage.get(message.media.storageKey)
  if (!file) throw notFound('media file')
  return { ...file, contentType: message.media.mimeType ?? file.contentType, filename: message.media.filename ?? null }
}

export const OUTBOUND_MEDIA_MAX_BYTES = 16 * 1024 * 1024
/** What WhatsApp accepts as attachments we send, by the declared type of the upload. */
const outboundKinds: [RegExp, 'image' | 'video' | 'audio' | 'document'][] = [
  [/^image\/(jpeg|png)$/, 'image'],
  [/^video\/(mp4|3gpp)$/, 'video'],
  [/^audio\/(ogg|mpeg|mp4|aac|amr)/, 'audio'],
  [/^(application\/(pdf|msword|vnd\.|zip)|text\/plain)/, 'document'],
]

/**
 * Queues an attachment under the composer's id: the file is stored first (our storage), then the message row and
 * its send job, so a send retry reads the same bytes. Inside the 24-hour window only, like any free-form message.
 */
export async function queueWhatsappMedia(
  ctx: AgencyCtx & WithStorage,
  input: {
    id: string
    conversationId: string
    filename: string
    mimeType: string
    bytes: Uint8Array
    caption?: string
  },
) {
  const { db, actor, storage } = ctx
  const conversation = await getVisibleConversation(ctx, input.conversationId)
  assertCanEdit(actor, conversation, 'conversation')
  const [existing] = await db.select().from(whatsappMessages).where(eq(whatsappMessages.id, input.id))
  if (existing) {
    if (existing.agencyId !== actor.agencyId || existing.conversationId !== conversation.id)
      throw new AppError('CONFLICT', 'message id reused', { userMessage: 'errors.invalidInput' })
    return existing
  }
  const fail = (message: string) =>
    new AppError('INVALID_INPUT', message, {
      userMessage: message,
      meta: { fields: { file: [message] }, file: input.filename },
    })
  if (input.bytes.byteLength === 0) throw fail('whatsapp.errors.fileEmpty')
  if (input.bytes.byteLength > OUTBOUND_MEDIA_MAX_BYTES) throw fail('whatsapp.errors.fileTooLarge')
  // A voice note recorded in the browser is Opus in WebM; WhatsApp plays Opus in Ogg as a voice message.
  const voice = /^audio\/webm\b/.test(input.mimeType)
  if (voice) {
    try {
      input = {
        ...input,
        bytes: webmOpusToOgg(input.bytes),
        mimeType: 'audio/ogg',
        filename: `${input.filename.replace(/\.webm$/i, '')}.ogg`,
      }
    } catch {
      throw fail('whatsapp.errors.voiceNote')
    }
  }
  const kind = outboundKinds.find(([re]) => re.test(input.mimeType))?.[1]
  if (!kind) throw fail('whatsapp.errors.fileType')
  if (!conversation.lastInboundAt || conversation.lastInboundAt.getTime() + WINDOW_MS <= Date.now())
    throw new AppError('INVALID_INPUT', 'window closed', {
      userMessage: 'whatsapp.errors.windowClosed',
      meta: { fields: { file: ['whatsapp.errors.windowClosed'] }, reason: 'window_closed' },
    })
  const key = `${actor.agencyId}/whatsapp/${conversation.id}/${input.id}`
  const caption = input.caption?.trim().slice(0, 1024) || null
  // The row first: an id taken meanwhile (a double submit, or another agency's message) stops here, before any file
  // is written. The file follows in the same transaction; if storing it fails, the row goes too.
  const [message] = await db
    .insert(whatsappMessages)
    .values({
      id: input.id,
      agencyId: actor.agencyId,
      conversationId: conversation.id,
      accountId: conversation.accountId,
      direction: 'outbound',
      type: kind,
      body: caption,
      media: {
        state: 'stored',
        storageKey: key,
        mimeType: input.mimeType,
        filename: input.filename.slice(0, 200),
        bytes: input.bytes.byteLength,
        ...(voice ? { voice: true } : {}),
      },
      status: 'queued',
      providerAt: new Date(),
      sentBy: actor.userId,
      author: messageAuthorOf(actor),
    })
    .onConflictDoNothing()
    .returning()
  if (!message) {
    const [first] = await db
      .select()
      .from(whatsappMessages)
      .where(byId(whatsappMessages, ctx, input.id))
    if (!first) throw notFound('message')
    return first
  }
  await storage.put(key, input.bytes, input.mimeType)
  await db
    .update(whatsappConversations)
    .set({
      lastMessageAt: message.providerAt,
      lastMessagePreview: caption ?? `[${kind}] ${input.filename}`.slice(0, 140),
      updatedAt: new Date(),
    })
    .where(eq(whatsappConversations.id, conversation.id))
  await scheduleSends(db, actor.agencyId, message.accountId)
  await audit(ctx, 'whatsapp.message.send', {
    entity: 'whatsapp_message',
    entityId: message.id,
    after: { conversationId: conversation.id, type: kind, file: input.filename },
  })
  await emitAsMember(ctx, { type: 'message.sent', conversationId: conversation.id, messageId: message.id })
  // A person's send takes the conversation over (decision 019); an integration's is a bot's and does not.
  await noteOutboundMessage(db, authorOf(actor), {
    conversationId: conversation.id,
    author: message.author,
    at: message.providerAt ?? new Date(),
  })
  return message
}
