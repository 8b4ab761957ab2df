import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { finished, pipeline } from 'node:stream/promises'
import type { SQL } from 'drizzle-orm'
import { ZipFile } from 'yazl'
import {
  agencies,
  agencyExports,
  and,
  desc,
  eq,
  inArray,
  sql,
  users,
  withAgency,
  type Db,
  type DbOrTx,
} from '@impera/db'
import { BOM, csvLine, csvNumber, type CsvSeparator } from '../exports/csv'
import type { AgencyCtx, WithStorage } from '../ctx'
import { AppError, notFound } from '../errors'
import { agencyExportJob, enqueue } from '../jobs'
import { rooms } from '../live'
import type { TAgencyExportIdInput, TRequestAgencyExportInput } from '../schemas'
import type { FileStorage } from '../storage'
import { audit } from './audit'
import { emitLive } from './live'

/**
 * The agency's own export (issue 17, decision 041): everything it holds — leads, clients, properties, their notes and
 * history, tasks and visits, conversations with every message, consent, the team — as one CSV per entity, with the
 * property photos and the conversations' files, in a ZIP a manager downloads. Built by the worker page by page into a
 * temporary file (memory stays flat at any size), then stored for `EXPORT_DAYS` days. Managers only, audited; one at
 * a time per agency.
 */

export const EXPORT_DAYS = 7
/** A queued or running export older than this was abandoned (the largest agencies export in well under an hour). */
const STALE_MS = 6 * 3600_000
/** Rows per page read: one short transaction each, so the export never holds a long snapshot over the agency. */
const PAGE = 2000

function exportsChanged(db: DbOrTx, agencyId: string) {
  return emitLive(db, rooms.managers(agencyId), 'exports:changed')
}

export async function requestAgencyExport(ctx: AgencyCtx, input: TRequestAgencyExportInput) {
  const agencyId = ctx.actor.agencyId
  const [pending] = await ctx.db
    .select({ id: agencyExports.id, createdAt: agencyExports.createdAt, startedAt: agencyExports.startedAt })
    .from(agencyExports)
    .where(and(eq(agencyExports.agencyId, agencyId), inArray(agencyExports.status, ['queued', 'running'])))
    .for('update')
  // One left behind by a worker that died (or a job given up) would block the agency for good: past STALE_MS it is
  // recorded as failed and a new one may start.
  if (pending && Date.now() - (pending.startedAt ?? pending.createdAt).getTime() > STALE_MS)
    await ctx.db
      .update(agencyExports)
      .set({ status: 'failed', error: 'interrupted', finishedAt: new Date() })
      .where(and(eq(agencyExports.agencyId, agencyId), eq(agencyExports.id, pending.id)))
  // Two requests at once pass this check; the unique index then refuses the second (a 409 all the same).
  else if (pending)
    throw new AppError('CONFLICT', 'an export is already running', {
      userMessage: 'agencyExport.errors.running',
      meta: { reason: 'export_running' },
    })
  const [row] = await ctx.db
    .insert(agencyExports)
    .values({ agencyId, separator: input.separator, requestedBy: ctx.actor.userId })
    .returning()
  await enqueue(ctx.db, agencyExportJob, { agencyId, exportId: row!.id })
  await audit(ctx, 'agency.export', { entity: 'agency_export', entityId: row!.id, after: { status: 'queued' } })
  await exportsChanged(ctx.db, agencyId)
  return row!
}

export async function listAgencyExports(ctx: AgencyCtx) {
  return ctx.db
    .select({
      id: agencyExports.id,
      status: agencyExports.status,
      total: agencyExports.total,
      done: agencyExports.done,
      counts: agencyExports.counts,
      fileBytes: agencyExports.fileBytes,
      error: agencyExports.error,
      createdAt: agencyExports.createdAt,
      finishedAt: agencyExports.finishedAt,
      expiresAt: agencyExports.expiresAt,
      requestedBy: users.name,
    })
    .from(agencyExports)
    .leftJoin(users, eq(users.id, agencyExports.requestedBy))
    .where(eq(agencyExports.agencyId, ctx.actor.agencyId))
    .orderBy(desc(agencyExports.createdAt))
    .limit(10)
}

/** A ready export's file for the download route (which streams it after this transaction); audited per download. */
export async function openAgencyExport(ctx: AgencyCtx & WithStorage, { id }: TAgencyExportIdInput) {
  const [row] = await ctx.db
    .select()
    .from(agencyExports)
    .where(and(eq(agencyExports.agencyId, ctx.actor.agencyId), eq(agencyExports.id, id)))
  if (!row) throw notFound('agency_export')
  if (row.status !== 'ready' || !row.fileKey || (row.expiresAt && row.expiresAt < new Date()))
    throw new AppError('CONFLICT', 'export not available', {
      userMessage: row.status === 'expired' ? 'agencyExport.errors.expired' : 'agencyExport.errors.notReady',
      meta: { reason: row.status === 'expired' ? 'export_expired' : 'export_not_ready' },
    })
  await audit(ctx, 'agency.export_download', { entity: 'agency_export', entityId: id })
  return {
    key: row.fileKey,
    filename: `impera-${row.createdAt.toISOString().slice(0, 10)}-${id.slice(0, 8)}.zip`,
  }
}

/** One CSV of the export: its columns and the page query (keyset on `key`, ascending). */
interface Table {
  file: string
  columns: { header: string; kind?: 'money' | 'area' }[]
  /** The rows after `after` (null: from the start), `limit` of them, in key order; `k1`/`k2` are the key. */
  page: (after: [string, string] | null, limit: number) => SQL
  count: SQL
}

/** Keys are one uuid (`k1`), or two (`k1`, `k2`) for the link tables. */
const afterClause = (after: [string, string] | null, k1: SQL, k2?: SQL) =>
  !after
    ? sql`true`
    : k2
      ? sql`(${k1}, ${k2}) > (${after[0]}::uuid, ${after[1]}::uuid)`
      : sql`${k1} > ${after[0]}::uuid`

function tables(agencyId: string, tz: string): Table[] {
  const at = (col: string) => sql.raw(`to_char(${col} at time zone `).append(sql`${tz}, 'YYYY-MM-DD HH24:MI:SS')`)
  const list = (col: string) => sql.raw(`array_to_string(${col}, ' | ')`)
  const member = (col: string) => sql.raw(`(select u.email from users u where u.id = ${col})`)
  const simple = (
    file: string,
    from: string,
    cols: [string, SQL | string, Table['columns'][number]['kind']?][],
    order = 't.id',
  ): Table => ({
    file,
    columns: cols.map(([header, , kind]) => ({ header, kind })),
    count: sql.raw(`select count(*)::int as n from ${from} where t.agency_id = `).append(sql`${agencyId}`),
    page: (after, limit) =>
      sql
        .raw(`select ${order} as k1, `)
        .append(
          sql.join(
            // Named c0, c1…: unnamed expressions would share names and overwrite each other in the row object.
            cols.map(([, expr], i) => sql`${typeof expr === 'string' ? sql.raw(expr) : expr} as ${sql.raw(`c${i}`)}`),
            sql`, `,
          ),
        )
        .append(sql.raw(` from ${from} where t.agency_id = `))
        .append(sql`${agencyId} and ${afterClause(after, sql.raw(order))} order by ${sql.raw(order)} limit ${limit}`),
  })
  return [
    simple('leads.csv', 'leads t', [
      ['id', 't.id'],
      ['name', 't.name'],
      ['phones', list('t.phones')],
      ['email', 't.email'],
      ['status', 't.status'],
      ['source', 't.source'],
      ['source_detail', 't.source_detail'],
      ['interest', 't.interest'],
      ['budget_min', 't.budget_min', 'money'],
      ['budget_max', 't.budget_max', 'money'],
      ['property_types', list('t.property_types')],
      ['locations', list('t.locations')],
      ['min_bedrooms', 't.min_bedrooms'],
      ['tags', list('t.tags')],
      ['notes', 't.notes'],
      ['assignee_email', member('t.assigned_to')],
      ['client_id', 't.client_id'],
      ['lost_reason', 't.lost_reason'],
      ['lost_detail', 't.lost_detail'],
      ['qualification', 't.qualification::text'],
      ['qualification_score', 't.qualification_score'],
      ['temperature', 't.temperature'],
      ['ai_summary', 't.ai_summary'],
      ['first_contact_at', at('t.first_contact_at')],
      ['status_changed_at', at('t.status_changed_at')],
      ['created_at', at('t.created_at')],
      ['updated_at', at('t.updated_at')],
      ['deleted_at', at('t.deleted_at')],
      ['anonymized_at', at('t.anonymized_at')],
    ]),
    simple('clientes.csv', 'clients t', [
      ['id', 't.id'],
      ['name', 't.name'],
      ['types', list('t.types')],
      ['phones', list('t.phones')],
      ['email', 't.email'],
      ['document', 't.document'],
      ['street', 't.street'],
      ['number', 't.number'],
      ['complement', 't.complement'],
      ['neighbourhood', 't.neighbourhood'],
      ['city', 't.city'],
      ['state', 't.state'],
      ['postal_code', 't.postal_code'],
      ['country', 't.country'],
      ['birth_date', 't.birth_date::text'],
      ['tags', list('t.tags')],
      ['notes', 't.notes'],
      ['assignee_email', member('t.assigned_to')],
      ['created_at', at('t.created_at')],
      ['updated_at', at('t.updated_at')],
      ['deleted_at', at('t.deleted_at')],
      ['anonymized_at', at('t.anonymized_at')],
    ]),
    simple('imoveis.csv', 'properties t', [
      ['id', 't.id'],
      ['code', 't.code'],
      ['title', 't.title'],
      ['type', 't.type'],
      ['purpose', 't.purpose'],
      ['status', 't.status'],
      ['sale_price', 't.sale_price', 'money'],
      ['rent_price', 't.rent_price', 'money'],
      ['condo_fee', 't.condo_fee', 'money'],
      ['property_tax', 't.property_tax', 'money'],
      ['built_area', 't.built_area', 'area'],
      ['total_area', 't.total_area', 'area'],
      ['bedrooms', 't.bedrooms'],
      ['suites', 't.suites'],
      ['bathrooms', 't.bathrooms'],
      ['parking_spaces', 't.parking_spaces'],
      ['features', list('t.features')],
      ['street', 't.street'],
      ['number', 't.number'],
      ['complement', 't.complement'],
      ['neighbourhood', 't.neighbourhood'],
      ['city', 't.city'],
      ['state', 't.state'],
      ['postal_code', 't.postal_code'],
      ['country', 't.country'],
      ['description', 't.description'],
      ['owner_client_id', 't.owner_client_id'],
      ['assignee_email', member('t.assigned_to')],
      ['publish_portals', 't.publish_portals::text'],
      ['created_at', at('t.created_at')],
      ['updated_at', at('t.updated_at')],
      ['deleted_at', at('t.deleted_at')],
    ]),
    simple('fotos.csv', 'property_photos t', [
      ['id', 't.id'],
      ['property_id', 't.property_id'],
      ['position', 't.position'],
      ['file', sql.raw(`'fotos/' || t.property_id || '/' || t.id || '.webp'`)],
      ['original_name', 't.original_name'],
      ['width', 't.width'],
      ['height', 't.height'],
    ]),
    simple('notas-leads.csv', 'lead_notes t', [
      ['id', 't.id'],
      ['lead_id', 't.lead_id'],
      ['author_email', member('t.author_id')],
      ['body', 't.body'],
      ['created_at', at('t.created_at')],
    ]),
    simple('notas-clientes.csv', 'client_notes t', [
      ['id', 't.id'],
      ['client_id', 't.client_id'],
      ['author_email', member('t.author_id')],
      ['body', 't.body'],
      ['created_at', at('t.created_at')],
    ]),
    simple('historico-leads.csv', 'lead_events t', [
      ['id', 't.id'],
      ['lead_id', 't.lead_id'],
      ['kind', 't.kind'],
      ['data', 't.data::text'],
      ['actor_email', member('t.actor_user_id')],
      ['at', at('t.at')],
    ]),
    simple('historico-clientes.csv', 'client_events t', [
      ['id', 't.id'],
      ['client_id', 't.client_id'],
      ['kind', 't.kind'],
      ['data', 't.data::text'],
      ['actor_email', member('t.actor_user_id')],
      ['at', at('t.at')],
    ]),
    {
      file: 'imoveis-de-interesse.csv',
      columns: [{ header: 'lead_id' }, { header: 'property_id' }, { header: 'created_at' }],
      count: sql`select count(*)::int as n from lead_properties t where t.agency_id = ${agencyId}`,
      page: (after, limit) => sql`select t.lead_id as k1, t.property_id as k2, t.lead_id as c0, t.property_id as c1,
          ${at('t.created_at')} as c2 from lead_properties t
        where t.agency_id = ${agencyId} and ${afterClause(after, sql`t.lead_id`, sql`t.property_id`)}
        order by t.lead_id, t.property_id limit ${limit}`,
    },
    simple('tarefas.csv', 'tasks t', [
      ['id', 't.id'],
      ['kind', 't.kind'],
      ['title', 't.title'],
      ['notes', 't.notes'],
      ['due_at', at('t.due_at')],
      ['duration_minutes', 't.duration_minutes'],
      ['place', 't.place'],
      ['assignee_email', member('t.assigned_to')],
      ['lead_id', 't.lead_id'],
      ['client_id', 't.client_id'],
      ['property_id', 't.property_id'],
      ['status', 't.status'],
      ['outcome', 't.outcome'],
      ['outcome_note', 't.outcome_note'],
      ['completed_at', at('t.completed_at')],
      ['recurrence', 't.recurrence'],
      ['confirmation_state', 't.confirmation_state'],
      ['confirmation_reply', 't.confirmation_reply'],
      ['created_at', at('t.created_at')],
    ]),
    simple('conversas.csv', 'whatsapp_conversations t', [
      ['id', 't.id'],
      ['contact_phone', 't.contact_phone'],
      ['contact_name', 't.contact_name'],
      ['lead_id', 't.lead_id'],
      ['client_id', 't.client_id'],
      ['assignee_email', member('t.assigned_to')],
      ['status', 't.status'],
      ['ai_mode', 't.ai_mode'],
      ['controller', 't.controller'],
      ['labels', list('t.labels')],
      ['opted_out_at', at('t.opted_out_at')],
      ['last_message_at', at('t.last_message_at')],
      ['created_at', at('t.created_at')],
    ]),
    simple('mensagens.csv', 'whatsapp_messages t', [
      ['id', 't.id'],
      ['conversation_id', 't.conversation_id'],
      ['direction', 't.direction'],
      ['author', 't.author'],
      ['sent_by_email', member('t.sent_by')],
      ['type', 't.type'],
      ['text', 't.body'],
      [
        'file',
        sql.raw(`case when t.media->>'state' = 'stored' and t.media ? 'storageKey'
          then 'midia/' || t.conversation_id || '/' || t.id || '-' || regexp_replace(coalesce(t.media->>'filename', 'arquivo'), '[^[:alnum:]._-]+', '_', 'g') end`),
      ],
      ['status', 't.status'],
      ['error', 't.error_reason'],
      ['at', at('coalesce(t.provider_at, t.created_at)')],
    ]),
    simple('consentimentos.csv', 'contact_consents t', [
      ['id', 't.id'],
      ['lead_id', 't.lead_id'],
      ['client_id', 't.client_id'],
      ['granted', 't.granted::text'],
      ['basis', 't.basis'],
      ['source', 't.source'],
      ['text_version', 't.text_version'],
      ['evidence', 't.evidence::text'],
      ['recorded_by_email', member('t.recorded_by')],
      ['recorded_at', at('t.recorded_at')],
    ]),
    simple(
      'equipe.csv',
      'memberships t join users u on u.id = t.user_id',
      [
        ['user_id', 't.user_id'],
        ['name', 'u.name'],
        ['email', 'u.email'],
        ['role', 't.role'],
        ['status', 't.status'],
        ['kind', 'u.kind'],
        ['created_at', at('t.created_at')],
      ],
      't.user_id',
    ),
  ]
}

/**
 * The stored files of the export: property photos (full size) and the conversations' media, each table paged by its
 * own key (a union re-sorted for every page would grow with the agency).
 */
function fileQueries(agencyId: string) {
  const after = (id: string | null, col: SQL) => (id ? sql`${col} > ${id}::uuid` : sql`true`)
  return {
    count: sql`select (select count(*) from property_photos where agency_id = ${agencyId})
      + (select count(*) from whatsapp_messages where agency_id = ${agencyId}
           and media->>'state' = 'stored' and media ? 'storageKey') as n`,
    pages: [
      (id: string | null, limit: number) => sql`
        select p.id, p.storage_key as key, 'fotos/' || p.property_id || '/' || p.id || '.webp' as name
          from property_photos p where p.agency_id = ${agencyId} and ${after(id, sql`p.id`)}
         order by p.id limit ${limit}`,
      (id: string | null, limit: number) => sql`
        select m.id, m.media->>'storageKey' as key, 'midia/' || m.conversation_id || '/' || m.id || '-'
            || regexp_replace(coalesce(m.media->>'filename', 'arquivo'), '[^[:alnum:]._-]+', '_', 'g') as name
          from whatsapp_messages m where m.agency_id = ${agencyId}
           and m.media->>'state' = 'stored' and m.media ? 'storageKey' and ${after(id, sql`m.id`)}
         order by m.id limit ${limit}`,
    ],
  }
}

const README = (agencyName: string, at: string, sep: CsvSeparator) =>
  [
    `${agencyName} — exportação completa do Impera CRM, ${at}.`,
    `Full export of ${agencyName} from Impera CRM, ${at}.`,
    '',
    `CSV: UTF-8 com BOM, separador "${sep}", datas no fuso da imobiliária (AAAA-MM-DD HH:MM:SS), valores em reais.`,
    `CSV: UTF-8 with a BOM, "${sep}" between fields, times in the agency's time zone, amounts in the currency's units.`,
    '',
    'leads.csv, clientes.csv, imoveis.csv: os cadastros (inclusive os da lixeira, com deleted_at)',
    'notas-leads.csv, notas-clientes.csv, historico-leads.csv, historico-clientes.csv: notas e histórico',
    'imoveis-de-interesse.csv: imóveis ligados a cada lead',
    'fotos.csv e fotos/: fotos dos imóveis',
    'tarefas.csv: tarefas e visitas',
    'conversas.csv, mensagens.csv e midia/: conversas de WhatsApp, mensagens e arquivos',
    'consentimentos.csv: autorizações e revogações de marketing (LGPD)',
    'equipe.csv: membros da equipe',
  ].join('\r\n')

interface JobDeps {
  db: Db
  storage: FileStorage
}

/**
 * Builds an export (the `agency:export` job). A retry starts over: the ZIP is written to a fresh temporary file and
 * only the finished file reaches the store, so a crash leaves nothing half-written behind. On the last attempt a
 * failure is recorded on the row for the manager to see.
 */
export async function runAgencyExportJob(
  { db, storage }: JobDeps,
  { agencyId, exportId }: { agencyId: string; exportId: string },
  { final, pageSize = PAGE }: { final: boolean; pageSize?: number },
) {
  const system = <T>(fn: (tx: DbOrTx) => Promise<T>) => withAgency(db, { agencyId, userId: null }, fn)
  const markFailed = (e: unknown) =>
    system(async (tx) => {
      await tx
        .update(agencyExports)
        .set({ status: 'failed', error: (e as Error).message.slice(0, 500), finishedAt: new Date() })
        .where(and(eq(agencyExports.agencyId, agencyId), eq(agencyExports.id, exportId)))
      await exportsChanged(tx, agencyId)
    })
  try {
    return await buildExport()
  } catch (e) {
    // Recorded on the last attempt, whatever failed; a row left running by a crashed worker is taken over by the
    // next request (requestAgencyExport), so it never blocks the agency.
    if (final) await markFailed(e)
    throw e
  }

  async function buildExport() {
    const start = await system(async (tx) => {
      const [row] = await tx
        .select()
        .from(agencyExports)
        .where(and(eq(agencyExports.agencyId, agencyId), eq(agencyExports.id, exportId)))
      const [agency] = await tx
        .select({ name: agencies.name, timezone: agencies.timezone })
        .from(agencies)
        .where(eq(agencies.id, agencyId))
      return row && agency ? { row, agency } : null
    })
    if (!start || (start.row.status !== 'queued' && start.row.status !== 'running')) return 'skipped'
    const { row, agency } = start
    const sep = row.separator
    const specs = tables(agencyId, agency.timezone)
    const files = fileQueries(agencyId)
    const total = await system(async (tx) => {
      let n = 0
      for (const q of [...specs.map((s) => s.count), files.count])
        n += Number((await tx.execute<{ n: number }>(q))[0]!.n)
      await tx
        .update(agencyExports)
        .set({ status: 'running', startedAt: new Date(), total: n, done: 0, error: null })
        .where(and(eq(agencyExports.agencyId, agencyId), eq(agencyExports.id, exportId)))
      await exportsChanged(tx, agencyId)
      return n
    })

    const tmp = path.join(tmpdir(), `impera-export-${exportId}-${process.pid}.zip`)
    // yazl writes ZIP64 when needed: past 4 GB or 65,535 entries (a large agency's photos) a plain ZIP would break.
    const zip = new ZipFile()
    let fail: (e: unknown) => void = () => {}
    const failure = new Promise<never>((_, reject) => (fail = reject))
    failure.catch(() => {})
    // yazl reports a broken entry as an 'error' event: unheard, it would bring the worker down.
    zip.on('error', (e: unknown) => fail(e))
    /** The stream being added now, destroyed if the export fails midway (a file descriptor, an HTTP body). */
    let current: { destroy: () => void } | null = null
    const out = createWriteStream(tmp)
    const written = pipeline(zip.outputStream, out).catch((e: unknown) => {
      fail(e)
      throw e
    })
    written.catch(() => {})
    /** Waits for `p` unless writing the file broke (a full disk), which would leave `p` pending for ever. */
    const unlessBroken = (p: Promise<unknown>) => Promise.race([p, failure])
    let done = 0
    let reported = Date.now()
    const progress = async (n: number) => {
      done += n
      // A progress write (and live event) per second at most: the bar moves, the database is not kept busy.
      if (Date.now() - reported < 1000) return
      reported = Date.now()
      await system(async (tx) => {
        await tx
          .update(agencyExports)
          .set({ done })
          .where(and(eq(agencyExports.agencyId, agencyId), eq(agencyExports.id, exportId)))
        await exportsChanged(tx, agencyId)
      })
    }
    try {
      zip.addBuffer(Buffer.from(README(agency.name, new Date().toISOString(), sep)), 'LEIA-ME.txt')
      const counts: Record<string, number> = {}
      for (const spec of specs) {
        const entry = new PassThrough()
        current = entry
        zip.addReadStream(entry, spec.file, { compressionLevel: 6 })
        const write = async (text: string) => {
          if (!entry.write(text)) await unlessBroken(once(entry, 'drain'))
        }
        await write(
          BOM +
            csvLine(
              spec.columns.map((c) => c.header),
              sep,
            ),
        )
        let after: [string, string] | null = null
        let n = 0
        for (;;) {
          const rows = await system((tx) => tx.execute<Record<string, unknown>>(spec.page(after, pageSize)))
          if (!rows.length) break
          let chunk = ''
          for (const r of rows) chunk += csvLine(cells(r, spec.columns, sep), sep)
          await write(chunk)
          const last = rows[rows.length - 1]!
          after = [String(last.k1), String(last.k2 ?? '')]
          n += rows.length
          await progress(rows.length)
          if (rows.length < pageSize) break
        }
        entry.end()
        counts[spec.file] = n
      }
      let stored = 0
      for (const page of files.pages) {
        let after: string | null = null
        for (;;) {
          const found = await system((tx) =>
            tx.execute<{ id: string; key: string; name: string }>(page(after, pageSize)),
          )
          for (const f of found) {
            const file = await storage.open(f.key)
            // A file the store lost is listed in its CSV but missing from the ZIP; the export itself goes on.
            if (!file) continue
            current = file.stream
            // Compressed already (photos, media): stored as they are, one at a time, so memory stays flat. No size
            // given: a store's declared length may be of an encoded body, and yazl fails on a mismatch.
            zip.addReadStream(file.stream, f.name, { compress: false })
            await unlessBroken(finished(file.stream))
            stored++
          }
          await progress(found.length)
          if (found.length < pageSize) break
          after = found[found.length - 1]!.id
        }
      }
      counts.files = stored
      zip.end()
      await written
      const { size } = await stat(tmp)
      const key = `${agencyId}/exports/${exportId}.zip`
      await storage.putFile(key, tmp, 'application/zip')
      const kept = await system(async (tx) => {
        const updated = await tx
          .update(agencyExports)
          .set({
            status: 'ready',
            done: total,
            counts,
            fileKey: key,
            fileBytes: size,
            finishedAt: new Date(),
            expiresAt: new Date(Date.now() + EXPORT_DAYS * 86_400_000),
          })
          .where(and(eq(agencyExports.agencyId, agencyId), eq(agencyExports.id, exportId)))
          .returning({ id: agencyExports.id })
        await exportsChanged(tx, agencyId)
        return updated.length > 0
      })
      // The agency (and so the row) went while the file was written: the file goes too.
      if (!kept) {
        await storage.delete([key])
        return 'skipped'
      }
      return 'ready'
    } catch (e) {
      zip.outputStream.unpipe()
      current?.destroy()
      out.destroy()
      throw e
    } finally {
      await rm(tmp, { force: true })
    }
  }
}

/** A row's cells in the CSV's columns: amounts from cents to units with the separator's decimal mark. */
function cells(r: Record<string, unknown>, columns: Table['columns'], sep: CsvSeparator) {
  const locale = sep === ';' ? 'pt-BR' : 'en-US'
  const values = Object.values(r).slice('k2' in r ? 2 : 1)
  return columns.map((c, i) => {
    const v = values[i]
    if (v === null || v === undefined) return null
    if (c.kind === 'money') return csvNumber(Number(v) / 100, locale, 2)
    if (c.kind === 'area' || typeof v === 'number') return csvNumber(Number(v), locale, 2)
    return String(v)
  })
}

/** Daily: exports past their days leave the store; the rows stay, marked expired. Returns the keys. */
export async function expireAgencyExports(
  { db }: { db: Db },
  { agencyId, now = new Date() }: { agencyId: string; now?: Date },
) {
  return withAgency(db, { agencyId, userId: null }, async (tx) => {
    const gone = await tx.execute<{ key: string }>(sql`
      with old as (
        select id, file_key from agency_exports
         where agency_id = ${agencyId} and status = 'ready' and expires_at < ${now.toISOString()}::timestamptz for update)
      update agency_exports e set status = 'expired', file_key = null from old
       where e.agency_id = ${agencyId} and e.id = old.id
      returning old.file_key as key`)
    return gone.map((g) => g.key).filter(Boolean)
  })
}
