import { randomUUID } from 'node:crypto'
import { and, eq, sql } from 'drizzle-orm'
import type { DbOrTx } from './client'
import {
  clientEvents,
  clients,
  leadEvents,
  leadProperties,
  leads,
  properties,
  propertyEvents,
  propertyPhotos,
} from './schema'
import { prng } from './seed-leads'

const firstNames = [
  'Adriana',
  'Alexandre',
  'Aline',
  'André',
  'Bianca',
  'Caio',
  'Cecília',
  'Cláudio',
  'Débora',
  'Diogo',
  'Elaine',
  'Fábio',
  'Flávia',
  'Gustavo',
  'Heloísa',
  'Henrique',
  'Isabela',
  'Jorge',
  'Kátia',
  'Leandro',
  'Lívia',
  'Márcio',
  'Mônica',
  'Nelson',
  'Priscila',
  'Ricardo',
  'Simone',
  'Tânia',
  'Valter',
  'Yasmin',
]
const lastNames = [
  'Albuquerque',
  'Andrade',
  'Batista',
  'Campos',
  'Dias',
  'Duarte',
  'Freitas',
  'Moreira',
  'Nogueira',
  'Pinto',
  'Queiroz',
  'Ramos',
  'Reis',
  'Teixeira',
  'Vieira',
  'Xavier',
]
const streets = [
  'Rua dos Pinheiros',
  'Rua Harmonia',
  'Avenida Rebouças',
  'Rua Cardeal Arcoverde',
  'Rua Domingos de Morais',
  'Alameda Santos',
  'Rua Tuim',
  'Rua Apinajés',
  'Rua Tuiuti',
  'Rua Voluntários da Pátria',
  'Avenida Santo Amaro',
  'Rua da Mooca',
]
const features = [
  'varanda gourmet',
  'piscina',
  'academia',
  'churrasqueira',
  'portaria 24h',
  'playground',
  'salão de festas',
  'ar-condicionado',
  'armários planejados',
  'pet friendly',
  'vista livre',
  'próximo ao metrô',
]
const titles: Record<string, string[]> = {
  apartment: [
    'Apartamento com varanda',
    'Apartamento reformado',
    'Cobertura duplex',
    'Studio mobiliado',
    'Apartamento perto do metrô',
  ],
  house: ['Casa térrea com quintal', 'Sobrado em vila', 'Casa em condomínio'],
  commercial: ['Sala comercial', 'Loja de rua'],
  land: ['Terreno plano'],
}

/** Valid CPF digits from a 9-digit base (the demo must pass the same checksum the app enforces). */
function cpf(base: number): string {
  const d = String(100_000_000 + (base % 899_999_999))
    .slice(0, 9)
    .split('')
    .map(Number)
  for (const len of [9, 10]) {
    const sum = d.slice(0, len).reduce((acc, n, i) => acc + n * (len + 1 - i), 0)
    const r = (sum * 10) % 11
    d.push(r === 10 ? 0 : r)
  }
  return d.join('')
}

/**
 * Demo clients and properties for one agency, linked the way real data is: some clients own properties, some came
 * from converted leads, leads are interested in properties. Photos are rows here; their files are written by
 * `seedDemoPhotoFiles` (@impera/api), which owns image generation and storage. Runs as the owner.
 */
export async function seedDemoRecords(
  db: DbOrTx,
  opts: {
    agencyId: string
    actors: string[]
    clients: number
    properties: number
    seed: number
    areaCode: string
    city: string
    state: string
    neighbourhoods: string[]
    /** The instant the histories end before (now by default; fixed for the screenshot agency). */
    now?: number
    /** Photo rows, whose files a later step draws (the default); off where no step will. */
    photos?: boolean
  },
) {
  const r = prng(opts.seed)
  const now = opts.now ?? Date.now()
  const day = 24 * 3600 * 1000
  const clientIds: { id: string; types: string[] }[] = []
  for (let i = 0; i < opts.clients; i++) {
    const name = `${r.pick(firstNames)} ${r.pick(lastNames)}`
    const types = r.next() < 0.45 ? ['seller'] : r.next() < 0.3 ? ['landlord'] : r.next() < 0.5 ? ['buyer'] : ['tenant']
    if (r.next() < 0.1) types.push('buyer')
    const createdAt = new Date(now - r.int(5, 300) * day)
    const author = r.pick(opts.actors)
    const [client] = await db
      .insert(clients)
      .values({
        agencyId: opts.agencyId,
        name,
        types,
        phones: [`+55${opts.areaCode}9${String(20_000_000 + i * 6151 + opts.seed).slice(-8)}`],
        email:
          r.next() < 0.7
            ? `${name
                .split(' ')[0]!
                .toLowerCase()
                .normalize('NFD')
                .replace(/[^a-z]/g, '')}.${i}@exemplo.com.br`
            : null,
        document: r.next() < 0.6 ? cpf(opts.seed * 1_000_003 + i * 7_919) : null,
        street: r.pick(streets),
        number: String(r.int(10, 2500)),
        neighbourhood: r.pick(opts.neighbourhoods),
        city: opts.city,
        state: opts.state,
        country: 'BR',
        birthDate:
          r.next() < 0.5
            ? `${r.int(1950, 2000)}-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}`
            : null,
        assignedTo: r.next() < 0.1 ? null : r.pick(opts.actors),
        createdBy: author,
        createdAt,
        updatedAt: createdAt,
      })
      .returning({ id: clients.id })
    await db.insert(clientEvents).values({
      agencyId: opts.agencyId,
      clientId: client!.id,
      actorUserId: author,
      kind: 'created',
      data: {},
      at: createdAt,
    })
    clientIds.push({ id: client!.id, types })
  }
  const owners = clientIds.filter((c) => c.types.includes('seller') || c.types.includes('landlord'))
  const buyers = clientIds.filter((c) => c.types.includes('buyer') || c.types.includes('tenant'))

  // A share of qualified leads became clients, keeping their history.
  const qualified = await db
    .select({ id: leads.id, name: leads.name, statusChangedAt: leads.statusChangedAt })
    .from(leads)
    .where(and(eq(leads.agencyId, opts.agencyId), eq(leads.status, 'qualified')))
    // An order of the data's own (not the table's physical order, which other agencies' deletions reshuffle), so the
    // same seed always draws the same data: the screenshot agency depends on it. Phones are unique per generated lead.
    .orderBy(leads.createdAt, leads.phones)
  for (const lead of qualified.slice(0, Math.min(buyers.length, Math.ceil(qualified.length * 0.4)))) {
    const client = buyers[r.int(0, buyers.length - 1)]!
    const at = new Date(Math.min(lead.statusChangedAt.getTime() + r.int(1, 240) * 3600 * 1000, now - 60_000))
    await db
      .update(leads)
      .set({ status: 'converted', clientId: client.id, statusChangedAt: at, updatedAt: at })
      .where(eq(leads.id, lead.id))
    await db.insert(leadEvents).values([
      {
        agencyId: opts.agencyId,
        leadId: lead.id,
        kind: 'status_changed',
        data: { from: 'qualified', to: 'converted' },
        at,
      },
      {
        agencyId: opts.agencyId,
        leadId: lead.id,
        kind: 'converted',
        data: { clientId: client.id, newClient: false },
        at,
      },
    ])
    await db.insert(clientEvents).values({
      agencyId: opts.agencyId,
      clientId: client.id,
      kind: 'lead_linked',
      data: { leadId: lead.id, leadName: lead.name },
      at,
    })
  }

  const counters: Record<string, number> = {}
  const prefixes: Record<string, string> = { apartment: 'AP', house: 'CA', commercial: 'CO', land: 'TE' }
  const propertyIds: string[] = []
  for (let i = 0; i < opts.properties; i++) {
    const type = r.next() < 0.6 ? 'apartment' : r.next() < 0.6 ? 'house' : r.next() < 0.7 ? 'commercial' : 'land'
    const purpose = r.next() < 0.55 ? 'sale' : r.next() < 0.75 ? 'rent' : 'both'
    const bedrooms = type === 'land' || type === 'commercial' ? null : r.int(1, 4)
    const built = type === 'land' ? null : r.int(28, 320)
    const status =
      r.next() < 0.7
        ? 'available'
        : r.pick(
            purpose === 'rent'
              ? (['reserved', 'rented', 'off_market'] as const)
              : (['reserved', 'sold', 'off_market'] as const),
          )
    counters[type] = (counters[type] ?? 0) + 1
    const createdAt = new Date(now - r.int(3, 400) * day)
    const statusChangedAt =
      status === 'available'
        ? createdAt
        : new Date(createdAt.getTime() + r.int(1, Math.max(1, Math.floor((now - createdAt.getTime()) / day) - 1)) * day)
    const neighbourhood = r.pick(opts.neighbourhoods)
    const author = r.pick(opts.actors)
    const [property] = await db
      .insert(properties)
      .values({
        agencyId: opts.agencyId,
        code: `${prefixes[type]}${String(counters[type]).padStart(4, '0')}`,
        title: `${r.pick(titles[type]!)} em ${neighbourhood}`,
        street: r.pick(streets),
        number: String(r.int(10, 2500)),
        complement: type === 'apartment' ? `Apto ${r.int(1, 25)}${r.int(1, 4)}` : null,
        neighbourhood,
        city: opts.city,
        state: opts.state,
        postalCode: `0${r.int(1000, 5999)}-${String(r.int(0, 999)).padStart(3, '0')}`,
        country: 'BR',
        type,
        purpose,
        salePrice: purpose === 'rent' ? null : r.int(28, 300) * 1_000_000 + (built ?? 100) * 100_000,
        rentPrice: purpose === 'sale' ? null : r.int(15, 120) * 10_000,
        condoFee: type === 'apartment' ? r.int(40, 250) * 1_000 : null,
        propertyTax: r.int(10, 90) * 1_000,
        builtArea: built,
        totalArea: built === null ? r.int(150, 900) : built + r.int(0, 80),
        bedrooms,
        suites: bedrooms === null ? null : r.int(0, Math.min(2, bedrooms)),
        bathrooms: bedrooms === null ? r.int(1, 2) : r.int(1, bedrooms + 1),
        parkingSpaces: r.int(0, 3),
        features: [...new Set([r.pick(features), r.pick(features), r.pick(features)])],
        status,
        statusChangedAt,
        description: 'Imóvel bem localizado, próximo a comércio, escolas e transporte. Documentação em dia.',
        ownerClientId: owners.length && r.next() < 0.8 ? r.pick(owners).id : null,
        assignedTo: r.next() < 0.15 ? null : r.pick(opts.actors),
        createdBy: author,
        createdAt,
        updatedAt: statusChangedAt,
      })
      .returning({ id: properties.id })
    const id = property!.id
    propertyIds.push(id)
    await db.insert(propertyEvents).values({
      agencyId: opts.agencyId,
      propertyId: id,
      actorUserId: author,
      kind: 'created',
      data: { status: 'available' },
      at: createdAt,
    })
    if (status !== 'available')
      await db.insert(propertyEvents).values({
        agencyId: opts.agencyId,
        propertyId: id,
        actorUserId: author,
        kind: 'status_changed',
        data: { from: 'available', to: status },
        at: statusChangedAt,
      })
    // Drawn whether or not they are written, so the rest of the data is the same either way.
    const photos = r.int(2, 4) * (opts.photos === false ? 0 : 1)
    for (let p = 0; p < photos; p++) {
      const photoId = randomUUID()
      const base = `${opts.agencyId}/properties/${id}/${photoId}`
      // originalName names the library picture the file step draws (demo-<type>-<n>).
      await db.insert(propertyPhotos).values({
        id: photoId,
        agencyId: opts.agencyId,
        propertyId: id,
        storageKey: `${base}.webp`,
        thumbKey: `${base}_thumb.webp`,
        originalName: `demo-${type}-${(i + p) % 4}.jpg`,
        width: 1600,
        height: 1067,
        bytes: 0,
        position: p,
        createdAt,
      })
    }
  }

  // Open leads interested in a few properties each.
  const open = await db
    .select({ id: leads.id })
    .from(leads)
    .where(and(eq(leads.agencyId, opts.agencyId), sql`${leads.status} in ('contacted', 'qualified', 'converted')`))
    .orderBy(leads.createdAt, leads.phones)
  for (const lead of open.slice(0, 40)) {
    for (const propertyId of new Set([r.pick(propertyIds), r.pick(propertyIds)])) {
      await db
        .insert(leadProperties)
        .values({ agencyId: opts.agencyId, leadId: lead.id, propertyId })
        .onConflictDoNothing()
    }
  }
}
