import { templateParamCount } from '../schemas/whatsapp'

/**
 * The provider seam (see ../../../../docs/decisions/008-whatsapp-pipeline.md): a provider authenticates and parses
 * webhook deliveries (pure, every array item), sends, downloads media and lists message templates. Everything else —
 * storage, idempotency, ordering, linking to leads — is ours and the same for every provider.
 */
export type MessageKind =
  | 'text'
  | 'image'
  | 'audio'
  | 'video'
  | 'document'
  | 'sticker'
  | 'location'
  | 'contacts'
  | 'interactive'
  | 'reaction'
  | 'template'
  | 'system'
  | 'unsupported'

/** Where the Cloud API's Graph endpoint answers (configurable, so tests and local runs talk to a stand-in). */
export interface WhatsAppGraph {
  graphUrl: string
  graphVersion: string
  fetch?: typeof fetch
}

export interface InboundMessageEvent {
  kind: 'message'
  /** The business number the event is for (Meta's metadata.phone_number_id): the routing key, not the URL. */
  phoneNumberId?: string
  providerMessageId: string
  contact: { waId: string; profileName?: string }
  /** The provider's timestamp (the contact's send time), never our processing time. */
  sentAt: Date
  type: MessageKind
  text?: string
  media?: {
    providerMediaId: string
    mimeType?: string
    sha256?: string
    filename?: string
    caption?: string
    voice?: boolean
  }
  payload?: Record<string, unknown>
  replyToProviderMessageId?: string
  /**
   * A message the business sent from its own phone (the WhatsApp Business app on a coexistence number: Meta's
   * `smb_message_echoes`). `contact` is then the recipient. A person wrote it: it takes the conversation over.
   */
  echo?: boolean
}

export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'failed'

export interface StatusEvent {
  kind: 'status'
  phoneNumberId?: string
  providerMessageId: string
  status: DeliveryStatus
  occurredAt: Date
  recipientWaId?: string
  /** Our outbound message id, echoed back (Meta's biz_opaque_callback_data). */
  correlationId?: string
  error?: { code: string; title?: string; details?: string }
}

export interface ProviderErrorEvent {
  kind: 'error'
  phoneNumberId?: string
  code: string
  title?: string
  details?: string
}

export type NormalizedEvent = InboundMessageEvent | StatusEvent | ProviderErrorEvent

export type OutboundContent =
  | { type: 'text'; text: string }
  | {
      type: 'image' | 'video' | 'document' | 'audio'
      media: { bytes: Uint8Array; mimeType: string; filename?: string }
      caption?: string
    }
  | { type: 'template'; template: { name: string; language: string; parameters: string[] } }

export interface OutboundMessage {
  id: string
  to: string
  content: OutboundContent
  replyToProviderMessageId?: string
}

/** A message template as the provider holds it (Meta reviews each one; only APPROVED ones can be sent). */
export interface ProviderTemplate {
  name: string
  language: string
  category: string
  status: string
  /** The BODY component's text, with {{1}}, {{2}}… where the parameters go. */
  body: string
  /** How many body parameters a send must carry. */
  params: number
  components: unknown[]
}

/** Meta's template components → what the composer needs: the body text and how many parameters it takes. */
export function templateFromComponents(t: {
  name: string
  language: string
  category: string
  status: string
  components: unknown[]
}): ProviderTemplate {
  const body =
    t.components.map((c) => c as { type?: string; text?: string }).find((c) => String(c.type).toUpperCase() === 'BODY')
      ?.text ?? ''
  return { ...t, body, params: templateParamCount(body) }
}

export interface SendResult {
  providerMessageId: string
  recipientWaId?: string
}

export type ProviderErrorCategory =
  | 'rate_limited'
  | 'transient'
  | 'ambiguous'
  | 'window_closed'
  | 'recipient_invalid'
  | 'template_invalid'
  | 'auth'
  | 'media'
  | 'permanent'

/** A classified provider failure: retryable categories are retried with backoff, the others stop with a reason. */
export class ProviderError extends Error {
  constructor(
    readonly code: string,
    readonly category: ProviderErrorCategory,
    message: string,
  ) {
    super(message)
    this.name = 'ProviderError'
  }

  get retryable(): boolean {
    return this.category === 'rate_limited' || this.category === 'transient' || this.category === 'media'
  }
}

export interface WhatsAppProvider {
  readonly kind: 'cloud_api' | 'sandbox'
  /** GET handshake (Meta); 403 when the token does not match. */
  verifySubscription(query: URLSearchParams): { status: 200 | 403; body: string }
  /** Over the raw bytes, before anything parses them. */
  authenticate(rawBody: Buffer, headers: Record<string, string | undefined>): boolean
  /** Pure: one delivery → all its events (every entry, change, message and status). Irrelevant fields → []. */
  parse(rawBody: Buffer): NormalizedEvent[]
  send(message: OutboundMessage): Promise<SendResult>
  downloadMedia(providerMediaId: string): Promise<{ bytes: Uint8Array; mimeType: string; sha256?: string }>
  /**
   * Pull-type providers only: deliveries due since the last poll, as raw bodies in the provider's webhook format. The
   * worker stores each as a raw event, exactly as if it had been pushed, so the rest of the path is the same.
   */
  poll?(): Promise<Buffer[]>
  /** Every template of the number's business account, all review states, across the provider's pages. */
  listTemplates(): Promise<ProviderTemplate[]>
}
