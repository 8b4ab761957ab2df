import { sql } from '@impera/db'
import { normalizePhone } from '../phones'
import type { AgencyActor, AgencyCtx } from '../ctx'
import type { TConversationSearchInput, TGlobalSearchInput } from '../schemas'
import { visibleTo } from './records'

/**
 * Global search (⌘K) across the records the actor may see. Names, e-mails and addresses match accent-blind and
 * typo-tolerant (pg_trgm word similarity over the stored `search_doc`, migration 0014); phones match in any format (digits
 * anywhere in the number, or the normalised E.164 so a Brazilian mobile typed without its 9th digit still matches);
 * CPF/CNPJ and property codes match exactly; conversations match by contact and by any message in their history.
 */
export interface SearchHit {
  id: string
  title: string
  subtitle: string | null
  /** For message hits: which message matched (the conversation opens on it). */
  messageSeq?: number
}

const PER_GROUP = 6

function phoneTerms(actor: AgencyActor, q: string): { digits: string; e164: string | null } | null {
  if (/[a-z]/i.test(q)) return null
  const digits = q.replace(/\D/g, '')
  if (digits.length < 6) return null
  return { digits, e164: normalizePhone(q, actor.agency.defaultPhoneCountry) }
}

export async function globalSearch({ db, actor }: AgencyCtx, { q: raw }: TGlobalSearchInput) {
  const q = raw.trim()
  const a = actor.agencyId
  const phone = phoneTerms(actor, q)
  // A query of digits is a phone, a CPF or a code: typo tolerance on names would only add noise (and cost).
  const fuzzy = q.length >= 3 && !phone
  const onlyMine = !(actor.role === 'manager' || actor.agency.agentsSeeAll)
  const digits = phone?.digits ?? null
  const document = /^\d{11}$|^\d{14}$/.test(q.replace(/\D/g, '')) && !/[a-z]/i.test(q) ? q.replace(/\D/g, '') : null
  // One wrong or missing letter in a 9-letter name scores ~0.54; the default 0.6 would miss it. Local to this transaction.
  await db.execute(sql`select set_config('pg_trgm.word_similarity_threshold', '0.5', true)`)
  // Candidates come from the search_* functions (migration 0014: index-driven, fenced to the tenant context); the rows
  // are then read through row-level security like any other query, with the visibility rule applied again.
  const [leads, clients, properties, contacts, messages] = await Promise.all([
    db.execute<{ id: string; name: string; email: string | null; phones: string[] }>(sql`
      select l.id, l.name, l.email, l.phones from search_leads(${q}, ${digits}, ${phone?.e164 ?? null}, ${onlyMine}, ${fuzzy}, ${PER_GROUP}) s
      join leads l on l.agency_id = ${a} and l.id = s.id ${visibleTo(actor, 'l.assigned_to')}
      order by s.score desc, l.updated_at desc`),
    db.execute<{ id: string; name: string; email: string | null; phones: string[] }>(sql`
      select c.id, c.name, c.email, c.phones from search_clients(${q}, ${digits}, ${phone?.e164 ?? null}, ${document}, ${onlyMine}, ${fuzzy}, ${PER_GROUP}) s
      join clients c on c.agency_id = ${a} and c.id = s.id ${visibleTo(actor, 'c.assigned_to')}
      order by s.score desc, c.updated_at desc`),
    db.execute<{ id: string; code: string; title: string; neighbourhood: string | null; city: string | null }>(sql`
      select p.id, p.code, p.title, p.neighbourhood, p.city from search_properties(${q}, ${onlyMine}, ${fuzzy}, ${PER_GROUP}) s
      join properties p on p.agency_id = ${a} and p.id = s.id ${visibleTo(actor, 'p.assigned_to')}
      order by s.score desc, p.updated_at desc`),
    db.execute<{ id: string; name: string; preview: string | null }>(sql`
      select w.id, coalesce(w.contact_name, w.contact_phone) as name, w.last_message_preview as preview from search_conversations(${q}, ${digits}, ${onlyMine}, ${fuzzy}, ${PER_GROUP}) s
      join whatsapp_conversations w on w.agency_id = ${a} and w.id = s.id ${visibleTo(actor, 'w.assigned_to')}
      order by w.last_message_at desc nulls last`),
    q.length >= 3
      ? db.execute<{ id: string; name: string; body: string; seq: number }>(sql`
          select w.id, coalesce(w.contact_name, w.contact_phone) as name, m.body, m.seq from search_messages(${q}, ${null}, ${onlyMine}, ${PER_GROUP}) s
          join whatsapp_messages m on m.agency_id = ${a} and m.id = s.id
          join whatsapp_conversations w on w.agency_id = m.agency_id and w.id = m.conversation_id ${visibleTo(actor, 'w.assigned_to')}
          order by m.created_at desc`)
      : Promise.resolve([]),
  ])
  return {
    leads: leads.map((r): SearchHit => ({
      id: r.id,
      title: r.name,
      subtitle: [r.phones[0], r.email].filter(Boolean).join(' · ') || null,
    })),
    clients: clients.map((r): SearchHit => ({
      id: r.id,
      title: r.name,
      subtitle: [r.phones[0], r.email].filter(Boolean).join(' · ') || null,
    })),
    properties: properties.map((r): SearchHit => ({
      id: r.id,
      title: `${r.code} · ${r.title}`,
      subtitle: [r.neighbourhood, r.city].filter(Boolean).join(', ') || null,
    })),
    conversations: [
      ...contacts.map((r): SearchHit => ({ id: r.id, title: r.name, subtitle: r.preview })),
      ...messages.map((r): SearchHit => ({
        id: r.id,
        title: r.name,
        subtitle: snippet(r.body, q),
        messageSeq: Number(r.seq),
      })),
    ].slice(0, PER_GROUP * 2),
  }
}

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()

/** Up to ~120 characters of a message around the first match (accent-blind), with ellipses where cut. */
export function snippet(body: string, q: string): string {
  const chars = [...body]
  const folded = chars.map((c) => fold(c))
  const needle = fold(q)
  let at = -1
  for (let i = 0; i < chars.length && at < 0; i++)
    if (
      folded
        .slice(i, i + needle.length)
        .join('')
        .startsWith(needle)
    )
      at = i
  const start = Math.max(0, (at < 0 ? 0 : at) - 40)
  const end = Math.min(chars.length, start + 120)
  return `${start > 0 ? '…' : ''}${chars.slice(start, end).join('')}${end < chars.length ? '…' : ''}`
}

/** Messages of one conversation matching a text, newest first (search inside a conversation). */
export async function searchConversationMessages(
  { db, actor }: AgencyCtx,
  { conversationId, q }: TConversationSearchInput,
) {
  const onlyMine = !(actor.role === 'manager' || actor.agency.agentsSeeAll)
  const rows = await db.execute<{ id: string; seq: number; body: string; at: string; direction: string }>(sql`
    select m.id, m.seq, m.body, coalesce(m.provider_at, m.created_at) as at, m.direction from search_messages(${q.trim()}, ${conversationId}, ${onlyMine}, 50) s
    join whatsapp_messages m on m.agency_id = ${actor.agencyId} and m.id = s.id
    join whatsapp_conversations w on w.agency_id = m.agency_id and w.id = m.conversation_id ${visibleTo(actor, 'w.assigned_to')}
    order by m.provider_at desc nulls last, m.seq desc`)
  return rows.map((r) => ({
    id: r.id,
    seq: Number(r.seq),
    snippet: snippet(r.body, q.trim()),
    at: new Date(r.at),
    direction: r.direction as 'inbound' | 'outbound',
  }))
}
