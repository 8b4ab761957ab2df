import { sql } from '@impera/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeError } from '../src/error-shape'
import {
  clientSortValues,
  conversationSortValues,
  encodeCursor,
  leadSortValues,
  propertySortValues,
} from '../src/schemas'
import { COUNT_CAP } from '../src/services/list-query'
import { buildWorld, leadData, propertyData, type World } from './harness'

let w: World
beforeAll(async () => {
  w = await buildWorld()
  const o = w.t.owner.db
  const a = w.a.agencyId
  // 40 leads with repeated names, shared timestamps (ties broken by id), and gaps (no e-mail, budget, first contact),
  // so every sort crosses ties and nulls on the way through the pages.
  await o.execute(sql`
    insert into leads (agency_id, name, phones, email, source, status, interest, budget_max, tags, assigned_to, created_at, updated_at)
    select ${a}, (array['Ana', 'Bruno', 'ana', 'Álvaro', 'Zeca'])[1 + i % 5] || ' Lista',
           array['+55119' || lpad(i::text, 8, '0')],
           case when i % 3 = 0 then null else 'l' || i || '@lista.test' end,
           (array['website', 'portal', 'referral']::lead_source[])[1 + i % 3],
           (array['new', 'contacted', 'qualified', 'lost']::lead_status[])[1 + i % 4],
           case when i % 4 = 0 then null when i % 2 = 0 then 'buy'::lead_interest else 'rent'::lead_interest end,
           case when i % 5 = 0 then null else (i % 7) * 10000000 end,
           case when i % 6 = 0 then array['vip'] when i % 6 = 1 then array['frio', 'permuta'] else '{}'::text[] end,
           case when i % 2 = 0 then ${w.a.agent.userId}::uuid else null end,
           '2026-01-01T12:00:00Z'::timestamptz + (i / 4) * interval '1 hour' + (i % 4) * interval '1 microsecond' * (case when i % 8 < 4 then 0 else 1 end),
           '2026-02-01T12:00:00Z'::timestamptz + (i % 10) * interval '1 day'
    from generate_series(1, 40) i`)
  await o.execute(
    sql`update leads set status = 'contacted', first_contact_at = created_at + interval '2 hours' where agency_id = ${a} and name like 'Bruno%'`,
  )
})
afterAll(() => w.t.close())

const manager = () => w.caller(w.a.manager, w.a.agencyId)
const agent = () => w.caller(w.a.agent, w.a.agencyId)

interface PageResult {
  rows: { id: string }[]
  next: string | null
  prev: string | null
}

/** Walks a list forward page by page, then back from the last page, and checks both walks against one big page. */
async function walk(
  list: (paging: { pageSize: number; after?: string; before?: string }) => Promise<PageResult>,
  label: string,
) {
  const all = (await list({ pageSize: 100 })).rows.map((r) => r.id)
  const forward: string[] = []
  let page = await list({ pageSize: 5 })
  expect(page.prev, label).toBeNull()
  const pages = [page]
  forward.push(...page.rows.map((r) => r.id))
  while (page.next) {
    page = await list({ pageSize: 5, after: page.next })
    pages.push(page)
    forward.push(...page.rows.map((r) => r.id))
  }
  expect(forward, `${label}: forward`).toEqual(all)
  const backward: string[] = [...page.rows.map((r) => r.id)]
  while (page.prev) {
    page = await list({ pageSize: 5, before: page.prev })
    expect(page.rows.length, `${label}: full pages going back`).toBe(5)
    backward.unshift(...page.rows.map((r) => r.id))
  }
  expect(backward, `${label}: backward`).toEqual(all)
  expect(page.next === null ? pages.length : page.next, label).toBeTruthy()
  return all
}

describe('keyset pagination', () => {
  it('walks the leads list forward and back in every sort and direction without skipping or repeating a row', async () => {
    for (const sort of leadSortValues) {
      for (const dir of ['asc', 'desc'] as const) {
        const all = await walk((p) => manager().leads.list({ sort, dir, ...p }), `leads ${sort} ${dir}`)
        expect(new Set(all).size).toBe(all.length)
        expect(all.length).toBe((await manager().leads.list({ sort, dir })).total.count)
      }
    }
  })

  it('orders by the column asked for, empty values last in both directions', async () => {
    const byBudget = (await manager().leads.list({ sort: 'budget', dir: 'desc', pageSize: 100, q: 'Lista' })).rows.map(
      (r) => r.budgetMax,
    )
    const firstNull = byBudget.indexOf(null)
    expect(firstNull).toBeGreaterThan(0)
    expect(byBudget.slice(firstNull).every((b) => b === null)).toBe(true)
    expect(byBudget.slice(0, firstNull)).toEqual([...byBudget.slice(0, firstNull)].sort((x, y) => y! - x!))
    const byStatus = (await manager().leads.list({ sort: 'status', dir: 'asc', pageSize: 100, q: 'Lista' })).rows.map(
      (r) => r.status,
    )
    // Names sort as people read them: accents and case do not push "Álvaro" or "ana" after "Zeca".
    const byName = (await manager().leads.list({ sort: 'name', dir: 'asc', pageSize: 100, q: 'Lista' })).rows.map(
      (r) => r.name.split(' ')[0]!,
    )
    expect([...new Set(byName.map((n) => n.toLowerCase()))]).toEqual(['álvaro', 'ana', 'bruno', 'zeca'])
    // Statuses sort in pipeline order, not alphabetically.
    expect([...new Set(byStatus)]).toEqual(['new', 'contacted', 'qualified', 'lost'])
  })

  it('walks clients, properties and conversations in every sort', async () => {
    const m = manager()
    for (const [i, city] of ['Santos', null, 'Campinas', 'Santos', null, 'Osasco', 'Santos'].entries()) {
      await m.clients.create({
        data: {
          name: `Cliente Lista ${i % 3}`,
          types: ['buyer'],
          phones: [`11 97000-00${10 + i}`],
          email: i % 2 ? `c${i}@lista.test` : null,
          document: null,
          city,
          tags: i % 2 ? ['vip'] : [],
          assignedTo: null,
        },
      })
      await m.properties.create({
        data: propertyData({
          title: `Imóvel Lista ${i % 3}`,
          purpose: i % 3 === 0 ? 'rent' : 'sale',
          salePrice: i % 3 === 0 ? null : (i % 4) * 10_000_000,
          rentPrice: i % 3 === 0 ? 300_000 : null,
          bedrooms: i % 4 || null,
          city: city ?? '',
          neighbourhood: i % 2 ? 'Centro' : 'Gonzaga',
          builtArea: i % 2 ? '50' : '',
        }),
      })
    }
    const o = w.t.owner.db
    await o.execute(sql`
      insert into whatsapp_conversations (agency_id, account_id, contact_phone, contact_name, last_message_at, last_inbound_at)
      select ${w.a.agencyId}, ${w.a.waAccountId}, '+5511955' || lpad(i::text, 6, '0'), case when i % 3 = 0 then null else 'Contato ' || (i % 4) end,
             case when i % 5 = 0 then null else '2026-03-01T00:00:00Z'::timestamptz + (i % 3) * interval '1 hour' end,
             case when i % 2 = 0 then null else '2026-03-01T00:00:00Z'::timestamptz + (i % 3) * interval '1 hour' end
      from generate_series(1, 14) i`)
    for (const sort of clientSortValues)
      for (const dir of ['asc', 'desc'] as const)
        await walk((p) => m.clients.list({ sort, dir, ...p }), `clients ${sort} ${dir}`)
    for (const sort of propertySortValues)
      for (const dir of ['asc', 'desc'] as const)
        await walk((p) => m.properties.list({ sort, dir, ...p }), `properties ${sort} ${dir}`)
    for (const sort of conversationSortValues)
      for (const dir of ['asc', 'desc'] as const)
        await walk((p) => m.whatsapp.conversations({ sort, dir, ...p }), `conversations ${sort} ${dir}`)
  })

  it('refuses a broken cursor, or one made for another order, with a 400 that says so', async () => {
    const garbage = await manager()
      .leads.list({ after: 'not-a-cursor' } as never)
      .catch((e) => e)
    expect(garbage.code).toBe('BAD_REQUEST')
    expect(describeError(garbage).fieldErrors).toEqual({ after: ['lists.badCursor'] })
    const first = await manager().leads.list({ sort: 'name', dir: 'asc', pageSize: 5 })
    const mismatched = await manager()
      .leads.list({ sort: 'createdAt', dir: 'asc', after: first.next! } as never)
      .catch((e) => e)
    expect(describeError(mismatched).fieldErrors).toEqual({ after: ['lists.badCursor'] })
    const forged = encodeCursor({ sort: 'createdAt', dir: 'desc', key: 'not a date', id: crypto.randomUUID() })
    const bad = await manager()
      .leads.list({ after: forged } as never)
      .catch((e) => e)
    expect(bad.code).toBe('BAD_REQUEST')
    expect(describeError(bad).fieldErrors).toEqual({ after: ['lists.badCursor'] })
  })
})

describe('filters', () => {
  it('composes status, source, assignee, tags, interest and date ranges, inside what the actor may see', async () => {
    const m = manager()
    const rows = async (input: Record<string, unknown>) =>
      (await m.leads.list({ q: 'Lista', pageSize: 100, ...input })).rows
    const vip = await rows({ tags: ['vip'] })
    expect(vip.length).toBe(6)
    expect(vip.every((r) => r.tags.includes('vip'))).toBe(true)
    expect((await rows({ tags: ['vip', 'permuta'] })).length).toBe(13)
    // i % 4 = 2 (qualified, buy, the agent's) and i % 3 = 1 (portal): i = 10, 22, 34.
    const combined = await rows({
      status: ['qualified', 'lost'],
      source: ['portal'],
      interest: 'buy',
      assignee: w.a.agent.userId,
    })
    expect(combined.length).toBe(3)
    expect(
      combined.every(
        (r) =>
          ['qualified', 'lost'].includes(r.status) &&
          r.source === 'portal' &&
          r.interest === 'buy' &&
          r.assignedTo === w.a.agent.userId,
      ),
    ).toBe(true)
    const updated = await rows({
      updatedFrom: new Date('2026-02-03T00:00:00Z'),
      updatedTo: new Date('2026-02-05T00:00:00Z'),
    })
    expect(updated.length).toBe(8)
    expect(
      updated.every(
        (r) => r.updatedAt >= new Date('2026-02-03T00:00:00Z') && r.updatedAt < new Date('2026-02-05T00:00:00Z'),
      ),
    ).toBe(true)
    const created = await rows({
      createdFrom: new Date('2026-01-01T14:00:00Z'),
      createdTo: new Date('2026-01-01T15:00:00Z'),
    })
    expect(created.length).toBe(4)
    // The agent sees their own and unassigned leads only, whatever the filters ask for.
    const agents = (await agent().leads.list({ q: 'Lista', pageSize: 100 })).rows
    expect(agents.every((r) => r.assignedTo === null || r.assignedTo === w.a.agent.userId)).toBe(true)
    expect((await agent().leads.list({ q: 'Lista', assignee: w.a.manager.userId })).rows).toEqual([])
  })

  it('filters clients by city, tags and dates, properties by city and update date, conversations by link and waiting state', async () => {
    const m = manager()
    const santos = (await m.clients.list({ city: 'santos', pageSize: 100 })).rows
    expect(santos.length).toBe(3)
    expect((await m.clients.list({ tags: ['vip'], q: 'Cliente Lista', pageSize: 100 })).rows.length).toBe(3)
    expect((await m.clients.list({ createdFrom: new Date(Date.now() + 3600_000) })).rows).toEqual([])
    expect((await m.properties.list({ city: 'campinas' })).rows.map((p) => p.city)).toEqual(['Campinas'])
    expect((await m.properties.list({ updatedTo: new Date('2020-01-01') })).rows).toEqual([])
    const o = w.t.owner.db
    const [c] = await o.execute<{ id: string }>(
      sql`select id from whatsapp_conversations where agency_id = ${w.a.agencyId} and contact_phone = '+5511955000001'`,
    )
    await o.execute(
      sql`update whatsapp_conversations set lead_id = ${w.a.leadId}, last_inbound_received_at = now(), last_outbound_at = now() - interval '1 hour' where id = ${c!.id}`,
    )
    const linked = (await m.whatsapp.conversations({ linked: 'lead', pageSize: 100 })).rows
    expect(linked.map((r) => r.id)).toContain(c!.id)
    expect(linked.every((r) => r.leadId !== null)).toBe(true)
    expect(
      (await m.whatsapp.conversations({ linked: 'none', pageSize: 100 })).rows.every(
        (r) => r.leadId === null && r.clientId === null,
      ),
    ).toBe(true)
    const waiting = (await m.whatsapp.conversations({ waiting: true, pageSize: 100 })).rows
    expect(waiting.map((r) => r.id)).toContain(c!.id)
    expect(waiting.every((r) => r.waiting)).toBe(true)
    expect(
      (await m.whatsapp.conversations({ assignee: w.a.agent.userId })).rows.every(
        (r) => r.assignedTo === w.a.agent.userId,
      ),
    ).toBe(true)
  })

  it('lists exactly what the dashboard says needs attention: overdue leads, stale reservations, waiting chats', async () => {
    const o = w.t.owner.db
    const a = w.a.agencyId
    // Every lead and listing so far is old enough to count: give the rule one of each it must leave out.
    await o.execute(
      sql`update leads set created_at = now() - interval '1 hour' where agency_id = ${a} and name = 'Zeca Lista' and status = 'new'`,
    )
    const [listing] = await o.execute<{ id: string }>(
      sql`update properties set status = 'reserved', status_changed_at = now() - interval '60 days', updated_at = now() - interval '60 days'
          where id = (select id from properties where agency_id = ${a} and deleted_at is null order by created_at limit 1) returning id`,
    )
    for (const persona of [w.a.manager, w.a.agent]) {
      const as = w.caller(persona, a)
      const { attention } = await as.dashboard.get({ period: '30d' })
      const overdue = await as.leads.list({ overdue: true, pageSize: 100 })
      expect(overdue.total).toEqual({ count: attention.leads.total, exact: true })
      expect(overdue.rows.every((r) => r.status === 'new' && r.firstContactAt === null)).toBe(true)
      expect(overdue.rows.some((r) => r.name === 'Zeca Lista' && r.status === 'new')).toBe(false)
      const stale = await as.properties.list({ stale: true, pageSize: 100 })
      expect(stale.total).toEqual({ count: attention.properties.total, exact: true })
      const waiting = await as.whatsapp.conversations({ waiting: true, pageSize: 100 })
      expect(waiting.total).toEqual({ count: attention.conversations.total, exact: true })
    }
    const { attention } = await manager().dashboard.get({ period: '30d' })
    expect(attention.leads.total * attention.properties.total * attention.conversations.total).toBeGreaterThan(0)
    expect((await manager().properties.list({ stale: true })).rows.map((p) => p.id)).toContain(listing!.id)
    // As the URL carries them; anything else is a field error.
    expect((await manager().leads.list({ overdue: 'true' as never })).total.count).toBeGreaterThan(0)
    expect(
      describeError(
        await manager()
          .leads.list({ overdue: 'yes' as never })
          .catch((e: unknown) => e),
      ).code,
    ).toBe('BAD_REQUEST')
  })
})

describe('the leads export (CSV)', () => {
  async function exportAll(caller: ReturnType<typeof manager>, input: Parameters<typeof caller.leads.exportPage>[0]) {
    const rows: Awaited<ReturnType<typeof caller.leads.exportPage>>['rows'] = []
    let pages = 0
    let page = await caller.leads.exportPage(input)
    for (;;) {
      pages++
      rows.push(...page.rows)
      if (!page.next) return { rows, pages }
      page = await caller.leads.exportPage({ ...input, after: page.next })
    }
  }

  it("has the list's rows in the list's order, a thousand a page, inside what the actor may see", async () => {
    // Enough leads that the export takes more than one page.
    await w.t.owner.db.execute(sql`
      insert into leads (agency_id, name, phones, source, assigned_to, created_at)
      select ${w.a.agencyId}, 'Exportado ' || i, array['+55118' || lpad(i::text, 8, '0')], 'website',
             case when i % 3 = 0 then ${w.a.agent.userId}::uuid else ${w.a.manager.userId}::uuid end,
             '2026-03-01T00:00:00Z'::timestamptz + i * interval '1 second'
      from generate_series(1, 1100) i`)
    const all = await exportAll(manager(), { q: 'Exportado', sort: 'createdAt', dir: 'asc' })
    expect(all.pages).toBe(2)
    expect(all.rows.map((r) => r.name)).toEqual(Array.from({ length: 1100 }, (_, i) => `Exportado ${i + 1}`))
    // The same filters and order as the list.
    const listed = await manager().leads.list({ q: 'Lista', sort: 'budget', dir: 'desc', pageSize: 100 })
    const exported = await exportAll(manager(), { q: 'Lista', sort: 'budget', dir: 'desc' })
    expect(exported.rows.map((r) => r.id)).toEqual(listed.rows.map((r) => r.id))
    // An agent who sees only their own leads (and unowned ones: none here) exports only those.
    await w.t.owner.db.execute(sql`update agencies set agents_see_all = false where id = ${w.a.agencyId}`)
    const theirs = await exportAll(agent(), { q: 'Exportado' })
    expect(theirs.rows).toHaveLength(366)
    const [own] = await w.t.owner.db.execute<{ n: number }>(
      sql`select count(*)::int as n from leads where agency_id = ${w.a.agencyId} and name like 'Exportado%' and assigned_to = ${w.a.agent.userId}`,
    )
    expect(own!.n).toBe(366)
    // Each row carries the qualification with its sources, the score's reasons and the summary.
    const lead = await manager().leads.create({
      data: leadData({ name: 'Exportado Qualificado', phones: ['+5511987650001'] }),
    })
    await manager().leads.setQualification({ id: lead.id, values: { purpose: 'rent', financing: 'fgts' } })
    const [row] = (await manager().leads.exportPage({ q: 'Exportado Qualificado' })).rows
    expect(row!.qualification).toMatchObject({
      purpose: { value: 'rent', source: 'person' },
      financing: { value: 'fgts', source: 'person' },
    })
    expect(row!.qualificationReasons.length).toBeGreaterThan(0)
    expect(row!.aiSummary).toContain('alugar')
  })
})

describe('the total stays cheap', () => {
  it(`is exact up to ${COUNT_CAP} rows and the planner's estimate, marked as such, beyond`, async () => {
    const o = w.t.owner.db
    const agencyId = w.b.agencyId
    await o.execute(sql`
      insert into leads (agency_id, name, email, created_at)
      select ${agencyId}, 'Volume ' || i, 'v' || i || '@volume.test', now() - i * interval '1 minute' from generate_series(1, ${COUNT_CAP + 500}) i`)
    await o.execute(sql`analyze leads`)
    const big = await w.caller(w.b.manager, w.b.agencyId).leads.list({})
    expect(big.total.exact).toBe(false)
    expect(big.total.count).toBeGreaterThan(COUNT_CAP)
    expect(big.rows).toHaveLength(25)
    const small = await w.caller(w.b.manager, w.b.agencyId).leads.list({ q: 'Volume 1234' })
    expect(small.total).toEqual({ count: small.rows.length, exact: true })
  })
})

describe('saved views', () => {
  it('keeps personal views private and shared views visible to the agency, with only the view keys in the query', async () => {
    const mine = await agent().views.create({
      list: 'leads',
      name: 'Meus novos',
      query: '?status=new&assignee=me&after=abc&junk=1&cols=name,status',
    })
    expect(mine.query).toBe('status=new&assignee=me&cols=name%2Cstatus')
    const shared = await manager().views.create({
      list: 'leads',
      name: 'Portal da semana',
      query: 'source=portal&sort=createdAt&dir=desc',
      shared: true,
    })
    const agentSees = (await agent().views.list({ list: 'leads' })).map((v) => v.name)
    expect(agentSees).toContain('Portal da semana')
    expect(agentSees[0]).toBe('Meus novos')
    expect((await manager().views.list({ list: 'leads' })).map((v) => v.name)).not.toContain('Meus novos')
    expect((await agent().views.list({ list: 'clients' })).map((v) => v.name)).not.toContain('Meus novos')
    // A shared view belongs to its owner: agents cannot change it; a manager may tidy it but not unshare someone's view.
    expect(
      (
        await agent()
          .views.update({ id: shared.id, name: 'Hijacked' })
          .catch((e) => e)
      ).code,
    ).toBe('FORBIDDEN')
    expect(
      (
        await agent()
          .views.delete({ id: shared.id })
          .catch((e) => e)
      ).code,
    ).toBe('FORBIDDEN')
    const agentShared = await agent().views.create({ list: 'leads', name: 'Da Carla', query: 'tags=vip', shared: true })
    expect((await manager().views.update({ id: agentShared.id, name: 'VIPs' })).name).toBe('VIPs')
    expect(
      (
        await manager()
          .views.update({ id: agentShared.id, shared: false })
          .catch((e) => e)
      ).code,
    ).toBe('FORBIDDEN')
    expect(
      (
        await manager()
          .views.delete({ id: mine.id })
          .catch((e) => e)
      ).code,
    ).toBe('NOT_FOUND')
    const audit = await w.t.owner.db.execute(
      sql`select action from audit_log where entity = 'saved_view' and entity_id = ${agentShared.id} order by at`,
    )
    expect(audit.map((r) => r.action)).toEqual(['view.create', 'view.update'])
  })

  it('refuses a second view with the same name (any case) as a field error, and bad input per field', async () => {
    await manager().views.create({ list: 'properties', name: 'Venda Pinheiros', query: 'purpose=sale&q=pinheiros' })
    const dup = await manager()
      .views.create({ list: 'properties', name: 'venda pinheiros', query: 'purpose=sale' })
      .catch((e) => e)
    expect(dup.code).toBe('BAD_REQUEST')
    expect(describeError(dup).fieldErrors).toEqual({ name: ['lists.viewNameTaken'] })
    const other = await manager().views.create({ list: 'properties', name: 'Aluguel', query: 'purpose=rent' })
    const rename = await manager()
      .views.update({ id: other.id, name: 'VENDA PINHEIROS' })
      .catch((e) => e)
    expect(describeError(rename).fieldErrors).toEqual({ name: ['lists.viewNameTaken'] })
    const empty = await manager()
      .views.create({ list: 'leads', name: '  ', query: '' })
      .catch((e) => e)
    expect(describeError(empty).fieldErrors).toEqual({ name: ['validation.required'] })
    const badList = await manager()
      .views.create({ list: 'invoices', name: 'x', query: '' } as never)
      .catch((e) => e)
    expect(badList.code).toBe('BAD_REQUEST')
  })
})
