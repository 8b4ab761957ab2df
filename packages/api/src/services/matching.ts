import { sql, type DbOrTx, type Lead, type Property } from '@impera/db'
import type { SQL } from 'drizzle-orm'
import type { AgencyCtx } from '../ctx'
import type { TMatchPropertiesInput } from '../schemas/matching'
import { getVisibleLead } from './leads'
import { assigneeOrManagers, raiseNotification } from './notifications'
import { getVisibleProperty } from './properties'
import { textArray, visibleTo } from './records'

/**
 * Properties ranked for a lead's criteria. The properties list filters but cannot rank, and takes one
 * neighbourhood where a lead names several, so the ranking is this one statement. It is meant to be explained in a
 * sentence, and the tool descriptions and the README do:
 *
 * - **Kept**: available properties (not reserved, sold, rented or off the market, not in the trash) the actor may see,
 *   offered for the lead's interest (buy: for sale or both; rent: for rent or both), of one of its types when it names
 *   types, and priced at most 10 % above its budget's maximum.
 * - **Points**: 40 when the neighbourhood is one of the lead's locations (25 when only the city is); 30 when the price
 *   (the sale price for buyers, the rent for renters, else whichever the property has) is within the budget, 20 when
 *   below its minimum, 15 when up to 10 % above its maximum; 20 with at least the bedrooms asked for, 10 with one
 *   fewer. Locations compare whole names, ignoring case and accents.
 * - **Score**: the points as a percentage of those the given criteria make possible (100 when none of locations,
 *   budget and bedrooms is given); ties go to the most recently updated.
 */

type PropertyType = Property['type']
export type PriceFit = 'within_budget' | 'below_budget' | 'slightly_above_budget'
export type MatchReason = 'neighbourhood' | 'city' | PriceFit | 'bedrooms' | 'one_bedroom_less'

export interface MatchCriteria {
  interest: Lead['interest']
  propertyTypes: PropertyType[]
  budgetMin: number | null
  budgetMax: number | null
  locations: string[]
  minBedrooms: number | null
}

/** What each reason is worth. */
export const MATCH_POINTS: Record<MatchReason, number> = {
  neighbourhood: 40,
  city: 25,
  within_budget: 30,
  below_budget: 20,
  slightly_above_budget: 15,
  bedrooms: 20,
  one_bedroom_less: 10,
}

/** A property may cost this much above the budget's maximum and still be shown (ranked lower). */
const ABOVE_BUDGET = 1.1

type Row = {
  id: string
  code: string
  title: string
  type: PropertyType
  purpose: 'sale' | 'rent' | 'both'
  salePrice: string | number | null
  rentPrice: string | number | null
  bedrooms: number | null
  neighbourhood: string | null
  city: string | null
  price: string | number | null
  inNeighbourhood: boolean
  inCity: boolean
  priceFit: PriceFit | null
  bedroomsFit: 'bedrooms' | 'one_bedroom_less' | null
  points: number
}

const money = (v: string | number | null) => (v === null ? null : Number(v))

export async function matchProperties(ctx: AgencyCtx, input: TMatchPropertiesInput) {
  const { db, actor } = ctx
  const lead = input.leadId ? await getVisibleLead(ctx, input.leadId) : null
  const pick = <T>(given: T | undefined, fromLead: T) => (given !== undefined ? given : fromLead)
  const criteria: MatchCriteria = {
    interest: pick(input.interest, lead?.interest ?? null),
    propertyTypes: pick(input.propertyTypes, (lead?.propertyTypes ?? []) as PropertyType[]),
    budgetMin: pick(input.budgetMin, lead?.budgetMin ?? null),
    budgetMax: pick(input.budgetMax, lead?.budgetMax ?? null),
    locations: pick(input.locations, lead?.locations ?? []),
    minBedrooms: pick(input.minBedrooms, lead?.minBedrooms ?? null),
  }
  const { interest, propertyTypes, budgetMin, budgetMax, locations, minBedrooms } = criteria

  const price = sql.raw(
    interest === 'buy' ? 'p.sale_price' : interest === 'rent' ? 'p.rent_price' : 'coalesce(p.sale_price, p.rent_price)',
  )
  const hasBudget = budgetMin !== null || budgetMax !== null
  const names = locations.length
    ? sql`array(select search_norm(x) from unnest(${textArray(locations)}) x)`
    : sql`array[]::text[]`
  const priceFit: SQL = hasBudget
    ? sql`case when ${price} is null then null
        when ${budgetMax}::bigint is not null and ${price} > ${budgetMax}::bigint then 'slightly_above_budget'
        when ${budgetMin}::bigint is not null and ${price} < ${budgetMin}::bigint then 'below_budget'
        else 'within_budget' end`
    : sql`null`
  const bedroomsFit: SQL =
    minBedrooms !== null
      ? sql`case when p.bedrooms >= ${minBedrooms}::int then 'bedrooms' when p.bedrooms = ${minBedrooms}::int - 1 then 'one_bedroom_less' end`
      : sql`null`
  const filters: SQL[] = [sql`p.agency_id = ${actor.agencyId}`, sql`p.deleted_at is null`, sql`p.status = 'available'`]
  if (interest) filters.push(sql`p.purpose in (${interest === 'buy' ? 'sale' : 'rent'}, 'both')`)
  if (propertyTypes.length) filters.push(sql`p.type::text = any(${textArray(propertyTypes)})`)
  if (budgetMax !== null) filters.push(sql`(${price} is null or ${price} <= ${budgetMax * ABOVE_BUDGET}::numeric)`)

  const points = (reason: MatchReason) => sql`${MATCH_POINTS[reason]}::int`
  const rows = await db.execute<Row>(sql`
    select *,
      (case when "inNeighbourhood" then ${points('neighbourhood')} when "inCity" then ${points('city')} else 0 end
       + case "priceFit" when 'within_budget' then ${points('within_budget')} when 'below_budget' then ${points('below_budget')}
           when 'slightly_above_budget' then ${points('slightly_above_budget')} else 0 end
       + case "bedroomsFit" when 'bedrooms' then ${points('bedrooms')} when 'one_bedroom_less' then ${points('one_bedroom_less')} else 0 end
      ) as points
    from (
      select p.id, p.code, p.title, p.type, p.purpose, p.sale_price as "salePrice", p.rent_price as "rentPrice",
        p.bedrooms, p.neighbourhood, p.city, p.updated_at as "updatedAt", ${price} as price,
        coalesce(search_norm(p.neighbourhood) = any(${names}), false) as "inNeighbourhood",
        coalesce(search_norm(p.city) = any(${names}), false) as "inCity",
        ${priceFit} as "priceFit",
        ${bedroomsFit} as "bedroomsFit"
      from properties p
      where ${sql.join(filters, sql` and `)} ${visibleTo(actor, 'p.assigned_to')}
    ) m
    order by points desc, "updatedAt" desc, id
    limit ${input.limit}`)

  const possible =
    (locations.length ? MATCH_POINTS.neighbourhood : 0) +
    (hasBudget ? MATCH_POINTS.within_budget : 0) +
    (minBedrooms !== null ? MATCH_POINTS.bedrooms : 0)
  return {
    leadId: lead?.id ?? null,
    criteria,
    maxPoints: possible,
    matches: rows.map((r) => {
      const reasons: MatchReason[] = []
      if (r.inNeighbourhood) reasons.push('neighbourhood')
      else if (r.inCity) reasons.push('city')
      if (r.priceFit) reasons.push(r.priceFit)
      if (r.bedroomsFit) reasons.push(r.bedroomsFit)
      return {
        id: r.id,
        code: r.code,
        title: r.title,
        type: r.type,
        purpose: r.purpose,
        salePrice: money(r.salePrice),
        rentPrice: money(r.rentPrice),
        price: money(r.price),
        bedrooms: r.bedrooms,
        neighbourhood: r.neighbourhood,
        city: r.city,
        score: possible ? Math.round((100 * Number(r.points)) / possible) : 100,
        reasons,
      }
    }),
  }
}

type LeadRow = {
  id: string
  name: string
  status: string
  interest: 'buy' | 'rent' | null
  budgetMin: string | number | null
  budgetMax: string | number | null
  assignedTo: string | null
  inNeighbourhood: boolean
  inCity: boolean
  priceFit: PriceFit | null
  bedroomsFit: 'bedrooms' | 'one_bedroom_less' | null
  points: number
  possible: number
}

/** Leads untouched for longer are not offered a listing (and the ranking scans fewer rows: see the bench). */
const ACTIVE_DAYS = 180

/**
 * The other way round (issue 16): the open leads (new, contacted, qualified, changed in the last 180 days) a property
 * suits, by the same rule and
 * points as `matchProperties` read from each lead's criteria — kept when the lead's interest, types and budget (+10 %)
 * admit the property, ranked by points; a lead with no criterion that the property meets is not listed.
 */
export async function matchLeads(ctx: AgencyCtx, { propertyId, limit }: { propertyId: string; limit: number }) {
  const property = await getVisibleProperty(ctx, propertyId)
  const matches = await rankLeadsFor(ctx.db, {
    agencyId: ctx.actor.agencyId,
    propertyId: property.id,
    visibility: visibleTo(ctx.actor, 'l.assigned_to'),
    limit,
  })
  return { propertyId: property.id, matches }
}

/** The ranking itself, for a reader (with their visibility) or for the system (the new-listing notifications). */
async function rankLeadsFor(
  db: DbOrTx,
  { agencyId, propertyId, visibility, limit }: { agencyId: string; propertyId: string; visibility: SQL; limit: number },
) {
  const price = sql`case l.interest when 'buy' then p.sale_price when 'rent' then p.rent_price else coalesce(p.sale_price, p.rent_price) end`
  const names = sql`array(select search_norm(x) from unnest(l.locations) x)`
  const points = (reason: MatchReason) => sql`${MATCH_POINTS[reason]}::int`
  // The listing's place is normalised once, not once per open lead (a property joined to every lead re-ran
  // search_norm on its neighbourhood and city per row: 250 ms for the 200,000-lead agency's ranking, 155 ms without).
  const rows = await db.execute<LeadRow>(sql`
    with p as materialized (
      select p.*, search_norm(p.neighbourhood) as neighbourhood_norm, search_norm(p.city) as city_norm
      from properties p
      where p.agency_id = ${agencyId} and p.id = ${propertyId}
    )
    select *,
      (case when "inNeighbourhood" then ${points('neighbourhood')} when "inCity" then ${points('city')} else 0 end
       + case "priceFit" when 'within_budget' then ${points('within_budget')} when 'below_budget' then ${points('below_budget')}
           when 'slightly_above_budget' then ${points('slightly_above_budget')} else 0 end
       + case "bedroomsFit" when 'bedrooms' then ${points('bedrooms')} when 'one_bedroom_less' then ${points('one_bedroom_less')} else 0 end
      ) as points
    from (
      select l.id, l.name, l.status, l.interest, l.budget_min as "budgetMin", l.budget_max as "budgetMax",
        l.assigned_to as "assignedTo", l.updated_at as "updatedAt",
        coalesce(p.neighbourhood_norm = any(${names}), false) as "inNeighbourhood",
        coalesce(p.city_norm = any(${names}), false) as "inCity",
        case when l.budget_min is null and l.budget_max is null then null
          when ${price} is null then null
          when l.budget_max is not null and ${price} > l.budget_max then 'slightly_above_budget'
          when l.budget_min is not null and ${price} < l.budget_min then 'below_budget'
          else 'within_budget' end as "priceFit",
        case when l.min_bedrooms is null or p.bedrooms is null then null
          when p.bedrooms >= l.min_bedrooms then 'bedrooms'
          when p.bedrooms = l.min_bedrooms - 1 then 'one_bedroom_less' end as "bedroomsFit",
        (case when cardinality(l.locations) > 0 then ${points('neighbourhood')} else 0 end
          + case when l.budget_min is not null or l.budget_max is not null then ${points('within_budget')} else 0 end
          + case when l.min_bedrooms is not null then ${points('bedrooms')} else 0 end) as possible
      from p, leads l
      where l.agency_id = ${agencyId} and l.deleted_at is null
        and l.status in ('new', 'contacted', 'qualified')
        and l.updated_at >= now() - make_interval(days => ${ACTIVE_DAYS})
        and (l.interest is null or (l.interest = 'buy' and p.purpose in ('sale', 'both'))
          or (l.interest = 'rent' and p.purpose in ('rent', 'both')))
        and (cardinality(l.property_types) = 0 or p.type::text = any(l.property_types))
        and (l.budget_max is null or ${price} is null or ${price} <= l.budget_max * ${ABOVE_BUDGET}::numeric)
        ${visibility}
    ) m
    where "inNeighbourhood" or "inCity" or "priceFit" is not null or "bedroomsFit" is not null
    order by points desc, "updatedAt" desc, id
    limit ${limit}`)
  return rows.map((r) => {
    const reasons: MatchReason[] = []
    if (r.inNeighbourhood) reasons.push('neighbourhood')
    else if (r.inCity) reasons.push('city')
    if (r.priceFit) reasons.push(r.priceFit)
    if (r.bedroomsFit) reasons.push(r.bedroomsFit)
    const possible = Number(r.possible)
    return {
      id: r.id,
      name: r.name,
      status: r.status,
      interest: r.interest,
      budgetMin: money(r.budgetMin),
      budgetMax: money(r.budgetMax),
      assignedTo: r.assignedTo,
      score: possible ? Math.round((100 * Number(r.points)) / possible) : 0,
      reasons,
    }
  })
}

/** How many open leads one announcement names at most; past it, the count says "200+". */
const ANNOUNCE_LIMIT = 200

/**
 * A listing new or changed (available, with its price, type, place or bedrooms): each member whose open leads it suits
 * hears how many ("3 leads seus combinam com AP0042"); the managers hear of the unassigned ones. Run by the worker a
 * little after the change, so a burst of edits is one announcement; an unread one for the listing is not repeated.
 */
export async function announcePropertyMatches(
  db: DbOrTx,
  { agencyId, propertyId }: { agencyId: string; propertyId: string },
) {
  const [property] = await db.execute<{ code: string; title: string }>(sql`
    select code, title from properties
    where agency_id = ${agencyId} and id = ${propertyId} and deleted_at is null and status = 'available'`)
  if (!property) return 0
  const matches = await rankLeadsFor(db, { agencyId, propertyId, visibility: sql``, limit: ANNOUNCE_LIMIT })
  const byMember = new Map<string | null, number>()
  for (const m of matches) byMember.set(m.assignedTo, (byMember.get(m.assignedTo) ?? 0) + 1)
  for (const [member, count] of byMember) {
    const userIds = member ? [member] : await assigneeOrManagers(db, { agencyId, assignedTo: null })
    await raiseNotification(db, {
      agencyId,
      userIds,
      kind: 'property_matches',
      entity: 'property',
      entityId: propertyId,
      data: { code: property.code, title: property.title, count },
    })
  }
  return matches.length
}
