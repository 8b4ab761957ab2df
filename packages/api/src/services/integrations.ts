import { and, apiKeys, asc, desc, eq, gt, integrations, isNull, or, sql, users } from '@impera/db'
import { byId, inAgency, type AgencyCtx } from '../ctx'
import { notFound } from '../errors'
import { newApiKey } from '../integrations/keys'
import type {
  TApiKeyIdInput,
  TCreateIntegrationInput,
  TIntegrationIdInput,
  TRotateIntegrationKeyInput,
  TUpdateIntegrationInput,
} from '../schemas'
import { audit } from './audit'

/**
 * Managers' side of integrations (decision 017): create one (it gets its own principal and a first key, shown once),
 * change its name, scopes, allow-list and expiry, rotate its key with an overlap, revoke a key or the whole integration.
 * Secrets are never stored or shown again; the list shows each key's prefix and last use.
 */

export async function listIntegrations(ctx: AgencyCtx) {
  const rows = await ctx.db
    .select({
      id: integrations.id,
      name: integrations.name,
      scopes: integrations.scopes,
      ipAllowlist: integrations.ipAllowlist,
      expiresAt: integrations.expiresAt,
      createdAt: integrations.createdAt,
      revokedAt: integrations.revokedAt,
      createdByName: users.name,
    })
    .from(integrations)
    .leftJoin(users, eq(users.id, integrations.createdBy))
    .where(inAgency(integrations, ctx))
    .orderBy(desc(integrations.createdAt))
  const keys = await ctx.db
    .select({
      id: apiKeys.id,
      integrationId: apiKeys.integrationId,
      prefix: apiKeys.prefix,
      createdAt: apiKeys.createdAt,
      expiresAt: apiKeys.expiresAt,
      revokedAt: apiKeys.revokedAt,
      lastUsedAt: apiKeys.lastUsedAt,
      lastUsedIp: apiKeys.lastUsedIp,
    })
    .from(apiKeys)
    .where(inAgency(apiKeys, ctx))
    .orderBy(asc(apiKeys.createdAt))
  return rows.map((r) => ({ ...r, keys: keys.filter((k) => k.integrationId === r.id) }))
}

async function getIntegration(ctx: AgencyCtx, id: string) {
  const [row] = await ctx.db
    .select()
    .from(integrations)
    .where(byId(integrations, ctx, id))
  if (!row) throw notFound('integration')
  return row
}

/** Public fields only: what the audit log keeps of an integration. */
function described(i: typeof integrations.$inferSelect) {
  return { name: i.name, scopes: i.scopes, ipAllowlist: i.ipAllowlist, expiresAt: i.expiresAt, revokedAt: i.revokedAt }
}

async function issueKey(ctx: AgencyCtx, integrationId: string) {
  const { key, prefix, secretHash } = newApiKey()
  const [row] = await ctx.db
    .insert(apiKeys)
    .values({ agencyId: ctx.actor.agencyId, integrationId, prefix, secretHash })
    .returning({ id: apiKeys.id, prefix: apiKeys.prefix, createdAt: apiKeys.createdAt })
  return { ...row!, key }
}

export async function createIntegration(ctx: AgencyCtx, input: TCreateIntegrationInput) {
  const [principal] = await ctx.db.execute<{ id: string }>(
    sql`select create_integration_principal(${input.name}) as id`,
  )
  const [integration] = await ctx.db
    .insert(integrations)
    .values({
      agencyId: ctx.actor.agencyId,
      userId: principal!.id,
      name: input.name,
      scopes: input.scopes,
      ipAllowlist: input.ipAllowlist,
      expiresAt: input.expiresAt,
      createdBy: ctx.actor.userId,
    })
    .returning()
  const key = await issueKey(ctx, integration!.id)
  await audit(ctx, 'integration.create', {
    entity: 'integration',
    entityId: integration!.id,
    after: { ...described(integration!), keyPrefix: key.prefix },
  })
  return { integration: integration!, key }
}

export async function updateIntegration(ctx: AgencyCtx, { id, ...input }: TUpdateIntegrationInput) {
  const before = await getIntegration(ctx, id)
  const [after] = await ctx.db
    .update(integrations)
    .set({ name: input.name, scopes: input.scopes, ipAllowlist: input.ipAllowlist, expiresAt: input.expiresAt })
    .where(byId(integrations, ctx, id))
    .returning()
  await audit(ctx, 'integration.update', {
    entity: 'integration',
    entityId: id,
    before: described(before),
    after: described(after!),
  })
  return after!
}

/** A new key; the keys in use end after the overlap, so the integration can switch without downtime. */
export async function rotateIntegrationKey(ctx: AgencyCtx, { id, overlapHours }: TRotateIntegrationKeyInput) {
  const integration = await getIntegration(ctx, id)
  if (integration.revokedAt) throw notFound('integration')
  const ending = new Date(Date.now() + overlapHours * 3600_000)
  await ctx.db
    .update(apiKeys)
    .set({ expiresAt: ending })
    .where(
      and(
        inAgency(apiKeys, ctx),
        eq(apiKeys.integrationId, id),
        isNull(apiKeys.revokedAt),
        or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, ending)),
      ),
    )
  const key = await issueKey(ctx, id)
  await audit(ctx, 'integration.key.rotate', {
    entity: 'integration',
    entityId: id,
    after: { keyPrefix: key.prefix, previousKeysEndAt: ending },
  })
  return key
}

export async function revokeApiKey(ctx: AgencyCtx, { keyId }: TApiKeyIdInput) {
  const [key] = await ctx.db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(byId(apiKeys, ctx, keyId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id, integrationId: apiKeys.integrationId, prefix: apiKeys.prefix })
  if (!key) throw notFound('api key')
  await audit(ctx, 'integration.key.revoke', {
    entity: 'integration',
    entityId: key.integrationId,
    after: { keyPrefix: key.prefix },
  })
  return { ok: true as const }
}

/** Revoked at once, with every key: its requests fail from the next one on. Its history keeps its name. */
export async function revokeIntegration(ctx: AgencyCtx, { id }: TIntegrationIdInput) {
  const before = await getIntegration(ctx, id)
  if (before.revokedAt) return { ok: true as const }
  const now = new Date()
  await ctx.db
    .update(integrations)
    .set({ revokedAt: now })
    .where(byId(integrations, ctx, id))
  await ctx.db
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(inAgency(apiKeys, ctx), eq(apiKeys.integrationId, id), isNull(apiKeys.revokedAt)))
  await audit(ctx, 'integration.revoke', { entity: 'integration', entityId: id, before: described(before) })
  return { ok: true as const }
}
