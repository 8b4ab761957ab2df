import { sql, type DbOrTx } from '@impera/db'
import type { SQL } from 'drizzle-orm'
import type { TInsightsInput } from '../schemas'
import type { AgencyCtx } from '../ctx'
import { at, resolveScope, scopedTo, type InsightsScope } from './insights'
import { visibleTo } from './records'
import { unreadConversations } from './whatsapp'

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v))
const numOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v))

export interface Kpi {
  value: number | null
  previous: number | null
}

/** `column` within the current or the previous period; `column` is a name written in code, never input. */
function periods(s: InsightsScope) {
  const within = (col: string, from: Date, to: Date) =>
    sql`${sql.raw(col)} >= ${at(from)} and ${sql.raw(col)} < ${at(to)}`
  return {
    inCur: (col: string) => within(col, s.from, s.to),
    inPrev: (col: string) => within(col, s.prevFrom, s.prevTo),
  }
}

/** A lead's first move to `status` within [from, to): its previous move to that status, if any, came before. */
const firstMove = (status: string, from: Date, to: Date) =>
  sql`e.to_status = ${status} and e.at >= ${at(from)} and e.at < ${at(to)} and (e.prev_move_at is null or e.prev_move_at < ${at(from)})`

/**
 * Which leads' events count: the live (not trashed) leads of the agency, or of one member. Written as a hashed set
 * (the trashed ones are few; one member's are a fraction) rather than a join probing the leads table per event.
 * `column` is a name written in code.
 */
function countedLeads(agencyId: string, column: string, who: string | null): SQL {
  return who
    ? sql`${sql.raw(column)} in (select l.id from leads l where l.agency_id = ${agencyId} and l.deleted_at is null and l.assigned_to = ${who})`
    : sql`${sql.raw(column)} not in (select l.id from leads l where l.agency_id = ${agencyId} and l.deleted_at is not null)`
}

/**
 * The dashboard's figures for a period against the one before it. Definitions (shown in the UI too):
 * - new leads: created in the period; contacted: first contact in the period (see leads.first_contact_at);
 * - qualified / converted / lost: distinct leads moved to that status in the period (from the status history);
 * - conversion rate: of the leads created in the period, the share converted by now;
 * - median time to first contact: over the leads created in the period that have been contacted, in minutes.
 * Figures follow each lead's current assignee when scoped to one member.
 */
export async function dashboardKpis({ db, actor }: AgencyCtx, s: InsightsScope) {
  const a = actor.agencyId
  const { inCur, inPrev } = periods(s)
  // Each figure reads one covering index narrowed by agency and time (migration 0021): under RLS, status and kind
  // comparisons cannot narrow a scan, so they are tested on the index entries instead of the table rows.
  const [created] = await db.execute<Record<string, string | null>>(sql`
    select
      count(*) filter (where ${inCur('created_at')}) as new_cur,
      count(*) filter (where ${inPrev('created_at')}) as new_prev,
      count(*) filter (where ${inCur('created_at')} and status = 'converted') as cohort_conv_cur,
      count(*) filter (where ${inPrev('created_at')} and status = 'converted') as cohort_conv_prev,
      percentile_cont(0.5) within group (order by date_part('epoch', first_contact_at - created_at) / 60) filter (where ${inCur('created_at')} and first_contact_at is not null) as ftc_cur,
      percentile_cont(0.5) within group (order by date_part('epoch', first_contact_at - created_at) / 60) filter (where ${inPrev('created_at')} and first_contact_at is not null) as ftc_prev
    from leads
    where agency_id = ${a} and deleted_at is null and created_at >= ${at(s.prevFrom)} and created_at < ${at(s.to)} ${scopedTo('assigned_to', s.who)}`)
  const [contacted] = await db.execute<Record<string, string | null>>(sql`
    select count(*) filter (where ${inCur('first_contact_at')}) as cur, count(*) filter (where ${inPrev('first_contact_at')}) as prev
    from leads
    where agency_id = ${a} and deleted_at is null and first_contact_at >= ${at(s.prevFrom)} and first_contact_at < ${at(s.to)} ${scopedTo('assigned_to', s.who)}`)
  // Distinct leads per status and period: a lead's move counts only when its previous move to the same status falls
  // before the period (lead_events.prev_move_at, migration 0030), so each lead counts once without grouping by lead.
  const cur = (status: string) => firstMove(status, s.from, s.to)
  const prev = (status: string) => firstMove(status, s.prevFrom, s.prevTo)
  const [moveRow] = await db.execute<Record<string, string>>(sql`
    select count(*) filter (where ${cur('qualified')}) as qualified_cur, count(*) filter (where ${prev('qualified')}) as qualified_prev,
           count(*) filter (where ${cur('converted')}) as converted_cur, count(*) filter (where ${prev('converted')}) as converted_prev,
           count(*) filter (where ${cur('lost')}) as lost_cur, count(*) filter (where ${prev('lost')}) as lost_prev
    from lead_events e
    where e.agency_id = ${a} and e.at >= ${at(s.prevFrom)} and e.at < ${at(s.to)}
      and e.kind = 'status_changed' and e.to_status in ('qualified', 'converted', 'lost')
      and ${countedLeads(a, 'e.lead_id', s.who)}`)
  const messages = s.who ? await memberMessages(db, a, s) : await agencyMessages(db, a, s)
  // Kept per status and assignee by triggers (property_counts, migration 0033): a few rows, not every listing.
  const listings = await db.execute<{ status: string; n: string }>(sql`
    select status, sum(n) as n from property_counts where agency_id = ${a} ${scopedTo('assigned_to', s.who)} group by status having sum(n) > 0`)
  const move = (status: string): Kpi => ({
    value: num(moveRow![`${status}_cur`]),
    previous: num(moveRow![`${status}_prev`]),
  })
  const l = created!
  const rate = (conv: unknown, total: unknown) => (num(total) ? num(conv) / num(total) : null)
  return {
    newLeads: { value: num(l.new_cur), previous: num(l.new_prev) },
    contacted: { value: num(contacted!.cur), previous: num(contacted!.prev) },
    qualified: move('qualified'),
    converted: move('converted'),
    lost: move('lost'),
    conversionRate: { value: rate(l.cohort_conv_cur, l.new_cur), previous: rate(l.cohort_conv_prev, l.new_prev) },
    medianFirstContactMinutes: { value: numOrNull(l.ftc_cur), previous: numOrNull(l.ftc_prev) },
    messagesIn: { value: messages.inCur, previous: messages.inPrev },
    messagesOut: { value: messages.outCur, previous: messages.outPrev },
    listings: Object.fromEntries(listings.map((r) => [r.status, num(r.n)])) as Record<string, number>,
  }
}

interface MessageCounts {
  inCur: number
  inPrev: number
  outCur: number
  outPrev: number
}

/** One member's conversations: counted from the messages (the daily stats are per agency). */
async function memberMessages(db: DbOrTx, a: string, s: InsightsScope): Promise<MessageCounts> {
  const { inCur, inPrev } = periods(s)
  const [r] = await db.execute<Record<string, string>>(sql`
    select count(*) filter (where m.direction = 'inbound' and ${inCur('m.created_at')}) as in_cur,
           count(*) filter (where m.direction = 'inbound' and ${inPrev('m.created_at')}) as in_prev,
           count(*) filter (where m.direction = 'outbound' and ${inCur('m.created_at')}) as out_cur,
           count(*) filter (where m.direction = 'outbound' and ${inPrev('m.created_at')}) as out_prev
    from whatsapp_messages m
    where m.agency_id = ${a} and m.created_at >= ${at(s.prevFrom)} and m.created_at < ${at(s.to)}
      and m.conversation_id in (select c.id from whatsapp_conversations c where c.agency_id = ${a} and c.assigned_to = ${s.who})`)
  return { inCur: num(r!.in_cur), inPrev: num(r!.in_prev), outCur: num(r!.out_cur), outPrev: num(r!.out_prev) }
}

/**
 * The whole agency: whole UTC days inside each period come from `agency_daily_stats` (kept by a trigger on every
 * message insert, migration 0013), and only the partial days at the edges are counted from the messages — exact, and
 * a few days of messages instead of sixty. [d0, d1) is the run of whole days inside [start, end), empty if none.
 */
async function agencyMessages(db: DbOrTx, a: string, s: InsightsScope): Promise<MessageCounts> {
  const rows = await db.execute<{ period: 'cur' | 'prev'; msg_in: string; msg_out: string }>(sql`
    with p(period, ps, pe) as (values ('cur', ${at(s.from)}::timestamptz, ${at(s.to)}::timestamptz), ('prev', ${at(s.prevFrom)}::timestamptz, ${at(s.prevTo)}::timestamptz)),
    e as (
      select period, ps, pe,
             least(case when date_trunc('day', ps, 'UTC') = ps then ps else date_trunc('day', ps, 'UTC') + interval '1 day' end, pe) as d0,
             date_trunc('day', pe, 'UTC') as floor_end
      from p
    ), r as (select period, ps, pe, d0, greatest(floor_end, d0) as d1 from e)
    select r.period, w.i + head.i + tail.i as msg_in, w.o + head.o + tail.o as msg_out
    from r
    cross join lateral (
      select coalesce(sum(st.messages_in), 0) as i, coalesce(sum(st.messages_out), 0) as o from agency_daily_stats st
      where st.agency_id = ${a} and st.day >= (r.d0 at time zone 'UTC')::date and st.day < (r.d1 at time zone 'UTC')::date) w
    cross join lateral (
      select count(*) filter (where m.direction = 'inbound') as i, count(*) filter (where m.direction = 'outbound') as o from whatsapp_messages m
      where m.agency_id = ${a} and m.created_at >= r.ps and m.created_at < r.d0) head
    cross join lateral (
      select count(*) filter (where m.direction = 'inbound') as i, count(*) filter (where m.direction = 'outbound') as o from whatsapp_messages m
      where m.agency_id = ${a} and m.created_at >= r.d1 and m.created_at < r.pe) tail`)
  const of = (period: 'cur' | 'prev') => rows.find((r) => r.period === period)
  return {
    inCur: num(of('cur')?.msg_in),
    inPrev: num(of('prev')?.msg_in),
    outCur: num(of('cur')?.msg_out),
    outPrev: num(of('prev')?.msg_out),
  }
}

/** Funnel of the period's leads (how far each got), new leads by source, and new leads per day. */
export async function dashboardCharts({ db, actor }: AgencyCtx, s: InsightsScope) {
  const a = actor.agencyId
  // The funnel is counted per source in the same pass, and summed here: one scan of the period's leads for both.
  const bySource = await db.execute<{
    source: string
    created: string
    contacted: string
    qualified: string
    converted: string
    lost: string
  }>(sql`
    select l.source, count(*) as created,
           count(*) filter (where l.first_contact_at is not null or l.status in ('contacted', 'qualified', 'converted')) as contacted,
           count(*) filter (where l.status in ('qualified', 'converted') or l.id in (
             -- Ever qualified: its events all come after its creation, so after the period's start.
             select e.lead_id from lead_events e where e.agency_id = ${a} and e.at >= ${at(s.from)} and e.kind = 'status_changed' and e.to_status in ('qualified', 'converted'))) as qualified,
           count(*) filter (where l.status = 'converted') as converted,
           count(*) filter (where l.status = 'lost') as lost
    from leads l
    where l.agency_id = ${a} and l.deleted_at is null and l.created_at >= ${at(s.from)} and l.created_at < ${at(s.to)} ${scopedTo('l.assigned_to', s.who)}
    group by 1 order by 2 desc, 1`)
  // Per local day: one index range count per day, rather than converting every lead's time to the agency's zone.
  const days = await db.execute<{ day: string; n: string }>(sql`
    select to_char(d, 'YYYY-MM-DD') as day, (
      select count(*) from leads l
      where l.agency_id = ${a} and l.deleted_at is null ${scopedTo('l.assigned_to', s.who)}
        and l.created_at >= greatest(d at time zone ${s.timezone}, ${at(s.from)}) and l.created_at < least((d + interval '1 day') at time zone ${s.timezone}, ${at(s.to)})
    ) as n
    from generate_series((${at(s.from)} at time zone ${s.timezone})::date::timestamp, ((${at(s.to)} - interval '1 microsecond') at time zone ${s.timezone})::date::timestamp, interval '1 day') d
    order by d`)
  const total = (k: 'created' | 'contacted' | 'qualified' | 'converted' | 'lost') =>
    bySource.reduce((n, r) => n + num(r[k]), 0)
  return {
    funnel: {
      created: total('created'),
      contacted: total('contacted'),
      qualified: total('qualified'),
      converted: total('converted'),
      lost: total('lost'),
    },
    bySource: bySource.map((r) => ({ source: r.source, count: num(r.created) })),
    overTime: days.map((r) => ({ day: r.day, count: num(r.n) })),
  }
}

const ATTENTION_LIMIT = 8
const ATTENTION_COUNT_CAP = 1000

/** What needs someone now: uncontacted leads past the agency's contact time, contacts waiting for a reply, stale reservations. */
export async function dashboardAttention({ db, actor }: AgencyCtx, who: string | null) {
  const a = actor.agencyId
  const mine = (col: string) =>
    who && actor.role === 'manager' ? sql`and ${sql.raw(col)} = ${who}` : visibleTo(actor, col)
  const [settings] = await db.execute<{ sla: number; stale: number }>(
    sql`select contact_sla_hours as sla, stale_reserved_days as stale from agencies where id = ${a}`,
  )
  // Each list shows a few items and how many there are in all; the totals are counted apart, on small partial indexes
  // (migrations 0021, 0024), rather than as a window over every matching row.
  const overdueLeads = sql`l.agency_id = ${a} and l.deleted_at is null and l.status = 'new' and l.first_contact_at is null
      and l.created_at < now() - make_interval(hours => ${settings!.sla}) ${mine('l.assigned_to')}`
  const waiting = sql`c.agency_id = ${a} and c.last_inbound_at is not null ${mine('c.assigned_to')}
      and c.last_inbound_received_at > coalesce(c.last_outbound_at, '-infinity'::timestamptz)`
  const stale = sql`p.agency_id = ${a} and p.deleted_at is null and p.status = 'reserved'
      and greatest(p.updated_at, p.status_changed_at) < now() - make_interval(days => ${settings!.stale}) ${mine('p.assigned_to')}`
  const leads = await db.execute<{ id: string; name: string; created_at: string; assignee: string | null }>(sql`
    select l.id, l.name, l.created_at, u.name as assignee
    from leads l left join users u on u.id = l.assigned_to
    where ${overdueLeads}
    order by l.created_at limit ${ATTENTION_LIMIT}`)
  const conversations = await db.execute<{
    id: string
    contact: string
    waiting_since: string
    preview: string | null
    assignee: string | null
  }>(sql`
    select c.id, coalesce(c.contact_name, c.contact_phone) as contact, c.last_inbound_at as waiting_since, c.last_message_preview as preview, u.name as assignee
    from whatsapp_conversations c left join users u on u.id = c.assigned_to
    where ${waiting}
    order by c.last_inbound_at limit ${ATTENTION_LIMIT}`)
  const properties = await db.execute<{ id: string; code: string; title: string; since: string }>(sql`
    select p.id, p.code, p.title, greatest(p.updated_at, p.status_changed_at) as since
    from properties p
    where ${stale}
    order by since limit ${ATTENTION_LIMIT}`)
  // Past ATTENTION_COUNT_CAP the page says "1.000+": a backlog that size is a fact to act on, not a figure to read.
  const cap = ATTENTION_COUNT_CAP + 1
  const [totals] = await db.execute<{ leads: string; conversations: string; properties: string }>(sql`
    select (select count(*) from (select 1 from leads l where ${overdueLeads} limit ${cap}) x) as leads,
           (select count(*) from (select 1 from whatsapp_conversations c where ${waiting} limit ${cap}) x) as conversations,
           (select count(*) from (select 1 from properties p where ${stale} limit ${cap}) x) as properties`)
  return {
    contactSlaHours: settings!.sla,
    staleReservedDays: settings!.stale,
    leads: {
      total: num(totals!.leads),
      items: leads.map((r) => ({ id: r.id, name: r.name, createdAt: new Date(r.created_at), assignee: r.assignee })),
    },
    conversations: {
      total: num(totals!.conversations),
      items: conversations.map((r) => ({
        id: r.id,
        contact: r.contact,
        waitingSince: new Date(r.waiting_since),
        preview: r.preview,
        assignee: r.assignee,
      })),
    },
    properties: {
      total: num(totals!.properties),
      items: properties.map((r) => ({ id: r.id, code: r.code, title: r.title, since: new Date(r.since) })),
    },
  }
}

export interface ActivityItem {
  entity: 'lead' | 'property' | 'conversation'
  kind: string
  at: Date
  id: string
  name: string
  actorName: string | null
  actorKind: 'person' | 'integration' | null
  data: Record<string, unknown>
}

const ACTIVITY_LIMIT = 20

/** The latest things that happened to records the actor may see, newest first. */
export async function recentActivity({ db, actor }: AgencyCtx): Promise<ActivityItem[]> {
  const a = actor.agencyId
  const rows = await db.execute<{
    entity: ActivityItem['entity']
    kind: string
    at: string
    id: string
    name: string
    actor_name: string | null
    actor_kind: 'person' | 'integration' | null
    data: Record<string, unknown>
  }>(sql`
    (select 'lead' as entity, e.kind::text as kind, e.at, l.id, l.name, u.name as actor_name, u.kind::text as actor_kind, e.data
      from lead_events e join leads l on l.agency_id = e.agency_id and l.id = e.lead_id and l.deleted_at is null ${visibleTo(actor, 'l.assigned_to')}
      left join users u on u.id = e.actor_user_id
      where e.agency_id = ${a} and e.kind in ('created', 'status_changed', 'converted', 'assigned')
      order by e.at desc limit ${ACTIVITY_LIMIT})
    union all
    (select 'property', e.kind::text, e.at, p.id, p.code || ' · ' || p.title, u.name, u.kind::text, e.data
      from property_events e join properties p on p.agency_id = e.agency_id and p.id = e.property_id and p.deleted_at is null ${visibleTo(actor, 'p.assigned_to')}
      left join users u on u.id = e.actor_user_id
      where e.agency_id = ${a} and e.kind in ('created', 'status_changed')
      order by e.at desc limit ${ACTIVITY_LIMIT})
    union all
    (select 'conversation', 'message_in', m.created_at, c.id, coalesce(c.contact_name, c.contact_phone), null, null, jsonb_build_object('preview', left(coalesce(m.body, ''), 80), 'type', m.type)
      from whatsapp_messages m join whatsapp_conversations c on c.agency_id = m.agency_id and c.id = m.conversation_id ${visibleTo(actor, 'c.assigned_to')}
      where m.agency_id = ${a} and m.direction = 'inbound'
      order by m.created_at desc limit ${ACTIVITY_LIMIT})
    order by at desc limit ${ACTIVITY_LIMIT}`)
  return rows.map((r) => ({
    entity: r.entity,
    kind: r.kind,
    at: new Date(r.at),
    id: r.id,
    name: r.name,
    actorName: r.actor_name,
    actorKind: r.actor_kind,
    data: r.data,
  }))
}

/** The input is parsed again by resolveScope (its defaults), so a caller may leave the period out. */
export async function getDashboard(ctx: AgencyCtx, input: TInsightsInput) {
  const s = await resolveScope(ctx, input)
  const [kpis, charts, attention, unread] = await Promise.all([
    dashboardKpis(ctx, s),
    dashboardCharts(ctx, s),
    dashboardAttention(ctx, s.who),
    unreadConversations(ctx),
  ])
  return {
    period: { from: s.from, to: s.to, prevFrom: s.prevFrom, prevTo: s.prevTo, timezone: s.timezone, who: s.who },
    kpis: { ...kpis, unreadConversations: unread },
    charts,
    attention,
  }
}
