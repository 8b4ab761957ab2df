import { randomBytes, randomUUID } from 'node:crypto'
import {
  agencies,
  and,
  desc,
  eq,
  leads,
  sql,
  whatsappAccounts,
  whatsappConversations,
  whatsappMessages,
  type Db,
} from '@impera/db'
import { enqueue, whatsappSyncTemplatesJob } from '../jobs'
import type { SecretBox } from './secrets'

const lines: [dir: 'inbound' | 'outbound', text: string][] = [
  ['inbound', 'Oi! Vi o anúncio no portal, o apartamento ainda está disponível?'],
  ['outbound', 'Olá! Está sim. Quer agendar uma visita esta semana?'],
  ['inbound', 'Quero sim, pode ser quinta à tarde?'],
  ['outbound', 'Perfeito, quinta às 15h. Te mando a localização.'],
]

/**
 * The demo's WhatsApp: a sandbox number per agency and a few conversations with recent leads, so the inbox is not
 * empty on first run. Runs as the owner after the demo seed (it needs the secrets key, which the db package lacks).
 */
export async function seedDemoWhatsapp(db: Db, secrets: SecretBox): Promise<number> {
  const all = await db.select({ id: agencies.id }).from(agencies)
  let conversations = 0
  for (const { id: agencyId } of all) {
    const [existing] = await db
      .select({ id: whatsappAccounts.id })
      .from(whatsappAccounts)
      .where(eq(whatsappAccounts.agencyId, agencyId))
    if (existing) continue
    const [account] = await db
      .insert(whatsappAccounts)
      .values({
        agencyId,
        provider: 'sandbox',
        label: 'Sandbox',
        phoneNumberId: `sandbox-${randomBytes(8).toString('hex')}`,
        displayNumber: '+5511955550000',
        appSecretEnc: secrets.seal(randomBytes(24).toString('base64url')),
        verifyTokenEnc: secrets.seal(randomBytes(12).toString('base64url')),
      })
      .returning()
    // Its templates come from the worker, as for a number added in the app.
    await enqueue(
      db,
      whatsappSyncTemplatesJob,
      { agencyId, accountId: account!.id },
      { jobKey: `wa-templates-${account!.id}` },
    )
    const recent = await db
      .select({ id: leads.id, name: leads.name, phones: leads.phones, assignedTo: leads.assignedTo })
      .from(leads)
      .where(
        and(
          eq(leads.agencyId, agencyId),
          sql`cardinality(${leads.phones}) > 0`,
          sql`${leads.deletedAt} is null`,
          sql`${leads.status} in ('new', 'contacted', 'qualified')`,
        ),
      )
      .orderBy(desc(leads.createdAt))
      .limit(5)
    for (const [i, lead] of recent.entries()) {
      const start = Date.now() - (i * 5 + 1) * 3600 * 1000
      const [conversation] = await db
        .insert(whatsappConversations)
        .values({
          agencyId,
          accountId: account!.id,
          contactPhone: lead.phones[0]!,
          contactName: lead.name,
          leadId: lead.id,
          assignedTo: lead.assignedTo,
          // Every third conversation is the AI's to answer (decision 019), so the inbox's "com a IA" shows something.
          ...(i % 3 === 0 ? { aiMode: 'auto' as const, controller: 'bot' as const } : {}),
        })
        .returning()
      const used = lines.slice(0, i % 2 === 0 ? 4 : 1)
      for (const [j, [direction, body]] of used.entries()) {
        const at = new Date(start + j * 4 * 60_000)
        await db.insert(whatsappMessages).values({
          id: randomUUID(),
          agencyId,
          conversationId: conversation!.id,
          accountId: account!.id,
          direction,
          type: 'text',
          body,
          providerMessageId: `wamid.DEMO${randomBytes(8).toString('hex')}`,
          status: direction === 'inbound' ? 'received' : 'read',
          providerAt: at,
          sentBy: direction === 'outbound' ? lead.assignedTo : null,
          author: direction === 'outbound' ? 'member' : 'contact',
        })
      }
      const last = new Date(start + (used.length - 1) * 4 * 60_000)
      const lastInbound = used
        .map(([d], j) => (d === 'inbound' ? new Date(start + j * 4 * 60_000) : null))
        .filter(Boolean)
        .pop()
      await db
        .update(whatsappConversations)
        .set({
          lastMessageAt: last,
          lastMessagePreview: used.at(-1)![1].slice(0, 140),
          lastInboundAt: lastInbound ?? null,
        })
        .where(eq(whatsappConversations.id, conversation!.id))
      conversations++
    }
  }
  return conversations
}
