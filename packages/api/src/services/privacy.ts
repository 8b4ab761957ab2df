import { strToU8, zipSync, type Zippable } from 'fflate'
import { agencies, clients, eq, leads, sql, and, type DbOrTx } from '@impera/db'
import type { AgencyCtx, WithStorage } from '../ctx'
import { AppError, notFound } from '../errors'
import { deleteStoredFilesJob, enqueue } from '../jobs'
import type { TPersonInput } from '../schemas'
import { audit } from './audit'
import { activityChanged } from './live'

/**
 * The data subject's rights under the LGPD (art. 18; issue 17, decision 038): everything the agency holds about one
 * person, as a ZIP they can take elsewhere, and the person's anonymisation. A person is the record asked about and
 * the records known to be the same person: a lead and the client it became, a client and the leads converted into it.
 * Managers only (`privacy.manage`), audited.
 */

interface Person {
  leadIds: string[]
  clientIds: string[]
}

async function personOf(ctx: AgencyCtx, input: TPersonInput): Promise<Person> {
  const agencyId = ctx.actor.agencyId
  let clientIds: string[]
  if (input.leadId) {
    const [lead] = await ctx.db
      .select({ id: leads.id, clientId: leads.clientId })
      .from(leads)
      .where(and(eq(leads.agencyId, agencyId), eq(leads.id, input.leadId)))
    if (!lead) throw notFound('lead')
    clientIds = lead.clientId ? [lead.clientId] : []
    if (!clientIds.length) return { leadIds: [lead.id], clientIds }
  } else {
    const [client] = await ctx.db
      .select({ id: clients.id })
      .from(clients)
      .where(and(eq(clients.agencyId, agencyId), eq(clients.id, input.clientId!)))
    if (!client) throw notFound('client')
    clientIds = [client.id]
  }
  const linked = await ctx.db.execute<{ id: string }>(
    sql`select id from leads where agency_id = ${agencyId} and client_id = any(${pgUuids(clientIds)})`,
  )
  const leadIds = [...new Set([...(input.leadId ? [input.leadId] : []), ...linked.map((l) => l.id)])]
  return { leadIds, clientIds }
}

const pgUuids = (ids: string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`

async function rows(db: DbOrTx, query: ReturnType<typeof sql>) {
  return [...(await db.execute<Record<string, unknown>>(query))]
}

/**
 * Everything about one person, as a ZIP of JSON files (and the media they sent or received): their records with
 * notes and history, conversations with every message, tasks and visits, consent ledger, listings of interest.
 */
export async function exportPerson(ctx: AgencyCtx & WithStorage, input: TPersonInput) {
  const { db } = ctx
  const agencyId = ctx.actor.agencyId
  const p = await personOf(ctx, input)
  const L = pgUuids(p.leadIds)
  const C = pgUuids(p.clientIds)
  const leadRows = await rows(
    db,
    sql`select l.id, l.name, l.phones, l.email, l.source, l.source_detail, l.interest, l.budget_min, l.budget_max,
          l.property_types, l.locations, l.min_bedrooms, l.notes, l.tags, l.status, l.lost_reason, l.lost_detail,
          l.qualification, l.qualification_score, l.temperature, l.ai_summary, l.created_at, l.updated_at, l.deleted_at,
          (select coalesce(json_agg(json_build_object('body', n.body, 'at', n.created_at) order by n.created_at), '[]')
             from lead_notes n where n.agency_id = l.agency_id and n.lead_id = l.id) as notes_added,
          (select coalesce(json_agg(json_build_object('kind', e.kind, 'data', e.data, 'at', e.at) order by e.at), '[]')
             from lead_events e where e.agency_id = l.agency_id and e.lead_id = l.id) as history,
          (select coalesce(json_agg(json_build_object('code', pr.code, 'title', pr.title, 'linkedAt', lp.created_at)), '[]')
             from lead_properties lp join properties pr on pr.agency_id = lp.agency_id and pr.id = lp.property_id
            where lp.agency_id = l.agency_id and lp.lead_id = l.id) as listings
        from leads l where l.agency_id = ${agencyId} and l.id = any(${L}) order by l.created_at`,
  )
  const clientRows = await rows(
    db,
    sql`select c.id, c.name, c.types, c.phones, c.email, c.document, c.street, c.number, c.complement, c.neighbourhood,
          c.city, c.state, c.postal_code, c.country, c.birth_date, c.notes, c.tags, c.created_at, c.updated_at,
          c.deleted_at,
          (select coalesce(json_agg(json_build_object('body', n.body, 'at', n.created_at) order by n.created_at), '[]')
             from client_notes n where n.agency_id = c.agency_id and n.client_id = c.id) as notes_added,
          (select coalesce(json_agg(json_build_object('kind', e.kind, 'data', e.data, 'at', e.at) order by e.at), '[]')
             from client_events e where e.agency_id = c.agency_id and e.client_id = c.id) as history
        from clients c where c.agency_id = ${agencyId} and c.id = any(${C}) order by c.created_at`,
  )
  const conversations = await rows(
    db,
    sql`select c.id, c.contact_phone, c.contact_name, c.created_at, c.opted_out_at,
          (select coalesce(json_agg(json_build_object('id', m.id, 'direction', m.direction, 'type', m.type,
              'text', m.body, 'file', m.media->>'filename', 'at', coalesce(m.provider_at, m.created_at),
              'status', m.status) order by m.seq), '[]')
             from whatsapp_messages m where m.agency_id = c.agency_id and m.conversation_id = c.id) as messages
        from whatsapp_conversations c
       where c.agency_id = ${agencyId} and (c.lead_id = any(${L}) or c.client_id = any(${C}))
       order by c.created_at`,
  )
  const tasks = await rows(
    db,
    sql`select kind, title, notes, due_at, place, status, outcome, outcome_note, confirmation_state, confirmation_reply,
          completed_at
        from tasks where agency_id = ${agencyId} and (lead_id = any(${L}) or client_id = any(${C})) order by due_at`,
  )
  const consents = await rows(
    db,
    sql`select granted, basis, source, text_version, evidence, recorded_at from contact_consents
       where agency_id = ${agencyId} and (lead_id = any(${L}) or client_id = any(${C})) order by recorded_at`,
  )
  const media = await db.execute<{ id: string; key: string; filename: string | null }>(
    sql`select m.id, m.media->>'storageKey' as key, m.media->>'filename' as filename
          from whatsapp_messages m join whatsapp_conversations c on c.agency_id = m.agency_id and c.id = m.conversation_id
         where m.agency_id = ${agencyId} and (c.lead_id = any(${L}) or c.client_id = any(${C}))
           and m.media->>'state' = 'stored' and m.media ? 'storageKey'`,
  )
  const [agency] = await db.select({ name: agencies.name }).from(agencies).where(eq(agencies.id, agencyId))
  const now = new Date()
  const json = (v: unknown) => strToU8(JSON.stringify(v, null, 2))
  const files: Zippable = {
    'LEIA-ME.txt': strToU8(
      [
        `Dados pessoais mantidos por ${agency?.name ?? ''} — exportados em ${now.toISOString()}.`,
        'Data subject export (LGPD art. 18): the personal data this agency holds, as JSON files.',
        '',
        'leads.json: contatos como lead, com notas, histórico e imóveis de interesse',
        'clientes.json: cadastros de cliente, com notas e histórico',
        'conversas.json: conversas de WhatsApp, com todas as mensagens',
        'tarefas.json: tarefas e visitas',
        'consentimentos.json: autorizações e revogações de marketing',
        'midia/: arquivos enviados e recebidos nas conversas',
      ].join('\n'),
    ),
    'leads.json': json(leadRows),
    'clientes.json': json(clientRows),
    'conversas.json': json(conversations),
    'tarefas.json': json(tasks),
    'consentimentos.json': json(consents),
  }
  for (const m of media) {
    const file = await ctx.storage.get(m.key)
    if (file) files[`midia/${m.id}-${(m.filename ?? 'arquivo').replace(/[^\p{L}\p{N}._-]+/gu, '_')}`] = file.bytes
  }
  await audit(ctx, 'privacy.export', {
    entity: input.leadId ? 'lead' : 'client',
    entityId: input.leadId ?? input.clientId,
    after: { leads: p.leadIds.length, clients: p.clientIds.length, conversations: conversations.length },
  })
  return {
    filename: `dados-pessoais-${now.toISOString().slice(0, 10)}.zip`,
    bytes: zipSync(files, { level: 6 }),
  }
}

const ANONYMOUS = 'Pessoa anonimizada'

/**
 * Anonymises a person for good: their records keep what reports count (status, source, dates, assignee, budget,
 * qualification figures) and lose everything that identifies them — name, phones, e-mail, CPF/CNPJ, address, notes,
 * free text in the history, message texts and files, the raw bodies WhatsApp and the portals delivered, import rows,
 * outgoing webhook payloads, notification texts and the values in the audit log's diffs. Not reversible. The consent
 * ledger keeps when, on which basis and from where the person allowed or refused marketing (the agency's proof, LGPD
 * art. 16), without the wording and evidence, which may quote them.
 */
export async function anonymisePerson(ctx: AgencyCtx, input: TPersonInput) {
  const { db } = ctx
  const agencyId = ctx.actor.agencyId
  const p = await personOf(ctx, input)
  const L = pgUuids(p.leadIds)
  const C = pgUuids(p.clientIds)
  const [done] = await db.execute<{ n: number }>(
    sql`select count(*)::int as n from leads where agency_id = ${agencyId} and id = any(${L}) and anonymized_at is not null`,
  )
  const [doneC] = await db.execute<{ n: number }>(
    sql`select count(*)::int as n from clients where agency_id = ${agencyId} and id = any(${C}) and anonymized_at is not null`,
  )
  if (done!.n + doneC!.n === p.leadIds.length + p.clientIds.length)
    throw new AppError('CONFLICT', 'already anonymised', {
      userMessage: 'privacy.alreadyAnonymised',
      meta: { reason: 'already_anonymised' },
    })

  // What identifies them outside their own rows: phones, WhatsApp ids and e-mails, searched for in raw bodies.
  const [ids] = await db.execute<{ phones: string[] | null; emails: string[] | null; wa: string[] | null }>(sql`
    select
      (select array_agg(distinct ph) from (
         select unnest(phones) as ph from leads where agency_id = ${agencyId} and id = any(${L})
         union select unnest(phones) from clients where agency_id = ${agencyId} and id = any(${C})) x) as phones,
      (select array_agg(distinct e) from (
         select email as e from leads where agency_id = ${agencyId} and id = any(${L}) and email is not null
         union select email from clients where agency_id = ${agencyId} and id = any(${C}) and email is not null) y) as emails,
      (select array_agg(distinct contact_wa_id) from whatsapp_conversations
        where agency_id = ${agencyId} and (lead_id = any(${L}) or client_id = any(${C})) and contact_wa_id is not null) as wa`)
  const needles = [
    ...(ids?.phones ?? []).flatMap((ph) => [ph, ph.replace(/^\+/, '')]),
    ...(ids?.emails ?? []),
    ...(ids?.wa ?? []),
  ].filter((n) => n.length >= 6)
  const N = sql`${`{${needles.map((n) => `"${n.replace(/["\\]/g, '')}"`).join(',')}}`}::text[]`
  const mentions = (col: ReturnType<typeof sql>) =>
    sql`exists (select 1 from unnest(${N}) n where position(convert_to(n, 'UTF8') in ${col}) > 0)`

  const conversations = await db.execute<{ id: string }>(
    sql`select id from whatsapp_conversations
         where agency_id = ${agencyId} and (lead_id = any(${L}) or client_id = any(${C}))`,
  )
  const V = pgUuids(conversations.map((c) => c.id))
  const files = await db.execute<{ key: string }>(
    sql`select media->>'storageKey' as key from whatsapp_messages
         where agency_id = ${agencyId} and conversation_id = any(${V}) and media ? 'storageKey'`,
  )
  await db.execute(sql`update leads set name = ${ANONYMOUS}, phones = '{}', email = null, notes = null,
      source_detail = null, lost_detail = null, ai_summary = null, tags = '{}', anonymized_at = now(), updated_at = now()
    where agency_id = ${agencyId} and id = any(${L})`)
  await db.execute(sql`update clients set name = ${ANONYMOUS}, phones = '{}', email = null, document = null,
      street = null, number = null, complement = null, neighbourhood = null, postal_code = null, birth_date = null,
      notes = null, tags = '{}', anonymized_at = now(), updated_at = now()
    where agency_id = ${agencyId} and id = any(${C})`)
  await db.execute(sql`delete from lead_notes where agency_id = ${agencyId} and lead_id = any(${L})`)
  await db.execute(sql`delete from client_notes where agency_id = ${agencyId} and client_id = any(${C})`)
  const taskRows = await db.execute<{ id: string }>(sql`update tasks set notes = '', place = null, outcome_note = null,
      confirmation_reply = null, title = case kind when 'visit' then 'Visita' else 'Tarefa' end
    where agency_id = ${agencyId} and (lead_id = any(${L}) or client_id = any(${C})) returning id`)
  const taskIds = taskRows.map((t) => t.id)
  await db.execute(sql`update task_properties set feedback = null
    where agency_id = ${agencyId} and task_id = any(${pgUuids(taskIds)})`)
  await db.execute(sql`update whatsapp_conversations set contact_name = null, contact_phone = 'anon-' || id,
      contact_wa_id = null, last_message_preview = null, labels = '{}', updated_at = now()
    where agency_id = ${agencyId} and id = any(${V})`)
  await db.execute(sql`update whatsapp_messages set body = null, payload = null,
      media = case when media is null then null else jsonb_build_object('state', 'failed', 'error', 'anonymised') end
    where agency_id = ${agencyId} and conversation_id = any(${V})`)
  await db.execute(sql`update whatsapp_conversation_entries set body = null
    where agency_id = ${agencyId} and conversation_id = any(${V})`)
  // Raw deliveries already processed that carry their number or e-mail (the ones still pending would bring the
  // messages back, so they are processed first and anonymised by a second request if needed).
  const rawWa = await db.execute(sql`delete from whatsapp_webhook_events
    where agency_id = ${agencyId} and state <> 'pending' and ${mentions(sql`raw_body`)} returning id`)
  const rawPortal = await db.execute(sql`delete from portal_lead_events
    where agency_id = ${agencyId} and state <> 'pending' and (lead_id = any(${L}) or ${mentions(sql`raw_body`)})
    returning id`)
  await db.execute(sql`update import_rows set change = null
    where agency_id = ${agencyId} and record_id = any(${pgUuids([...p.leadIds, ...p.clientIds])})`)
  // An import's sample (its first rows, shown while mapping) may hold them too.
  await db.execute(sql`update imports set sample = '[]'::jsonb
    where agency_id = ${agencyId} and exists (select 1 from unnest(${N}) n where strpos(sample::text, n) > 0)`)
  // The append-only tables (history, consent wording, outgoing webhook payloads, audit diffs) through the one
  // function that may strip them (migration 0075); it finds the conversations and keeps what reports read itself.
  await db.execute(sql`select anonymise_history(${L}, ${C}, ${N})`)
  const conversationIds = conversations.map((c) => c.id)
  await db.execute(sql`update notifications set data = jsonb_build_object('contact', ${ANONYMOUS}::text)
    where agency_id = ${agencyId}
      and entity_id = any(${pgUuids([...p.leadIds, ...p.clientIds, ...conversationIds, ...taskIds])})`)
  const keys = files.map((f) => f.key).filter(Boolean)
  for (let i = 0; i < keys.length; i += 1000) await enqueue(db, deleteStoredFilesJob, { keys: keys.slice(i, i + 1000) })
  await audit(ctx, 'privacy.anonymise', {
    entity: input.leadId ? 'lead' : 'client',
    entityId: input.leadId ?? input.clientId,
    after: {
      leads: p.leadIds.length,
      clients: p.clientIds.length,
      conversations: conversations.length,
      files: keys.length,
      rawDeliveries: rawWa.length + rawPortal.length,
    },
  })
  await activityChanged(db, agencyId)
  return { leads: p.leadIds.length, clients: p.clientIds.length, conversations: conversations.length }
}
