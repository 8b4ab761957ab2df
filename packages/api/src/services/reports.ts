import { sql } from '@impera/db'
import type { TReportInput } from '../schemas'
import type { AgencyActor, AgencyCtx } from '../ctx'
import { at, resolveScope, scopedTo, type InsightsScope } from './insights'

/**
 * Reports are tables: typed columns and rows of plain values, so the page, the CSV export and the tests read the same
 * thing. Column kinds tell the UI and the CSV how to format (`label` values are i18n keys under `labels`).
 */
export type ReportColumnKind = 'text' | 'label' | 'count' | 'percent' | 'minutes' | 'days' | 'month'
export interface ReportColumn {
  key: string
  kind: ReportColumnKind
  /** For `label`: the i18n namespace of the values, e.g. `leads.sources`. */
  labels?: string
}
export type ReportValue = string | number | null
export interface Report {
  report: TReportInput['report']
  columns: ReportColumn[]
  rows: Record<string, ReportValue>[]
}

const n = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v))
const ratio = (part: unknown, whole: unknown) => (Number(whole) ? Number(part) / Number(whole) : null)

function cohort(actor: AgencyActor, s: InsightsScope, alias = 'l') {
  return sql`${sql.raw(alias)}.agency_id = ${actor.agencyId} and ${sql.raw(alias)}.deleted_at is null and ${sql.raw(alias)}.created_at >= ${at(s.from)} and ${sql.raw(alias)}.created_at < ${at(s.to)} ${scopedTo(`${alias}.assigned_to`, s.who)}`
}

/** Where leads come from: of the period's leads per source, how many were contacted, converted, and how fast. */
async function sources({ db, actor }: AgencyCtx, s: InsightsScope): Promise<Report> {
  const rows = await db.execute<Record<string, string | null>>(sql`
    select l.source, count(*) as leads,
           count(*) filter (where l.first_contact_at is not null) as contacted,
           count(*) filter (where l.status = 'converted') as converted,
           percentile_cont(0.5) within group (order by date_part('epoch', l.first_contact_at - l.created_at) / 60) filter (where l.first_contact_at is not null) as ftc
    from leads l where ${cohort(actor, s)} group by l.source order by count(*) desc, l.source`)
  const total = rows.reduce((acc, r) => acc + Number(r.leads), 0)
  return {
    report: 'sources',
    columns: [
      { key: 'source', kind: 'label', labels: 'leads.sources' },
      { key: 'leads', kind: 'count' },
      { key: 'share', kind: 'percent' },
      { key: 'contactedRate', kind: 'percent' },
      { key: 'convertedRate', kind: 'percent' },
      { key: 'medianFirstContact', kind: 'minutes' },
    ],
    rows: rows.map((r) => ({
      source: r.source ?? null,
      leads: n(r.leads),
      share: ratio(r.leads, total),
      contactedRate: ratio(r.contacted, r.leads),
      convertedRate: ratio(r.converted, r.leads),
      medianFirstContact: n(r.ftc),
    })),
  }
}

/**
 * The pipeline of the period's leads: per stage, how many are there now, how many ever reached it, the conversion from
 * the previous stage, and the median days a lead stayed in it (completed stays, from the status history).
 */
async function pipeline({ db, actor }: AgencyCtx, s: InsightsScope): Promise<Report> {
  const [reach] = await db.execute<Record<string, string>>(sql`
    select count(*) as created,
           count(*) filter (where l.first_contact_at is not null or l.status in ('contacted', 'qualified', 'converted')) as contacted,
           count(*) filter (where l.status in ('qualified', 'converted') or l.id in (
             -- Ever qualified: a cohort lead's events all come after its creation, so after the period's start.
             select e.lead_id from lead_events e where e.agency_id = ${actor.agencyId} and e.at >= ${at(s.from)} and e.kind = 'status_changed' and e.to_status in ('qualified', 'converted'))) as qualified,
           count(*) filter (where l.status = 'converted') as converted,
           count(*) filter (where l.status = 'lost') as lost,
           count(*) filter (where l.status = 'new') as now_new,
           count(*) filter (where l.status = 'contacted') as now_contacted,
           count(*) filter (where l.status = 'qualified') as now_qualified
    from leads l where ${cohort(actor, s)}`)
  const stays = await db.execute<{ status: string; days: string | null }>(sql`
    with steps as (
      select l.id, 'new'::text as status, l.created_at as at from leads l where ${cohort(actor, s)}
      union all
      select l.id, e.to_status, e.at from lead_events e join leads l on l.agency_id = e.agency_id and l.id = e.lead_id
      where ${cohort(actor, s)} and e.agency_id = ${actor.agencyId} and e.kind = 'status_changed'
    ), ordered as (
      select status, at, lead(at) over (partition by id order by at) as left_at from steps
    )
    select status, percentile_cont(0.5) within group (order by date_part('epoch', left_at - at) / 86400) as days
    from ordered where left_at is not null group by status`)
  const r = reach!
  const stay = (status: string) => n(stays.find((x) => x.status === status)?.days)
  const stages: [string, unknown, unknown, unknown][] = [
    ['new', r.now_new, r.created, null],
    ['contacted', r.now_contacted, r.contacted, r.created],
    ['qualified', r.now_qualified, r.qualified, r.contacted],
    ['converted', r.converted, r.converted, r.qualified],
    ['lost', r.lost, r.lost, r.created],
  ]
  return {
    report: 'pipeline',
    columns: [
      { key: 'status', kind: 'label', labels: 'leads.statuses' },
      { key: 'now', kind: 'count' },
      { key: 'reached', kind: 'count' },
      { key: 'fromPrevious', kind: 'percent' },
      { key: 'medianDaysInStage', kind: 'days' },
    ],
    rows: stages.map(([status, now, reached, prev]) => ({
      status,
      now: n(now),
      reached: n(reached),
      fromPrevious: prev === null ? null : ratio(reached, prev),
      medianDaysInStage: status === 'converted' || status === 'lost' ? null : stay(status),
    })),
  }
}

async function lost({ db, actor }: AgencyCtx, s: InsightsScope): Promise<Report> {
  const rows = await db.execute<{ reason: string | null; leads: string }>(sql`
    select coalesce(l.lost_reason::text, 'other') as reason, count(*) as leads from leads l where ${cohort(actor, s)} and l.status = 'lost' group by 1 order by 2 desc, 1`)
  const total = rows.reduce((acc, r) => acc + Number(r.leads), 0)
  return {
    report: 'lost',
    columns: [
      { key: 'reason', kind: 'label', labels: 'leads.lostReasons' },
      { key: 'leads', kind: 'count' },
      { key: 'share', kind: 'percent' },
    ],
    rows: rows.map((r) => ({ reason: r.reason, leads: n(r.leads), share: ratio(r.leads, total) })),
  }
}

/**
 * Per member: the period's leads now assigned to them, the share first contacted within 1 h and 24 h of arriving,
 * conversions, and the median WhatsApp first response: for each inbound message that opened a customer turn (the
 * previous message was ours, or none) in their conversations, the minutes until our next message. "Previous" and
 * "next" are the thread's order (provider time, then seq), which the conversation index reads one row at a time: by
 * arrival time each lookup scanned the whole conversation, and a 5,000-message thread took the report to seconds.
 */
async function agents({ db, actor }: AgencyCtx, s: InsightsScope): Promise<Report> {
  const rows = await db.execute<Record<string, string | null>>(sql`
    with members as (
      select m.user_id, u.name from memberships m join users u on u.id = m.user_id
      where m.agency_id = ${actor.agencyId} and m.status = 'active' ${scopedTo('m.user_id', s.who)}
    ), lead_figures as (
      select l.assigned_to as user_id, count(*) as leads,
             count(*) filter (where l.first_contact_at <= l.created_at + interval '1 hour') as within_1h,
             count(*) filter (where l.first_contact_at <= l.created_at + interval '24 hours') as within_24h,
             count(*) filter (where l.status = 'converted') as converted
      from leads l where ${cohort(actor, s)} and l.assigned_to is not null group by 1
    ), turns as (
      select c.assigned_to as user_id, date_part('epoch', r.at - m.created_at) / 60 as minutes
      from whatsapp_messages m
      join whatsapp_conversations c on c.agency_id = m.agency_id and c.id = m.conversation_id and c.assigned_to is not null
      cross join lateral (select o.created_at as at from whatsapp_messages o
        where o.agency_id = m.agency_id and o.conversation_id = m.conversation_id and o.direction = 'outbound'
          and (o.provider_at, o.seq) > (m.provider_at, m.seq)
        order by o.provider_at, o.seq limit 1) r
      where m.agency_id = ${actor.agencyId} and m.direction = 'inbound' and m.created_at >= ${at(s.from)} and m.created_at < ${at(s.to)}
        and coalesce((select p.direction::text from whatsapp_messages p
              where p.agency_id = m.agency_id and p.conversation_id = m.conversation_id and (p.provider_at, p.seq) < (m.provider_at, m.seq)
              order by p.provider_at desc, p.seq desc limit 1), 'outbound') = 'outbound'
    ), response as (
      select user_id, percentile_cont(0.5) within group (order by minutes) as minutes, count(*) as turns from turns group by 1
    )
    select mb.user_id, mb.name, coalesce(f.leads, 0) as leads, f.within_1h, f.within_24h, coalesce(f.converted, 0) as converted, r.minutes, coalesce(r.turns, 0) as turns
    from members mb left join lead_figures f on f.user_id = mb.user_id left join response r on r.user_id = mb.user_id
    order by coalesce(f.leads, 0) desc, mb.name`)
  return {
    report: 'agents',
    columns: [
      { key: 'agent', kind: 'text' },
      { key: 'leads', kind: 'count' },
      { key: 'contactedWithin1h', kind: 'percent' },
      { key: 'contactedWithin24h', kind: 'percent' },
      { key: 'converted', kind: 'count' },
      { key: 'medianFirstResponse', kind: 'minutes' },
    ],
    rows: rows.map((r) => ({
      agent: r.name ?? null,
      leads: n(r.leads),
      contactedWithin1h: ratio(r.within_1h, r.leads),
      contactedWithin24h: ratio(r.within_24h, r.leads),
      converted: n(r.converted),
      medianFirstResponse: n(r.minutes),
    })),
  }
}

/**
 * Listings now, by status, type and neighbourhood, with the median days on market: until sold/rented for those, until
 * today for the rest. Not limited to the period (it is a picture of the portfolio); the member filter applies.
 */
async function listings({ db, actor }: AgencyCtx, s: InsightsScope): Promise<Report> {
  const rows = await db.execute<Record<string, string | null>>(sql`
    select p.status, p.type, coalesce(p.neighbourhood, '') as neighbourhood, count(*) as listings,
           percentile_cont(0.5) within group (order by date_part('epoch', (case when p.status in ('sold', 'rented') then p.status_changed_at else now() end) - p.created_at) / 86400) as days
    from properties p where p.agency_id = ${actor.agencyId} and p.deleted_at is null ${scopedTo('p.assigned_to', s.who)}
    group by 1, 2, 3 order by 1, 2, 3`)
  return {
    report: 'listings',
    columns: [
      { key: 'status', kind: 'label', labels: 'properties.statuses' },
      { key: 'type', kind: 'label', labels: 'properties.typeNames' },
      { key: 'neighbourhood', kind: 'text' },
      { key: 'listings', kind: 'count' },
      { key: 'medianDaysOnMarket', kind: 'days' },
    ],
    rows: rows.map((r) => ({
      status: r.status ?? null,
      type: r.type ?? null,
      neighbourhood: r.neighbourhood ?? null,
      listings: n(r.listings),
      medianDaysOnMarket: n(r.days),
    })),
  }
}

/** Sold and rented per month of the period (agency time zone), from the properties' status history. */
async function listingsMonthly({ db, actor }: AgencyCtx, s: InsightsScope): Promise<Report> {
  const rows = await db.execute<{ month: string; sold: string; rented: string }>(sql`
    with moves as (
      select to_char(e.at at time zone ${s.timezone}, 'YYYY-MM') as month, e.data->>'to' as status
      from property_events e join properties p on p.agency_id = e.agency_id and p.id = e.property_id and p.deleted_at is null ${scopedTo('p.assigned_to', s.who)}
      where e.agency_id = ${actor.agencyId} and e.kind = 'status_changed' and e.data->>'to' in ('sold', 'rented') and e.at >= ${at(s.from)} and e.at < ${at(s.to)}
    ), months as (
      select to_char(d, 'YYYY-MM') as month
      from generate_series(date_trunc('month', ${at(s.from)}::timestamptz at time zone ${s.timezone}), ((${at(s.to)}::timestamptz - interval '1 microsecond') at time zone ${s.timezone}), interval '1 month') d
    )
    select m.month, count(*) filter (where mv.status = 'sold') as sold, count(*) filter (where mv.status = 'rented') as rented
    from months m left join moves mv on mv.month = m.month group by m.month order by m.month`)
  return {
    report: 'listings_monthly',
    columns: [
      { key: 'month', kind: 'month' },
      { key: 'sold', kind: 'count' },
      { key: 'rented', kind: 'count' },
    ],
    rows: rows.map((r) => ({ month: r.month, sold: n(r.sold), rented: n(r.rented) })),
  }
}

/**
 * The AI agent per WhatsApp number (decision 020), for the period's new conversations: how many the AI answered, how
 * many it handed over, how many contacts opted out, the share of its leads qualified (warm or hot), and the median
 * minutes to the first answer with the AI and, for conversations it never answered, with people.
 */
async function ai({ db, actor }: AgencyCtx, s: InsightsScope): Promise<Report> {
  const rows = await db.execute<Record<string, string | null>>(sql`
    with convs as (
      select c.id, c.account_id, c.lead_id, c.opted_out_at,
        exists (select 1 from ai_turns t where t.agency_id = c.agency_id and t.conversation_id = c.id) as ai,
        exists (select 1 from whatsapp_control_events e where e.agency_id = c.agency_id and e.conversation_id = c.id
          and e.reason in ('bot_handoff', 'turn_deadline', 'bot_guard')) as handed,
        (select min(m.created_at) from whatsapp_messages m where m.agency_id = c.agency_id and m.conversation_id = c.id and m.direction = 'inbound') as first_in
      from whatsapp_conversations c
      where c.agency_id = ${actor.agencyId} and c.created_at >= ${at(s.from)} and c.created_at < ${at(s.to)} ${scopedTo('c.assigned_to', s.who)}
    ), answered as (
      select v.*, (select min(o.created_at) from whatsapp_messages o where o.agency_id = ${actor.agencyId}
          and o.conversation_id = v.id and o.direction = 'outbound' and o.created_at >= v.first_in) as first_out,
        (select l.qualification_score from leads l where l.agency_id = ${actor.agencyId} and l.id = v.lead_id) as score
      from convs v
    )
    select a.label as number, count(*) as conversations,
      count(*) filter (where v.ai) as ai,
      count(*) filter (where v.handed) as handed,
      count(*) filter (where v.opted_out_at is not null) as opted_out,
      count(*) filter (where v.ai and v.score >= 40) as qualified,
      count(*) filter (where v.ai and v.lead_id is not null) as ai_leads,
      percentile_cont(0.5) within group (order by date_part('epoch', v.first_out - v.first_in) / 60) filter (where v.ai and v.first_out is not null) as ai_minutes,
      percentile_cont(0.5) within group (order by date_part('epoch', v.first_out - v.first_in) / 60) filter (where not v.ai and v.first_out is not null) as human_minutes
    from answered v join whatsapp_accounts a on a.agency_id = ${actor.agencyId} and a.id = v.account_id
    group by a.id, a.label order by count(*) desc, a.label`)
  return {
    report: 'ai',
    columns: [
      { key: 'number', kind: 'text' },
      { key: 'conversations', kind: 'count' },
      { key: 'aiAnswered', kind: 'count' },
      { key: 'handedOver', kind: 'count' },
      { key: 'optedOut', kind: 'count' },
      { key: 'qualifiedRate', kind: 'percent' },
      { key: 'medianFirstAnswerAi', kind: 'minutes' },
      { key: 'medianFirstAnswerPeople', kind: 'minutes' },
    ],
    rows: rows.map((r) => ({
      number: r.number ?? null,
      conversations: n(r.conversations),
      aiAnswered: n(r.ai),
      handedOver: n(r.handed),
      optedOut: n(r.opted_out),
      qualifiedRate: ratio(r.qualified, r.ai_leads),
      medianFirstAnswerAi: n(r.ai_minutes),
      medianFirstAnswerPeople: n(r.human_minutes),
    })),
  }
}

/** Why the AI handed conversations over in the period: the kind (asked, deadline, guard) and the bot's own reason. */
async function aiHandoffs({ db, actor }: AgencyCtx, s: InsightsScope): Promise<Report> {
  const rows = await db.execute<{ kind: string; why: string | null; conversations: string }>(sql`
    select e.reason::text as kind,
      (select nullif(substr(t.handoff_reason, strpos(t.handoff_reason, ': ') + 2), '') from ai_turns t
        where t.agency_id = e.agency_id and t.conversation_id = e.conversation_id and t.outcome = 'handoff' and t.at <= e.at
        order by t.at desc limit 1) as why,
      count(distinct e.conversation_id) as conversations
    from whatsapp_control_events e
    join whatsapp_conversations c on c.agency_id = e.agency_id and c.id = e.conversation_id ${scopedTo('c.assigned_to', s.who)}
    where e.agency_id = ${actor.agencyId} and e.reason in ('bot_handoff', 'turn_deadline', 'bot_guard')
      and e.at >= ${at(s.from)} and e.at < ${at(s.to)}
    group by 1, 2 order by 3 desc, 1, 2`)
  const total = rows.reduce((acc, r) => acc + Number(r.conversations), 0)
  return {
    report: 'ai_handoffs',
    columns: [
      { key: 'handoffKind', kind: 'label', labels: 'reports.handoffKinds' },
      { key: 'why', kind: 'text' },
      { key: 'conversations', kind: 'count' },
      { key: 'share', kind: 'percent' },
    ],
    rows: rows.map((r) => ({
      handoffKind: r.kind,
      why: r.why,
      conversations: n(r.conversations),
      share: ratio(r.conversations, total),
    })),
  }
}

/**
 * First-contact SLA per member (decision 027): the leads the distribution gave them in the period with a deadline,
 * how many they contacted in time (while still theirs), how many moved on for lack of contact, and how fast.
 */
async function sla({ db, actor }: AgencyCtx, s: InsightsScope): Promise<Report> {
  const rows = await db.execute<Record<string, string | null>>(sql`
    with given as (
      select a.user_id, a.created_at, a.due_at, a.breached_at,
        case when l.first_contact_at >= a.created_at and (a.ended_at is null or l.first_contact_at <= a.ended_at)
          then l.first_contact_at end as contacted_at
      from lead_assignments a join leads l on l.agency_id = a.agency_id and l.id = a.lead_id
      where a.agency_id = ${actor.agencyId} and a.due_at is not null
        and a.created_at >= ${at(s.from)} and a.created_at < ${at(s.to)} ${scopedTo('a.user_id', s.who)}
    )
    select u.name, count(*) as assigned,
      count(*) filter (where g.contacted_at <= g.due_at and g.breached_at is null) as met,
      count(*) filter (where g.breached_at is not null) as missed,
      percentile_cont(0.5) within group (order by date_part('epoch', g.contacted_at - g.created_at) / 60) filter (where g.contacted_at is not null) as minutes
    from given g join users u on u.id = g.user_id
    group by g.user_id, u.name order by count(*) desc, u.name`)
  return {
    report: 'sla',
    columns: [
      { key: 'agent', kind: 'text' },
      { key: 'assigned', kind: 'count' },
      { key: 'contactedInTime', kind: 'count' },
      { key: 'missedSla', kind: 'count' },
      { key: 'slaCompliance', kind: 'percent' },
      { key: 'medianFirstContact', kind: 'minutes' },
    ],
    rows: rows.map((r) => ({
      agent: r.name ?? null,
      assigned: n(r.assigned),
      contactedInTime: n(r.met),
      missedSla: n(r.missed),
      slaCompliance: ratio(r.met, Number(r.met) + Number(r.missed)),
      medianFirstContact: n(r.minutes),
    })),
  }
}

const builders = {
  sources,
  pipeline,
  lost,
  agents,
  listings,
  listings_monthly: listingsMonthly,
  ai,
  ai_handoffs: aiHandoffs,
  sla,
}

export async function getReport(ctx: AgencyCtx, input: TReportInput): Promise<Report> {
  const s = await resolveScope(ctx, input)
  return builders[input.report](ctx, s)
}
