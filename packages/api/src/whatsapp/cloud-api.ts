import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import { cleanText } from '../schemas/common'
import {
  ProviderError,
  templateFromComponents,
  type DeliveryStatus,
  type MessageKind,
  type NormalizedEvent,
  type ProviderErrorCategory,
  type ProviderTemplate,
  type WhatsAppProvider,
} from './types'

export interface CloudApiConfig {
  /** e.g. https://graph.facebook.com; a stand-in in tests. */
  graphUrl: string
  /** Pinned Graph API version (webhook payloads are versioned too), e.g. v21.0. */
  version: string
  phoneNumberId: string
  /** The WhatsApp Business Account the number belongs to: where its message templates live. */
  wabaId?: string | null
  accessToken: string
  appSecret: string
  verifyToken: string
  fetch?: typeof fetch
  /** Per-request timeout; a timeout after the request went out is ambiguous, not retried blindly. */
  timeoutMs?: number
}

const safeEqual = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b)

/** Meta error codes → what we do about them (reference: whatsapp.md §2.12). */
export function classifyGraphError(code: number | undefined, httpStatus: number): ProviderErrorCategory {
  if (code === 130429 || code === 131056 || code === 131057 || code === 4 || code === 80007 || httpStatus === 429)
    return 'rate_limited'
  if (code === 131047) return 'window_closed'
  if (code === 131026) return 'recipient_invalid'
  if (code === 132000 || code === 132001) return 'template_invalid'
  if (
    code === 0 ||
    code === 190 ||
    code === 10 ||
    code === 368 ||
    code === 131031 ||
    (code !== undefined && code >= 200 && code <= 299) ||
    httpStatus === 401
  )
    return 'auth'
  if (code === 131052 || code === 131053) return 'media'
  if (code === 1 || code === 2 || httpStatus >= 500) return 'transient'
  return 'permanent'
}

type Json = Record<string, unknown>
const str = (v: unknown) => (typeof v === 'string' ? v : v === undefined || v === null ? undefined : String(v))
const obj = (v: unknown): Json => (v && typeof v === 'object' ? (v as Json) : {})
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : [])
const seconds = (v: unknown) => new Date(Number(v) * 1000)

/**
 * Every string of a parsed body (keys too) without what Postgres refuses: JSON may carry \u0000 and lone surrogates,
 * which text and jsonb columns reject. Cleaned once here, so nothing taken from a delivery can fail a write.
 */
function cleanJson(v: unknown): unknown {
  if (typeof v === 'string') return cleanText(v)
  if (Array.isArray(v)) return v.map(cleanJson)
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [cleanText(k), cleanJson(x)]))
  return v
}

const mediaTypes = new Set(['image', 'audio', 'video', 'document', 'sticker'])
const knownTypes = new Set<MessageKind>([
  'text',
  'image',
  'audio',
  'video',
  'document',
  'sticker',
  'location',
  'contacts',
  'interactive',
  'reaction',
  'system',
])

/** One `value.messages[]` item → a normalized inbound message (unknown future types become `unsupported`). */
function parseMessage(
  m: Json,
  profiles: Map<string, string>,
  phoneNumberId: string | undefined,
): NormalizedEvent | null {
  const id = str(m.id)
  const from = str(m.from)
  if (!id || !from) return null
  const rawType = str(m.type) ?? 'unsupported'
  const type: MessageKind =
    rawType === 'button'
      ? 'interactive'
      : knownTypes.has(rawType as MessageKind)
        ? (rawType as MessageKind)
        : 'unsupported'
  const base = {
    kind: 'message' as const,
    phoneNumberId,
    providerMessageId: id,
    contact: { waId: from, profileName: profiles.get(from) },
    sentAt: seconds(m.timestamp),
    type,
    replyToProviderMessageId: str(obj(m.context).id),
  }
  const body = obj(m[rawType])
  if (type === 'text') return { ...base, text: str(body.body) ?? '' }
  if (mediaTypes.has(type)) {
    return {
      ...base,
      text: str(body.caption),
      media: {
        providerMediaId: str(body.id) ?? '',
        mimeType: str(body.mime_type),
        sha256: str(body.sha256),
        filename: str(body.filename),
        caption: str(body.caption),
        voice: body.voice === true || undefined,
      },
    }
  }
  if (type === 'location')
    return {
      ...base,
      text: [str(body.name), str(body.address)].filter(Boolean).join(' — ') || undefined,
      payload: { latitude: body.latitude, longitude: body.longitude, name: body.name, address: body.address },
    }
  if (type === 'reaction')
    return { ...base, payload: { targetProviderMessageId: str(body.message_id), emoji: str(body.emoji) || null } }
  if (type === 'interactive') {
    const reply =
      rawType === 'button'
        ? { id: str(body.payload), title: str(body.text) }
        : obj(body.button_reply ?? body.list_reply)
    return {
      ...base,
      text: str(reply.title),
      payload: { kind: rawType === 'button' ? 'template_button' : str(body.type), id: str(reply.id) },
    }
  }
  if (type === 'contacts') return { ...base, payload: { contacts: m.contacts } }
  if (type === 'system')
    return { ...base, text: str(body.body), payload: { systemType: str(body.type), newWaId: str(body.wa_id) } }
  return { ...base, payload: { originalType: rawType, errors: m.errors } }
}

function parseStatus(s: Json, phoneNumberId: string | undefined): NormalizedEvent | null {
  const id = str(s.id)
  const status = str(s.status) === 'played' ? 'read' : str(s.status)
  if (!id || !status || !['sent', 'delivered', 'read', 'failed'].includes(status)) return null
  const err = obj(arr(s.errors)[0])
  return {
    kind: 'status',
    phoneNumberId,
    providerMessageId: id,
    status: status as DeliveryStatus,
    occurredAt: seconds(s.timestamp),
    recipientWaId: str(s.recipient_id),
    correlationId: str(s.biz_opaque_callback_data),
    error:
      err.code !== undefined
        ? {
            code: String(err.code),
            title: str(err.title),
            details: str(obj(err.error_data).details) ?? str(err.message),
          }
        : undefined,
  }
}

/** Pure parse of a webhook body: every entry × change × message/status/error (batches are real; none is dropped). */
export function parseCloudWebhook(rawBody: Buffer): NormalizedEvent[] {
  const root = obj(cleanJson(JSON.parse(rawBody.toString('utf8'))))
  if (root.object !== 'whatsapp_business_account') return []
  const events: NormalizedEvent[] = []
  for (const entry of arr(root.entry)) {
    for (const change of arr(obj(entry).changes)) {
      const c = obj(change)
      const value = obj(c.value)
      const phoneNumberId = str(obj(value.metadata).phone_number_id)
      // Messages the business sent from the WhatsApp Business app (coexistence): `from` is the business, `to` the
      // contact. Parsed like an inbound message about the contact, marked as an echo (decision 019).
      if (c.field === 'smb_message_echoes') {
        for (const m of arr(value.message_echoes)) {
          const echo = obj(m)
          const e = parseMessage({ ...echo, from: echo.to }, new Map(), phoneNumberId)
          if (e?.kind === 'message') events.push({ ...e, echo: true })
        }
        continue
      }
      if (c.field !== 'messages') continue
      const profiles = new Map(
        arr(value.contacts).map((ct) => [str(obj(ct).wa_id) ?? '', str(obj(obj(ct).profile).name) ?? '']),
      )
      for (const m of arr(value.messages)) {
        const e = parseMessage(obj(m), profiles, phoneNumberId)
        if (e) events.push(e)
      }
      for (const s of arr(value.statuses)) {
        const e = parseStatus(obj(s), phoneNumberId)
        if (e) events.push(e)
      }
      for (const e of arr(value.errors))
        events.push({
          kind: 'error',
          phoneNumberId,
          code: String(obj(e).code ?? ''),
          title: str(obj(e).title),
          details: str(obj(obj(e).error_data).details),
        })
    }
  }
  return events
}

type GraphConfig = Pick<CloudApiConfig, 'graphUrl' | 'version' | 'accessToken' | 'fetch' | 'timeoutMs'>

/** One Graph call with the bearer token; network failures classified (safe to retry, or ambiguous). */
async function graphFetch(
  config: GraphConfig,
  path: string,
  init: RequestInit & { timeoutMs?: number } = {},
): Promise<Response> {
  const base = `${config.graphUrl.replace(/\/$/, '')}/${config.version}`
  try {
    return await (config.fetch ?? fetch)(path.startsWith('http') ? path : `${base}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${config.accessToken}`, ...(init.headers ?? {}) },
      signal: AbortSignal.timeout(init.timeoutMs ?? config.timeoutMs ?? 15_000),
    })
  } catch (e) {
    // Only a connection that was never made is safe to retry. A timeout or a connection dropped after the request
    // went out may have delivered the message: ambiguous, never resent blindly.
    const code = ((e as { cause?: { code?: string } }).cause?.code ?? '') as string
    if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code))
      throw new ProviderError('network', 'transient', `cannot reach the provider: ${code}`)
    const name = (e as Error).name
    throw new ProviderError(
      name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'connection',
      'ambiguous',
      `no answer from the provider: ${code || (e as Error).message}`,
    )
  }
}

/** A Graph error envelope → a classified ProviderError. */
async function failed(res: Response): Promise<never> {
  const body = obj(await res.json().catch(() => ({})))
  const error = obj(body.error)
  const code = typeof error.code === 'number' ? error.code : undefined
  // Its text is kept (a paused number's reason, a template sync's error): cleaned like anything else from outside.
  throw new ProviderError(
    String(code ?? res.status),
    classifyGraphError(code, res.status),
    cleanText(str(obj(error.error_data).details) ?? str(error.message) ?? `HTTP ${res.status}`),
  )
}

/**
 * Proof that an access token reaches a phone number: Graph answers GET /{phone-number-id} only to a token of the
 * number's business (otherwise error 100, "does not exist … missing permissions"). Throws a classified ProviderError
 * when it does not.
 */
export async function lookupPhoneNumber(
  config: GraphConfig & { phoneNumberId: string },
): Promise<{ id: string; displayPhoneNumber?: string }> {
  const res = await graphFetch(config, `/${encodeURIComponent(config.phoneNumberId)}?fields=id,display_phone_number`, {
    timeoutMs: config.timeoutMs ?? 10_000,
  })
  if (!res.ok) await failed(res)
  const json = obj(await res.json().catch(() => ({})))
  if (str(json.id) !== config.phoneNumberId)
    throw new ProviderError('not_this_number', 'permanent', 'Graph answered for another object')
  return { id: config.phoneNumberId, displayPhoneNumber: str(json.display_phone_number) }
}

/** WhatsApp Cloud API (Meta Graph): signed webhooks, JSON sends, media by id with the bearer token. */
export function createCloudApiProvider(config: CloudApiConfig): WhatsAppProvider {
  const graph = (path: string, init: RequestInit & { timeoutMs?: number } = {}) => graphFetch(config, path, init)

  async function upload(media: { bytes: Uint8Array; mimeType: string; filename?: string }): Promise<string> {
    const form = new FormData()
    form.append('messaging_product', 'whatsapp')
    form.append('type', media.mimeType)
    form.append('file', new Blob([new Uint8Array(media.bytes)], { type: media.mimeType }), media.filename ?? 'file')
    const res = await graph(`/${config.phoneNumberId}/media`, { method: 'POST', body: form })
    if (!res.ok) await failed(res)
    return str(obj(await res.json()).id) ?? ''
  }

  return {
    kind: 'cloud_api',
    verifySubscription(query) {
      const token = Buffer.from(query.get('hub.verify_token') ?? '')
      const ok = query.get('hub.mode') === 'subscribe' && safeEqual(token, Buffer.from(config.verifyToken))
      return ok ? { status: 200, body: query.get('hub.challenge') ?? '' } : { status: 403, body: '' }
    },
    authenticate(rawBody, headers) {
      const header = headers['x-hub-signature-256']
      if (!header?.startsWith('sha256=')) return false
      const got = Buffer.from(header.slice(7), 'hex')
      const expected = createHmac('sha256', config.appSecret).update(rawBody).digest()
      return safeEqual(got, expected)
    },
    parse: parseCloudWebhook,
    async send(message) {
      const c = message.content
      const body: Json = {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: message.to.replace(/^\+/, ''),
        biz_opaque_callback_data: message.id,
      }
      if (message.replyToProviderMessageId) body.context = { message_id: message.replyToProviderMessageId }
      if (c.type === 'text') Object.assign(body, { type: 'text', text: { body: c.text, preview_url: false } })
      else if (c.type === 'template') {
        const parameters = c.template.parameters.map((text) => ({ type: 'text', text }))
        Object.assign(body, {
          type: 'template',
          template: {
            name: c.template.name,
            language: { code: c.template.language },
            components: parameters.length ? [{ type: 'body', parameters }] : [],
          },
        })
      } else {
        // Upload, then send by id: Meta fetching a link of ours is fragile (rate limits per ASN, no redirects).
        const id = await upload(c.media)
        Object.assign(body, {
          type: c.type,
          [c.type]: {
            id,
            ...(c.caption && c.type !== 'audio' ? { caption: c.caption } : {}),
            ...(c.type === 'document' && c.media.filename ? { filename: c.media.filename } : {}),
          },
        })
      }
      const res = await graph(`/${config.phoneNumberId}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
      if (!res.ok) await failed(res)
      const json = obj(await res.json())
      const id = str(obj(arr(json.messages)[0]).id)
      if (!id) throw new ProviderError('no_id', 'ambiguous', 'accepted without a message id')
      return { providerMessageId: id, recipientWaId: str(obj(arr(json.contacts)[0]).wa_id) }
    },
    async listTemplates() {
      if (!config.wabaId)
        throw new ProviderError(
          'no_waba',
          'permanent',
          'the number has no WhatsApp Business Account id: add it to sync templates',
        )
      const templates: ProviderTemplate[] = []
      let after: string | undefined
      // Pages by cursor against our own base URL, rather than following `paging.next` (it carries the token elsewhere).
      for (let page = 0; page < 50; page++) {
        const query = new URLSearchParams({
          fields: 'name,language,status,category,components',
          limit: '100',
          ...(after ? { after } : {}),
        })
        const res = await graph(`/${encodeURIComponent(config.wabaId)}/message_templates?${query}`)
        if (!res.ok) await failed(res)
        const json = obj(await res.json())
        for (const t of arr(json.data).map(obj)) {
          const name = str(t.name)
          const language = str(t.language)
          if (!name || !language) continue
          templates.push(
            templateFromComponents({
              name,
              language,
              category: str(t.category) ?? 'UTILITY',
              status: str(t.status) ?? 'PENDING',
              components: arr(t.components),
            }),
          )
        }
        const paging = obj(json.paging)
        after = str(obj(paging.cursors).after)
        if (!paging.next || !after) break
      }
      return templates
    },
    async downloadMedia(providerMediaId) {
      // Resolve on every attempt: the download URL lives about five minutes.
      const meta = await graph(
        `/${encodeURIComponent(providerMediaId)}?phone_number_id=${encodeURIComponent(config.phoneNumberId)}`,
      )
      if (!meta.ok) await failed(meta)
      const info = obj(await meta.json())
      const url = str(info.url)
      if (!url) throw new ProviderError('no_url', 'media', 'media has no download URL')
      const file = await graph(url, { timeoutMs: 60_000 })
      if (!file.ok) await failed(file)
      const bytes = new Uint8Array(await file.arrayBuffer())
      const sha256 = str(info.sha256)
      if (sha256 && createHash('sha256').update(bytes).digest('hex') !== sha256)
        throw new ProviderError('sha256', 'media', 'downloaded media does not match its checksum')
      return {
        bytes,
        mimeType: str(info.mime_type) ?? file.headers.get('content-type') ?? 'application/octet-stream',
        sha256,
      }
    },
  }
}
