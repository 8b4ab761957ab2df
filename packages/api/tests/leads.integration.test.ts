import { sql } from '@impera/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeError } from '../src/error-shape'
import { buildWorld, leadData, outcome, type World } from './harness'

let w: World
beforeAll(async () => {
  w = await buildWorld()
})
afterAll(() => w.t.close())

const manager = () => w.caller(w.a.manager, w.a.agencyId)
const agent = () => w.caller(w.a.agent, w.a.agencyId)

describe('leads', () => {
  it('creates a lead with normalised phones, a timeline entry and an audit entry', async () => {
    const lead = await manager().leads.create({
      data: leadData({
        name: 'Maria Silva',
        phones: ['(11) 3456-7890', '21 99876-5432'],
        email: 'Maria@Example.test',
        budgetMin: '350.000,00',
        budgetMax: 'R$ 500.000',
      }),
    })
    expect(lead).toMatchObject({
      phones: ['+551134567890', '+5521998765432'],
      email: 'maria@example.test',
      status: 'new',
      budgetMin: 35_000_000,
      budgetMax: 50_000_000,
    })
    const detail = await manager().leads.get({ id: lead.id })
    expect(detail.events.map((e) => e.kind)).toEqual(['created'])
    const audit = await w.t.owner.db.execute(
      sql`select 1 from audit_log where entity = 'lead' and entity_id = ${lead.id} and action = 'lead.create'`,
    )
    expect(audit).toHaveLength(1)
  })

  it('rejects bad input per field', async () => {
    const err = await manager()
      .leads.create({
        data: leadData({
          name: '',
          phones: ['not a phone'],
          email: 'nope',
          budgetMin: 90_000_000,
          budgetMax: 10,
          minBedrooms: 99,
        }),
      })
      .catch((e) => e)
    expect(err.code).toBe('BAD_REQUEST')
    expect(Object.keys(describeError(err).fieldErrors).sort()).toEqual(['budgetMax', 'email', 'minBedrooms', 'name'])
    const phone = await manager()
      .leads.create({ data: leadData({ phones: ['12'] }) })
      .catch((e) => e)
    expect(describeError(phone).fieldErrors).toEqual({ phones: ['validation.phone'] })
    const noContact = await manager()
      .leads.create({ data: leadData({ phones: [], email: '' }) })
      .catch((e) => e)
    expect(describeError(noContact).fieldErrors).toEqual({ phones: ['leads.contactRequired'] })
  })

  it('warns about a duplicate phone, matching a Brazilian mobile with or without the 9th digit, and links it', async () => {
    const first = await manager().leads.create({ data: leadData({ name: 'João Pereira', phones: ['11 98123-4567'] }) })
    const dup = await manager()
      .leads.create({ data: leadData({ name: 'Joao P.', phones: ['(11) 8123-4567'] }) })
      .catch((e) => e)
    expect(dup.code).toBe('CONFLICT')
    expect(describeError(dup).meta).toEqual({
      reason: 'duplicate',
      duplicates: [{ id: first.id, name: 'João Pereira', matchedOn: 'phone' }],
    })
    const byEmail = await manager()
      .leads.create({ data: leadData({ name: 'Outro', email: 'maria@example.test' }) })
      .catch((e) => e)
    expect(describeError(byEmail).meta).toMatchObject({ duplicates: [{ matchedOn: 'email' }] })
    // Creating anyway is an explicit choice.
    expect(
      await outcome(
        manager().leads.create({
          data: leadData({ name: 'Joao P.', phones: ['(11) 8123-4567'] }),
          allowDuplicate: true,
        }),
      ),
    ).toBe('OK')
  })

  it('does not reveal another agent’s lead in the duplicate warning', async () => {
    await manager().leads.create({
      data: leadData({ name: 'Cliente do Gestor', phones: ['11 97000-1111'], assignedTo: w.a.manager.userId }),
    })
    const err = await agent()
      .leads.create({ data: leadData({ name: 'Tentativa', phones: ['11 97000-1111'] }) })
      .catch((e) => e)
    expect(describeError(err).meta).toEqual({
      reason: 'duplicate',
      duplicates: [{ id: null, name: null, matchedOn: 'phone' }],
    })
  })

  it('agents see and edit their own and unassigned leads only, unless the agency lets them see all', async () => {
    const theirs = await manager().leads.create({
      data: leadData({ name: 'Do gestor', phones: ['11 97000-2222'], assignedTo: w.a.manager.userId }),
    })
    const free = await manager().leads.create({ data: leadData({ name: 'Sem dono', phones: ['11 97000-3333'] }) })
    expect(await outcome(agent().leads.get({ id: theirs.id }))).toBe('NOT_FOUND')
    expect(await outcome(agent().leads.get({ id: free.id }))).toBe('OK')
    const names = (await agent().leads.list({})).rows.map((r) => r.name)
    expect(names).toContain('Sem dono')
    expect(names).not.toContain('Do gestor')
    const board = (await agent().leads.board()).map((c) => c.name)
    expect(board).toContain('Sem dono')
    expect(board).not.toContain('Do gestor')
    await w.t.owner.db.execute(sql`update agencies set agents_see_all = true where id = ${w.a.agencyId}`)
    expect(await outcome(agent().leads.get({ id: theirs.id }))).toBe('OK')
    expect((await agent().leads.board()).map((c) => c.name)).toContain('Do gestor')
    expect(await outcome(agent().leads.setStatus({ id: theirs.id, status: 'contacted' }))).toBe('FORBIDDEN')
    await w.t.owner.db.execute(sql`update agencies set agents_see_all = false where id = ${w.a.agencyId}`)
  })

  it('agents take leads but cannot hand them to others or delete', async () => {
    const free = await manager().leads.create({ data: leadData({ name: 'Para pegar', phones: ['11 97000-4444'] }) })
    expect(await outcome(agent().leads.assign({ id: free.id, assignedTo: w.a.manager.userId }))).toBe('FORBIDDEN')
    expect(await outcome(agent().leads.assign({ id: free.id, assignedTo: w.a.agent.userId }))).toBe('OK')
    expect(await outcome(agent().leads.delete({ id: free.id }))).toBe('FORBIDDEN')
    expect(await outcome(manager().leads.assign({ id: free.id, assignedTo: w.a.deactivated.userId }))).toBe(
      'BAD_REQUEST',
    )
    const detail = await manager().leads.get({ id: free.id })
    expect(detail.events.find((e) => e.kind === 'assigned')?.data).toEqual({ from: null, to: w.a.agent.userId })
  })

  it('moves through the pipeline, back too, and needs a reason to be lost', async () => {
    const lead = await manager().leads.create({ data: leadData({ name: 'Pipeline', phones: ['11 97000-5555'] }) })
    await manager().leads.setStatus({ id: lead.id, status: 'contacted' })
    await manager().leads.setStatus({ id: lead.id, status: 'qualified' })
    await manager().leads.setStatus({ id: lead.id, status: 'contacted' })
    const noReason = await manager()
      .leads.setStatus({ id: lead.id, status: 'lost' })
      .catch((e) => e)
    expect(describeError(noReason).fieldErrors).toEqual({ lostReason: ['leads.lostReasonRequired'] })
    const lost = await manager().leads.setStatus({
      id: lead.id,
      status: 'lost',
      lostReason: 'budget',
      lostDetail: 'Acima do orçamento',
    })
    expect(lost).toMatchObject({ status: 'lost', lostReason: 'budget', lostDetail: 'Acima do orçamento' })
    const { events } = await manager().leads.get({ id: lead.id })
    const moves = events
      .filter((e) => e.kind === 'status_changed')
      .map((e) => `${e.data.from}→${e.data.to}`)
      .reverse()
    expect(moves).toEqual(['new→contacted', 'contacted→qualified', 'qualified→contacted', 'contacted→lost'])
    const board = await manager().leads.board()
    expect(board.find((c) => c.id === lead.id)?.status).toBe('lost')
  })

  it('trash: managers delete and restore; deleted leads leave lists and the board', async () => {
    const lead = await manager().leads.create({ data: leadData({ name: 'Vai pro lixo', phones: ['11 97000-6666'] }) })
    await manager().leads.delete({ id: lead.id })
    expect(await outcome(manager().leads.get({ id: lead.id }))).toBe('NOT_FOUND')
    expect((await manager().leads.list({ q: 'Vai pro lixo' })).total.count).toBe(0)
    expect((await manager().leads.trash()).map((t) => t.id)).toContain(lead.id)
    await manager().leads.restore({ id: lead.id })
    expect(await outcome(manager().leads.get({ id: lead.id }))).toBe('OK')
    await w.t.owner.db.execute(sql`update leads set deleted_at = now() - interval '31 days' where id = ${lead.id}`)
    expect(await outcome(manager().leads.restore({ id: lead.id }))).toBe('NOT_FOUND')
  })

  it('notes: anyone who sees the lead adds; only the author edits or deletes', async () => {
    const lead = await manager().leads.create({ data: leadData({ name: 'Com notas', phones: ['11 97000-7777'] }) })
    const note = await agent().leads.addNote({ leadId: lead.id, body: 'Prefere contato à tarde' })
    expect(await outcome(manager().leads.updateNote({ id: note.id, body: 'editado' }))).toBe('FORBIDDEN')
    expect(await outcome(agent().leads.updateNote({ id: note.id, body: 'Prefere contato à noite' }))).toBe('OK')
    expect((await manager().leads.get({ id: lead.id })).notes[0]?.body).toBe('Prefere contato à noite')
    expect(await outcome(agent().leads.deleteNote({ id: note.id }))).toBe('OK')
  })

  it('searches by name, e-mail and phone digits; filters; paginates with a total', async () => {
    const m = manager()
    expect((await m.leads.list({ q: 'silva' })).rows.map((r) => r.name)).toContain('Maria Silva')
    expect((await m.leads.list({ q: '99876-5432' })).rows.map((r) => r.name)).toContain('Maria Silva')
    expect((await m.leads.list({ q: 'example.test' })).rows.map((r) => r.name)).toContain('Maria Silva')
    const lost = await m.leads.list({ status: ['lost'] })
    expect(lost.rows.every((r) => r.status === 'lost')).toBe(true)
    const page = await m.leads.list({ pageSize: 5, sort: 'name', dir: 'asc' })
    expect(page.rows).toHaveLength(5)
    expect(page.total.count).toBeGreaterThan(5)
    const names = page.rows.map((r) => r.name)
    expect([...names].sort((x, y) => x.localeCompare(y, 'en', { sensitivity: 'base' }))).toBeTruthy()
  })
})
