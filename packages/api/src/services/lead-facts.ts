import { randomUUID } from 'node:crypto'
import { and, eq, isNull, leadAssignments, leadEvents, leads, sql, type DbOrTx } from '@impera/db'
import type { DistributionReason, LeadStatus } from '@impera/db/enums'
import type { AgencyCtx } from '../ctx'
import { emitDomainEvent, type ChangeOrigin, type DomainEvent } from '../events'
import { auditAs, type AuditAction } from './audit'
import { activityChanged } from './live'
import { raiseNotification } from './notifications'

/**
 * The one owner of a lead's facts (decision 015). Every path that creates or changes a lead — the UI and API
 * through the lead services, a client conversion, a WhatsApp message, an import, a portal, the AI agent, an
 * automation — goes through `createLeadRecord` and `recordLeadChange`, which write, in the caller's transaction:
 * the history row(s) the timeline and reports read, one audit entry, the notification of a new assignee, and the
 * domain events (the live signal today; webhooks and automation hook in at `emitDomainEvent`).
 *
 * Not here: rules about who may do what (the lead services check those first) and the seed, which writes years of
 * back-dated history as fixtures in packages/db (it cannot depend on this package).
 */

/** Who changes the lead, and from where. */
export interface LeadWriter {
  db: DbOrTx
  agencyId: string
  /** Null for the system (an inbound message, a job). */
  actorUserId: string | null
  ip: string | null
  origin: ChangeOrigin
}

/** A member or an integration acting through a service: the UI, or the public API and MCP (origin 'api'). */
export function asMember(ctx: AgencyCtx, origin: ChangeOrigin = ctx.actor.integration ? 'api' : 'ui'): LeadWriter {
  return { db: ctx.db, agencyId: ctx.actor.agencyId, actorUserId: ctx.actor.userId, ip: ctx.actor.ip, origin }
}

/** The system on an agency's behalf (no member acted). */
export function asSystem(db: DbOrTx, agencyId: string, origin: ChangeOrigin): LeadWriter {
  return { db, agencyId, actorUserId: null, ip: null, origin }
}

/**
 * Why the distribution gave a lead to someone (decision 027), as the timeline and the notification tell it: the
 * reason, the rule by name, and for an SLA breach the deadline missed and who missed it.
 */
export interface AssignedBy {
  reason: DistributionReason
  rule: string | null
  slaMinutes?: number | null
  missedBy?: string | null
}

/** A fact in a lead's history; each becomes one lead_events row and one domain event. */
export type LeadFact =
  /** `via` names a more precise cause than the writer's origin (the timeline says "number changed"). */
  | { kind: 'edited'; fields: string[]; via?: 'whatsapp_number_change' }
  | {
      kind: 'status_changed'
      from: LeadStatus
      to: LeadStatus
      reason?: string | null
      detail?: string | null
      /** What moved it when no one chose to: a person's first reply on WhatsApp. */
      cause?: 'first_reply'
    }
  /** `by`: the distribution's decision (decision 027) when no person chose the new owner. */
  | {
      kind: 'assigned'
      from: string | null
      to: string | null
      by?: AssignedBy
    }
  | { kind: 'converted'; clientId: string; clientName: string; newClient: boolean }
  | { kind: 'deleted' }
  | { kind: 'restored' }
  | { kind: 'property_linked'; propertyId: string; code: string | null; title: string | null }
  | { kind: 'property_unlinked'; propertyId: string; code: string | null; title: string | null }
  /** A listing sent to the contact as a public link, and the contact opening it (no domain event: nothing changed). */
  | {
      kind: 'property_shared'
      propertyId: string
      code: string | null
      title: string | null
      channel: 'whatsapp' | 'link'
    }
  | { kind: 'property_viewed'; propertyId: string; code: string | null; title: string | null; views: number }
  /** Offered to `to` members of a first-to-claim rule (decision 031); the claim itself is an `assigned` fact. */
  | { kind: 'offered'; rule: string; to: number; minutes: number }
  /** The contact wrote (a portal's form): on the timeline; the lead itself did not change, so no domain event. */
  | {
      kind: 'inquiry'
      portal: string | null
      channel: string
      message: string | null
      listingCode: string | null
      propertyId: string | null
      utm: Record<string, string> | null
      consent: { marketing: boolean; text: string | null } | null
    }

type LeadRow = typeof leads.$inferSelect
type NewLead = Omit<typeof leads.$inferInsert, 'agencyId' | 'id'>

/** Creates a lead: the row, its 'created' history, the audit entry, the assignee's notification, the domain event. */
export async function createLeadRecord(w: LeadWriter, values: NewLead): Promise<LeadRow> {
  const [lead] = await w.db
    .insert(leads)
    .values({ ...values, agencyId: w.agencyId, createdBy: values.createdBy ?? w.actorUserId })
    .returning()
  const created = lead!
  await w.db.insert(leadEvents).values({
    agencyId: w.agencyId,
    leadId: created.id,
    actorUserId: w.actorUserId,
    kind: 'created',
    data: withOrigin(w, { status: created.status, assignedTo: created.assignedTo, source: created.source }),
  })
  await auditAs(w.db, w, 'lead.create', { entity: 'lead', entityId: created.id, after: created })
  await notifyAssignee(w, created, created.assignedTo)
  await emit(w, {
    type: 'lead.created',
    leadId: created.id,
    status: created.status,
    source: created.source,
    assignedTo: created.assignedTo,
  })
  return created
}

/**
 * Creates the leads of one batch of a spreadsheet import (decision 024), set-based: the rows and their 'created'
 * history (origin 'import', with the import's id) in two statements, one live signal. An import is one audited
 * operation (the import service writes its entries) and a migration of an agency's existing contacts, not news: no
 * per-lead audit entry, assignee notification or `lead.created` webhook — 100,000 of each would bury the people and
 * the integrations they are meant for.
 */
export async function importLeadRecords(w: LeadWriter, importId: string, values: NewLead[]): Promise<string[]> {
  if (!values.length) return []
  // One JSON parameter per statement: the same insert with a parameter per value (20,000 of them per batch) spent
  // more time being bound and planned than writing (decision 024's benchmark).
  // Ids made here, so the history below pairs each lead with its own row without relying on RETURNING's order.
  const rows = values.map((v) => ({
    id: randomUUID(),
    name: v.name,
    phones: v.phones ?? [],
    email: v.email ?? null,
    source: v.source ?? 'other',
    source_detail: v.sourceDetail ?? null,
    interest: v.interest ?? null,
    budget_min: v.budgetMin ?? null,
    budget_max: v.budgetMax ?? null,
    property_types: v.propertyTypes ?? [],
    locations: v.locations ?? [],
    min_bedrooms: v.minBedrooms ?? null,
    notes: v.notes ?? null,
    tags: v.tags ?? [],
    assigned_to: v.assignedTo ?? null,
    status: v.status ?? 'new',
    lost_reason: v.lostReason ?? null,
    lost_detail: v.lostDetail ?? null,
    created_at: v.createdAt instanceof Date ? v.createdAt.toISOString() : null,
    created_by: v.createdBy ?? w.actorUserId,
  }))
  const created = await w.db.execute<{
    id: string
    status: string
    assigned_to: string | null
    source: string
    at: string
  }>(sql`
    insert into ${leads} (id, agency_id, import_id, name, phones, email, source, source_detail, interest, budget_min,
      budget_max, property_types, locations, min_bedrooms, notes, tags, assigned_to, status, lost_reason, lost_detail,
      created_by, created_at, updated_at, status_changed_at)
    select r.id, ${w.agencyId}, ${importId}, r.name, r.phones, r.email, r.source::lead_source, r.source_detail,
      r.interest::lead_interest, r.budget_min, r.budget_max, r.property_types, r.locations, r.min_bedrooms, r.notes,
      r.tags, r.assigned_to, r.status::lead_status, r.lost_reason::lost_reason, r.lost_detail, r.created_by,
      coalesce(r.created_at, now()), coalesce(r.created_at, now()), coalesce(r.created_at, now())
    from jsonb_array_elements(${JSON.stringify(rows)}::jsonb) as e(v),
      jsonb_to_record(e.v) as r(id uuid, name text, phones text[],
      email text, source text, source_detail text, interest text, budget_min bigint, budget_max bigint,
      property_types text[], locations text[], min_bedrooms int, notes text, tags text[], assigned_to uuid, status text,
      lost_reason text, lost_detail text, created_by uuid, created_at timestamptz)
    returning id, status, assigned_to, source, created_at as at`)
  const via = w.origin === 'ui' ? {} : { via: w.origin }
  await w.db.execute(sql`
    insert into ${leadEvents} (agency_id, lead_id, actor_user_id, kind, data, at)
    select ${w.agencyId}, (e->>'id')::uuid, ${w.actorUserId}::uuid, 'created',
      ${JSON.stringify({ ...via, importId })}::jsonb || jsonb_build_object('status', e->'status',
        'assignedTo', e->'assigned_to', 'source', e->'source'),
      (e->>'at')::timestamptz
    from jsonb_array_elements(${JSON.stringify(created)}::jsonb) e`)
  await activityChanged(w.db, w.agencyId)
  return rows.map((r) => r.id)
}

/**
 * A person's first WhatsApp reply to a `new` lead moves it to `contacted` (issue 16: "who must call whom" stops
 * listing a lead someone already answered), unless the agency turned it off. The reply's author is the change's actor
 * (null for a reply from the business phone). Returns whether it moved.
 */
export async function contactedByFirstReply(w: LeadWriter, leadId: string): Promise<boolean> {
  const [row] = await w.db.execute<{ status: LeadStatus; on: boolean }>(sql`
    select l.status, a.contacted_on_first_reply as on
    from ${leads} l join agencies a on a.id = l.agency_id
    where l.agency_id = ${w.agencyId} and l.id = ${leadId} and l.deleted_at is null
    for update of l`)
  if (!row || row.status !== 'new' || !row.on) return false
  const [after] = await w.db
    .update(leads)
    .set({ status: 'contacted', statusChangedAt: new Date(), updatedAt: new Date() })
    .where(and(eq(leads.agencyId, w.agencyId), eq(leads.id, leadId)))
    .returning()
  await recordLeadChange(w, { leadId, audit: 'lead.status', before: { status: 'new' }, after }, [
    { kind: 'status_changed', from: 'new', to: 'contacted', cause: 'first_reply' },
  ])
  return true
}

/**
 * Records one change of a lead made of one or more facts (an edit that also reassigns; a conversion, which is a
 * status move and a conversion): one history row and one domain event per fact, and one audit entry for the change.
 * `before`/`after` are the audit diff's sides; for an assignment, `after` is the lead as the change left it (its name
 * goes in the new assignee's notification).
 */
export async function recordLeadChange(
  w: LeadWriter,
  change: {
    leadId: string
    /** Null inside a bulk operation, which is audited once with its row count (decision 028). */
    audit: AuditAction | null
    before?: Record<string, unknown> | null
    after?: Record<string, unknown> | null
  },
  facts: LeadFact[],
): Promise<void> {
  if (!facts.length) return
  await w.db.insert(leadEvents).values(
    facts.map(({ kind, ...data }) => ({
      agencyId: w.agencyId,
      leadId: change.leadId,
      actorUserId: w.actorUserId,
      kind,
      data: withOrigin(w, data),
    })),
  )
  if (change.audit)
    await auditAs(w.db, w, change.audit, {
      entity: 'lead',
      entityId: change.leadId,
      before: change.before ?? null,
      after: change.after ?? null,
    })
  // A person reassigning the lead (or taking it) ends the distribution's assignment: its SLA no longer runs.
  if (facts.some((f) => f.kind === 'assigned' && !f.by))
    await w.db
      .update(leadAssignments)
      .set({ endedAt: new Date() })
      .where(
        and(
          eq(leadAssignments.agencyId, w.agencyId),
          eq(leadAssignments.leadId, change.leadId),
          isNull(leadAssignments.endedAt),
        ),
      )
  for (const fact of facts) {
    const name = change.after?.name
    if (fact.kind === 'assigned' && typeof name === 'string')
      await notifyAssignee(w, { id: change.leadId, name }, fact.to)
    const event = domainEventOf(change.leadId, fact, change.before ?? {})
    if (event) await emit(w, event)
  }
}

type EventBody<E = DomainEvent> = E extends DomainEvent ? Omit<E, 'agencyId' | 'actorUserId' | 'origin'> : never

function domainEventOf(leadId: string, fact: LeadFact, before: Record<string, unknown>): EventBody | null {
  switch (fact.kind) {
    case 'edited':
      return {
        type: 'lead.updated',
        leadId,
        fields: fact.fields,
        previous: Object.fromEntries(fact.fields.map((f) => [f, before[f] ?? null])),
      }
    case 'status_changed':
      return { type: 'lead.status_changed', leadId, from: fact.from, to: fact.to }
    case 'assigned':
      return { type: 'lead.assigned', leadId, from: fact.from, to: fact.to }
    case 'converted':
      return { type: 'lead.converted', leadId, clientId: fact.clientId }
    case 'deleted':
      return { type: 'lead.deleted', leadId }
    case 'restored':
      return { type: 'lead.restored', leadId }
    case 'property_linked':
    case 'property_unlinked':
      return {
        type: fact.kind === 'property_linked' ? 'lead.property_linked' : 'lead.property_unlinked',
        leadId,
        propertyId: fact.propertyId,
      }
    case 'inquiry':
    case 'property_shared':
    case 'property_viewed':
    case 'offered':
      return null
  }
}

function emit(w: LeadWriter, event: EventBody): Promise<void> {
  return emitDomainEvent(w.db, {
    ...event,
    agencyId: w.agencyId,
    actorUserId: w.actorUserId,
    origin: w.origin,
  } as DomainEvent)
}

/** The history row says where a change came from when it was not a person in the app. */
function withOrigin(w: LeadWriter, data: Record<string, unknown>) {
  return w.origin === 'ui' ? data : { via: w.origin, ...data }
}

/** Tells a member a lead is now theirs (not when they took it themselves). */
function notifyAssignee(w: LeadWriter, lead: { id: string; name: string }, to: string | null) {
  return raiseNotification(w.db, {
    agencyId: w.agencyId,
    userIds: [to],
    actorUserId: w.actorUserId,
    kind: 'lead_assigned',
    entity: 'lead',
    entityId: lead.id,
    data: { name: lead.name },
  })
}
