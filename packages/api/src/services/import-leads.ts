import { and, eq, isNull, leadEvents, leads, sql, type DbOrTx } from '@impera/db'
import { contactKeys, readLeadRow, repeatableLeadFields, type NewLeadValues } from '../imports/lead-rows'
import { guessMapping, leadFieldAliases } from '../imports/values'
import { enqueue, leadsRefreshQualificationJob } from '../jobs'
import { importConsents } from './consent'
import { distributeLead } from './distribution'
import {
  agencyRowEnv,
  distinct,
  textArrayParam,
  type ImportMatch,
  type ImportTarget,
  type UndoScope,
} from './import-target'
import { importLeadRecords, recordLeadChange, type LeadWriter } from './lead-facts'
import { raiseNotification } from './notifications'

/** What a duplicate's lead is read with: its keys and the fields "fill empty fields" may fill. */
const matchColumns = {
  id: leads.id,
  importId: leads.importId,
  phones: leads.phones,
  email: leads.email,
  sourceDetail: leads.sourceDetail,
  interest: leads.interest,
  budgetMin: leads.budgetMin,
  budgetMax: leads.budgetMax,
  propertyTypes: leads.propertyTypes,
  locations: leads.locations,
  minBedrooms: leads.minBedrooms,
  notes: leads.notes,
  tags: leads.tags,
  assignedTo: leads.assignedTo,
}

/**
 * The agency's leads that share a phone or an e-mail with a batch of rows. Each lookup gets its keys as one array
 * literal the planner can see, so `= any` is hashed: e-mails go through their index; phones are distinct per lead, so
 * Postgres keeps no element statistics for them and an overlap (`&&`) with a thousand phones was planned as a scan
 * comparing every lead with every phone (0.3 s per 1,000 rows against 20,000 leads) — each lead's few phones are
 * looked up in the hashed list instead.
 */
async function existingLeads(tx: DbOrTx, agencyId: string, planned: Record<string, unknown>[]): Promise<ImportMatch[]> {
  const phones = distinct(planned, (v) => v.phones)
  const emails = distinct(planned, (v) => v.email)
  const live = and(eq(leads.agencyId, agencyId), isNull(leads.deletedAt))
  const found = []
  if (phones.length)
    found.push(
      ...(await tx
        .select(matchColumns)
        .from(leads)
        .where(
          and(live, sql`exists (select 1 from unnest(${leads.phones}) p where p = any(${textArrayParam(phones)}))`),
        )),
    )
  if (emails.length)
    found.push(
      ...(await tx
        .select(matchColumns)
        .from(leads)
        .where(and(live, sql`lower(${leads.email}) = any(${textArrayParam(emails)})`))),
    )
  return found.map(({ id, importId, phones: ph, ...fields }) => ({
    id,
    importId,
    keys: contactKeys({ name: '', phones: ph, email: fields.email?.toLowerCase() ?? null }),
    fields,
  }))
}

/** One notification per member who received leads from a distributed import: how many. */
async function announceDistributedImport(tx: DbOrTx, agencyId: string, importId: string, by: string | null) {
  const owners = await tx.execute<{ user_id: string; n: number }>(sql`
    select l.assigned_to as user_id, count(*)::int as n from leads l
    where l.agency_id = ${agencyId} and l.import_id = ${importId} and l.deleted_at is null
      and exists (select 1 from lead_assignments a where a.agency_id = l.agency_id and a.lead_id = l.id)
    group by 1`)
  for (const o of owners)
    await raiseNotification(tx, {
      agencyId,
      userIds: [o.user_id],
      actorUserId: by,
      kind: 'leads_assigned',
      entity: 'bulk_operation',
      entityId: importId,
      data: { count: o.n },
    })
}

/** Writes fields of a lead through its facts' owner (history, audit, events): a row's fill, or an undo. */
async function editLead(w: LeadWriter, leadId: string, set: Record<string, unknown>, before: Record<string, unknown>) {
  const [after] = await w.db
    .update(leads)
    .set({ ...set, updatedAt: new Date() })
    .where(and(eq(leads.agencyId, w.agencyId), eq(leads.id, leadId)))
    .returning()
  if (after)
    await recordLeadChange(w, { leadId, audit: 'lead.update', before, after }, [
      { kind: 'edited', fields: Object.keys(set) },
    ])
}

/** Leads (decision 024): duplicates by phone (9th-digit aware through normalisation) or e-mail. */
export const leadImportTarget: ImportTarget = {
  fields: Object.keys(leadFieldAliases),
  repeatable: repeatableLeadFields,
  needs: { fields: ['name', 'phones', 'email'], error: 'mappingNeedsContact' },
  guess: (headers) => guessMapping(headers, leadFieldAliases, repeatableLeadFields),
  env: agencyRowEnv,
  read: (cells, mapping, env) => readLeadRow(cells, mapping, env),
  keys: (v) => contactKeys(v as NewLeadValues),
  existing: existingLeads,
  fillable: [
    'email',
    'sourceDetail',
    'interest',
    'budgetMin',
    'budgetMax',
    'propertyTypes',
    'locations',
    'minBedrooms',
    'notes',
    'tags',
    'assignedTo',
  ],
  async create(run, rows) {
    const { w, importId, createdBy } = run
    const ids = await importLeadRecords(
      w,
      importId,
      rows.map(({ read }) => {
        const v = read.values as NewLeadValues
        return { ...v, source: v.source ?? 'other', createdBy }
      }),
    )
    await importConsents(
      w,
      { importId, fileName: run.fileName },
      rows.flatMap((r, i) =>
        r.read.consent == null ? [] : [{ leadId: ids[i]!, granted: r.read.consent, row: r.row }],
      ),
    )
    // Owners for the rows that name none, by the agency's rules: quietly (one notification per member when the import
    // ends) and without a first-contact deadline (an import is a backlog, not 500 leads due in 15 minutes).
    if (run.distribute)
      for (const [i, r] of rows.entries())
        if (!r.read.values.assignedTo) await distributeLead(w, { leadId: ids[i]!, quiet: true, sla: false })
    return ids
  },
  async fill({ w }, match, set) {
    await editLead(w, match.id, set, match.fields)
    return []
  },
  async touched(tx, { agencyId, importId, since, until }: UndoScope) {
    const [row] = await tx.execute<{ n: number }>(sql`
      select count(*)::int as n from ${leads} l
      where l.agency_id = ${agencyId}
        and (l.import_id = ${importId} or l.id in (select r.record_id from import_rows r
          where r.agency_id = ${agencyId} and r.import_id = ${importId} and r.outcome = 'update'))
        and (l.updated_at > ${until}::timestamptz
          or (l.import_id = ${importId} and (l.updated_at > l.created_at or l.deleted_at is not null))
          or exists (select 1 from ${leadEvents} e where e.agency_id = l.agency_id and e.lead_id = l.id
            and e.kind <> 'created' and (e.at > ${until}::timestamptz
              or (e.at > ${since}::timestamptz and e.data->>'via' is distinct from 'import')))
          or exists (select 1 from lead_notes n where n.agency_id = l.agency_id and n.lead_id = l.id
            and n.created_at > ${since}::timestamptz)
          or exists (select 1 from whatsapp_conversations c where c.agency_id = l.agency_id and c.lead_id = l.id
            and (l.import_id = ${importId} or c.created_at > ${since}::timestamptz)))`)
    return row!.n
  },
  async remove(tx, { agencyId, importId }) {
    const removed = await tx
      .delete(leads)
      .where(and(eq(leads.agencyId, agencyId), eq(leads.importId, importId)))
      .returning({ id: leads.id })
    return removed.length
  },
  restore: editLead,
  async finish(run) {
    if (run.distribute) await announceDistributedImport(run.w.db, run.w.agencyId, run.importId, run.createdBy)
    // Imported leads get their qualification score like any other (the set-based insert skips the per-lead owner).
    await enqueue(run.w.db, leadsRefreshQualificationJob, {}, { jobKey: 'leads:refresh-qualification' })
  },
}
