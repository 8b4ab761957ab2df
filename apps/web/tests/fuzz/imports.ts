import fc from 'fast-check'
import { hostileStrings, leakPattern } from './arbitraries'

/**
 * The spreadsheet import's share of the fuzz test (decision 024): `POST /uploads/imports` with malformed transport and
 * hostile files — random bytes, broken zips, CSVs whose cells, headers and separators are hostile, encodings mixed —
 * as every caller. Nothing may answer 5xx or leak internals; the ids of accepted uploads are returned so the caller can
 * run them through the worker's half (the validation and the run).
 */
async function check(label: string, response: Response): Promise<{ failure: string | null; body: string }> {
  const body = await response.text()
  if (response.status >= 500) return { failure: `${label} → ${response.status}: ${body.slice(0, 300)}`, body }
  const leak = response.status >= 400 ? leakPattern.exec(body) : null
  if (leak) return { failure: `${label} → ${response.status} leaks internals (${leak[0]})`, body }
  return { failure: null, body }
}

const cell = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom(...hostileStrings),
  fc.constantFrom(
    '(11) 8765-4321',
    '+55 11 98765-4321',
    'R$ 1.250.000,00',
    '1,2 mi',
    '31/02/2024',
    '15/03/2024',
    'a@b.co',
    'Em atendimento',
    'Perdido',
    '529.982.247-25',
    'Apartamento',
    'Venda e aluguel',
    'AP-0001',
    '72,5 m²',
    '"',
    '""',
    '\r',
    '\n',
    ';',
    ',',
    '\t',
    '=cmd|"/c calc"!A1',
  ),
)

// Headers of the three kinds (decision 045), mixed: a kind's import meets the others' columns too.
const headerRow = fc.shuffledSubarray(
  [
    'Nome',
    'Celular',
    'E-mail',
    'Valor',
    'Status',
    'Data',
    'Bairro',
    'Corretor',
    'CPF',
    'Código',
    'Tipo',
    'Finalidade',
    'Quartos',
    'Suítes',
    'Área útil',
    'Proprietário',
    'Telefone do proprietário',
  ],
  { minLength: 1, maxLength: 9 },
)

/**
 * The upload's `kind` field: absent (leads), each kind, or hostile — rarely, since a hostile kind is refused before the
 * file is read, and the files accepted are what the jobs' half of the test runs.
 */
const kindField = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 4 },
  { arbitrary: fc.constantFrom('leads', 'clients', 'properties'), weight: 4 },
  { arbitrary: fc.constantFrom('', 'LEADS', 'x', ...hostileStrings), weight: 1 },
)

/** Text as Windows-1252 can hold it: what it cannot (and NUL, which makes a file binary) becomes '?'. */
const windows1252 = (text: string) =>
  Array.from(text, (ch) => (ch.codePointAt(0)! >= 1 && ch.codePointAt(0)! <= 0xff ? ch : '?')).join('')

/** A CSV built from hostile cells, quoted or not, with a separator and an encoding picked per file. */
const csvFile = fc
  .record({
    headers: headerRow,
    rows: fc.array(fc.array(cell, { maxLength: 9 }), { maxLength: 8 }),
    sep: fc.constantFrom(';', ',', '\t', '|'),
    quote: fc.boolean(),
    // Excel's "Unicode text" (UTF-16) is refused with a message; it stays in, rarely.
    encoding: fc.constantFrom<BufferEncoding>('utf8', 'latin1', 'utf8', 'latin1', 'utf16le'),
    bom: fc.boolean(),
  })
  .map(({ headers, rows, sep, quote, encoding, bom }) => {
    const line = (cells: string[]) => cells.map((c) => (quote ? `"${c.replace(/"/g, '""')}"` : c)).join(sep)
    const text = [line(headers), ...rows.map(line)].join('\r\n')
    // Node's latin1 would keep each character's low byte, often a NUL.
    const body = Buffer.from(encoding === 'latin1' ? windows1252(text) : text, encoding)
    return new Uint8Array(bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body)
  })

const rawFile = fc.oneof(
  // Mostly CSVs that parse, so the jobs see hostile rows; the rest hostile bytes.
  { arbitrary: csvFile, weight: 4 },
  fc.uint8Array({ maxLength: 400 }),
  // Looks like a zip (an XLSX), is not one.
  fc.uint8Array({ maxLength: 300 }).map((b) => new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...b])),
  fc.constant(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])),
)

// A NUL byte makes a file binary to the import (refused as unreadable, by design), so these cells leave them out.
const textCells = hostileStrings.filter((h) => !h.includes('\u0000'))

const hostileCsv = (headers: string[], sep: string) =>
  [
    headers.join(sep),
    ...textCells.map((h, i) =>
      headers
        .map((_, c) => `"${(c === 0 ? h : textCells[(i + c) % textCells.length]!).replace(/"/g, '""')}"`)
        .join(sep),
    ),
  ].join('\r\n')

const fixedFiles: { label: string; bytes: Uint8Array; kind?: string }[] = [
  {
    label: 'hostile cells, leads by default',
    bytes: new Uint8Array(Buffer.from(hostileCsv(['Nome', 'Celular', 'E-mail', 'Data'], ';'))),
  },
  {
    label: 'hostile cells, leads, latin1',
    bytes: new Uint8Array(Buffer.from(windows1252(hostileCsv(['Nome', 'Telefone', 'Status', 'Valor'], ',')), 'latin1')),
    kind: 'leads',
  },
  {
    label: 'hostile cells, clients, with a BOM',
    bytes: new Uint8Array(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(hostileCsv(['Nome', 'CPF', 'E-mail'], ';'))]),
    ),
    kind: 'clients',
  },
  {
    label: 'hostile cells, properties',
    bytes: new Uint8Array(
      Buffer.from(hostileCsv(['Tipo', 'Código', 'Finalidade', 'Quartos', 'Área útil', 'Valor'], ';')),
    ),
    kind: 'properties',
  },
  {
    label: 'hostile cells, properties, tab-separated',
    bytes: new Uint8Array(
      Buffer.from(hostileCsv(['Tipo', 'Bairro', 'Proprietário', 'Telefone do proprietário'], '\t')),
    ),
    kind: 'properties',
  },
]

export async function fuzzImportUploads(opts: {
  base: string
  callers: { name: string; cookie: string }[]
  runs: number
}): Promise<{ failures: string[]; accepted: string[] }> {
  const failures: string[] = []
  const accepted: string[] = []
  const post = (cookie: string, body: BodyInit | undefined, headers: Record<string, string> = {}) =>
    fetch(`${opts.base}/uploads/imports`, { method: 'POST', headers: { cookie, origin: opts.base, ...headers }, body })
  const form = (bytes: Uint8Array, name: string, kind?: string) => {
    const f = new FormData()
    if (kind !== undefined) f.append('kind', kind)
    f.append('file', new Blob([Buffer.from(bytes)]), name)
    return f
  }
  for (const caller of opts.callers) {
    const transport: [string, () => Promise<Response>][] = [
      ['no body', () => post(caller.cookie, undefined)],
      ['JSON body', () => post(caller.cookie, '{"file":1}', { 'content-type': 'application/json' })],
      [
        'broken multipart',
        () => post(caller.cookie, '--x\r\nnope', { 'content-type': 'multipart/form-data; boundary=x' }),
      ],
      [
        'two files',
        () => {
          const f = form(new Uint8Array(Buffer.from('Nome\nA')), 'a.csv')
          f.append('file', new Blob([Buffer.from('Nome\nB')]), 'b.csv')
          return post(caller.cookie, f)
        },
      ],
      ['empty file', () => post(caller.cookie, form(new Uint8Array(), 'vazio.csv'))],
      [
        'hostile file name',
        () => post(caller.cookie, form(new Uint8Array(Buffer.from('Nome\nA')), '\u0000\ud800../../x.csv')),
      ],
      [
        'a field of 200 kB',
        () => post(caller.cookie, form(new Uint8Array(Buffer.from(`Nome\n${'a'.repeat(200_000)}`)), 'x.csv')),
      ],
      ['600 columns', () => post(caller.cookie, form(new Uint8Array(Buffer.from(`${'a;'.repeat(600)}\n1`)), 'x.csv'))],
      // Files that parse, with every hostile string as a cell, one per kind and encoding: the jobs' half always has
      // hostile rows to run, whatever the random files below drew (a run once drew only four it could accept).
      ...fixedFiles.map(({ label, bytes, kind }): [string, () => Promise<Response>] => [
        label,
        () => post(caller.cookie, form(bytes, 'x.csv', kind)),
      ]),
    ]
    for (const [label, send] of transport) {
      const r = await send()
      const { failure, body } = await check(`${caller.name} upload ${label}`, r)
      if (failure) failures.push(failure)
      if (r.status === 201) accepted.push((JSON.parse(body) as { id: string }).id)
    }
    const run = await fc.check(
      fc.asyncProperty(
        rawFile,
        fc.constantFrom('x.csv', 'x.xlsx', 'x.txt', 'x'),
        kindField,
        async (bytes, name, kind) => {
          const r = await post(caller.cookie, form(bytes, name, kind))
          const label = `${caller.name} upload ${bytes.byteLength} bytes as ${name} (kind ${JSON.stringify(kind)})`
          const { failure, body } = await check(label, r)
          if (failure) throw new Error(failure)
          if (r.status === 201) accepted.push((JSON.parse(body) as { id: string }).id)
        },
      ),
      { numRuns: opts.runs },
    )
    if (run.failed) failures.push(`${String(run.errorInstance)} [seed ${run.seed}]`)
  }
  return { failures, accepted }
}
