import { randomBytes } from 'node:crypto'
import {
  agencies,
  and,
  asc,
  calendarFeeds,
  clients,
  eq,
  gte,
  inArray,
  leads,
  lt,
  memberships,
  ne,
  or,
  properties,
  sql,
  taskProperties,
  tasks,
  users,
  withAgency,
  type Db,
  type DbOrTx,
  type Task,
  type TaskRecurrence,
} from '@impera/db'
import type { SQL } from 'drizzle-orm'
import { byId, inAgency, type AgencyActor, type AgencyCtx } from '../ctx'
import { AppError, forbidden, invalidField, notFound } from '../errors'
import { rooms } from '../live'
import { MAX_INSTANT, MIN_INSTANT } from '../schemas/common'
import type {
  TAgendaInput,
  TCompleteTaskInput,
  TCreateTaskInput,
  TListTasksInput,
  TRescheduleTaskInput,
  TTaskIdInput,
  TTaskInput,
  TUpdateTaskInput,
} from '../schemas'
import { wallClock, zonedInstant } from '../zoned-time'
import { audit } from './audit'
import { getVisibleLead } from './leads'
import { emitLive } from './live'
import { raiseNotification } from './notifications'
import { clientVisibility } from './clients'
import { getVisibleProperty } from './properties'
import { resolveAssignee } from './records'

/*
 * The agent's day (decision 025): tasks and visits, "Hoje", reminders and the private calendar feed. Who sees a task:
 * managers (and everyone, when the agency lets agents see all records) see the agency's; an agent sees the tasks
 * assigned to them or that they created, and those on the leads and clients assigned to them — the same reach as the
 * records themselves. Who changes one: its assignee, its creator, a manager.
 */

export function taskVisibility(actor: AgencyActor): SQL | undefined {
  if (actor.role === 'manager' || actor.agency.agentsSeeAll) return undefined
  const me = actor.userId
  return or(
    eq(tasks.assignedTo, me),
    eq(tasks.createdBy, me),
    sql`${tasks.leadId} in (select l.id from leads l where l.agency_id = ${actor.agencyId} and l.assigned_to = ${me})`,
    sql`${tasks.clientId} in (select c.id from clients c where c.agency_id = ${actor.agencyId} and c.assigned_to = ${me})`,
  )
}

export function canEditTask(actor: AgencyActor, task: Pick<Task, 'assignedTo' | 'createdBy'>): boolean {
  return actor.role === 'manager' || task.assignedTo === actor.userId || task.createdBy === actor.userId
}

async function getVisibleTask(ctx: AgencyCtx, id: string, opts: { lock?: boolean } = {}) {
  const q = ctx.db
    .select()
    .from(tasks)
    .where(and(byId(tasks, ctx, id), taskVisibility(ctx.actor)))
  const [task] = opts.lock ? await q.for('update') : await q
  if (!task) throw notFound('task')
  return task
}

async function getEditableTask(ctx: AgencyCtx, id: string) {
  const task = await getVisibleTask(ctx, id, { lock: true })
  if (!canEditTask(ctx.actor, task)) throw forbidden('task of someone else', { reason: 'not_assignee' })
  return task
}

/** The records a task hangs off must exist in the agency and be visible to whoever attaches it. */
async function checkLinks(ctx: AgencyCtx, data: TTaskInput) {
  if (data.leadId) await getVisibleLead(ctx, data.leadId).catch(asField('leadId'))
  if (data.clientId) {
    const [client] = await ctx.db
      .select({ id: clients.id })
      .from(clients)
      .where(and(byId(clients, ctx, data.clientId), sql`${clients.deletedAt} is null`, clientVisibility(ctx.actor)))
    if (!client) throw invalidField('clientId', 'tasks.recordNotFound')
  }
  const propertyIds = [...new Set([...(data.propertyId ? [data.propertyId] : []), ...data.propertyIds])]
  for (const id of propertyIds) await getVisibleProperty(ctx, id).catch(asField('propertyIds'))
}

function asField(field: string) {
  return (e: unknown) => {
    if (e instanceof AppError && e.code === 'NOT_FOUND') throw invalidField(field, 'tasks.recordNotFound')
    throw e
  }
}

/** A visit's shown properties: the list given, else the one property it is attached to. */
function shownProperties(data: TTaskInput): string[] {
  if (data.kind !== 'visit') return []
  return data.propertyIds.length ? data.propertyIds : data.propertyId ? [data.propertyId] : []
}

/** Everyone who must hear that a task changed: its assignee and the managers (each refetches through visibility). */
async function tasksChanged(db: DbOrTx, agencyId: string, assignees: (string | null)[]) {
  const to = [rooms.managers(agencyId), ...new Set(assignees.filter((a): a is string => !!a).map(rooms.user))]
  await emitLive(db, to, 'tasks:changed')
}

const unconfirmed = {
  confirmationState: null,
  confirmationConversationId: null,
  confirmationReply: null,
  confirmationAt: null,
}

function rowValues(data: TTaskInput) {
  return {
    kind: data.kind,
    title: data.title,
    notes: data.notes,
    dueAt: data.dueAt,
    durationMinutes: data.durationMinutes,
    place: data.place,
    leadId: data.leadId,
    clientId: data.clientId,
    propertyId: data.propertyId,
    remindMinutes: data.remindMinutes,
    recurrence: data.recurrence,
  }
}

export async function createTask(ctx: AgencyCtx, { data }: TCreateTaskInput) {
  const { db, actor } = ctx
  const assignedTo = (await resolveAssignee(ctx, data.assignedTo ?? actor.userId, null)) ?? actor.userId
  await checkLinks(ctx, data)
  const [task] = await db
    .insert(tasks)
    .values({ agencyId: actor.agencyId, ...rowValues(data), assignedTo, createdBy: actor.userId })
    .returning()
  await setShownProperties(db, task!, shownProperties(data))
  await audit(ctx, 'task.create', { entity: 'task', entityId: task!.id, after: auditView(task!) })
  await notifyAssigned(ctx, task!)
  await tasksChanged(db, actor.agencyId, [assignedTo])
  return getTask(ctx, { id: task!.id })
}

export async function updateTask(ctx: AgencyCtx, { id, data }: TUpdateTaskInput) {
  const { db, actor } = ctx
  const before = await getEditableTask(ctx, id)
  if (before.status !== 'open') throw new AppError('CONFLICT', 'task closed', { userMessage: 'tasks.notOpen' })
  const assignedTo = (await resolveAssignee(ctx, data.assignedTo ?? before.assignedTo, before.assignedTo))!
  await checkLinks(ctx, data)
  const values = rowValues(data)
  const [after] = await db
    .update(tasks)
    .set({
      ...values,
      assignedTo,
      // A new time (or reminder) means a new reminder.
      remindedAt:
        +before.dueAt === +data.dueAt && before.remindMinutes === data.remindMinutes ? before.remindedAt : null,
      // A visit moved is confirmed again for its new time.
      ...(+before.dueAt === +data.dueAt ? {} : unconfirmed),
      updatedAt: new Date(),
    })
    .where(byId(tasks, ctx, id))
    .returning()
  if (data.kind === 'visit' || before.kind === 'visit') await setShownProperties(db, after!, shownProperties(data))
  await audit(ctx, 'task.update', { entity: 'task', entityId: id, before: auditView(before), after: auditView(after!) })
  if (assignedTo !== before.assignedTo) await notifyAssigned(ctx, after!)
  await tasksChanged(db, actor.agencyId, [before.assignedTo, assignedTo])
  return getTask(ctx, { id })
}

/** Keeps the interest and feedback already recorded for properties that stay on the visit. */
async function setShownProperties(db: DbOrTx, task: Task, ids: string[]) {
  const where = and(eq(taskProperties.agencyId, task.agencyId), eq(taskProperties.taskId, task.id))
  await db
    .delete(taskProperties)
    .where(ids.length ? and(where, sql`${taskProperties.propertyId} <> all(${sql.param(ids)}::uuid[])`) : where)
  if (!ids.length) return
  await db
    .insert(taskProperties)
    .values(ids.map((propertyId, position) => ({ agencyId: task.agencyId, taskId: task.id, propertyId, position })))
    .onConflictDoUpdate({
      target: [taskProperties.agencyId, taskProperties.taskId, taskProperties.propertyId],
      set: { position: sql`excluded.position` },
    })
}

export async function rescheduleTask(ctx: AgencyCtx, { id, dueAt }: TRescheduleTaskInput) {
  const before = await getEditableTask(ctx, id)
  if (before.status !== 'open') throw new AppError('CONFLICT', 'task closed', { userMessage: 'tasks.notOpen' })
  await ctx.db
    .update(tasks)
    .set({ dueAt, remindedAt: null, ...unconfirmed, updatedAt: new Date() })
    .where(byId(tasks, ctx, id))
  await audit(ctx, 'task.update', {
    entity: 'task',
    entityId: id,
    before: { dueAt: before.dueAt.toISOString() },
    after: { dueAt: dueAt.toISOString() },
  })
  await tasksChanged(ctx.db, ctx.actor.agencyId, [before.assignedTo])
  return getTask(ctx, { id })
}

/**
 * Done, with what happened. A visit records its outcome and the lead's interest in each property shown; rescheduled,
 * a new visit follows at the new time. A recurring task makes its next occurrence. Completing twice is a conflict,
 * not a second occurrence (the row is locked, and the series' unique key holds anyway).
 */
export async function completeTask(ctx: AgencyCtx, input: TCompleteTaskInput) {
  const { db, actor } = ctx
  const before = await getEditableTask(ctx, input.id)
  if (before.status !== 'open') throw new AppError('CONFLICT', 'task closed', { userMessage: 'tasks.notOpen' })
  if (before.kind !== 'visit' && (input.outcome || input.properties.length))
    throw invalidField('outcome', 'tasks.outcomeOnlyVisits')
  const outcome = before.kind === 'visit' ? (input.outcome ?? 'done') : null
  const shown = await db
    .select({ propertyId: taskProperties.propertyId })
    .from(taskProperties)
    .where(and(eq(taskProperties.agencyId, actor.agencyId), eq(taskProperties.taskId, before.id)))
  const shownIds = new Set(shown.map((s) => s.propertyId))
  for (const p of input.properties) if (!shownIds.has(p.propertyId)) throw invalidField('properties', 'tasks.notShown')
  const now = new Date()
  const [after] = await db
    .update(tasks)
    .set({
      status: 'done',
      outcome,
      outcomeNote: input.note,
      completedAt: now,
      completedBy: actor.userId,
      updatedAt: now,
    })
    .where(byId(tasks, ctx, before.id))
    .returning()
  for (const p of input.properties)
    await db
      .update(taskProperties)
      .set({ interest: p.interest ?? null, feedback: p.feedback })
      .where(
        and(
          eq(taskProperties.agencyId, actor.agencyId),
          eq(taskProperties.taskId, before.id),
          eq(taskProperties.propertyId, p.propertyId),
        ),
      )
  let nextId: string | null = null
  if (outcome === 'rescheduled') nextId = await follow(ctx, after!, input.rescheduleTo!)
  else if (before.recurrence !== 'none') {
    const timezone = await agencyTimezone(ctx)
    nextId = await follow(ctx, after!, nextOccurrence(before.dueAt, before.recurrence, timezone, now))
  }
  await audit(ctx, 'task.complete', {
    entity: 'task',
    entityId: before.id,
    before: { status: before.status },
    after: { status: 'done', outcome, nextId },
  })
  await tasksChanged(db, actor.agencyId, [before.assignedTo])
  return { ...(await getTask(ctx, { id: before.id })), nextId }
}

/** The task that follows a done one (its next occurrence or a rescheduled visit), with the same shown properties. */
async function follow(ctx: AgencyCtx, task: Task, dueAt: Date): Promise<string> {
  const [next] = await ctx.db
    .insert(tasks)
    .values({
      agencyId: task.agencyId,
      kind: task.kind,
      title: task.title,
      notes: task.notes,
      dueAt,
      durationMinutes: task.durationMinutes,
      place: task.place,
      assignedTo: task.assignedTo,
      leadId: task.leadId,
      clientId: task.clientId,
      propertyId: task.propertyId,
      remindMinutes: task.remindMinutes,
      recurrence: task.recurrence,
      previousId: task.id,
      createdBy: ctx.actor.userId,
    })
    .returning({ id: tasks.id })
  await ctx.db.execute(sql`
    insert into task_properties (agency_id, task_id, property_id, position)
    select agency_id, ${next!.id}, property_id, position from task_properties
    where agency_id = ${task.agencyId} and task_id = ${task.id}`)
  return next!.id
}

const DAY_MS = 86_400_000

/**
 * The next occurrence after `due`, at the same wall-clock time in the agency's zone, and after `now`: a daily task
 * done three days late comes back tomorrow, not three times overdue.
 */
export function nextOccurrence(due: Date, recurrence: TaskRecurrence, timeZone: string, now: Date): Date {
  const w = wallClock(due, timeZone)
  const minutes = w.hour * 60 + w.minute
  let { year, month, day } = w
  const monthly = recurrence === 'monthly'
  const originalDay = w.day
  for (let i = 0; i < 1000; i++) {
    if (monthly) {
      month += 1
      if (month > 12) {
        month = 1
        year += 1
      }
      // The 31st falls on the last day of shorter months, and returns to the 31st when it can.
      day = Math.min(originalDay, new Date(Date.UTC(year, month, 0)).getUTCDate())
    } else {
      const step = recurrence === 'weekly' ? 7 : 1
      const d = new Date(Date.UTC(year, month - 1, day) + step * DAY_MS)
      if (recurrence === 'weekdays') {
        while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() + 1)
      }
      year = d.getUTCFullYear()
      month = d.getUTCMonth() + 1
      day = d.getUTCDate()
    }
    // Seconds ride along (zone offsets are whole minutes).
    const at = new Date(zonedInstant(timeZone, year, month, day, minutes) + (due.getTime() % 60_000))
    if (at > now) return at
  }
  return new Date(now.getTime() + DAY_MS)
}

async function agencyTimezone(ctx: AgencyCtx): Promise<string> {
  const [a] = await ctx.db
    .select({ timezone: agencies.timezone })
    .from(agencies)
    .where(eq(agencies.id, ctx.actor.agencyId))
  return a?.timezone ?? 'America/Sao_Paulo'
}

/** Cancelled: off the agenda and the calendar; a recurring series stops here. */
export async function cancelTask(ctx: AgencyCtx, { id }: TTaskIdInput) {
  const before = await getEditableTask(ctx, id)
  if (before.status !== 'open') throw new AppError('CONFLICT', 'task closed', { userMessage: 'tasks.notOpen' })
  await ctx.db
    .update(tasks)
    .set({ status: 'cancelled', completedAt: new Date(), completedBy: ctx.actor.userId, updatedAt: new Date() })
    .where(byId(tasks, ctx, id))
  await audit(ctx, 'task.cancel', {
    entity: 'task',
    entityId: id,
    before: { status: 'open' },
    after: { status: 'cancelled' },
  })
  await tasksChanged(ctx.db, ctx.actor.agencyId, [before.assignedTo])
  return getTask(ctx, { id })
}

/** Undo a completion or cancellation (a tap on the wrong row); an occurrence already made stays. */
export async function reopenTask(ctx: AgencyCtx, { id }: TTaskIdInput) {
  const before = await getEditableTask(ctx, id)
  if (before.status === 'open') throw new AppError('CONFLICT', 'task open', { userMessage: 'tasks.alreadyOpen' })
  await ctx.db
    .update(tasks)
    .set({ status: 'open', outcome: null, completedAt: null, completedBy: null, updatedAt: new Date() })
    .where(byId(tasks, ctx, id))
  await audit(ctx, 'task.reopen', {
    entity: 'task',
    entityId: id,
    before: { status: before.status, outcome: before.outcome },
    after: { status: 'open' },
  })
  await tasksChanged(ctx.db, ctx.actor.agencyId, [before.assignedTo])
  return getTask(ctx, { id })
}

function auditView(t: Task) {
  return {
    kind: t.kind,
    title: t.title,
    dueAt: t.dueAt.toISOString(),
    assignedTo: t.assignedTo,
    leadId: t.leadId,
    clientId: t.clientId,
    propertyId: t.propertyId,
    recurrence: t.recurrence,
  }
}

/** A task handed to someone else tells them (the bell, and e-mail if they want it). */
async function notifyAssigned(ctx: AgencyCtx, task: Task) {
  if (task.assignedTo === ctx.actor.userId) return
  await raiseNotification(ctx.db, {
    agencyId: task.agencyId,
    userIds: [task.assignedTo],
    actorUserId: ctx.actor.userId,
    kind: 'task_due',
    entity: 'task',
    entityId: task.id,
    data: { title: task.title, kind: task.kind, dueAt: task.dueAt.toISOString(), assigned: 1 },
  })
}

/* Reading */

const assignee = sql<string | null>`(select u.name from users u where u.id = ${tasks.assignedTo})`

function taskColumns() {
  return {
    id: tasks.id,
    kind: tasks.kind,
    title: tasks.title,
    notes: tasks.notes,
    dueAt: tasks.dueAt,
    durationMinutes: tasks.durationMinutes,
    place: tasks.place,
    status: tasks.status,
    outcome: tasks.outcome,
    outcomeNote: tasks.outcomeNote,
    completedAt: tasks.completedAt,
    remindMinutes: tasks.remindMinutes,
    recurrence: tasks.recurrence,
    confirmationState: tasks.confirmationState,
    confirmationReply: tasks.confirmationReply,
    assignedTo: tasks.assignedTo,
    assigneeName: assignee,
    createdBy: tasks.createdBy,
    leadId: tasks.leadId,
    leadName: leads.name,
    leadPhone: sql<string | null>`${leads.phones}[1]`,
    clientId: tasks.clientId,
    clientName: clients.name,
    clientPhone: sql<string | null>`${clients.phones}[1]`,
    propertyId: tasks.propertyId,
    propertyCode: properties.code,
    propertyTitle: properties.title,
  }
}

export type TaskRow = Awaited<ReturnType<typeof selectTasks>>[number]

async function selectTasks(ctx: AgencyCtx, where: SQL | undefined, opts: { limit: number; desc?: boolean }) {
  const { db, actor } = ctx
  const rows = await db
    .select(taskColumns())
    .from(tasks)
    .leftJoin(leads, and(eq(leads.agencyId, tasks.agencyId), eq(leads.id, tasks.leadId)))
    .leftJoin(clients, and(eq(clients.agencyId, tasks.agencyId), eq(clients.id, tasks.clientId)))
    .leftJoin(properties, and(eq(properties.agencyId, tasks.agencyId), eq(properties.id, tasks.propertyId)))
    .where(and(inAgency(tasks, ctx), taskVisibility(actor), where))
    .orderBy(opts.desc ? sql`${tasks.dueAt} desc, ${tasks.id}` : asc(tasks.dueAt), asc(tasks.id))
    .limit(opts.limit)
  const visitIds = rows.filter((r) => r.kind === 'visit').map((r) => r.id)
  const shown = visitIds.length
    ? await db
        .select({
          taskId: taskProperties.taskId,
          propertyId: taskProperties.propertyId,
          interest: taskProperties.interest,
          feedback: taskProperties.feedback,
          code: properties.code,
          title: properties.title,
        })
        .from(taskProperties)
        .innerJoin(
          properties,
          and(eq(properties.agencyId, taskProperties.agencyId), eq(properties.id, taskProperties.propertyId)),
        )
        .where(and(eq(taskProperties.agencyId, actor.agencyId), inArray(taskProperties.taskId, visitIds)))
        .orderBy(asc(taskProperties.position))
    : []
  return rows.map((r) => ({
    ...r,
    canEdit: canEditTask(actor, r),
    shown: shown
      .filter((s) => s.taskId === r.id)
      .map(({ propertyId, interest, feedback, code, title }) => ({ propertyId, interest, feedback, code, title })),
  }))
}

export async function getTask(ctx: AgencyCtx, { id }: TTaskIdInput) {
  const [row] = await selectTasks(ctx, eq(tasks.id, id), { limit: 1 })
  if (!row) throw notFound('task')
  return row
}

/** Whose tasks: 'me', 'all' (what the actor may see), or one member — managers only, else a 403. */
function whoFilter(actor: AgencyActor, who: string): SQL | undefined {
  if (who === 'all') return undefined
  if (who === 'me' || who === actor.userId) return eq(tasks.assignedTo, actor.userId)
  if (actor.role !== 'manager') throw forbidden('agents see their own agenda', { reason: 'agenda_of_others' })
  return eq(tasks.assignedTo, who)
}

const AGENDA_LIMIT = 200
const UPCOMING_DAYS = 7

/**
 * "Hoje": overdue (open, due before today), today (all but cancelled, so what was done shows as done) and the next
 * seven days (open), by the agency's calendar day. Counts come with the lists, which stop at 200 each.
 */
export async function agenda(ctx: AgencyCtx, input: TAgendaInput) {
  const who = whoFilter(ctx.actor, input.who)
  const timeZone = await agencyTimezone(ctx)
  const now = new Date()
  const day = input.day ? input.day.split('-').map(Number) : null
  const w = wallClock(now, timeZone)
  const [y, m, d] = day ? [day[0]!, day[1]!, day[2]!] : [w.year, w.month, w.day]
  // The first and last days of year 1 and 9999 are days too: their bounds stop where instants do.
  const bound = (ms: number) => new Date(Math.min(Math.max(ms, MIN_INSTANT.getTime()), MAX_INSTANT.getTime()))
  const start = bound(zonedInstant(timeZone, y, m, d))
  const end = bound(zonedInstant(timeZone, y, m, d + 1))
  const horizon = bound(zonedInstant(timeZone, y, m, d + 1 + UPCOMING_DAYS))
  const open = eq(tasks.status, 'open')
  const [overdue, today, upcoming, counts] = await Promise.all([
    selectTasks(ctx, and(who, open, lt(tasks.dueAt, start)), { limit: AGENDA_LIMIT, desc: true }),
    selectTasks(ctx, and(who, ne(tasks.status, 'cancelled'), gte(tasks.dueAt, start), lt(tasks.dueAt, end)), {
      limit: AGENDA_LIMIT,
    }),
    selectTasks(ctx, and(who, open, gte(tasks.dueAt, end), lt(tasks.dueAt, horizon)), { limit: AGENDA_LIMIT }),
    ctx.db
      .select({
        overdue: sql<number>`count(*) filter (where ${tasks.dueAt} < ${start.toISOString()}::timestamptz)::int`,
        today: sql<number>`count(*) filter (where ${tasks.dueAt} >= ${start.toISOString()}::timestamptz and ${tasks.dueAt} < ${end.toISOString()}::timestamptz)::int`,
      })
      .from(tasks)
      .where(and(inAgency(tasks, ctx), taskVisibility(ctx.actor), who, open, lt(tasks.dueAt, end))),
  ])
  return {
    day: `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
    timeZone,
    overdue,
    today,
    upcoming,
    counts: { overdue: counts[0]?.overdue ?? 0, todayOpen: counts[0]?.today ?? 0 },
  }
}

/** The calendar's range, or a record's tasks (newest first for a record, by time for a range). */
export async function listTasks(ctx: AgencyCtx, input: TListTasksInput) {
  const who = whoFilter(ctx.actor, input.who)
  const record = input.leadId || input.clientId || input.propertyId
  return selectTasks(
    ctx,
    and(
      who,
      input.from ? gte(tasks.dueAt, input.from) : undefined,
      input.to ? lt(tasks.dueAt, input.to) : undefined,
      input.status?.length ? inArray(tasks.status, input.status) : undefined,
      input.leadId ? eq(tasks.leadId, input.leadId) : undefined,
      input.clientId ? eq(tasks.clientId, input.clientId) : undefined,
      input.propertyId
        ? or(
            eq(tasks.propertyId, input.propertyId),
            sql`${tasks.id} in (select tp.task_id from task_properties tp where tp.agency_id = ${ctx.actor.agencyId} and tp.property_id = ${input.propertyId})`,
          )
        : undefined,
    ),
    { limit: 500, desc: !!record && !input.from },
  )
}

/* Reminders (the worker) */

/**
 * Every minute, per agency: open tasks whose reminder time has come are announced once to their assignee (bell and,
 * by their preferences, e-mail). A task more than a day past due is not reminded late.
 */
export async function remindDueTasks(db: DbOrTx, { agencyId, now = new Date() }: { agencyId: string; now?: Date }) {
  const due = await db
    .update(tasks)
    .set({ remindedAt: now })
    .where(
      and(
        eq(tasks.agencyId, agencyId),
        eq(tasks.status, 'open'),
        sql`${tasks.remindMinutes} is not null and ${tasks.remindedAt} is null`,
        sql`${tasks.dueAt} - make_interval(mins => ${tasks.remindMinutes}) <= ${now.toISOString()}::timestamptz`,
        gte(tasks.dueAt, new Date(now.getTime() - DAY_MS)),
      ),
    )
    .returning({ id: tasks.id, title: tasks.title, kind: tasks.kind, dueAt: tasks.dueAt, assignedTo: tasks.assignedTo })
  for (const t of due)
    await raiseNotification(db, {
      agencyId,
      userIds: [t.assignedTo],
      kind: 'task_due',
      entity: 'task',
      entityId: t.id,
      data: { title: t.title, kind: t.kind, dueAt: t.dueAt.toISOString() },
      bump: true,
    })
  return due.length
}

/* The private calendar feed */

export const calendarFeedPath = (token: string) => `/calendar/${token}.ics`

export async function getCalendarFeed(ctx: AgencyCtx) {
  const [feed] = await ctx.db
    .select({ token: calendarFeeds.token })
    .from(calendarFeeds)
    .where(and(inAgency(calendarFeeds, ctx), eq(calendarFeeds.userId, ctx.actor.userId)))
  return { path: feed ? calendarFeedPath(feed.token) : null }
}

/** A new URL (the old one stops working at once): for a first subscription, or when a link was shared by mistake. */
export async function rotateCalendarFeed(ctx: AgencyCtx) {
  const token = randomBytes(24).toString('base64url')
  await ctx.db
    .insert(calendarFeeds)
    .values({ agencyId: ctx.actor.agencyId, userId: ctx.actor.userId, token })
    .onConflictDoUpdate({
      target: [calendarFeeds.agencyId, calendarFeeds.userId],
      set: { token, createdAt: new Date() },
    })
  await audit(ctx, 'calendar_feed.rotate', { entity: 'calendar_feed', entityId: ctx.actor.userId })
  return { path: calendarFeedPath(token) }
}

export async function deleteCalendarFeed(ctx: AgencyCtx) {
  const [row] = await ctx.db
    .delete(calendarFeeds)
    .where(and(inAgency(calendarFeeds, ctx), eq(calendarFeeds.userId, ctx.actor.userId)))
    .returning({ userId: calendarFeeds.userId })
  if (!row) throw notFound('calendar feed')
  await audit(ctx, 'calendar_feed.delete', { entity: 'calendar_feed', entityId: row.userId })
  return { ok: true as const }
}

const FEED_PAST_DAYS = 60
const FEED_LIMIT = 2000

/**
 * `GET /calendar/<token>.ics`: the member's visits and tasks from two months back on, as iCalendar. The token is the
 * only credential (the way Google and Apple subscribe); a member no longer active gets nothing.
 */
export async function readCalendarFeed(db: Db, { token, origin }: { token: string; origin: string }) {
  if (!/^[A-Za-z0-9_-]{32}$/.test(token)) return null
  const feed = await db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('app.calendar_token', ${token}, true)`)
    const [row] = await tx.select().from(calendarFeeds).where(eq(calendarFeeds.token, token))
    return row ?? null
  })
  if (!feed) return null
  return withAgency(db, { agencyId: feed.agencyId, userId: feed.userId }, async (tx) => {
    const [member] = await tx
      .select({ status: memberships.status, name: users.name, agencyName: agencies.name })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .innerJoin(agencies, eq(agencies.id, memberships.agencyId))
      .where(and(eq(memberships.agencyId, feed.agencyId), eq(memberships.userId, feed.userId)))
    if (member?.status !== 'active') return null
    const rows = await tx
      .select({
        id: tasks.id,
        kind: tasks.kind,
        title: tasks.title,
        notes: tasks.notes,
        dueAt: tasks.dueAt,
        durationMinutes: tasks.durationMinutes,
        place: tasks.place,
        status: tasks.status,
        updatedAt: tasks.updatedAt,
        leadId: tasks.leadId,
        leadName: leads.name,
        clientId: tasks.clientId,
        clientName: clients.name,
        propertyCode: properties.code,
      })
      .from(tasks)
      .leftJoin(leads, and(eq(leads.agencyId, tasks.agencyId), eq(leads.id, tasks.leadId)))
      .leftJoin(clients, and(eq(clients.agencyId, tasks.agencyId), eq(clients.id, tasks.clientId)))
      .leftJoin(properties, and(eq(properties.agencyId, tasks.agencyId), eq(properties.id, tasks.propertyId)))
      .where(
        and(
          eq(tasks.agencyId, feed.agencyId),
          eq(tasks.assignedTo, feed.userId),
          gte(tasks.dueAt, new Date(Date.now() - FEED_PAST_DAYS * DAY_MS)),
        ),
      )
      .orderBy(asc(tasks.dueAt))
      .limit(FEED_LIMIT)
    return toICalendar(`${member.agencyName} — ${member.name}`, rows, origin)
  })
}

type FeedRow = {
  id: string
  kind: string
  title: string
  notes: string
  dueAt: Date
  durationMinutes: number
  place: string | null
  status: string
  updatedAt: Date
  leadId: string | null
  leadName: string | null
  clientId: string | null
  clientName: string | null
  propertyCode: string | null
}

/** RFC 5545: CRLF lines folded at 75 octets, text escaped, times in UTC. */
export function toICalendar(name: string, rows: FeedRow[], origin: string): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Impera CRM//Agenda//PT',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(name)}`,
    'REFRESH-INTERVAL;VALUE=DURATION:PT15M',
  ]
  for (const r of rows) {
    const end = new Date(r.dueAt.getTime() + r.durationMinutes * 60_000)
    const who = r.leadName ?? r.clientName
    const link = r.leadId
      ? `${origin}/app/leads/${r.leadId}`
      : r.clientId
        ? `${origin}/app/clients/${r.clientId}`
        : null
    const description = [who, r.propertyCode, r.notes, link].filter(Boolean).join('\n')
    lines.push(
      'BEGIN:VEVENT',
      `UID:${r.id}@impera`,
      `DTSTAMP:${icsTime(r.updatedAt)}`,
      `DTSTART:${icsTime(r.dueAt)}`,
      `DTEND:${icsTime(end)}`,
      `SUMMARY:${escapeText(who && !r.title.includes(who) ? `${r.title} — ${who}` : r.title)}`,
      ...(r.place ? [`LOCATION:${escapeText(r.place)}`] : []),
      ...(description ? [`DESCRIPTION:${escapeText(description)}`] : []),
      ...(link ? [`URL:${link}`] : []),
      `STATUS:${r.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED'}`,
      `CATEGORIES:${r.kind.toUpperCase()}`,
      'END:VEVENT',
    )
  }
  lines.push('END:VCALENDAR')
  return lines.map(fold).join('\r\n') + '\r\n'
}

function icsTime(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')
}

function escapeText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n')
}

/** Folds a content line at 75 octets without splitting a UTF-8 character. */
function fold(line: string): string {
  const out: string[] = []
  let current = ''
  let bytes = 0
  for (const ch of line) {
    const size = Buffer.byteLength(ch)
    const limit = out.length ? 74 : 75
    if (bytes + size > limit) {
      out.push(current)
      current = ''
      bytes = 0
    }
    current += ch
    bytes += size
  }
  out.push(current)
  return out.join('\r\n ')
}
