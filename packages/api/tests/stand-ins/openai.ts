import { randomBytes } from 'node:crypto'
import http from 'node:http'

/**
 * A stand-in for an OpenAI-compatible chat-completions server (OpenAI's documented API, which Ollama, vLLM and
 * OpenRouter also speak): `POST /v1/chat/completions` with the bearer key, the model, the messages and a
 * `response_format` of type `json_schema`; the answer envelope with `choices[0].message.content`, `finish_reason` and
 * `usage`; OpenAI's error envelope (401 `invalid_api_key`, 404 `model_not_found`, 400 `invalid_request_error`, 429,
 * 5xx); `GET /v1/models`. Tests script what the "model" answers and inject faults; never used by the app itself.
 */
export type ModelReply =
  /** A completion whose content is this (an object is sent as its JSON). */
  | { content: string | Record<string, unknown>; finishReason?: 'stop' | 'length'; refusal?: string }
  /** An HTTP error with OpenAI's envelope. */
  | { status: number; code?: string; message?: string }
  /** Accept the request and never answer (the client's timeout is what ends it). */
  | { hang: true }
  /** Answer the bytes as they are (not JSON, a broken envelope…). */
  | { raw: string; status?: number }

export interface ChatCompletionRequest {
  model: string
  messages: { role: string; content: string }[]
  response_format?: { type: string; json_schema?: { name: string; strict?: boolean; schema: Record<string, unknown> } }
  max_tokens?: number
  temperature?: number
}

/** The qualification of a model's answer (decision 021's schema) with nothing in it: tests spread what they set. */
export const noSlots = {
  purpose: null,
  property_types: null,
  locations: null,
  min_bedrooms: null,
  parking_spaces: null,
  budget_min_reais: null,
  budget_max_reais: null,
  financing: null,
  move_in: null,
}

type Responder = (request: ChatCompletionRequest) => ModelReply | Promise<ModelReply>

/** Roughly OpenAI's count: four characters a token. */
const tokens = (text: string) => Math.max(1, Math.ceil(text.length / 4))

export async function startOpenAiStandIn(opts: { apiKey?: string | null; models?: string[] } = {}) {
  const models = opts.models ?? ['gpt-4o-mini']
  const requests: { body: ChatCompletionRequest; authorization: string | null; at: number }[] = []
  const queued: ModelReply[] = []
  const hanging = new Set<http.ServerResponse>()
  let delayMs = 0
  let responder: Responder = () => ({
    content: {
      messages: [{ text: 'Olá! Como posso ajudar?', property_id: null }],
      qualification: noSlots,
      handoff: null,
    },
  })
  /** Resolved when the next request arrives (a test can act while the "model" thinks). */
  let arrived: ((r: ChatCompletionRequest) => void) | null = null
  let gate: Promise<void> | null = null

  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(JSON.stringify(body))
  }
  const error = (res: http.ServerResponse, status: number, code: string, message: string, type?: string) =>
    json(res, status, {
      error: { message, type: type ?? (status >= 500 ? 'server_error' : 'invalid_request_error'), param: null, code },
    })

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://stand-in')
      const authorization = req.headers.authorization ?? null
      if (opts.apiKey && authorization !== `Bearer ${opts.apiKey}`)
        return error(res, 401, 'invalid_api_key', 'Incorrect API key provided.')
      if (req.method === 'GET' && url.pathname === '/v1/models')
        return json(res, 200, {
          object: 'list',
          data: models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'stand-in' })),
        })
      if (req.method !== 'POST' || url.pathname !== '/v1/chat/completions')
        return error(res, 404, 'not_found', `Unknown route ${req.method} ${url.pathname}`)
      if (!/^application\/json/.test(req.headers['content-type'] ?? ''))
        return error(res, 400, 'invalid_content_type', 'Content-Type must be application/json')
      let body: ChatCompletionRequest
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatCompletionRequest
      } catch {
        return error(res, 400, 'invalid_json', 'We could not parse the JSON body of your request.')
      }
      if (typeof body.model !== 'string') return error(res, 400, 'missing_model', 'you must provide a model parameter')
      if (!models.includes(body.model))
        return error(res, 404, 'model_not_found', `The model \`${body.model}\` does not exist.`)
      if (
        !Array.isArray(body.messages) ||
        !body.messages.length ||
        body.messages.some((m) => !['system', 'user', 'assistant'].includes(m?.role) || typeof m.content !== 'string')
      )
        return error(res, 400, 'invalid_messages', "Invalid 'messages': each needs a role and string content.")
      const format = body.response_format
      if (
        format &&
        (format.type !== 'json_schema' ||
          typeof format.json_schema?.name !== 'string' ||
          typeof format.json_schema.schema !== 'object')
      )
        return error(res, 400, 'invalid_response_format', "Invalid 'response_format'.")
      requests.push({ body, authorization, at: Date.now() })
      arrived?.(body)
      arrived = null
      if (gate) await gate
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs))
      const reply = queued.shift() ?? (await responder(body))
      if ('hang' in reply) {
        hanging.add(res)
        res.on('close', () => hanging.delete(res))
        return
      }
      if ('raw' in reply) {
        res.writeHead(reply.status ?? 200, { 'content-type': 'application/json' })
        return res.end(reply.raw)
      }
      if ('status' in reply)
        return error(res, reply.status, reply.code ?? 'error', reply.message ?? `stand-in fault ${reply.status}`)
      const content = typeof reply.content === 'string' ? reply.content : JSON.stringify(reply.content)
      const promptTokens = tokens(body.messages.map((m) => m.content).join('\n'))
      const completionTokens = tokens(content)
      json(res, 200, {
        id: `chatcmpl-${randomBytes(12).toString('hex')}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: reply.refusal ? null : content, refusal: reply.refusal ?? null },
            logprobs: null,
            finish_reason: reply.finishReason ?? 'stop',
          },
        ],
        usage: {
          prompt_tokens: promptTokens,
          completion_tokens: completionTokens,
          total_tokens: promptTokens + completionTokens,
        },
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    /** The base URL a configuration holds (the client appends `/chat/completions`). */
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    /** What the "model" answers from now on. */
    respond(fn: Responder) {
      responder = fn
    },
    /** One-shot answers, before the responder: faults, invalid output… */
    queue(...replies: ModelReply[]) {
      queued.push(...replies)
    },
    setDelay(ms: number) {
      delayMs = ms
    },
    /** Holds answers until `release()`; `nextRequest` resolves once a request is being held. */
    hold() {
      let release!: () => void
      gate = new Promise<void>((r) => (release = r))
      const nextRequest = new Promise<ChatCompletionRequest>((r) => (arrived = r))
      return {
        nextRequest,
        release: () => {
          gate = null
          release()
        },
      }
    },
    reset() {
      queued.length = 0
      requests.length = 0
      delayMs = 0
      gate = null
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
