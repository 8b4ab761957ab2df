import {
  and,
  desc,
  eq,
  integrations,
  isNull,
  lt,
  sql,
  webhookDeliveries,
  webhookEndpoints,
  webhookEvents,
  type WebhookEndpoint,
} from '@impera/db'
import type { WebhookEventType } from '@impera/db/enums'
import { byId, inAgency, type AgencyCtx } from '../ctx'
import { AppError, forbidden, invalidField, notFound } from '../errors'
import { originOf } from '../events'
import { enqueue, webhooksDeliverJob } from '../jobs'
import { can } from '../permissions'
import type {
  TCreateWebhookEndpointInput,
  TRedeliverWebhookInput,
  TSetWebhookEndpointEnabledInput,
  TUpdateWebhookEndpointInput,
  TWebhookDeliveriesInput,
  TWebhookEndpointIdInput,
} from '../schemas'
import { appendDeliveries, deliverJobKey } from '../webhooks/outbox'
import { newWebhookSecret, webhookMessageId } from '../webhooks/signing'
import { refusedLiteralTarget, strictTargets, type TargetPolicy } from '../webhooks/targets'
import type { SecretBox } from '../whatsapp/secrets'
import { audit } from './audit'

/**
 * Managers' side of outgoing webhooks (decision 018): endpoints with event and field filters, a signing secret shown
 * once (at creation and at each rotation, never read back), enable/disable, and the delivery log with "send again"
 * and a test event. Delivery itself is the worker's (webhooks/dispatch.ts); the outbox is written by emitDomainEvent.
 * Managers reach these through Settings → Webhooks, integrations with `webhooks:manage` through /api/v1/webhooks.
 */

/** Sealing endpoint secrets, and where webhooks may go (the install's setting; absent: no private targets). */
export interface WithWebhookSetup {
  secrets: SecretBox
  webhookTargets?: TargetPolicy
}

/** How long a rotated-out secret keeps signing beside the new one. */
export const SECRET_OVERLAP_MS = 24 * 3600_000
const MAX_ENDPOINTS = 20

/** What a manager may see of an endpoint: everything but its secrets. */
const publicColumns = {
  id: webhookEndpoints.id,
  url: webhookEndpoints.url,
  description: webhookEndpoints.description,
  eventTypes: webhookEndpoints.eventTypes,
  updatedFields: webhookEndpoints.updatedFields,
  integrationId: webhookEndpoints.integrationId,
  enabled: webhookEndpoints.enabled,
  disabledReason: webhookEndpoints.disabledReason,
  disabledAt: webhookEndpoints.disabledAt,
  previousSecretExpiresAt: webhookEndpoints.previousSecretExpiresAt,
  createdAt: webhookEndpoints.createdAt,
  updatedAt: webhookEndpoints.updatedAt,
}

/**
 * Who may manage webhooks. A member: a role that manages integrations (tRPC checks the same first). An integration
 * acts with a manager's role (decision 017), so its role says nothing here: only a key with `webhooks:manage` may,
 * whichever way it calls (the API checks the scope at its edge too).
 */
function assertMayManage(ctx: AgencyCtx) {
  const integration = ctx.actor.integration
  if (integration) {
    if (!integration.scopes.includes('webhooks:manage'))
      throw new AppError('FORBIDDEN', 'missing scope webhooks:manage', {
        userMessage: 'errors.missingScope',
        meta: { reason: 'missing_scope', scope: 'webhooks:manage' },
      })
  } else if (!can(ctx.actor.role, 'integrations.manage')) throw forbidden('webhooks are managed by managers')
}

function described(e: Pick<WebhookEndpoint, 'url' | 'description' | 'eventTypes' | 'updatedFields' | 'integrationId'>) {
  return {
    url: e.url,
    description: e.description,
    eventTypes: e.eventTypes,
    updatedFields: e.updatedFields,
    integrationId: e.integrationId,
  }
}

export async function listWebhookEndpoints(ctx: AgencyCtx) {
  assertMayManage(ctx)
  return endpointRows(ctx)
}

/** One endpoint as the list shows it (never its secrets). */
export async function getWebhookEndpoint(ctx: AgencyCtx, { id }: TWebhookEndpointIdInput) {
  assertMayManage(ctx)
  const [row] = await endpointRows(ctx, id)
  if (!row) throw notFound('webhook endpoint')
  return row
}

function endpointRows(ctx: AgencyCtx, id?: string) {
  return ctx.db
    .select({
      ...publicColumns,
      integrationName: integrations.name,
      pending: sql<number>`(select count(*)::int from ${webhookDeliveries} d where d.agency_id = ${webhookEndpoints.agencyId} and d.endpoint_id = ${webhookEndpoints.id} and d.state = 'pending')`,
      lastDelivery: sql<{
        state: string
        responseStatus: number | null
        error: string | null
        at: string
        latencyMs: number | null
      } | null>`(select json_build_object('state', d.state, 'responseStatus', d.response_status, 'error', d.error, 'at', d.last_attempt_at, 'latencyMs', d.latency_ms) from ${webhookDeliveries} d where d.agency_id = ${webhookEndpoints.agencyId} and d.endpoint_id = ${webhookEndpoints.id} and d.last_attempt_at is not null order by d.seq desc limit 1)`,
    })
    .from(webhookEndpoints)
    .leftJoin(
      integrations,
      and(eq(integrations.agencyId, webhookEndpoints.agencyId), eq(integrations.id, webhookEndpoints.integrationId)),
    )
    .where(id === undefined ? inAgency(webhookEndpoints, ctx) : byId(webhookEndpoints, ctx, id))
    .orderBy(desc(webhookEndpoints.createdAt))
}

async function getEndpoint(ctx: AgencyCtx, id: string) {
  const [row] = await ctx.db
    .select()
    .from(webhookEndpoints)
    .where(byId(webhookEndpoints, ctx, id))
  if (!row) throw notFound('webhook endpoint')
  return row
}

/** The URL's target, as far as it can be judged before any DNS answer; the delivery checks every address again. */
function assertTarget(ctx: AgencyCtx & WithWebhookSetup, url: string) {
  if (refusedLiteralTarget(new URL(url), ctx.webhookTargets ?? strictTargets))
    throw invalidField('url', 'webhooks.privateTarget')
}

/**
 * The integration an endpoint feeds: the one acting, when an integration creates it through the API; else the one a
 * manager picked, which must be a live integration of the agency.
 */
async function feedsIntegration(ctx: AgencyCtx, integrationId: string | null): Promise<string | null> {
  if (ctx.actor.integration) return ctx.actor.integration.integrationId
  if (!integrationId) return null
  const [row] = await ctx.db
    .select({ id: integrations.id })
    .from(integrations)
    .where(and(byId(integrations, ctx, integrationId), isNull(integrations.revokedAt)))
  if (!row) throw invalidField('integrationId', 'webhooks.integrationInvalid')
  return row.id
}

/** Field filters only for the `*.updated` types subscribed to, and only non-empty ones. */
function filtersFor(eventTypes: WebhookEventType[], updatedFields: TCreateWebhookEndpointInput['updatedFields']) {
  return Object.fromEntries(
    Object.entries(updatedFields).filter(
      ([type, fields]) => eventTypes.includes(type as WebhookEventType) && fields?.length,
    ),
  )
}

export async function createWebhookEndpoint(ctx: AgencyCtx & WithWebhookSetup, input: TCreateWebhookEndpointInput) {
  assertMayManage(ctx)
  assertTarget(ctx, input.url)
  const integrationId = await feedsIntegration(ctx, input.integrationId)
  const [{ n }] = (await ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(webhookEndpoints)
    .where(inAgency(webhookEndpoints, ctx))) as [{ n: number }]
  if (n >= MAX_ENDPOINTS)
    throw new AppError('CONFLICT', 'too many endpoints', {
      userMessage: 'webhooks.tooMany',
      meta: { max: MAX_ENDPOINTS },
    })
  const secret = newWebhookSecret()
  const [row] = await ctx.db
    .insert(webhookEndpoints)
    .values({
      agencyId: ctx.actor.agencyId,
      url: input.url,
      description: input.description,
      eventTypes: input.eventTypes,
      updatedFields: filtersFor(input.eventTypes, input.updatedFields),
      integrationId,
      secretEnc: ctx.secrets.seal(secret),
      createdBy: ctx.actor.userId,
    })
    .returning(publicColumns)
  await audit(ctx, 'webhook.create', { entity: 'webhook_endpoint', entityId: row!.id, after: described(row!) })
  // The only time the secret is shown (with a rotation's): it is sealed at rest and never returned again.
  return { endpoint: row!, secret }
}

export async function updateWebhookEndpoint(ctx: AgencyCtx & WithWebhookSetup, input: TUpdateWebhookEndpointInput) {
  assertMayManage(ctx)
  const before = await getEndpoint(ctx, input.id)
  assertTarget(ctx, input.url)
  const integrationId = ctx.actor.integration
    ? before.integrationId
    : input.integrationId === before.integrationId
      ? before.integrationId
      : await feedsIntegration(ctx, input.integrationId)
  const [after] = await ctx.db
    .update(webhookEndpoints)
    .set({
      url: input.url,
      description: input.description,
      eventTypes: input.eventTypes,
      updatedFields: filtersFor(input.eventTypes, input.updatedFields),
      integrationId,
      updatedAt: new Date(),
    })
    .where(byId(webhookEndpoints, ctx, input.id))
    .returning(publicColumns)
  await audit(ctx, 'webhook.update', {
    entity: 'webhook_endpoint',
    entityId: input.id,
    before: described(before),
    after: described(after!),
  })
  return after!
}

/**
 * A new secret, shown once. The old one keeps signing for 24 hours (both signatures are sent), so the receiver can
 * switch over without losing a delivery.
 */
export async function rotateWebhookSecret(ctx: AgencyCtx & WithWebhookSetup, { id }: TWebhookEndpointIdInput) {
  assertMayManage(ctx)
  const before = await getEndpoint(ctx, id)
  const secret = newWebhookSecret()
  const previousSecretExpiresAt = new Date(Date.now() + SECRET_OVERLAP_MS)
  await ctx.db
    .update(webhookEndpoints)
    .set({
      secretEnc: ctx.secrets.seal(secret),
      previousSecretEnc: before.secretEnc,
      previousSecretExpiresAt,
      updatedAt: new Date(),
    })
    .where(byId(webhookEndpoints, ctx, id))
  await audit(ctx, 'webhook.rotate', { entity: 'webhook_endpoint', entityId: id, after: { previousSecretExpiresAt } })
  return { id, secret, previousSecretExpiresAt }
}

/**
 * Turning an endpoint off holds its queue (new events are not queued for it meanwhile); turning it on starts the held
 * deliveries again from a fresh retry schedule, in order.
 */
export async function setWebhookEndpointEnabled(ctx: AgencyCtx, { id, enabled }: TSetWebhookEndpointEnabledInput) {
  assertMayManage(ctx)
  const before = await getEndpoint(ctx, id)
  if (before.enabled === enabled) return { id, enabled }
  await ctx.db
    .update(webhookEndpoints)
    .set(
      enabled
        ? { enabled, disabledReason: null, disabledAt: null, leaseUntil: null, updatedAt: new Date() }
        : { enabled, disabledReason: 'manual', disabledAt: new Date(), updatedAt: new Date() },
    )
    .where(byId(webhookEndpoints, ctx, id))
  if (enabled) {
    const held = await ctx.db
      .update(webhookDeliveries)
      .set({ attempts: 0, nextAttemptAt: sql`now()` })
      .where(
        and(
          inAgency(webhookDeliveries, ctx),
          eq(webhookDeliveries.endpointId, id),
          eq(webhookDeliveries.state, 'pending'),
        ),
      )
      .returning({ id: webhookDeliveries.id })
    if (held.length) await kick(ctx, id)
  }
  await audit(ctx, enabled ? 'webhook.enable' : 'webhook.disable', {
    entity: 'webhook_endpoint',
    entityId: id,
    before: { enabled: before.enabled, disabledReason: before.disabledReason },
    after: { enabled },
  })
  return { id, enabled }
}

function kick(ctx: AgencyCtx, endpointId: string) {
  return enqueue(
    ctx.db,
    webhooksDeliverJob,
    { agencyId: ctx.actor.agencyId, endpointId },
    { jobKey: deliverJobKey(endpointId) },
  )
}

export async function deleteWebhookEndpoint(ctx: AgencyCtx, { id }: TWebhookEndpointIdInput) {
  assertMayManage(ctx)
  const before = await getEndpoint(ctx, id)
  await ctx.db.delete(webhookEndpoints).where(byId(webhookEndpoints, ctx, id))
  await audit(ctx, 'webhook.delete', { entity: 'webhook_endpoint', entityId: id, before: described(before) })
  return { ok: true as const }
}

/** An endpoint's delivery log, newest first, paged by sequence number. */
export async function listWebhookDeliveries(ctx: AgencyCtx, input: TWebhookDeliveriesInput) {
  assertMayManage(ctx)
  await getEndpoint(ctx, input.endpointId)
  const rows = await ctx.db
    .select({
      id: webhookDeliveries.id,
      seq: webhookDeliveries.seq,
      eventId: webhookDeliveries.eventId,
      type: webhookEvents.type,
      occurredAt: webhookEvents.occurredAt,
      state: webhookDeliveries.state,
      trigger: webhookDeliveries.trigger,
      attempts: webhookDeliveries.attempts,
      nextAttemptAt: webhookDeliveries.nextAttemptAt,
      lastAttemptAt: webhookDeliveries.lastAttemptAt,
      responseStatus: webhookDeliveries.responseStatus,
      latencyMs: webhookDeliveries.latencyMs,
      responseExcerpt: webhookDeliveries.responseExcerpt,
      error: webhookDeliveries.error,
      deliveredAt: webhookDeliveries.deliveredAt,
    })
    .from(webhookDeliveries)
    .innerJoin(
      webhookEvents,
      and(eq(webhookEvents.agencyId, webhookDeliveries.agencyId), eq(webhookEvents.id, webhookDeliveries.eventId)),
    )
    .where(
      and(
        inAgency(webhookDeliveries, ctx),
        eq(webhookDeliveries.endpointId, input.endpointId),
        input.before ? lt(webhookDeliveries.seq, input.before) : undefined,
        input.state ? eq(webhookDeliveries.state, input.state) : undefined,
      ),
    )
    .orderBy(desc(webhookDeliveries.seq))
    .limit(input.limit + 1)
  const items = rows.slice(0, input.limit).map((r) => ({ ...r, messageId: webhookMessageId(r.eventId) }))
  return { items, nextBefore: rows.length > input.limit ? items.at(-1)!.seq : null }
}

async function assertDeliverable(endpoint: { enabled: boolean }) {
  if (!endpoint.enabled)
    throw new AppError('CONFLICT', 'endpoint disabled', { userMessage: 'webhooks.endpointDisabled' })
}

/** "Send again": the same event (same webhook-id, so the receiver can tell) at the end of the endpoint's queue. */
export async function redeliverWebhook(ctx: AgencyCtx, { deliveryId }: TRedeliverWebhookInput) {
  assertMayManage(ctx)
  const [delivery] = await ctx.db
    .select({ endpointId: webhookDeliveries.endpointId, eventId: webhookDeliveries.eventId })
    .from(webhookDeliveries)
    .where(byId(webhookDeliveries, ctx, deliveryId))
  if (!delivery) throw notFound('webhook delivery')
  await assertDeliverable(await getEndpoint(ctx, delivery.endpointId))
  const [queued] = await appendDeliveries(ctx.db, {
    agencyId: ctx.actor.agencyId,
    eventId: delivery.eventId,
    endpointIds: [delivery.endpointId],
    trigger: 'redelivery',
  })
  await audit(ctx, 'webhook.redeliver', {
    entity: 'webhook_endpoint',
    entityId: delivery.endpointId,
    after: { deliveryId, eventId: delivery.eventId },
  })
  return queued!
}

/** A `webhook.test` event to one endpoint, through the same queue, signature and log as any other. */
export async function sendWebhookTest(ctx: AgencyCtx, { id }: TWebhookEndpointIdInput) {
  assertMayManage(ctx)
  await assertDeliverable(await getEndpoint(ctx, id))
  const [event] = await ctx.db
    .insert(webhookEvents)
    .values({
      agencyId: ctx.actor.agencyId,
      type: 'webhook.test',
      data: { endpointId: id, message: 'Impera CRM test event' },
      actorUserId: ctx.actor.userId,
      origin: originOf(ctx.actor),
    })
    .returning({ id: webhookEvents.id })
  const [queued] = await appendDeliveries(ctx.db, {
    agencyId: ctx.actor.agencyId,
    eventId: event!.id,
    endpointIds: [id],
    trigger: 'test',
  })
  await audit(ctx, 'webhook.test', { entity: 'webhook_endpoint', entityId: id, after: { eventId: event!.id } })
  return queued!
}
