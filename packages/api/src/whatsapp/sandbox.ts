import { createHmac, randomBytes } from 'node:crypto'
import { parseCloudWebhook } from './cloud-api'
import { ProviderError, templateFromComponents, type WhatsAppProvider } from './types'

/**
 * The sandbox's business account holds a few pt-BR templates an agency would have approved (and one still in review),
 * so the template picker can be tried without Meta.
 */
const sandboxTemplates = [
  {
    name: 'retomar_contato',
    language: 'pt_BR',
    category: 'MARKETING',
    status: 'APPROVED',
    components: [{ type: 'BODY', text: 'Olá, {{1}}! Aqui é da imobiliária. Ainda procura um imóvel? Podemos ajudar.' }],
  },
  {
    name: 'visita_confirmada',
    language: 'pt_BR',
    category: 'UTILITY',
    status: 'APPROVED',
    components: [{ type: 'BODY', text: 'Olá, {{1}}! Sua visita ao imóvel {{2}} está confirmada para {{3}}.' }],
  },
  {
    name: 'documentos_pendentes',
    language: 'pt_BR',
    category: 'UTILITY',
    status: 'APPROVED',
    components: [
      { type: 'BODY', text: 'Olá, {{1}}. Faltam alguns documentos para seguirmos com a proposta. Pode nos enviar?' },
      { type: 'FOOTER', text: 'Responda a esta mensagem' },
    ],
  },
  {
    name: 'oferta_semana',
    language: 'pt_BR',
    category: 'MARKETING',
    status: 'PENDING',
    components: [{ type: 'BODY', text: 'Novidades da semana para você, {{1}}.' }],
  },
]

/**
 * The sandbox number every agency gets when no real account is configured. It speaks the Cloud API's webhook format
 * (so it exercises the same parser, storage and worker path) and simulates the contact's phone: sends are accepted
 * at once, and the "phone" answers with delivered and read receipts, queued in the sandbox inbox that the worker polls
 * like a pull-type provider. Text to a number ending in 0000 fails as "not on WhatsApp", to demo failures.
 */
export interface SandboxOutbox {
  /** Queues a delivery for the worker's poll (a Cloud-API-shaped webhook body), after `delayMs`. */
  push(body: unknown, delayMs: number): Promise<void>
  /** Takes the deliveries that are due, oldest first. */
  take(): Promise<unknown[]>
}

export function createSandboxProvider(config: {
  phoneNumberId: string
  displayNumber: string
  appSecret: string
  verifyToken: string
  outbox: SandboxOutbox
}): WhatsAppProvider {
  const statusBody = (id: string, to: string, status: string, correlationId: string) => ({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'sandbox',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: config.displayNumber, phone_number_id: config.phoneNumberId },
              statuses: [
                {
                  id,
                  status,
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  recipient_id: to,
                  biz_opaque_callback_data: correlationId,
                },
              ],
            },
          },
        ],
      },
    ],
  })
  return {
    kind: 'sandbox',
    verifySubscription(query) {
      return query.get('hub.mode') === 'subscribe' && query.get('hub.verify_token') === config.verifyToken
        ? { status: 200, body: query.get('hub.challenge') ?? '' }
        : { status: 403, body: '' }
    },
    authenticate(rawBody, headers) {
      const header = headers['x-hub-signature-256']
      return header === `sha256=${createHmac('sha256', config.appSecret).update(rawBody).digest('hex')}`
    },
    parse: parseCloudWebhook,
    async send(message) {
      const to = message.to.replace(/^\+/, '')
      if (to.endsWith('0000'))
        throw new ProviderError(
          '131026',
          'recipient_invalid',
          'Message undeliverable (sandbox: numbers ending in 0000 are not on WhatsApp)',
        )
      const id = `wamid.SANDBOX${randomBytes(12).toString('hex')}`
      await config.outbox.push(statusBody(id, to, 'delivered', message.id), 1_000)
      await config.outbox.push(statusBody(id, to, 'read', message.id), 3_000)
      return { providerMessageId: id, recipientWaId: to }
    },
    async downloadMedia() {
      throw new ProviderError('sandbox_media', 'permanent', 'the sandbox has no media to download')
    },
    async poll() {
      return (await config.outbox.take()).map((body) => Buffer.from(JSON.stringify(body)))
    },
    async listTemplates() {
      return sandboxTemplates.map(templateFromComponents)
    },
  }
}

/** A Cloud-API-shaped inbound text from a simulated contact (dev panel, CLI, tests). */
export function sandboxInboundBody(opts: {
  phoneNumberId: string
  displayNumber: string
  from: string
  name?: string
  text: string
  id?: string
  at?: Date
}) {
  const from = opts.from.replace(/\D/g, '')
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'sandbox',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: opts.displayNumber, phone_number_id: opts.phoneNumberId },
              contacts: [{ profile: { name: opts.name ?? '' }, wa_id: from }],
              messages: [
                {
                  from,
                  id: opts.id ?? `wamid.SIMIN${randomBytes(12).toString('hex')}`,
                  timestamp: String(Math.floor((opts.at ?? new Date()).getTime() / 1000)),
                  type: 'text',
                  text: { body: opts.text },
                },
              ],
            },
          },
        ],
      },
    ],
  }
}
