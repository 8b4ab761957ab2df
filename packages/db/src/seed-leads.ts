import type { DbOrTx } from './client'
import { leadEvents, leads } from './schema'

/** A small deterministic PRNG (mulberry32), so the demo data is the same on every machine. */
export function prng(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
  }
}

const firstNames = [
  'Ana',
  'Beatriz',
  'Bruno',
  'Camila',
  'Carlos',
  'Daniela',
  'Eduardo',
  'Fernanda',
  'Gabriel',
  'Helena',
  'Igor',
  'Juliana',
  'Lucas',
  'Larissa',
  'Marcelo',
  'Mariana',
  'Natália',
  'Otávio',
  'Patrícia',
  'Rafael',
  'Renata',
  'Rodrigo',
  'Sabrina',
  'Thiago',
  'Vanessa',
  'Vinícius',
  'João',
  'Luíza',
  'Pedro',
  'Sérgio',
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
]
const neighbourhoods = [
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
]
const sources = ['website', 'portal', 'whatsapp', 'referral', 'walk_in', 'phone', 'social', 'other'] as const
const sourceDetails: Partial<Record<(typeof sources)[number], string[]>> = {
  portal: ['ZAP Imóveis', 'VivaReal', 'OLX', 'Imovelweb'],
  social: ['Instagram', 'Facebook'],
  referral: ['Cliente antigo', 'Parceiro'],
}
const lostReasons = ['no_response', 'bought_elsewhere', 'budget', 'not_interested', 'invalid_contact'] as const
const pipeline = ['new', 'contacted', 'qualified'] as const

/**
 * Demo leads for one agency: every status represented, with a timeline consistent with it (created → contacted →
 * qualified, some lost on the way), spread over the last 120 days. Runs as the owner.
 */
export async function seedDemoLeads(
  db: DbOrTx,
  opts: {
    agencyId: string
    actors: string[]
    count: number
    seed: number
    areaCode: string
    /** The instant the histories end before (now by default; fixed for the screenshot agency). */
    now?: number
  },
) {
  const r = prng(opts.seed)
  const now = opts.now ?? Date.now()
  for (let i = 0; i < opts.count; i++) {
    const name = `${r.pick(firstNames)} ${r.pick(lastNames)}`
    const createdAt = new Date(now - r.int(1, 120) * 24 * 3600 * 1000 - r.int(0, 86_399) * 1000)
    const stage = r.int(0, 2)
    const lost = r.next() < 0.18
    const status = lost ? 'lost' : pipeline[stage]!
    const assignedTo = r.next() < 0.15 ? null : r.pick(opts.actors)
    const source = r.pick(sources)
    const interest = r.next() < 0.7 ? 'buy' : 'rent'
    const budget = interest === 'buy' ? r.int(25, 250) * 1_000_000 : r.int(15, 80) * 10_000
    const phone = `+55${opts.areaCode}9${String(10_000_000 + i * 7919 + opts.seed).slice(-8)}`
    let at = createdAt.getTime()
    const events: { kind: 'created' | 'status_changed'; data: Record<string, unknown>; at: Date }[] = [
      { kind: 'created', data: { status: 'new', source }, at: createdAt },
    ]
    let from = 'new'
    for (const step of pipeline.slice(1, stage + 1)) {
      at += r.int(1, 72) * 3600 * 1000
      events.push({ kind: 'status_changed', data: { from, to: step }, at: new Date(at) })
      from = step
    }
    const reason = lost ? r.pick(lostReasons) : null
    if (lost) {
      at += r.int(1, 240) * 3600 * 1000
      events.push({ kind: 'status_changed', data: { from, to: 'lost', reason }, at: new Date(at) })
    }
    // Histories end in the past, however the random steps added up.
    const last = Math.min(at, now - 60_000)
    for (const e of events) if (e.at.getTime() > last) e.at = new Date(last)
    at = last
    const [lead] = await db
      .insert(leads)
      .values({
        agencyId: opts.agencyId,
        name,
        phones: [phone],
        email:
          r.next() < 0.6
            ? `${name
                .toLowerCase()
                .normalize('NFD')
                .replace(/[\u0300-\u036f]/g, '')
                .replace(/ /g, '.')}${i}@exemplo.com.br`
            : null,
        source,
        sourceDetail: sourceDetails[source] ? r.pick(sourceDetails[source]!) : null,
        interest,
        budgetMin: Math.round(budget * 0.8),
        budgetMax: budget,
        propertyTypes: [r.pick(['apartment', 'house', 'apartment', 'commercial'])],
        locations: [r.pick(neighbourhoods)],
        minBedrooms: r.int(1, 4),
        tags: r.next() < 0.2 ? ['urgente'] : [],
        assignedTo,
        status,
        lostReason: reason,
        createdBy: opts.actors[0],
        createdAt,
        updatedAt: new Date(at),
        statusChangedAt: new Date(at),
      })
      .returning({ id: leads.id })
    await db.insert(leadEvents).values(
      events.map((e) => ({
        agencyId: opts.agencyId,
        leadId: lead!.id,
        actorUserId: assignedTo ?? opts.actors[0],
        kind: e.kind,
        data: e.data,
        at: e.at,
      })),
    )
  }
}
