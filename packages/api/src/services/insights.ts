import { sql } from '@impera/db'
import type { SQL } from 'drizzle-orm'
import { AppError, invalidField } from '../errors'
import { ZInsightsInput, type TInsightsInput } from '../schemas'
import type { AgencyCtx } from '../ctx'

/**
 * Shared by the dashboard and the reports: the period (in the agency's time zone) and whose figures. An agent always
 * sees their own; a manager sees the agency, or one member with `agentId`.
 */
export interface InsightsScope {
  from: Date
  to: Date
  prevFrom: Date
  prevTo: Date
  timezone: string
  /** null = the whole agency. */
  who: string | null
  period: TInsightsInput['period']
}

export async function resolveScope({ db, actor }: AgencyCtx, raw: TInsightsInput): Promise<InsightsScope> {
  const input = ZInsightsInput.parse(raw)
  if (input.agentId && actor.role !== 'manager' && input.agentId !== actor.userId)
    throw new AppError('FORBIDDEN', 'other agent figures', { userMessage: 'errors.forbidden' })
  if (input.agentId && actor.role === 'manager') {
    // Anyone who was ever a member (deactivated ones keep their history); any other id would show empty figures as
    // if they were someone's.
    const [member] = await db.execute(
      sql`select 1 from memberships where agency_id = ${actor.agencyId} and user_id = ${input.agentId}`,
    )
    if (!member) throw invalidField('agentId', 'insights.agentUnknown')
  }
  // The agency's zone and the period's bounds in one statement: the bounds are local days.
  const tz = sql`a.timezone`
  const startOfToday = sql`date_trunc('day', now() at time zone ${tz})`
  const bounds =
    input.period === 'custom'
      ? sql`(${input.from!}::date)::timestamp at time zone ${tz}, ((${input.to!}::date) + 1)::timestamp at time zone ${tz}`
      : sql`(${startOfToday} - make_interval(days => ${input.period === 'today' ? 0 : input.period === '7d' ? 6 : 29})) at time zone ${tz}, now()`
  const [row] = await db.execute<{ tz: string; f: string; t: string }>(
    sql`select a.timezone as tz, b.f, b.t from agencies a cross join lateral (select ${bounds}) b(f, t) where a.id = ${actor.agencyId}`,
  )
  const from = new Date(row!.f)
  const to = new Date(row!.t)
  const span = to.getTime() - from.getTime()
  return {
    from,
    to,
    prevFrom: new Date(from.getTime() - span),
    prevTo: from,
    timezone: row!.tz,
    who: actor.role === 'manager' ? (input.agentId ?? null) : actor.userId,
    period: input.period,
  }
}

/** `column = who` when the scope is one member; nothing for the whole agency. `column` is a name written in code. */
export function scopedTo(column: string, who: string | null): SQL {
  return who ? sql`and ${sql.raw(column)} = ${who}` : sql``
}

/** A timestamp parameter (raw postgres.js queries take strings, not Dates). */
export const at = (d: Date) => sql`${d.toISOString()}::timestamptz`
