import { createHash } from 'node:crypto'
import { getTableColumns } from 'drizzle-orm'
import {
  agencies,
  and,
  asc,
  clientEvents,
  clients,
  eq,
  inArray,
  isNotNull,
  isNull,
  leads,
  lt,
  or,
  sql,
  whatsappAccounts,
  whatsappConversations,
  whatsappMessages,
  whatsappSandboxInbox,
  whatsappStatusEvents,
  whatsappTemplates,
  whatsappWebhookEvents,
  whatsappWebhookRejections,
  withAgency,
  type Db,
  type DbOrTx,
  type MessageMedia,
  type Tx,
  type WhatsappAccount,
  type WhatsappWebhookEvent,
} from '@impera/db'
import { emitAsSystem, type ChangeOrigin } from '../events'
import { publicMessageStatus } from '../webhooks/payloads'
import { asSystem, createLeadRecord, recordLeadChange } from './lead-facts'
import { activityChanged, deferLiveEvents } from './live'
import { assigneeOrManagers, deferNotificationBumps, raiseNotification } from './notifications'
import {
  aiRequestTurnJob,
  aiStepJob,
  enqueue,
  whatsappIngestJob,
  whatsappIngestPendingJob,
  whatsappMediaJob,
  scheduleSends,
} from '../jobs'
import { normalizePhone } from '../phones'
import { cleanText, zUuid } from '../schemas/common'
import { contactHolders } from './records'
import {
  providerFor,
  ProviderError,
  type InboundMessageEvent,
  type NormalizedEvent,
  type OutboundContent,
  type ProviderTemplate,
  type SendResult,
  type StatusEvent,
  type WhatsAppRuntime,
} from '../whatsapp'
import type { WhatsAppSystemCtx } from '../ctx'
import { memoRead, withReadMemo } from '../read-memo'
import { auditSystem } from './audit'
import { noteConsentWords } from './consent'
import { defaultAiMode, initialController, noteOutboundMessage, systemAuthor } from './conversation-control'
import { reopenOnInbound } from './conversation-entries'
import { noteVisitConfirmationReply } from './visit-confirmations'
import { distributeLead } from './distribution'

/**
 * The system side of WhatsApp: webhook intake, the worker's ingest / send / media / reconcile steps. No user acts
 * here; every step runs in the agency's RLS context (withAgency) with the agency taken from the stored account. So
 * these services take (ctx, input) with a WhatsAppSystemCtx, the pool and the provider runtime, instead of a member's
 * transaction: each step opens its own transactions, and a provider call must never hold one open.
 */

/** Something the live layer (Socket.IO) should tell the agency about; returned by steps, emitted after commit. */
export interface WhatsAppChange {
  agencyId: string
  conversationId: string
  messageId?: string
  kind: 'message' | 'status' | 'conversation'
}

const statusRank: Record<string, number> = {
  queued: 0,
  sending: 1,
  sent: 2,
  delivered: 3,
  read: 4,
  received: 0,
  failed: -1,
}

/** Human reasons (i18n keys) for terminal send failures. */
export const failureReasons: Record<string, string> = {
  window_closed: 'whatsapp.errors.windowClosed',
  recipient_invalid: 'whatsapp.errors.recipientInvalid',
  template_invalid: 'whatsapp.errors.templateInvalid',
  auth: 'whatsapp.errors.auth',
  media: 'whatsapp.errors.media',
  ambiguous: 'whatsapp.errors.ambiguous',
  permanent: 'whatsapp.errors.permanent',
  rate_limited: 'whatsapp.errors.rateLimited',
  transient: 'whatsapp.errors.transient',
  human_took_over: 'whatsapp.errors.humanTookOver',
}

/** The account named in a webhook URL, read through the login role's narrow door (policy whatsapp_accounts_system_by_id). */
async function readWebhookAccount(db: Db, accountId: string): Promise<WhatsappAccount | null> {
  // Only a real uuid reaches Postgres: anything else (wrong characters, dashes in odd places, impossible version
  // digits) cannot name an account, and casting it would fail the request with a 500.
  if (!zUuid.safeParse(accountId).success) return null
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('app.whatsapp_account_id', ${accountId}, true)`)
    const [account] = await tx.select().from(whatsappAccounts).where(eq(whatsappAccounts.id, accountId))
    return account ?? null
  })
}

/**
 * How long an account read for a delivery is reused. At 100 deliveries a second, reading it each time was a
 * transaction of four round trips per request (decision 047). A stale copy cannot store anything wrong: a rotated
 * secret is re-read before a delivery is refused, and the store itself checks that the number still exists.
 */
const ACCOUNT_TTL_MS = 5_000
const accountCache = new WeakMap<Db, Map<string, { account: WhatsappAccount | null; until: number }>>()

async function webhookAccount(db: Db, accountId: string, fresh = false): Promise<WhatsappAccount | null> {
  let cache = accountCache.get(db)
  if (!cache) accountCache.set(db, (cache = new Map()))
  const hit = cache.get(accountId)
  if (!fresh && hit && hit.until > Date.now()) return hit.account
  const account = await readWebhookAccount(db, accountId)
  // Unknown ids are not remembered: anyone can post to any URL, and the cache must not grow with their guesses.
  if (account) {
    if (cache.size >= 1_000) cache.clear()
    cache.set(accountId, { account, until: Date.now() + ACCOUNT_TTL_MS })
  } else cache.delete(accountId)
  return account
}

export async function verifyWebhookSubscription(
  { db, whatsapp: runtime }: WhatsAppSystemCtx,
  { accountId, query }: { accountId: string; query: URLSearchParams },
) {
  const account = await webhookAccount(db, accountId)
  if (!account) return { status: 404 as const, body: '' }
  return providerFor(runtime, account, db).verifySubscription(query)
}

/**
 * Stores a delivery durably, then answers. A valid one is committed together with its ingest job, so a 200 means
 * "stored and scheduled"; a database failure throws: the caller answers 5xx and the provider retries. A bad signature
 * is answered 403 and only noted as evidence (recordRejection), never stored as a delivery: anyone can post here.
 */
export async function receiveWebhook(
  { db, whatsapp: runtime }: WhatsAppSystemCtx,
  {
    accountId,
    rawBody,
    headers,
    source,
  }: { accountId: string; rawBody: Buffer; headers: Record<string, string | undefined>; source?: string | null },
) {
  let account = await webhookAccount(db, accountId)
  if (!account) return { status: 404 as const }
  let authentic = providerFor(runtime, account, db).authenticate(rawBody, headers)
  // The copy may predate a new app secret: a refusal is decided on the stored account.
  if (!authentic) {
    account = await webhookAccount(db, accountId, true)
    if (!account) return { status: 404 as const }
    authentic = providerFor(runtime, account, db).authenticate(rawBody, headers)
  }
  if (!authentic) {
    const refused = account
    await withAgency(db, { agencyId: refused.agencyId, userId: null }, (tx) =>
      recordRejection(tx, refused, rawBody, headers, source || 'unknown'),
    )
    return { status: 403 as const }
  }
  const kept: Record<string, string> = {}
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !/^(cookie|authorization)$/i.test(k)) kept[k] = v
  // One statement, outside any transaction of ours: it takes the tenant fence itself (migration 0081).
  const stored = await storeRawEvent(db, account, rawBody, kept)
  if (stored === null) {
    accountCache.get(db)?.delete(accountId)
    return { status: 404 as const }
  }
  return { status: 200 as const }
}

/** Refusals kept per source and per number each hour; beyond them a refusal is answered but not written down. */
const REJECTIONS_PER_SOURCE_HOUR = 20
const REJECTIONS_PER_ACCOUNT_HOUR = 200
/** How much of a refused body is kept: enough to recognise what it was, never the whole of it. */
const REJECTED_HEAD_BYTES = 512

/**
 * Evidence of a delivery refused for its signature (a rotated app secret, a misconfigured app, or someone probing the
 * URL): its hash, size, first bytes and signature header, at most REJECTIONS_PER_SOURCE_HOUR per source and
 * REJECTIONS_PER_ACCOUNT_HOUR per number, so anonymous traffic cannot fill the database.
 */
async function recordRejection(
  tx: DbOrTx,
  account: WhatsappAccount,
  rawBody: Buffer,
  headers: Record<string, string | undefined>,
  source: string,
) {
  const [recent] = await tx.execute<{ from_source: number; total: number }>(sql`
    select count(*) filter (where ${whatsappWebhookRejections.source} = ${source})::int as from_source, count(*)::int as total
    from ${whatsappWebhookRejections}
    where ${whatsappWebhookRejections.agencyId} = ${account.agencyId} and ${whatsappWebhookRejections.accountId} = ${account.id} and ${whatsappWebhookRejections.receivedAt} > now() - interval '1 hour'`)
  if (recent!.from_source >= REJECTIONS_PER_SOURCE_HOUR || recent!.total >= REJECTIONS_PER_ACCOUNT_HOUR) return
  await tx.insert(whatsappWebhookRejections).values({
    agencyId: account.agencyId,
    accountId: account.id,
    source: cleanText(source).slice(0, 100),
    bodySha256: createHash('sha256').update(rawBody).digest('hex'),
    bodyBytes: rawBody.byteLength,
    bodyHead: rawBody.subarray(0, REJECTED_HEAD_BYTES),
    signature:
      headers['x-hub-signature-256'] === undefined ? null : cleanText(headers['x-hub-signature-256'].slice(0, 100)),
  })
}

/**
 * A valid delivery and, if it is new, the run that drains the agency's deliveries (decision 047), in one statement
 * (store_whatsapp_delivery): on its own or inside the agency's transaction. The event's id; 0 for a byte-identical
 * redelivery (already stored and scheduled); null if the number is gone.
 */
async function storeRawEvent(db: DbOrTx, account: WhatsappAccount, rawBody: Buffer, headers: Record<string, string>) {
  const job = whatsappIngestPendingJob
  const n = Math.floor(Math.random() * INGEST_LANES)
  const payload = JSON.stringify(job.schema.parse({ agencyId: account.agencyId, lane: n }))
  const lane = ingestLane(account.agencyId, n)
  const [row] = await db.execute<{ id: string | null }>(
    sql`select store_whatsapp_delivery(${account.agencyId}::uuid, ${account.id}::uuid, ${JSON.stringify(headers)}::jsonb, ${rawBody}::bytea, ${job.id}::text, ${payload}::json, ${lane}::text, ${job.maxAttempts ?? null}::int, ${job.priority ?? 0}::int)::text as id`,
  )
  return row?.id === null || row?.id === undefined ? null : Number(row.id)
}

/** Serialises work on one contact's conversation (a burst of messages must not create two conversations). */
async function lockContact(tx: DbOrTx, accountId: string, phone: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${contactKey(accountId, phone)}, 0))`)
}

const contactKey = (accountId: string, phone: string) => `wa:${accountId}:${phone}`

/**
 * Transaction locks on many keys in one statement, taken in sorted order: two transactions locking overlapping sets
 * never each hold a key the other waits for.
 */
async function lockKeysInOrder(tx: DbOrTx, keys: Iterable<string>) {
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(k, 0)) from jsonb_array_elements_text(${JSON.stringify([...keys].sort())}::jsonb) with ordinality as u(k, n) order by n`,
  )
}

/** The contact's number as the agency stores it (E.164 by its phone country; digits only if that fails). */
const contactPhone = (e: InboundMessageEvent, country: string) =>
  normalizePhone(`+${e.contact.waId}`, country) ?? `+${e.contact.waId.replace(/\D/g, '')}`

/** The agency's default phone country: how numbers typed without +CC are read. */
export async function agencyCountry(tx: DbOrTx, agencyId: string): Promise<string> {
  const [row] = await tx.execute<{ c: string }>(
    sql`select default_phone_country as c from agencies where id = ${agencyId}`,
  )
  return row?.c ?? 'BR'
}

type ConversationRow = typeof whatsappConversations.$inferSelect

/** The conversations of these contacts (a number and a phone each), in one statement. */
async function conversationsOf(
  tx: DbOrTx,
  agencyId: string,
  contacts: { accountId: string; phone: string }[],
): Promise<ConversationRow[]> {
  if (!contacts.length) return []
  return tx
    .select()
    .from(whatsappConversations)
    .where(
      and(
        eq(whatsappConversations.agencyId, agencyId),
        sql`(${whatsappConversations.accountId}, ${whatsappConversations.contactPhone}) in (select a, p from jsonb_to_recordset(${JSON.stringify(contacts.map((c) => ({ a: c.accountId, p: c.phone })))}::jsonb) as x(a uuid, p text))`,
      ),
    )
}

type Holder = { id: string; assignedTo: string | null; name: string } | null
/** The latest live lead and client holding a phone: who a new contact already is to the agency. */
type Holders = { lead: Holder; client: Holder }

/**
 * The holders of these phones, in one statement (a new contact's first message is the ingest's most frequent path),
 * found through the phones' index (decision 052).
 */
async function holdersOf(tx: DbOrTx, agencyId: string, phones: string[]): Promise<Map<string, Holders>> {
  if (!phones.length) return new Map()
  const rows = await tx.execute<{
    kind: 'lead' | 'client'
    id: string
    assignedTo: string | null
    name: string
    phones: string[]
  }>(sql`
    select 'lead' as kind, l.id, l.assigned_to as "assignedTo", l.name, l.phones, l.updated_at from leads l
    where l.agency_id = ${agencyId} and l.id in (${contactHolders('leads', { phones })})
    union all
    select 'client', c.id, c.assigned_to, c.name, c.phones, c.updated_at from clients c
    where c.agency_id = ${agencyId} and c.id in (${contactHolders('clients', { phones })})
    order by updated_at desc`)
  // Each phone's latest lead and latest client (the rows come newest first).
  const out = new Map<string, Holders>(phones.map((p) => [p, { lead: null, client: null }]))
  for (const { kind, phones: held, id, assignedTo, name } of rows)
    for (const phone of held) {
      const h = out.get(phone)
      if (h && !h[kind]) h[kind] = { id, assignedTo, name }
    }
  return out
}

/** Finds or opens the conversation for a contact, linking it to the lead/client with that phone, or to a new lead. */
async function conversationFor(
  tx: DbOrTx,
  account: WhatsappAccount,
  phone: string,
  waId: string,
  profileName: string | undefined,
  changes: WhatsAppChange[],
  scope: IngestScope,
  /** The contact's message a new conversation opens with: its window and list order, set as it is created. */
  opening?: { at: Date; preview: string },
) {
  const ahead = scope.takeConversation(account.id, phone)
  const existing =
    ahead !== undefined ? ahead : (await conversationsOf(tx, account.agencyId, [{ accountId: account.id, phone }]))[0]
  if (existing) {
    if (!profileName || existing.contactName === profileName) return existing
    await tx
      .update(whatsappConversations)
      .set({ contactName: profileName })
      .where(eq(whatsappConversations.id, existing.id))
    return { ...existing, contactName: profileName }
  }
  const holders = scope.takeHolders(phone) ?? (await holdersOf(tx, account.agencyId, [phone])).get(phone)
  const lead = holders?.lead ?? null
  const client = holders?.client ?? null
  let leadId = lead?.id ?? null
  let assignedTo = lead?.assignedTo ?? client?.assignedTo ?? null
  // How the agency calls the contact (contactLabel's rule), known here without reading it back.
  const label = client?.name || lead?.name || profileName || phone
  if (!lead && !client) {
    // An unknown sender is a new lead from WhatsApp, given by the agency's distribution rules (none: a manager routes it).
    const w = asSystem(tx, account.agencyId, 'whatsapp')
    const created = await createLeadRecord(w, {
      name: label,
      phones: [phone],
      source: 'whatsapp',
      sourceDetail: account.displayNumber,
    })
    leadId = created.id
    assignedTo = await distributeLead(w, { leadId, lead: created })
  }
  // Who answers starts from the number's AI mode, else the agency's (decision 019).
  const aiMode = await defaultAiMode(tx, account.agencyId, account.id)
  const [conversation] = await tx
    .insert(whatsappConversations)
    .values({
      agencyId: account.agencyId,
      accountId: account.id,
      contactPhone: phone,
      contactWaId: waId,
      contactName: profileName || null,
      leadId,
      clientId: client?.id ?? null,
      assignedTo,
      aiMode,
      controller: initialController(aiMode),
      ...(opening && {
        lastInboundAt: opening.at,
        lastMessageAt: opening.at,
        lastMessagePreview: opening.preview,
      }),
    })
    .returning()
  changes.push({ agencyId: account.agencyId, conversationId: conversation!.id, kind: 'conversation' })
  return { ...conversation!, created: true, label }
}

/** A message's public status moved (a send's answer, a receipt, an interrupted send settled): one domain event. */
async function messageStatusChanged(
  tx: DbOrTx,
  agencyId: string,
  message: { id: string; conversationId: string },
  from: string,
  to: string,
  origin: ChangeOrigin = 'whatsapp',
) {
  if (publicMessageStatus(from) === publicMessageStatus(to)) return
  await emitAsSystem(tx, agencyId, origin, {
    type: 'message.status_changed',
    conversationId: message.conversationId,
    messageId: message.id,
    from,
    to,
  })
}

function preview(e: { type: string; text?: string | null; payload?: Record<string, unknown> }) {
  if (e.type === 'reaction' && typeof e.payload?.emoji === 'string') return e.payload.emoji
  return (e.text ?? '').slice(0, 140) || `[${e.type}]`
}

/**
 * How people know the contact: the linked client's or lead's name (what the agency calls them), else their WhatsApp
 * profile name, else the number. Never empty, so a notification always names someone.
 */
async function contactLabel(
  tx: DbOrTx,
  agencyId: string,
  conversation: { leadId: string | null; clientId: string | null; contactName: string | null; contactPhone: string },
) {
  const [row] = await tx.execute<{ name: string | null }>(sql`select coalesce(
      (select name from clients where agency_id = ${agencyId} and id = ${conversation.clientId}),
      (select name from leads where agency_id = ${agencyId} and id = ${conversation.leadId})) as name`)
  return row?.name || conversation.contactName || conversation.contactPhone
}

async function applyInbound(
  tx: DbOrTx,
  account: WhatsappAccount,
  e: InboundMessageEvent,
  country: string,
  changes: WhatsAppChange[],
  scope: IngestScope,
) {
  const phone = contactPhone(e, country)
  // A batch locked its contacts at its start, in the transaction itself (ingestBatch): held to its commit.
  if (!scope.heldContacts.has(contactKey(account.id, phone))) await lockContact(tx, account.id, phone)
  // A reaction taken back is no news (below); anything else a new contact sends opens their conversation with it.
  const withdrawn = e.type === 'reaction' && !e.payload?.emoji
  const opening = e.echo || withdrawn ? undefined : { at: e.sentAt, preview: preview(e) }
  const conversation = await conversationFor(
    tx,
    account,
    phone,
    e.contact.waId,
    e.contact.profileName,
    changes,
    scope,
    opening,
  )
  if (e.echo) return applyEcho(tx, account, e, conversation, changes)
  // The events carry the conversation as it is when raised, so they wait for the window this message opens.
  const arrived = async (messageId: string | null) => {
    if ('created' in conversation)
      await emitAsSystem(tx, account.agencyId, 'whatsapp', {
        type: 'conversation.created',
        conversationId: conversation.id,
      })
    if (messageId)
      await emitAsSystem(tx, account.agencyId, 'whatsapp', {
        type: 'message.received',
        conversationId: conversation.id,
        messageId,
      })
  }
  const media: MessageMedia | null = e.media?.providerMediaId ? { ...e.media, state: 'pending' } : null
  const [message] = await tx
    .insert(whatsappMessages)
    .values({
      agencyId: account.agencyId,
      conversationId: conversation.id,
      accountId: account.id,
      direction: 'inbound',
      type: e.type,
      body: e.text ?? null,
      media,
      payload: e.payload ?? null,
      replyToProviderId: e.replyToProviderMessageId ?? null,
      providerMessageId: e.providerMessageId,
      status: 'received',
      providerAt: e.sentAt,
      author: 'contact',
    })
    .onConflictDoNothing()
    .returning({ id: whatsappMessages.id })
  // Already stored (a redelivery, or the same message in another batch): idempotent by the provider's id.
  if (!message) return arrived(null)
  // A reaction is shown on the message it reacts to (the thread reads the latest one); taking one back is no news.
  if (withdrawn) {
    await arrived(message.id)
    changes.push({
      agencyId: account.agencyId,
      conversationId: conversation.id,
      messageId: message.id,
      kind: 'message',
    })
    return
  }
  // The window and the list order follow the provider's clock; a late, older delivery never moves them back.
  const at = sql`${e.sentAt.toISOString()}::timestamptz`
  // A conversation this message opened was created with them.
  if (!('created' in conversation))
    await tx
      .update(whatsappConversations)
      .set({
        lastInboundAt: sql`greatest(${whatsappConversations.lastInboundAt}, ${at})`,
        lastMessageAt: sql`greatest(${whatsappConversations.lastMessageAt}, ${at})`,
        lastMessagePreview: sql`case when ${whatsappConversations.lastMessageAt} is null or ${whatsappConversations.lastMessageAt} <= ${at} then ${preview(e)} else ${whatsappConversations.lastMessagePreview} end`,
        updatedAt: new Date(),
      })
      .where(eq(whatsappConversations.id, conversation.id))
  // A contact writing again needs someone: a pending or resolved conversation reopens (a reaction is no new request).
  if (e.type !== 'reaction') await reopenOnInbound(tx, conversation)
  await arrived(message.id)
  // An answer to a visit's confirmation lands on the visit (decision 026); a "cancelar" there is about the visit. A
  // conversation this message opened was sent no confirmation.
  const visitReply =
    !('created' in conversation) &&
    (await noteVisitConfirmationReply(tx, {
      agencyId: account.agencyId,
      conversationId: conversation.id,
      text: e.text ?? null,
      buttonId: typeof e.payload?.id === 'string' ? e.payload.id : null,
    }))
  // Otherwise the contact's own opt-out or opt-in word (LGPD, decision 037).
  const botAnswers = conversation.controller === 'bot' && conversation.aiMode === 'auto' && !conversation.optedOutAt
  if (e.type === 'text' && !visitReply)
    await noteConsentWords(
      tx,
      { ...conversation, agencyId: account.agencyId },
      { id: message.id, text: e.text ?? null },
      { botAnswers },
    )
  await scheduleAiStep(tx, conversation)
  if (media)
    await enqueue(
      tx,
      whatsappMediaJob,
      { agencyId: account.agencyId, messageId: message.id },
      { jobKey: `wa-media-${message.id}` },
    )
  // The owner of the conversation hears of it (or the managers, while nobody owns it); a burst is one line with a count.
  await raiseNotification(tx, {
    agencyId: account.agencyId,
    userIds: await assigneeOrManagers(tx, { agencyId: account.agencyId, assignedTo: conversation.assignedTo }),
    kind: 'message_received',
    entity: 'conversation',
    entityId: conversation.id,
    data: {
      contact: 'label' in conversation ? conversation.label : await contactLabel(tx, account.agencyId, conversation),
      preview: preview(e),
    },
    bump: true,
  })
  await activityChanged(tx, account.agencyId)
  changes.push({ agencyId: account.agencyId, conversationId: conversation.id, messageId: message.id, kind: 'message' })
  const newWaId = e.type === 'system' && e.payload?.systemType === 'user_changed_number' ? e.payload.newWaId : null
  if (typeof newWaId === 'string' && /\d/.test(newWaId)) {
    // The new number's conversation and holders change here: what the batch read ahead about anyone may be stale.
    scope.forgetReadAhead()
    await followNumberChange(tx, account, conversation, newWaId, country, changes)
  }
}

/**
 * A contact's message in a conversation the bot answers: the AI step runs once the burst settles (decision 020) — the
 * built-in agent after the agency's pause (each new message pushes it back), an external agent's deadline from the
 * first unanswered message (kept by 'preserve_run_at').
 */
async function scheduleAiStep(
  tx: DbOrTx,
  conversation: { id: string; agencyId: string; controller: string; aiMode: string; optedOutAt: Date | null },
) {
  if (conversation.controller !== 'bot' || conversation.aiMode !== 'auto' || conversation.optedOutAt) return
  const [agency] = await memoRead(`ai-step-settings:${conversation.agencyId}`, () =>
    tx
      .select({
        provider: agencies.aiProvider,
        debounceMs: agencies.aiDebounceMs,
        deadlineSeconds: agencies.aiTurnDeadlineSeconds,
      })
      .from(agencies)
      .where(eq(agencies.id, conversation.agencyId)),
  )
  if (!agency) return
  const external = agency.provider === 'external'
  const delayMs = external ? agency.deadlineSeconds * 1000 : agency.debounceMs
  if (external)
    await enqueue(
      tx,
      aiRequestTurnJob,
      { agencyId: conversation.agencyId, conversationId: conversation.id },
      {
        jobKey: `ai-request-${conversation.id}`,
        ...(agency.debounceMs > 0 ? { runAt: new Date(Date.now() + agency.debounceMs) } : {}),
      },
    )
  await enqueue(
    tx,
    aiStepJob,
    { agencyId: conversation.agencyId, conversationId: conversation.id },
    {
      jobKey: `ai-step-${conversation.id}`,
      jobKeyMode: external ? 'preserve_run_at' : 'replace',
      // No pause: runnable at once, so the worker hears of it now instead of at its next poll of future jobs.
      ...(delayMs > 0 ? { runAt: new Date(Date.now() + delayMs) } : {}),
    },
  )
}

/**
 * A message the business sent from its own phone (an echo, decision 019): stored as an outbound message written by a
 * person on the phone, already sent; it takes the conversation over like any human send. Idempotent by provider id.
 */
async function applyEcho(
  tx: DbOrTx,
  account: WhatsappAccount,
  e: InboundMessageEvent,
  conversation: { id: string; created?: boolean },
  changes: WhatsAppChange[],
) {
  if ('created' in conversation)
    await emitAsSystem(tx, account.agencyId, 'whatsapp', {
      type: 'conversation.created',
      conversationId: conversation.id,
    })
  const [message] = await tx
    .insert(whatsappMessages)
    .values({
      agencyId: account.agencyId,
      conversationId: conversation.id,
      accountId: account.id,
      direction: 'outbound',
      type: e.type,
      body: e.text ?? null,
      media: e.media?.providerMediaId ? { ...e.media, state: 'pending' } : null,
      payload: e.payload ?? null,
      replyToProviderId: e.replyToProviderMessageId ?? null,
      providerMessageId: e.providerMessageId,
      status: 'sent',
      providerAt: e.sentAt,
      author: 'phone',
    })
    .onConflictDoNothing()
    .returning({ id: whatsappMessages.id })
  if (!message) return
  const at = sql`${e.sentAt.toISOString()}::timestamptz`
  await tx
    .update(whatsappConversations)
    .set({
      lastMessageAt: sql`greatest(${whatsappConversations.lastMessageAt}, ${at})`,
      lastMessagePreview: sql`case when ${whatsappConversations.lastMessageAt} is null or ${whatsappConversations.lastMessageAt} <= ${at} then ${preview(e)} else ${whatsappConversations.lastMessagePreview} end`,
      updatedAt: new Date(),
    })
    .where(eq(whatsappConversations.id, conversation.id))
  if (e.media?.providerMediaId)
    await enqueue(
      tx,
      whatsappMediaJob,
      { agencyId: account.agencyId, messageId: message.id },
      { jobKey: `wa-media-${message.id}` },
    )
  await emitAsSystem(tx, account.agencyId, 'whatsapp', {
    type: 'message.sent',
    conversationId: conversation.id,
    messageId: message.id,
  })
  await noteOutboundMessage(tx, systemAuthor(account.agencyId, 'whatsapp'), {
    conversationId: conversation.id,
    author: 'phone',
    at: e.sentAt,
  })
  changes.push({ agencyId: account.agencyId, conversationId: conversation.id, messageId: message.id, kind: 'message' })
}

/**
 * WhatsApp's "user changed number" notice: the contact's new number takes over the conversation (so their next message
 * lands in it, with the history) unless that number already has its own conversation here, and joins the phones of the
 * linked lead and client, so search and the next conversation find them. The old number stays on the records.
 */
async function followNumberChange(
  tx: DbOrTx,
  account: WhatsappAccount,
  conversation: { id: string; contactPhone: string; leadId: string | null; clientId: string | null },
  newWaId: string,
  country: string,
  changes: WhatsAppChange[],
) {
  const phone = normalizePhone(`+${newWaId}`, country) ?? `+${newWaId.replace(/\D/g, '')}`
  if (phone === conversation.contactPhone) return
  await lockContact(tx, account.id, phone)
  const [taken] = await conversationsOf(tx, account.agencyId, [{ accountId: account.id, phone }])
  if (!taken) {
    await tx
      .update(whatsappConversations)
      .set({ contactPhone: phone, contactWaId: newWaId, updatedAt: new Date() })
      .where(eq(whatsappConversations.id, conversation.id))
    changes.push({ agencyId: account.agencyId, conversationId: conversation.id, kind: 'conversation' })
  }
  const added = sql`array_append(phones, ${phone}::text)`
  const lacks = (col: typeof leads.phones | typeof clients.phones) => sql`not (${col} @> array[${phone}]::text[])`
  if (conversation.leadId) {
    const [lead] = await tx
      .update(leads)
      .set({ phones: added, updatedAt: new Date() })
      .where(and(eq(leads.agencyId, account.agencyId), eq(leads.id, conversation.leadId), lacks(leads.phones)))
      .returning({ id: leads.id, phones: leads.phones })
    if (lead) {
      await recordLeadChange(
        asSystem(tx, account.agencyId, 'whatsapp'),
        {
          leadId: lead.id,
          audit: 'lead.update',
          before: { phones: lead.phones.slice(0, -1) },
          after: { phones: lead.phones },
        },
        [{ kind: 'edited', fields: ['phones'], via: 'whatsapp_number_change' }],
      )
    }
  }
  if (conversation.clientId) {
    const [client] = await tx
      .update(clients)
      .set({ phones: added, updatedAt: new Date() })
      .where(and(eq(clients.agencyId, account.agencyId), eq(clients.id, conversation.clientId), lacks(clients.phones)))
      .returning({ id: clients.id, phones: clients.phones })
    if (client) {
      await tx.insert(clientEvents).values({
        agencyId: account.agencyId,
        clientId: client.id,
        kind: 'edited',
        data: { fields: ['phones'], via: 'whatsapp_number_change' },
      })
      await auditSystem(tx, account.agencyId, 'client.update', {
        entity: 'client',
        entityId: client.id,
        after: { phones: client.phones },
      })
      await emitAsSystem(tx, account.agencyId, 'whatsapp', {
        type: 'client.updated',
        clientId: client.id,
        fields: ['phones'],
        previous: { phones: client.phones.slice(0, -1) },
      })
    }
  }
}

/**
 * Serialises everything that settles one provider message's status (receipts in concurrent deliveries, the send's own
 * answer): each then reads the others' committed log entries, so a late-committing `delivered` can never overwrite a
 * `read` computed without it.
 */
async function lockProviderMessage(tx: DbOrTx, accountId: string, providerMessageId: string) {
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`wa-status:${accountId}:${providerMessageId}`}, 0))`,
  )
}

/** Status only moves forward (sent < delivered < read); failed applies only before delivery. */
export function nextStatus(current: string, incoming: string): string {
  if (incoming === 'failed') return statusRank[current]! < statusRank.delivered! ? 'failed' : current
  if (current === 'failed') return statusRank[incoming]! >= statusRank.delivered! ? incoming : current
  return statusRank[incoming]! > statusRank[current]! ? incoming : current
}

async function applyStatus(tx: DbOrTx, account: WhatsappAccount, e: StatusEvent, changes: WhatsAppChange[]) {
  await lockProviderMessage(tx, account.id, e.providerMessageId)
  await tx
    .insert(whatsappStatusEvents)
    .values({
      agencyId: account.agencyId,
      accountId: account.id,
      providerMessageId: e.providerMessageId,
      status: e.status,
      occurredAt: e.occurredAt,
      error: e.error ?? null,
      correlationId: e.correlationId ?? null,
    })
    .onConflictDoNothing()
  let [message] = await tx
    .select()
    .from(whatsappMessages)
    .where(
      and(
        eq(whatsappMessages.agencyId, account.agencyId),
        eq(whatsappMessages.accountId, account.id),
        eq(whatsappMessages.providerMessageId, e.providerMessageId),
      ),
    )
  if (!message && e.correlationId && /^[0-9a-f-]{36}$/i.test(e.correlationId)) {
    // The send's answer was lost (timeout, crash): the echoed id tells us which of our messages this is.
    ;[message] = await tx
      .update(whatsappMessages)
      .set({ providerMessageId: e.providerMessageId })
      .where(
        and(
          eq(whatsappMessages.agencyId, account.agencyId),
          eq(whatsappMessages.id, e.correlationId),
          isNull(whatsappMessages.providerMessageId),
        ),
      )
      .returning()
  }
  // Unknown yet (the status beat the send's answer): kept in the log and applied when the message gets its id.
  if (!message || message.direction !== 'outbound') return
  await settleStatus(tx, account.agencyId, message.id, changes)
}

/** Sets a message's status to the highest one its status log reached (replays cleanly in any order). */
async function settleStatus(tx: DbOrTx, agencyId: string, messageId: string, changes: WhatsAppChange[]) {
  const [message] = await tx
    .select()
    .from(whatsappMessages)
    .where(and(eq(whatsappMessages.agencyId, agencyId), eq(whatsappMessages.id, messageId)))
    .for('update')
  if (!message?.providerMessageId) return
  const log = await tx
    .select()
    .from(whatsappStatusEvents)
    .where(
      and(
        eq(whatsappStatusEvents.agencyId, agencyId),
        eq(whatsappStatusEvents.accountId, message.accountId),
        eq(whatsappStatusEvents.providerMessageId, message.providerMessageId),
      ),
    )
    .orderBy(asc(whatsappStatusEvents.occurredAt))
  // A receipt proves the message went out: an ambiguous send (cut off mid-call) is settled by it, not kept as failed.
  const unsettled =
    message.status === 'sending' ||
    message.status === 'queued' ||
    (message.status === 'failed' && message.errorCode === 'ambiguous')
  let status: string = unsettled ? 'sent' : message.status
  let error: { code: string; details?: string } | null = null
  for (const s of log) {
    const next = nextStatus(status, s.status)
    if (next === 'failed' && status !== 'failed') error = s.error ?? { code: 'unknown' }
    status = next
  }
  if (status === message.status && !(status === 'failed' && error)) return
  await tx
    .update(whatsappMessages)
    .set({
      status: status as typeof message.status,
      ...(status === 'failed' && error ? { errorCode: error.code, errorReason: reasonForCode(error.code) } : {}),
      ...(status !== 'failed' && message.status === 'failed' ? { errorCode: null, errorReason: null } : {}),
      updatedAt: new Date(),
    })
    .where(eq(whatsappMessages.id, message.id))
  if (status === 'failed' && message.status !== 'failed') await notifyFailed(tx, agencyId, message.id)
  await messageStatusChanged(tx, agencyId, message, message.status, status)
  changes.push({ agencyId, conversationId: message.conversationId, messageId: message.id, kind: 'status' })
}

/** A message that will not go out without someone acting: its author hears of it (else the owner, else the managers). */
async function notifyFailed(tx: DbOrTx, agencyId: string, messageId: string) {
  const [row] = await tx
    .select({
      sentBy: whatsappMessages.sentBy,
      conversationId: whatsappConversations.id,
      assignedTo: whatsappConversations.assignedTo,
      leadId: whatsappConversations.leadId,
      clientId: whatsappConversations.clientId,
      contactName: whatsappConversations.contactName,
      contactPhone: whatsappConversations.contactPhone,
      errorReason: whatsappMessages.errorReason,
      body: whatsappMessages.body,
    })
    .from(whatsappMessages)
    .innerJoin(
      whatsappConversations,
      and(
        eq(whatsappConversations.agencyId, whatsappMessages.agencyId),
        eq(whatsappConversations.id, whatsappMessages.conversationId),
      ),
    )
    .where(and(eq(whatsappMessages.agencyId, agencyId), eq(whatsappMessages.id, messageId)))
  if (!row) return
  const userIds = row.sentBy ? [row.sentBy] : await assigneeOrManagers(tx, { agencyId, assignedTo: row.assignedTo })
  await raiseNotification(tx, {
    agencyId,
    userIds,
    kind: 'message_failed',
    entity: 'conversation',
    entityId: row.conversationId,
    data: {
      contact: await contactLabel(tx, agencyId, row),
      reason: row.errorReason,
      preview: (row.body ?? '').slice(0, 80),
    },
    bump: true,
  })
}

function reasonForCode(code: string): string {
  const map: Record<string, string> = {
    '131047': 'window_closed',
    '131026': 'recipient_invalid',
    '132000': 'template_invalid',
    '132001': 'template_invalid',
    '131053': 'media',
    '131052': 'media',
  }
  return failureReasons[map[code] ?? 'permanent']!
}

/**
 * Worker step: applies every event of one stored delivery in one transaction, then marks it processed. Safe to run
 * again (after a crash or a redelivery): messages are keyed by the provider id, statuses by (id, status).
 */
export async function ingestWebhookEvent(
  { db, whatsapp: runtime }: WhatsAppSystemCtx,
  { agencyId, eventId }: { agencyId: string; eventId: number },
): Promise<WhatsAppChange[]> {
  return withAgency(db, { agencyId, userId: null }, async (tx) => {
    const [event] = await tx
      .select()
      .from(whatsappWebhookEvents)
      .where(and(eq(whatsappWebhookEvents.agencyId, agencyId), eq(whatsappWebhookEvents.id, eventId)))
      .for('update')
    if (!event || event.state !== 'pending') return []
    const { changes, mark } = await applyStoredEvent(tx, runtime, event, new IngestScope(agencyId))
    await markEvents(tx, agencyId, [mark])
    return changes
  })
}

/** Deliveries taken per transaction by ingestPendingEvents. */
const INGEST_BATCH = 20

/**
 * The deliveries a drain takes: waiting, never tried (one that failed once is its own job's). The drain and its last
 * look before stopping (hasWaitingEvents) must agree on it, or a delivery could be seen by neither.
 */
const waitingForDrain = (agencyId: string) =>
  and(
    eq(whatsappWebhookEvents.agencyId, agencyId),
    eq(whatsappWebhookEvents.state, 'pending'),
    eq(whatsappWebhookEvents.attempts, 0),
  )

/**
 * How many drains of one agency may run at once (decision 047). A lane is a job key and a transaction-level advisory
 * lock each batch takes: a delivery schedules the drain of a lane drawn at random, which takes whatever is waiting.
 * One lane could not keep up with 100 deliveries a second; unbounded, eight drains took one or two deliveries each,
 * paying a transaction and a job for every one.
 */
export const INGEST_LANES = 2

/** A lane's job key (and, prefixed, its lock). */
export const ingestLane = (agencyId: string, lane: number) => `wa-ingest-${agencyId}-${lane}`

/**
 * The agency's waiting deliveries, oldest first, up to `limit` in one transaction (decision 047): at 100 messages a
 * second, a transaction and a job per delivery were most of the work. A batch is first applied whole, without a
 * savepoint per delivery (two round trips each, a fifth of a delivery's statements); if any delivery fails, the batch
 * is rolled back and applied again with one savepoint per delivery, so the one that fails is rolled back alone, noted
 * on the event and handed to its own retrying job (whatsapp:ingest). Deliveries that failed once are left to that
 * job. Deliveries another run holds are skipped, not waited for.
 * The contacts of the whole batch are locked first, in one order, so two runs never wait on each other's contacts
 * while holding their own.
 */
export async function ingestPendingEvents(
  { db, whatsapp: runtime }: WhatsAppSystemCtx,
  { agencyId, lane, limit = INGEST_BATCH }: { agencyId: string; lane?: number; limit?: number },
): Promise<{ busy: boolean; taken: number; failed: number; changes: WhatsAppChange[] }> {
  const laneLock =
    lane === undefined
      ? null
      : sql`select pg_try_advisory_xact_lock(hashtextextended(${`lock:${ingestLane(agencyId, lane)}`}, 0)) as ok`
  const busy = { busy: true, taken: 0, failed: 0, changes: [] }
  // Under load most runs find their lane held: one statement tells them, before a tenant transaction is opened.
  if (laneLock && !(await db.execute<{ ok: boolean }>(laneLock))[0]?.ok) return busy
  const batch = (savepoints: boolean) =>
    withAgency(db, { agencyId, userId: null }, async (tx) => {
      // The lane's lock, held to this batch's commit; released at once if the process dies, unlike a job's lock.
      if (laneLock && !(await tx.execute<{ ok: boolean }>(laneLock))[0]?.ok) return busy
      const out = await withReadMemo(() =>
        deferLiveEvents(tx, () =>
          deferNotificationBumps(tx, () => ingestBatch(tx, runtime, agencyId, limit, savepoints)),
        ),
      )
      return { busy: false, ...out }
    })
  try {
    return await batch(false)
  } catch {
    return batch(true)
  }
}

/**
 * Whether a delivery is waiting that no batch holds: what a drain asks, without its lane's lock, before it stops. A
 * run that found the lane held left while the holder's last (empty) batch was open; its delivery was committed before
 * then, so this read, made after that batch committed, sees it.
 */
export async function hasWaitingEvents(
  { db }: Pick<WhatsAppSystemCtx, 'db'>,
  { agencyId }: { agencyId: string },
): Promise<boolean> {
  return withAgency(db, { agencyId, userId: null }, async (tx) => {
    const [row] = await tx
      .select({ id: whatsappWebhookEvents.id })
      .from(whatsappWebhookEvents)
      .where(waitingForDrain(agencyId))
      .limit(1)
      .for('update', { skipLocked: true })
    return !!row
  })
}

async function ingestBatch(
  tx: Tx,
  runtime: WhatsAppRuntime,
  agencyId: string,
  limit: number,
  savepoints: boolean,
): Promise<{ taken: number; failed: number; changes: WhatsAppChange[] }> {
  const events = await tx
    .select()
    .from(whatsappWebhookEvents)
    .where(waitingForDrain(agencyId))
    .orderBy(asc(whatsappWebhookEvents.id))
    .limit(limit)
    .for('update', { skipLocked: true })
  if (!events.length) return { taken: 0, failed: 0, changes: [] }
  const scope = new IngestScope(agencyId)
  const contacts = new Map<string, { accountId: string; phone: string }>()
  for (const event of events) {
    const account = await scope.account(tx, event.accountId)
    let parsed: NormalizedEvent[]
    try {
      parsed = providerFor(runtime, account, tx).parse(event.rawBody)
    } catch {
      continue
    }
    const country = await scope.country(tx)
    for (const e of parsed) {
      if (e.kind !== 'message') continue
      const phone = contactPhone(e, country)
      contacts.set(contactKey(account.id, phone), { accountId: account.id, phone })
    }
  }
  await lockKeysInOrder(tx, contacts.keys())
  for (const k of contacts.keys()) scope.heldContacts.add(k)
  // Read under the contacts' locks, so no other transaction opens their conversations meanwhile.
  await scope.readAhead(tx, [...contacts.values()])
  const changes: WhatsAppChange[] = []
  const marks: EventMark[] = []
  let failed = 0
  for (const event of events) {
    if (!savepoints) {
      const applied = await applyStoredEvent(tx, runtime, event, scope)
      changes.push(...applied.changes)
      marks.push(applied.mark)
      continue
    }
    try {
      const applied = await tx.transaction((sp) =>
        deferLiveEvents(sp, () => deferNotificationBumps(sp, () => applyStoredEvent(sp, runtime, event, scope))),
      )
      changes.push(...applied.changes)
      marks.push(applied.mark)
    } catch (e) {
      failed++
      await tx
        .update(whatsappWebhookEvents)
        .set({
          attempts: sql`${whatsappWebhookEvents.attempts} + 1`,
          // drizzle's message is the failed query; Postgres's reason is its cause.
          lastError: cleanText(
            ((e as Error).cause instanceof Error ? ((e as Error).cause as Error) : (e as Error)).message.slice(0, 1000),
          ),
        })
        .where(and(eq(whatsappWebhookEvents.agencyId, agencyId), eq(whatsappWebhookEvents.id, event.id)))
      await enqueue(
        tx,
        whatsappIngestJob,
        { agencyId, eventId: event.id },
        { jobKey: `wa-ingest-${event.id}`, runAt: new Date(Date.now() + 2_000) },
      )
    }
  }
  await markEvents(tx, agencyId, marks)
  return { taken: events.length, failed, changes }
}

/** How a delivery's events went, written on its row by `markEvents`. */
interface EventMark {
  id: number
  state: 'processed' | 'ignored' | 'failed'
  attempts: number
  lastError: string | null
  /** Applied (processed_at set), or refused without being read. */
  processed: boolean
}

/**
 * The outcome of a batch's deliveries on their rows, in one statement at the end of the batch rather than one per
 * delivery; a delivery whose savepoint failed is not among them (it is noted and handed to its own job).
 */
async function markEvents(tx: DbOrTx, agencyId: string, marks: EventMark[]) {
  if (!marks.length) return
  await tx.execute(sql`
    update whatsapp_webhook_events e
    set state = m.state::whatsapp_event_state, attempts = m.attempts, last_error = m."lastError",
      processed_at = case when m.processed then clock_timestamp() else e.processed_at end
    from jsonb_to_recordset(${JSON.stringify(marks)}::jsonb)
      as m(id bigint, state text, attempts int, "lastError" text, processed boolean)
    where e.agency_id = ${agencyId} and e.id = m.id`)
}

/**
 * What one ingest transaction reads once for all its deliveries (their numbers, the agency's phone country) and the
 * contact locks it holds.
 */
class IngestScope {
  private readonly accounts = new Map<string, WhatsappAccount>()
  private countryCode: string | null = null
  /** Contact locks taken in the transaction itself (not in a savepoint, whose rollback would release them). */
  readonly heldContacts = new Set<string>()
  /**
   * The batch's contacts' conversations (null: none yet) and their phones' holders, read in two statements instead of
   * two per delivery. Each is given out once: a contact's next message in the batch reads afresh, as the first may
   * have opened the conversation or made the lead (and a phone may write on two numbers of the agency).
   */
  private readonly conversationsAhead = new Map<string, ConversationRow | null>()
  private readonly holdersAhead = new Map<string, Holders>()
  constructor(readonly agencyId: string) {}

  async readAhead(tx: DbOrTx, contacts: { accountId: string; phone: string }[]) {
    const found = await conversationsOf(tx, this.agencyId, contacts)
    const byKey = new Map(found.map((c) => [contactKey(c.accountId, c.contactPhone), c]))
    for (const c of contacts)
      this.conversationsAhead.set(contactKey(c.accountId, c.phone), byKey.get(contactKey(c.accountId, c.phone)) ?? null)
    const unknown = [
      ...new Set(contacts.filter((c) => !byKey.has(contactKey(c.accountId, c.phone))).map((c) => c.phone)),
    ]
    for (const [phone, h] of await holdersOf(tx, this.agencyId, unknown)) this.holdersAhead.set(phone, h)
  }

  /** The conversation read ahead for this contact (null: it had none), or undefined when it must be read. */
  takeConversation(accountId: string, phone: string): ConversationRow | null | undefined {
    const key = contactKey(accountId, phone)
    const ahead = this.conversationsAhead.get(key)
    this.conversationsAhead.delete(key)
    return ahead
  }

  takeHolders(phone: string): Holders | undefined {
    const ahead = this.holdersAhead.get(phone)
    this.holdersAhead.delete(phone)
    return ahead
  }

  forgetReadAhead() {
    this.conversationsAhead.clear()
    this.holdersAhead.clear()
  }

  async account(tx: DbOrTx, accountId: string): Promise<WhatsappAccount> {
    const known = this.accounts.get(accountId)
    if (known) return known
    const [account] = await tx
      .select()
      .from(whatsappAccounts)
      .where(and(eq(whatsappAccounts.agencyId, this.agencyId), eq(whatsappAccounts.id, accountId)))
    // The composite foreign key keeps a delivery from outliving its number.
    this.accounts.set(accountId, account!)
    return account!
  }

  async country(tx: DbOrTx): Promise<string> {
    return (this.countryCode ??= await agencyCountry(tx, this.agencyId))
  }
}

/** A stored delivery's events applied inside the caller's transaction; the event row is marked with the outcome. */
async function applyStoredEvent(
  tx: DbOrTx,
  runtime: WhatsAppRuntime,
  event: WhatsappWebhookEvent,
  scope: IngestScope,
): Promise<{ changes: WhatsAppChange[]; mark: EventMark }> {
  const account = await scope.account(tx, event.accountId)
  const provider = providerFor(runtime, account, tx)
  let parsed
  try {
    parsed = provider.parse(event.rawBody)
  } catch (e) {
    // A body we cannot read will not improve with retries: kept, marked, visible.
    return {
      changes: [],
      mark: {
        id: event.id,
        state: 'failed',
        attempts: event.attempts + 1,
        lastError: cleanText(`unparseable: ${(e as Error).message}`.slice(0, 1000)),
        processed: false,
      },
    }
  }
  const { routes, refused } = await routeByNumber(tx, runtime, account, event, parsed)
  const changes: WhatsAppChange[] = []
  const country = await scope.country(tx)
  // Messages in provider-time order, so a batch lands in the order the contact wrote it.
  const messages = routes
    .filter((r): r is Routed<InboundMessageEvent> => r.e.kind === 'message')
    .sort((a, b) => a.e.sentAt.getTime() - b.e.sentAt.getTime())
  for (const r of messages) await applyInbound(tx, r.account, r.e, country, changes, scope)
  // Statuses in one order (by message) in every delivery, so concurrent deliveries take their locks alike.
  const statuses = routes
    .filter((r): r is Routed<StatusEvent> => r.e.kind === 'status')
    .sort((a, b) =>
      a.e.providerMessageId < b.e.providerMessageId ? -1 : a.e.providerMessageId > b.e.providerMessageId ? 1 : 0,
    )
  for (const r of statuses) await applyStatus(tx, r.account, r.e, changes)
  const notes = [
    ...routes.flatMap((r) => (r.e.kind === 'error' ? [`${r.e.code} ${r.e.title ?? ''}`.trim()] : [])),
    ...refused.map((n) => `refused: phone_number_id ${n} is not a number of this agency signed by its app secret`),
  ]
  return {
    changes,
    mark: {
      id: event.id,
      // Refused events keep the delivery as failed: kept (never purged) and visible, as someone must fix the setup.
      state: refused.length ? 'failed' : parsed.length ? 'processed' : 'ignored',
      attempts: event.attempts + 1,
      lastError: notes.length ? cleanText(notes.join('; ').slice(0, 1000)) : null,
      processed: true,
    },
  }
}

type Routed<E extends NormalizedEvent = NormalizedEvent> = { account: WhatsappAccount; e: E }

/**
 * Each event goes to the number it names (Meta's metadata.phone_number_id), not to the one in the URL: one Meta app
 * has one callback URL for all its numbers. Another number of the same agency takes an event only if its own app
 * secret also signs the delivery; anything else is refused — never stored on the wrong number, let alone another
 * agency's (which RLS keeps out of sight anyway). An event without the field belongs to the URL's number.
 */
async function routeByNumber(
  tx: DbOrTx,
  runtime: WhatsAppRuntime,
  account: WhatsappAccount,
  event: { rawBody: Buffer; headers: Record<string, string> },
  parsed: NormalizedEvent[],
) {
  const owners = new Map<string, WhatsappAccount | null>([[account.phoneNumberId, account]])
  for (const number of new Set(parsed.map((e) => e.phoneNumberId ?? account.phoneNumberId))) {
    if (owners.has(number)) continue
    const [other] = await tx
      .select()
      .from(whatsappAccounts)
      .where(and(eq(whatsappAccounts.agencyId, account.agencyId), eq(whatsappAccounts.phoneNumberId, number)))
    owners.set(
      number,
      other && providerFor(runtime, other, tx).authenticate(event.rawBody, event.headers) ? other : null,
    )
  }
  const routes: Routed[] = []
  const refused = new Set<string>()
  for (const e of parsed) {
    const number = e.phoneNumberId ?? account.phoneNumberId
    const owner = owners.get(number)
    if (owner) routes.push({ account: owner, e })
    else refused.add(number)
  }
  return { routes, refused: [...refused] }
}

/**
 * Records a processing failure on the raw event (the job will retry it). The error may quote what failed to store
 * (a database error echoes its parameters), so it is cut and cleaned first: recording a failure must never fail on
 * the content that caused it.
 */
export async function noteIngestFailure(
  { db }: Pick<WhatsAppSystemCtx, 'db'>,
  { agencyId, eventId, error, final }: { agencyId: string; eventId: number; error: string; final: boolean },
) {
  await withAgency(db, { agencyId, userId: null }, (tx) =>
    tx
      .update(whatsappWebhookEvents)
      .set({
        attempts: sql`${whatsappWebhookEvents.attempts} + 1`,
        lastError: cleanText(error.slice(0, 1000)),
        ...(final ? { state: 'failed' as const } : {}),
      })
      .where(and(eq(whatsappWebhookEvents.agencyId, agencyId), eq(whatsappWebhookEvents.id, eventId))),
  )
}

/** What the provider sends for a stored outbound message (attachments read back from our storage). */
export async function outboundContent(
  runtime: WhatsAppRuntime,
  message: { type: string; body: string | null; payload: Record<string, unknown> | null; media: MessageMedia | null },
): Promise<OutboundContent> {
  if (message.type === 'template') {
    const p = message.payload ?? {}
    return {
      type: 'template',
      template: { name: String(p.name), language: String(p.language), parameters: (p.parameters as string[]) ?? [] },
    }
  }
  if (
    (message.type === 'image' || message.type === 'video' || message.type === 'document' || message.type === 'audio') &&
    message.media?.storageKey
  ) {
    const file = await runtime.storage.get(message.media.storageKey)
    if (!file) throw new ProviderError('file_missing', 'permanent', 'the attachment is missing from storage')
    return {
      type: message.type,
      media: {
        bytes: file.bytes,
        mimeType: message.media.mimeType ?? file.contentType,
        filename: message.media.filename,
      },
      caption: message.body ?? undefined,
    }
  }
  return { type: 'text', text: message.body ?? '' }
}

/** Attempts before a message fails for good (decision 049). */
export const MAX_SEND_ATTEMPTS = 8

/**
 * How long a message waits before its next attempt (decision 049): Meta's pair limit (131056, too many messages to
 * one person) 4^n seconds as Meta advises, up to 15 minutes; anything else retryable 2^(n-1) seconds, up to 5 minutes.
 */
export function sendRetryDelayMs(code: string, attempt: number): number {
  if (code === '131056') return Math.min(4 ** attempt, 900) * 1000
  return Math.min(2 ** (attempt - 1), 300) * 1000
}

type OutboundRow = typeof whatsappMessages.$inferSelect

/** A message claimed for sending (`sending`, committed before the provider is called) and what the call needs. */
export interface ClaimedSend {
  /** The row as it was before the claim. */
  message: OutboundRow
  account: typeof whatsappAccounts.$inferSelect
  to: string
  /** This attempt's number, from 1. */
  attempt: number
}

/**
 * Claims one queued outbound message for sending, in the caller's transaction: `sending` under the claimer's instance
 * id, committed before the provider is called, so a crash mid-call is never followed by a blind resend — a message
 * found in `sending` is ambiguous and waits for the provider's status webhook (which echoes our id) instead. Returns
 * null when there is nothing to send (not queued any more, its number paused), or the change of a message settled
 * without a call (ambiguous; a bot's message after a person took the conversation over, decision 020).
 */
export async function claimSend(
  tx: DbOrTx,
  { agencyId, messageId, claimedBy }: { agencyId: string; messageId: string; claimedBy?: string },
): Promise<ClaimedSend | { skipped: WhatsAppChange } | null> {
  const [row] = await tx
    .select({ message: whatsappMessages, account: whatsappAccounts, conversation: whatsappConversations })
    .from(whatsappMessages)
    .innerJoin(
      whatsappAccounts,
      and(
        eq(whatsappAccounts.agencyId, whatsappMessages.agencyId),
        eq(whatsappAccounts.id, whatsappMessages.accountId),
      ),
    )
    .innerJoin(
      whatsappConversations,
      and(
        eq(whatsappConversations.agencyId, whatsappMessages.agencyId),
        eq(whatsappConversations.id, whatsappMessages.conversationId),
      ),
    )
    .where(and(eq(whatsappMessages.agencyId, agencyId), eq(whatsappMessages.id, messageId)))
    .for('update', { of: whatsappMessages })
  if (!row || row.message.direction !== 'outbound') return null
  const { message, account, conversation } = row
  const skipped = { agencyId, conversationId: message.conversationId, messageId, kind: 'status' as const }
  if (message.status === 'sending') {
    await tx
      .update(whatsappMessages)
      .set({ status: 'failed', errorCode: 'ambiguous', errorReason: failureReasons.ambiguous, updatedAt: new Date() })
      .where(eq(whatsappMessages.id, messageId))
    await messageStatusChanged(tx, agencyId, message, 'sending', 'failed', 'system')
    return { skipped }
  }
  if (message.status !== 'queued') return null
  // A paused number holds its queue: nothing is sent and nothing is lost until someone fixes the account.
  if (account.pausedReason) return null
  // A bot's message still queued when a person took the conversation over never goes out (decision 020): the
  // person is talking now. Read under the conversation's control, which every takeover changes in its transaction.
  if (
    message.author === 'bot' &&
    conversation.controller === 'human' &&
    conversation.controlChangedAt &&
    conversation.controlChangedAt >= message.createdAt
  ) {
    await tx
      .update(whatsappMessages)
      .set({
        status: 'failed',
        errorCode: 'human_took_over',
        errorReason: failureReasons.human_took_over,
        updatedAt: new Date(),
      })
      .where(eq(whatsappMessages.id, messageId))
    await messageStatusChanged(tx, agencyId, message, 'queued', 'failed', 'system')
    return { skipped }
  }
  await tx
    .update(whatsappMessages)
    .set({
      status: 'sending',
      attempts: message.attempts + 1,
      claimedBy: claimedBy ?? null,
      sendAfter: null,
      updatedAt: new Date(),
    })
    .where(eq(whatsappMessages.id, messageId))
  return { message, account, to: conversation.contactPhone, attempt: message.attempts + 1 }
}

/**
 * A number's messages that may go now, oldest first (decision 049): queued, past any back-off, and the first unsent
 * one of their conversation — one message in flight per recipient keeps their order and Meta's pair limit (reference
 * whatsapp.md §5.7) — leaving out the conversations in `busy`. None while the number is paused (its queue waits).
 */
function dueSends(agencyId: string, accountId: string, busy: string[], limit: number) {
  return sql`
    select d.id from whatsapp_messages d
    where d.agency_id = ${agencyId} and d.account_id = ${accountId}
      and not exists (
        select 1 from whatsapp_accounts a
        where a.agency_id = d.agency_id and a.id = d.account_id and a.paused_reason is not null)
      and d.direction = 'outbound' and d.status = 'queued'
      and (d.send_after is null or d.send_after <= now())
      and d.conversation_id <> all(${`{${busy.join(',')}}`}::uuid[])
      and not exists (
        select 1 from whatsapp_messages p
        where p.agency_id = d.agency_id and p.conversation_id = d.conversation_id
          and p.direction = 'outbound' and p.status in ('queued', 'sending') and p.seq < d.seq)
    order by d.seq
    limit ${limit}`
}

/** Whether any of a number's messages may go now. */
export async function hasDueSends(tx: DbOrTx, { agencyId, accountId }: { agencyId: string; accountId: string }) {
  const [row] = await tx.execute<{ due: boolean }>(sql`select exists (${dueSends(agencyId, accountId, [], 1)}) as due`)
  return row!.due
}

/**
 * Claims up to `limit` of a number's due messages (`dueSends`) in the caller's transaction, one statement for all of
 * them; `SKIP LOCKED`, so claimers never wait on each other. A bot's queued message a person has overtaken
 * fails first (decision 020); a paused number claims nothing. What `claimSend` does for one message.
 */
export async function claimDueSends(
  tx: DbOrTx,
  {
    agencyId,
    accountId,
    busy,
    limit,
    claimedBy,
  }: { agencyId: string; accountId: string; busy: string[]; limit: number; claimedBy?: string },
): Promise<{ claimed: ClaimedSend[]; changes: WhatsAppChange[] }> {
  const [account] = await tx
    .select()
    .from(whatsappAccounts)
    .where(and(eq(whatsappAccounts.agencyId, agencyId), eq(whatsappAccounts.id, accountId)))
  if (!account || account.pausedReason) return { claimed: [], changes: [] }
  const overtaken = await tx.execute<{ id: string; conversationId: string }>(sql`
    update whatsapp_messages m
    set status = 'failed', error_code = 'human_took_over', error_reason = ${failureReasons.human_took_over},
      updated_at = now()
    from whatsapp_conversations c
    where m.agency_id = ${agencyId} and m.account_id = ${accountId} and m.direction = 'outbound'
      and m.status = 'queued' and m.author = 'bot'
      and c.agency_id = m.agency_id and c.id = m.conversation_id
      and c.controller = 'human' and c.control_changed_at >= m.created_at
    returning m.id, m.conversation_id as "conversationId"`)
  const changes: WhatsAppChange[] = []
  for (const m of overtaken) {
    await messageStatusChanged(tx, agencyId, m, 'queued', 'failed', 'system')
    changes.push({ agencyId, conversationId: m.conversationId, messageId: m.id, kind: 'status' })
  }
  const rows = await tx
    .update(whatsappMessages)
    .set({
      status: 'sending',
      attempts: sql`${whatsappMessages.attempts} + 1`,
      claimedBy: claimedBy ?? null,
      sendAfter: null,
      updatedAt: new Date(),
    })
    .from(whatsappConversations)
    .where(
      and(
        eq(whatsappConversations.agencyId, whatsappMessages.agencyId),
        eq(whatsappConversations.id, whatsappMessages.conversationId),
        sql`${whatsappMessages.id} in (${dueSends(agencyId, accountId, busy, limit)} for update of d skip locked)`,
      ),
    )
    .returning({ ...getTableColumns(whatsappMessages), to: whatsappConversations.contactPhone })
  // In the queue's order (RETURNING follows none).
  rows.sort((a, b) => a.seq - b.seq)
  return {
    claimed: rows.map(({ to, ...row }) => ({
      message: { ...row, attempts: row.attempts - 1, status: 'queued' as const },
      account,
      to,
      attempt: row.attempts,
    })),
    changes,
  }
}

/**
 * Calls the provider for a claimed message, with no transaction open (a slow API never holds a database connection);
 * the sandbox writes its simulated receipts in a transaction of its own. Throws a ProviderError.
 */
export async function callProvider(
  { db, whatsapp: runtime }: WhatsAppSystemCtx,
  { message, account, to }: ClaimedSend,
): Promise<SendResult> {
  try {
    const outbound = {
      id: message.id,
      to,
      content: await outboundContent(runtime, message),
      replyToProviderMessageId: message.replyToProviderId ?? undefined,
    }
    return account.provider === 'sandbox'
      ? await withAgency(db, { agencyId: message.agencyId, userId: null }, (tx) =>
          providerFor(runtime, account, tx).send(outbound),
        )
      : await providerFor(runtime, account, db).send(outbound)
  } catch (e) {
    throw e instanceof ProviderError ? e : new ProviderError('internal', 'transient', (e as Error).message)
  }
}

/**
 * Records a provider's refusal of a claimed message in a transaction of its own: a retryable one puts the row back in
 * the queue with the time of its next attempt (`send_after`) unless this was the last; credentials refused pause the
 * number, its queue waiting; anything else fails the message with a reason for people. Returns whether it is retried.
 */
export async function recordSendFailure(
  { db }: Pick<WhatsAppSystemCtx, 'db'>,
  { message, account, attempt }: ClaimedSend,
  error: ProviderError,
  finalAttempt: boolean,
): Promise<{ retry: boolean; changes: WhatsAppChange[] }> {
  const agencyId = message.agencyId
  const retry = error.retryable && !finalAttempt
  await withAgency(db, { agencyId, userId: null }, async (tx) => {
    await tx
      .update(whatsappMessages)
      .set(
        retry
          ? {
              status: 'queued',
              errorCode: error.code,
              sendAfter: new Date(Date.now() + sendRetryDelayMs(error.code, attempt)),
              updatedAt: new Date(),
            }
          : {
              status: 'failed',
              errorCode: error.code,
              errorReason: failureReasons[error.category] ?? failureReasons.permanent,
              updatedAt: new Date(),
            },
      )
      .where(eq(whatsappMessages.id, message.id))
    if (!retry && error.category !== 'auth') {
      await notifyFailed(tx, agencyId, message.id)
      await messageStatusChanged(tx, agencyId, message, 'sending', 'failed')
    }
    if (error.category === 'auth') {
      // Credentials refused: pause the number (its queue waits) instead of failing every message behind this one.
      await tx
        .update(whatsappAccounts)
        .set({ pausedReason: `${error.code}: ${error.message}`.slice(0, 300), updatedAt: new Date() })
        .where(eq(whatsappAccounts.id, account.id))
      await tx
        .update(whatsappMessages)
        .set({ status: 'queued', errorReason: null })
        .where(eq(whatsappMessages.id, message.id))
    }
  })
  return {
    retry,
    changes: retry ? [] : [{ agencyId, conversationId: message.conversationId, messageId: message.id, kind: 'status' }],
  }
}

/**
 * Records an accepted send in the caller's transaction (the sender batches them). If recording fails (database down),
 * the row stays in `sending`: never re-queued, so never resent; the provider's receipt, echoing our id, settles it.
 */
export async function recordSent(
  tx: DbOrTx,
  { message, account }: ClaimedSend,
  result: SendResult,
): Promise<WhatsAppChange[]> {
  const agencyId = message.agencyId
  // Before the row: receipts for this id settle under the same lock, so neither misses the other's write.
  await lockProviderMessage(tx, account.id, result.providerMessageId)
  await tx
    .update(whatsappMessages)
    .set({
      providerMessageId: result.providerMessageId,
      status: 'sent',
      errorCode: null,
      errorReason: null,
      updatedAt: new Date(),
    })
    .where(eq(whatsappMessages.id, message.id))
  await messageStatusChanged(tx, agencyId, message, 'sending', 'sent')
  const changes: WhatsAppChange[] = [
    { agencyId, conversationId: message.conversationId, messageId: message.id, kind: 'status' },
  ]
  // Receipts that beat the send's answer are waiting in the log.
  await settleStatus(tx, agencyId, message.id, changes)
  return changes
}

/**
 * `recordSent` for a batch of accepted sends of one number, in a few statements whatever its size: their receipt locks,
 * the rows, and the receipts that beat the answers (looked for once, settled one by one where there are any).
 */
export async function recordSentBatch(
  tx: DbOrTx,
  sends: { claimed: ClaimedSend; result: SendResult }[],
): Promise<WhatsAppChange[]> {
  if (!sends.length) return []
  const { agencyId, accountId } = sends[0]!.claimed.message
  const ids = sends.map((s) => s.result.providerMessageId)
  // Before the rows, in one order: receipts for these ids settle under the same locks, so neither misses the other.
  await lockKeysInOrder(
    tx,
    ids.map((id) => `wa-status:${accountId}:${id}`),
  )
  await tx.execute(sql`
    update whatsapp_messages m
    set provider_message_id = v.pid, status = 'sent', error_code = null, error_reason = null, updated_at = now()
    from jsonb_to_recordset(${JSON.stringify(
      sends.map((s) => ({ id: s.claimed.message.id, pid: s.result.providerMessageId })),
    )}::jsonb) as v(id uuid, pid text)
    where m.agency_id = ${agencyId} and m.id = v.id`)
  const changes: WhatsAppChange[] = []
  for (const { claimed } of sends) {
    await messageStatusChanged(tx, agencyId, claimed.message, 'sending', 'sent')
    changes.push({
      agencyId,
      conversationId: claimed.message.conversationId,
      messageId: claimed.message.id,
      kind: 'status',
    })
  }
  const early = await tx.execute<{ pid: string }>(sql`
    select distinct provider_message_id as pid from whatsapp_status_events
    where agency_id = ${agencyId} and account_id = ${accountId}
      and provider_message_id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`)
  const settle = new Set(early.map((e) => e.pid))
  for (const s of sends)
    if (settle.has(s.result.providerMessageId)) await settleStatus(tx, agencyId, s.claimed.message.id, changes)
  return changes
}

/**
 * Sends one queued message exactly once: its claim, the provider's call and the outcome, each step as the number's
 * sender (whatsapp-sender.ts) runs it for many. A retryable failure puts the row back in the queue with the time of its
 * next attempt and throws the provider's error.
 */
export async function sendQueuedMessage(
  ctx: WhatsAppSystemCtx,
  {
    agencyId,
    messageId,
    finalAttempt,
    claimedBy,
  }: { agencyId: string; messageId: string; finalAttempt: boolean; claimedBy?: string },
): Promise<WhatsAppChange[]> {
  const claimed = await withAgency(ctx.db, { agencyId, userId: null }, (tx) =>
    claimSend(tx, { agencyId, messageId, claimedBy }),
  )
  if (!claimed) return []
  if ('skipped' in claimed) return [claimed.skipped]
  let result: SendResult
  try {
    result = await callProvider(ctx, claimed)
  } catch (e) {
    const failure = await recordSendFailure(ctx, claimed, e as ProviderError, finalAttempt)
    if (failure.retry) throw e
    return failure.changes
  }
  return withAgency(ctx.db, { agencyId, userId: null }, (tx) => recordSent(tx, claimed, result))
}

/** Worker step: fetches one message's media into storage. A failure is recorded on the message; the job retries. */
export async function downloadMessageMedia(
  { db, whatsapp: runtime }: WhatsAppSystemCtx,
  { agencyId, messageId, finalAttempt }: { agencyId: string; messageId: string; finalAttempt: boolean },
): Promise<WhatsAppChange[]> {
  const found = await withAgency(db, { agencyId, userId: null }, async (tx) => {
    const [message] = await tx
      .select()
      .from(whatsappMessages)
      .where(and(eq(whatsappMessages.agencyId, agencyId), eq(whatsappMessages.id, messageId)))
    if (!message?.media || message.media.state === 'stored' || !message.media.providerMediaId) return null
    const [account] = await tx.select().from(whatsappAccounts).where(eq(whatsappAccounts.id, message.accountId))
    return { message, account: account! }
  })
  if (!found) return []
  const { message, account } = found
  const media = message.media!
  try {
    const file = await providerFor(runtime, account, db).downloadMedia(media.providerMediaId!)
    const key = `${agencyId}/whatsapp/${message.conversationId}/${message.id}`
    await runtime.storage.put(key, file.bytes, file.mimeType)
    await withAgency(db, { agencyId, userId: null }, (tx) =>
      tx
        .update(whatsappMessages)
        .set({
          media: {
            ...media,
            state: 'stored',
            storageKey: key,
            bytes: file.bytes.byteLength,
            mimeType: media.mimeType ?? file.mimeType,
            error: undefined,
          },
          updatedAt: new Date(),
        })
        .where(eq(whatsappMessages.id, messageId)),
    )
  } catch (e) {
    const error = e instanceof ProviderError ? e : new ProviderError('internal', 'transient', (e as Error).message)
    // Downloading twice is harmless, so an ambiguous failure is retried like a transient one here.
    const final = finalAttempt || !(error.retryable || error.category === 'ambiguous')
    await withAgency(db, { agencyId, userId: null }, (tx) =>
      tx
        .update(whatsappMessages)
        .set({
          media: {
            ...media,
            state: final ? 'failed' : 'pending',
            error: `${error.code}: ${error.message}`.slice(0, 300),
          },
          updatedAt: new Date(),
        })
        .where(eq(whatsappMessages.id, messageId)),
    )
    if (!final) throw error
  }
  return [{ agencyId, conversationId: message.conversationId, messageId, kind: 'message' }]
}

/**
 * Replaces a number's synced templates with what the provider holds now. The provider is asked outside any
 * transaction (a slow Graph API never holds a connection); a failure is kept on the account for the settings page and
 * leaves the last good list in place.
 */
export async function syncWhatsappTemplates(
  { db, whatsapp: runtime }: WhatsAppSystemCtx,
  { agencyId, accountId }: { agencyId: string; accountId: string },
) {
  const account = await withAgency(
    db,
    { agencyId, userId: null },
    async (tx) =>
      (
        await tx
          .select()
          .from(whatsappAccounts)
          .where(and(eq(whatsappAccounts.agencyId, agencyId), eq(whatsappAccounts.id, accountId)))
      )[0],
  )
  if (!account) return { synced: 0 }
  let templates: ProviderTemplate[]
  try {
    templates = await providerFor(runtime, account, db).listTemplates()
  } catch (e) {
    const reason = e instanceof ProviderError ? e.message : 'could not reach the provider'
    await withAgency(db, { agencyId, userId: null }, (tx) =>
      tx
        .update(whatsappAccounts)
        .set({ templatesError: reason.slice(0, 500) })
        .where(and(eq(whatsappAccounts.agencyId, agencyId), eq(whatsappAccounts.id, accountId))),
    )
    // Auth and configuration problems will not mend by retrying; the others may.
    if (e instanceof ProviderError && ['auth', 'permanent'].includes(e.category)) return { synced: 0, error: reason }
    throw e
  }
  return withAgency(db, { agencyId, userId: null }, async (tx) => {
    const now = new Date()
    for (const t of templates) {
      const row = {
        name: t.name,
        language: t.language,
        category: t.category,
        status: t.status,
        body: t.body,
        params: t.params,
        components: t.components,
        syncedAt: now,
      }
      await tx
        .insert(whatsappTemplates)
        .values({ agencyId, accountId, ...row })
        .onConflictDoUpdate({
          target: [
            whatsappTemplates.agencyId,
            whatsappTemplates.accountId,
            whatsappTemplates.name,
            whatsappTemplates.language,
          ],
          set: row,
        })
    }
    // Deleted at Meta (or renamed): gone here too.
    await tx
      .delete(whatsappTemplates)
      .where(
        and(
          eq(whatsappTemplates.agencyId, agencyId),
          eq(whatsappTemplates.accountId, accountId),
          lt(whatsappTemplates.syncedAt, now),
        ),
      )
    await tx
      .update(whatsappAccounts)
      .set({ templatesSyncedAt: now, templatesError: null })
      .where(and(eq(whatsappAccounts.agencyId, agencyId), eq(whatsappAccounts.id, accountId)))
    return { synced: templates.length }
  })
}

/** How long a raw webhook body is kept once it has been read (or refused): WhatsApp redelivers for up to 7 days. */
const WEBHOOK_RETENTION_DAYS = 30

/**
 * Retention of raw webhook bodies, which hold contacts' messages and numbers (LGPD): what was ingested or ignored, and
 * the evidence of refused deliveries, go after WEBHOOK_RETENTION_DAYS — the messages themselves live on in the
 * conversations. Pending events are never purged (they still have work to do), nor failed ones: an unparseable or
 * misrouted body is the only copy of what was sent until someone looks at it.
 */
export async function purgeWebhookEvents(
  { db }: Pick<WhatsAppSystemCtx, 'db'>,
  { agencyId, now = new Date() }: { agencyId: string; now?: Date },
) {
  const cutoff = new Date(now.getTime() - WEBHOOK_RETENTION_DAYS * 86_400_000)
  return withAgency(db, { agencyId, userId: null }, async (tx) => {
    const gone = await tx
      .delete(whatsappWebhookEvents)
      .where(
        and(
          eq(whatsappWebhookEvents.agencyId, agencyId),
          inArray(whatsappWebhookEvents.state, ['processed', 'ignored']),
          lt(whatsappWebhookEvents.receivedAt, cutoff),
        ),
      )
      .returning({ id: whatsappWebhookEvents.id })
    const refusals = await tx
      .delete(whatsappWebhookRejections)
      .where(and(eq(whatsappWebhookRejections.agencyId, agencyId), lt(whatsappWebhookRejections.receivedAt, cutoff)))
      .returning({ id: whatsappWebhookRejections.id })
    return gone.length + refusals.length
  })
}

/**
 * The advisory-lock key space of worker instances: each holds (its id hashed into this space) on a connection of its
 * own for as long as it lives, so anyone can tell whether the instance that claimed a send is still there.
 */
export const WORKER_INSTANCE_LOCK_SPACE = 720_911_001

/** Instances (claimedBy values) that no longer hold their lock: gone, with whatever they were sending. */
async function goneClaimers(tx: DbOrTx, agencyId: string): Promise<string[]> {
  const claimers = await tx
    .selectDistinct({ by: whatsappMessages.claimedBy })
    .from(whatsappMessages)
    .where(
      and(
        eq(whatsappMessages.agencyId, agencyId),
        eq(whatsappMessages.status, 'sending'),
        isNotNull(whatsappMessages.claimedBy),
      ),
    )
  const gone: string[] = []
  for (const { by } of claimers) {
    // Free means nobody holds it; taken for this transaction only, it is released at commit.
    const [lock] = await tx.execute<{ free: boolean }>(
      sql`select pg_try_advisory_xact_lock(${WORKER_INSTANCE_LOCK_SPACE}, hashtext(${by})) as free`,
    )
    if (lock?.free) gone.push(by!)
  }
  return gone
}

/**
 * Reconciliation (every minute, and right after a sandbox injection): polls pull-type providers into stored
 * events, and re-drives raw events and queued messages whose jobs are gone (job keys make this idempotent).
 */
export async function reconcileAgency(
  { db, whatsapp: runtime }: WhatsAppSystemCtx,
  { agencyId }: { agencyId: string },
) {
  return withAgency(db, { agencyId, userId: null }, async (tx) => {
    // Pull-type providers (the sandbox): their due deliveries become stored events, like pushed webhooks.
    let delivered = 0
    for (const account of await tx.select().from(whatsappAccounts).where(eq(whatsappAccounts.agencyId, agencyId))) {
      const provider = providerFor(runtime, account, tx)
      if (!provider.poll) continue
      for (const body of await provider.poll()) {
        await storeRawEvent(tx, account, body, { 'x-impera-source': 'poll' })
        delivered++
      }
    }
    const stale = new Date(Date.now() - 60_000)
    const pending = await tx
      .select({ id: whatsappWebhookEvents.id })
      .from(whatsappWebhookEvents)
      .where(
        and(
          eq(whatsappWebhookEvents.agencyId, agencyId),
          eq(whatsappWebhookEvents.state, 'pending'),
          lt(whatsappWebhookEvents.receivedAt, stale),
        ),
      )
      .limit(500)
    for (const p of pending)
      await enqueue(tx, whatsappIngestJob, { agencyId, eventId: p.id }, { jobKey: `wa-ingest-${p.id}` })
    // Messages due that have waited a minute: their numbers' senders, in case a run was lost.
    const queued = await tx
      .selectDistinct({ accountId: whatsappMessages.accountId })
      .from(whatsappMessages)
      .where(
        and(
          eq(whatsappMessages.agencyId, agencyId),
          eq(whatsappMessages.direction, 'outbound'),
          eq(whatsappMessages.status, 'queued'),
          lt(whatsappMessages.updatedAt, stale),
          or(isNull(whatsappMessages.sendAfter), lt(whatsappMessages.sendAfter, new Date())),
        ),
      )
    for (const m of queued) await scheduleSends(tx, agencyId, m.accountId)
    // A send interrupted mid-call (worker killed) may or may not have gone out: never resent blindly. Unless the
    // provider's receipt (echoing our id) settles it later, it is shown as uncertain for a person to decide: at once
    // when the instance that claimed it is gone, after five minutes for a claim that names no instance.
    const gone = await goneClaimers(tx, agencyId)
    const uncertain = await tx
      .update(whatsappMessages)
      .set({ status: 'failed', errorCode: 'ambiguous', errorReason: failureReasons.ambiguous, updatedAt: new Date() })
      .where(
        and(
          eq(whatsappMessages.agencyId, agencyId),
          eq(whatsappMessages.status, 'sending'),
          or(
            gone.length ? inArray(whatsappMessages.claimedBy, gone) : undefined,
            and(isNull(whatsappMessages.claimedBy), lt(whatsappMessages.updatedAt, new Date(Date.now() - 5 * 60_000))),
          ),
        ),
      )
      .returning({ id: whatsappMessages.id, conversationId: whatsappMessages.conversationId })
    for (const m of uncertain) await messageStatusChanged(tx, agencyId, m, 'sending', 'failed', 'system')
    // The earliest sandbox item still waiting: the caller schedules the next poll for it.
    const [next] = await tx
      .select({ at: whatsappSandboxInbox.availableAt })
      .from(whatsappSandboxInbox)
      .where(and(eq(whatsappSandboxInbox.agencyId, agencyId), isNull(whatsappSandboxInbox.consumedAt)))
      .orderBy(asc(whatsappSandboxInbox.availableAt))
      .limit(1)
    return { delivered, redriven: pending.length + queued.length, nextAt: next?.at ?? null }
  })
}
