import { sql } from '@impera/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeError } from '../src/error-shape'
import { buildWorld, clientData, leadData, outcome, type World } from './harness'

let w: World
beforeAll(async () => {
  w = await buildWorld()
})
afterAll(() => w.t.close())

const manager = () => w.caller(w.a.manager, w.a.agencyId)
const agent = () => w.caller(w.a.agent, w.a.agencyId)

async function qualifiedLead(overrides: Record<string, unknown> = {}, caller = manager()) {
  const lead = await caller.leads.create({ data: leadData(overrides) })
  await caller.leads.setStatus({ id: lead.id, status: 'qualified' })
  return lead
}

describe('clients', () => {
  it('creates a client with a checksum-valid CPF stored as digits, normalised phones, timeline and audit', async () => {
    const client = await manager().clients.create({
      data: clientData({
        name: 'Helena Costa',
        types: ['seller', 'landlord'],
        phones: ['(21) 99876-1111'],
        document: '111.444.777-35',
        birthDate: '1980-02-29',
        street: 'Rua Augusta',
        number: '100',
      }),
    })
    expect(client).toMatchObject({
      document: '11144477735',
      phones: ['+5521998761111'],
      types: ['seller', 'landlord'],
      birthDate: '1980-02-29',
      street: 'Rua Augusta',
    })
    const detail = await manager().clients.get({ id: client.id })
    expect(detail.events.map((e) => e.kind)).toEqual(['created'])
    expect(
      await w.t.owner.db.execute(
        sql`select 1 from audit_log where entity = 'client' and entity_id = ${client.id} and action = 'client.create'`,
      ),
    ).toHaveLength(1)
  })

  it('rejects bad input per field: bad CPF/CNPJ check digits, impossible or future birth dates, bad e-mail, bad phone', async () => {
    const err = await manager()
      .clients.create({
        data: clientData({ name: '', document: '123.456.789-00', birthDate: '2023-02-30', email: 'x@' }),
      })
      .catch((e) => e)
    expect(err.code).toBe('BAD_REQUEST')
    expect(describeError(err).fieldErrors).toEqual({
      name: ['validation.required'],
      document: ['clients.documentInvalid'],
      birthDate: ['validation.date'],
      email: ['validation.email'],
    })
    const future = await manager()
      .clients.create({ data: clientData({ birthDate: '2999-01-01' }) })
      .catch((e) => e)
    expect(describeError(future).fieldErrors).toEqual({ birthDate: ['validation.date'] })
    const phone = await manager()
      .clients.create({ data: clientData({ phones: ['123'] }) })
      .catch((e) => e)
    expect(describeError(phone).fieldErrors).toEqual({ phones: ['validation.phone'] })
    // A CNPJ with valid check digits is accepted.
    expect(
      (
        await manager().clients.create({
          data: clientData({ name: 'Construtora XYZ', document: '11.222.333/0001-81' }),
        })
      ).document,
    ).toBe('11222333000181')
  })

  it('keeps CPF/CNPJ unique per agency (live clients), naming the holder only to who may see it', async () => {
    const holder = await manager().clients.create({
      data: clientData({ name: 'Dono do CPF', document: '935.411.347-80', assignedTo: w.a.manager.userId }),
    })
    const err = await manager()
      .clients.create({ data: clientData({ name: 'Outro', document: '93541134780' }) })
      .catch((e) => e)
    expect(err.code).toBe('BAD_REQUEST')
    expect(describeError(err)).toMatchObject({
      fieldErrors: { document: ['clients.documentTaken'] },
      meta: { holder: { id: holder.id, name: 'Dono do CPF' } },
    })
    const asAgent = await agent()
      .clients.create({ data: clientData({ name: 'Outro', document: '93541134780' }) })
      .catch((e) => e)
    expect(describeError(asAgent).meta).toMatchObject({ holder: null })
    // Another agency may hold the same document.
    expect(
      await outcome(
        w
          .caller(w.b.manager, w.b.agencyId)
          .clients.create({ data: clientData({ name: 'Mesmo CPF na Beta', document: '93541134780' }) }),
      ),
    ).toBe('OK')
    // Once the holder is in the trash, the document is free; restoring the holder then conflicts.
    await manager().clients.delete({ id: holder.id })
    await manager().clients.create({ data: clientData({ name: 'Novo dono', document: '93541134780' }) })
    const restore = await manager()
      .clients.restore({ id: holder.id })
      .catch((e) => e)
    expect(restore.code).toBe('CONFLICT')
  })

  it('visibility and permissions: agents see own and unassigned, cannot reassign to others or delete', async () => {
    const theirs = await manager().clients.create({
      data: clientData({ name: 'Cliente do gestor', assignedTo: w.a.manager.userId }),
    })
    const free = await manager().clients.create({ data: clientData({ name: 'Cliente sem dono' }) })
    expect(await outcome(agent().clients.get({ id: theirs.id }))).toBe('NOT_FOUND')
    expect(await outcome(agent().clients.get({ id: free.id }))).toBe('OK')
    const names = (await agent().clients.list({ pageSize: 100 })).rows.map((r) => r.name)
    expect(names).toContain('Cliente sem dono')
    expect(names).not.toContain('Cliente do gestor')
    expect(
      await outcome(
        agent().clients.update({
          id: free.id,
          data: clientData({ name: 'Cliente sem dono', assignedTo: w.a.manager.userId }),
        }),
      ),
    ).toBe('FORBIDDEN')
    expect(await outcome(agent().clients.delete({ id: free.id }))).toBe('FORBIDDEN')
    const mine = await agent().clients.create({ data: clientData({ name: 'Cliente do corretor' }) })
    expect(mine.assignedTo).toBe(w.a.agent.userId)
  })

  it('edits record which fields changed and assignment on the timeline; notes are edited only by their author', async () => {
    const c = await manager().clients.create({ data: clientData({ name: 'Ícaro Nunes' }) })
    await manager().clients.update({
      id: c.id,
      data: clientData({ name: 'Ícaro Nunes', email: 'icaro@example.test', assignedTo: w.a.agent.userId }),
    })
    const detail = await manager().clients.get({ id: c.id })
    expect(detail.events.map((e) => [e.kind, e.data])).toEqual(
      expect.arrayContaining([
        ['edited', { fields: ['email'] }],
        ['assigned', { from: null, to: w.a.agent.userId }],
      ]),
    )
    const note = await agent().clients.addNote({ clientId: c.id, body: 'Quer vender em 2027' })
    expect(await outcome(manager().clients.updateNote({ id: note.id, body: 'x' }))).toBe('FORBIDDEN')
    expect(await outcome(agent().clients.updateNote({ id: note.id, body: 'Quer vender no 1º semestre' }))).toBe('OK')
    expect(await outcome(agent().clients.deleteNote({ id: note.id }))).toBe('OK')
  })

  it('searches by name, phone digits, e-mail and document; filters by type; picker returns few', async () => {
    await manager().clients.create({
      data: clientData({
        name: 'Rafaela Duarte',
        phones: ['+55 11 93333-4444'],
        email: 'rafa@example.test',
        document: '390.533.447-05',
        types: ['tenant'],
      }),
    })
    for (const q of ['rafaela', '933334444', 'rafa@example', '39053344705', '390.533']) {
      expect(
        (await manager().clients.list({ q })).rows.map((r) => r.name),
        q,
      ).toEqual(['Rafaela Duarte'])
    }
    expect((await manager().clients.list({ type: ['tenant'] })).rows.map((r) => r.name)).toContain('Rafaela Duarte')
    expect((await manager().clients.list({ type: ['landlord'] })).rows.map((r) => r.name)).not.toContain(
      'Rafaela Duarte',
    )
    expect((await manager().clients.pick({ q: 'Rafa' })).map((r) => r.name)).toEqual(['Rafaela Duarte'])
  })
})

describe('clients: trash and the all-records setting', () => {
  it('lists the trash for managers only (restorable for 30 days), and keeps trashed clients out of lists and pickers', async () => {
    const c = await manager().clients.create({ data: clientData({ name: 'Vai para a lixeira' }) })
    await manager().clients.delete({ id: c.id })
    expect((await manager().clients.trash()).map((x) => x.name)).toContain('Vai para a lixeira')
    expect(await outcome(agent().clients.trash())).toBe('FORBIDDEN')
    expect(await outcome(agent().clients.restore({ id: c.id }))).toBe('FORBIDDEN')
    expect((await manager().clients.list({ q: 'Vai para a lixeira' })).total.count).toBe(0)
    expect(await manager().clients.pick({ q: 'Vai para a lixeira' })).toEqual([])
    // Older than 30 days: gone from the trash and no longer restorable (the worker purges it).
    await w.t.owner.db.execute(sql`update clients set deleted_at = now() - interval '31 days' where id = ${c.id}`)
    expect((await manager().clients.trash()).map((x) => x.id)).not.toContain(c.id)
    expect(await outcome(manager().clients.restore({ id: c.id }))).toBe('NOT_FOUND')
  })

  it('with "agents see all records" agents read every client but still edit only their own or unassigned', async () => {
    const theirs = await manager().clients.create({
      data: clientData({ name: 'Só do gestor', assignedTo: w.a.manager.userId }),
    })
    expect((await agent().clients.pick({ q: 'Só do gestor' })).length).toBe(0)
    await w.t.owner.db.execute(sql`update agencies set agents_see_all = true where id = ${w.a.agencyId}`)
    try {
      expect((await agent().clients.pick({ q: 'Só do gestor' })).map((c) => c.id)).toEqual([theirs.id])
      expect((await agent().clients.get({ id: theirs.id })).canEdit).toBe(false)
      expect(await outcome(agent().clients.update({ id: theirs.id, data: clientData({ name: 'Tomado' }) }))).toBe(
        'FORBIDDEN',
      )
      expect(await outcome(agent().clients.addNote({ clientId: theirs.id, body: 'Visto pelo corretor' }))).toBe('OK')
    } finally {
      await w.t.owner.db.execute(sql`update agencies set agents_see_all = false where id = ${w.a.agencyId}`)
    }
  })
})

describe('lead conversion', () => {
  it('turns a qualified lead into a new client from its data; both link to each other with history', async () => {
    const lead = await qualifiedLead({
      name: 'Paulo Mendes',
      phones: ['11 98888-7777'],
      email: 'paulo@example.test',
      interest: 'rent',
      assignedTo: w.a.agent.userId,
    })
    const { client } = await manager().leads.convert({ id: lead.id })
    expect(client).toMatchObject({
      name: 'Paulo Mendes',
      phones: ['+5511988887777'],
      email: 'paulo@example.test',
      types: ['tenant'],
      assignedTo: w.a.agent.userId,
    })
    const leadPage = await manager().leads.get({ id: lead.id })
    expect(leadPage.lead).toMatchObject({ status: 'converted', clientId: client.id })
    expect(leadPage.client).toEqual({ id: client.id, name: 'Paulo Mendes' })
    // History kept: created, the earlier move to qualified, then conversion.
    expect(leadPage.events.map((e) => e.kind).sort()).toEqual([
      'converted',
      'created',
      'status_changed',
      'status_changed',
    ])
    const clientPage = await manager().clients.get({ id: client.id })
    expect(clientPage.leads.map((l) => l.id)).toEqual([lead.id])
    expect(clientPage.events.map((e) => e.kind).sort()).toEqual(['created', 'lead_linked'])
    expect(
      await w.t.owner.db.execute(sql`select 1 from audit_log where action = 'lead.convert' and entity_id = ${lead.id}`),
    ).toHaveLength(1)
  })

  it('links a lead to an existing client, who then lists all its leads', async () => {
    const client = await manager().clients.create({ data: clientData({ name: 'Sofia Ramos' }) })
    const first = await qualifiedLead({ name: 'Sofia (compra)', phones: ['11 97777-1212'] })
    const second = await qualifiedLead({ name: 'Sofia (aluguel)', phones: ['11 97777-1313'] })
    await manager().leads.convert({ id: first.id, clientId: client.id })
    await manager().leads.convert({ id: second.id, clientId: client.id })
    expect((await manager().clients.get({ id: client.id })).leads.map((l) => l.name).sort()).toEqual([
      'Sofia (aluguel)',
      'Sofia (compra)',
    ])
  })

  it('refuses leads that are not qualified, already converted, or a client the actor cannot see', async () => {
    const fresh = await manager().leads.create({ data: leadData({ name: 'Novo', phones: ['11 96543-2100'] }) })
    const notQualified = await manager()
      .leads.convert({ id: fresh.id })
      .catch((e) => e)
    expect(notQualified.code).toBe('CONFLICT')
    expect(describeError(notQualified).message).toBe('leads.convertNeedsQualified')
    const lead = await qualifiedLead({ name: 'Uma vez', phones: ['11 96543-2111'] })
    await manager().leads.convert({ id: lead.id })
    expect(await outcome(manager().leads.convert({ id: lead.id }))).toBe('CONFLICT')
    // Status moves cannot fake a conversion either.
    expect(await outcome(manager().leads.setStatus({ id: fresh.id, status: 'converted' }))).toBe('BAD_REQUEST')
    const hidden = await manager().clients.create({
      data: clientData({ name: 'Cliente reservado', assignedTo: w.a.manager.userId }),
    })
    const agentLead = await qualifiedLead({ name: 'Lead do corretor', phones: ['11 96543-2122'] }, agent())
    const err = await agent()
      .leads.convert({ id: agentLead.id, clientId: hidden.id })
      .catch((e) => e)
    expect(describeError(err).fieldErrors).toEqual({ clientId: ['leads.convertClientInvalid'] })
    expect((await agent().leads.get({ id: agentLead.id })).lead.status).toBe('qualified')
  })
})
