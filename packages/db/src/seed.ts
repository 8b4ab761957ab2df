import { sql } from 'drizzle-orm'
import type { Db } from './client'
import { seedDemoLeads } from './seed-leads'
import { seedDemoRecords } from './seed-records'
import { addMember, insertAgency, insertUser } from './testing/factories'

export const DEMO_PASSWORD = 'demo-impera-2026'

export const demoLogins = [
  { role: 'platform admin', email: 'admin@impera.demo', agency: '—' },
  { role: 'manager', email: 'ana.souza@horizonte.demo', agency: 'Imobiliária Horizonte' },
  { role: 'agent', email: 'bruno.lima@horizonte.demo', agency: 'Imobiliária Horizonte' },
  { role: 'agent', email: 'carla.mendes@horizonte.demo', agency: 'Imobiliária Horizonte' },
  { role: 'manager', email: 'diego.alves@lardocelar.demo', agency: 'Lar Doce Lar Imóveis' },
  { role: 'agent', email: 'elisa.rocha@lardocelar.demo', agency: 'Lar Doce Lar Imóveis' },
] as const

/** Seeds the demo agencies and logins, only into an empty database. Runs as the owner. Returns whether it seeded. */
export async function seedDemo(db: Db): Promise<boolean> {
  const [row] = await db.execute<{ n: number }>(sql`select count(*)::int as n from agencies`)
  if (row!.n > 0) return false
  await db.transaction(async (tx) => {
    await insertUser(tx, {
      email: 'admin@impera.demo',
      name: 'Equipe Impera',
      isPlatformAdmin: true,
      password: DEMO_PASSWORD,
    })
    const horizonte = await insertAgency(tx, { name: 'Imobiliária Horizonte', slug: 'horizonte' })
    const lar = await insertAgency(tx, { name: 'Lar Doce Lar Imóveis', slug: 'lar-doce-lar' })
    const people = [
      {
        email: 'ana.souza@horizonte.demo',
        name: 'Ana Souza',
        phone: '+5511987654321',
        agency: horizonte.id,
        role: 'manager' as const,
      },
      {
        email: 'bruno.lima@horizonte.demo',
        name: 'Bruno Lima',
        phone: '+5511976543210',
        agency: horizonte.id,
        role: 'agent' as const,
      },
      {
        email: 'carla.mendes@horizonte.demo',
        name: 'Carla Mendes',
        phone: '+5511965432109',
        agency: horizonte.id,
        role: 'agent' as const,
      },
      {
        email: 'diego.alves@lardocelar.demo',
        name: 'Diego Alves',
        phone: '+5521998765432',
        agency: lar.id,
        role: 'manager' as const,
      },
      {
        email: 'elisa.rocha@lardocelar.demo',
        name: 'Elisa Rocha',
        phone: '+5521987654321',
        agency: lar.id,
        role: 'agent' as const,
      },
    ]
    const ids: Record<string, string> = {}
    for (const p of people) {
      const user = await insertUser(tx, { email: p.email, name: p.name, phone: p.phone, password: DEMO_PASSWORD })
      await addMember(tx, { agencyId: p.agency, userId: user.id, role: p.role })
      ids[p.email] = user.id
    }
    const horizonteTeam = [
      ids['ana.souza@horizonte.demo']!,
      ids['bruno.lima@horizonte.demo']!,
      ids['carla.mendes@horizonte.demo']!,
    ]
    const larTeam = [ids['diego.alves@lardocelar.demo']!, ids['elisa.rocha@lardocelar.demo']!]
    await seedDemoLeads(tx, { agencyId: horizonte.id, actors: horizonteTeam, count: 200, seed: 11, areaCode: '11' })
    await seedDemoLeads(tx, { agencyId: lar.id, actors: larTeam, count: 40, seed: 21, areaCode: '21' })
    const sp = [
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
    const rj = ['Copacabana', 'Botafogo', 'Tijuca', 'Barra da Tijuca', 'Laranjeiras', 'Flamengo']
    await seedDemoRecords(tx, {
      agencyId: horizonte.id,
      actors: horizonteTeam,
      clients: 80,
      properties: 60,
      seed: 12,
      areaCode: '11',
      city: 'São Paulo',
      state: 'SP',
      neighbourhoods: sp,
    })
    await seedDemoRecords(tx, {
      agencyId: lar.id,
      actors: larTeam,
      clients: 20,
      properties: 15,
      seed: 22,
      areaCode: '21',
      city: 'Rio de Janeiro',
      state: 'RJ',
      neighbourhoods: rj,
    })
    // The seed writes leads directly, without the qualification owner: the worker scores them (keyed: once).
    await tx.execute(
      sql`select enqueue_job('leads:refresh-qualification'::text, '{}'::json, null::timestamptz, 5, 'leads-refresh-qualification'::text)`,
    )
  })
  return true
}
export { scales, seedScale, SCALE_PASSWORD, type Scale } from './seed-scale'
export { seedShowcase, SHOWCASE_MANAGER, SHOWCASE_NOW } from './seed-showcase'
