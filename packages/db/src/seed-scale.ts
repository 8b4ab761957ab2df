import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { hash } from '@node-rs/argon2'
import type postgres from 'postgres'
import { prng } from './seed-leads'

/**
 * `pnpm db:seed --scale medium|large`: deterministic (seeded) pt-BR data at volume, for the benchmark and the plan
 * tests. Large: 50 agencies, 1,000,000 leads (the largest agency 200,000), 250,000 clients, 100,000 properties,
 * 300,000 conversations with 2,000,000 messages, over two years; medium is a tenth of it in 10 agencies.
 *
 * Bulk COPY in one transaction, with triggers and FK checks off while loading (session_replication_role, superuser
 * only; else they run, slower) and the derived facts the triggers keep (first contact, daily stats, property counts)
 * written directly.
 */
export type Scale = 'medium' | 'large'

export const scales: Record<
  Scale,
  { agencies: number; leads: number; clients: number; properties: number; conversations: number; messages: number }
> = {
  large: {
    agencies: 50,
    leads: 1_000_000,
    clients: 250_000,
    properties: 100_000,
    conversations: 300_000,
    messages: 2_000_000,
  },
  medium: {
    agencies: 10,
    leads: 100_000,
    clients: 25_000,
    properties: 10_000,
    conversations: 30_000,
    messages: 200_000,
  },
}

export const SCALE_PASSWORD = 'escala-impera-2026'

const firstNames = [
  'Ana',
  'Beatriz',
  'Bruno',
  'Camila',
  'Carlos',
  'Conceição',
  'Daniela',
  'Débora',
  'Eduardo',
  'Fernanda',
  'Gabriel',
  'Helena',
  'Igor',
  'João',
  'Juliana',
  'Lucas',
  'Luíza',
  'Márcio',
  'Mariana',
  'Natália',
  'Otávio',
  'Patrícia',
  'Rafael',
  'Renata',
  'Sérgio',
  'Tânia',
  'Thiago',
  'Vinícius',
  'Yasmin',
  'Zuleica',
]
const lastNames = [
  'Silva',
  'Santos',
  'Oliveira',
  'Souza',
  'Rodrigues',
  'Ferreira',
  'Alves',
  'Pereira',
  'Lima',
  'Gomes',
  'Costa',
  'Ribeiro',
  'Martins',
  'Carvalho',
  'Araújo',
  'Melo',
  'Barbosa',
  'Cardoso',
  'Nascimento',
  'Rocha',
  'Conceição',
  'Magalhães',
]
const hoods = [
  'Pinheiros',
  'Vila Mariana',
  'Moema',
  'Perdizes',
  'Tatuapé',
  'Santana',
  'Itaim Bibi',
  'Vila Madalena',
  'Butantã',
  'Lapa',
  'Brooklin',
  'Mooca',
  'Centro',
  'Jardins',
  'Higienópolis',
]
const cities = [
  'São Paulo',
  'Rio de Janeiro',
  'Belo Horizonte',
  'Curitiba',
  'Porto Alegre',
  'Salvador',
  'Recife',
  'Fortaleza',
  'Goiânia',
  'Campinas',
]
const streets = [
  'Rua dos Pinheiros',
  'Rua Harmonia',
  'Avenida Rebouças',
  'Rua Augusta',
  'Alameda Santos',
  'Rua Tuim',
  'Avenida Paulista',
  'Rua da Consolação',
]
const sources = ['website', 'portal', 'whatsapp', 'referral', 'walk_in', 'phone', 'social', 'other']
const lostReasons = ['no_response', 'bought_elsewhere', 'budget', 'not_interested', 'invalid_contact']
const inbound = [
  'Oi, tudo bem? Vi o anúncio do apartamento.',
  'Ainda está disponível?',
  'Qual o valor do condomínio?',
  'Posso visitar amanhã à tarde?',
  'Aceita financiamento?',
  'Tem vaga de garagem?',
  'Qual o IPTU?',
  'Obrigado!',
  'Pode me mandar mais fotos?',
  'Aceita pet?',
]
const outbound = [
  'Olá! Está sim, quer agendar uma visita?',
  'O condomínio é R$ 850.',
  'Podemos às 15h?',
  'Aceita sim.',
  'Segue o link com as fotos.',
  'Tem uma vaga.',
  'Claro, combinado!',
  'Vou verificar e já retorno.',
]

const DAY = 86_400_000
const TWO_YEARS = 730 * DAY

function uuidFrom(r: ReturnType<typeof prng>): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(r.next() * 16).toString(16))
  hex[12] = '4'
  hex[16] = '89ab'[Math.floor(r.next() * 4)]!
  const s = hex.join('')
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`
}

/** COPY text format: tab-separated, \N for null, backslash escapes. */
function field(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '\\N'
  return String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
}
const arr = (xs: string[]) => `{${xs.map((x) => `"${x.replace(/"/g, '\\"')}"`).join(',')}}`
const iso = (ms: number) => new Date(ms).toISOString()

async function copy(
  sql: postgres.TransactionSql,
  table: string,
  columns: string[],
  rows: Iterable<(string | number | boolean | null | undefined)[]>,
) {
  const stream = await sql.unsafe(`copy ${table} (${columns.join(', ')}) from stdin`).writable()
  async function* lines() {
    let chunk = ''
    let n = 0
    for (const row of rows) {
      chunk += row.map(field).join('\t') + '\n'
      if (++n % 2000 === 0) {
        yield chunk
        chunk = ''
      }
    }
    if (chunk) yield chunk
  }
  await pipeline(Readable.from(lines()), stream)
}

/** Splits a total over agencies: the first holds 20%, the rest share the remainder evenly. */
function shares(total: number, agencies: number): number[] {
  const first = Math.round(total * 0.2)
  const rest = agencies - 1
  const each = Math.floor((total - first) / rest)
  return [first, ...Array.from({ length: rest }, (_, i) => each + (i < total - first - each * rest ? 1 : 0))]
}

export async function seedScale(sql: postgres.Sql, scale: Scale, log: (m: string) => void = () => {}) {
  const spec = scales[scale]
  const r = prng(20_261_203)
  const now = Date.parse('2026-12-01T12:00:00Z')
  const passwordHash = await hash(SCALE_PASSWORD, { algorithm: 2 })
  const started = Date.now()
  await sql.begin(async (tx) => {
    await tx
      .unsafe(`set local session_replication_role = replica`)
      .catch(() => log('triggers stay on (not a superuser): slower load'))
    const agencies = Array.from({ length: spec.agencies }, (_, i) => ({
      id: uuidFrom(r),
      name: `Imobiliária Escala ${String(i + 1).padStart(2, '0')}`,
      slug: `escala-${scale}-${i + 1}`,
      city: cities[i % cities.length]!,
    }))
    const members = agencies.map((a, i) =>
      Array.from({ length: 5 }, (_, k) => ({
        id: uuidFrom(r),
        membershipId: uuidFrom(r),
        agencyId: a.id,
        role: k === 0 ? 'manager' : 'agent',
        email: `${k === 0 ? 'gestor' : `corretor${k}`}.${i + 1}@${scale}.escala.test`,
        name: `${r.pick(firstNames)} ${r.pick(lastNames)}`,
      })),
    )
    const all = members.flat()
    await copy(
      tx,
      'agencies',
      ['id', 'name', 'slug'],
      agencies.map((a) => [a.id, a.name, a.slug]),
    )
    await copy(
      tx,
      'users',
      ['id', 'email', 'name'],
      all.map((m) => [m.id, m.email, m.name]),
    )
    await copy(
      tx,
      'local_credentials',
      ['user_id', 'password_hash'],
      all.map((m) => [m.id, passwordHash]),
    )
    await copy(
      tx,
      'memberships',
      ['id', 'agency_id', 'user_id', 'role'],
      all.map((m) => [m.membershipId, m.agencyId, m.id, m.role]),
    )
    const accounts = agencies.map((a, i) => ({
      id: uuidFrom(r),
      agencyId: a.id,
      phone: `+55119${String(40_000_000 + i).padStart(8, '0')}`,
    }))
    await copy(
      tx,
      'whatsapp_accounts',
      ['id', 'agency_id', 'provider', 'label', 'phone_number_id', 'display_number'],
      accounts.map((a, i) => [a.id, a.agencyId, 'sandbox', 'Sandbox', `sandbox-${scale}-${i}`, a.phone]),
    )

    const leadShares = shares(spec.leads, spec.agencies)
    const leadIndex: {
      id: string
      agencyIdx: number
      name: string
      phone: string
      assignedTo: string | null
      createdAt: number
    }[] = []
    const events: (string | number | null)[][] = []
    const stats = new Map<string, { leads: number; in: number; out: number }>()
    const stat = (agencyId: string, ms: number) => {
      const key = `${agencyId}|${iso(ms).slice(0, 10)}`
      let s = stats.get(key)
      if (!s) stats.set(key, (s = { leads: 0, in: 0, out: 0 }))
      return s
    }
    function* leadRows() {
      let phoneSeq = 0
      for (const [ai, count] of leadShares.entries()) {
        const a = agencies[ai]!
        const team = members[ai]!
        for (let i = 0; i < count; i++) {
          const id = uuidFrom(r)
          const name = `${r.pick(firstNames)} ${r.pick(lastNames)}${r.next() < 0.3 ? ` ${r.pick(lastNames)}` : ''}`
          const createdAt = now - Math.floor(r.next() * TWO_YEARS)
          const phone = `+55${11 + (ai % 80)}9${String(10_000_000 + ((phoneSeq++ * 7919) % 89_999_999)).padStart(8, '0')}`
          const assignedTo = r.next() < 0.12 ? null : r.pick(team).id
          // A realistic funnel: most leads get contacted, fewer qualify, some convert, some are lost on the way.
          const contactedAt = r.next() < 0.8 ? createdAt + Math.floor(r.next() ** 3 * 3 * DAY) : null
          const qualifiedAt = contactedAt && r.next() < 0.45 ? contactedAt + Math.floor(r.next() * 20 * DAY) : null
          const convertedAt = qualifiedAt && r.next() < 0.35 ? qualifiedAt + Math.floor(r.next() * 40 * DAY) : null
          const lostAt =
            !convertedAt && r.next() < 0.3
              ? (qualifiedAt ?? contactedAt ?? createdAt) + Math.floor(r.next() * 30 * DAY)
              : null
          const steps: [string, number][] = [
            ['contacted', contactedAt ?? 0],
            ['qualified', qualifiedAt ?? 0],
            ['converted', convertedAt ?? 0],
            ['lost', lostAt ?? 0],
          ].filter(([, at]) => at && (at as number) < now) as [string, number][]
          const status = steps.length ? steps[steps.length - 1]![0] : 'new'
          const statusAt = steps.length ? steps[steps.length - 1]![1] : createdAt
          let prev = 'new'
          events.push([a.id, id, 'created', JSON.stringify({ status: 'new' }), iso(createdAt)])
          for (const [to, at] of steps) {
            events.push([a.id, id, 'status_changed', JSON.stringify({ from: prev, to }), iso(at)])
            prev = to
          }
          stat(a.id, createdAt).leads++
          leadIndex.push({ id, agencyIdx: ai, name, phone, assignedTo, createdAt })
          const email =
            r.next() < 0.6
              ? `${name.split(' ')[0]!.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()}.${i}@exemplo.com.br`
              : null
          yield [
            id,
            a.id,
            name,
            arr([phone]),
            email,
            r.pick(sources),
            r.next() < 0.7 ? 'buy' : 'rent',
            status,
            status === 'lost' ? r.pick(lostReasons) : null,
            assignedTo,
            iso(createdAt),
            iso(statusAt),
            iso(statusAt),
            contactedAt && contactedAt < now ? iso(contactedAt) : null,
            arr([r.pick(hoods)]),
          ]
        }
      }
    }
    await copy(
      tx,
      'leads',
      [
        'id',
        'agency_id',
        'name',
        'phones',
        'email',
        'source',
        'interest',
        'status',
        'lost_reason',
        'assigned_to',
        'created_at',
        'updated_at',
        'status_changed_at',
        'first_contact_at',
        'locations',
      ],
      leadRows(),
    )
    log(`leads: ${leadIndex.length} (${Math.round((Date.now() - started) / 1000)} s)`)
    await copy(tx, 'lead_events', ['agency_id', 'lead_id', 'kind', 'data', 'at'], events)
    log(`lead events: ${events.length} (${Math.round((Date.now() - started) / 1000)} s)`)
    events.length = 0

    const clientShares = shares(spec.clients, spec.agencies)
    function* clientRows() {
      for (const [ai, count] of clientShares.entries()) {
        const a = agencies[ai]!
        for (let i = 0; i < count; i++) {
          const createdAt = now - Math.floor(r.next() * TWO_YEARS)
          const name = `${r.pick(firstNames)} ${r.pick(lastNames)}`
          yield [
            uuidFrom(r),
            a.id,
            name,
            arr([r.pick(['buyer', 'seller', 'tenant', 'landlord'])]),
            arr([`+55${11 + (ai % 80)}8${String(10_000_000 + i).padStart(8, '0')}`]),
            r.pick(streets),
            r.pick(hoods),
            a.city,
            r.next() < 0.1 ? null : r.pick(members[ai]!).id,
            iso(createdAt),
            iso(createdAt),
          ]
        }
      }
    }
    await copy(
      tx,
      'clients',
      [
        'id',
        'agency_id',
        'name',
        'types',
        'phones',
        'street',
        'neighbourhood',
        'city',
        'assigned_to',
        'created_at',
        'updated_at',
      ],
      clientRows(),
    )
    log(`clients: ${spec.clients} (${Math.round((Date.now() - started) / 1000)} s)`)

    const propertyShares = shares(spec.properties, spec.agencies)
    const propertyCounts = new Map<string, number>()
    const types = ['apartment', 'apartment', 'apartment', 'house', 'house', 'commercial', 'land'] as const
    const prefix: Record<string, string> = { apartment: 'AP', house: 'CA', commercial: 'CO', land: 'TE' }
    function* propertyRows() {
      for (const [ai, count] of propertyShares.entries()) {
        const a = agencies[ai]!
        for (let i = 0; i < count; i++) {
          const type = r.pick(types)
          const purpose = r.next() < 0.6 ? 'sale' : r.next() < 0.8 ? 'rent' : 'both'
          const createdAt = now - Math.floor(r.next() * TWO_YEARS)
          const status = r.next() < 0.65 ? 'available' : r.pick(['reserved', 'sold', 'rented', 'off_market'])
          const changedAt =
            status === 'available' ? createdAt : createdAt + Math.floor(r.next() * Math.max(DAY, now - createdAt))
          const hood = r.pick(hoods)
          const beds = type === 'land' || type === 'commercial' ? null : 1 + Math.floor(r.next() * 4)
          const id = uuidFrom(r)
          const code = `${prefix[type]}${String(i + 1).padStart(6, '0')}`
          const title = `${type === 'apartment' ? 'Apartamento' : type === 'house' ? 'Casa' : type === 'commercial' ? 'Sala comercial' : 'Terreno'} em ${hood}`
          const street = r.pick(streets)
          const salePrice = purpose === 'rent' ? null : (200 + Math.floor(r.next() * 2800)) * 100_000
          const rentPrice = purpose === 'sale' ? null : (1000 + Math.floor(r.next() * 9000)) * 100
          const assignedTo = r.next() < 0.1 ? null : r.pick(members[ai]!).id
          const key = `${a.id}|${assignedTo ?? ''}|${status}`
          propertyCounts.set(key, (propertyCounts.get(key) ?? 0) + 1)
          yield [
            id,
            a.id,
            code,
            title,
            type,
            purpose,
            street,
            hood,
            a.city,
            salePrice,
            rentPrice,
            beds,
            status,
            assignedTo,
            iso(createdAt),
            iso(changedAt),
            iso(changedAt),
          ]
        }
      }
    }
    await copy(
      tx,
      'properties',
      [
        'id',
        'agency_id',
        'code',
        'title',
        'type',
        'purpose',
        'street',
        'neighbourhood',
        'city',
        'sale_price',
        'rent_price',
        'bedrooms',
        'status',
        'assigned_to',
        'created_at',
        'updated_at',
        'status_changed_at',
      ],
      propertyRows(),
    )
    await copy(
      tx,
      'property_counts',
      ['agency_id', 'assigned_to', 'status', 'n'],
      [...propertyCounts].map(([k, n]) => {
        const [agencyId, assignedTo, status] = k.split('|')
        return [agencyId, assignedTo || null, status, n]
      }),
    )
    log(`properties: ${spec.properties} (${Math.round((Date.now() - started) / 1000)} s)`)

    // Conversations belong to leads (spread over the agencies like the leads); messages alternate in turns.
    const perConversation = spec.messages / spec.conversations
    const conversations: {
      id: string
      agencyId: string
      accountId: string
      lead: (typeof leadIndex)[number]
      count: number
    }[] = []
    const step = leadIndex.length / spec.conversations
    for (let i = 0; i < spec.conversations; i++) {
      const lead = leadIndex[Math.floor(i * step)]!
      conversations.push({
        id: uuidFrom(r),
        agencyId: agencies[lead.agencyIdx]!.id,
        accountId: accounts[lead.agencyIdx]!.id,
        lead,
        count: 0,
      })
    }
    let remaining = spec.messages
    for (const [i, c] of conversations.entries()) {
      const left = conversations.length - i
      c.count =
        i === conversations.length - 1
          ? remaining
          : Math.max(1, Math.min(remaining - (left - 1), Math.round(perConversation * (0.3 + r.next() * 1.4))))
      remaining -= c.count
    }
    const summary = new Map<string, { last: number; lastIn: number | null; lastOut: number | null; preview: string }>()
    let wamid = 0
    function* messageRows() {
      for (const c of conversations) {
        let at = c.lead.createdAt + Math.floor(r.next() * DAY)
        let lastIn: number | null = null
        let lastOut: number | null = null
        let preview = ''
        for (let k = 0; k < c.count; k++) {
          const dir = k === 0 || r.next() < 0.5 ? 'inbound' : 'outbound'
          at = Math.min(now - 60_000, at + Math.floor(r.next() ** 2 * 6 * 3600_000) + 30_000)
          const body = dir === 'inbound' ? r.pick(inbound) : r.pick(outbound)
          if (dir === 'inbound') lastIn = at
          else lastOut = at
          preview = body
          const s = stat(c.agencyId, at)
          if (dir === 'inbound') s.in++
          else s.out++
          yield [
            c.agencyId,
            c.id,
            c.accountId,
            dir,
            'text',
            body,
            dir === 'inbound' ? 'received' : 'read',
            `wamid.S${scale}${wamid++}`,
            iso(at),
            iso(at),
            iso(at),
            // Triggers are off during the load (replica role), so the author the insert trigger would infer is given.
            dir === 'inbound' ? 'contact' : 'member',
          ]
        }
        summary.set(c.id, { last: at, lastIn, lastOut, preview })
      }
    }
    await copy(
      tx,
      'whatsapp_conversations',
      ['id', 'agency_id', 'account_id', 'contact_phone', 'contact_name', 'lead_id', 'assigned_to', 'created_at'],
      conversations.map((c) => [
        c.id,
        c.agencyId,
        c.accountId,
        c.lead.phone,
        c.lead.name,
        c.lead.id,
        c.lead.assignedTo,
        iso(c.lead.createdAt),
      ]),
    )
    await copy(
      tx,
      'whatsapp_messages',
      [
        'agency_id',
        'conversation_id',
        'account_id',
        'direction',
        'type',
        'body',
        'status',
        'provider_message_id',
        'provider_at',
        'created_at',
        'updated_at',
        'author',
      ],
      messageRows(),
    )
    log(
      `messages: ${spec.messages} in ${spec.conversations} conversations (${Math.round((Date.now() - started) / 1000)} s)`,
    )
    await tx.unsafe(
      `create temp table conv_summary (id uuid, last_at timestamptz, last_in timestamptz, last_out timestamptz, preview text) on commit drop`,
    )
    await copy(
      tx,
      'conv_summary',
      ['id', 'last_at', 'last_in', 'last_out', 'preview'],
      [...summary].map(([id, s]) => [
        id,
        iso(s.last),
        s.lastIn === null ? null : iso(s.lastIn),
        s.lastOut === null ? null : iso(s.lastOut),
        s.preview,
      ]),
    )
    await tx.unsafe(
      `update whatsapp_conversations c set last_message_at = s.last_at, last_inbound_at = s.last_in, last_inbound_received_at = s.last_in, last_outbound_at = s.last_out, last_message_preview = s.preview from conv_summary s where s.id = c.id`,
    )
    await copy(
      tx,
      'agency_daily_stats',
      ['agency_id', 'day', 'leads_created', 'messages_in', 'messages_out'],
      [...stats].map(([k, s]) => [...k.split('|'), s.leads, s.in, s.out]),
    )
  })
  // A live database is vacuumed by autovacuum; measuring right after a bulk load would time hint-bit writes and heap
  // fetches a visibility map would have spared, so leave it as it would be an hour later.
  log(`vacuuming and analyzing (${Math.round((Date.now() - started) / 1000)} s)`)
  await sql.unsafe('vacuum (analyze)')
  log(`${scale} seed done in ${Math.round((Date.now() - started) / 1000)} s`)
}
