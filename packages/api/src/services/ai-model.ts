import { agencyAiModels, aiCalls, and, eq, gte, sql, type DbOrTx } from '@impera/db'
import { openAiCompatible, type ChatResult, type LanguageModel } from '../ai/language-model'
import { inAgency, type AgencyCtx } from '../ctx'
import { AppError } from '../errors'
import type { TAiModelInput } from '../schemas'
import { cleanText } from '../schemas/common'
import { refusedLiteralTarget, strictTargets, type TargetPolicy } from '../webhooks/targets'
import type { SecretBox } from '../whatsapp/secrets'
import { audit } from './audit'
import type { WithWebhookSetup } from './webhooks'

/**
 * The owner of an agency's language model (decision 021): its configuration (the key sealed, never read back), the
 * model the AI runner calls, and the record of every call that the usage figures are made of.
 */

/** What the runner needs to reach models: the key that opens sealed API keys, and where URLs may point. */
export interface ModelRuntime {
  secrets: SecretBox
  targets: TargetPolicy
}

/** What a manager may see of the configuration: everything but the key (its last characters tell keys apart). */
export async function getAiModel(ctx: AgencyCtx) {
  const [row] = await ctx.db.select().from(agencyAiModels).where(inAgency(agencyAiModels, ctx))
  if (!row) return null
  return {
    baseUrl: row.baseUrl,
    model: row.model,
    apiKeyHint: row.apiKeyHint,
    timeoutSeconds: Math.round(row.timeoutMs / 1000),
    updatedAt: row.updatedAt,
  }
}

export async function setAiModel(ctx: AgencyCtx & WithWebhookSetup, input: TAiModelInput) {
  if (refusedLiteralTarget(new URL(input.baseUrl), ctx.webhookTargets ?? strictTargets))
    throw new AppError('INVALID_INPUT', 'baseUrl: private target', {
      userMessage: 'webhooks.privateTarget',
      meta: { fields: { baseUrl: ['webhooks.privateTarget'] } },
    })
  const before = await getAiModel(ctx)
  const key = input.apiKey ? { apiKeyEnc: ctx.secrets.seal(input.apiKey), apiKeyHint: input.apiKey.slice(-4) } : null
  const values = {
    baseUrl: input.baseUrl,
    model: input.model,
    timeoutMs: input.timeoutSeconds * 1000,
    updatedAt: new Date(),
    ...(key ?? (input.clearKey ? { apiKeyEnc: null, apiKeyHint: null } : {})),
  }
  await ctx.db
    .insert(agencyAiModels)
    .values({ agencyId: ctx.actor.agencyId, ...values })
    .onConflictDoUpdate({ target: agencyAiModels.agencyId, set: values })
  const after = await getAiModel(ctx)
  // The diff shows that the key changed by its hint, never the key.
  await audit(ctx, 'agency.ai_model.update', { entity: 'agency', entityId: ctx.actor.agencyId, before, after })
  return after!
}

/** The agency's model, ready to call, or null when none is configured. */
export async function agencyModel(
  db: DbOrTx,
  runtime: ModelRuntime,
  agencyId: string,
  opts: { retryDelayMs?: number } = {},
): Promise<LanguageModel | null> {
  const [row] = await db.select().from(agencyAiModels).where(eq(agencyAiModels.agencyId, agencyId))
  if (!row) return null
  return openAiCompatible({
    baseUrl: row.baseUrl,
    model: row.model,
    apiKey: row.apiKeyEnc ? runtime.secrets.open(row.apiKeyEnc) : null,
    timeoutMs: row.timeoutMs,
    targets: runtime.targets,
    retryDelayMs: opts.retryDelayMs,
  })
}

/** One call's figures, whatever came of it. */
export async function recordAiCall(
  db: DbOrTx,
  { agencyId, conversationId, model }: { agencyId: string; conversationId: string | null; model: string },
  result: ChatResult,
  /** A completion that was not a usable turn: the call is recorded as `invalid_output` with why. */
  invalid?: string,
) {
  const outcome = !result.ok ? result.outcome : invalid ? 'invalid_output' : 'ok'
  const error = !result.ok ? result.error : (invalid ?? null)
  await db.insert(aiCalls).values({
    agencyId,
    conversationId,
    model: model.slice(0, 200),
    outcome,
    attempts: result.attempts,
    httpStatus: result.httpStatus,
    promptTokens: result.promptTokens,
    completionTokens: result.completionTokens,
    latencyMs: result.latencyMs,
    error: error ? cleanText(error).slice(0, 500) : null,
  })
}

const USAGE_DAYS = 30

/** The last 30 days of calls: how many, how many failed and why, tokens, and the median and p95 latency. */
export async function aiModelUsage(ctx: AgencyCtx) {
  const since = new Date(Date.now() - USAGE_DAYS * 86_400_000)
  const [row] = await ctx.db
    .select({
      calls: sql<number>`count(*)::int`,
      failed: sql<number>`count(*) filter (where ${aiCalls.outcome} <> 'ok')::int`,
      invalid: sql<number>`count(*) filter (where ${aiCalls.outcome} = 'invalid_output')::int`,
      promptTokens: sql<number>`coalesce(sum(${aiCalls.promptTokens}), 0)::bigint`,
      completionTokens: sql<number>`coalesce(sum(${aiCalls.completionTokens}), 0)::bigint`,
      medianMs: sql<number | null>`(percentile_disc(0.5) within group (order by ${aiCalls.latencyMs}))::int`,
      p95Ms: sql<number | null>`(percentile_disc(0.95) within group (order by ${aiCalls.latencyMs}))::int`,
    })
    .from(aiCalls)
    .where(and(inAgency(aiCalls, ctx), gte(aiCalls.at, since)))
  const [last] = await ctx.db
    .select({ outcome: aiCalls.outcome, error: aiCalls.error, at: aiCalls.at })
    .from(aiCalls)
    .where(and(inAgency(aiCalls, ctx), sql`${aiCalls.outcome} <> 'ok'`))
    .orderBy(sql`${aiCalls.at} desc`)
    .limit(1)
  return {
    days: USAGE_DAYS,
    calls: row!.calls,
    failed: row!.failed,
    invalid: row!.invalid,
    promptTokens: Number(row!.promptTokens),
    completionTokens: Number(row!.completionTokens),
    medianMs: row!.medianMs,
    p95Ms: row!.p95Ms,
    lastFailure: last ?? null,
  }
}

/**
 * "Testar conexão": one small real call with the saved configuration, recorded like any other, so a manager knows the
 * URL, the key and the model work before the first contact writes. It holds the request's transaction while it waits;
 * the attempt's timeout bounds that, and only managers can ask.
 */
export async function testAiModel(ctx: AgencyCtx & WithWebhookSetup) {
  const model = await agencyModel(
    ctx.db,
    { secrets: ctx.secrets, targets: ctx.webhookTargets ?? strictTargets },
    ctx.actor.agencyId,
  )
  if (!model)
    throw new AppError('INVALID_INPUT', 'no model configured', {
      userMessage: 'settings.aiModel.missing',
      meta: { reason: 'model_missing' },
    })
  const result = await model.chat({
    messages: [
      { role: 'system', content: 'Responda com o JSON pedido.' },
      { role: 'user', content: 'Diga "ok".' },
    ],
    schema: {
      name: 'impera_ping',
      schema: { type: 'object', additionalProperties: false, required: ['ok'], properties: { ok: { type: 'string' } } },
    },
    maxTokens: 20,
  })
  await recordAiCall(ctx.db, { agencyId: ctx.actor.agencyId, conversationId: null, model: model.model }, result)
  return result.ok
    ? { ok: true as const, latencyMs: result.latencyMs, model: model.model }
    : { ok: false as const, latencyMs: result.latencyMs, outcome: result.outcome, error: result.error }
}
