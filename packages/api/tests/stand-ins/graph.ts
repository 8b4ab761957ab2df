import { createHash, createHmac, randomBytes } from 'node:crypto'
import http from 'node:http'

/**
 * A stand-in for Meta's Graph API (WhatsApp Cloud API) speaking the documented contract (reference: whatsapp.md §2,
 * §6): message sends with the success and error envelopes, media upload, media resolve → short-lived URL that
 * requires the bearer token, a business account's message templates (cursor-paged), phone numbers that answer
 * GET /{phone-number-id} only to their own business's token, and a control surface: queued faults (an error code or
 * HTTP status for the next calls), a count of accepted sends per our message id, and a signer for webhook bodies.
 * Never used by the app itself.
 */
export interface Fault {
  /** Graph error code in the error envelope, with an HTTP status (default 400). */
  code?: number
  status?: number
  details?: string
  /** Accept the request, then drop the connection without answering (the "ambiguous" case). */
  drop?: boolean
  /** Only for a send to this recipient (digits, as in the body's `to`); other calls pass by. */
  to?: string
}

export async function startGraphStandIn(opts: {
  accessToken: string
  appSecret: string
  version?: string
  phoneNumbers?: string[]
}) {
  const version = opts.version ?? 'v21.0'
  // `at`: when the send arrived (performance.now()), for the pacing tests' meter.
  const sends: { phoneNumberId: string; body: Record<string, unknown>; wamid: string; at: number }[] = []
  let sendsInFlight = 0
  let maxSendsInFlight = 0
  const uploads: { id: string; mimeType: string; bytes: number }[] = []
  const faults: { path: RegExp; fault: Fault }[] = []
  const media = new Map<string, { bytes: Buffer; mimeType: string }>()
  const urls = new Map<string, { mediaId: string; expiresAt: number }>()
  let clockOffset = 0
  let pageSize = 100
  let sendDelayMs = 0
  let onSend: ((s: { wamid: string; ourId: string }) => void) | null = null
  // Templates per WhatsApp Business Account, as Meta lists them (GET /{waba}/message_templates, cursor-paged).
  const templates = new Map<string, Record<string, unknown>[]>()
  const templateRequests: string[] = []
  // Phone numbers and the token of the business that owns each; every lookup, and whether it was answered.
  const numbers = new Map((opts.phoneNumbers ?? []).map((id) => [id, opts.accessToken]))
  const numberLookups: { id: string; ok: boolean }[] = []
  const now = () => Date.now() + clockOffset

  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(JSON.stringify(body))
  }
  const graphError = (res: http.ServerResponse, f: Fault) =>
    json(res, f.status ?? 400, {
      error: {
        message: `(#${f.code}) ${f.details ?? 'error'}`,
        type: 'OAuthException',
        code: f.code,
        error_data: { messaging_product: 'whatsapp', details: f.details ?? 'error' },
        fbtrace_id: randomBytes(8).toString('hex'),
      },
    })

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const raw = Buffer.concat(chunks)
    const url = new URL(req.url ?? '/', 'http://x')
    const faultIndex = faults.findIndex((f) => f.path.test(url.pathname) && f.fault.to === undefined)
    if (faultIndex >= 0) {
      const { fault } = faults.splice(faultIndex, 1)[0]!
      if (fault.drop) return req.socket.destroy()
      if (fault.code === undefined)
        return json(res, fault.status ?? 500, { error: { message: 'Service temporarily unavailable', code: 2 } })
      return graphError(res, fault)
    }
    // Downloads are served on a lookaside-style URL and, like Meta's, refuse a request without the bearer token.
    const download = /^\/media-download\/(\w+)$/.exec(url.pathname)
    if (download) {
      if (req.headers.authorization !== `Bearer ${opts.accessToken}`)
        return json(res, 401, { error: { message: 'missing token', code: 190 } })
      const u = urls.get(download[1]!)
      if (!u || u.expiresAt < now()) return json(res, 404, { error: { message: 'URL expired', code: 100 } })
      const m = media.get(u.mediaId)!
      res.writeHead(200, { 'content-type': m.mimeType, 'content-length': m.bytes.length })
      return res.end(m.bytes)
    }
    // A phone number answers to its own business's token; to any other, Meta says it does not exist.
    const number = new RegExp(`^/${version}/(\\d+)$`).exec(url.pathname)
    if (number && req.method === 'GET' && numbers.has(number[1]!)) {
      const ok = req.headers.authorization === `Bearer ${numbers.get(number[1]!)}`
      numberLookups.push({ id: number[1]!, ok })
      if (!ok)
        return graphError(res, {
          code: 100,
          details: `Unsupported get request. Object with ID '${number[1]}' does not exist, cannot be loaded due to missing permissions, or does not support this operation`,
        })
      return json(res, 200, {
        id: number[1],
        display_phone_number: '+55 11 95555-0000',
        verified_name: 'Imobiliária',
        quality_rating: 'GREEN',
      })
    }
    if (req.headers.authorization !== `Bearer ${opts.accessToken}`)
      return graphError(res, { code: 190, status: 401, details: 'Invalid OAuth access token' })
    const send = new RegExp(`^/${version}/(\\w[\\w-]*)/messages$`).exec(url.pathname)
    if (send && req.method === 'POST') {
      const body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>
      const type = body.type as string
      if (body.messaging_product !== 'whatsapp' || !body.to || !type || !body[type])
        return graphError(res, { code: 100, details: 'Invalid parameter' })
      const forRecipient = faults.findIndex((f) => f.path.test(url.pathname) && f.fault.to === body.to)
      if (forRecipient >= 0) return graphError(res, faults.splice(forRecipient, 1)[0]!.fault)
      const wamid = `wamid.FAKE${randomBytes(10).toString('hex')}`
      // Accepted the moment the body is read (as Meta does), answered after the delay: a caller killed meanwhile
      // has sent a message it never heard about.
      sends.push({ phoneNumberId: send[1]!, body, wamid, at: performance.now() })
      onSend?.({ wamid, ourId: String(body.biz_opaque_callback_data ?? '') })
      maxSendsInFlight = Math.max(maxSendsInFlight, ++sendsInFlight)
      if (sendDelayMs) await new Promise((r) => setTimeout(r, sendDelayMs))
      sendsInFlight--
      return json(res, 200, {
        messaging_product: 'whatsapp',
        contacts: [{ input: body.to, wa_id: String(body.to).replace(/\D/g, '') }],
        messages: [{ id: wamid }],
      })
    }
    const listTemplates = new RegExp(`^/${version}/(\\w[\\w-]*)/message_templates$`).exec(url.pathname)
    if (listTemplates && req.method === 'GET') {
      templateRequests.push(url.search)
      const all = templates.get(listTemplates[1]!)
      if (!all) return graphError(res, { code: 100, details: 'Unsupported get request. Object does not exist' })
      const limit = Math.min(Number(url.searchParams.get('limit') ?? 25), pageSize)
      const start = Number(
        url.searchParams.get('after') ? Buffer.from(url.searchParams.get('after')!, 'base64url').toString() : 0,
      )
      const data = all.slice(start, start + limit)
      const more = start + limit < all.length
      const after = Buffer.from(String(start + limit)).toString('base64url')
      return json(res, 200, {
        data,
        paging: {
          cursors: { before: Buffer.from(String(start)).toString('base64url'), after },
          ...(more
            ? { next: `https://graph.facebook.com/${version}/${listTemplates[1]}/message_templates?after=${after}` }
            : {}),
        },
      })
    }
    const upload = new RegExp(`^/${version}/(\\w[\\w-]*)/media$`).exec(url.pathname)
    if (upload && req.method === 'POST') {
      // Multipart: keep the file part's bytes and type (enough for the contract: upload, then send by id).
      const form = await new Response(raw, {
        headers: { 'content-type': String(req.headers['content-type']) },
      }).formData()
      const file = form.get('file')
      if (form.get('messaging_product') !== 'whatsapp' || !(file instanceof Blob))
        return graphError(res, { code: 100, details: 'Invalid parameter' })
      const id = String(Date.now()) + String(Math.floor(Math.random() * 1000))
      media.set(id, { bytes: Buffer.from(await file.arrayBuffer()), mimeType: file.type })
      uploads.push({ id, mimeType: file.type, bytes: file.size })
      return json(res, 200, { id })
    }
    const resolve = new RegExp(`^/${version}/(\\d+)$`).exec(url.pathname)
    if (resolve && req.method === 'GET') {
      const m = media.get(resolve[1]!)
      if (!m) return graphError(res, { code: 100, details: 'Unsupported get request. Object does not exist' })
      const token = randomBytes(8).toString('hex')
      urls.set(token, { mediaId: resolve[1]!, expiresAt: now() + 5 * 60_000 })
      const host = `http://${req.headers.host}`
      return json(res, 200, {
        messaging_product: 'whatsapp',
        url: `${host}/media-download/${token}`,
        mime_type: m.mimeType,
        sha256: createHash('sha256').update(m.bytes).digest('hex'),
        file_size: String(m.bytes.length),
        id: resolve[1],
      })
    }
    json(res, 404, { error: { message: 'Unknown path', code: 803 } })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  return {
    url: base,
    version,
    sends,
    uploads,
    /** Sends accepted for one of our message ids (biz_opaque_callback_data): must never exceed 1. */
    sendsFor: (ourId: string) => sends.filter((s) => s.body.biz_opaque_callback_data === ourId).length,
    fault(path: RegExp, fault: Fault) {
      faults.push({ path, fault })
    },
    /** The stand-in's meter: the most sends (of one phone number, or all) it received within any one second. */
    busiestSecond(phoneNumberId?: string) {
      const times = sends
        .filter((x) => phoneNumberId === undefined || x.phoneNumberId === phoneNumberId)
        .map((x) => x.at)
        .sort((a, b) => a - b)
      let most = 0
      for (let i = 0, j = 0; i < times.length; i++) {
        while (times[i]! - times[j]! >= 1000) j++
        most = Math.max(most, i - j + 1)
      }
      return most
    },
    /** The most sends that were being answered at once (with a send delay set), since the last reset. */
    maxSendsInFlight: () => maxSendsInFlight,
    resetSendMeter() {
      sends.length = 0
      maxSendsInFlight = 0
    },
    /** The templates a business account holds at "Meta" now, and the largest page it answers with. */
    setTemplates(wabaId: string, list: Record<string, unknown>[], opts: { pageSize?: number } = {}) {
      templates.set(wabaId, list)
      pageSize = opts.pageSize ?? 100
    },
    templateRequests,
    numberLookups,
    /** A phone number at "Meta", reachable with its business's token (the stand-in's own token by default). */
    addPhoneNumber(id: string, o: { token?: string } = {}) {
      numbers.set(id, o.token ?? opts.accessToken)
    },
    addMedia(id: string, bytes: Buffer, mimeType: string) {
      media.set(id, { bytes, mimeType })
    },
    setSendDelay(ms: number) {
      sendDelayMs = ms
    },
    /** Called for every accepted send (e.g. to deliver the receipts Meta would send). */
    onSend(fn: typeof onSend) {
      onSend = fn
    },
    advanceClock(ms: number) {
      clockOffset += ms
    },
    /** The X-Hub-Signature-256 header for a raw body, signed like Meta does. */
    sign: (raw: Buffer | string, secret = opts.appSecret) =>
      `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  }
}

/** Meta-shaped webhook bodies for tests. */
export const webhook = {
  envelope(phoneNumberId: string, values: Record<string, unknown>[]) {
    return {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: 'WABA1',
          changes: values.map((value) => ({
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '5511955550000', phone_number_id: phoneNumberId },
              ...value,
            },
          })),
        },
      ],
    }
  },
  text(from: string, text: string, opts: { id?: string; ts?: number; name?: string } = {}) {
    return {
      contacts: [{ profile: { name: opts.name ?? 'Contato' }, wa_id: from }],
      messages: [
        {
          from,
          id: opts.id ?? `wamid.IN${randomBytes(8).toString('hex')}`,
          timestamp: String(opts.ts ?? Math.floor(Date.now() / 1000)),
          type: 'text',
          text: { body: text },
        },
      ],
    }
  },
  /** WhatsApp's notice that a contact moved to a new number: sent from the old one, naming the new wa_id. */
  numberChanged(from: string, newWaId: string, opts: { id?: string; ts?: number } = {}) {
    return {
      messages: [
        {
          from,
          id: opts.id ?? `wamid.SYS${randomBytes(8).toString('hex')}`,
          timestamp: String(opts.ts ?? Math.floor(Date.now() / 1000)),
          type: 'system',
          system: { body: `User changed from ${from} to ${newWaId}`, wa_id: newWaId, type: 'user_changed_number' },
        },
      ],
    }
  },
  status(id: string, status: string, opts: { ts?: number; correlationId?: string; errorCode?: number } = {}) {
    return {
      statuses: [
        {
          id,
          status,
          timestamp: String(opts.ts ?? Math.floor(Date.now() / 1000)),
          recipient_id: '5511987654321',
          ...(opts.correlationId ? { biz_opaque_callback_data: opts.correlationId } : {}),
          ...(opts.errorCode
            ? { errors: [{ code: opts.errorCode, title: 'error', error_data: { details: 'failed' } }] }
            : {}),
        },
      ],
    }
  },
}
