import { describe, expect, it } from 'vitest'
import { classifyGraphError, parseCloudWebhook } from './cloud-api'

const body = (value: Record<string, unknown>) =>
  Buffer.from(
    JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: 'W',
          changes: [
            {
              field: 'messages',
              value: { messaging_product: 'whatsapp', metadata: { phone_number_id: '1' }, ...value },
            },
          ],
        },
      ],
    }),
  )
const msg = (m: Record<string, unknown>) =>
  body({
    contacts: [{ profile: { name: 'Ana' }, wa_id: '5511987654321' }],
    messages: [{ from: '5511987654321', id: 'wamid.X', timestamp: '1750857384', ...m }],
  })

describe('Cloud API webhook parsing (golden shapes)', () => {
  it('text with a quoted reply, using the provider timestamp and the contact profile', () => {
    expect(
      parseCloudWebhook(msg({ type: 'text', text: { body: 'Oi' }, context: { from: '5511955550000', id: 'wamid.Q' } })),
    ).toEqual([
      {
        kind: 'message',
        phoneNumberId: '1',
        providerMessageId: 'wamid.X',
        contact: { waId: '5511987654321', profileName: 'Ana' },
        sentAt: new Date(1750857384000),
        type: 'text',
        text: 'Oi',
        replyToProviderMessageId: 'wamid.Q',
      },
    ])
  })

  it('media keep their id, type, checksum, file name, caption and voice flag', () => {
    const [doc] = parseCloudWebhook(
      msg({
        type: 'document',
        document: { id: 'M1', mime_type: 'application/pdf', sha256: 'abc', filename: 'contrato.pdf', caption: 'segue' },
      }),
    )
    expect(doc).toMatchObject({
      type: 'document',
      text: 'segue',
      media: {
        providerMediaId: 'M1',
        mimeType: 'application/pdf',
        sha256: 'abc',
        filename: 'contrato.pdf',
        caption: 'segue',
      },
    })
    const [voice] = parseCloudWebhook(
      msg({ type: 'audio', audio: { id: 'M2', mime_type: 'audio/ogg; codecs=opus', voice: true } }),
    )
    expect(voice).toMatchObject({ type: 'audio', media: { providerMediaId: 'M2', voice: true } })
  })

  it('location, button and list replies, template quick replies, reactions (an empty emoji removes)', () => {
    expect(
      parseCloudWebhook(
        msg({ type: 'location', location: { latitude: -23.55, longitude: -46.63, name: 'Loja', address: 'Av. X' } }),
      )[0],
    ).toMatchObject({ type: 'location', text: 'Loja — Av. X', payload: { latitude: -23.55, longitude: -46.63 } })
    expect(
      parseCloudWebhook(
        msg({
          type: 'interactive',
          interactive: { type: 'button_reply', button_reply: { id: 'agendar', title: 'Agendar visita' } },
        }),
      )[0],
    ).toMatchObject({ type: 'interactive', text: 'Agendar visita', payload: { kind: 'button_reply', id: 'agendar' } })
    expect(
      parseCloudWebhook(
        msg({ type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'r1', title: 'Casa' } } }),
      )[0],
    ).toMatchObject({ text: 'Casa', payload: { kind: 'list_reply', id: 'r1' } })
    expect(parseCloudWebhook(msg({ type: 'button', button: { payload: 'SIM', text: 'Sim' } }))[0]).toMatchObject({
      type: 'interactive',
      text: 'Sim',
      payload: { kind: 'template_button', id: 'SIM' },
    })
    expect(
      parseCloudWebhook(msg({ type: 'reaction', reaction: { message_id: 'wamid.T', emoji: '👍' } }))[0],
    ).toMatchObject({ type: 'reaction', payload: { targetProviderMessageId: 'wamid.T', emoji: '👍' } })
    expect(
      parseCloudWebhook(msg({ type: 'reaction', reaction: { message_id: 'wamid.T', emoji: '' } }))[0],
    ).toMatchObject({ payload: { emoji: null } })
  })

  it('unknown future types become unsupported instead of failing; system messages are kept', () => {
    expect(parseCloudWebhook(msg({ type: 'hologram', hologram: {} }))[0]).toMatchObject({
      type: 'unsupported',
      payload: { originalType: 'hologram' },
    })
    expect(parseCloudWebhook(msg({ type: 'unsupported', errors: [{ code: 131051 }] }))[0]).toMatchObject({
      type: 'unsupported',
    })
    expect(
      parseCloudWebhook(
        msg({
          type: 'system',
          system: { body: 'changed number', type: 'user_changed_number', wa_id: '5511900000000' },
        }),
      )[0],
    ).toMatchObject({ type: 'system', payload: { systemType: 'user_changed_number', newWaId: '5511900000000' } })
  })

  it('statuses: every item, played counts as read, errors and our echoed id kept; top-level errors reported', () => {
    const events = parseCloudWebhook(
      body({
        statuses: [
          {
            id: 'w1',
            status: 'delivered',
            timestamp: '1750857384',
            recipient_id: '55',
            biz_opaque_callback_data: 'ours',
          },
          { id: 'w2', status: 'played', timestamp: '1750857385', recipient_id: '55' },
          {
            id: 'w3',
            status: 'failed',
            timestamp: '1750857386',
            recipient_id: '55',
            errors: [{ code: 131047, title: 'Re-engagement message', error_data: { details: 'more than 24 hours' } }],
          },
        ],
        errors: [{ code: 130429, title: 'Rate limit hit' }],
      }),
    )
    expect(events).toEqual([
      {
        kind: 'status',
        phoneNumberId: '1',
        providerMessageId: 'w1',
        status: 'delivered',
        occurredAt: new Date(1750857384000),
        recipientWaId: '55',
        correlationId: 'ours',
        error: undefined,
      },
      {
        kind: 'status',
        phoneNumberId: '1',
        providerMessageId: 'w2',
        status: 'read',
        occurredAt: new Date(1750857385000),
        recipientWaId: '55',
        correlationId: undefined,
        error: undefined,
      },
      {
        kind: 'status',
        phoneNumberId: '1',
        providerMessageId: 'w3',
        status: 'failed',
        occurredAt: new Date(1750857386000),
        recipientWaId: '55',
        correlationId: undefined,
        error: { code: '131047', title: 'Re-engagement message', details: 'more than 24 hours' },
      },
      { kind: 'error', phoneNumberId: '1', code: '130429', title: 'Rate limit hit', details: undefined },
    ])
  })

  it('every string, keys too, comes out without what Postgres refuses (NUL dropped, lone surrogates replaced)', () => {
    const [m] = parseCloudWebhook(
      msg({ type: 'contacts', contacts: [{ name: { formatted_name: 'Jo\u0000ão \ud800' }, 'ke\u0000y': 'v\udc00' }] }),
    )
    expect(m).toMatchObject({
      type: 'contacts',
      payload: { contacts: [{ name: { formatted_name: 'João \ufffd' }, key: 'v\ufffd' }] },
    })
    expect(JSON.stringify(m)).not.toMatch(/\\u0000|\\ud8|\\udc/)
  })

  it('other objects and fields are ignored', () => {
    expect(parseCloudWebhook(Buffer.from(JSON.stringify({ object: 'page', entry: [] })))).toEqual([])
  })
})

describe('Graph error classification', () => {
  it('retries rate limits and outages, stops on window, recipient, template and auth errors', () => {
    expect(classifyGraphError(130429, 400)).toBe('rate_limited')
    expect(classifyGraphError(131056, 400)).toBe('rate_limited')
    expect(classifyGraphError(undefined, 503)).toBe('transient')
    expect(classifyGraphError(131047, 400)).toBe('window_closed')
    expect(classifyGraphError(131026, 400)).toBe('recipient_invalid')
    expect(classifyGraphError(132000, 400)).toBe('template_invalid')
    expect(classifyGraphError(190, 401)).toBe('auth')
    expect(classifyGraphError(131053, 400)).toBe('media')
    expect(classifyGraphError(100, 400)).toBe('permanent')
  })
})
