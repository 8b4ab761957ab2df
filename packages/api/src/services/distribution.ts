import {
  agencies,
  and,
  asc,
  distributionMembers,
  distributionRules,
  eq,
  inArray,
  isNull,
  leadAssignments,
  leadOffers,
  leads,
  memberships,
  notInArray,
  properties,
  sql,
  users,
  whatsappConversations,
  type DbOrTx,
} from '@impera/db'
import type { DistributionReason, LeadInterest, LeadSource } from '@impera/db/enums'
import { addBusinessMs, businessMsBetween, type BusinessHours } from '../business-hours'
import { byId, inAgency, type AgencyCtx } from '../ctx'
import { AppError, forbidden, invalidField, notFound } from '../errors'
import { enqueue, notificationsSettleJob } from '../jobs'
import type {
  TClaimLeadInput,
  TDistributionRuleInput,
  TDistributionSettingsInput,
  TMemberAvailabilityInput,
  TMoveDistributionRuleInput,
} from '../schemas'
import { audit } from './audit'
import { asMember, asSystem, recordLeadChange, type AssignedBy, type LeadWriter } from './lead-facts'
import { raiseNotification, settleNotifications } from './notifications'
import { memoRead } from '../read-memo'

/**
 * Lead distribution, the "roleta" (decision 027). Every path that creates a lead nobody chose an owner for — the
 * UI's "automático", WhatsApp, portals, the API's intake, an AI handoff — calls `distributeLead` in the same
 * transaction. The first-contact SLA is kept by `breachOverdueAssignments`, run by the worker every minute.
 */

interface LeadTraits {
  source: LeadSource
  interest: LeadInterest | null
  budget: number | null
  places: string[]
  listingAgent: string | null
}

interface RuleRow {
  id: string
  name: string
  sources: LeadSource[]
  interests: LeadInterest[]
  budgetMin: number | null
  budgetMax: number | null
  locations: string[]
}

interface AgencyRules {
  listingAgent: boolean
  slaMinutes: number | null
  businessHours: BusinessHours
  timezone: string
}

interface Choice {
  userId: string
  reason: DistributionReason
  ruleId: string | null
  ruleName: string | null
}

/** A first-to-claim rule's answer (decision 031): the lead goes to whichever of these members claims it first. */
interface Offer {
  offer: true
  ruleId: string
  ruleName: string
  userIds: string[]
  minutes: number
}

/** Places compared as people type them: "São Paulo", "sao paulo " and "SÃO PAULO" are one place. */
export function placeKey(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').trim().toLowerCase().replace(/\s+/g, ' ')
}

/** Whether a rule's conditions (each one set) hold for a lead. */
export function ruleMatches(rule: Omit<RuleRow, 'id' | 'name'>, lead: Omit<LeadTraits, 'listingAgent'>): boolean {
  if (rule.sources.length && !rule.sources.includes(lead.source)) return false
  if (rule.interests.length && (!lead.interest || !rule.interests.includes(lead.interest))) return false
  if (rule.budgetMin !== null || rule.budgetMax !== null) {
    if (lead.budget === null) return false
    if (rule.budgetMin !== null && lead.budget < rule.budgetMin) return false
    if (rule.budgetMax !== null && lead.budget > rule.budgetMax) return false
  }
  if (rule.locations.length) {
    const wanted = new Set(rule.locations.map(placeKey))
    if (!lead.places.some((p) => wanted.has(placeKey(p)))) return false
  }
  return true
}

async function agencyRules(db: DbOrTx, agencyId: string): Promise<AgencyRules> {
  const [a] = await memoRead(`distribution-settings:${agencyId}`, () =>
    db
      .select({
        listingAgent: agencies.distributionListingAgent,
        slaMinutes: agencies.distributionSlaMinutes,
        businessHours: agencies.businessHours,
        timezone: agencies.timezone,
      })
      .from(agencies)
      .where(eq(agencies.id, agencyId)),
  )
  if (!a) throw notFound('agency')
  return a
}

/** The lead's fields the rules read. */
export type LeadTraitFields = Pick<
  typeof leads.$inferSelect,
  'name' | 'source' | 'interest' | 'budgetMin' | 'budgetMax' | 'locations' | 'assignedTo'
>

/** What the rules look at: the lead's own fields, completed by the listing it came for. */
async function leadTraits(
  db: DbOrTx,
  agencyId: string,
  leadId: string,
  propertyId: string | null,
  known?: LeadTraitFields,
) {
  const [lead]: (LeadTraitFields | undefined)[] = known
    ? [known]
    : await db
        .select({
          name: leads.name,
          source: leads.source,
          interest: leads.interest,
          budgetMin: leads.budgetMin,
          budgetMax: leads.budgetMax,
          locations: leads.locations,
          assignedTo: leads.assignedTo,
        })
        .from(leads)
        .where(and(eq(leads.agencyId, agencyId), eq(leads.id, leadId), isNull(leads.deletedAt)))
  if (!lead) return null
  const [property] = propertyId
    ? await db
        .select({
          assignedTo: properties.assignedTo,
          purpose: properties.purpose,
          salePrice: properties.salePrice,
          rentPrice: properties.rentPrice,
          neighbourhood: properties.neighbourhood,
          city: properties.city,
        })
        .from(properties)
        .where(and(eq(properties.agencyId, agencyId), eq(properties.id, propertyId)))
    : []
  const interest: LeadInterest | null =
    lead.interest ??
    (property ? (property.purpose === 'rent' ? 'rent' : property.purpose === 'sale' ? 'buy' : null) : null)
  const listingPrice = property ? (interest === 'rent' ? property.rentPrice : property.salePrice) : null
  const traits: LeadTraits = {
    source: lead.source,
    interest,
    budget: lead.budgetMax ?? lead.budgetMin ?? listingPrice ?? null,
    places: [
      ...lead.locations,
      ...(property ? [property.neighbourhood, property.city].filter((p): p is string => !!p) : []),
    ],
    listingAgent: property?.assignedTo ?? null,
  }
  return { lead, traits }
}

/**
 * One pick of a rule, smooth weighted round robin over its available members: active, not paused, and inside their
 * working hours when anyone in the rule is (a lead at 3 a.m. still goes to someone; the SLA counts business hours).
 * The rule's member rows are locked for the pick, so concurrent arrivals take turns exactly by weight.
 */
async function pickFromRule(
  db: DbOrTx,
  agencyId: string,
  rule: { id: string; name: string },
  exclude: ReadonlySet<string>,
  now: Date,
  timezone: string,
): Promise<Choice | null> {
  const candidates = await availableMembers(db, agencyId, rule.id, exclude, now, timezone)
  if (!candidates.length) return null
  const total = candidates.reduce((s, c) => s + c.weight, 0)
  const credits = candidates.map((c) => ({ userId: c.user_id, credit: c.credit + c.weight }))
  const best = credits.reduce((a, b) => (b.credit > a.credit ? b : a))
  best.credit -= total
  await db.execute(sql`
    update distribution_members dm set credit = v.credit
    from jsonb_to_recordset(${JSON.stringify(credits.map((c) => ({ user_id: c.userId, credit: c.credit })))}::jsonb) as v(user_id uuid, credit int)
    where dm.agency_id = ${agencyId} and dm.rule_id = ${rule.id} and dm.user_id = v.user_id`)
  return { userId: best.userId, reason: 'rule', ruleId: rule.id, ruleName: rule.name }
}

/**
 * A rule's members who may take a lead now: active, not paused, not excluded, and inside their working hours when
 * anyone of them is. Their rows are locked, so concurrent arrivals take turns (or offers) one after the other.
 */
async function availableMembers(
  db: DbOrTx,
  agencyId: string,
  ruleId: string,
  exclude: ReadonlySet<string>,
  now: Date,
  timezone: string,
) {
  const rows = await db.execute<{
    user_id: string
    weight: number
    credit: number
    status: string
    paused: boolean
    hours: BusinessHours | null
  }>(sql`
    select dm.user_id, dm.weight, dm.credit, m.status, m.leads_paused as paused, m.working_hours as hours
    from distribution_members dm
    join memberships m on m.agency_id = dm.agency_id and m.user_id = dm.user_id
    where dm.agency_id = ${agencyId} and dm.rule_id = ${ruleId}
    order by dm.user_id
    for update of dm`)
  const available = rows.filter((r) => r.status === 'active' && !r.paused && !exclude.has(r.user_id))
  const inHours = (r: (typeof rows)[number]) =>
    !r.hours || businessMsBetween(r.hours, timezone, now, new Date(now.getTime() + 60_000), 1) > 0
  const working = available.filter(inHours)
  return working.length ? working : available
}

async function activeUnpaused(db: DbOrTx, agencyId: string, userId: string): Promise<boolean> {
  const [m] = await db
    .select({ ok: sql<number>`1` })
    .from(memberships)
    .where(
      and(
        eq(memberships.agencyId, agencyId),
        eq(memberships.userId, userId),
        eq(memberships.status, 'active'),
        eq(memberships.leadsPaused, false),
      ),
    )
  return !!m
}

/** The next owner for a lead by the agency's rules, skipping `exclude` (those who already had it). */
async function choose(
  db: DbOrTx,
  agencyId: string,
  settings: AgencyRules,
  traits: LeadTraits,
  exclude: ReadonlySet<string>,
  now: Date,
  { listingAgentFirst, offers = false }: { listingAgentFirst: boolean; offers?: boolean },
): Promise<Choice | Offer | null> {
  if (
    listingAgentFirst &&
    settings.listingAgent &&
    traits.listingAgent &&
    !exclude.has(traits.listingAgent) &&
    (await activeUnpaused(db, agencyId, traits.listingAgent))
  )
    return { userId: traits.listingAgent, reason: 'listing_agent', ruleId: null, ruleName: null }
  const rules = await memoRead(`distribution-rules:${agencyId}`, () =>
    db
      .select({
        id: distributionRules.id,
        name: distributionRules.name,
        sources: distributionRules.sources,
        interests: distributionRules.interests,
        budgetMin: distributionRules.budgetMin,
        budgetMax: distributionRules.budgetMax,
        locations: distributionRules.locations,
        mode: distributionRules.mode,
        claimMinutes: distributionRules.claimMinutes,
      })
      .from(distributionRules)
      .where(and(eq(distributionRules.agencyId, agencyId), eq(distributionRules.enabled, true)))
      .orderBy(asc(distributionRules.position), asc(distributionRules.createdAt)),
  )
  for (const rule of rules) {
    if (!ruleMatches(rule, traits)) continue
    if (offers && rule.mode === 'claim') {
      const members = await availableMembers(db, agencyId, rule.id, exclude, now, settings.timezone)
      if (members.length)
        return {
          offer: true,
          ruleId: rule.id,
          ruleName: rule.name,
          userIds: members.map((m) => m.user_id),
          minutes: rule.claimMinutes,
        }
      continue
    }
    const pick = await pickFromRule(db, agencyId, rule, exclude, now, settings.timezone)
    if (pick) return pick
  }
  return null
}

function deadline(settings: AgencyRules, now: Date): Date | null {
  return settings.slaMinutes === null
    ? null
    : addBusinessMs(settings.businessHours, settings.timezone, now, settings.slaMinutes * 60_000)
}

/**
 * Gives an unowned lead to the member the agency's rules pick, in the caller's transaction: the lead's owner (and its
 * WhatsApp conversations' while nobody holds them), the assignment with its SLA deadline, the timeline entry with the
 * reason, the new owner's notification. Returns the owner — the lead's current one when it already had one, null
 * when no rule applies (a manager routes it).
 */
export async function distributeLead(
  w: LeadWriter,
  {
    leadId,
    propertyId = null,
    quiet = false,
    sla = true,
    lead: known,
  }: {
    leadId: string
    /** The lead as its creator wrote it a moment ago in this transaction: not read back. */
    lead?: LeadTraitFields
    propertyId?: string | null
    /** No per-lead notification (an import tells each member once, at its end). */
    quiet?: boolean
    /** Without a first-contact deadline (an import's backlog). */
    sla?: boolean
  },
): Promise<string | null> {
  const { db, agencyId } = w
  const found = await leadTraits(db, agencyId, leadId, propertyId, known)
  if (!found) return null
  if (found.lead.assignedTo) return found.lead.assignedTo
  const settings = await agencyRules(db, agencyId)
  const now = new Date()
  // An import's backlog is never offered: hundreds of offers at once is noise, and its leads are not waiting anyone.
  const pick = await choose(db, agencyId, settings, found.traits, new Set(), now, {
    listingAgentFirst: true,
    offers: !quiet,
  })
  if (!pick) return null
  if ('offer' in pick) {
    await offerLead(w, { leadId, name: found.lead.name, offer: pick, now })
    return null
  }
  const [taken] = await db
    .update(leads)
    .set({ assignedTo: pick.userId, updatedAt: now })
    .where(and(eq(leads.agencyId, agencyId), eq(leads.id, leadId), isNull(leads.assignedTo)))
    .returning({ id: leads.id })
  // Someone took it between the read and now: theirs stands, and their pick's turn is not spent on it.
  if (!taken) return (await leadTraits(db, agencyId, leadId, null))?.lead.assignedTo ?? null
  await startAssignment(w, {
    leadId,
    name: quiet ? null : found.lead.name,
    from: null,
    pick,
    settings: sla ? settings : { ...settings, slaMinutes: null },
    now,
  })
  return pick.userId
}

/** Opens an offer: the row, the lead's timeline entry, and a notification to each member it is offered to. */
async function offerLead(
  w: LeadWriter,
  { leadId, name, offer, now }: { leadId: string; name: string; offer: Offer; now: Date },
) {
  const { db, agencyId } = w
  const expiresAt = new Date(now.getTime() + offer.minutes * 60_000)
  await db.insert(leadOffers).values({
    agencyId,
    leadId,
    ruleId: offer.ruleId,
    ruleName: offer.ruleName,
    offeredTo: offer.userIds,
    expiresAt,
    createdAt: now,
  })
  await recordLeadChange(w, { leadId, audit: null }, [
    { kind: 'offered', rule: offer.ruleName, to: offer.userIds.length, minutes: offer.minutes },
  ])
  await raiseNotification(db, {
    agencyId,
    userIds: offer.userIds,
    kind: 'lead_offered',
    entity: 'lead_offer',
    entityId: leadId,
    data: { name, minutes: offer.minutes, rule: offer.ruleName },
  })
}

/**
 * "Pegar": the first of the offer's members to claim the lead gets it, with the rule's SLA from now. The offer row is
 * locked, so of two claims at once one wins and the other is told who took it (409).
 */
export async function claimLead(ctx: AgencyCtx, { leadId }: TClaimLeadInput) {
  const { db, actor } = ctx
  const [offer] = await db
    .select()
    .from(leadOffers)
    .where(and(inAgency(leadOffers, ctx), eq(leadOffers.leadId, leadId)))
    .orderBy(sql`${leadOffers.createdAt} desc`)
    .limit(1)
    .for('update')
  if (!offer || !offer.offeredTo.includes(actor.userId)) throw notFound('offer')
  const now = new Date()
  const taken = (by: string | null) =>
    new AppError('CONFLICT', 'offer taken', {
      userMessage: 'distribution.offerTaken',
      meta: { reason: 'offer_taken', by },
    })
  if (offer.endedAt) throw taken(offer.claimedBy ? await nameOf(db, offer.claimedBy) : null)
  if (offer.expiresAt <= now)
    throw new AppError('CONFLICT', 'offer expired', {
      userMessage: 'distribution.offerExpired',
      meta: { reason: 'offer_expired' },
    })
  if (!(await activeUnpaused(db, actor.agencyId, actor.userId)))
    throw new AppError('CONFLICT', 'paused', { userMessage: 'distribution.offerPaused', meta: { reason: 'paused' } })
  const [lead] = await db
    .update(leads)
    .set({ assignedTo: actor.userId, updatedAt: now })
    .where(and(inAgency(leads, ctx), eq(leads.id, leadId), isNull(leads.assignedTo), isNull(leads.deletedAt)))
    .returning({ id: leads.id })
  await db
    .update(leadOffers)
    .set({ endedAt: now, ...(lead ? { claimedBy: actor.userId } : {}) })
    .where(and(inAgency(leadOffers, ctx), eq(leadOffers.id, offer.id)))
  await enqueue(db, notificationsSettleJob, {
    agencyId: actor.agencyId,
    kind: 'lead_offered',
    entityId: leadId,
    userIds: offer.offeredTo,
  })
  // A person gave it to someone (or deleted it) meanwhile: the offer closes, nobody claimed it.
  if (!lead) throw taken(null)
  await startAssignment(asMember(ctx), {
    leadId,
    name: null,
    from: null,
    pick: { userId: actor.userId, reason: 'claim', ruleId: offer.ruleId, ruleName: offer.ruleName },
    settings: await agencyRules(db, actor.agencyId),
    now,
  })
  return { leadId }
}

/** The open offers made to the actor, newest first, with what the claim decision needs (not the whole lead). */
export async function myLeadOffers(ctx: AgencyCtx) {
  return ctx.db
    .select({
      leadId: leadOffers.leadId,
      ruleName: leadOffers.ruleName,
      expiresAt: leadOffers.expiresAt,
      name: leads.name,
      source: leads.source,
      interest: leads.interest,
      budgetMin: leads.budgetMin,
      budgetMax: leads.budgetMax,
      locations: leads.locations,
      createdAt: leads.createdAt,
    })
    .from(leadOffers)
    .innerJoin(leads, and(eq(leads.agencyId, leadOffers.agencyId), eq(leads.id, leadOffers.leadId)))
    .where(
      and(
        inAgency(leadOffers, ctx),
        isNull(leadOffers.endedAt),
        sql`${leadOffers.expiresAt} > now()`,
        sql`${ctx.actor.userId}::uuid = any(${leadOffers.offeredTo})`,
        isNull(leads.assignedTo),
        isNull(leads.deletedAt),
      ),
    )
    .orderBy(sql`${leadOffers.createdAt} desc`)
    .limit(20)
}

/**
 * Worker sweep, per agency: offers nobody claimed in time. A lead still without an owner goes by the rule's turns
 * (else the rules' pick, round robin only) and its owner is told; one a person assigned or deleted meanwhile just
 * closes its offer.
 */
export async function expireLeadOffers(db: DbOrTx, { agencyId }: { agencyId: string }): Promise<number> {
  const due = await db.execute<{
    id: string
    lead_id: string
    rule_id: string | null
    rule_name: string
    offered_to: string[]
  }>(sql`
    select o.id, o.lead_id, o.rule_id, o.rule_name, o.offered_to
    from lead_offers o
    where o.agency_id = ${agencyId} and o.ended_at is null and o.expires_at <= now()
    order by o.expires_at
    limit 100
    for update of o skip locked`)
  if (!due.length) return 0
  const settings = await agencyRules(db, agencyId)
  const now = new Date()
  let given = 0
  for (const o of due) {
    await db
      .update(leadOffers)
      .set({ endedAt: now })
      .where(and(eq(leadOffers.agencyId, agencyId), eq(leadOffers.id, o.id)))
    // The sweep runs as the system, which may mark everyone's notifications.
    await settleNotifications(db, { agencyId, userIds: o.offered_to, kind: 'lead_offered', entityId: o.lead_id })
    const found = await leadTraits(db, agencyId, o.lead_id, null)
    if (!found || found.lead.assignedTo) continue
    const [rule] = o.rule_id
      ? await db
          .select({ id: distributionRules.id, name: distributionRules.name })
          .from(distributionRules)
          .where(and(eq(distributionRules.agencyId, agencyId), eq(distributionRules.id, o.rule_id)))
      : []
    const picked =
      (rule ? await pickFromRule(db, agencyId, rule, new Set(), now, settings.timezone) : null) ??
      (await choose(db, agencyId, settings, found.traits, new Set(), now, { listingAgentFirst: false }))
    if (!picked || 'offer' in picked) continue
    await db
      .update(leads)
      .set({ assignedTo: picked.userId, updatedAt: now })
      .where(and(eq(leads.agencyId, agencyId), eq(leads.id, o.lead_id), isNull(leads.assignedTo)))
    await startAssignment(asSystem(db, agencyId, 'system'), {
      leadId: o.lead_id,
      name: found.lead.name,
      from: null,
      pick: picked,
      settings,
      now,
    })
    given++
  }
  return given
}

async function startAssignment(
  w: LeadWriter,
  {
    leadId,
    name,
    from,
    pick,
    settings,
    now,
    missed,
  }: {
    leadId: string
    /** The lead's name for the new owner's notification; null: no notification. */
    name: string | null
    from: string | null
    pick: Choice
    settings: AgencyRules
    now: Date
    missed?: { slaMinutes: number | null; by: string | null }
  },
) {
  const { db, agencyId } = w
  await db.insert(leadAssignments).values({
    agencyId,
    leadId,
    userId: pick.userId,
    reason: pick.reason,
    ruleId: pick.ruleId,
    ruleName: pick.ruleName,
    dueAt: deadline(settings, now),
    createdAt: now,
  })
  // The conversation follows the lead while it has no owner of its own, or was the previous owner's.
  await db
    .update(whatsappConversations)
    .set({ assignedTo: pick.userId })
    .where(
      and(
        eq(whatsappConversations.agencyId, agencyId),
        eq(whatsappConversations.leadId, leadId),
        from
          ? sql`(${whatsappConversations.assignedTo} is null or ${whatsappConversations.assignedTo} = ${from})`
          : isNull(whatsappConversations.assignedTo),
      ),
    )
  const by: AssignedBy = {
    reason: pick.reason,
    rule: pick.ruleName,
    ...(missed ? { slaMinutes: missed.slaMinutes, missedBy: missed.by } : {}),
  }
  await recordLeadChange(
    w,
    {
      leadId,
      audit: 'lead.assign',
      before: { assignedTo: from },
      after: { ...(name === null ? {} : { name }), assignedTo: pick.userId, by },
    },
    [{ kind: 'assigned', from, to: pick.userId, by }],
  )
}

/**
 * Worker sweep, per agency: assignments whose first-contact deadline passed. A lead contacted (or moved on, taken by
 * someone, deleted) just closes its assignment; an uncontacted one goes to the next in line — its rule's next member,
 * else the rules' pick — never back to someone who already had it, and the managers are told. When nobody is left it
 * stays where it is and the managers are told that instead.
 */
export async function breachOverdueAssignments(db: DbOrTx, { agencyId }: { agencyId: string }): Promise<number> {
  const due = await db.execute<{
    id: string
    lead_id: string
    user_id: string
    rule_id: string | null
    rule_name: string | null
    name: string
    open: boolean
  }>(sql`
    select a.id, a.lead_id, a.user_id, a.rule_id, a.rule_name, l.name,
      (l.deleted_at is null and l.status = 'new' and l.first_contact_at is null and l.assigned_to = a.user_id) as open
    from lead_assignments a
    join leads l on l.agency_id = a.agency_id and l.id = a.lead_id
    where a.agency_id = ${agencyId} and a.ended_at is null and a.due_at <= now()
    order by a.due_at
    limit 100
    for update of a skip locked`)
  if (!due.length) return 0
  const settings = await agencyRules(db, agencyId)
  const now = new Date()
  let breached = 0
  for (const a of due) {
    await db
      .update(leadAssignments)
      .set({ endedAt: now, ...(a.open ? { breachedAt: now } : {}) })
      .where(and(eq(leadAssignments.agencyId, agencyId), eq(leadAssignments.id, a.id)))
    if (!a.open) continue
    breached++
    const had = await db
      .selectDistinct({ userId: leadAssignments.userId })
      .from(leadAssignments)
      .where(and(eq(leadAssignments.agencyId, agencyId), eq(leadAssignments.leadId, a.lead_id)))
    const exclude = new Set(had.map((h) => h.userId))
    const [rule] = a.rule_id
      ? await db
          .select({ id: distributionRules.id, name: distributionRules.name })
          .from(distributionRules)
          .where(
            and(
              eq(distributionRules.agencyId, agencyId),
              eq(distributionRules.id, a.rule_id),
              eq(distributionRules.enabled, true),
            ),
          )
      : []
    let pick = rule ? await pickFromRule(db, agencyId, rule, exclude, now, settings.timezone) : null
    if (!pick) {
      const found = await leadTraits(db, agencyId, a.lead_id, null)
      const chosen = found
        ? await choose(db, agencyId, settings, found.traits, exclude, now, { listingAgentFirst: false })
        : null
      pick = chosen && !('offer' in chosen) ? chosen : null
    }
    const w = asSystem(db, agencyId, 'system')
    if (pick) {
      await db
        .update(leads)
        .set({ assignedTo: pick.userId, updatedAt: now })
        .where(and(eq(leads.agencyId, agencyId), eq(leads.id, a.lead_id)))
      await startAssignment(w, {
        leadId: a.lead_id,
        name: a.name,
        from: a.user_id,
        pick: { ...pick, reason: 'sla' },
        settings,
        now,
        missed: { slaMinutes: settings.slaMinutes, by: a.user_id },
      })
    }
    await raiseNotification(db, {
      agencyId,
      userIds: await managers(db, agencyId),
      kind: 'lead_sla_breached',
      // A second breach of the same lead updates the unread one (count and latest names) instead of being dropped.
      bump: true,
      entity: 'lead',
      entityId: a.lead_id,
      data: {
        name: a.name,
        minutes: settings.slaMinutes,
        from: await nameOf(db, a.user_id),
        to: pick ? await nameOf(db, pick.userId) : null,
      },
    })
  }
  return breached
}

async function managers(db: DbOrTx, agencyId: string) {
  const rows = await db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.agencyId, agencyId), eq(memberships.role, 'manager'), eq(memberships.status, 'active')))
  return rows.map((r) => r.userId)
}

async function nameOf(db: DbOrTx, userId: string) {
  const [u] = await db.select({ name: users.name }).from(users).where(eq(users.id, userId))
  return u?.name ?? null
}

function managerOnly(ctx: AgencyCtx) {
  if (ctx.actor.role !== 'manager') throw forbidden('managers set the distribution', { reason: 'manager_only' })
}

/** The distribution screen: settings, rules in order with their members, and every member's availability. */
export async function getDistribution(ctx: AgencyCtx) {
  managerOnly(ctx)
  const { db } = ctx
  const settings = await agencyRules(db, ctx.actor.agencyId)
  const rules = await db
    .select()
    .from(distributionRules)
    .where(inAgency(distributionRules, ctx))
    .orderBy(asc(distributionRules.position), asc(distributionRules.createdAt))
  const ruleMembers = await db
    .select({
      ruleId: distributionMembers.ruleId,
      userId: distributionMembers.userId,
      weight: distributionMembers.weight,
    })
    .from(distributionMembers)
    .where(inAgency(distributionMembers, ctx))
  const team = await db
    .select({
      userId: memberships.userId,
      name: users.name,
      email: users.email,
      role: memberships.role,
      paused: memberships.leadsPaused,
      workingHours: memberships.workingHours,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(inAgency(memberships, ctx), eq(memberships.status, 'active')))
    .orderBy(asc(users.name))
  return {
    listingAgent: settings.listingAgent,
    slaMinutes: settings.slaMinutes,
    rules: rules.map((r) => ({
      id: r.id,
      name: r.name,
      enabled: r.enabled,
      sources: r.sources,
      interests: r.interests,
      budgetMin: r.budgetMin,
      budgetMax: r.budgetMax,
      locations: r.locations,
      mode: r.mode,
      claimMinutes: r.claimMinutes,
      members: ruleMembers.filter((m) => m.ruleId === r.id).map(({ userId, weight }) => ({ userId, weight })),
    })),
    team,
  }
}

export async function saveDistributionSettings(ctx: AgencyCtx, input: TDistributionSettingsInput) {
  managerOnly(ctx)
  const before = await agencyRules(ctx.db, ctx.actor.agencyId)
  const after = { distributionListingAgent: input.listingAgent, distributionSlaMinutes: input.slaMinutes ?? null }
  await ctx.db
    .update(agencies)
    .set({ ...after, updatedAt: new Date() })
    .where(eq(agencies.id, ctx.actor.agencyId))
  await audit(ctx, 'distribution.settings', {
    entity: 'agency',
    entityId: ctx.actor.agencyId,
    before: { distributionListingAgent: before.listingAgent, distributionSlaMinutes: before.slaMinutes },
    after,
  })
  return { listingAgent: after.distributionListingAgent, slaMinutes: after.distributionSlaMinutes }
}

/** Creates or replaces a rule; members who stay keep their place in the rotation, new ones start level. */
export async function saveDistributionRule(ctx: AgencyCtx, input: TDistributionRuleInput) {
  managerOnly(ctx)
  const { db, actor } = ctx
  const ids = input.members.map((m) => m.userId)
  const active = await db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(inAgency(memberships, ctx), inArray(memberships.userId, ids), eq(memberships.status, 'active')))
  if (active.length !== ids.length) throw invalidField('members', 'records.assigneeInvalid')
  const values = {
    name: input.name,
    enabled: input.enabled,
    sources: input.sources,
    interests: input.interests,
    budgetMin: input.budgetMin,
    budgetMax: input.budgetMax,
    locations: input.locations,
    mode: input.mode,
    claimMinutes: input.claimMinutes,
  }
  let id = input.id
  let before: Record<string, unknown> | null = null
  if (id) {
    const [current] = await db
      .select()
      .from(distributionRules)
      .where(byId(distributionRules, ctx, id))
      .for('update')
    if (!current) throw notFound('distribution rule')
    before = current
    await db
      .update(distributionRules)
      .set({ ...values, updatedAt: new Date() })
      .where(byId(distributionRules, ctx, id))
    await db
      .delete(distributionMembers)
      .where(
        and(
          inAgency(distributionMembers, ctx),
          eq(distributionMembers.ruleId, id),
          notInArray(distributionMembers.userId, ids),
        ),
      )
  } else {
    const [last] = await db
      .select({ position: sql<number>`coalesce(max(${distributionRules.position}), -1)` })
      .from(distributionRules)
      .where(inAgency(distributionRules, ctx))
    const [created] = await db
      .insert(distributionRules)
      .values({ ...values, agencyId: actor.agencyId, position: Number(last!.position) + 1 })
      .returning({ id: distributionRules.id })
    id = created!.id
  }
  await db
    .insert(distributionMembers)
    .values(input.members.map((m) => ({ agencyId: actor.agencyId, ruleId: id!, userId: m.userId, weight: m.weight })))
    .onConflictDoUpdate({
      target: [distributionMembers.agencyId, distributionMembers.ruleId, distributionMembers.userId],
      set: { weight: sql`excluded.weight` },
    })
  await audit(ctx, input.id ? 'distribution.rule.update' : 'distribution.rule.create', {
    entity: 'distribution_rule',
    entityId: id,
    before,
    after: { ...values, members: input.members },
  })
  return { id }
}

export async function deleteDistributionRule(ctx: AgencyCtx, { id }: { id: string }) {
  managerOnly(ctx)
  const [gone] = await ctx.db
    .delete(distributionRules)
    .where(byId(distributionRules, ctx, id))
    .returning()
  if (!gone) throw notFound('distribution rule')
  await audit(ctx, 'distribution.rule.delete', { entity: 'distribution_rule', entityId: id, before: gone })
  return { id }
}

/** Swaps a rule with its neighbour: the order is the order rules are tried in. */
export async function moveDistributionRule(ctx: AgencyCtx, { id, direction }: TMoveDistributionRuleInput) {
  managerOnly(ctx)
  const { db } = ctx
  const rules = await db
    .select({ id: distributionRules.id })
    .from(distributionRules)
    .where(inAgency(distributionRules, ctx))
    .orderBy(asc(distributionRules.position), asc(distributionRules.createdAt))
    .for('update')
  const i = rules.findIndex((r) => r.id === id)
  if (i < 0) throw notFound('distribution rule')
  const j = direction === 'up' ? i - 1 : i + 1
  if (j < 0 || j >= rules.length) return { id }
  ;[rules[i], rules[j]] = [rules[j]!, rules[i]!]
  for (const [position, r] of rules.entries())
    await db
      .update(distributionRules)
      .set({ position })
      .where(byId(distributionRules, ctx, r.id))
  await audit(ctx, 'distribution.rule.move', { entity: 'distribution_rule', entityId: id, after: { direction } })
  return { id }
}

/** Pauses a member or sets their working hours: managers for anyone, an agent for themselves (vacation). */
export async function setMemberAvailability(ctx: AgencyCtx, input: TMemberAvailabilityInput) {
  const { db, actor } = ctx
  if (actor.role !== 'manager' && input.userId !== actor.userId)
    throw forbidden('agents set only their own availability', { reason: 'own_only' })
  const [before] = await db
    .select({ paused: memberships.leadsPaused, workingHours: memberships.workingHours })
    .from(memberships)
    .where(and(inAgency(memberships, ctx), eq(memberships.userId, input.userId), eq(memberships.status, 'active')))
  if (!before) throw notFound('member')
  await db
    .update(memberships)
    .set({ leadsPaused: input.paused, workingHours: input.workingHours, updatedAt: new Date() })
    .where(and(inAgency(memberships, ctx), eq(memberships.userId, input.userId)))
  const after = { paused: input.paused, workingHours: input.workingHours }
  await audit(ctx, 'distribution.availability', { entity: 'membership', entityId: input.userId, before, after })
  return { userId: input.userId, ...after }
}

/** The acting member's own availability (the profile's "receber leads" switch). */
export async function getMyAvailability(ctx: AgencyCtx) {
  const [m] = await ctx.db
    .select({ paused: memberships.leadsPaused, workingHours: memberships.workingHours })
    .from(memberships)
    .where(and(inAgency(memberships, ctx), eq(memberships.userId, ctx.actor.userId)))
  if (!m) throw notFound('member')
  return { userId: ctx.actor.userId, ...m }
}
