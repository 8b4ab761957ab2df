import { sql } from '@impera/db'
import { unzipSync, strFromU8 } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exportPerson } from '../src/services'
import { createStorage } from '../src/storage'
import { withAgencyActor } from '../src/trpc'
import type { WhatsAppRuntime } from '../src/whatsapp'
import {
  buildWorld,
  clientData,
  outcome,
  queuedPayloads,
  testSecrets,
  type Persona,
  type World,
  deliverWhatsapp,
} from './harness'
import { startGraphStandIn, webhook } from './stand-ins/graph'

/**
 * A data subject's requests (LGPD art. 18; issue 17, decision 038) through the real router, pipeline and database: a
 * person who wrote on WhatsApp, became a client, had notes, a visit, a file and a consent — exported whole as a ZIP,
 * then anonymised until no table of the agency holds anything that identifies them, while the records and their
 * report figures stay.
 */
let w: World
let graph: Awaited<ReturnType<typeof startGraphStandIn>>
let runtime: WhatsAppRuntime
let accountId: string
const storage = createStorage({ driver: 'local', dir: '/tmp/impera-privacy-test' })
const PHONE_NUMBER_ID = '109876546666'
const APP_SECRET = 'app-secret-of-the-privacy-app'
const TOKEN = 'EAAG-privacy-token'
const WA_ID = '5511987654321'
const NAME = 'Gertrudes Privacidade'
const EMAIL = 'gertrudes.privacidade@example.com'
const CPF = '39053344705'
const MESSAGE = 'Moro na Rua das Acácias 42 e quero vender'
const NOTE = 'Prefere ligação depois das 18h, fala com o marido Anselmo'

beforeAll(async () => {
  graph = await startGraphStandIn({ accessToken: TOKEN, appSecret: APP_SECRET, phoneNumbers: [PHONE_NUMBER_ID] })
  w = await buildWorld({ graph: { graphUrl: graph.url, graphVersion: graph.version } })
  runtime = { secrets: testSecrets, graphUrl: graph.url, graphVersion: graph.version, storage }
  const created = await manager().whatsapp.createAccount({
    provider: 'cloud_api',
    label: 'Privacidade',
    phoneNumberId: PHONE_NUMBER_ID,
    displayNumber: '+55 11 95555-6666',
    accessToken: TOKEN,
    appSecret: APP_SECRET,
    verifyToken: 'verify-privacy',
  })
  accountId = created.account.id
  // An integration listens, so the person's changes leave payloads in the webhook outbox too.
  await manager().webhooks.create({
    url: 'https://hooks.example.test/crm',
    eventTypes: ['lead.created', 'lead.updated', 'message.received'],
  })
})
afterAll(async () => {
  await graph.close()
  await w.t.close()
})

const manager = () => w.caller(w.a.manager, w.a.agencyId)
const system = () => ({ db: w.t.app.db, whatsapp: runtime })

const deliver = (body: unknown) =>
  deliverWhatsapp(w.t, system(), { accountId, agencyId: w.a.agencyId, sign: (raw) => graph.sign(raw) }, body)

const exportAs = (who: Persona, agencyId: string, input: { leadId: string } | { clientId: string }) =>
  withAgencyActor(w.t.app.db, { userId: who.userId, agencyId, ip: null, action: 'privacy.manage' }, (ctx) =>
    exportPerson({ ...ctx, storage }, input),
  )

/** Every row of agency A, as text, that mentions any of the needles (raw bodies read as bytes). */
async function mentions(needles: string[]) {
  const tables = await w.t.owner.sql<{ table_name: string }[]>`
    select table_name from information_schema.columns where table_schema = 'public' and column_name = 'agency_id'`
  const found: string[] = []
  for (const { table_name } of tables) {
    const [row] = await w.t.owner.db.execute<{ n: number }>(
      sql`select count(*)::int as n from ${sql.identifier(table_name)} x
           where agency_id = ${w.a.agencyId} and exists (
             select 1 from unnest(${`{${needles.map((n) => `"${n}"`).join(',')}}`}::text[]) n
              where row_to_json(x)::text ilike '%' || n || '%')`,
    )
    if (row!.n) found.push(`${table_name}: ${row!.n}`)
  }
  for (const table of ['whatsapp_webhook_events', 'portal_lead_events']) {
    const [row] = await w.t.owner.db.execute<{ n: number }>(
      sql`select count(*)::int as n from ${sql.identifier(table)}
           where agency_id = ${w.a.agencyId} and position(convert_to(${WA_ID}, 'UTF8') in raw_body) > 0`,
    )
    if (row!.n) found.push(`${table} raw body: ${row!.n}`)
  }
  return found
}

describe('a data subject’s requests', () => {
  let leadId: string
  let clientId: string
  let conversationId: string

  it('exports everything about the person as a ZIP, managers only, audited', async () => {
    await deliver(
      webhook.envelope(PHONE_NUMBER_ID, [webhook.text(WA_ID, MESSAGE, { id: 'wamid.PRIVACY-1', name: NAME })]),
    )
    const [c] = await w.t.owner.db.execute<{ id: string; lead_id: string }>(
      sql`select id, lead_id from whatsapp_conversations where agency_id = ${w.a.agencyId} and contact_wa_id = ${WA_ID}`,
    )
    conversationId = c!.id
    leadId = c!.lead_id
    await manager().leads.update({
      id: leadId,
      data: {
        ...(await manager().leads.get({ id: leadId })).lead,
        name: NAME,
        email: EMAIL,
        phones: [`+${WA_ID}`],
        tags: [],
      } as never,
    })
    await manager().leads.addNote({ leadId, body: NOTE })
    await manager().leads.setStatus({ id: leadId, status: 'contacted' })
    const client = await manager().clients.create({
      data: clientData({ name: NAME, phones: [`+${WA_ID}`], email: EMAIL, document: CPF }),
    })
    clientId = client.id
    await w.t.owner.db.execute(sql`update leads set client_id = ${clientId} where id = ${leadId}`)
    await manager().tasks.create({
      data: {
        kind: 'call',
        title: `Ligar para ${NAME}`,
        notes: NOTE,
        dueAt: new Date(Date.now() + 86_400_000),
        clientId,
      } as never,
    })
    await manager().consent.record({ leadId, granted: true, textVersion: 'site v1' })
    // A file she sent, stored.
    await storage.put(`privacy/${leadId}.jpg`, new Uint8Array([0xff, 0xd8, 0xff, 1, 2, 3]), 'image/jpeg')
    await w.t.owner.db.execute(sql`
      update whatsapp_messages set media = ${JSON.stringify({ state: 'stored', storageKey: `privacy/${leadId}.jpg`, filename: 'escritura.jpg', mimeType: 'image/jpeg' })}::jsonb
       where conversation_id = ${conversationId}`)

    // From the client's side too: the same person.
    for (const input of [{ leadId }, { clientId }]) {
      const file = await exportAs(w.a.manager, w.a.agencyId, input)
      expect(file.filename).toMatch(/^dados-pessoais-\d{4}-\d{2}-\d{2}\.zip$/)
      const zip = unzipSync(file.bytes)
      expect(Object.keys(zip).sort()).toEqual([
        'LEIA-ME.txt',
        'clientes.json',
        'consentimentos.json',
        'conversas.json',
        'leads.json',
        expect.stringMatching(/^midia\/[0-9a-f-]{36}-escritura\.jpg$/),
        'tarefas.json',
      ])
      const read = (name: string) => JSON.parse(strFromU8(zip[name]!))
      expect(read('leads.json')).toMatchObject([
        { id: leadId, name: NAME, email: EMAIL, notes_added: [{ body: NOTE }], status: 'contacted' },
      ])
      expect(read('clientes.json')).toMatchObject([{ id: clientId, document: CPF }])
      expect(read('conversas.json')).toMatchObject([{ id: conversationId, messages: [{ text: MESSAGE }] }])
      expect(read('tarefas.json')).toMatchObject([{ kind: 'call', notes: NOTE }])
      expect(read('consentimentos.json')).toMatchObject([{ granted: true, text_version: 'site v1' }])
      const media = Object.keys(zip).find((k) => k.startsWith('midia/'))!
      expect([...zip[media]!]).toEqual([0xff, 0xd8, 0xff, 1, 2, 3])
    }
    const audits = await w.t.owner.db.execute<{ action: string }>(
      sql`select action from audit_log where agency_id = ${w.a.agencyId} and action = 'privacy.export'`,
    )
    expect(audits).toHaveLength(2)
  })

  it('is refused to agents and invisible to other agencies', async () => {
    expect(await outcome(exportAs(w.a.agent, w.a.agencyId, { leadId }))).toBe('FORBIDDEN')
    expect(await outcome(w.caller(w.a.agent, w.a.agencyId).privacy.anonymise({ leadId }))).toBe('FORBIDDEN')
    expect(await outcome(exportAs(w.b.manager, w.b.agencyId, { leadId }))).toBe('NOT_FOUND')
    expect(await outcome(w.caller(w.b.manager, w.b.agencyId).privacy.anonymise({ clientId }))).toBe('NOT_FOUND')
  })

  it('anonymises the person everywhere, keeps the records and what reports count, once', async () => {
    const needles = [NAME, EMAIL, CPF, WA_ID, MESSAGE, NOTE, 'Gertrudes']
    // Before: she is in many places (the check below is not vacuous).
    expect((await mentions(needles)).length).toBeGreaterThan(8)
    expect(await manager().privacy.anonymise({ leadId })).toEqual({ leads: 1, clients: 1, conversations: 1 })
    expect(await mentions(needles)).toEqual([])

    const lead = (await manager().leads.get({ id: leadId })).lead
    expect(lead).toMatchObject({ name: 'Pessoa anonimizada', phones: [], email: null, status: 'contacted' })
    expect(lead.anonymizedAt).not.toBeNull()
    const [moved] = await w.t.owner.db.execute<{ to_status: string }>(
      sql`select to_status from lead_events where lead_id = ${leadId} and kind = 'status_changed'`,
    )
    expect(moved!.to_status).toBe('contacted')
    expect((await manager().consent.get({ leadId })).status).toBe('granted')
    expect(await queuedPayloads(w.t, 'storage:delete')).toContainEqual({ keys: [`privacy/${leadId}.jpg`] })
    const [entry] = await w.t.owner.db.execute<{ diff: unknown }>(
      sql`select diff from audit_log where agency_id = ${w.a.agencyId} and action = 'privacy.anonymise'`,
    )
    expect(entry!.diff).toMatchObject({ after: { leads: 1, clients: 1, conversations: 1, files: 1 } })

    expect(await outcome(manager().privacy.anonymise({ clientId }))).toBe('CONFLICT')
    // She writes again: a new conversation and a new lead, nothing joined to the anonymised ones.
    await deliver(webhook.envelope(PHONE_NUMBER_ID, [webhook.text(WA_ID, 'Oi de novo', { id: 'wamid.PRIVACY-2' })]))
    const again = await w.t.owner.db.execute<{ id: string; lead_id: string }>(
      sql`select id, lead_id from whatsapp_conversations where agency_id = ${w.a.agencyId} and contact_wa_id = ${WA_ID}`,
    )
    expect(again).toHaveLength(1)
    expect(again[0]!.id).not.toBe(conversationId)
    expect(again[0]!.lead_id).not.toBe(leadId)
  })
})
