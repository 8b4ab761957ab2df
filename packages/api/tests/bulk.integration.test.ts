import { sql, withAgency } from '@impera/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeError } from '../src/error-shape'
import { runBulkChunk } from '../src/services'
import { buildWorld, clientData, leadData, outcome, propertyData, queuedPayloads, type World } from './harness'

/**
 * Bulk actions on leads (decision 028) through the real router and database: a selected page or every lead the
 * filters match, for the manager and for an agent who sees only their own; one audit entry per operation with its
 * count, one history fact per lead; big selections as a checkpointed job that resumes without doing a lead twice.
 */
let w: World
beforeAll(async () => {
  w = await buildWorld()
})
afterAll(() => w?.t.close())

const manager = () => w.caller(w.a.manager, w.a.agencyId)
const agent = () => w.caller(w.a.agent, w.a.agencyId)
let n = 0
const phone = () => `11 9${String(7500_0000 + ++n)}`

async function leadsTagged(tag: string, count: number, assignedTo: string | null = null) {
  const ids: string[] = []
  for (let i = 0; i < count; i++)
    ids.push(
      (
        await manager().leads.create({
          data: leadData({ name: `${tag} ${i}`, phones: [phone()], tags: [tag], assignedTo }),
        })
      ).id,
    )
  return ids
}

const inList = (ids: string[]) =>
  sql`(${sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  )})`

async function owners(ids: string[]) {
  const rows = await w.t.owner.db.execute<{ id: string; assigned_to: string | null }>(
    sql`select id, assigned_to from leads where id in ${inList(ids)}`,
  )
  return new Set(rows.map((r) => r.assigned_to))
}

describe('bulk actions on leads', () => {
  it('assigns a selected page: one audit entry with the count, a history fact per lead, one notification', async () => {
    const ids = await leadsTagged('pagina', 3)
    const op = await manager().bulk.leads({
      selection: { ids },
      action: { kind: 'assign', assignedTo: w.a.agent.userId },
    })
    expect(op).toMatchObject({ status: 'done', total: 3, done: 3, changed: 3 })
    expect(await owners(ids)).toEqual(new Set([w.a.agent.userId]))
    const audits = await w.t.owner.db.execute<{ action: string; total: number }>(
      sql`select action, (diff->'after'->>'total')::int as total from audit_log where entity = 'bulk_operation' and entity_id = ${op.id}`,
    )
    expect(audits).toEqual([{ action: 'lead.bulk', total: 3 }])
    const perLead = await w.t.owner.db.execute(
      sql`select 1 from audit_log where action = 'lead.assign' and entity_id in ${inList(ids)}`,
    )
    expect(perLead).toHaveLength(0)
    const facts = await w.t.owner.db.execute<{ lead_id: string }>(
      sql`select lead_id from lead_events where kind = 'assigned' and lead_id in ${inList(ids)}`,
    )
    expect(facts).toHaveLength(3)
    const notes = await w.t.owner.db.execute<{ kind: string; data: { count: number } }>(
      sql`select kind, data from notifications where user_id = ${w.a.agent.userId} and entity_id = ${op.id}`,
    )
    expect(notes).toEqual([{ kind: 'leads_assigned', data: { count: 3 } }])
    // Doing it again changes nothing and says so.
    expect(
      await manager().bulk.leads({ selection: { ids }, action: { kind: 'assign', assignedTo: w.a.agent.userId } }),
    ).toMatchObject({ total: 3, changed: 0 })
  })

  it('moves, tags and trashes by filter; a converted lead is left alone', async () => {
    const ids = await leadsTagged('filtro', 4)
    await manager().leads.setStatus({ id: ids[0]!, status: 'qualified' })
    await manager().leads.convert({ id: ids[0]! })
    const filter = { tags: ['filtro'] }
    const lost = await manager().bulk.leads({
      selection: { filter },
      action: { kind: 'status', status: 'lost', lostReason: 'no_response' },
    })
    expect(lost).toMatchObject({ total: 4, changed: 3 })
    const bad = await manager()
      .bulk.leads({ selection: { filter }, action: { kind: 'status', status: 'lost' } })
      .catch((e: unknown) => e)
    expect(describeError(bad).fieldErrors).toEqual({ action: ['leads.lostReasonRequired'] })
    expect(
      await manager().bulk.leads({ selection: { filter }, action: { kind: 'addTag', tag: 'campanha' } }),
    ).toMatchObject({ changed: 4 })
    const listed = await manager().leads.list({ tags: ['campanha'] })
    expect(listed.rows.map((r) => r.id).sort()).toEqual([...ids].sort())
    expect(
      await manager().bulk.leads({ selection: { filter }, action: { kind: 'removeTag', tag: 'campanha' } }),
    ).toMatchObject({ changed: 4 })
    expect(await manager().bulk.leads({ selection: { filter }, action: { kind: 'trash' } })).toMatchObject({
      changed: 4,
    })
    expect((await manager().leads.list({ tags: ['filtro'] })).rows).toHaveLength(0)
    expect((await manager().leads.trash()).map((l) => l.id)).toEqual(expect.arrayContaining(ids))
  })

  it('keeps agents to their own leads and their own rights', async () => {
    await w.t.owner.db.execute(sql`update agencies set agents_see_all = false where id = ${w.a.agencyId}`)
    const mine = await leadsTagged('agente', 2, w.a.agent.userId)
    const theirs = await leadsTagged('agente', 2, w.a.manager.userId)
    // By filter: only the agent's own leads are in the operation.
    const op = await agent().bulk.leads({
      selection: { filter: { tags: ['agente'] } },
      action: { kind: 'addTag', tag: 'meu' },
    })
    expect(op.total).toBe(2)
    // Ids the agent cannot see are not in it either.
    expect(
      (
        await agent().bulk.leads({
          selection: { ids: [...mine, ...theirs] },
          action: { kind: 'removeTag', tag: 'meu' },
        })
      ).total,
    ).toBe(2)
    expect(
      await outcome(
        agent().bulk.leads({ selection: { ids: mine }, action: { kind: 'assign', assignedTo: w.a.manager.userId } }),
      ),
    ).toBe('FORBIDDEN')
    expect(await outcome(agent().bulk.leads({ selection: { ids: mine }, action: { kind: 'trash' } }))).toBe('FORBIDDEN')
    // Only theirs: nothing to do.
    const empty = await agent()
      .bulk.leads({ selection: { ids: theirs }, action: { kind: 'addTag', tag: 'x' } })
      .catch((e: unknown) => e)
    expect(describeError(empty).fieldErrors).toEqual({ selection: ['bulk.empty'] })
    // Another agency's manager with A's ids: nothing.
    expect(
      await outcome(
        w.caller(w.b.manager, w.b.agencyId).bulk.leads({ selection: { ids: mine }, action: { kind: 'trash' } }),
      ),
    ).toBe('BAD_REQUEST')
    // The agent cannot read the manager's operation.
    const managers = await manager().bulk.leads({ selection: { ids: theirs }, action: { kind: 'addTag', tag: 'y' } })
    expect(await outcome(agent().bulk.get({ id: managers.id }))).toBe('NOT_FOUND')
    expect((await agent().bulk.get({ id: op.id })).status).toBe('done')
  })

  it('runs a big selection as a job that resumes after a restart without doing a lead twice', async () => {
    // 650 leads straight into the table (the bulk path is what is under test here).
    await w.t.owner.db.execute(sql`
      insert into leads (agency_id, name, phones, source, tags)
      select ${w.a.agencyId}, 'Lote ' || i, array['+55119' || lpad((80000000 + i)::text, 8, '0')], 'other', array['lote']
      from generate_series(1, 650) i`)
    const op = await manager().bulk.leads({
      selection: { filter: { tags: ['lote'] } },
      action: { kind: 'assign', assignedTo: w.a.agent.userId },
    })
    expect(op).toMatchObject({ status: 'running', total: 650, done: 0 })
    expect(await queuedPayloads(w.t, 'bulk:run')).toContainEqual({ agencyId: w.a.agencyId, operationId: op.id })
    const chunk = () =>
      withAgency(w.t.app.db, { agencyId: w.a.agencyId, userId: null }, (tx) =>
        runBulkChunk(tx, { agencyId: w.a.agencyId, operationId: op.id }),
      )
    // One chunk commits, then the worker "restarts" and runs the job again from the start.
    expect(await chunk()).toBe('more')
    expect((await manager().bulk.get({ id: op.id })).done).toBe(200)
    while ((await chunk()) === 'more');
    expect(await chunk()).toBe('done')
    expect(await manager().bulk.get({ id: op.id })).toMatchObject({ status: 'done', done: 650, changed: 650 })
    const [facts] = await w.t.owner.db.execute<{ leads: number; facts: number }>(sql`
      select count(distinct e.lead_id)::int as leads, count(*)::int as facts from lead_events e
      join leads l on l.id = e.lead_id where e.kind = 'assigned' and 'lote' = any(l.tags)`)
    expect(facts).toEqual({ leads: 650, facts: 650 })
    const done = await w.t.owner.db.execute<{ kind: string; data: Record<string, number> }>(
      sql`select kind, data from notifications where user_id = ${w.a.manager.userId} and entity_id = ${op.id}`,
    )
    expect(done).toEqual([
      { kind: 'bulk_done', data: { entity: 'lead', action: 'assign', total: 650, changed: 650 } as never },
    ])
  })

  it('changes only what an agent may edit, even when agents see the whole agency', async () => {
    await w.t.owner.db.execute(sql`update agencies set agents_see_all = true where id = ${w.a.agencyId}`)
    const mine = await leadsTagged('todos', 2, w.a.agent.userId)
    const free = await leadsTagged('todos', 1)
    await leadsTagged('todos', 3, w.a.manager.userId)
    // The agent sees all six, but the operation holds the three they could edit one by one.
    expect((await agent().leads.list({ tags: ['todos'] })).total.count).toBe(6)
    const op = await agent().bulk.leads({
      selection: { filter: { tags: ['todos'] } },
      action: { kind: 'addTag', tag: 'x' },
    })
    expect(op).toMatchObject({ total: 3, changed: 3 })
    const tagged = await manager().leads.list({ tags: ['x'] })
    expect(tagged.rows.map((r) => r.id).sort()).toEqual([...mine, ...free].sort())
    await w.t.owner.db.execute(sql`update agencies set agents_see_all = false where id = ${w.a.agencyId}`)
  })
})

async function clientsTagged(tag: string, count: number, assignedTo: string | null = null) {
  const ids: string[] = []
  for (let i = 0; i < count; i++)
    ids.push(
      (await manager().clients.create({ data: clientData({ name: `${tag} ${i}`, tags: [tag], assignedTo }) })).id,
    )
  return ids
}

async function propertiesIn(neighbourhood: string, count: number, assignedTo: string | null = null) {
  const ids: string[] = []
  for (let i = 0; i < count; i++)
    ids.push(
      (
        await manager().properties.create({
          data: propertyData({ title: `${neighbourhood} ${i}`, neighbourhood, assignedTo }),
        })
      ).id,
    )
  return ids
}

describe('bulk actions on clients and properties', () => {
  it('assigns, tags and trashes clients by filter and by ids, with a fact per client and one audit entry', async () => {
    const ids = await clientsTagged('carteira', 3)
    const filter = { tags: ['carteira'] }
    const op = await manager().bulk.clients({
      selection: { filter },
      action: { kind: 'assign', assignedTo: w.a.agent.userId },
    })
    expect(op).toMatchObject({ entity: 'client', status: 'done', total: 3, changed: 3 })
    const facts = await w.t.owner.db.execute<{ client_id: string; actor_user_id: string }>(
      sql`select client_id, actor_user_id from client_events where kind = 'assigned' and client_id in ${inList(ids)}`,
    )
    expect(facts).toHaveLength(3)
    expect(new Set(facts.map((f) => f.actor_user_id))).toEqual(new Set([w.a.manager.userId]))
    const audits = await w.t.owner.db.execute<{ action: string; total: number; filter: unknown }>(
      sql`select action, (diff->'after'->>'total')::int as total, diff->'after'->'filter' as filter from audit_log where entity = 'bulk_operation' and entity_id = ${op.id}`,
    )
    expect(audits).toEqual([
      { action: 'client.bulk', total: 3, filter: expect.objectContaining({ tags: ['carteira'] }) },
    ])
    expect(await manager().bulk.clients({ selection: { ids }, action: { kind: 'addTag', tag: 'vip' } })).toMatchObject({
      changed: 3,
    })
    expect((await manager().clients.list({ tags: ['vip'] })).rows.map((r) => r.id).sort()).toEqual([...ids].sort())
    expect(
      await manager().bulk.clients({ selection: { ids }, action: { kind: 'removeTag', tag: 'vip' } }),
    ).toMatchObject({ changed: 3 })
    expect(await manager().bulk.clients({ selection: { filter }, action: { kind: 'trash' } })).toMatchObject({
      changed: 3,
    })
    expect((await manager().clients.trash()).map((c) => c.id)).toEqual(expect.arrayContaining(ids))
    // An agent may not trash, nor hand clients to someone else; another agency's ids select nothing.
    const theirs = await clientsTagged('agente-c', 1, w.a.agent.userId)
    expect(await outcome(agent().bulk.clients({ selection: { ids: theirs }, action: { kind: 'trash' } }))).toBe(
      'FORBIDDEN',
    )
    expect(
      await outcome(
        agent().bulk.clients({
          selection: { ids: theirs },
          action: { kind: 'assign', assignedTo: w.a.manager.userId },
        }),
      ),
    ).toBe('FORBIDDEN')
    expect(
      await agent().bulk.clients({ selection: { ids: theirs }, action: { kind: 'addTag', tag: 'meu' } }),
    ).toMatchObject({ changed: 1 })
    expect(
      await outcome(
        w
          .caller(w.b.manager, w.b.agencyId)
          .bulk.clients({ selection: { ids: theirs }, action: { kind: 'addTag', tag: 'b' } }),
      ),
    ).toBe('BAD_REQUEST')
  })

  it('moves properties to a status, assigns and trashes them; agents only their own', async () => {
    const ids = await propertiesIn('Bairro Lote', 3)
    const filter = { neighbourhood: 'Bairro Lote' }
    const op = await manager().bulk.properties({
      selection: { filter },
      action: { kind: 'status', status: 'reserved' },
    })
    expect(op).toMatchObject({ entity: 'property', total: 3, changed: 3 })
    expect((await manager().properties.list({ neighbourhood: 'Bairro Lote', status: ['reserved'] })).rows).toHaveLength(
      3,
    )
    const facts = await w.t.owner.db.execute<{ n: number }>(
      sql`select count(*)::int as n from property_events where kind = 'status_changed' and property_id in ${inList(ids)}`,
    )
    expect(facts).toEqual([{ n: 3 }])
    // Back to available: the matching leads are announced (later, once per listing).
    await manager().bulk.properties({ selection: { ids }, action: { kind: 'status', status: 'available' } })
    const jobs = await queuedPayloads<{ propertyId: string }>(w.t, 'properties:match-leads')
    expect(jobs.map((j) => j.propertyId)).toEqual(expect.arrayContaining(ids))
    expect(
      await manager().bulk.properties({ selection: { ids }, action: { kind: 'assign', assignedTo: w.a.agent.userId } }),
    ).toMatchObject({ changed: 3 })
    const others = await propertiesIn('Bairro Lote', 2, w.a.manager.userId)
    // The agent's filter selects the three now theirs, not the manager's two.
    expect(
      await agent().bulk.properties({ selection: { filter }, action: { kind: 'status', status: 'off_market' } }),
    ).toMatchObject({ total: 3, changed: 3 })
    expect(await outcome(agent().bulk.properties({ selection: { ids }, action: { kind: 'trash' } }))).toBe('FORBIDDEN')
    const bad = await manager()
      .bulk.properties({ selection: { ids: others }, action: { kind: 'status', status: 'demolished' as never } })
      .catch((e: unknown) => e)
    expect(describeError(bad).code).toBe('BAD_REQUEST')
    expect(await manager().bulk.properties({ selection: { filter }, action: { kind: 'trash' } })).toMatchObject({
      changed: 5,
    })
    expect((await manager().properties.list({ neighbourhood: 'Bairro Lote' })).rows).toHaveLength(0)
  })
})
