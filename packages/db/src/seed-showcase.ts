import { and, asc, eq, inArray } from 'drizzle-orm'
import type { Db } from './client'
import { agencies, leads, whatsappAccounts, whatsappConversations, whatsappMessages } from './schema'
import { seedDemoLeads } from './seed-leads'
import { seedDemoRecords } from './seed-records'
import { addMember, insertAgency, insertUser } from './testing/factories'

/** The instant the screenshot agency's data ends at: fixed, so its pages look the same on every run. */
export const SHOWCASE_NOW = Date.parse('2026-03-02T15:00:00Z')
export const SHOWCASE_MANAGER = 'marina.costa@vitrine.demo'

/** Three conversations with the showcase's first leads: who wrote, and what was answered, minutes before its now. */
const threads: { minutesAgo: number; inbound: boolean; body: string }[][] = [
  [
    {
      minutesAgo: 95,
      inbound: true,
      body: 'Oi! Vi o apartamento de 2 quartos em Pinheiros no portal. Ainda está disponível?',
    },
    { minutesAgo: 90, inbound: false, body: 'Olá! Está sim. Posso te mandar as fotos e agendar uma visita?' },
    { minutesAgo: 42, inbound: true, body: 'Pode sim. Sábado de manhã seria ótimo.' },
  ],
  [
    { minutesAgo: 300, inbound: true, body: 'Bom dia, vocês trabalham com aluguel na Vila Mariana?' },
    { minutesAgo: 280, inbound: false, body: 'Bom dia! Trabalhamos. Qual o seu orçamento mensal?' },
  ],
  [{ minutesAgo: 1500, inbound: true, body: 'Obrigado pela visita de ontem, vou conversar com minha esposa.' }],
]

/**
 * An agency whose data never moves (decision 048): the demo generators with a fixed clock and seed, no photo files,
 * and a sandbox number with three conversations. The browser's screenshot tests sign in as its manager; the password
 * is the demo one. Runs as the owner; a second call finds it and returns it as it is.
 */
export async function seedShowcase(db: Db, password: string): Promise<{ agencyId: string }> {
  const [found] = await db.select({ id: agencies.id }).from(agencies).where(eq(agencies.slug, 'vitrine'))
  if (found) return { agencyId: found.id }
  return db.transaction(async (tx) => {
    const agency = await insertAgency(tx, { name: 'Imobiliária Vitrine', slug: 'vitrine' })
    const team: string[] = []
    for (const [email, name, role] of [
      [SHOWCASE_MANAGER, 'Marina Costa', 'manager'],
      ['rafael.dias@vitrine.demo', 'Rafael Dias', 'agent'],
      ['julia.prado@vitrine.demo', 'Júlia Prado', 'agent'],
    ] as const) {
      const user = await insertUser(tx, { email, name, password })
      await addMember(tx, { agencyId: agency.id, userId: user.id, role })
      team.push(user.id)
    }
    await seedDemoLeads(tx, {
      agencyId: agency.id,
      actors: team,
      count: 40,
      seed: 31,
      areaCode: '11',
      now: SHOWCASE_NOW,
    })
    await seedDemoRecords(tx, {
      agencyId: agency.id,
      actors: team,
      clients: 20,
      properties: 14,
      seed: 32,
      areaCode: '11',
      city: 'São Paulo',
      state: 'SP',
      neighbourhoods: ['Pinheiros', 'Vila Mariana', 'Moema', 'Perdizes', 'Butantã', 'Lapa'],
      now: SHOWCASE_NOW,
      photos: false,
    })
    const [account] = await tx
      .insert(whatsappAccounts)
      .values({
        agencyId: agency.id,
        provider: 'sandbox',
        label: 'Atendimento',
        phoneNumberId: 'sandbox-vitrine',
        displayNumber: '+55 11 4000-2026',
        templatesSyncedAt: new Date(SHOWCASE_NOW),
        createdAt: new Date(SHOWCASE_NOW),
        updatedAt: new Date(SHOWCASE_NOW),
      })
      .returning()
    const people = await tx
      .select({ id: leads.id, name: leads.name, phones: leads.phones, assignedTo: leads.assignedTo })
      .from(leads)
      .where(and(eq(leads.agencyId, agency.id), inArray(leads.status, ['new', 'contacted', 'qualified'])))
      .orderBy(asc(leads.createdAt), asc(leads.name))
      .limit(threads.length)
    for (const [i, lead] of people.entries()) {
      const messages = threads[i]!.map((m) => ({ ...m, at: new Date(SHOWCASE_NOW - m.minutesAgo * 60_000) }))
      const last = messages.at(-1)!
      const inbound = messages.filter((m) => m.inbound).at(-1)
      const [conversation] = await tx
        .insert(whatsappConversations)
        .values({
          agencyId: agency.id,
          accountId: account!.id,
          contactPhone: lead.phones[0]!,
          contactWaId: lead.phones[0]!.slice(1),
          contactName: lead.name,
          leadId: lead.id,
          assignedTo: lead.assignedTo,
          lastMessageAt: last.at,
          lastMessagePreview: last.body,
          lastInboundAt: inbound?.at,
          lastInboundReceivedAt: inbound?.at,
          lastOutboundAt: messages.filter((m) => !m.inbound).at(-1)?.at,
          createdAt: messages[0]!.at,
          updatedAt: last.at,
        })
        .returning()
      for (const [k, m] of messages.entries())
        await tx.insert(whatsappMessages).values({
          agencyId: agency.id,
          conversationId: conversation!.id,
          accountId: account!.id,
          direction: m.inbound ? 'inbound' : 'outbound',
          type: 'text',
          body: m.body,
          providerMessageId: `wamid.vitrine.${i}.${k}`,
          status: m.inbound ? 'received' : 'read',
          author: m.inbound ? 'contact' : 'member',
          sentBy: m.inbound ? null : (lead.assignedTo ?? team[0]),
          providerAt: m.at,
          createdAt: m.at,
          updatedAt: m.at,
        })
    }
    return { agencyId: agency.id }
  })
}
