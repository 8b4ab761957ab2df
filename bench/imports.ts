import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { withAgencyActor } from '@impera/api'
import {
  IMPORT_BATCH_ROWS,
  runImportJob,
  startImport,
  uploadImport,
  validateImport,
  validateImportJob,
} from '@impera/api/services'
import { createStorage } from '@impera/api/storage'
import { appUrlFrom, createDb, sql, withAgency } from '@impera/db'
import { freePort, startEmbeddedPostgres } from '@impera/db/embedded'
import { migrateDatabase } from '@impera/db/migrate'
import ExcelJS from 'exceljs'
import type { ImportKind } from '@impera/db/enums'
import { addMember, insertAgency, insertUser } from '../packages/db/src/testing/factories'

/**
 * The spreadsheet import at its target volume (decision 024; issue 17: 100,000 leads in ≤ 60 s on 2 cores, memory
 * bounded): a 100,000-row CSV as Excel writes it (Windows-1252, ';') with phones, e-mails, amounts, dates, places and
 * agents, into an agency that already has 20,000 leads (so every batch's duplicate check reads a real table). Timed:
 * the upload (sniff and sample), the validation report and the run, each as the worker runs them, with the process's
 * resident memory sampled throughout. Next to it, the bare SQL floor: the same 100,000 rows and their history inserted
 * with the same batch size, with no parsing, no checks, no report. Then an XLSX of the same rows.
 */
export interface ImportsBenchResult {
  rows: number
  csvMb: number
  csv: { upload: number; validate: number; run: number; total: number; rssPeakMb: number; rssBaseMb: number }
  bareSql: number
  ratio: number
  xlsx: { mb: number; validate: number; run: number; total: number; rssPeakMb: number; rssBeforeMb: number }
  /** Issue 17's "done means": a 20,000-row Jetimob-style export with messy phones. */
  jetimob?: { rows: number; total: number; created: number; refused: number; phonesKept: number }
  /** 100,000 listings with their owners (decision 045). */
  properties?: { rows: number; total: number; run: number; created: number; owners: number }
  created: number
}

const secs = (ms: number) => Math.round(ms / 100) / 10

function rows(n: number, agents: string[]): string[][] {
  const hoods = ['Moema', 'Pinheiros', 'Vila Mariana', 'Tatuapé', 'Santana', 'Butantã', 'Lapa', 'Ipiranga']
  const statuses = ['Novo', 'Em atendimento', 'Qualificado', 'Perdido', '']
  return Array.from({ length: n }, (_, i) => [
    `Cliente Importado ${i} da Conceição`,
    `(${11 + (i % 80)}) 9${String(80000000 + i).slice(0, 4)}-${String(80000000 + i).slice(4)}`,
    i % 3 ? `cliente${i}@exemplo.com.br` : '',
    `${hoods[i % hoods.length]}, ${hoods[(i + 3) % hoods.length]}`,
    i % 4 ? `R$ ${(300 + (i % 900)).toLocaleString('pt-BR')}.000,00` : '1,2 mi',
    agents[i % agents.length]!,
    statuses[i % statuses.length]!,
    `${String(1 + (i % 28)).padStart(2, '0')}/${String(1 + (i % 12)).padStart(2, '0')}/20${20 + (i % 5)}`,
    i % 5 ? '' : 'Prefere contato à tarde; já visitou imóveis na região',
  ])
}

const headers = ['Nome', 'Celular', 'E-mail', 'Bairro', 'Valor', 'Corretor', 'Status', 'Data de cadastro', 'Obs']

/**
 * A leads export as Jetimob writes it (its column names, its funnel stages and media), with the phones agencies really
 * have: masks or none, +55 or 0 trunk prefixes, 8-digit mobiles from before the 9th digit, landlines, numbers without
 * an area code, placeholders in the second phone.
 */
const jetimobHeaders = [
  'Código',
  'Nome',
  'E-mail',
  'Telefone 1',
  'Telefone 2',
  'Mídia de origem',
  'Corretor',
  'Data de cadastro',
  'Etapa do funil',
  'Observações',
]
function jetimobRows(n: number, agents: string[]): string[][] {
  const media = ['Site', 'ZAP Imóveis', 'Viva Real', 'Indicação', 'Facebook', 'WhatsApp', 'Placa', 'Feirão de março']
  const stages = ['Novo', 'Em atendimento', 'Visita agendada', 'Proposta', 'Perdido', '']
  return Array.from({ length: n }, (_, i) => {
    const d = String(10_000_000 + i).slice(-8)
    const phone = [
      `(11) 9${d.slice(0, 4)}-${d.slice(4)}`,
      `219${d}`,
      `+55 (31) ${d.slice(0, 4)}-${d.slice(4)}`,
      `041 9${d.slice(0, 4)} ${d.slice(4)}`,
      `55 51 9${d.slice(0, 4)} ${d.slice(4)}`,
      `(11)3${d.slice(1, 4)}-${d.slice(4)}`,
      `9${d.slice(0, 4)}-${d.slice(4)}`,
      `61 9 ${d.slice(0, 4)}.${d.slice(4)}`,
    ][i % 8]!
    return [
      String(500_000 + i),
      `Contato Jetimob ${i}`,
      i % 4 ? `contato${i}@jetimob.exemplo.com` : '',
      phone,
      ['', '-', 'mesmo', `(11) 9${String(20_000_000 + i).slice(-8)}`][i % 4]!,
      media[i % media.length]!,
      agents[i % agents.length]!,
      `${String(1 + (i % 28)).padStart(2, '0')}/${String(1 + (i % 12)).padStart(2, '0')}/2024 10:${String(i % 60).padStart(2, '0')}`,
      stages[i % stages.length]!,
      i % 7 ? '' : 'Cliente pediu retorno; veio do anúncio do apartamento da Vila Mariana',
    ]
  })
}

/** Listings as another CRM exports them, every third one's owner repeated (owners with several listings). */
function propertyRows(n: number): string[][] {
  const types = ['Apartamento', 'Casa', 'Terreno', 'Sala comercial', 'Cobertura']
  return Array.from({ length: n }, (_, i) => {
    const owner = Math.floor(i / 3)
    return [
      `REF${String(i).padStart(6, '0')}`,
      types[i % types.length]!,
      i % 4 ? 'Venda' : 'Venda e aluguel',
      `R$ ${(200 + (i % 1800)).toLocaleString('pt-BR')}.000,00`,
      i % 4 ? '' : `R$ ${(1500 + (i % 9000)).toLocaleString('pt-BR')},00`,
      String(1 + (i % 5)),
      `${40 + (i % 300)},5 m²`,
      ['Moema', 'Pinheiros', 'Savassi', 'Boa Viagem', 'Batel'][i % 5]!,
      ['São Paulo', 'São Paulo', 'Belo Horizonte', 'Recife', 'Curitiba'][i % 5]!,
      `Proprietário ${owner}`,
      `(11) 9${String(30_000_000 + owner).slice(-8)}`,
    ]
  })
}
const propertyHeaders = [
  'Referência',
  'Tipo',
  'Finalidade',
  'Valor de venda',
  'Valor do aluguel',
  'Quartos',
  'Área útil',
  'Bairro',
  'Cidade',
  'Proprietário',
  'Telefone do proprietário',
]

/**
 * The rows as an XLSX file with shared strings (as Excel writes them), through exceljs's streaming writer: an in-memory
 * workbook of 100,000 rows took a gigabyte, which stayed in the process's resident memory and hid the reader's own.
 */
async function workbook(data: string[][], file: string): Promise<Uint8Array> {
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true })
  const sheet = book.addWorksheet('Leads')
  sheet.addRow(headers).commit()
  for (const r of data) sheet.addRow(r).commit()
  await book.commit()
  return new Uint8Array(await readFile(file))
}

/** Samples the process's resident memory until stopped; returns the peak in MB. */
function sampleRss() {
  let peak = process.memoryUsage().rss
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50)
  return () => {
    clearInterval(timer)
    return Math.round(Math.max(peak, process.memoryUsage().rss) / 2 ** 20)
  }
}

export async function benchImports(opts: { rows: number; log: (m: string) => void }): Promise<ImportsBenchResult> {
  const dir = await mkdtemp(path.join(tmpdir(), 'impera-bench-imports-'))
  await chmod(dir, 0o755)
  const server = await startEmbeddedPostgres({
    dataDir: path.join(dir, 'pg'),
    port: await freePort(),
    persistent: false,
    settings: { shared_buffers: '1GB' },
  })
  const cleanup: (() => Promise<unknown>)[] = []
  try {
    const appPassword = 'bench-app-password'
    const ownerUrl = server.ownerUrl()
    await migrateDatabase({ ownerUrl, appPassword })
    const owner = createDb(ownerUrl, { max: 2 })
    const app = createDb(appUrlFrom(ownerUrl, appPassword), { max: 4 })
    cleanup.push(
      () => owner.close(),
      () => app.close(),
    )
    const storage = createStorage({ driver: 'local', dir: path.join(dir, 'files') })
    const agency = await insertAgency(owner.db)
    const manager = await insertUser(owner.db, { email: 'gestor@bench.test', password: 'bench password 1' })
    await addMember(owner.db, { agencyId: agency.id, userId: manager.id, role: 'manager' })
    const agents: string[] = []
    for (let i = 0; i < 5; i++) {
      const agent = await insertUser(owner.db, { email: `corretor${i}@bench.test`, password: 'bench password 1' })
      await addMember(owner.db, { agencyId: agency.id, userId: agent.id, role: 'agent' })
      agents.push(`corretor${i}@bench.test`)
    }
    opts.log('  seeding 20,000 existing leads…')
    await owner.db.execute(sql`
      insert into leads (agency_id, name, phones, email, source)
      select ${agency.id}, 'Lead existente ' || i, array['+55119' || lpad(i::text, 8, '7')], 'existente' || i || '@exemplo.com.br', 'other'
      from generate_series(1, 20000) i`)
    await owner.db.execute(sql`analyze`)

    const data = rows(opts.rows, agents)
    const text = [headers, ...data].map((r) => r.join(';')).join('\r\n') + '\r\n'
    const csvBytes = new Uint8Array(Buffer.from(text, 'latin1'))
    const deps = { db: app.db, storage }
    const as = <T>(fn: Parameters<typeof withAgencyActor<T>>[2]) =>
      withAgencyActor(app.db, { userId: manager.id, agencyId: agency.id, ip: null, action: 'records.import' }, fn)

    /** Upload → validate → run, each timed as its own step. */
    async function importOnce(bytes: Uint8Array, fileName: string, kind: ImportKind = 'leads') {
      const rssBeforeMb = Math.round(process.memoryUsage().rss / 2 ** 20)
      const rss = sampleRss()
      const t0 = performance.now()
      const { id } = await as((ctx) => uploadImport({ ...ctx, storage }, { fileName, bytes, kind }))
      const t1 = performance.now()
      await as(async (ctx) => {
        const { getImport } = await import('@impera/api/services')
        const item = await getImport(ctx, { id })
        await validateImport(ctx, { id, mapping: item.mapping!, duplicatePolicy: 'skip' })
      })
      await validateImportJob(deps, { agencyId: agency.id, importId: id })
      const t2 = performance.now()
      await as((ctx) => startImport(ctx, { id }))
      const outcome = await runImportJob(deps, { agencyId: agency.id, importId: id })
      const t3 = performance.now()
      if (outcome !== 'done') throw new Error(`import ended ${String(outcome)}`)
      return { id, upload: t1 - t0, validate: t2 - t1, run: t3 - t2, total: t3 - t0, rssPeakMb: rss(), rssBeforeMb }
    }

    const rssBaseMb = Math.round(process.memoryUsage().rss / 2 ** 20)
    opts.log(`  CSV: ${opts.rows.toLocaleString('en')} rows, ${(csvBytes.byteLength / 2 ** 20).toFixed(1)} MB…`)
    const csv = await importOnce(csvBytes, 'leads.csv')
    const [made] = await owner.db.execute<{ n: number }>(
      sql`select count(*)::int as n from leads where import_id = ${csv.id}`,
    )
    opts.log(`  CSV: validate ${secs(csv.validate)} s, run ${secs(csv.run)} s, ${made!.n} created`)

    opts.log(`  the bare SQL floor: the same leads and their history, re-inserted ${IMPORT_BATCH_ROWS} per statement…`)
    // The import's own statements over the values it wrote, with nothing else: no file, no reading, no duplicate
    // check, no report or checkpoint — what Postgres needs to store these leads with their indexes and history.
    const written = await owner.db.execute<{ v: Record<string, unknown> }>(sql`
      select to_jsonb(l) - 'id' - 'search_doc' as v from leads l where import_id = ${csv.id} order by created_at, id`)
    await owner.db.execute(sql`delete from leads where import_id = ${csv.id}`)
    const floorStart = performance.now()
    for (let i = 0; i < written.length; i += IMPORT_BATCH_ROWS) {
      const batch = written.slice(i, i + IMPORT_BATCH_ROWS).map((r) => r.v)
      await withAgency(app.db, { agencyId: agency.id, userId: null }, async (tx) => {
        const cols = sql.raw(
          Object.keys(batch[0]!)
            .map((c) => `"${c}"`)
            .join(', '),
        )
        const ids = await tx.execute<{ id: string; at: string }>(sql`
          insert into leads (${cols}) select ${cols} from jsonb_populate_recordset(null::leads, ${JSON.stringify(batch)}::jsonb)
          returning id, created_at as at`)
        await tx.execute(sql`
          insert into lead_events (agency_id, lead_id, kind, data, at)
          select ${agency.id}, (x->>'id')::uuid, 'created', '{"via":"import"}'::jsonb, (x->>'at')::timestamptz
          from jsonb_array_elements(${JSON.stringify(ids)}::jsonb) x`)
      })
    }
    const bareSql = performance.now() - floorStart
    // Its 100,000 rows are the bench's memory, not the import's: let them go before the XLSX is measured.
    written.length = 0
    await owner.db.execute(sql`delete from leads where import_id = ${csv.id}`)
    // The XLSX run starts from the same table as the CSV's, not one carrying 200,000 dead rows.
    await owner.db.execute(sql`vacuum analyze leads, lead_events`)

    opts.log('  XLSX of the same rows…')
    const xlsxBytes = await workbook(data, path.join(dir, 'leads.xlsx'))
    const xlsx = await importOnce(xlsxBytes, 'leads.xlsx')
    opts.log(`  XLSX: validate ${secs(xlsx.validate)} s, run ${secs(xlsx.run)} s`)

    opts.log('  a 20,000-row Jetimob-style export with messy phones…')
    const jetimobCsv = [jetimobHeaders, ...jetimobRows(20_000, agents)].map((r) => r.join(';')).join('\r\n')
    const jetimob = await importOnce(new Uint8Array(Buffer.from(jetimobCsv, 'latin1')), 'jetimob-leads.csv')
    const [jet] = await owner.db.execute<{ created: number; phones: number }>(sql`
      select count(*)::int as created, count(*) filter (where cardinality(phones) > 0)::int as phones
      from leads where import_id = ${jetimob.id}`)
    const [jetRefused] = await owner.db.execute<{ n: number }>(
      sql`select count(*)::int as n from import_rows where import_id = ${jetimob.id} and outcome = 'refuse'`,
    )
    opts.log(`  Jetimob: total ${secs(jetimob.total)} s, ${jet!.created} created, ${jet!.phones} with a phone`)

    opts.log(`  ${opts.rows.toLocaleString('en')} properties with their owners…`)
    const propertyCsv = [propertyHeaders, ...propertyRows(opts.rows)].map((r) => r.join(';')).join('\r\n')
    const listings = await importOnce(new Uint8Array(Buffer.from(propertyCsv, 'utf8')), 'imoveis.csv', 'properties')
    const [madeListings] = await owner.db.execute<{ listings: number; owners: number }>(sql`
      select (select count(*)::int from properties where import_id = ${listings.id}) as listings,
        (select count(*)::int from clients where import_id = ${listings.id}) as owners`)
    opts.log(
      `  properties: total ${secs(listings.total)} s, ${madeListings!.listings} listings, ${madeListings!.owners} owners`,
    )
    return {
      rows: opts.rows,
      csvMb: Math.round((csvBytes.byteLength / 2 ** 20) * 10) / 10,
      csv: {
        upload: secs(csv.upload),
        validate: secs(csv.validate),
        run: secs(csv.run),
        total: secs(csv.total),
        rssPeakMb: csv.rssPeakMb,
        rssBaseMb,
      },
      bareSql: secs(bareSql),
      ratio: Math.round((csv.run / bareSql) * 10) / 10,
      xlsx: {
        mb: Math.round((xlsxBytes.byteLength / 2 ** 20) * 10) / 10,
        validate: secs(xlsx.validate),
        run: secs(xlsx.run),
        total: secs(xlsx.total),
        rssPeakMb: xlsx.rssPeakMb,
        rssBeforeMb: xlsx.rssBeforeMb,
      },
      created: made!.n,
      jetimob: {
        rows: 20_000,
        total: secs(jetimob.total),
        created: jet!.created,
        refused: jetRefused!.n,
        phonesKept: jet!.phones,
      },
      properties: {
        rows: opts.rows,
        total: secs(listings.total),
        run: secs(listings.run),
        created: madeListings!.listings,
        owners: madeListings!.owners,
      },
    }
  } finally {
    for (const c of cleanup.reverse()) await c().catch(() => {})
    await server.stop()
    await rm(dir, { recursive: true, force: true })
  }
}
