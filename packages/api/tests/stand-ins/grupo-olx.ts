/**
 * A stand-in for Grupo OLX's lead push (ZAP Imóveis, Viva Real, OLX), as its public contract describes it
 * (github.com/olxbr/crm-lead-integration): one POST of JSON per lead to the CRM's URL, `Authorization: Basic
 * base64("vivareal:<secret>")`, a 5-second timeout; only a 2xx counts as received, anything else (a 3xx, 4xx, 5xx or
 * a timeout) is retried 5 times, 10 minutes apart (here: `retryDelayMs`), after which the portal keeps the lead. The
 * answer's body is ignored.
 */
export interface GrupoOlxPayload {
  leadOrigin?: string
  timestamp?: string
  originLeadId?: string
  originListingId?: string
  clientListingId?: string
  name?: string
  email?: string
  ddd?: string
  phone?: string
  phoneNumber?: string
  message?: string
}

export interface PushAttempt {
  status: number | 'timeout' | 'network'
}

export interface PushResult {
  delivered: boolean
  attempts: PushAttempt[]
}

let sequence = 0

/** The contract's example lead, with a fresh `originLeadId` unless one is given. */
export function sampleLead(overrides: GrupoOlxPayload = {}): GrupoOlxPayload {
  sequence += 1
  return {
    leadOrigin: 'VivaReal',
    timestamp: '2026-12-04T15:50:30.619Z',
    originLeadId: `59ee0fc6e4b043e1b2a6${String(sequence).padStart(4, '0')}`,
    originListingId: '87027856',
    clientListingId: 'a40171',
    name: 'Nome Consumidor',
    email: `consumidor.${sequence}@email.com`,
    ddd: '11',
    phone: '999999999',
    message: 'Olá, tenho interesse neste imóvel. Aguardo o contato. Obrigado.',
    ...overrides,
  }
}

export function grupoOlxPusher(opts: {
  /** The CRM's intake URL for the advertiser. */
  url: string
  password: string
  user?: string
  timeoutMs?: number
  /** Retries after the first attempt (the contract: 5). */
  retries?: number
  retryDelayMs?: number
}) {
  const authorization = `Basic ${Buffer.from(`${opts.user ?? 'vivareal'}:${opts.password}`).toString('base64')}`
  return {
    /** Pushes one lead (an object is sent as JSON; a string as the body as it is) until a 2xx or out of retries. */
    async push(lead: GrupoOlxPayload | string, init: { headers?: Record<string, string> } = {}): Promise<PushResult> {
      const attempts: PushAttempt[] = []
      for (let i = 0; i <= (opts.retries ?? 5); i++) {
        if (i > 0 && opts.retryDelayMs) await new Promise((r) => setTimeout(r, opts.retryDelayMs))
        try {
          const res = await fetch(opts.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization, ...init.headers },
            body: typeof lead === 'string' ? lead : JSON.stringify(lead),
            redirect: 'manual',
            signal: AbortSignal.timeout(opts.timeoutMs ?? 5_000),
          })
          await res.arrayBuffer()
          attempts.push({ status: res.status })
          if (res.status >= 200 && res.status < 300) return { delivered: true, attempts }
        } catch (e) {
          attempts.push({ status: (e as Error).name === 'TimeoutError' ? 'timeout' : 'network' })
        }
      }
      return { delivered: false, attempts }
    },
  }
}
