import { sql, withAgency } from '@impera/db'
import { addMember, insertAgency, insertUser } from '@impera/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeError } from '../src/error-shape'
import { notificationDigestEmail } from '../src/emails'
import { acceptInvitation, notificationPath, notifyWaitingLeads, takeEmailDigests } from '../src/services'
import { buildWorld, leadData, outcome, PASSWORD, queuedPayloads, type Persona, type World } from './harness'

/**
 * A small agency whose every figure can be worked out by hand. Times are UTC; the agency is in São Paulo (UTC−3),
 * so January 2026 there runs from 2026-01-01T03:00Z to 2026-02-01T03:00Z, and the previous period is the 31 days
 * before. Leads (created → history):
 * - L1 website, Xavier: created 01-05 12:00; contacted 12:30 (30 min); qualified 01-07 12:00; converted 01-10 12:00.
 * - L2 website, Xavier: created 01-06 10:00; contacted 12:00 (120 min).
 * - L3 portal, Yara: created 01-08 09:00; never contacted (still new).
 * - L4 portal, Yara: created 01-09 09:00; contacted 09:10 (10 min); lost (budget) 01-12 09:00.
 * - L5 referral, unassigned: created 01-20 15:00; writes on WhatsApp 01-20 16:00 (conversation owned by Yara); our
 *   first reply 01-21 15:00 is its first contact (1440 min) and Yara's response time (1380 min). Still new.
 * Previous period: P1 website, Xavier: created 2025-12-10 12:00, contacted 13:00 (60 min); P2 website: created 12-15.
 * Properties: Q1 apartment Pinheiros available (created 2026-01-02); Q2 house Moema, created 2025-11-01, sold
 * 2026-01-15 (75 days); Q3 apartment Pinheiros, created 2025-12-01, rented 2026-02-10 (71 days).
 */
let w: World
let agencyId: string
let marta: Persona, xavier: Persona, yara: Persona
const L: Record<string, string> = {}
const january = { period: 'custom' as const, from: '2026-01-01', to: '2026-01-31' }

const persona = (u: { id: string; email: string }): Persona => ({
  userId: u.id,
  email: u.email,
  identity: { userId: u.id, email: u.email, sessionId: null },
})

beforeAll(async () => {
  w = await buildWorld()
  const o = w.t.owner.db
  agencyId = (await insertAgency(o, { name: 'Imobiliária Contas', timezone: 'America/Sao_Paulo' })).id
  marta = persona(await insertUser(o, { name: 'Marta Gestora' }))
  xavier = persona(await insertUser(o, { name: 'Xavier Agente' }))
  yara = persona(await insertUser(o, { name: 'Yara Agente' }))
  await addMember(o, { agencyId, userId: marta.userId, role: 'manager' })
  await addMember(o, { agencyId, userId: xavier.userId, role: 'agent' })
  await addMember(o, { agencyId, userId: yara.userId, role: 'agent' })
  const lead = async (
    key: string,
    source: string,
    assignedTo: string | null,
    createdAt: string,
    status = 'new',
    lostReason: string | null = null,
  ) => {
    const [row] = await o.execute<{ id: string }>(
      sql`insert into leads (agency_id, name, source, assigned_to, created_at, updated_at, status, lost_reason) values (${agencyId}, ${key}, ${source}, ${assignedTo}, ${createdAt}, ${createdAt}, ${status}, ${lostReason}) returning id`,
    )
    L[key] = row!.id
  }
  const move = (key: string, from: string, to: string, at: string) =>
    o.execute(
      sql`insert into lead_events (agency_id, lead_id, kind, data, at) values (${agencyId}, ${L[key]!}, 'status_changed', ${JSON.stringify({ from, to })}::jsonb, ${at})`,
    )
  await lead('L1', 'website', xavier.userId, '2026-01-05T12:00Z', 'converted')
  await move('L1', 'new', 'contacted', '2026-01-05T12:30Z')
  await move('L1', 'contacted', 'qualified', '2026-01-07T12:00Z')
  await move('L1', 'qualified', 'converted', '2026-01-10T12:00Z')
  await lead('L2', 'website', xavier.userId, '2026-01-06T10:00Z', 'contacted')
  await move('L2', 'new', 'contacted', '2026-01-06T12:00Z')
  await lead('L3', 'portal', yara.userId, '2026-01-08T09:00Z')
  await lead('L4', 'portal', yara.userId, '2026-01-09T09:00Z', 'lost', 'budget')
  await move('L4', 'new', 'contacted', '2026-01-09T09:10Z')
  await move('L4', 'contacted', 'lost', '2026-01-12T09:00Z')
  await lead('L5', 'referral', null, '2026-01-20T15:00Z')
  await lead('P1', 'website', xavier.userId, '2025-12-10T12:00Z', 'contacted')
  await move('P1', 'new', 'contacted', '2025-12-10T13:00Z')
  await lead('P2', 'website', null, '2025-12-15T12:00Z')
  const [account] = await o.execute<{ id: string }>(
    sql`insert into whatsapp_accounts (agency_id, provider, label, phone_number_id, display_number) values (${agencyId}, 'sandbox', 'Demo', 'sandbox-contas', '+55 11 90000-0000') returning id`,
  )
  const [conversation] = await o.execute<{ id: string }>(
    sql`insert into whatsapp_conversations (agency_id, account_id, contact_phone, contact_name, lead_id, assigned_to, last_inbound_at, last_message_at) values (${agencyId}, ${account!.id}, '+5511988887777', 'L5', ${L.L5!}, ${yara.userId}, '2026-01-20T16:00Z', '2026-01-21T15:00Z') returning id`,
  )
  await o.execute(sql`insert into whatsapp_messages (agency_id, conversation_id, account_id, direction, type, body, status, provider_message_id, provider_at, created_at) values
    (${agencyId}, ${conversation!.id}, ${account!.id}, 'inbound', 'text', 'Oi, vi o anúncio', 'received', 'wamid.in1', '2026-01-20T16:00Z', '2026-01-20T16:00Z'),
    (${agencyId}, ${conversation!.id}, ${account!.id}, 'outbound', 'text', 'Olá! Posso ajudar?', 'sent', 'wamid.out1', '2026-01-21T15:00Z', '2026-01-21T15:00Z')`)
  // A contact who wrote (Feb 2026, outside both periods) and got no answer: Xavier's, waiting for a reply.
  const [waiting] = await o.execute<{ id: string }>(
    sql`insert into whatsapp_conversations (agency_id, account_id, contact_phone, contact_name, assigned_to, last_inbound_at, last_message_at) values (${agencyId}, ${account!.id}, '+5511977776666', 'Sem resposta', ${xavier.userId}, '2026-02-03T10:00Z', '2026-02-03T10:00Z') returning id`,
  )
  await o.execute(sql`insert into whatsapp_messages (agency_id, conversation_id, account_id, direction, type, body, status, provider_message_id, provider_at, created_at) values
    (${agencyId}, ${waiting!.id}, ${account!.id}, 'inbound', 'text', 'Alguém aí?', 'received', 'wamid.in2', '2026-02-03T10:00Z', '2026-02-03T10:00Z')`)
  const property = async (
    code: string,
    type: string,
    neighbourhood: string,
    status: string,
    createdAt: string,
    changedAt: string | null,
  ) => {
    const [row] = await o.execute<{ id: string }>(
      sql`insert into properties (agency_id, code, title, type, purpose, neighbourhood, status, created_at, updated_at, status_changed_at) values (${agencyId}, ${code}, ${code}, ${type}, 'both', ${neighbourhood}, ${status}, ${createdAt}, ${changedAt ?? createdAt}, ${changedAt ?? createdAt}) returning id`,
    )
    if (changedAt)
      await o.execute(
        sql`insert into property_events (agency_id, property_id, kind, data, at) values (${agencyId}, ${row!.id}, 'status_changed', ${JSON.stringify({ from: 'available', to: status })}::jsonb, ${changedAt})`,
      )
  }
  await property('Q1', 'apartment', 'Pinheiros', 'available', '2026-01-02T12:00Z', null)
  await property('Q2', 'house', 'Moema', 'sold', '2025-11-01T12:00Z', '2026-01-15T12:00Z')
  await property('Q3', 'apartment', 'Pinheiros', 'rented', '2025-12-01T12:00Z', '2026-02-10T12:00Z')
})
afterAll(() => w.t.close())

const as = (p: Persona) => w.caller(p, agencyId)

describe('first contact is kept by the database', () => {
  it('comes from the first move to contacted or beyond, or the first accepted outbound message', async () => {
    const rows = await w.t.owner.db.execute<{ name: string; first_contact_at: Date | null }>(
      sql`select name, first_contact_at from leads where agency_id = ${agencyId} order by name`,
    )
    const at = Object.fromEntries(
      rows.map((r) => [r.name, r.first_contact_at && new Date(r.first_contact_at).toISOString()]),
    )
    expect(at).toEqual({
      L1: '2026-01-05T12:30:00.000Z',
      L2: '2026-01-06T12:00:00.000Z',
      L3: null,
      L4: '2026-01-09T09:10:00.000Z',
      L5: '2026-01-21T15:00:00.000Z',
      P1: '2025-12-10T13:00:00.000Z',
      P2: null,
    })
  })
})

describe('dashboard', () => {
  it('computes every KPI for the period and the one before', async () => {
    const d = await as(marta).dashboard.get(january)
    expect(d.period.from.toISOString()).toBe('2026-01-01T03:00:00.000Z')
    expect(d.period.to.toISOString()).toBe('2026-02-01T03:00:00.000Z')
    expect(d.period.prevFrom.toISOString()).toBe('2025-12-01T03:00:00.000Z')
    const k = d.kpis
    expect(k.newLeads).toEqual({ value: 5, previous: 2 })
    expect(k.contacted).toEqual({ value: 4, previous: 1 })
    expect(k.qualified).toEqual({ value: 1, previous: 0 })
    expect(k.converted).toEqual({ value: 1, previous: 0 })
    expect(k.lost).toEqual({ value: 1, previous: 0 })
    expect(k.conversionRate).toEqual({ value: 0.2, previous: 0 })
    // 10, 30, 120, 1440 minutes → (30 + 120) / 2; before: 60.
    expect(k.medianFirstContactMinutes).toEqual({ value: 75, previous: 60 })
    expect(k.messagesIn).toEqual({ value: 1, previous: 0 })
    expect(k.messagesOut).toEqual({ value: 1, previous: 0 })
    expect(k.listings).toEqual({ available: 1, sold: 1, rented: 1 })
  })

  it('draws the funnel, the sources and one point per day of the period', async () => {
    const { charts } = await as(marta).dashboard.get(january)
    expect(charts.funnel).toEqual({ created: 5, contacted: 4, qualified: 1, converted: 1, lost: 1 })
    expect(charts.bySource).toEqual([
      { source: 'website', count: 2 },
      { source: 'portal', count: 2 },
      { source: 'referral', count: 1 },
    ])
    expect(charts.overTime).toHaveLength(31)
    expect(charts.overTime.filter((p) => p.count > 0)).toEqual(
      ['2026-01-05', '2026-01-06', '2026-01-08', '2026-01-09', '2026-01-20'].map((day) => ({ day, count: 1 })),
    )
  })

  it('an agent sees their own figures; a manager can narrow to one agent; an agent cannot ask for another', async () => {
    const mine = (await as(xavier).dashboard.get(january)).kpis
    expect([
      mine.newLeads.value,
      mine.contacted.value,
      mine.converted.value,
      mine.medianFirstContactMinutes.value,
      mine.messagesIn.value,
    ]).toEqual([2, 2, 1, 75, 0])
    const narrowed = (await as(marta).dashboard.get({ ...january, agentId: yara.userId })).kpis
    expect([
      narrowed.newLeads.value,
      narrowed.contacted.value,
      narrowed.lost.value,
      narrowed.medianFirstContactMinutes.value,
      narrowed.messagesIn.value,
      narrowed.messagesOut.value,
    ]).toEqual([2, 1, 1, 10, 1, 1])
    expect(await outcome(as(xavier).dashboard.get({ ...january, agentId: yara.userId }))).toBe('FORBIDDEN')
    expect(await outcome(as(xavier).reports.get({ report: 'agents', ...january, agentId: marta.userId }))).toBe(
      'FORBIDDEN',
    )
    expect(await outcome(as(xavier).dashboard.get({ ...january, agentId: xavier.userId }))).toBe('OK')
  })

  it('refuses a member filter that is not a member of the agency with a field error (400), not a 500', async () => {
    const malformed = await as(marta)
      .dashboard.get({ period: '30d', agentId: 'abc' })
      .catch((x) => x)
    expect([malformed.code, Object.keys(describeError(malformed).fieldErrors)]).toEqual(['BAD_REQUEST', ['agentId']])
    // A real user, of another agency: no figures of theirs to show, and no empty ones shown as if they were.
    const stranger = await as(marta)
      .dashboard.get({ period: '30d', agentId: w.a.agent.userId })
      .catch((x) => x)
    expect(describeError(stranger).fieldErrors).toEqual({ agentId: ['insights.agentUnknown'] })
    expect(await outcome(as(marta).reports.get({ report: 'sources', period: '30d', agentId: w.a.agent.userId }))).toBe(
      'BAD_REQUEST',
    )
  })

  it('lists what needs attention: uncontacted leads past the contact time, contacts waiting, stale reservations', async () => {
    const a = (await as(marta).dashboard.get(january)).attention
    // L3 (never contacted) and L5 (status new but answered on WhatsApp: contacted) → only L3; P2 too (previous period).
    expect(a.leads.items.map((l) => l.name).sort()).toEqual(['L3', 'P2'])
    expect(a.conversations.items.map((c) => c.contact)).toEqual(['Sem resposta'])
    const yaras = (await as(yara).dashboard.get(january)).attention
    // An agent's list: their own and unassigned leads.
    expect(yaras.leads.items.map((l) => l.name).sort()).toEqual(['L3', 'P2'])
    expect((await as(xavier).dashboard.get(january)).attention.leads.items.map((l) => l.name)).toEqual(['P2'])
    // The waiting conversation is Xavier's: Yara never sees it.
    expect(yaras.conversations.total).toBe(0)
    expect((await as(xavier).dashboard.get(january)).attention.conversations.total).toBe(1)
  })

  it('rejects a bad custom period with field errors (400), not a 500', async () => {
    const e = await as(marta)
      .dashboard.get({ period: 'custom', from: '2026-02-01', to: '2026-01-01' })
      .catch((x) => x)
    expect(describeError(e).fieldErrors).toEqual({ to: ['validation.dateOrder'] })
    expect(await outcome(as(marta).dashboard.get({ period: 'custom', from: '2026-01-01' }))).toBe('BAD_REQUEST')
  })

  it('the activity feed shows what happened, newest first, only what the reader may see', async () => {
    const feed = await as(marta).dashboard.activity()
    expect(feed[0]).toMatchObject({ entity: 'property', kind: 'status_changed', name: 'Q3 · Q3' })
    expect(
      feed.some((i) => i.entity === 'conversation' && i.kind === 'message_in' && i.data.preview === 'Oi, vi o anúncio'),
    ).toBe(true)
    const xaviers = await as(xavier).dashboard.activity()
    // Xavier sees his leads and the unassigned ones, never Yara's (L3, L4) nor her conversation, only his own.
    expect(new Set(xaviers.filter((i) => i.entity === 'lead').map((i) => i.name))).toEqual(new Set(['L1', 'L2', 'P1']))
    expect(xaviers.filter((i) => i.entity === 'conversation').map((i) => i.name)).toEqual(['Sem resposta'])
  })
})

// Ties keep the sources' declared order (website, portal, …).
describe('reports', () => {
  const report = (
    p: Persona,
    r: 'sources' | 'pipeline' | 'lost' | 'agents' | 'listings' | 'listings_monthly',
    extra: Record<string, unknown> = {},
  ) => as(p).reports.get({ report: r, ...january, ...extra })

  it('lead sources: count, share, contacted %, converted %, median first contact', async () => {
    expect((await report(marta, 'sources')).rows).toEqual([
      { source: 'website', leads: 2, share: 0.4, contactedRate: 1, convertedRate: 0.5, medianFirstContact: 75 },
      { source: 'portal', leads: 2, share: 0.4, contactedRate: 0.5, convertedRate: 0, medianFirstContact: 10 },
      { source: 'referral', leads: 1, share: 0.2, contactedRate: 1, convertedRate: 0, medianFirstContact: 1440 },
    ])
  })

  it('pipeline: now, reached, conversion from the stage before, median days in the stage', async () => {
    const rows = (await report(marta, 'pipeline')).rows
    const day = (minutes: number) => minutes / 1440
    expect(rows.map((r) => [r.status, r.now, r.reached, r.fromPrevious])).toEqual([
      ['new', 2, 5, null],
      ['contacted', 1, 4, 0.8],
      ['qualified', 0, 1, 0.25],
      ['converted', 1, 1, 1],
      ['lost', 1, 1, 0.2],
    ])
    // Completed stays in `new`: 30 min (L1), 120 min (L2), 10 min (L4) → 30 min.
    expect(rows[0]!.medianDaysInStage).toBeCloseTo(day(30), 6)
    // In `contacted`: L1 01-05 12:30 → 01-07 12:00 (2850 min); L4 01-09 09:10 → 01-12 09:00 (4310 min).
    expect(rows[1]!.medianDaysInStage).toBeCloseTo(day((2850 + 4310) / 2), 6)
    expect(rows[2]!.medianDaysInStage).toBeCloseTo(3, 6)
  })

  it('lost reasons', async () => {
    expect((await report(marta, 'lost')).rows).toEqual([{ reason: 'budget', leads: 1, share: 1 }])
  })

  it('agent performance: leads, contacted within 1 h / 24 h, converted, median WhatsApp first response', async () => {
    expect((await report(marta, 'agents')).rows).toEqual([
      {
        agent: 'Xavier Agente',
        leads: 2,
        contactedWithin1h: 0.5,
        contactedWithin24h: 1,
        converted: 1,
        medianFirstResponse: null,
      },
      {
        agent: 'Yara Agente',
        leads: 2,
        contactedWithin1h: 0.5,
        contactedWithin24h: 0.5,
        converted: 0,
        medianFirstResponse: 1380,
      },
      {
        agent: 'Marta Gestora',
        leads: 0,
        contactedWithin1h: null,
        contactedWithin24h: null,
        converted: 0,
        medianFirstResponse: null,
      },
    ])
    // An agent's report is their own line.
    expect((await report(yara, 'agents')).rows.map((r) => r.agent)).toEqual(['Yara Agente'])
  })

  it('listings by status, type and neighbourhood with days on market; sold and rented per month', async () => {
    const rows = (await report(marta, 'listings')).rows
    const daysSinceQ1 = (Date.now() - Date.parse('2026-01-02T12:00Z')) / 86_400_000
    expect(rows.map((r) => [r.status, r.type, r.neighbourhood, r.listings])).toEqual([
      ['available', 'apartment', 'Pinheiros', 1],
      ['sold', 'house', 'Moema', 1],
      ['rented', 'apartment', 'Pinheiros', 1],
    ])
    expect(rows[0]!.medianDaysOnMarket).toBeCloseTo(daysSinceQ1, 1)
    expect(rows[1]!.medianDaysOnMarket).toBeCloseTo(75, 6)
    expect(rows[2]!.medianDaysOnMarket).toBeCloseTo(71, 6)
    expect((await report(marta, 'listings_monthly')).rows).toEqual([{ month: '2026-01', sold: 1, rented: 0 }])
    expect((await report(marta, 'listings_monthly', { from: '2026-01-01', to: '2026-02-28' })).rows).toEqual([
      { month: '2026-01', sold: 1, rented: 0 },
      { month: '2026-02', sold: 0, rented: 1 },
    ])
  })
})

describe('notifications', () => {
  it('a lead assigned to an agent notifies that agent only; read one / all; never another member’s', async () => {
    const lead = await as(marta).leads.create({
      data: leadData({ name: 'Novo lead da Yara', phones: ['11 97777-1111'], assignedTo: yara.userId }),
    })
    const list = await as(yara).notifications.list()
    expect(list.unread).toBe(1)
    expect(list.items[0]).toMatchObject({
      kind: 'lead_assigned',
      entity: 'lead',
      entityId: lead.id,
      data: { name: 'Novo lead da Yara' },
    })
    expect((await as(marta).notifications.list()).items).toEqual([])
    expect(await outcome(as(marta).notifications.markRead({ id: list.items[0]!.id }))).toBe('NOT_FOUND')
    // Even the database refuses: RLS keeps a member to their own rows.
    const [seen] = await w.t.app.db.transaction(async (tx) => {
      await tx.execute(
        sql`select set_config('app.agency_id', ${agencyId}, true), set_config('app.user_id', ${marta.userId}, true)`,
      )
      await tx.execute(sql`set local role app_rls`)
      return tx.execute<{ n: number }>(sql`select count(*)::int as n from notifications`)
    })
    expect(seen!.n).toBe(0)
    await as(yara).notifications.markRead({ id: list.items[0]!.id })
    expect(await as(yara).notifications.unread()).toBe(0)
    // Assigning to oneself does not notify.
    await as(yara).leads.create({
      data: leadData({ name: 'Meu lead', phones: ['11 97777-2222'], assignedTo: yara.userId }),
    })
    expect(await as(yara).notifications.unread()).toBe(0)
  })

  it('pages through notifications raised at one instant without skipping or repeating any', async () => {
    await w.t.owner.db.execute(sql`
      insert into notifications (agency_id, user_id, kind, entity, entity_id, data, created_at, updated_at)
      select ${agencyId}, ${yara.userId}, 'lead_waiting', 'lead', gen_random_uuid(), jsonb_build_object('name', 'Lote ' || i, 'hours', 48), '2025-06-01T12:00Z', '2025-06-01T12:00Z'
      from generate_series(1, 70) i`)
    const seen: string[] = []
    let page = await as(yara).notifications.list()
    for (;;) {
      seen.push(...page.items.filter((n) => String(n.data.name).startsWith('Lote ')).map((n) => n.id))
      if (!page.hasMore) break
      const last = page.items.at(-1)!
      page = await as(yara).notifications.list({ before: last.updatedAt, beforeId: last.id })
    }
    expect(seen).toHaveLength(70)
    expect(new Set(seen).size).toBe(70)
  })

  it('preferences: a kind switched off in-app does not reach the bell; e-mail ones wait for the digest', async () => {
    const prefs = await as(xavier).notifications.preferences()
    expect(prefs.lead_assigned).toEqual({ inApp: true, email: true, push: true })
    await as(xavier).notifications.setPreferences({ ...prefs, lead_assigned: { inApp: false, email: true } })
    await as(marta).leads.create({
      data: leadData({ name: 'Lead por e-mail', phones: ['11 97777-3333'], assignedTo: xavier.userId }),
    })
    expect(await as(xavier).notifications.unread()).toBe(0)
    const [row] = await w.t.owner.db.execute<{ in_app: boolean; email_state: string }>(
      sql`select in_app, email_state from notifications where user_id = ${xavier.userId} order by created_at desc limit 1`,
    )
    expect(row).toEqual({ in_app: false, email_state: 'pending' })
  })

  it('accepting an invitation notifies whoever invited', async () => {
    await as(marta).members.invite({ email: 'nova.corretora@example.test', role: 'agent' })
    const mails = (await queuedPayloads<{ to: string; text: string }>(w.t, 'email:send')).filter(
      (m) => m.to === 'nova.corretora@example.test',
    )
    const token = /invite\/([\w-]+)/.exec(mails.at(-1)!.text)![1]!
    await acceptInvitation(
      { db: w.t.app.db, auth: w.auth, identity: null, ip: null },
      { token, name: 'Nova Corretora', password: PASSWORD, confirm: PASSWORD },
    )
    const items = (await as(marta).notifications.list()).items
    expect(items.find((i) => i.kind === 'invitation_accepted')).toMatchObject({
      entity: 'member',
      data: { email: 'nova.corretora@example.test', role: 'agent' },
    })
  })

  it('the sweep announces a lead past the contact time once, to its owner; old backlogs stay on the dashboard only', async () => {
    const o = w.t.owner.db
    const [fresh] = await o.execute<{ id: string }>(
      sql`insert into leads (agency_id, name, source, assigned_to, created_at) values (${agencyId}, 'Esperando', 'website', ${xavier.userId}, now() - interval '3 hours') returning id`,
    )
    const [old] = await o.execute<{ id: string }>(
      sql`insert into leads (agency_id, name, source, assigned_to, created_at) values (${agencyId}, 'Antigo', 'website', ${xavier.userId}, now() - interval '10 days') returning id`,
    )
    const sweep = () => withAgency(w.t.app.db, { agencyId, userId: null }, (tx) => notifyWaitingLeads(tx, { agencyId }))
    expect(await sweep()).toBe(1)
    expect(await sweep()).toBe(0)
    const items = (await as(xavier).notifications.list()).items.filter((n) => n.kind === 'lead_waiting')
    expect(items.map((n) => [n.entityId, n.data])).toEqual([[fresh!.id, { name: 'Esperando', hours: 2 }]])
    expect(items.some((n) => n.entityId === old!.id)).toBe(false)
  })

  it('e-mail digests: one per member with everything pending, once', async () => {
    const take = (olderThan: Date) =>
      withAgency(w.t.app.db, { agencyId, userId: null }, (tx) => takeEmailDigests(tx, { agencyId, olderThan }))
    // Nothing has settled yet when the window reaches back before it was raised.
    expect(await take(new Date(Date.now() - 3_600_000))).toEqual([])
    const digests = await take(new Date(Date.now() + 1000))
    const xaviers = digests.find((d) => d.user.id === xavier.userId)!
    // Xavier chose e-mail for assignments (with the bell off) and gets lead-waiting e-mails by default.
    expect(xaviers.items.map((i) => i.kind).sort()).toEqual(['lead_assigned', 'lead_waiting'])
    const mail = notificationDigestEmail({
      agencyName: 'Imobiliária Contas',
      locale: 'pt-BR',
      settingsUrl: 'http://crm.test/profile',
      items: xaviers.items.map((i) => ({
        kind: i.kind,
        count: i.count,
        data: i.data,
        url: `http://crm.test${notificationPath(i)}`,
      })),
    })
    expect(mail.subject).toBe('Imobiliária Contas: 2 novidades no Impera CRM')
    expect(mail.text).toContain('Lead atribuído a você: Lead por e-mail')
    expect(mail.text).toContain('Esperando está sem contato há mais de 2 h')
    expect(mail.text).toMatch(/http:\/\/crm\.test\/app\/leads\/[0-9a-f-]{36}/)
    expect(await take(new Date(Date.now() + 1000))).toEqual([])
  })
})

describe('platform overview', () => {
  it('shows every agency from daily counts, flags the quiet ones, and is for platform staff only', async () => {
    const owner = w.t.owner.db
    const quiet = (await insertAgency(owner, { name: 'Imobiliária Quieta' })).id
    await addMember(owner, { agencyId: quiet, userId: (await insertUser(owner)).id, role: 'manager' })
    await owner.execute(
      sql`insert into leads (agency_id, name, source, created_at) values (${quiet}, 'Velho', 'website', now() - interval '60 days')`,
    )
    const o = await w.caller(w.admin).admin.overview()
    // Its only lead is 60 days old and nobody has signed in: at risk on both counts.
    expect(o.agencies.find((a) => a.id === quiet)).toMatchObject({
      name: 'Imobiliária Quieta',
      members: 1,
      activeUsers: 0,
      leads30: 0,
      risks: ['no_active_users', 'no_activity'],
    })
    const alfa = o.agencies.find((a) => a.id === w.a.agencyId)!
    // Agency A's manager signed in (fixture), and its fixture leads were created today.
    expect(alfa.activeUsers).toBe(1)
    expect(alfa.leads30).toBeGreaterThanOrEqual(3)
    expect(o.daily).toHaveLength(30)
    expect(o.daily.at(-1)!.leads).toBeGreaterThan(0)
    expect(await outcome(as(marta).admin.overview())).toBe('FORBIDDEN')
  })
})

describe('message counts at the edges of a period', () => {
  it('equal a direct count for any period, though whole UTC days come from the daily stats', async () => {
    const o = w.t.owner.db
    const edges = (await insertAgency(o, { name: 'Imobiliária Bordas', timezone: 'America/Sao_Paulo' })).id
    const boss = persona(await insertUser(o, { name: 'Bia Bordas' }))
    await addMember(o, { agencyId: edges, userId: boss.userId, role: 'manager' })
    const [account] = await o.execute<{ id: string }>(
      sql`insert into whatsapp_accounts (agency_id, provider, label, phone_number_id, display_number) values (${edges}, 'sandbox', 'Bordas', 'sandbox-bordas', '+55 11 90000-0001') returning id`,
    )
    const [conversation] = await o.execute<{ id: string }>(
      sql`insert into whatsapp_conversations (agency_id, account_id, contact_phone) values (${edges}, ${account!.id}, '+5511955554444') returning id`,
    )
    // Every 5 h 7 min from 1 March: messages land at every hour of the day, so both sides of UTC and São Paulo
    // midnight (03:00 UTC) are crossed many times; one insert per statement like the app does, and a bulk one.
    await o.execute(sql`insert into whatsapp_messages (agency_id, conversation_id, account_id, direction, type, body, status, created_at)
      select ${edges}, ${conversation!.id}, ${account!.id}, case when i % 3 = 0 then 'outbound'::whatsapp_direction else 'inbound'::whatsapp_direction end, 'text', 'm' || i, 'received',
             '2026-03-01T00:00:00Z'::timestamptz + i * interval '5 hours 7 minutes'
      from generate_series(0, 299) i`)
    for (const at of ['2026-03-10T02:59:59.999Z', '2026-03-10T03:00:00Z', '2026-03-11T00:00:00Z']) {
      await o.execute(
        sql`insert into whatsapp_messages (agency_id, conversation_id, account_id, direction, type, body, status, created_at) values (${edges}, ${conversation!.id}, ${account!.id}, 'inbound', 'text', 'edge', 'received', ${at})`,
      )
    }
    const direct = async (from: Date, to: Date, direction: string) => {
      const [r] = await o.execute<{ n: number }>(
        sql`select count(*)::int as n from whatsapp_messages where agency_id = ${edges} and direction = ${direction}::whatsapp_direction and created_at >= ${from.toISOString()} and created_at < ${to.toISOString()}`,
      )
      return r!.n
    }
    for (const period of [
      { period: 'custom' as const, from: '2026-03-10', to: '2026-03-10' },
      { period: 'custom' as const, from: '2026-03-05', to: '2026-03-20' },
      { period: 'custom' as const, from: '2026-03-02', to: '2026-04-30' },
      { period: 'custom' as const, from: '2026-02-01', to: '2026-02-28' },
    ]) {
      const d = await w.caller(boss, edges).dashboard.get(period)
      const p = d.period
      const expected = {
        inCur: await direct(new Date(p.from), new Date(p.to), 'inbound'),
        inPrev: await direct(new Date(p.prevFrom), new Date(p.prevTo), 'inbound'),
        outCur: await direct(new Date(p.from), new Date(p.to), 'outbound'),
        outPrev: await direct(new Date(p.prevFrom), new Date(p.prevTo), 'outbound'),
      }
      expect(
        {
          inCur: d.kpis.messagesIn.value,
          inPrev: d.kpis.messagesIn.previous,
          outCur: d.kpis.messagesOut.value,
          outPrev: d.kpis.messagesOut.previous,
        },
        JSON.stringify(period),
      ).toEqual(expected)
    }
    // Sanity: the 10th of March (São Paulo) holds the 03:00 UTC message but not the one a millisecond before.
    const tenth = await w.caller(boss, edges).dashboard.get({ period: 'custom', from: '2026-03-10', to: '2026-03-10' })
    expect(tenth.kpis.messagesIn.value).toBeGreaterThan(0)
  })
})

describe('leads moved to a status, counted once per lead and period', () => {
  it('equal a direct count of distinct leads for any period, with repeated, simultaneous and late-recorded moves', async () => {
    const o = w.t.owner.db
    const loops = (await insertAgency(o, { name: 'Imobiliária Voltas', timezone: 'America/Sao_Paulo' })).id
    const boss = persona(await insertUser(o, { name: 'Vera Voltas' }))
    await addMember(o, { agencyId: loops, userId: boss.userId, role: 'manager' })
    const ids: Record<string, string> = {}
    for (const key of ['R1', 'R2', 'R3', 'R4']) {
      const [row] = await o.execute<{ id: string }>(
        sql`insert into leads (agency_id, name, source, created_at, updated_at) values (${loops}, ${key}, 'website', '2026-01-15T12:00Z', '2026-01-15T12:00Z') returning id`,
      )
      ids[key] = row!.id
    }
    // Recorded the way the app records them: one insert per move, as the tenant role (the trigger runs as it).
    const move = (key: string, to: string, at: string) =>
      withAgency(w.t.app.db, { agencyId: loops, userId: boss.userId }, (tx) =>
        tx.execute(
          sql`insert into lead_events (agency_id, lead_id, kind, data, at) values (${loops}, ${ids[key]!}, 'status_changed', ${JSON.stringify({ from: 'contacted', to })}::jsonb, ${at})`,
        ),
      )
    // R1 qualifies, falls back and qualifies again within March, then converts.
    await move('R1', 'qualified', '2026-03-02T12:00Z')
    await move('R1', 'contacted', '2026-03-03T12:00Z')
    await move('R1', 'qualified', '2026-03-05T12:00Z')
    await move('R1', 'converted', '2026-03-20T12:00Z')
    // R2 qualified in February and again in March: once in each month.
    await move('R2', 'qualified', '2026-02-10T12:00Z')
    await move('R2', 'qualified', '2026-03-04T12:00Z')
    // R3: lost twice at the same instant.
    await move('R3', 'lost', '2026-03-07T12:00Z')
    await move('R3', 'lost', '2026-03-07T12:00Z')
    // R4: the 15 March move is recorded first, the 9 March one (an import, a late transaction) after it.
    await move('R4', 'qualified', '2026-03-15T12:00Z')
    await move('R4', 'qualified', '2026-03-09T12:00Z')
    const direct = async (from: Date, to: Date, status: string) => {
      const [r] = await o.execute<{ n: number }>(
        sql`select count(distinct lead_id)::int as n from lead_events where agency_id = ${loops} and kind = 'status_changed' and data->>'to' = ${status} and at >= ${from.toISOString()} and at < ${to.toISOString()}`,
      )
      return r!.n
    }
    for (const period of [
      { period: 'custom' as const, from: '2026-03-01', to: '2026-03-31' },
      { period: 'custom' as const, from: '2026-03-05', to: '2026-03-12' },
      { period: 'custom' as const, from: '2026-03-10', to: '2026-03-20' },
      { period: 'custom' as const, from: '2026-02-01', to: '2026-03-31' },
      { period: 'custom' as const, from: '2026-03-07', to: '2026-03-07' },
    ]) {
      const d = await w.caller(boss, loops).dashboard.get(period)
      const p = d.period
      for (const status of ['qualified', 'converted', 'lost'] as const) {
        const expected = {
          value: await direct(new Date(p.from), new Date(p.to), status),
          previous: await direct(new Date(p.prevFrom), new Date(p.prevTo), status),
        }
        expect(d.kpis[status], `${status} ${JSON.stringify(period)}`).toEqual(expected)
      }
    }
    // By hand for March: R1, R2 and R4 qualified (R1 twice, R4 recorded out of order), R3 lost once, R1 converted.
    const march = await w.caller(boss, loops).dashboard.get({ period: 'custom', from: '2026-03-01', to: '2026-03-31' })
    expect([march.kpis.qualified.value, march.kpis.lost.value, march.kpis.converted.value]).toEqual([3, 1, 1])
  })
})
