import { addMember, createTestDatabase, insertAgency, insertUser, type TestDatabase } from '@impera/db/testing'
import { sql } from '@impera/db'
import pino from 'pino'
import { createLocalAuth } from '../src/auth/local'
import type { AuthProvider, Identity } from '../src/auth/types'
import { createContext } from '../src/context'
import type { TargetPolicy } from '../src/webhooks/targets'
import { createSecretBox, type WhatsAppGraph } from '../src/whatsapp'
import { createCaller } from '../src/root'
import { ingestWebhookEvent, receiveWebhook } from '../src/services'
import type { WhatsAppSystemCtx } from '../src/ctx'

export const PASSWORD = 'correct horse battery'
/** A fixed test key for sealing provider credentials. */
export const TEST_SECRETS_KEY = Buffer.alloc(32, 7).toString('base64')
export const testSecrets = createSecretBox(TEST_SECRETS_KEY)

export interface World {
  t: TestDatabase
  auth: AuthProvider
  a: {
    agencyId: string
    manager: Persona
    agent: Persona
    deactivated: Persona
    invitationId: string
    agentMembershipId: string
    managerSessionId: string
    leadId: string
    noteId: string
    trashedLeadId: string
    qualifiedLeadId: string
    clientId: string
    clientNoteId: string
    trashedClientId: string
    propertyId: string
    propertyCode: string
    photoId: string
    trashedPropertyId: string
    waAccountId: string
    conversationId: string
    failedMessageId: string
    mediaMessageId: string
    /** A conversation the bot answers (AI mode auto), and the contact's newest message in it. */
    botConversationId: string
    botInboundId: string
    notificationId: string
    viewId: string
    integrationId: string
    apiKeyId: string
    webhookEndpointId: string
    webhookDeliveryId: string
    /** A device of the manager's that receives web push. */
    pushSubscriptionId: string
  }
  b: { agencyId: string; manager: Persona; agent: Persona }
  admin: Persona
  outsider: Persona
  caller: (persona: Persona | null, agencyId?: string | null) => ReturnType<typeof createCaller>
  request: (headers?: Record<string, string>) => Request
}

export interface Persona {
  userId: string
  email: string
  identity: Identity
}

export function testAuth(t: TestDatabase) {
  return createLocalAuth({
    db: t.app.db,
    cookieSecrets: ['test-secret'],
    secureCookies: false,
    meta: (r) => ({ ip: r.headers.get('x-test-ip') ?? '127.0.0.1', userAgent: r.headers.get('user-agent') }),
  })
}

/** Two agencies with a manager and an agent each, plus the personas an attacker can be. */
/** Web push as the world has it unless a test brings its own: a fixed key, and pushes to a test-only service. */
export const testPush = {
  publicKey: 'BEl62iUYgUivxIkv69yViEuiBIa-Ib9-SkvMeAtA3LFgDzkrxZJjSgSnfckjBJuBkr3qBUYIHBQFLXYp5Nksh8U',
  extraServices: ['https://push.test'],
}

export async function buildWorld(
  opts: {
    graph?: WhatsAppGraph
    webhookTargets?: TargetPolicy
    push?: { publicKey: string; extraServices: string[] } | null
  } = {},
): Promise<World> {
  const t = await createTestDatabase()
  const o = t.owner.db
  const persona = async (overrides: Parameters<typeof insertUser>[1] = {}): Promise<Persona> => {
    const u = await insertUser(o, overrides)
    return { userId: u.id, email: u.email, identity: { userId: u.id, email: u.email, sessionId: null } }
  }
  const agencyA = await insertAgency(o, { name: 'Imobiliária Alfa' })
  const agencyB = await insertAgency(o, { name: 'Imobiliária Beta' })
  const a = {
    agencyId: agencyA.id,
    manager: await persona(),
    agent: await persona(),
    deactivated: await persona(),
    invitationId: '',
    agentMembershipId: '',
    managerSessionId: '',
    leadId: '',
    noteId: '',
    trashedLeadId: '',
    qualifiedLeadId: '',
    clientId: '',
    clientNoteId: '',
    trashedClientId: '',
    propertyId: '',
    propertyCode: '',
    photoId: '',
    trashedPropertyId: '',
    waAccountId: '',
    conversationId: '',
    failedMessageId: '',
    mediaMessageId: '',
    botConversationId: '',
    botInboundId: '',
    notificationId: '',
    viewId: '',
    integrationId: '',
    apiKeyId: '',
    webhookEndpointId: '',
    webhookDeliveryId: '',
    pushSubscriptionId: '',
  }
  const b = { agencyId: agencyB.id, manager: await persona(), agent: await persona() }
  await addMember(o, { agencyId: a.agencyId, userId: a.manager.userId, role: 'manager' })
  a.agentMembershipId = (await addMember(o, { agencyId: a.agencyId, userId: a.agent.userId, role: 'agent' })).id
  await addMember(o, { agencyId: a.agencyId, userId: a.deactivated.userId, role: 'manager', status: 'deactivated' })
  await addMember(o, { agencyId: b.agencyId, userId: b.manager.userId, role: 'manager' })
  await addMember(o, { agencyId: b.agencyId, userId: b.agent.userId, role: 'agent' })
  const admin = await persona({ isPlatformAdmin: true })
  const outsider = await persona()
  const auth = testAuth(t)
  const request = (headers: Record<string, string> = {}) => new Request('http://localhost/', { headers })
  const caller = (p: Persona | null, agencyId: string | null = null) =>
    createCaller(
      createContext({
        db: t.app.db,
        auth,
        identity: p?.identity ?? null,
        unverifiedAgencyId: agencyId,
        request: request(),
        requestId: 'test',
        ip: '127.0.0.1',
        log: pino({ level: 'silent' }),
        urls: { origin: 'http://crm.test' },
        secrets: testSecrets,
        whatsappGraph: opts.graph ?? null,
        webhookTargets: opts.webhookTargets,
        push: opts.push === undefined ? testPush : opts.push,
      }),
    )
  const inv = await caller(a.manager, a.agencyId).members.invite({ email: 'pending@example.test', role: 'agent' })
  a.invitationId = inv.id
  const signedIn = await auth.signIn(request(), { email: a.manager.email, password: PASSWORD })
  if (!signedIn.ok) throw new Error('fixture sign-in failed')
  const [session] = await t.owner.db.execute<{ id: string }>(
    sql`select id from auth_sessions where user_id = ${a.manager.userId}`,
  )
  a.managerSessionId = session!.id
  const manager = caller(a.manager, a.agencyId)
  const lead = await manager.leads.create({
    data: leadData({ name: 'Lead da Alfa', phones: ['11 91234-5678'], assignedTo: a.agent.userId }),
  })
  a.leadId = lead.id
  a.noteId = (await manager.leads.addNote({ leadId: lead.id, body: 'Ligou pedindo visita' })).id
  const trashed = await manager.leads.create({ data: leadData({ name: 'Lead descartado', phones: ['11 95555-0000'] }) })
  await manager.leads.delete({ id: trashed.id })
  a.trashedLeadId = trashed.id
  const qualified = await manager.leads.create({
    data: leadData({ name: 'Lead qualificado', phones: ['11 96666-0000'] }),
  })
  await manager.leads.setStatus({ id: qualified.id, status: 'qualified' })
  a.qualifiedLeadId = qualified.id
  const client = await manager.clients.create({
    data: clientData({
      name: 'Cliente da Alfa',
      phones: ['11 94444-1234'],
      document: '529.982.247-25',
      assignedTo: a.agent.userId,
    }),
  })
  a.clientId = client.id
  a.clientNoteId = (await manager.clients.addNote({ clientId: client.id, body: 'Prefere contato à tarde' })).id
  const trashedClient = await manager.clients.create({ data: clientData({ name: 'Cliente descartado' }) })
  await manager.clients.delete({ id: trashedClient.id })
  a.trashedClientId = trashedClient.id
  const property = await manager.properties.create({
    data: propertyData({ title: 'Apartamento da Alfa', ownerClientId: client.id, assignedTo: a.agent.userId }),
  })
  a.propertyId = property.id
  a.propertyCode = property.code
  // Photo files are exercised in the photo tests; here a row is enough to aim the photo procedures at.
  const [photo] = await o.execute<{ id: string }>(
    sql`insert into property_photos (agency_id, property_id, storage_key, thumb_key, width, height, bytes, position) values (${a.agencyId}, ${property.id}, ${`${a.agencyId}/p.webp`}, ${`${a.agencyId}/p_thumb.webp`}, 10, 10, 10, 0) returning id`,
  )
  a.photoId = photo!.id
  await manager.leads.linkProperty({ leadId: lead.id, propertyId: property.id })
  const trashedProperty = await manager.properties.create({ data: propertyData({ title: 'Imóvel descartado' }) })
  await manager.properties.delete({ id: trashedProperty.id })
  a.trashedPropertyId = trashedProperty.id
  const { account } = await manager.whatsapp.createAccount({ provider: 'sandbox', label: 'Número de teste' })
  a.waAccountId = account.id
  // A conversation with a failed send and an inbound photo whose download failed, to aim the message procedures at.
  const [conversation] = await o.execute<{ id: string }>(
    sql`insert into whatsapp_conversations (agency_id, account_id, contact_phone, contact_name, lead_id, assigned_to, last_inbound_at, last_message_at)
        values (${a.agencyId}, ${account.id}, '+5511912345678', 'Contato da Alfa', ${lead.id}, ${a.agent.userId}, now(), now()) returning id`,
  )
  a.conversationId = conversation!.id
  const [failed] = await o.execute<{ id: string }>(
    sql`insert into whatsapp_messages (agency_id, conversation_id, account_id, direction, type, body, status, error_code, error_reason, provider_at)
        values (${a.agencyId}, ${conversation!.id}, ${account.id}, 'outbound', 'text', 'Mensagem secreta da Alfa', 'failed', '131026', 'whatsapp.errors.recipientInvalid', now()) returning id`,
  )
  a.failedMessageId = failed!.id
  const [media] = await o.execute<{ id: string }>(
    sql`insert into whatsapp_messages (agency_id, conversation_id, account_id, direction, type, media, provider_message_id, status, provider_at)
        values (${a.agencyId}, ${conversation!.id}, ${account.id}, 'inbound', 'image', ${JSON.stringify({ providerMediaId: '999', state: 'failed', error: 'x' })}::jsonb, 'wamid.ALFA1', 'received', now()) returning id`,
  )
  a.mediaMessageId = media!.id
  const botLead = await manager.leads.create({
    data: leadData({ name: 'Lead do robô da Alfa', phones: ['11 91234-0000'], assignedTo: a.agent.userId }),
  })
  const [botConversation] = await o.execute<{ id: string }>(
    sql`insert into whatsapp_conversations (agency_id, account_id, contact_phone, contact_name, lead_id, assigned_to, ai_mode, controller, last_inbound_at, last_message_at)
        values (${a.agencyId}, ${account.id}, '+5511912340000', 'Contato do robô da Alfa', ${botLead.id}, ${a.agent.userId}, 'auto', 'bot', now(), now()) returning id`,
  )
  a.botConversationId = botConversation!.id
  const [botInbound] = await o.execute<{ id: string }>(
    sql`insert into whatsapp_messages (agency_id, conversation_id, account_id, direction, type, body, provider_message_id, status, provider_at, author)
        values (${a.agencyId}, ${botConversation!.id}, ${account.id}, 'inbound', 'text', 'Pergunta secreta da Alfa', 'wamid.ALFABOT', 'received', now(), 'contact') returning id`,
  )
  a.botInboundId = botInbound!.id
  const [notification] = await o.execute<{ id: string }>(
    sql`insert into notifications (agency_id, user_id, kind, entity, entity_id, data) values (${a.agencyId}, ${a.manager.userId}, 'message_received', 'conversation', ${conversation!.id}, ${JSON.stringify({ contact: 'Contato da Alfa', preview: 'Aviso secreto da Alfa' })}::jsonb) returning id`,
  )
  a.notificationId = notification!.id
  const [view] = await o.execute<{ id: string }>(
    sql`insert into saved_views (agency_id, owner_id, list, name, query, shared) values (${a.agencyId}, ${a.manager.userId}, 'leads', 'Visão secreta da Alfa', 'q=Alfa&status=new', true) returning id`,
  )
  a.viewId = view!.id
  const { integration, key } = await manager.integrations.create({ name: 'Integração da Alfa', scopes: ['leads:read'] })
  a.integrationId = integration.id
  a.apiKeyId = key.id
  const { endpoint } = await manager.webhooks.create({
    url: 'https://hooks.alfa.example/caminho-secreto',
    description: 'Endpoint secreto da Alfa',
    eventTypes: ['lead.created'],
  })
  a.webhookEndpointId = endpoint.id
  a.webhookDeliveryId = (await manager.webhooks.sendTest({ id: endpoint.id })).id
  const [device] = await o.execute<{ id: string }>(
    sql`insert into push_subscriptions (agency_id, user_id, endpoint, p256dh, auth) values (${a.agencyId}, ${a.manager.userId}, 'https://push.test/alfa-secreto', ${testPush.publicKey}, 'AAAAAAAAAAAAAAAAAAAAAA') returning id`,
  )
  a.pushSubscriptionId = device!.id
  return { t, auth, a, b, admin, outsider, caller, request }
}

/** A fingerprint of every row belonging to an agency, read as the owner (bypassing RLS). */
export async function agencyChecksum(t: TestDatabase, agencyId: string): Promise<string> {
  const tables = await t.owner.sql<{ table_name: string }[]>`
    select table_name from information_schema.columns where table_schema = 'public' and column_name = 'agency_id' order by 1`
  const parts: string[] = []
  for (const { table_name } of tables) {
    const [row] = await t.owner.db.execute<{ h: string | null }>(
      sql`select md5(coalesce(string_agg(row_to_json(x)::text, '' order by row_to_json(x)::text), '')) as h from ${sql.identifier(table_name)} x where agency_id = ${agencyId}`,
    )
    parts.push(`${table_name}:${row!.h}`)
  }
  const [agency] = await t.owner.db.execute<{ h: string }>(
    sql`select md5(row_to_json(a)::text) as h from agencies a where id = ${agencyId}`,
  )
  const [members] = await t.owner.db.execute<{ h: string }>(
    sql`select md5(coalesce(string_agg(row_to_json(u)::text, '' order by u.id), '')) as h from users u where id in (select user_id from memberships where agency_id = ${agencyId})`,
  )
  return [...parts, `agency:${agency!.h}`, `users:${members!.h}`].join('|')
}

/** The tRPC error code of a rejected call, or 'OK'. */
export async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p
    return 'OK'
  } catch (e) {
    return (e as { code?: string }).code ?? String(e)
  }
}

/** Payloads of queued jobs, newest last (graphile's public `jobs` view omits payloads). */
export async function queuedPayloads<T = Record<string, unknown>>(t: TestDatabase, task: string): Promise<T[]> {
  const rows = await t.owner.db.execute<{ payload: T }>(
    sql`select j.payload from graphile_worker._private_jobs j join graphile_worker._private_tasks k on k.id = j.task_id where k.identifier = ${task} order by j.id`,
  )
  return rows.map((r) => r.payload)
}

/** A complete lead form payload with overrides. */
export function leadData(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Fulano de Tal',
    phones: [] as string[],
    email: null,
    source: 'website' as const,
    interest: 'buy' as const,
    budgetMin: 50_000_000,
    budgetMax: 80_000_000,
    propertyTypes: ['apartment' as const],
    locations: ['Pinheiros'],
    minBedrooms: 2,
    tags: [],
    assignedTo: null,
    ...overrides,
  }
}

/** A complete client form payload with overrides. */
export function clientData(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Cliente Exemplo',
    types: ['buyer' as const],
    phones: [] as string[],
    email: null,
    document: null,
    city: 'São Paulo',
    tags: [],
    assignedTo: null,
    ...overrides,
  }
}

/** A complete property form payload with overrides. */
export function propertyData(overrides: Record<string, unknown> = {}) {
  return {
    title: 'Apartamento 2 quartos',
    type: 'apartment' as const,
    purpose: 'sale' as const,
    salePrice: 65_000_000,
    neighbourhood: 'Pinheiros',
    city: 'São Paulo',
    bedrooms: 2,
    suites: 1,
    bathrooms: 2,
    parkingSpaces: 1,
    builtArea: '72,5',
    features: ['varanda', 'piscina'],
    assignedTo: null,
    ownerClientId: null,
    ...overrides,
  }
}

/**
 * A signed Cloud API delivery for one number, received as the webhook route does and then ingested as the worker
 * would: every pending delivery of the agency, in order. `sign` is the stand-in's signature over the raw bytes.
 */
export async function deliverWhatsapp(
  t: TestDatabase,
  system: WhatsAppSystemCtx,
  to: { accountId: string; agencyId: string; sign: (raw: Buffer) => string },
  body: unknown,
) {
  const raw = Buffer.from(JSON.stringify(body))
  const res = await receiveWebhook(system, {
    accountId: to.accountId,
    rawBody: raw,
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': to.sign(raw) },
  })
  if (res.status !== 200) throw new Error(`webhook answered ${res.status}`)
  const pending = await t.owner.db.execute<{ id: number }>(
    sql`select id from whatsapp_webhook_events where agency_id = ${to.agencyId} and state = 'pending' order by id`,
  )
  for (const p of pending) await ingestWebhookEvent(system, { agencyId: to.agencyId, eventId: Number(p.id) })
}
