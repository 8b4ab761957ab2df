import type { AiCallOutcome } from '@impera/db/enums'
import { cleanText } from '../schemas/common'
import { postWebhook } from '../webhooks/send'
import type { TargetPolicy } from '../webhooks/targets'

/**
 * A language model behind an OpenAI-compatible chat-completions API (decision 021): OpenAI itself, a local Ollama
 * (`http://localhost:11434/v1`), vLLM, LM Studio, OpenRouter… The one provider interface the AI agent's runner calls;
 * what it asks for and how the answer becomes a turn live in model-turn.ts.
 *
 * One call is at most two attempts: a timeout, a dropped connection, a 429 or a 5xx is tried once more (a model
 * server's hiccups are common and brief); anything else is the answer. The caller hands the conversation to a person
 * when no usable answer came, so a second retry would only keep the contact waiting.
 */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant'
  content: string
}

export interface ChatRequest {
  messages: ChatMessage[]
  /** The answer must be a JSON object of this schema (OpenAI's structured outputs; Ollama and vLLM honour it too). */
  schema: { name: string; schema: Record<string, unknown> }
  maxTokens: number
}

/** What the usage figures record of every call, whatever its outcome (an invalid answer still cost its tokens). */
interface CallFigures {
  attempts: number
  latencyMs: number
  httpStatus: number | null
  promptTokens: number | null
  completionTokens: number | null
}

export type ChatResult =
  | ({ ok: true; content: string } & CallFigures)
  | ({ ok: false; outcome: Exclude<AiCallOutcome, 'ok'>; error: string } & CallFigures)

export interface LanguageModel {
  readonly model: string
  chat(request: ChatRequest): Promise<ChatResult>
}

export interface OpenAiCompatibleConfig {
  /** Up to the version segment, e.g. `https://api.openai.com/v1`; `/chat/completions` is appended. */
  baseUrl: string
  model: string
  apiKey: string | null
  /** Per attempt. */
  timeoutMs: number
  /** Where the URL may point: the same policy as webhooks (WEBHOOKS_ALLOW_PRIVATE_TARGETS). */
  targets: TargetPolicy
  /** Pause before the second attempt (tests shorten it). */
  retryDelayMs?: number
}

const MAX_RETRY_WAIT_MS = 2_000

export function openAiCompatible(cfg: OpenAiCompatibleConfig): LanguageModel {
  const url = `${cfg.baseUrl.replace(/\/+$/, '')}/chat/completions`
  return {
    model: cfg.model,
    async chat(request) {
      const body = JSON.stringify({
        model: cfg.model,
        messages: request.messages,
        temperature: 0.2,
        max_tokens: request.maxTokens,
        response_format: {
          type: 'json_schema',
          json_schema: { name: request.schema.name, strict: true, schema: request.schema.schema },
        },
      })
      const headers: Record<string, string> = { accept: 'application/json' }
      if (cfg.apiKey) headers.authorization = `Bearer ${cfg.apiKey}`
      const started = performance.now()
      const post = () =>
        postWebhook({
          url,
          body,
          headers,
          policy: cfg.targets,
          timeoutMs: cfg.timeoutMs,
          readBody: true,
          userAgent: 'Impera-AI/1',
        })
      let attempts = 1
      let result = await post()
      if (retryable(result)) {
        const wait = Math.min(result.retryAfterMs ?? cfg.retryDelayMs ?? 500, MAX_RETRY_WAIT_MS)
        await new Promise((r) => setTimeout(r, wait))
        attempts = 2
        result = await post()
      }
      const figures = { attempts, latencyMs: Math.round(performance.now() - started), httpStatus: result.status }
      if (!result.ok) {
        const outcome =
          result.error === 'timeout'
            ? 'timeout'
            : result.error === 'refused_target'
              ? 'refused_target'
              : result.error === 'connection'
                ? 'unreachable'
                : 'http_error'
        return {
          ok: false,
          outcome,
          error: describe(result.status, result.excerpt),
          ...figures,
          promptTokens: null,
          completionTokens: null,
        }
      }
      return { ...readCompletion(result.body ?? ''), ...figures }
    },
  }
}

function retryable(r: { ok: boolean; status: number | null; error: string | null }) {
  if (r.ok) return false
  if (r.error === 'timeout' || r.error === 'connection') return true
  return r.status === 429 || (r.status !== null && r.status >= 500)
}

function describe(status: number | null, excerpt: string | null) {
  return [status ? `HTTP ${status}` : null, excerpt].filter(Boolean).join(': ').slice(0, 500) || 'no answer'
}

type Usage = { promptTokens: number | null; completionTokens: number | null }
type Completion =
  ({ ok: true; content: string } & Usage) | ({ ok: false; outcome: 'invalid_output'; error: string } & Usage)

/** The first choice's content and the usage figures, from a chat-completions answer (or why it is not one). */
function readCompletion(text: string): Completion {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return {
      ok: false,
      outcome: 'invalid_output',
      error: 'the answer is not JSON',
      promptTokens: null,
      completionTokens: null,
    }
  }
  const answer = json as {
    choices?: { message?: { content?: unknown; refusal?: unknown }; finish_reason?: unknown }[]
    usage?: { prompt_tokens?: unknown; completion_tokens?: unknown }
  }
  const choice = answer.choices?.[0]
  const tokens = (n: unknown) => (typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : null)
  const usage: Usage = {
    promptTokens: tokens(answer.usage?.prompt_tokens),
    completionTokens: tokens(answer.usage?.completion_tokens),
  }
  if (typeof choice?.message?.refusal === 'string' && choice.message.refusal)
    return {
      ok: false,
      outcome: 'invalid_output',
      error: `refused: ${cleanText(choice.message.refusal).slice(0, 300)}`,
      ...usage,
    }
  if (typeof choice?.message?.content !== 'string' || !choice.message.content.trim())
    return { ok: false, outcome: 'invalid_output', error: 'no content in the first choice', ...usage }
  if (choice.finish_reason === 'length')
    return { ok: false, outcome: 'invalid_output', error: 'the answer was cut at the token limit', ...usage }
  return { ok: true, content: choice.message.content, ...usage }
}
