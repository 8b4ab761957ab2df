import { sql } from '@impera/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { can, type Action, type AgencyRole } from '../src/permissions'
import { appRouter } from '../src/root'
import {
  clientSortValues,
  conversationSortValues,
  leadSortValues,
  leadStatuses,
  propertySortValues,
  reportValues,
} from '../src/schemas'
import { buildWorld, leadData, type Persona, type World } from './harness'

/**
 * Every read of the router, for every persona that uses it: the manager, an agent while the agency keeps other
 * agents' records from them and while it lets agents see all, and the platform admin. Hand-written SQL behind a
 * visibility rule is the usual way for one of these combinations to break (a 500 only agents ever see), so each
 * list is called with every sort and the filters that change its SQL. The expected answer comes from the permission
 * table: allowed → it answers, not allowed → FORBIDDEN, never anything else.
 */
type Needs = Action | 'self' | 'platform'
type Who = { name: string; role: AgencyRole | 'platform_admin'; persona: (w: World) => Persona }

const both = <T extends string>(values: readonly T[], make: (v: T, dir: 'asc' | 'desc') => unknown) =>
  values.flatMap((v) => [make(v, 'asc'), make(v, 'desc')])

const reads: Record<string, { needs: Needs; inputs: (w: World, me: Persona) => unknown[] }> = {
  'profile.me': { needs: 'self', inputs: () => [undefined] },
  'profile.sessions': { needs: 'self', inputs: () => [undefined] },
  'agency.get': { needs: 'agency.read', inputs: () => [undefined] },
  'agency.auditLog': { needs: 'audit.read', inputs: () => [undefined] },
  'agency.aiModel': { needs: 'agency.settings.update', inputs: () => [undefined] },
  'agency.faq': { needs: 'agency.settings.update', inputs: () => [undefined] },
  'agency.onboarding': { needs: 'agency.settings.update', inputs: () => [undefined] },
  'members.list': { needs: 'members.read', inputs: () => [undefined] },
  'members.invitations': { needs: 'members.invite', inputs: () => [undefined] },
  'leads.list': {
    needs: 'records.read',
    inputs: (w, me) => [
      {},
      { q: 'Alfa' },
      { q: '91234' },
      { status: [...leadStatuses] },
      { source: ['website'], interest: 'buy', tags: ['vip'] },
      { consent: 'granted' },
      { consent: 'revoked', assignee: 'me' },
      { consent: 'none', sort: 'name' },
      { assignee: 'me' },
      { assignee: 'unassigned' },
      { assignee: w.a.manager.userId },
      {
        assignee: me.userId,
        createdFrom: new Date(Date.now() - 86_400_000),
        createdTo: new Date(Date.now() + 86_400_000),
        updatedFrom: new Date(0),
      },
      ...both(leadSortValues, (sort, dir) => ({ sort, dir, pageSize: 5 })),
    ],
  },
  'leads.exportPage': {
    needs: 'records.read',
    inputs: (w, me) => [
      {},
      { q: 'Alfa', temperature: ['cold', 'warm', 'hot'] },
      { assignee: 'me' },
      { assignee: me.userId, status: [...leadStatuses] },
      ...both(leadSortValues, (sort, dir) => ({ sort, dir })),
    ],
  },
  'leads.board': { needs: 'records.read', inputs: () => [undefined] },
  'leads.get': { needs: 'records.read', inputs: (w) => [{ id: w.a.leadId }] },
  'leads.assignees': { needs: 'records.read', inputs: () => [undefined] },
  'leads.trash': { needs: 'records.delete', inputs: () => [undefined] },
  'leads.interests': { needs: 'records.read', inputs: (w) => [{ id: w.a.leadId }] },
  'leads.matches': { needs: 'records.read', inputs: (w) => [{ id: w.a.leadId }] },
  'clients.list': {
    needs: 'records.read',
    inputs: (w) => [
      {},
      { q: 'Alfa' },
      { q: '52998224725' },
      { type: ['buyer'], city: 'Paulo', tags: ['vip'] },
      { consent: 'granted' },
      { consent: 'none', assignee: 'me' },
      { assignee: 'me' },
      { assignee: 'unassigned' },
      { assignee: w.a.manager.userId },
      ...both(clientSortValues, (sort, dir) => ({ sort, dir, pageSize: 5 })),
    ],
  },
  'clients.pick': { needs: 'records.read', inputs: () => [{ q: '' }, { q: 'Alfa' }] },
  'clients.get': { needs: 'records.read', inputs: (w) => [{ id: w.a.clientId }] },
  'clients.trash': { needs: 'records.delete', inputs: () => [undefined] },
  'properties.list': {
    needs: 'records.read',
    inputs: (w) => [
      {},
      { q: 'Alfa' },
      {
        status: ['available'],
        type: ['apartment'],
        purpose: 'sale',
        priceMin: 1,
        priceMax: 100_000_000,
        minBedrooms: 1,
        neighbourhood: 'Pinheiros',
        city: 'Paulo',
      },
      { purpose: 'rent' },
      { assignee: 'me' },
      { assignee: 'unassigned' },
      { ownerClientId: w.a.clientId },
      ...both(propertySortValues, (sort, dir) => ({ sort, dir, pageSize: 5 })),
    ],
  },
  'properties.pick': { needs: 'records.read', inputs: () => [{ q: '' }, { q: 'Alfa' }] },
  'properties.get': { needs: 'records.read', inputs: (w) => [{ id: w.a.propertyId }] },
  'properties.matches': { needs: 'records.read', inputs: (w) => [{ id: w.a.propertyId }] },
  'properties.trash': { needs: 'records.delete', inputs: () => [undefined] },
  'whatsapp.accounts': { needs: 'records.read', inputs: () => [undefined] },
  'whatsapp.templates': {
    needs: 'records.read',
    inputs: (w) => [{ accountId: w.a.waAccountId }, { accountId: w.a.waAccountId, all: true }],
  },
  'whatsapp.conversations': {
    needs: 'records.read',
    inputs: (w) => [
      {},
      ...(['all', 'mine', 'unassigned', 'unread', 'ai'] as const).map((filter) => ({ filter })),
      { q: 'Contato' },
      { q: '912345' },
      { assignee: w.a.agent.userId, linked: 'lead', waiting: true },
      { linked: 'client' },
      { linked: 'none', from: new Date(0), to: new Date(Date.now() + 86_400_000) },
      ...both(conversationSortValues, (sort, dir) => ({ sort, dir, pageSize: 5 })),
    ],
  },
  'whatsapp.unread': { needs: 'records.read', inputs: () => [undefined] },
  'whatsapp.conversation': { needs: 'records.read', inputs: (w) => [{ id: w.a.conversationId }] },
  'whatsapp.suggestReply': { needs: 'records.read', inputs: (w) => [{ id: w.a.botConversationId }] },
  'whatsapp.summarize': { needs: 'records.read', inputs: (w) => [{ id: w.a.botConversationId }] },
  'dashboard.get': {
    needs: 'records.read',
    inputs: (_w, me) => [
      {},
      ...(['today', '7d', '30d'] as const).map((period) => ({ period })),
      { period: 'custom', from: '2025-01-01', to: '2026-12-31' },
      { agentId: me.userId },
    ],
  },
  'dashboard.activity': { needs: 'records.read', inputs: () => [undefined] },
  'reports.get': {
    needs: 'records.read',
    inputs: (_w, me) => reportValues.flatMap((report) => [{ report }, { report, period: '7d', agentId: me.userId }]),
  },
  'notifications.list': {
    needs: 'records.read',
    inputs: () => [undefined, { before: new Date(), beforeId: '00000000-0000-4000-8000-000000000000' }],
  },
  'notifications.unread': { needs: 'records.read', inputs: () => [undefined] },
  'notifications.preferences': { needs: 'records.read', inputs: () => [undefined] },
  'notifications.pushDevices': { needs: 'records.read', inputs: () => [undefined] },
  'search.global': {
    needs: 'records.read',
    inputs: () => [{ q: 'Alfa' }, { q: 'alfa lead' }, { q: '11 91234-5678' }, { q: '529.982.247-25' }],
  },
  'search.conversation': {
    needs: 'records.read',
    inputs: (w) => [{ conversationId: w.a.conversationId, q: 'secreta' }],
  },
  'views.list': {
    needs: 'records.read',
    inputs: () => [{ list: 'leads' }, { list: 'clients' }, { list: 'properties' }, { list: 'conversations' }],
  },
  'integrations.list': { needs: 'integrations.manage', inputs: () => [undefined] },
  'webhooks.list': { needs: 'integrations.manage', inputs: () => [undefined] },
  'portals.get': { needs: 'integrations.manage', inputs: () => [{ portal: 'grupo_olx' }, {}] },
  'portals.feed': { needs: 'integrations.manage', inputs: () => [undefined] },
  'imports.list': { needs: 'records.import', inputs: () => [undefined] },
  'imports.get': { needs: 'records.import', inputs: () => [{ id: importId }] },
  'imports.rows': {
    needs: 'records.import',
    inputs: () => [{ id: importId }, { id: importId, outcome: 'refuse' }, { id: importId, outcome: 'skip', after: 3 }],
  },
  'webhooks.deliveries': { needs: 'integrations.manage', inputs: (w) => [{ endpointId: w.a.webhookEndpointId }] },
  'tasks.agenda': {
    needs: 'records.read',
    inputs: (_w, me) => [undefined, { who: 'me' }, { who: 'all' }, { who: me.userId, day: '2026-12-04' }],
  },
  'tasks.list': {
    needs: 'records.read',
    inputs: (w) => [
      {},
      { who: 'me' },
      { leadId: w.a.leadId },
      { clientId: w.a.clientId },
      { propertyId: w.a.propertyId },
      { status: ['done', 'cancelled'] },
      { from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + 30 * 86_400_000) },
    ],
  },
  'tasks.get': { needs: 'records.read', inputs: () => [{ id: taskId }] },
  'tasks.calendarFeed': { needs: 'records.read', inputs: () => [undefined] },
  'tasks.visitConfirmation': { needs: 'agency.settings.update', inputs: () => [undefined] },
  'distribution.get': { needs: 'agency.settings.update', inputs: () => [undefined] },
  'distribution.myAvailability': { needs: 'records.read', inputs: () => [undefined] },
  'distribution.offers': { needs: 'records.read', inputs: () => [undefined] },
  'bulk.get': { needs: 'records.read', inputs: (_w, me) => [{ id: bulkIds[me.userId] ?? bulkIds.any }] },
  'quickReplies.list': { needs: 'records.read', inputs: () => [undefined] },
  'agencyExport.list': { needs: 'agency.export', inputs: () => [undefined] },
  'consent.get': { needs: 'records.read', inputs: (w) => [{ leadId: w.a.leadId }, { clientId: w.a.clientId }] },
  'whatsapp.labels': { needs: 'records.read', inputs: () => [undefined] },
  'quickReplies.forConversation': {
    needs: 'records.read',
    inputs: (w) => [
      { conversationId: w.a.conversationId, q: '' },
      { conversationId: w.a.conversationId, q: 'o' },
    ],
  },
  'admin.agencies': { needs: 'platform', inputs: () => [undefined] },
  'admin.overview': { needs: 'platform', inputs: () => [undefined] },
}

const queries = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>)
  .filter(([, p]) => p._def.type === 'query')
  .map(([path]) => path)

const personas: Who[] = [
  { name: 'manager', role: 'manager', persona: (w) => w.a.manager },
  { name: 'agent', role: 'agent', persona: (w) => w.a.agent },
  { name: 'platform admin', role: 'platform_admin', persona: (w) => w.admin },
]

let w: World
/** A finished import of agency A with a report (decision 024). */
let importId: string
/** A visit of agency A on the agent's lead, planned by the manager for the agent (decision 025). */
let taskId: string
/** A bulk operation of each member of agency A, by user id (decision 028). */
const bulkIds: Record<string, string> = {}
beforeAll(async () => {
  w = await buildWorld()
  const [imp] = await w.t.owner.db.execute<{ id: string }>(sql`
    insert into imports (agency_id, kind, status, file_name, file_key, file_bytes, format, headers, sample, created_by, file_expires_at)
    values (${w.a.agencyId}, 'leads', 'done', 'leads.csv', null, 10, 'csv', array['Nome'], '[]'::jsonb, ${w.a.manager.userId}, now())
    returning id`)
  importId = imp!.id
  await w.t.owner.db.execute(sql`
    insert into import_rows (agency_id, import_id, row, outcome, reasons) values
      (${w.a.agencyId}, ${importId}, 2, 'refuse', array['noContact']), (${w.a.agencyId}, ${importId}, 5, 'skip', array['duplicate'])`)
  // Something in every board column and list, each with an owner the agent may or may not see.
  const m = w.caller(w.a.manager, w.a.agencyId)
  for (const [i, status] of (['contacted', 'qualified', 'lost'] as const).entries()) {
    const lead = await m.leads.create({
      data: leadData({
        name: `Lead ${status}`,
        phones: [`11 9800${i}-0000`],
        assignedTo: i % 2 ? w.a.manager.userId : w.a.agent.userId,
      }),
    })
    await m.leads.setStatus({ id: lead.id, status, lostReason: status === 'lost' ? 'budget' : null })
  }
  await m.leads.convert({ id: w.a.qualifiedLeadId })
  taskId = (
    await m.tasks.create({
      data: {
        kind: 'visit',
        title: 'Visita',
        dueAt: new Date(Date.now() + 3_600_000),
        leadId: w.a.leadId,
        propertyIds: [w.a.propertyId],
        assignedTo: w.a.agent.userId,
      },
    })
  ).id
  await m.tasks.create({ data: { kind: 'call', title: 'Ligar', dueAt: new Date(Date.now() - 86_400_000) } })
  for (const p of [w.a.manager, w.a.agent])
    bulkIds[p.userId] = (
      await w
        .caller(p, w.a.agencyId)
        .bulk.leads({ selection: { ids: [w.a.leadId] }, action: { kind: 'addTag', tag: 'lote' } })
    ).id
  bulkIds.any = bulkIds[w.a.manager.userId]!
})
afterAll(() => w.t.close())

function call(persona: Persona, agencyId: string | null, path: string, input: unknown) {
  const caller = w.caller(persona, agencyId) as unknown as Record<
    string,
    Record<string, (i: unknown) => Promise<unknown>>
  >
  const [ns, name] = path.split('.') as [string, string]
  return caller[ns]![name]!(input)
}

function expected(who: Who, needs: Needs): string {
  if (needs === 'self') return 'OK'
  if (needs === 'platform') return who.role === 'platform_admin' ? 'OK' : 'FORBIDDEN'
  return who.role !== 'platform_admin' && can(who.role, needs) ? 'OK' : 'FORBIDDEN'
}

async function callEverything(label: string): Promise<string[]> {
  const failures: string[] = []
  for (const path of queries) {
    const { needs, inputs } = reads[path]!
    for (const who of personas) {
      const me = who.persona(w)
      // Platform staff act outside any agency; the others inside agency A.
      const agencyId = who.role === 'platform_admin' ? null : w.a.agencyId
      for (const input of inputs(w, me)) {
        const result = await call(me, agencyId, path, input).then(
          () => 'OK',
          (e: { code?: string; message?: string }) =>
            `${e.code ?? 'THROWN'}${e.code === 'INTERNAL_SERVER_ERROR' || !e.code ? ` (${e.message})` : ''}`,
        )
        const want = expected(who, needs)
        if (result !== want)
          failures.push(`${label}: ${path}(${JSON.stringify(input) ?? ''}) as ${who.name}: ${result}, expected ${want}`)
      }
    }
  }
  return failures
}

describe('every read for every persona', () => {
  it('lists every query procedure of the router', () => {
    expect(queries.filter((p) => !(p in reads))).toEqual([])
    expect(Object.keys(reads).filter((p) => !queries.includes(p))).toEqual([])
  })

  it('answers with agents kept to their own records and with agents seeing all', async () => {
    const failures: string[] = []
    for (const seeAll of [false, true]) {
      await w.t.owner.db.execute(sql`update agencies set agents_see_all = ${seeAll} where id = ${w.a.agencyId}`)
      failures.push(...(await callEverything(seeAll ? 'agents see all' : 'agents see their own')))
    }
    expect(failures).toEqual([])
  })
})

describe('conversation control for every persona (decision 019)', () => {
  it('managers and agents take over and return the conversations they can see; nobody else', async () => {
    const [theirs] = await w.t.owner.db.execute<{ id: string }>(
      sql`insert into whatsapp_conversations (agency_id, account_id, contact_phone, assigned_to, ai_mode, controller)
          values (${w.a.agencyId}, ${w.a.waAccountId}, '+5511900001111', ${w.a.manager.userId}, 'auto', 'bot') returning id`,
    )
    const conversations = { agents: w.a.conversationId, managers: theirs!.id }
    const failures: string[] = []
    for (const seeAll of [false, true]) {
      await w.t.owner.db.execute(sql`update agencies set agents_see_all = ${seeAll} where id = ${w.a.agencyId}`)
      const callers: {
        name: string
        persona: Persona | null
        agencyId: string | null
        sees: (k: string) => boolean
      }[] = [
        { name: 'manager', persona: w.a.manager, agencyId: w.a.agencyId, sees: () => true },
        { name: 'agent', persona: w.a.agent, agencyId: w.a.agencyId, sees: (k) => seeAll || k === 'agents' },
        { name: 'platform admin', persona: w.admin, agencyId: null, sees: () => false },
        { name: 'anonymous', persona: null, agencyId: w.a.agencyId, sees: () => false },
      ]
      for (const who of callers)
        for (const [k, id] of Object.entries(conversations)) {
          await w.t.owner.db.execute(
            sql`update whatsapp_conversations set ai_mode = 'auto', controller = 'bot' where id = ${id}`,
          )
          const c = w.caller(who.persona, who.agencyId)
          const results = [
            await c.whatsapp.takeOver({ id }).then(
              (r) => r.controller,
              (e: { code?: string }) => e.code,
            ),
            await c.whatsapp.returnToAi({ id }).then(
              (r) => r.controller,
              (e: { code?: string }) => e.code,
            ),
            await c.whatsapp.setAiMode({ id, aiMode: 'assist' }).then(
              (r) => r.aiMode,
              (e: { code?: string }) => e.code,
            ),
          ]
          const refusal = who.persona === null ? 'UNAUTHORIZED' : who.agencyId === null ? 'FORBIDDEN' : 'NOT_FOUND'
          const want = who.sees(k) ? ['human', 'bot', 'assist'] : [refusal, refusal, refusal]
          if (JSON.stringify(results) !== JSON.stringify(want))
            failures.push(`${who.name} on the ${k}' conversation (see all: ${seeAll}): ${results}, expected ${want}`)
        }
    }
    expect(failures).toEqual([])
  })
})

describe("a lead's and a client's page: their conversation and who answers it (decision 019)", () => {
  it('shows the conversation only to who may open it', async () => {
    const o = w.t.owner.db
    const id = w.a.conversationId
    await o.execute(sql`update agencies set agents_see_all = false where id = ${w.a.agencyId}`)
    await o.execute(
      sql`update whatsapp_conversations set controller = 'bot', client_id = ${w.a.clientId} where id = ${id}`,
    )
    const seen = async () =>
      Promise.all(
        [w.a.manager, w.a.agent].flatMap((p) => {
          const c = w.caller(p, w.a.agencyId)
          return [c.leads.get({ id: w.a.leadId }), c.clients.get({ id: w.a.clientId })].map((r) =>
            r.then((d) => d.conversation),
          )
        }),
      )
    try {
      // The lead, the client and the conversation are the agent's: both see it, with who answers it.
      expect(await seen()).toEqual(Array(4).fill({ id, controller: 'bot' }))
      // The conversation moves to the manager: the agent still opens the lead and the client, not the conversation.
      await o.execute(sql`update whatsapp_conversations set assigned_to = ${w.a.manager.userId} where id = ${id}`)
      expect(await seen()).toEqual([{ id, controller: 'bot' }, { id, controller: 'bot' }, null, null])
    } finally {
      await o.execute(
        sql`update whatsapp_conversations set assigned_to = ${w.a.agent.userId}, client_id = null where id = ${id}`,
      )
    }
  })
})

describe('conversation status and internal notes for every persona (issue 16)', () => {
  it('managers and agents resolve, reopen and note the conversations they can see; nobody else', async () => {
    const [theirs] = await w.t.owner.db.execute<{ id: string }>(
      sql`insert into whatsapp_conversations (agency_id, account_id, contact_phone, assigned_to)
          values (${w.a.agencyId}, ${w.a.waAccountId}, '+5511900002222', ${w.a.manager.userId}) returning id`,
    )
    const conversations = { agents: w.a.conversationId, managers: theirs!.id }
    const failures: string[] = []
    for (const seeAll of [false, true]) {
      await w.t.owner.db.execute(sql`update agencies set agents_see_all = ${seeAll} where id = ${w.a.agencyId}`)
      const callers: {
        name: string
        persona: Persona | null
        agencyId: string | null
        sees: (k: string) => boolean
      }[] = [
        { name: 'manager', persona: w.a.manager, agencyId: w.a.agencyId, sees: () => true },
        { name: 'agent', persona: w.a.agent, agencyId: w.a.agencyId, sees: (k) => seeAll || k === 'agents' },
        { name: 'platform admin', persona: w.admin, agencyId: null, sees: () => false },
        { name: 'anonymous', persona: null, agencyId: w.a.agencyId, sees: () => false },
      ]
      for (const who of callers)
        for (const [k, id] of Object.entries(conversations)) {
          const c = w.caller(who.persona, who.agencyId)
          const code = (e: { code?: string }) => e.code
          // An agent who sees everything may read a manager's conversation but not change it (not the assignee).
          const edits = who.sees(k) && (who.name !== 'agent' || k === 'agents')
          const results = [
            await c.whatsapp.setStatus({ id, status: 'resolved' }).then((r) => r.status, code),
            await c.whatsapp.setStatus({ id, status: 'open' }).then((r) => r.status, code),
            await c.whatsapp
              .addNote({ id: crypto.randomUUID(), conversationId: id, body: `nota de ${who.name}` })
              .then((n) => c.whatsapp.deleteNote({ id: n.id }).then(() => 'noted'), code),
          ]
          const refusal = who.persona === null ? 'UNAUTHORIZED' : who.agencyId === null ? 'FORBIDDEN' : 'NOT_FOUND'
          const want = edits
            ? ['resolved', 'open', 'noted']
            : who.sees(k)
              ? ['FORBIDDEN', 'FORBIDDEN', 'noted']
              : [refusal, refusal, refusal]
          if (JSON.stringify(results) !== JSON.stringify(want))
            failures.push(`${who.name} on the ${k}' conversation (see all: ${seeAll}): ${results}, expected ${want}`)
        }
    }
    expect(failures).toEqual([])
  })
})
