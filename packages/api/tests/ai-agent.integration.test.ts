import { sql, withAgency } from '@impera/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { authenticateKey, withIntegration } from '../src/integrations'
import {
  executeTurn,
  ingestWebhookEvent,
  receiveWebhook,
  refreshUnscoredLeads,
  requestExternalTurn,
  runAiStep,
  sendQueuedMessage,
  turnAuthorOf,
  type AiStepOutcome,
} from '../src/services'
import { createStorage } from '../src/storage'
import { targetPolicy } from '../src/webhooks/targets'
import type { WhatsAppRuntime } from '../src/whatsapp'
import { buildWorld, propertyData, testSecrets, type World } from './harness'
import { startGraphStandIn, webhook } from './stand-ins/graph'
import { noSlots, startOpenAiStandIn, type ChatCompletionRequest } from './stand-ins/openai'

/**
 * Decision 020: the AI agent in the conversation. The built-in rules agent greets, qualifies and hands over; every turn
 * (its own or an external agent's) is checked when it executes; a person's takeover stops whatever the bot queued.
 * Driven through the real pipeline (signed webhooks from the Graph stand-in, ingestion, the AI step, the send step).
 */
let w: World
let graph: Awaited<ReturnType<typeof startGraphStandIn>>
let runtime: WhatsAppRuntime
let accountId: string
let apiKey: string
const PHONE_NUMBER_ID = '109876541111'
const APP_SECRET = 'app-secret-of-the-ai-app'
const TOKEN = 'EAAG-ai-token'

beforeAll(async () => {
  graph = await startGraphStandIn({ accessToken: TOKEN, appSecret: APP_SECRET, phoneNumbers: [PHONE_NUMBER_ID] })
  // The language model's stand-in listens on loopback: this install allows private targets (a self-hosted Ollama).
  w = await buildWorld({
    graph: { graphUrl: graph.url, graphVersion: graph.version },
    webhookTargets: targetPolicy(true),
  })
  runtime = {
    secrets: testSecrets,
    graphUrl: graph.url,
    graphVersion: graph.version,
    storage: createStorage({ driver: 'local', dir: '/tmp/impera-ai-test' }),
  }
  const created = await manager().whatsapp.createAccount({
    provider: 'cloud_api',
    label: 'IA',
    phoneNumberId: PHONE_NUMBER_ID,
    displayNumber: '+55 11 95555-1111',
    accessToken: TOKEN,
    appSecret: APP_SECRET,
    verifyToken: 'verify-ai',
  })
  accountId = created.account.id
  await manager().whatsapp.setAccountAiMode({ id: accountId, aiMode: 'auto' })
  const { key } = await manager().integrations.create({
    name: 'Agente StarIAup',
    scopes: ['conversations:read', 'conversations:reply'],
  })
  apiKey = key.key
  // Listings the bot can offer: two that fit a 3.500 rent in Pinheiros, one that does not.
  for (const [title, rentPrice, neighbourhood] of [
    ['Apartamento claro em Pinheiros', 320_000, 'Pinheiros'],
    ['Apartamento com varanda em Pinheiros', 340_000, 'Pinheiros'],
    ['Cobertura em Pinheiros', 900_000, 'Pinheiros'],
  ] as const)
    await manager().properties.create({
      data: propertyData({ title, purpose: 'rent', type: 'apartment', rentPrice, salePrice: null, neighbourhood }),
    })
  await setProvider('rules')
})
afterAll(async () => {
  await graph.close()
  await w.t.close()
})

const manager = () => w.caller(w.a.manager, w.a.agencyId)
const system = () => ({ db: w.t.app.db, whatsapp: runtime })
const owner = () => w.t.owner.db

async function setProvider(provider: 'rules' | 'external', extra = sql``) {
  await owner().execute(
    sql`update agencies set ai_provider = ${provider}, ai_debounce_ms = 0, ai_turn_deadline_seconds = 120 ${extra} where id = ${w.a.agencyId}`,
  )
}

async function deliver(waId: string, ...texts: string[]) {
  for (const text of texts) {
    const raw = Buffer.from(
      JSON.stringify(webhook.envelope(PHONE_NUMBER_ID, [webhook.text(waId, text, { name: 'Maria Souza' })])),
    )
    const res = await receiveWebhook(system(), {
      accountId,
      rawBody: raw,
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': graph.sign(raw) },
    })
    expect(res.status).toBe(200)
  }
  const pending = await owner().execute<{ id: number }>(
    sql`select id from whatsapp_webhook_events where agency_id = ${w.a.agencyId} and state = 'pending' order by id`,
  )
  for (const p of pending) await ingestWebhookEvent(system(), { agencyId: w.a.agencyId, eventId: Number(p.id) })
}

let phoneSeq = 0
const newContact = () => `55119860${String(++phoneSeq).padStart(5, '0')}`

async function conversationOf(waId: string) {
  const [c] = await owner().execute<{
    id: string
    lead_id: string | null
    controller: string
    ai_mode: string
    control_reason: string | null
    opted_out_at: Date | null
    assigned_to: string | null
  }>(sql`select * from whatsapp_conversations where agency_id = ${w.a.agencyId} and contact_wa_id = ${waId}`)
  return c!
}

const step = (conversationId: string): Promise<AiStepOutcome> =>
  runAiStep(
    { db: w.t.app.db, models: { secrets: testSecrets, targets: targetPolicy(true) }, retryDelayMs: 10 },
    { agencyId: w.a.agencyId, conversationId },
  )

async function botMessages(conversationId: string) {
  return owner().execute<{ id: string; body: string; status: string; author: string; error_code: string | null }>(
    sql`select id, body, status, author, error_code from whatsapp_messages
        where conversation_id = ${conversationId} and direction = 'outbound' order by seq`,
  )
}

async function lead(leadId: string) {
  const [l] = await owner().execute<{
    interest: string | null
    budget_max: number | null
    locations: string[]
    qualification: Record<string, { value: unknown; source: string }>
    qualification_score: number | null
    temperature: string | null
    ai_summary: string | null
  }>(sql`select * from leads where id = ${leadId}`)
  return l!
}

/** The steps' jobs in the queue for a conversation (graphile-worker's table, as the worker reads it). */
async function queuedSteps(conversationId: string) {
  const rows = await owner().execute<{ n: number }>(
    sql`select count(*)::int as n from graphile_worker.jobs where key = ${`ai-step-${conversationId}`}`,
  )
  return rows[0]!.n
}

describe('the built-in rules agent (decision 020)', () => {
  it('greets a new contact, qualifies them over the conversation, offers listings and hands over with a summary', async () => {
    const waId = newContact()
    await deliver(waId, 'Oi, boa tarde!')
    const c = await conversationOf(waId)
    expect(c).toMatchObject({ controller: 'bot', ai_mode: 'auto' })
    // The message scheduled one step for the conversation (keyed: a burst is one step).
    expect(await queuedSteps(c.id)).toBe(1)
    const first = await step(c.id)
    expect(first.kind).toBe('turn')
    const greeting = await botMessages(c.id)
    expect(greeting.map((m) => m.body)).toEqual([
      expect.stringContaining('Olá, Maria!'),
      'Você procura um imóvel para comprar ou para alugar?',
    ])
    expect(greeting.every((m) => m.author === 'bot' && m.status === 'queued')).toBe(true)
    // The same step again answers nothing twice.
    expect(await step(c.id)).toEqual({ kind: 'skipped', why: 'answered' })
    expect(await botMessages(c.id)).toHaveLength(2)

    // A burst of two messages is one turn: slots from both, the next question once.
    await deliver(waId, 'quero alugar um apartamento', 'em Pinheiros')
    await step(c.id)
    const afterBurst = await botMessages(c.id)
    expect(afterBurst.at(-1)!.body).toBe('Anotado! Até quanto você pode pagar de aluguel por mês?')
    expect(afterBurst).toHaveLength(3)
    const partial = await lead(c.lead_id!)
    expect(partial.interest).toBe('rent')
    expect(partial.locations).toEqual(['Pinheiros'])
    expect(partial.qualification.purpose).toEqual({ value: 'rent', source: 'bot' })
    expect(partial.temperature).toBe('cold')

    await deliver(waId, 'até 3.500 por mês')
    const last = await step(c.id)
    expect(last.kind === 'turn' && last.result.outcome).toBe('handoff')
    const all = await botMessages(c.id)
    expect(all.at(-3)!.body).toContain('Quer alugar apartamento, em Pinheiros, até R$ 3.500.')
    // Two listings that fit, as cards; not the one over budget.
    expect(all.slice(-2).map((m) => m.body.split('\n')[0])).toEqual([
      '🏠 *Apartamento com varanda em Pinheiros*',
      '🏠 *Apartamento claro em Pinheiros*',
    ])
    const done = await lead(c.lead_id!)
    expect(done).toMatchObject({ qualification_score: 55, temperature: 'warm' })
    expect(Number(done.budget_max)).toBe(350_000)
    expect(done.ai_summary).toBe('Quer alugar apartamento, em Pinheiros, até R$ 3.500.')
    const after = await conversationOf(waId)
    expect(after).toMatchObject({ controller: 'human', control_reason: 'bot_handoff' })
    // Managers hear of it (nobody owned the conversation), with the bot's summary.
    const [note] = await owner().execute<{ data: { summary: string }; user_id: string }>(
      sql`select data, user_id from notifications where kind = 'ai_handoff' and entity_id = ${c.id}`,
    )
    expect(note!.data.summary).toBe('Quer alugar apartamento, em Pinheiros, até R$ 3.500.')
    expect(note!.user_id).toBe(w.a.manager.userId)
    // The lead's timeline says the AI did it; the turns are on record.
    const events = await owner().execute<{ data: { via?: string; fields?: string[] } }>(
      sql`select data from lead_events where lead_id = ${c.lead_id} and kind = 'edited' order by at`,
    )
    expect(events.map((e) => e.data.via)).toEqual(['ai', 'ai'])
    const turns = await owner().execute<{ provider: string; outcome: string; message_ids: string[] }>(
      sql`select provider, outcome, message_ids from ai_turns where conversation_id = ${c.id} order by at`,
    )
    expect(turns.map((t) => [t.provider, t.outcome, t.message_ids.length])).toEqual([
      ['rules', 'executed', 2],
      ['rules', 'executed', 1],
      ['rules', 'handoff', 3],
    ])
    // Now a person answers: the bot says nothing to the next message.
    await deliver(waId, 'ok, obrigado')
    expect(await step(c.id)).toEqual({ kind: 'skipped', why: 'not_bot' })
  })

  it('a person taking over stops the bot message still queued: it is never sent', async () => {
    const waId = newContact()
    await deliver(waId, 'Olá')
    const c = await conversationOf(waId)
    await step(c.id)
    const queued = await botMessages(c.id)
    expect(queued).toHaveLength(2)
    await manager().whatsapp.takeOver({ id: c.id })
    const sentBefore = graph.sends.length
    for (const m of queued)
      await sendQueuedMessage(system(), { agencyId: w.a.agencyId, messageId: m.id, finalAttempt: false })
    expect(graph.sends.length).toBe(sentBefore)
    expect((await botMessages(c.id)).map((m) => [m.status, m.error_code])).toEqual([
      ['failed', 'human_took_over'],
      ['failed', 'human_took_over'],
    ])
  })

  it('a handoff phrase hands over at once; an opt-out word stops the bot and records it', async () => {
    const asked = newContact()
    await deliver(asked, 'quero falar com um corretor')
    const c1 = await conversationOf(asked)
    await step(c1.id)
    expect(await conversationOf(asked)).toMatchObject({ controller: 'human', control_reason: 'bot_handoff' })

    const leaving = newContact()
    await deliver(leaving, 'Oi')
    const c2 = await conversationOf(leaving)
    await step(c2.id)
    await deliver(leaving, 'SAIR')
    expect(await step(c2.id)).toEqual({ kind: 'opted_out' })
    const after = await conversationOf(leaving)
    expect(after).toMatchObject({ controller: 'none', ai_mode: 'off', control_reason: 'opt_out' })
    expect(after.opted_out_at).not.toBeNull()
    expect(await botMessages(c2.id)).toHaveLength(2)
    // A later message schedules nothing: the bot is off for this contact.
    await owner().execute(sql`select graphile_worker.remove_job(${`ai-step-${c2.id}`})`)
    await deliver(leaving, 'oi de novo')
    expect(await queuedSteps(c2.id)).toBe(0)
  })

  it('the loop guard hands over instead of sending when the bot has said too much in a minute', async () => {
    await setProvider('rules', sql`, ai_max_bot_per_minute = 2`)
    try {
      const waId = newContact()
      await deliver(waId, 'Oi')
      const c = await conversationOf(waId)
      await step(c.id)
      await deliver(waId, 'hmm')
      const out = await step(c.id)
      expect(out.kind === 'turn' && out.result.handoff?.reason).toBe('bot_guard')
      expect(await botMessages(c.id)).toHaveLength(2)
      expect((await conversationOf(waId)).controller).toBe('human')
    } finally {
      await setProvider('rules', sql`, ai_max_bot_per_minute = 6`)
    }
  })
})

describe('turns, checked when they execute (decision 020)', () => {
  const asAgent = <T>(fn: (ctx: Parameters<typeof turnAuthorOf>[0]) => Promise<T>) =>
    authenticateKey(w.t.app.db, apiKey, null).then((key) => withIntegration(w.t.app.db, key, null, fn))
  const latestInboundId = async (conversationId: string) =>
    (
      await owner().execute<{ id: string }>(
        sql`select id from whatsapp_messages where conversation_id = ${conversationId} and direction = 'inbound' order by seq desc limit 1`,
      )
    )[0]!.id

  it('an external agent answers and qualifies; a stale reply, a person in control and a closed window are refused', async () => {
    await setProvider('external')
    try {
      const waId = newContact()
      await deliver(waId, 'Oi, quero comprar uma casa')
      const c = await conversationOf(waId)
      const first = await latestInboundId(c.id)
      // The contact writes again before the agent answers the first message: that answer is stale.
      await deliver(waId, 'em Perdizes')
      await expect(
        asAgent((ctx) => executeTurn(turnAuthorOf(ctx), c.id, { inReplyTo: first, messages: [], actions: {} })),
      ).rejects.toMatchObject({ code: 'CONFLICT', meta: { reason: 'stale_turn' } })
      const latest = await latestInboundId(c.id)
      const turnId = crypto.randomUUID()
      const turn = {
        inReplyTo: latest,
        messages: [{ type: 'text' as const, text: 'Que ótimo! Qual o seu orçamento?' }],
        actions: {
          qualification: { purpose: 'buy' as const, propertyTypes: ['house' as const], locations: ['Perdizes'] },
        },
      }
      const done = await asAgent((ctx) => executeTurn(turnAuthorOf(ctx), c.id, turn, { turnId }))
      expect(done).toMatchObject({ outcome: 'executed', turnId, handoff: null })
      expect(done.messageIds).toHaveLength(1)
      // The same turn id again acts once.
      const again = await asAgent((ctx) => executeTurn(turnAuthorOf(ctx), c.id, turn, { turnId }))
      expect(again.messageIds).toEqual(done.messageIds)
      expect(await botMessages(c.id)).toHaveLength(1)
      const l = await lead(c.lead_id!)
      expect(l.qualification.locations).toEqual({ value: ['Perdizes'], source: 'bot' })
      // The deadline step sees the agent answered.
      expect(await step(c.id)).toEqual({ kind: 'skipped', why: 'answered' })

      // A person's value wins over the bot's from then on.
      await manager().leads.setQualification({ id: c.lead_id!, values: { budgetMax: 150_000_000 } })
      await asAgent((ctx) =>
        executeTurn(turnAuthorOf(ctx), c.id, {
          inReplyTo: latest,
          messages: [],
          actions: { qualification: { budgetMax: 90_000_000 } },
        }),
      )
      expect((await lead(c.lead_id!)).qualification.budgetMax).toEqual({ value: 150_000_000, source: 'person' })

      // Outside the 24-hour window: free text refused, a template allowed.
      await owner().execute(
        sql`update whatsapp_conversations set last_inbound_at = now() - interval '25 hours' where id = ${c.id}`,
      )
      await expect(
        asAgent((ctx) =>
          executeTurn(turnAuthorOf(ctx), c.id, {
            inReplyTo: latest,
            messages: [{ type: 'text', text: 'oi' }],
            actions: {},
          }),
        ),
      ).rejects.toMatchObject({ code: 'INVALID_INPUT', meta: { reason: 'window_closed' } })
      // A synced utility template (one not synced is held to the marketing rule, decision 046).
      await owner().execute(sql`
        insert into whatsapp_templates (agency_id, account_id, name, language, category, status, body, params, components)
        values (${w.a.agencyId}, ${accountId}, 'retomar_contato', 'pt_BR', 'UTILITY', 'APPROVED', 'Olá, {{1}}!', 1, '[]'::jsonb)
        on conflict do nothing`)
      const template = await asAgent((ctx) =>
        executeTurn(turnAuthorOf(ctx), c.id, {
          inReplyTo: latest,
          messages: [{ type: 'template', name: 'retomar_contato', language: 'pt_BR', parameters: ['Maria'] }],
          actions: {},
        }),
      )
      expect(template.messageIds).toHaveLength(1)

      // A person takes over: the next turn is stale and sends nothing.
      await manager().whatsapp.takeOver({ id: c.id })
      const before = (await botMessages(c.id)).length
      await expect(
        asAgent((ctx) =>
          executeTurn(turnAuthorOf(ctx), c.id, {
            inReplyTo: latest,
            messages: [{ type: 'template', name: 'x', language: 'pt_BR', parameters: [] }],
            actions: {},
          }),
        ),
      ).rejects.toMatchObject({ code: 'CONFLICT', meta: { reason: 'stale_turn' } })
      expect(await botMessages(c.id)).toHaveLength(before)

      // Turns in a row with no one else writing: past the streak, the next one hands over instead of sending.
      await owner().execute(sql`update agencies set ai_max_bot_streak = 2 where id = ${w.a.agencyId}`)
      const talker = newContact()
      await deliver(talker, 'Oi')
      const t = await conversationOf(talker)
      const inbound = await latestInboundId(t.id)
      const say = (text: string) =>
        asAgent((ctx) =>
          executeTurn(turnAuthorOf(ctx), t.id, { inReplyTo: inbound, messages: [{ type: 'text', text }], actions: {} }),
        )
      expect((await say('Olá!')).outcome).toBe('executed')
      expect((await say('Posso ajudar?')).outcome).toBe('executed')
      const third = await say('Oi? Está aí?')
      expect(third).toMatchObject({ outcome: 'handoff', messageIds: [], handoff: { reason: 'bot_guard' } })
      expect((await conversationOf(talker)).controller).toBe('human')
    } finally {
      await owner().execute(sql`update agencies set ai_max_bot_streak = 8 where id = ${w.a.agencyId}`)
      await setProvider('rules')
    }
  })

  it('the agency’s words apply to an external agent too: a handoff phrase or an opt-out, and it is not asked', async () => {
    await setProvider('external')
    try {
      const request = (conversationId: string) =>
        withAgency(w.t.app.db, { agencyId: w.a.agencyId, userId: null }, (tx) =>
          requestExternalTurn(tx, { agencyId: w.a.agencyId, conversationId }),
        )
      const asking = newContact()
      await deliver(asking, 'Oi', 'quero falar com corretor')
      const c1 = await conversationOf(asking)
      expect(await request(c1.id)).toEqual({ requested: false })
      expect(await conversationOf(asking)).toMatchObject({ controller: 'human', control_reason: 'bot_handoff' })
      const leaving = newContact()
      await deliver(leaving, 'parar')
      const c2 = await conversationOf(leaving)
      expect(await request(c2.id)).toEqual({ requested: false })
      expect(await conversationOf(leaving)).toMatchObject({ ai_mode: 'off', control_reason: 'opt_out' })
      const plain = newContact()
      await deliver(plain, 'Oi, tudo bem?')
      // A plain message is the agent's to answer (its webhook: apps/worker/tests/webhook-events).
      expect(await request((await conversationOf(plain)).id)).toEqual({ requested: true })
    } finally {
      await setProvider('rules')
    }
  })

  it('an external agent that does not answer by the deadline hands the conversation to a person', async () => {
    await setProvider('external')
    try {
      const waId = newContact()
      await deliver(waId, 'Tem apartamento para alugar?')
      const c = await conversationOf(waId)
      expect(await step(c.id)).toEqual({ kind: 'waiting_external' })
      await owner().execute(
        sql`update whatsapp_messages set created_at = now() - interval '121 seconds' where conversation_id = ${c.id}`,
      )
      expect(await step(c.id)).toEqual({ kind: 'deadline_handoff' })
      expect(await conversationOf(waId)).toMatchObject({ controller: 'human', control_reason: 'turn_deadline' })
    } finally {
      await setProvider('rules')
    }
  })
})

describe('qualification in lists (decision 020)', () => {
  it('filters by temperature and sorts by score, pages included; a person’s form edit becomes their slot', async () => {
    const m = manager()
    const hot = await m.leads.create({
      data: {
        name: 'Quente da Silva',
        phones: ['11 97777-0001'],
        interest: 'buy',
        propertyTypes: ['house'],
        locations: ['Perdizes'],
        budgetMax: 90_000_000,
        minBedrooms: 3,
      },
    })
    await m.leads.setQualification({ id: hot.id, values: { financing: 'cash', moveIn: 'now' } })
    const cold = await m.leads.create({ data: { name: 'Frio de Souza', phones: ['11 97777-0002'], interest: 'rent' } })
    const hotView = await m.leads.get({ id: hot.id })
    expect(hotView.qualification).toMatchObject({ score: 100, temperature: 'hot' })
    expect(hotView.qualification.slots.purpose).toEqual({ value: 'buy', source: 'person' })
    expect((await m.leads.get({ id: cold.id })).qualification).toMatchObject({ score: 15, temperature: 'cold' })

    const onlyHot = await m.leads.list({ temperature: ['hot'] })
    expect(onlyHot.rows.map((r) => r.id)).toContain(hot.id)
    expect(onlyHot.rows.every((r) => r.temperature === 'hot')).toBe(true)
    // Page by page, highest first and unscored last, never repeating a row.
    const seen: { id: string; qualificationScore: number | null }[] = []
    let after: string | undefined
    do {
      const page = await m.leads.list({ sort: 'score', dir: 'desc', pageSize: 5, after })
      seen.push(...page.rows)
      after = page.next ?? undefined
    } while (after)
    expect(seen[0]!.qualificationScore).toBe(100)
    const scores = seen.map((r) => r.qualificationScore ?? -1)
    expect(scores).toEqual([...scores].sort((a, b) => b - a))
    expect(new Set(seen.map((r) => r.id)).size).toBe(seen.length)
    expect(seen.length).toBeGreaterThan(5)

    // Editing the lead form's budget makes it the person's, and the score follows.
    await m.leads.update({
      id: cold.id,
      data: { name: 'Frio de Souza', phones: ['11 97777-0002'], interest: 'rent', budgetMax: 300_000 },
    })
    expect((await m.leads.get({ id: cold.id })).qualification).toMatchObject({
      score: 35,
      slots: { budgetMax: { value: 300_000, source: 'person' } },
    })
  })

  it('leads written without the owner (seed, old rows) are scored by the worker’s backfill, once', async () => {
    const [row] = await owner().execute<{ id: string }>(
      sql`insert into leads (agency_id, name, interest, budget_max, locations)
          values (${w.a.agencyId}, 'Lead antigo com dados', 'buy', 60000000, '{Perdizes}') returning id`,
    )
    await owner().execute(sql`insert into leads (agency_id, name) values (${w.a.agencyId}, 'Lead antigo sem dados')`)
    const run = () =>
      withAgency(w.t.app.db, { agencyId: w.a.agencyId, userId: null }, (tx) =>
        refreshUnscoredLeads(tx, { agencyId: w.a.agencyId }),
      )
    expect(await run()).toBeGreaterThanOrEqual(1)
    expect(await run()).toBe(0)
    const scored = await lead(row!.id)
    expect(scored).toMatchObject({ qualification_score: 45, temperature: 'warm' })
    expect(scored.qualification.purpose).toEqual({ value: 'buy', source: 'person' })
    // The migration queued the job that runs it.
    const [job] = await owner().execute<{ n: number }>(
      sql`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'leads:refresh-qualification'`,
    )
    expect(job!.n).toBe(1)
  })

  it('the manager’s AI report: per number, and why the AI handed over', async () => {
    const report = await manager().reports.get({ report: 'ai' })
    // This file's conversations on the "IA" number (the tests above, in order).
    expect(report.rows.find((r) => r.number === 'IA')).toMatchObject({
      conversations: 11,
      aiAnswered: 7,
      handedOver: 6,
      optedOut: 2,
    })
    const why = await manager().reports.get({ report: 'ai_handoffs' })
    expect(why.rows.map((r) => [r.handoffKind, r.why, r.conversations])).toEqual(
      expect.arrayContaining([
        ['bot_guard', 'guard', 2],
        ['bot_handoff', 'qualificado', 1],
        ['bot_handoff', 'pediu para falar com uma pessoa', 1],
        ['turn_deadline', null, 1],
        ['bot_handoff', null, 1],
      ]),
    )
    // An agent sees the figures of the conversations that are theirs only (none here).
    const mine = await w.caller(w.a.agent, w.a.agencyId).reports.get({ report: 'ai' })
    expect(mine.rows.find((r) => r.number === 'IA')).toBeUndefined()
  })

  it('assist mode: a draft of the next reply and a summary, for a person; nothing is sent or saved', async () => {
    await manager().whatsapp.setAccountAiMode({ id: accountId, aiMode: 'assist' })
    try {
      const waId = newContact()
      await deliver(waId, 'Oi, procuro casa para comprar em Pinheiros')
      const c = await conversationOf(waId)
      expect(c).toMatchObject({ ai_mode: 'assist', controller: 'none' })
      // No step runs in assist: the bot never answers by itself.
      expect(await queuedSteps(c.id)).toBe(0)
      const draft = await manager().whatsapp.suggestReply({ id: c.id })
      expect(draft.text).toBe(
        'Olá, Maria! Obrigado pelo contato com a Imobiliária Alfa.\n\nAté quanto você pretende investir no imóvel?',
      )
      expect(draft.next).toEqual({ kind: 'ask', question: 'budget' })
      expect(draft.found).toMatchObject({ purpose: 'buy', propertyTypes: ['house'], locations: ['Pinheiros'] })
      const summary = await manager().whatsapp.summarize({ id: c.id })
      expect(summary).toMatchObject({
        summary: 'Quer comprar casa, em Pinheiros.',
        qualified: false,
        inbound: 1,
        outbound: 0,
        lastInbound: 'Oi, procuro casa para comprar em Pinheiros',
      })
      expect(summary.missing).toEqual(['budget', 'bedrooms', 'financing', 'moveIn'])
      expect(await botMessages(c.id)).toHaveLength(0)
      expect((await lead(c.lead_id!)).qualification).toEqual({})
      // With the budget too, the next action is to hand over (qualified), and the draft leaves the words to the person.
      await deliver(waId, 'até 900 mil')
      expect(await manager().whatsapp.suggestReply({ id: c.id })).toMatchObject({
        text: null,
        next: { kind: 'hand_over', reason: 'qualificado' },
      })
    } finally {
      await manager().whatsapp.setAccountAiMode({ id: accountId, aiMode: 'auto' })
    }
  })
})

describe('a language model as the agent (decision 021)', () => {
  const MODEL_KEY = 'sk-agency-alfa-model-key'
  let llm: Awaited<ReturnType<typeof startOpenAiStandIn>>
  const aiSettings = async (aiProvider: 'rules' | 'openai_compatible') => {
    const a = await manager().agency.get()
    return manager().agency.updateAiSettings({
      aiProvider,
      aiTurnDeadlineSeconds: a.aiTurnDeadlineSeconds,
      aiDebounceMs: a.aiDebounceMs,
      aiMaxBotStreak: a.aiMaxBotStreak,
      aiMaxBotPerMinute: a.aiMaxBotPerMinute,
      aiHandoffPhrases: a.aiHandoffPhrases,
      aiOptOutWords: a.aiOptOutWords,
    })
  }
  /** The listings the model was offered: the ids its schema allows. */
  const offered = (r: ChatCompletionRequest) =>
    [...JSON.stringify(r.response_format?.json_schema?.schema).matchAll(/[0-9a-f]{8}-[0-9a-f-]{27}/g)].map((m) => m[0])
  const none = noSlots
  const calls = (conversationId: string | null) =>
    owner().execute<{ outcome: string; attempts: number; prompt_tokens: number | null; model: string }>(
      conversationId
        ? sql`select * from ai_calls where conversation_id = ${conversationId} order by at`
        : sql`select * from ai_calls where conversation_id is null and agency_id = ${w.a.agencyId} order by at`,
    )
  const turnsOf = (conversationId: string) =>
    owner().execute<{ provider: string; outcome: string }>(
      sql`select provider, outcome from ai_turns where conversation_id = ${conversationId} order by at`,
    )

  beforeAll(async () => {
    llm = await startOpenAiStandIn({ apiKey: MODEL_KEY, models: ['gpt-4o-mini'] })
  })
  afterAll(async () => {
    await setProvider('rules')
    await llm.close()
  })

  it('is chosen only once configured; the key is sealed, never read back, and a test call proves the setup', async () => {
    await expect(aiSettings('openai_compatible')).rejects.toMatchObject({ code: 'BAD_REQUEST' })
    const saved = await manager().agency.setAiModel({
      baseUrl: llm.url,
      model: 'gpt-4o-mini',
      apiKey: 'sk-wrong-key',
      timeoutSeconds: 5,
    })
    expect(saved).toMatchObject({ baseUrl: llm.url, model: 'gpt-4o-mini', apiKeyHint: '-key', timeoutSeconds: 5 })
    expect(await manager().agency.testAiModel()).toMatchObject({ ok: false, outcome: 'http_error' })
    // An empty key keeps the saved one; a new one replaces it.
    await manager().agency.setAiModel({ baseUrl: llm.url, model: 'gpt-4o-mini', apiKey: '', timeoutSeconds: 5 })
    expect(await manager().agency.testAiModel()).toMatchObject({ ok: false, outcome: 'http_error' })
    await manager().agency.setAiModel({ baseUrl: llm.url, model: 'gpt-4o-mini', apiKey: MODEL_KEY, timeoutSeconds: 5 })
    expect(await manager().agency.testAiModel()).toMatchObject({ ok: true, model: 'gpt-4o-mini' })
    const [row] = await owner().execute<{ api_key_enc: string }>(
      sql`select api_key_enc from agency_ai_models where agency_id = ${w.a.agencyId}`,
    )
    expect(row!.api_key_enc).not.toContain(MODEL_KEY)
    expect(testSecrets.open(row!.api_key_enc)).toBe(MODEL_KEY)
    const read = await manager().agency.aiModel()
    expect(JSON.stringify(read)).not.toContain(MODEL_KEY)
    expect(read.usage).toMatchObject({ calls: 3, failed: 2 })
    const [audited] = await owner().execute<{ diff: unknown }>(
      sql`select diff from audit_log where agency_id = ${w.a.agencyId} and action = 'agency.ai_model.update' order by at desc limit 1`,
    )
    expect(JSON.stringify(audited!.diff)).not.toContain(MODEL_KEY)
    // Agents cannot read or change it.
    const agent = w.caller(w.a.agent, w.a.agencyId)
    await expect(agent.agency.aiModel()).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(agent.agency.testAiModel()).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await aiSettings('openai_compatible')
    await owner().execute(sql`update agencies set ai_debounce_ms = 0 where id = ${w.a.agencyId}`)
  })

  it("answers with the model's turn: words, a listing it was offered, the slots; the call's usage is recorded", async () => {
    llm.respond((r) => ({
      content: {
        messages: [
          { text: 'Oi, Maria! Tenho uma opção em Pinheiros que cabe no seu orçamento:', property_id: offered(r)[0]! },
          { text: 'Quantos quartos você precisa?', property_id: null },
        ],
        qualification: {
          ...none,
          purpose: 'rent',
          property_types: ['apartment'],
          locations: ['Pinheiros'],
          budget_max_reais: 4000,
        },
        handoff: null,
      },
    }))
    const waId = newContact()
    await deliver(waId, 'Oi! Quero alugar um apartamento em Pinheiros até 4 mil')
    const c = await conversationOf(waId)
    const outcome = await step(c.id)
    expect(outcome).toMatchObject({ kind: 'turn', provider: 'openai_compatible' })
    const sent = llm.requests.at(-1)!.body
    expect(sent.messages.at(-1)).toEqual({
      role: 'user',
      content: 'Oi! Quero alugar um apartamento em Pinheiros até 4 mil',
    })
    // Only listings that fit were offered (the two within budget in Pinheiros), by id.
    expect(offered(llm.requests.at(-1)!.body)).toHaveLength(2)
    const messages = await botMessages(c.id)
    expect(messages).toHaveLength(2)
    expect(messages[0]!.body).toContain('Oi, Maria!')
    expect(messages.every((m) => m.author === 'bot')).toBe(true)
    expect(await turnsOf(c.id)).toEqual([{ provider: 'openai_compatible', outcome: 'executed' }])
    const l = await lead(c.lead_id!)
    expect(l.qualification).toMatchObject({
      purpose: { value: 'rent', source: 'bot' },
      budgetMax: { value: 400_000, source: 'bot' },
      locations: { value: ['Pinheiros'], source: 'bot' },
    })
    const [call] = await calls(c.id)
    expect(call).toMatchObject({ outcome: 'ok', attempts: 1, model: 'gpt-4o-mini' })
    expect(call!.prompt_tokens).toBeGreaterThan(0)
    // The next message carries the conversation so far, the bot's words as the assistant's.
    llm.respond(() => ({
      content: {
        messages: [{ text: 'Anotado!', property_id: null }],
        qualification: { ...none, min_bedrooms: 2 },
        handoff: null,
      },
    }))
    await deliver(waId, 'dois quartos')
    await step(c.id)
    const second = llm.requests.at(-1)!.body
    expect(second.messages.slice(2).map((m) => m.role)).toEqual(['user', 'assistant', 'assistant', 'user'])
    expect(second.messages[1]!.content).toContain('finalidade: alugar')
  })

  it('an answer that is not a valid turn: the rules agent answers instead, and the call shows as invalid', async () => {
    llm.queue({ content: 'Claro! Temos ótimos imóveis.' })
    const waId = newContact()
    await deliver(waId, 'Oi, bom dia')
    const c = await conversationOf(waId)
    expect(await step(c.id)).toMatchObject({ kind: 'turn', provider: 'rules' })
    expect((await botMessages(c.id)).map((m) => m.body)).toContain(
      'Você procura um imóvel para comprar ou para alugar?',
    )
    expect(await calls(c.id)).toMatchObject([{ outcome: 'invalid_output' }])
    expect(await turnsOf(c.id)).toEqual([{ provider: 'rules', outcome: 'executed' }])
  })

  it('no usable answer after one retry: a person gets the conversation, notified, and nothing is sent', async () => {
    llm.queue({ status: 500 }, { status: 502 })
    const waId = newContact()
    await deliver(waId, 'Oi, tem casa para alugar?')
    const c = await conversationOf(waId)
    expect(await step(c.id)).toEqual({ kind: 'model_handoff', outcome: 'http_error' })
    expect(await conversationOf(waId)).toMatchObject({ controller: 'human', control_reason: 'bot_handoff' })
    expect(await botMessages(c.id)).toHaveLength(0)
    expect(await calls(c.id)).toMatchObject([{ outcome: 'http_error', attempts: 2 }])
    const [notified] = await owner().execute<{ n: number }>(
      sql`select count(*)::int as n from notifications where agency_id = ${w.a.agencyId} and kind = 'ai_handoff' and entity_id = ${c.id}`,
    )
    expect(notified!.n).toBe(1)
  })

  it('a person who takes over while the model thinks wins; a newer message makes the answer stale', async () => {
    llm.respond(() => ({
      content: { messages: [{ text: 'Resposta do modelo', property_id: null }], qualification: none, handoff: null },
    }))
    const waId = newContact()
    await deliver(waId, 'Oi, quero comprar')
    const c = await conversationOf(waId)
    const held = llm.hold()
    const running = step(c.id)
    await held.nextRequest
    await manager().whatsapp.takeOver({ id: c.id })
    held.release()
    expect(await running).toEqual({ kind: 'skipped', why: 'not_bot' })
    expect(await botMessages(c.id)).toHaveLength(0)

    const waId2 = newContact()
    await deliver(waId2, 'Oi')
    const c2 = await conversationOf(waId2)
    const held2 = llm.hold()
    const running2 = step(c2.id)
    await held2.nextRequest
    await deliver(waId2, 'quero alugar em Pinheiros')
    held2.release()
    expect(await running2).toEqual({ kind: 'stale' })
    expect(await botMessages(c2.id)).toHaveLength(0)
    // The newer message's own step answers the whole burst.
    expect(await step(c2.id)).toMatchObject({ kind: 'turn', provider: 'openai_compatible' })
    expect(llm.requests.at(-1)!.body.messages.slice(2)).toEqual([
      { role: 'user', content: 'Oi' },
      { role: 'user', content: 'quero alugar em Pinheiros' },
    ])
  })

  it("the agency's words go before the model: a handoff phrase or an opt-out is never sent to it", async () => {
    const before = llm.requests.length
    const waId = newContact()
    await deliver(waId, 'quero falar com corretor')
    const c = await conversationOf(waId)
    expect(await step(c.id)).toEqual({ kind: 'deadline_handoff' })
    expect(await conversationOf(waId)).toMatchObject({ controller: 'human', control_reason: 'bot_handoff' })
    const waId2 = newContact()
    await deliver(waId2, 'PARAR')
    expect(await step((await conversationOf(waId2)).id)).toEqual({ kind: 'opted_out' })
    expect(llm.requests.length).toBe(before)
  })

  it("the agency's FAQ: the built-in agent answers it, a model reads it; only managers write it", async () => {
    const entry = await manager().agency.createFaq({
      question: 'Aceita animais de estimação?',
      answer: 'Sim! A maioria dos nossos imóveis aceita pets; confirmamos em cada anúncio.',
      keywords: 'pet, cachorro, gato' as unknown as string[],
    })
    expect(entry.keywords).toEqual(['pet', 'cachorro', 'gato'])
    const agent = w.caller(w.a.agent, w.a.agencyId)
    await expect(agent.agency.createFaq({ question: 'x', answer: 'y', keywords: [] })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    })
    await expect(agent.agency.faq()).rejects.toMatchObject({ code: 'FORBIDDEN' })

    // A model gets the entries in its facts.
    const waId = newContact()
    await deliver(waId, 'Vocês aceitam cachorro?')
    await step((await conversationOf(waId)).id)
    expect(llm.requests.at(-1)!.body.messages[1]!.content).toContain(
      'P: Aceita animais de estimação?\n  R: Sim! A maioria dos nossos imóveis aceita pets',
    )

    // The built-in agent answers it before its question.
    await setProvider('rules')
    const waId2 = newContact()
    await deliver(waId2, 'Oi! Vocês aceitam cachorro?')
    const c2 = await conversationOf(waId2)
    expect(await step(c2.id)).toMatchObject({ kind: 'turn', provider: 'rules' })
    expect((await botMessages(c2.id)).map((m) => m.body)).toEqual([
      expect.stringContaining('Olá, Maria!'),
      'Sim! A maioria dos nossos imóveis aceita pets; confirmamos em cada anúncio.',
      'Você procura um imóvel para comprar ou para alugar?',
    ])
    // A disabled entry is not answered; a deleted one is gone.
    await manager().agency.updateFaq({ ...entry, enabled: false })
    const waId3 = newContact()
    await deliver(waId3, 'aceita gato?')
    const c3 = await conversationOf(waId3)
    await step(c3.id)
    expect((await botMessages(c3.id)).map((m) => m.body).join(' ')).not.toContain('aceita pets')
    await manager().agency.deleteFaq({ id: entry.id })
    expect(await manager().agency.faq()).toEqual([])
    await expect(manager().agency.deleteFaq({ id: entry.id })).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })
})
