import { sql, withAgency } from '@impera/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { ZTaskInput } from '../src/schemas'
import { nextOccurrence, readCalendarFeed, remindDueTasks, toICalendar } from '../src/services/tasks'
import { buildWorld, leadData, outcome, propertyData, type World } from './harness'

/**
 * Tasks and visits (decision 025) through the real router and database, for the manager, the agent in both
 * visibility modes, and strangers: who sees and changes what, outcomes and recurrences, the agenda's days in the
 * agency's zone, reminders, and the private calendar feed.
 */
let w: World
beforeAll(async () => {
  w = await buildWorld()
})
afterAll(() => w?.t.close())

const manager = () => w.caller(w.a.manager, w.a.agencyId)
const agent = () => w.caller(w.a.agent, w.a.agencyId)
const HOUR = 3_600_000
const inHours = (h: number) => new Date(Date.now() + h * HOUR)

async function seeAll(on: boolean) {
  await w.t.owner.db.execute(sql`update agencies set agents_see_all = ${on} where id = ${w.a.agencyId}`)
}

type TaskData = z.input<typeof ZTaskInput>
function task(overrides: Partial<TaskData> = {}): TaskData {
  return { kind: 'call', title: 'Ligar', dueAt: inHours(2), ...overrides }
}

describe('who sees and changes tasks', () => {
  it("an agent sees their own tasks and those on their leads, not a manager's private ones", async () => {
    await seeAll(false)
    const mine = await agent().tasks.create({ data: task({ title: 'Minha ligação' }) })
    expect(mine.assignedTo).toBe(w.a.agent.userId)
    const managers = await manager().tasks.create({ data: task({ title: 'Reunião de gestão' }) })
    // The manager's visit on the agent's lead, done by the manager: the agent sees it on their lead.
    const onLead = await manager().tasks.create({
      data: task({ title: 'Visita com gestor', leadId: w.a.leadId, assignedTo: w.a.manager.userId }),
    })
    const seen = (await agent().tasks.list({})).map((t) => t.id)
    expect(seen).toContain(mine.id)
    expect(seen).toContain(onLead.id)
    expect(seen).not.toContain(managers.id)
    expect(await outcome(agent().tasks.get({ id: managers.id }))).toBe('NOT_FOUND')
    expect(await outcome(agent().tasks.complete({ id: managers.id }))).toBe('NOT_FOUND')
    // Seen on their lead, but not theirs to change.
    expect(await outcome(agent().tasks.reschedule({ id: onLead.id, dueAt: inHours(5) }))).toBe('FORBIDDEN')
    await seeAll(true)
    expect((await agent().tasks.list({})).map((t) => t.id)).toContain(managers.id)
    expect(await outcome(agent().tasks.cancel({ id: managers.id }))).toBe('FORBIDDEN')
    await seeAll(false)
  })

  it('agents plan for themselves; managers for anyone active; nobody for a stranger', async () => {
    expect(await outcome(agent().tasks.create({ data: task({ assignedTo: w.a.manager.userId }) }))).toBe('FORBIDDEN')
    const given = await manager().tasks.create({
      data: task({ assignedTo: w.a.agent.userId, title: 'Para o corretor' }),
    })
    expect(given.assigneeName).toBeTruthy()
    expect(await outcome(manager().tasks.create({ data: task({ assignedTo: w.a.deactivated.userId }) }))).toBe(
      'BAD_REQUEST',
    )
    expect(await outcome(manager().tasks.create({ data: task({ assignedTo: w.b.agent.userId }) }))).toBe('BAD_REQUEST')
    // The agent heard of the task given to them.
    const [n] = await w.t.owner.db.execute<{ kind: string }>(
      sql`select kind from notifications where user_id = ${w.a.agent.userId} and entity_id = ${given.id}`,
    )
    expect(n?.kind).toBe('task_due')
    // Only managers read another member's agenda.
    expect(await outcome(agent().tasks.agenda({ who: w.a.manager.userId }))).toBe('FORBIDDEN')
    expect(await outcome(manager().tasks.agenda({ who: w.a.agent.userId }))).toBe('OK')
  })

  it('answers the agenda of the first and last days there are (the fuzz found a 500 on 9999-12-31)', async () => {
    for (const day of ['9999-12-31', '9999-12-25', '0001-01-01'])
      expect((await agent().tasks.agenda({ who: 'me', day })).day).toBe(day)
  })

  it('refuses links it cannot see or that are not in the agency, with the field named', async () => {
    const [other] = await w.t.owner.db.execute<{ id: string }>(sql`
      insert into properties (agency_id, code, title, type, purpose, status)
      values (${w.b.agencyId}, 'B-1', 'Casa da Beta', 'house', 'sale', 'available') returning id`)
    const visit = { kind: 'visit' as const, title: 'Visita', leadId: w.a.leadId, propertyIds: [other!.id] }
    await expect(manager().tasks.create({ data: task(visit) })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'tasks.recordNotFound',
    })
    expect(
      await outcome(manager().tasks.create({ data: task({ kind: 'visit', propertyIds: [w.a.propertyId] }) })),
    ).toBe('BAD_REQUEST')
    expect(await outcome(manager().tasks.create({ data: task({ kind: 'visit', leadId: w.a.leadId }) }))).toBe(
      'BAD_REQUEST',
    )
    expect(await outcome(manager().tasks.create({ data: task({ dueAt: new Date('9999-01-01') }) }))).toBe('BAD_REQUEST')
    expect(await outcome(manager().tasks.create({ data: task({ title: 'a\u0000b' }) }))).toBe('BAD_REQUEST')
    expect(await outcome(manager().tasks.create({ data: task({ leadId: w.a.trashedLeadId }) }))).toBe('BAD_REQUEST')
    // A manager's own lead is not the agent's to attach to.
    await seeAll(false)
    const hidden = await manager().leads.create({
      data: leadData({ name: 'Lead do gestor', phones: ['11 97777-1234'], assignedTo: w.a.manager.userId }),
    })
    expect(await outcome(agent().tasks.create({ data: task({ leadId: hidden.id }) }))).toBe('BAD_REQUEST')
  })
})

describe('visits and their outcomes', () => {
  it('records the outcome and the interest per property; rescheduled, a new visit follows', async () => {
    const second = await manager().properties.create({ data: propertyData({ title: 'Casa 2', code: 'AP-VIS-2' }) })
    const visit = await agent().tasks.create({
      data: task({
        kind: 'visit',
        title: 'Visita ao apartamento',
        leadId: w.a.leadId,
        propertyIds: [w.a.propertyId, second.id],
        place: 'Rua das Flores, 10',
        durationMinutes: 60,
      }),
    })
    expect(visit.shown.map((s) => s.propertyId)).toEqual([w.a.propertyId, second.id])
    const done = await agent().tasks.complete({
      id: visit.id,
      outcome: 'done',
      note: 'Gostou da varanda',
      properties: [
        { propertyId: w.a.propertyId, interest: 'high', feedback: 'Amou' },
        { propertyId: second.id, interest: 'none', feedback: 'Pequeno' },
      ],
    })
    expect(done.status).toBe('done')
    expect(done.outcome).toBe('done')
    expect(done.shown.find((s) => s.propertyId === w.a.propertyId)?.interest).toBe('high')
    expect(await outcome(agent().tasks.complete({ id: visit.id }))).toBe('CONFLICT')
    // Feedback about a property not shown is refused.
    const other = await agent().tasks.create({
      data: task({ kind: 'visit', title: 'Outra', leadId: w.a.leadId, propertyIds: [w.a.propertyId] }),
    })
    expect(
      await outcome(agent().tasks.complete({ id: other.id, properties: [{ propertyId: second.id, interest: 'low' }] })),
    ).toBe('BAD_REQUEST')
    expect(await outcome(agent().tasks.complete({ id: other.id, outcome: 'rescheduled' }))).toBe('BAD_REQUEST')
    const moved = await agent().tasks.complete({ id: other.id, outcome: 'rescheduled', rescheduleTo: inHours(48) })
    const next = await agent().tasks.get({ id: moved.nextId! })
    expect(next.status).toBe('open')
    expect(next.shown.map((s) => s.propertyId)).toEqual([w.a.propertyId])
    // Outcomes are for visits.
    const call = await agent().tasks.create({ data: task() })
    expect(await outcome(agent().tasks.complete({ id: call.id, outcome: 'no_show' }))).toBe('BAD_REQUEST')
    // Reopen undoes a wrong tap.
    await agent().tasks.complete({ id: call.id })
    expect((await agent().tasks.reopen({ id: call.id })).status).toBe('open')
    // The property page lists the visits it was shown in.
    const onProperty = await manager().tasks.list({ propertyId: second.id })
    expect(onProperty.map((t) => t.id)).toContain(visit.id)
  })

  it('a recurring task comes back once, at the same local time, after now', async () => {
    const daily = await agent().tasks.create({
      data: task({ title: 'Retorno diário', recurrence: 'daily', dueAt: inHours(-50) }),
    })
    const [a, b] = await Promise.allSettled([
      agent().tasks.complete({ id: daily.id }),
      agent().tasks.complete({ id: daily.id }),
    ])
    const ok = [a, b].filter((r) => r.status === 'fulfilled')
    expect(ok).toHaveLength(1)
    const [{ count }] = (await w.t.owner.db.execute<{ count: number }>(
      sql`select count(*)::int as count from tasks where previous_id = ${daily.id}`,
    )) as unknown as [{ count: number }]
    expect(count).toBe(1)
    const next = await agent().tasks.get({ id: (ok[0] as PromiseFulfilledResult<{ nextId: string }>).value.nextId })
    expect(next.dueAt.getTime()).toBeGreaterThan(Date.now())
    expect((next.dueAt.getTime() - daily.dueAt.getTime()) % (24 * HOUR)).toBe(0)
  })

  it('computes occurrences in the zone: weekdays skip the weekend, monthly keeps the 31st where it can', () => {
    const tz = 'America/Sao_Paulo'
    // Friday 2026-12-04 09:00 in São Paulo (UTC-3).
    const friday = new Date('2026-12-04T12:00:00Z')
    expect(nextOccurrence(friday, 'weekdays', tz, friday).toISOString()).toBe('2026-12-07T12:00:00.000Z')
    expect(nextOccurrence(friday, 'weekly', tz, friday).toISOString()).toBe('2026-12-11T12:00:00.000Z')
    const jan31 = new Date('2027-01-31T13:00:00Z')
    expect(nextOccurrence(jan31, 'monthly', tz, jan31).toISOString()).toBe('2027-02-28T13:00:00.000Z')
    // New York changes its clocks in March: 09:00 stays 09:00.
    const ny = new Date('2027-03-12T14:00:00Z')
    expect(nextOccurrence(ny, 'weekly', 'America/New_York', ny).toISOString()).toBe('2027-03-19T13:00:00.000Z')
  })
})

describe('the agenda', () => {
  it("splits overdue, today and upcoming by the agency's calendar day", async () => {
    await w.t.owner.db.execute(sql`update agencies set timezone = 'Asia/Tokyo' where id = ${w.a.agencyId}`)
    const day = '2031-05-20'
    // 23:30 on the 20th in Tokyo is 14:30 UTC the same day; 00:30 on the 21st is 15:30 UTC on the 20th.
    const late = await agent().tasks.create({
      data: task({ title: 'Tarde da noite', dueAt: new Date('2031-05-20T14:30:00Z') }),
    })
    const next = await agent().tasks.create({
      data: task({ title: 'Madrugada', dueAt: new Date('2031-05-20T15:30:00Z') }),
    })
    const before = await agent().tasks.create({
      data: task({ title: 'Ontem', dueAt: new Date('2031-05-19T14:00:00Z') }),
    })
    const a = await agent().tasks.agenda({ who: 'me', day })
    expect(a.day).toBe(day)
    expect(a.today.map((t) => t.id)).toContain(late.id)
    expect(a.upcoming.map((t) => t.id)).toContain(next.id)
    expect(a.overdue.map((t) => t.id)).toContain(before.id)
    expect(a.today.map((t) => t.id)).not.toContain(next.id)
    await w.t.owner.db.execute(sql`update agencies set timezone = 'America/Sao_Paulo' where id = ${w.a.agencyId}`)
  })
})

describe('reminders', () => {
  it('reminds the assignee once when the time comes, and again after a reschedule', async () => {
    const t = await manager().tasks.create({
      data: task({ title: 'Lembrete', assignedTo: w.a.agent.userId, dueAt: inHours(1), remindMinutes: 30 }),
    })
    await w.t.owner.db.execute(sql`update notifications set read_at = now() where entity_id = ${t.id}`)
    // As the worker runs it: in the agency's tenant transaction, with no member acting.
    const remind = (now: Date) =>
      withAgency(w.t.app.db, { agencyId: w.a.agencyId, userId: null }, (tx) =>
        remindDueTasks(tx, { agencyId: w.a.agencyId, now }),
      )
    expect(await remind(new Date())).toBe(0)
    expect(await remind(inHours(0.6))).toBeGreaterThanOrEqual(1)
    expect(await remind(inHours(0.7))).toBe(0)
    const unread = () =>
      w.t.owner.db.execute<{ id: string }>(
        sql`select id from notifications where entity_id = ${t.id} and read_at is null and user_id = ${w.a.agent.userId}`,
      )
    expect(await unread()).toHaveLength(1)
    await manager().tasks.reschedule({ id: t.id, dueAt: inHours(3) })
    expect(await remind(inHours(2.6))).toBeGreaterThanOrEqual(1)
  })
})

describe('the calendar feed', () => {
  it("serves the member's own visits as iCalendar by a private token; rotation and leaving end it", async () => {
    const visit = await agent().tasks.create({
      data: task({
        kind: 'visit',
        title: 'Visita; com vírgula, e acentuação',
        leadId: w.a.leadId,
        propertyIds: [w.a.propertyId],
        place: 'Av. Paulista, 1000',
      }),
    })
    const managersOwn = await manager().tasks.create({ data: task({ title: 'Só do gestor' }) })
    const { path } = await agent().tasks.rotateCalendarFeed()
    expect((await agent().tasks.calendarFeed()).path).toBe(path)
    // Managers cannot read an agent's feed URL.
    const [row] = await w.t.owner.db.execute<{ token: string }>(
      sql`select token from calendar_feeds where user_id = ${w.a.agent.userId}`,
    )
    const token = row!.token
    expect(path).toBe(`/calendar/${token}.ics`)
    const ics = (await readCalendarFeed(w.t.app.db, { token, origin: 'https://crm.test' }))!
    expect(ics).toContain(`UID:${visit.id}@impera`)
    expect(ics).toContain('SUMMARY:Visita\\; com vírgula\\, e acentuação — Lead da Alfa')
    expect(ics).toContain('LOCATION:Av. Paulista\\, 1000')
    expect(ics).not.toContain(managersOwn.id)
    expect(ics.split('\r\n').every((l) => Buffer.byteLength(l) <= 75)).toBe(true)
    expect(await readCalendarFeed(w.t.app.db, { token: 'x'.repeat(32), origin: '' })).toBeNull()
    expect(await readCalendarFeed(w.t.app.db, { token: "'; drop table tasks; --", origin: '' })).toBeNull()
    await agent().tasks.rotateCalendarFeed()
    expect(await readCalendarFeed(w.t.app.db, { token, origin: '' })).toBeNull()
    // A member who leaves stops publishing their agenda.
    const { path: fresh } = await agent().tasks.rotateCalendarFeed()
    const freshToken = fresh.split('/')[2]!.replace('.ics', '')
    await w.t.owner.db.execute(
      sql`update memberships set status = 'deactivated' where user_id = ${w.a.agent.userId} and agency_id = ${w.a.agencyId}`,
    )
    expect(await readCalendarFeed(w.t.app.db, { token: freshToken, origin: '' })).toBeNull()
    await w.t.owner.db.execute(
      sql`update memberships set status = 'active' where user_id = ${w.a.agent.userId} and agency_id = ${w.a.agencyId}`,
    )
    await agent().tasks.deleteCalendarFeed()
    expect(await outcome(agent().tasks.deleteCalendarFeed())).toBe('NOT_FOUND')
  })

  it('folds long lines without splitting characters', () => {
    const long = 'Visita ' + 'é'.repeat(100)
    const ics = toICalendar(
      'Agenda',
      [
        {
          id: '00000000-0000-4000-8000-000000000000',
          kind: 'visit',
          title: long,
          notes: 'linha 1\nlinha 2',
          dueAt: new Date('2027-01-01T12:00:00Z'),
          durationMinutes: 45,
          place: null,
          status: 'open',
          updatedAt: new Date('2027-01-01T00:00:00Z'),
          leadId: null,
          leadName: null,
          clientId: null,
          clientName: null,
          propertyCode: null,
        },
      ],
      'https://crm.test',
    )
    expect(ics).toContain('DTEND:20270101T124500Z')
    const unfolded = ics.replace(/\r\n /g, '')
    expect(unfolded).toContain(`SUMMARY:${long}`)
    expect(unfolded).toContain('DESCRIPTION:linha 1\\nlinha 2')
  })
})
