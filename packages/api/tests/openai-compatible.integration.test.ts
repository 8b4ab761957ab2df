import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { openAiCompatible, type ChatRequest } from '../src/ai/language-model'
import { modelTurnRequest, modelTurnSchema, parseModelTurn } from '../src/ai/model-turn'
import { strictTargets, targetPolicy } from '../src/webhooks/targets'
import { noSlots, startOpenAiStandIn } from './stand-ins/openai'

/**
 * Contract tests of the `openai_compatible` provider (decision 021) against the in-repo stand-in of the
 * chat-completions API: what the client sends, how it reads answers and usage, which failures it retries once and
 * which it does not, and how a model's answer becomes a turn (or is refused).
 */
let standIn: Awaited<ReturnType<typeof startOpenAiStandIn>>
const KEY = 'sk-test-contract-key'

beforeAll(async () => {
  standIn = await startOpenAiStandIn({ apiKey: KEY, models: ['gpt-4o-mini', 'llama3.1'] })
})
afterAll(() => standIn.close())
beforeEach(() => standIn.reset())

const client = (over: Partial<Parameters<typeof openAiCompatible>[0]> = {}) =>
  openAiCompatible({
    baseUrl: standIn.url,
    model: 'gpt-4o-mini',
    apiKey: KEY,
    timeoutMs: 2_000,
    targets: targetPolicy(true),
    retryDelayMs: 5,
    ...over,
  })

const request: ChatRequest = {
  messages: [
    { role: 'system', content: 'Responda em JSON.' },
    { role: 'user', content: 'Oi' },
  ],
  schema: { name: 'ping', schema: { type: 'object', properties: { ok: { type: 'string' } } } },
  maxTokens: 50,
}

describe('the OpenAI-compatible client', () => {
  it('sends the model, the messages, the JSON schema and the bearer key; reads the content and the usage', async () => {
    standIn.queue({ content: { ok: 'sim' } })
    const r = await client({ baseUrl: `${standIn.url}/` }).chat(request)
    expect(r).toMatchObject({ ok: true, content: '{"ok":"sim"}', attempts: 1, httpStatus: 200 })
    expect(r.promptTokens).toBeGreaterThan(0)
    expect(r.completionTokens).toBeGreaterThan(0)
    const sent = standIn.requests[0]!
    expect(sent.authorization).toBe(`Bearer ${KEY}`)
    expect(sent.body).toMatchObject({
      model: 'gpt-4o-mini',
      max_tokens: 50,
      messages: request.messages,
      response_format: { type: 'json_schema', json_schema: { name: 'ping', strict: true } },
    })
  })

  it('sends no Authorization header without a key (a local Ollama)', async () => {
    const open = await startOpenAiStandIn({ apiKey: null, models: ['llama3.1'] })
    try {
      const r = await client({ baseUrl: open.url, apiKey: null, model: 'llama3.1' }).chat(request)
      expect(r.ok).toBe(true)
      expect(open.requests[0]!.authorization).toBeNull()
    } finally {
      await open.close()
    }
  })

  it('retries a 5xx, a 429 and a timeout once, and then gives the failure', async () => {
    standIn.queue({ status: 503 })
    expect(await client().chat(request)).toMatchObject({ ok: true, attempts: 2 })

    standIn.queue({ status: 429, code: 'rate_limit_exceeded' }, { status: 500 })
    expect(await client().chat(request)).toMatchObject({
      ok: false,
      outcome: 'http_error',
      attempts: 2,
      httpStatus: 500,
    })

    standIn.queue({ hang: true }, { hang: true })
    const slow = await client({ timeoutMs: 150 }).chat(request)
    expect(slow).toMatchObject({ ok: false, outcome: 'timeout', attempts: 2 })
    expect(standIn.requests).toHaveLength(6)
  })

  it('does not retry what another attempt cannot fix: a wrong key, an unknown model', async () => {
    const wrongKey = await client({ apiKey: 'sk-wrong' }).chat(request)
    expect(wrongKey).toMatchObject({ ok: false, outcome: 'http_error', attempts: 1, httpStatus: 401 })
    expect(wrongKey.ok === false && wrongKey.error).toContain('Incorrect API key')
    const unknown = await client({ model: 'gpt-9' }).chat(request)
    expect(unknown).toMatchObject({ ok: false, outcome: 'http_error', attempts: 1, httpStatus: 404 })
  })

  it('calls an answer that is not a completion invalid output, keeping its usage', async () => {
    standIn.queue({ raw: '<html>proxy error</html>' })
    expect(await client().chat(request)).toMatchObject({ ok: false, outcome: 'invalid_output' })
    standIn.queue({ content: '{"ok":', finishReason: 'length' })
    const cut = await client().chat(request)
    expect(cut).toMatchObject({ ok: false, outcome: 'invalid_output' })
    expect(cut.completionTokens).toBeGreaterThan(0)
    standIn.queue({ content: 'x', refusal: 'I cannot help with that.' })
    expect(await client().chat(request)).toMatchObject({ ok: false, outcome: 'invalid_output' })
  })

  it('refuses private addresses unless the install allows them, and says when nothing listens', async () => {
    expect(await client({ targets: strictTargets }).chat(request)).toMatchObject({
      ok: false,
      outcome: 'refused_target',
      attempts: 1,
    })
    expect(standIn.requests).toHaveLength(0)
    const closed = await client({ baseUrl: 'http://127.0.0.1:9/v1', timeoutMs: 500 }).chat(request)
    expect(closed).toMatchObject({ ok: false, outcome: 'unreachable', attempts: 2 })
  })
})

describe("a model's answer as a turn", () => {
  const listing = '0b6f4f6e-7c55-4a1a-9d35-3f1f1b1f0a01'
  const other = '0b6f4f6e-7c55-4a1a-9d35-3f1f1b1f0a02'
  const inReplyTo = '7d7c0f1e-2a3b-4c5d-8e9f-0a1b2c3d4e5f'
  const empty = noSlots

  it('maps texts, cards, slots (reais → cents) and a handoff onto the turn schema', () => {
    const parsed = parseModelTurn(
      JSON.stringify({
        messages: [
          { text: 'Tenho este em Pinheiros:', property_id: listing },
          { text: 'Um corretor vai continuar com você.', property_id: null },
        ],
        qualification: { ...empty, purpose: 'rent', locations: ['Pinheiros'], budget_max_reais: 4000 },
        handoff: { reason: 'qualificado', summary: 'Quer alugar em Pinheiros até R$ 4.000.' },
      }),
      inReplyTo,
      [listing],
    )
    expect(parsed).toEqual({
      ok: true,
      turn: {
        inReplyTo,
        messages: [
          { type: 'property', propertyId: listing, text: 'Tenho este em Pinheiros:' },
          { type: 'text', text: 'Um corretor vai continuar com você.' },
        ],
        actions: {
          qualification: { purpose: 'rent', locations: ['Pinheiros'], budgetMax: 400_000 },
          handoff: { reason: 'qualificado', summary: 'Quer alugar em Pinheiros até R$ 4.000.' },
        },
      },
    })
  })

  it.each([
    ['not JSON', 'Claro! Posso ajudar.'],
    [
      'a listing it was not offered',
      JSON.stringify({ messages: [{ text: 'Veja', property_id: other }], qualification: empty, handoff: null }),
    ],
    [
      'four messages',
      JSON.stringify({
        messages: Array(4).fill({ text: 'oi', property_id: null }),
        qualification: empty,
        handoff: null,
      }),
    ],
    [
      'an empty text',
      JSON.stringify({ messages: [{ text: ' ', property_id: null }], qualification: empty, handoff: null }),
    ],
    [
      'a NUL',
      JSON.stringify({ messages: [{ text: 'o\u0000i', property_id: null }], qualification: empty, handoff: null }),
    ],
    [
      'a purpose that is none',
      JSON.stringify({ messages: [], qualification: { ...empty, purpose: 'lease' }, handoff: null }),
    ],
    [
      'a budget upside down',
      JSON.stringify({
        messages: [],
        qualification: { ...empty, budget_min_reais: 9000, budget_max_reais: 100 },
        handoff: null,
      }),
    ],
    [
      'a handoff without a reason',
      JSON.stringify({ messages: [], qualification: empty, handoff: { reason: '', summary: '' } }),
    ],
    ['a key of its own', JSON.stringify({ messages: [], qualification: empty, handoff: null, status: 'won' })],
  ])('refuses %s', (_, content) => {
    expect(parseModelTurn(content, inReplyTo, [listing]).ok).toBe(false)
  })

  it('asks with the facts, the listings by id, and the conversation as chat roles', () => {
    const req = modelTurnRequest({
      agencyName: 'Imobiliária Sol',
      contactName: 'Maria',
      known: { purpose: 'rent' },
      missing: ['location', 'budget'],
      history: [
        { from: 'contact', text: 'Oi, quero alugar' },
        { from: 'bot', text: 'Olá Maria! Em qual bairro?' },
        { from: 'person', text: 'Oi Maria, aqui é o João' },
        { from: 'contact', text: 'Pinheiros' },
      ],
      faq: [{ question: 'Aceita pet?', answer: 'Sim, na maioria dos imóveis.' }],
      candidates: [
        {
          id: listing,
          title: 'Apto claro',
          place: 'Pinheiros, São Paulo',
          price: 350_000,
          bedrooms: 2,
          purpose: 'rent',
        },
      ],
    })
    expect(req.messages[0]!.content).toContain('Imobiliária Sol')
    expect(req.messages[1]!.content).toContain(
      `${listing} | Apto claro | Pinheiros, São Paulo | R$ 3.500/mês | 2 quartos`,
    )
    expect(req.messages[1]!.content).toContain('FALTA PERGUNTAR: os bairros ou a cidade; o orçamento')
    expect(req.messages[1]!.content).toContain('- P: Aceita pet?\n  R: Sim, na maioria dos imóveis.')
    expect(req.messages.slice(2).map((m) => m.role)).toEqual(['user', 'assistant', 'assistant', 'user'])
    expect(req.messages[4]!.content).toBe('[corretor] Oi Maria, aqui é o João')
    const schema = modelTurnSchema([listing]) as { required: string[] }
    expect(schema.required).toEqual(['messages', 'qualification', 'handoff'])
    expect(JSON.stringify(req.schema.schema)).toContain(listing)
  })
})
