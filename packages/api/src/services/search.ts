import { sql, type DbOrTx } from '@impera/db'
import type { SQL } from 'drizzle-orm'
import { normalizePhone } from '../phones'
import type { AgencyActor } from '../trpc'
import { visibleTo } from './dashboard'

/**
 * Global search (⌘K) across the records the actor may see. Names, e-mails and addresses match accent-blind and
 * typo-tolerant (pg_trgm word similarity over `search_norm`, migration 0014); phones match in any format (digits
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

/** The LIKE pattern of a normalised query, escaped; built in SQL so the query and the index use the same normalisation. */
function contains(doc: SQL, q: string) {
  const escaped = q.replace(/[%_\\]/g, (c) => `\\${c}`)
  return sql`${doc} like '%' || search_norm(${escaped}) || '%'`
}

function phoneTerms(actor: AgencyActor, q: string): { digits: string; e164: string | null } | null {
  if (/[a-z]/i.test(q)) return null
  const digits = q.replace(/\D/g, '')
  if (digits.length < 6) return null
  return { digits, e164: normalizePhone(q, actor.agency.defaultPhoneCountry) }
}

export async function globalSearch({ db, actor, q: raw }: { db: DbOrTx; actor: AgencyActor; q: string }) {
  const q = raw.trim()
  const a = actor.agencyId
  const phone = phoneTerms(actor, q)
  const fuzzy = q.length >= 3
  const docLead = sql`search_norm(l.name || ' ' || coalesce(l.email, ''))`
  const docClient = sql`search_norm(c.name || ' ' || coalesce(c.email, ''))`
  const docProperty = sql`search_norm(p.code || ' ' || p.title || ' ' || coalesce(p.street, '') || ' ' || coalesce(p.neighbourhood, '') || ' ' || coalesce(p.city, ''))`
  const textMatch = (doc: SQL) => (fuzzy ? sql`(${contains(doc, q)} or search_norm(${q}) <% ${doc})` : contains(doc, q))
  const phoneMatch = (col: string) =>
    phone ? sql`or phones_text(${sql.raw(col)}) like ${`%${phone.digits}%`} ${phone.e164 ? sql`or ${sql.raw(col)} @> array[${phone.e164}]::text[]` : sql``}` : sql``
  const digits = q.replace(/\D/g, '')
  // One wrong or missing letter in a 9-letter name scores ~0.54; the default 0.6 would miss it. Local to this transaction.
  await db.execute(sql`select set_config('pg_trgm.word_similarity_threshold', '0.5', true)`)
  const [leads, clients, properties, contacts, messages] = await Promise.all([
    db.execute<{ id: string; name: string; email: string | null; phones: string[]; status: string }>(sql`
      select l.id, l.name, l.email, l.phones, l.status from leads l
      where l.agency_id = ${a} and l.deleted_at is null ${visibleTo(actor, 'l.assigned_to')}
        and (${textMatch(docLead)} ${phoneMatch('l.phones')})
      order by word_similarity(search_norm(${q}), ${docLead}) desc, l.updated_at desc limit ${PER_GROUP}`),
    db.execute<{ id: string; name: string; email: string | null; phones: string[]; document: string | null }>(sql`
      select c.id, c.name, c.email, c.phones, c.document from clients c
      where c.agency_id = ${a} and c.deleted_at is null ${visibleTo(actor, 'c.assigned_to')}
        and (${textMatch(docClient)} ${phoneMatch('c.phones')} ${digits.length === 11 || digits.length === 14 ? sql`or c.document = ${digits}` : sql``})
      order by (c.document is not distinct from ${digits}) desc, word_similarity(search_norm(${q}), ${docClient}) desc, c.updated_at desc limit ${PER_GROUP}`),
    db.execute<{ id: string; code: string; title: string; neighbourhood: string | null; city: string | null }>(sql`
      select p.id, p.code, p.title, p.neighbourhood, p.city from properties p
      where p.agency_id = ${a} and p.deleted_at is null ${visibleTo(actor, 'p.assigned_to')}
        and (${textMatch(docProperty)} or lower(p.code) = lower(${q}))
      order by (lower(p.code) = lower(${q})) desc, word_similarity(search_norm(${q}), ${docProperty}) desc, p.updated_at desc limit ${PER_GROUP}`),
    db.execute<{ id: string; name: string; phone: string; preview: string | null }>(sql`
      select w.id, coalesce(w.contact_name, w.contact_phone) as name, w.contact_phone as phone, w.last_message_preview as preview from whatsapp_conversations w
      where w.agency_id = ${a} ${visibleTo(actor, 'w.assigned_to')}
        and (${textMatch(sql`search_norm(coalesce(w.contact_name, '') || ' ' || w.contact_phone)`)} ${phone ? sql`or w.contact_phone like ${`%${phone.digits}%`} ${phone.e164 ? sql`or w.contact_phone = ${phone.e164}` : sql``}` : sql``})
      order by w.last_message_at desc nulls last limit ${PER_GROUP}`),
    fuzzy
      ? db.execute<{ id: string; name: string; body: string; seq: number }>(sql`
          select w.id, coalesce(w.contact_name, w.contact_phone) as name, m.body, m.seq from whatsapp_messages m
          join whatsapp_conversations w on w.agency_id = m.agency_id and w.id = m.conversation_id ${visibleTo(actor, 'w.assigned_to')}
          where m.agency_id = ${a} and m.body is not null and ${contains(sql`search_norm(m.body)`, q)}
          order by m.created_at desc limit ${PER_GROUP}`)
      : Promise.resolve([]),
  ])
  return {
    leads: leads.map((r): SearchHit => ({ id: r.id, title: r.name, subtitle: [r.phones[0], r.email].filter(Boolean).join(' · ') || null })),
    clients: clients.map((r): SearchHit => ({ id: r.id, title: r.name, subtitle: [r.phones[0], r.email].filter(Boolean).join(' · ') || null })),
    properties: properties.map((r): SearchHit => ({ id: r.id, title: `${r.code} · ${r.title}`, subtitle: [r.neighbourhood, r.city].filter(Boolean).join(', ') || null })),
    conversations: [
      ...contacts.map((r): SearchHit => ({ id: r.id, title: r.name, subtitle: r.preview })),
      ...messages.map((r): SearchHit => ({ id: r.id, title: r.name, subtitle: snippet(r.body, q), messageSeq: Number(r.seq) })),
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
  for (let i = 0; i < chars.length && at < 0; i++) if (folded.slice(i, i + needle.length).join('').startsWith(needle)) at = i
  const start = Math.max(0, (at < 0 ? 0 : at) - 40)
  const end = Math.min(chars.length, start + 120)
  return `${start > 0 ? '…' : ''}${chars.slice(start, end).join('')}${end < chars.length ? '…' : ''}`
}

/** Messages of one conversation matching a text, newest first (search inside a conversation). */
export async function searchConversationMessages({ db, actor, conversationId, q }: { db: DbOrTx; actor: AgencyActor; conversationId: string; q: string }) {
  const rows = await db.execute<{ id: string; seq: number; body: string; at: string; direction: string }>(sql`
    select m.id, m.seq, m.body, coalesce(m.provider_at, m.created_at) as at, m.direction from whatsapp_messages m
    join whatsapp_conversations w on w.agency_id = m.agency_id and w.id = m.conversation_id ${visibleTo(actor, 'w.assigned_to')}
    where m.agency_id = ${actor.agencyId} and m.conversation_id = ${conversationId} and m.body is not null and ${contains(sql`search_norm(m.body)`, q.trim())}
    order by m.provider_at desc nulls last, m.seq desc limit 50`)
  return rows.map((r) => ({ id: r.id, seq: Number(r.seq), snippet: snippet(r.body, q.trim()), at: new Date(r.at), direction: r.direction as 'inbound' | 'outbound' }))
}
