import { and, asc, eq, isNull, leads, or, sql, type DbOrTx } from '@impera/db'
import type { PropertyType } from '@impera/db/enums'
import {
  applySlots,
  valuesOf,
  ZQualification,
  type Qualification,
  type QualificationValues,
  type SlotSource,
} from '../ai/qualification'
import { scoreQualification, summarizeQualification } from '../ai/score'
import type { AgencyCtx } from '../ctx'
import type { TSetLeadQualificationInput } from '../schemas'
import { recordLeadChange, asMember, type LeadWriter } from './lead-facts'
import { getEditableLead } from './leads'

/**
 * The one owner of a lead's qualification (decision 020): the slots with who set each, the lead fields they mirror
 * (interest, budget, types, places, bedrooms), the score with its reasons, the temperature and the summary. The bot's
 * turns, the external agent's, imports and people's edits all come here; a person's slot is never overwritten by
 * anyone else, and each change is one 'edited' fact (history, audit, `lead.updated` with its fields).
 */

type LeadRow = typeof leads.$inferSelect

/** Lead fields that mirror a slot: what the lists, filters and matching read. */
const mirrored = {
  purpose: 'interest',
  propertyTypes: 'propertyTypes',
  locations: 'locations',
  minBedrooms: 'minBedrooms',
  budgetMin: 'budgetMin',
  budgetMax: 'budgetMax',
} as const satisfies Partial<Record<keyof QualificationValues, keyof LeadRow>>

/**
 * The stored slots, reconciled with the mirrored fields: a field whose value differs from its slot (or has no slot) was
 * typed by a person in the lead form, so it is a person's slot (the bot must not overwrite it); a slot whose field a
 * person emptied is gone.
 */
export function qualificationOf(
  lead: Pick<
    LeadRow,
    'qualification' | 'interest' | 'propertyTypes' | 'locations' | 'minBedrooms' | 'budgetMin' | 'budgetMax'
  >,
): Qualification {
  const parsed = ZQualification.safeParse(lead.qualification)
  const q: Record<string, { value: unknown; source: SlotSource }> = parsed.success ? { ...parsed.data } : {}
  const fromFields: QualificationValues = {
    purpose: lead.interest ?? undefined,
    propertyTypes: lead.propertyTypes.length ? (lead.propertyTypes as PropertyType[]) : undefined,
    locations: lead.locations.length ? lead.locations : undefined,
    minBedrooms: lead.minBedrooms ?? undefined,
    budgetMin: lead.budgetMin ?? undefined,
    budgetMax: lead.budgetMax ?? undefined,
  }
  for (const [name, value] of Object.entries(fromFields)) {
    if (value === undefined) delete q[name]
    else if (!q[name] || !same(q[name].value, value)) q[name] = { value, source: 'person' }
  }
  return q as Qualification
}

function same(a: unknown, b: unknown) {
  return JSON.stringify(a) === JSON.stringify(b)
}

/**
 * Applies values found by `source` to a lead, in the writer's transaction. Returns the names of the slots that changed
 * (none: nothing is written).
 */
export async function applyQualification(
  w: LeadWriter,
  leadId: string,
  found: QualificationValues,
  source: SlotSource,
): Promise<string[]> {
  const [before] = await w.db
    .select()
    .from(leads)
    .where(and(eq(leads.agencyId, w.agencyId), eq(leads.id, leadId)))
    .for('update')
  if (!before || before.deletedAt) return []
  const current = qualificationOf(before)
  const next = applySlots(current, found, source)
  const changed = Object.keys(next).filter(
    (k) => !same(next[k as keyof Qualification], current[k as keyof Qualification]),
  )
  if (!changed.length) return []
  const values = valuesOf(next)
  const { score, reasons, temperature } = scoreQualification(values)
  const mirror: Partial<typeof leads.$inferInsert> = {}
  for (const [slot, field] of Object.entries(mirrored)) {
    if (!changed.includes(slot)) continue
    const v = values[slot as keyof QualificationValues]
    Object.assign(mirror, { [field]: Array.isArray(v) ? v : (v ?? null) })
  }
  const [after] = await w.db
    .update(leads)
    .set({
      ...mirror,
      qualification: next,
      qualificationScore: score,
      qualificationReasons: reasons,
      temperature,
      aiSummary: summarizeQualification(values),
      updatedAt: sql`now()`,
    })
    .where(and(eq(leads.agencyId, w.agencyId), eq(leads.id, leadId)))
    .returning()
  const fields = [
    ...new Set([
      ...changed.flatMap((s) => (s in mirrored ? [mirrored[s as keyof typeof mirrored]] : [])),
      'qualification',
    ]),
  ]
  await recordLeadChange(w, { leadId, audit: 'lead.qualify', before, after }, [{ kind: 'edited', fields }])
  return changed
}

/** A person edits the qualification on the lead page: their values win from then on. */
export async function setLeadQualification(ctx: AgencyCtx, { id, values }: TSetLeadQualificationInput) {
  await getEditableLead(ctx, id)
  await applyQualification(asMember(ctx), id, values, 'person')
  const [lead] = await ctx.db
    .select()
    .from(leads)
    .where(and(eq(leads.agencyId, ctx.actor.agencyId), eq(leads.id, id)))
  return qualificationView(lead!)
}

/** What the lead page and the API show of a lead's qualification. */
export function qualificationView(lead: LeadRow) {
  return {
    slots: qualificationOf(lead),
    score: lead.qualificationScore,
    reasons: lead.qualificationReasons,
    temperature: lead.temperature,
    summary: lead.aiSummary,
  }
}

/**
 * Brings the slots, score, temperature and summary in line after the lead form changed mirrored fields (a person's
 * edit): called by the lead update in its transaction; the edit itself is already recorded there.
 */
export async function refreshQualification(db: DbOrTx, lead: LeadRow): Promise<void> {
  const q = qualificationOf(lead)
  const values = valuesOf(q)
  const { score, reasons, temperature } = scoreQualification(values)
  await db
    .update(leads)
    .set({
      qualification: q,
      qualificationScore: Object.keys(q).length ? score : null,
      qualificationReasons: reasons,
      temperature: Object.keys(q).length ? temperature : null,
      aiSummary: summarizeQualification(values),
    })
    .where(and(eq(leads.agencyId, lead.agencyId), eq(leads.id, lead.id)))
}

/**
 * Leads written without the owner (the demo seed, imports of old, rows from before migration 0048) have lead fields
 * but no score: computes theirs, a batch at a time, in the caller's tenant transaction. Returns how many it did; a
 * lead with none of the mirrored fields has nothing to score and is never picked.
 */
export async function refreshUnscoredLeads(
  db: DbOrTx,
  { agencyId, batch = 500 }: { agencyId: string; batch?: number },
) {
  const rows = await db
    .select()
    .from(leads)
    .where(
      and(
        eq(leads.agencyId, agencyId),
        isNull(leads.qualificationScore),
        isNull(leads.deletedAt),
        or(
          sql`${leads.interest} is not null`,
          sql`${leads.budgetMin} is not null`,
          sql`${leads.budgetMax} is not null`,
          sql`${leads.minBedrooms} is not null`,
          sql`cardinality(${leads.propertyTypes}) > 0`,
          sql`cardinality(${leads.locations}) > 0`,
        ),
      ),
    )
    .orderBy(asc(leads.id))
    .limit(batch)
  for (const lead of rows) await refreshQualification(db, lead)
  return rows.length
}
