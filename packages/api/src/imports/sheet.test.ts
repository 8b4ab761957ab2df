import { Readable } from 'node:stream'
import { crc32 } from 'node:zlib'
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { readRows, sniffSheet, type SheetInfo } from './sheet'

const utf8 = (text: string) => new TextEncoder().encode(text)

/** Windows-1252 bytes: Latin-1 for most characters, plus the 0x80–0x9F ones the tests use. */
function cp1252(text: string): Uint8Array {
  const high: Record<string, number> = { '€': 0x80, '…': 0x85, '“': 0x93, '”': 0x94, '–': 0x96 }
  return Uint8Array.from([...text].map((ch) => high[ch] ?? ch.charCodeAt(0)))
}

async function read(bytes: Uint8Array, info: SheetInfo = sniffSheet(bytes)) {
  const rows: { row: number; cells: string[] }[] = []
  for await (const row of readRows(bytes, info)) rows.push(row)
  return rows
}

async function readError(bytes: Uint8Array): Promise<unknown> {
  try {
    await read(bytes)
  } catch (e) {
    return e
  }
  throw new Error('expected readRows to throw')
}

/** The CSV reader decodes 64 KB at a time: builds `before` + filler + `at`, with `at` starting on the last byte of a chunk. */
function acrossChunk(before: string, at: string, after: string): { bytes: Uint8Array; filler: string } {
  const filler = 'a'.repeat(64 * 1024 - 1 - utf8(before).length)
  return { bytes: utf8(before + filler + at + after), filler }
}

describe('sniffSheet', () => {
  it('reads UTF-8 with or without a BOM, and Windows-1252 (Excel on Windows) when the bytes are not UTF-8', async () => {
    expect(sniffSheet(utf8('nome;cidade\nJoão;São Paulo\n'))).toEqual({
      format: 'csv',
      encoding: 'utf-8',
      separator: ';',
    })
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('nome,cidade\nJoão,Recife\n')])
    expect(sniffSheet(withBom)).toEqual({ format: 'csv', encoding: 'utf-8', separator: ',' })
    expect(await read(withBom)).toEqual([
      { row: 1, cells: ['nome', 'cidade'] },
      { row: 2, cells: ['João', 'Recife'] },
    ])

    const latin = cp1252('cidade;bairro\nSão Paulo;Conceição\n')
    expect(sniffSheet(latin)).toEqual({ format: 'csv', encoding: 'windows-1252', separator: ';' })
    expect(await read(latin)).toEqual([
      { row: 1, cells: ['cidade', 'bairro'] },
      { row: 2, cells: ['São Paulo', 'Conceição'] },
    ])
  })

  it('takes the separator most frequent outside quotes on the first non-empty line, ";" then "," on ties', () => {
    const separator = (text: string) => sniffSheet(utf8(text)).separator
    expect(separator('a;b;c\n1,5;2,5;3\n')).toBe(';')
    expect(separator('a,b,c\n')).toBe(',')
    expect(separator('a\tb\tc,d\n')).toBe('\t')
    expect(separator('"a;b;c",d\n')).toBe(',')
    expect(separator('a,b;c\n')).toBe(';')
    expect(separator('a,b\tc\n')).toBe(',')
    expect(separator('\n  \r\nnome,email\n')).toBe(',')
    // One column: the commas inside its values on the next lines do not make it a CSV with ','.
    expect(separator('nome\nSilva, Ana\n')).toBe(';')
  })

  it('detects XLSX by its zip header', () => {
    expect(sniffSheet(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0]))).toEqual({
      format: 'xlsx',
      encoding: null,
      separator: null,
    })
  })

  it('refuses an empty file, a binary file and a legacy .xls', () => {
    const unreadable = { code: 'INVALID_INPUT', userMessage: 'imports.errors.unreadable' }
    expect(() => sniffSheet(new Uint8Array())).toThrow(expect.objectContaining(unreadable))
    expect(() => sniffSheet(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]))).toThrow(
      expect.objectContaining(unreadable),
    )
    // Excel's "Unicode text" export is UTF-16: NUL in every other byte.
    expect(() => sniffSheet(new Uint8Array([0xff, 0xfe, 0x6e, 0, 0x6f, 0]))).toThrow(
      expect.objectContaining(unreadable),
    )
    expect(() => sniffSheet(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', userMessage: 'imports.errors.legacyXls' }),
    )
  })
})

describe('readRows: CSV', () => {
  it('reads quoted fields with separators, line breaks and "" escapes, counting records as rows', async () => {
    const csv = 'nome;obs;tel\n"Silva; Ana";"linha 1\nlinha 2";"11 9""8"\nBia;"";"x"y\n'
    expect(await read(utf8(csv))).toEqual([
      { row: 1, cells: ['nome', 'obs', 'tel'] },
      { row: 2, cells: ['Silva; Ana', 'linha 1\nlinha 2', '11 9"8'] },
      // Lenient like Excel: text after a closing quote is kept.
      { row: 3, cells: ['Bia', '', 'xy'] },
    ])
  })

  it('decodes Windows-1252 characters outside Latin-1 (€ ’ “ ” – …), which a one-shot decode on Node 20 gets wrong', async () => {
    expect(await read(cp1252('obs\n“Sala” – 2… € 5\n'))).toEqual([
      { row: 1, cells: ['obs'] },
      { row: 2, cells: ['“Sala” – 2… € 5'] },
    ])
  })

  it('reads comma- and tab-separated files', async () => {
    expect(await read(utf8('a,b\n"1,5",2\n'))).toEqual([
      { row: 1, cells: ['a', 'b'] },
      { row: 2, cells: ['1,5', '2'] },
    ])
    expect(await read(utf8('a\tb\nc d\te\n'))).toEqual([
      { row: 1, cells: ['a', 'b'] },
      { row: 2, cells: ['c d', 'e'] },
    ])
  })

  it('accepts CRLF, LF and CR line ends, and a last line with or without a newline', async () => {
    const expected = [
      { row: 1, cells: ['a', 'b'] },
      { row: 2, cells: ['1', '2'] },
      { row: 3, cells: ['3', '4'] },
    ]
    expect(await read(utf8('a;b\r\n1;2\r\n3;4\r\n'))).toEqual(expected)
    expect(await read(utf8('a;b\n1;2\n3;4'))).toEqual(expected)
    expect(await read(utf8('a;b\r1;2\r3;4\r'))).toEqual(expected)
    expect(await read(utf8('a;b\r\n"x\r\ny";2'))).toEqual([
      { row: 1, cells: ['a', 'b'] },
      { row: 2, cells: ['x\r\ny', '2'] },
    ])
  })

  it('skips empty rows but keeps counting them, trims cells and drops NUL bytes', async () => {
    const csv = 'nome;tel\n\n;\n  ;  \n  Ana \0 ; 11 \nBia;\n'
    // Given the info: a NUL this early would make sniffSheet call the file binary.
    expect(await read(utf8(csv), { format: 'csv', encoding: 'utf-8', separator: ';' })).toEqual([
      { row: 1, cells: ['nome', 'tel'] },
      { row: 5, cells: ['Ana', '11'] },
      { row: 6, cells: ['Bia', ''] },
    ])
  })

  it('takes the rest of the file as the field when a quote is never closed', async () => {
    expect(await read(utf8('a;b\n1;"2\n3;4\n'))).toEqual([
      { row: 1, cells: ['a', 'b'] },
      { row: 2, cells: ['1', '2\n3;4'] },
    ])
  })

  it('decodes a UTF-8 character split between two 64 KB chunks', async () => {
    const { bytes, filler } = acrossChunk('nome;cidade\nx;', 'ç', 'ão;fim\n')
    expect(utf8('ç')).toHaveLength(2)
    expect(await read(bytes)).toEqual([
      { row: 1, cells: ['nome', 'cidade'] },
      { row: 2, cells: ['x', `${filler}ção`, 'fim'] },
    ])
  })

  it('carries a quoted field, a "" escape and a CRLF across a chunk boundary', async () => {
    const quoted = acrossChunk('a;b\nx;"', '""', 'dentro; e\nainda"\ny;z\n')
    expect(await read(quoted.bytes)).toEqual([
      { row: 1, cells: ['a', 'b'] },
      { row: 2, cells: ['x', `${quoted.filler}"dentro; e\nainda`] },
      { row: 3, cells: ['y', 'z'] },
    ])

    const crlf = acrossChunk('a;b\r\nx;', '\r\n', 'y;z\r\n')
    expect(await read(crlf.bytes)).toEqual([
      { row: 1, cells: ['a', 'b'] },
      { row: 2, cells: ['x', crlf.filler] },
      { row: 3, cells: ['y', 'z'] },
    ])
  })

  it('refuses a field over 100,000 characters or a row over 500 cells, naming the row', async () => {
    expect(await read(utf8(`a\n${'x'.repeat(100_000)}\n`))).toHaveLength(2)
    expect(await readError(utf8(`a\nb\n${'x'.repeat(100_001)}\n`))).toMatchObject({
      code: 'INVALID_INPUT',
      userMessage: 'imports.errors.rowTooLarge',
      meta: { row: 3 },
    })
    // The usual way to get there: a stray quote that is never closed swallows the rest of the file.
    const stray = `a;b\n"oops;1\n${'x;y\n'.repeat(30_000)}`
    expect(await readError(utf8(stray))).toMatchObject({ userMessage: 'imports.errors.rowTooLarge', meta: { row: 2 } })

    expect((await read(utf8(`${';'.repeat(499)}x\n`)))[0]?.cells).toHaveLength(500)
    expect(await readError(utf8(`a\n${';'.repeat(500)}x\n`))).toMatchObject({
      userMessage: 'imports.errors.rowTooLarge',
      meta: { row: 2 },
    })
  })

  it('streams 100,000 rows', async () => {
    const lines = ['nome;telefone;email;cidade']
    for (let i = 0; i < 100_000; i++)
      lines.push(`Pessoa ${i};1198765${String(i).padStart(4, '0')};p${i}@x.com.br;São Paulo`)
    let count = 0
    for await (const _row of readRows(utf8(lines.join('\r\n')), { format: 'csv', encoding: 'utf-8', separator: ';' })) {
      count++
    }
    expect(count).toBe(100_001)
  })
})

/** A zip of uncompressed entries, in the given order: for workbooks laid out differently from exceljs's own. */
function storedZip(files: [name: string, content: string][]): Uint8Array {
  const local: Buffer[] = []
  const central: Buffer[] = []
  let offset = 0
  for (const [name, content] of files) {
    const path = Buffer.from(name)
    const data = Buffer.from(content)
    const header = Buffer.alloc(30)
    header.writeUInt32LE(0x04034b50, 0)
    header.writeUInt16LE(20, 4)
    header.writeUInt32LE(crc32(data), 14)
    header.writeUInt32LE(data.length, 18)
    header.writeUInt32LE(data.length, 22)
    header.writeUInt16LE(path.length, 26)
    const entry = Buffer.alloc(46)
    entry.writeUInt32LE(0x02014b50, 0)
    entry.writeUInt16LE(20, 4)
    entry.writeUInt16LE(20, 6)
    entry.writeUInt32LE(crc32(data), 16)
    entry.writeUInt32LE(data.length, 20)
    entry.writeUInt32LE(data.length, 24)
    entry.writeUInt16LE(path.length, 28)
    entry.writeUInt32LE(offset, 42)
    local.push(header, path, data)
    central.push(entry, path)
    offset += header.length + path.length + data.length
  }
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(files.length, 8)
  end.writeUInt16LE(files.length, 10)
  end.writeUInt32LE(Buffer.concat(central).length, 12)
  end.writeUInt32LE(offset, 16)
  return new Uint8Array(Buffer.concat([...local, ...central, end]))
}

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'

/** Shared strings before the worksheet, so exceljs parses the sheet straight from the zip instead of a temp file. */
const streamedWorkbook = storedZip([
  [
    'xl/workbook.xml',
    `<workbook xmlns="${NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Leads" sheetId="1" r:id="rId1"/></sheets></workbook>`,
  ],
  [
    'xl/_rels/workbook.xml.rels',
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
  ],
  [
    'xl/styles.xml',
    `<styleSheet xmlns="${NS}"><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>`,
  ],
  [
    'xl/sharedStrings.xml',
    `<sst xmlns="${NS}"><si><t>Nome</t></si><si><r><t>Jo</t></r><r><rPr><b/></rPr><t>ão</t></r></si></sst>`,
  ],
  [
    'xl/worksheets/sheet1.xml',
    `<worksheet xmlns="${NS}"><sheetData>` +
      '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>Ativo</t></is></c><c r="C1" t="str"><v>Data</v></c><c r="D1" t="str"><v>Erro</v></c></row>' +
      '<row r="3"><c r="A3" t="s"><v>1</v></c><c r="B3" t="b"><v>1</v></c><c r="C3" s="1"><f>DATE(2024,3,5)</f><v>45356</v></c><c r="D3" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>' +
      '<row r="4"><c r="A4" s="1"><v>45356.5</v></c><c r="C4" t="e"><v>#N/A</v></c></row>' +
      '</sheetData></worksheet>',
  ],
])

async function leadsWorkbook(): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet('Leads')
  sheet.addRow(['Nome', 'Telefone', 'Orçamento', 'Data', 'Cidade'])
  sheet.addRow([' Ana Souza ', 11987654321, 1250000.5, new Date(Date.UTC(1990, 4, 17)), 'São Paulo'])
  sheet.addRow([])
  sheet.addRow(['Bruno', null, 0.5, new Date(Date.UTC(2024, 2, 5, 14, 30)), 'Campinas'])
  sheet.addRow([
    { richText: [{ text: 'Car' }, { text: 'la', font: { bold: true } }] },
    { text: 'site', hyperlink: 'https://example.com' },
    { formula: 'C4*2', result: 1 },
    { error: '#N/A' },
    true,
    0.1 + 0.2,
    1e21,
    new Date(Date.UTC(1899, 11, 30, 9, 5)),
  ])
  workbook.addWorksheet('Outra').addRow(['not read'])
  return new Uint8Array(await workbook.xlsx.writeBuffer())
}

describe('readRows: a stored file as a stream', () => {
  /** The bytes in uneven pieces, as a store's download delivers them. */
  const streamOf = (bytes: Uint8Array, piece = 7001) =>
    Readable.from(
      (function* () {
        for (let i = 0; i < bytes.length; i += piece) yield Buffer.from(bytes.subarray(i, i + piece))
      })(),
    )

  async function readStream(bytes: Uint8Array, piece?: number) {
    const rows: { row: number; cells: string[] }[] = []
    for await (const row of readRows(streamOf(bytes, piece), sniffSheet(bytes))) rows.push(row)
    return rows
  }

  it('reads the same rows from a stream as from the bytes, CSV (any piece size) and XLSX', async () => {
    const lines = ['Nome;Obs', '"Ana ""A""";"linha\r\nquebrada"', 'José;€ – “ok”']
    for (let i = 0; i < 3000; i++) lines.push(`P${i};x`)
    const csv = cp1252(lines.join('\r\n'))
    for (const piece of [1, 3, 7001, 1 << 20]) expect(await readStream(csv, piece)).toEqual(await read(csv))
    const book = await leadsWorkbook()
    expect(await readStream(book)).toEqual(await read(book))
    expect(await readStream(streamedWorkbook)).toEqual(await read(streamedWorkbook))
  })

  it("passes on the store's failure mid-file instead of hanging, and closes a stream read only in part", async () => {
    const book = await leadsWorkbook()
    for (const bytes of [utf8('Nome\nAna\nBruno\n'), book]) {
      const failing = new Readable({
        read() {
          this.push(Buffer.from(bytes.subarray(0, 40)))
          this.destroy(new Error('connection reset'))
        },
      })
      const drain = async () => {
        for await (const row of readRows(failing, sniffSheet(bytes))) expect(row.row).toBeGreaterThan(0)
      }
      // The store's own error, not "unreadable file": the job is retried rather than the import failed.
      await expect(drain()).rejects.toThrow('connection reset')
    }
    const lines = ['Nome']
    for (let i = 0; i < 50_000; i++) lines.push(`P${i}`)
    const source = streamOf(utf8(lines.join('\n')), 1024)
    for await (const first of readRows(source, { format: 'csv', encoding: 'utf-8', separator: ',' })) {
      expect(first.row).toBe(1)
      break
    }
    expect(source.destroyed).toBe(true)
  })
})

describe('readRows: XLSX', () => {
  it('reads the first worksheet as the person sees it: plain numbers, dd/mm/yyyy dates, blanks kept in place', async () => {
    const bytes = await leadsWorkbook()
    expect(sniffSheet(bytes)).toEqual({ format: 'xlsx', encoding: null, separator: null })
    expect(await read(bytes)).toEqual([
      { row: 1, cells: ['Nome', 'Telefone', 'Orçamento', 'Data', 'Cidade'] },
      { row: 2, cells: ['Ana Souza', '11987654321', '1250000.5', '17/05/1990', 'São Paulo'] },
      { row: 4, cells: ['Bruno', '', '0.5', '05/03/2024 14:30', 'Campinas'] },
      { row: 5, cells: ['Carla', 'site', '1', '', 'true', '0.3', '1000000000000000000000', '09:05'] },
    ])
  })

  it('reads a workbook whose worksheet comes after its shared strings, formula dates and errors included', async () => {
    expect(await read(streamedWorkbook)).toEqual([
      { row: 1, cells: ['Nome', 'Ativo', 'Data', 'Erro'] },
      { row: 3, cells: ['João', 'true', '05/03/2024', ''] },
      { row: 4, cells: ['05/03/2024 12:00', '', ''] },
    ])
  })

  it('can stop after a few rows (a preview) and read the same file again', async () => {
    for (const bytes of [await leadsWorkbook(), streamedWorkbook]) {
      for await (const first of readRows(bytes, sniffSheet(bytes))) {
        expect(first.row).toBe(1)
        break
      }
      expect((await read(bytes)).length).toBeGreaterThan(1)
    }
  })

  it('throws an AppError, not a crash or a hang, for a corrupt or truncated file', async () => {
    const bytes = await leadsWorkbook()
    const unreadable = { code: 'INVALID_INPUT', userMessage: 'imports.errors.unreadable' }
    expect(await readError(bytes.subarray(0, bytes.length >> 1))).toMatchObject(unreadable)
    const random = Uint8Array.from({ length: 20_000 }, (_, i) => (i < 4 ? [0x50, 0x4b, 3, 4][i]! : (i * 7919) % 251))
    expect(await readError(random)).toMatchObject(unreadable)
    // A damaged deflate stream: unzipper reports it only on its own stream while exceljs waits for the entry to end.
    // (The workbook's relationships, read before any worksheet is spooled to a temp file that would then stay behind.)
    const damaged = new Uint8Array(bytes)
    const entry = Buffer.from(damaged).indexOf('xl/_rels/workbook.xml.rels')
    for (let i = entry + 40; i < entry + 200; i += 7) damaged[i] = 0xff - damaged[i]!
    expect(await readError(damaged)).toMatchObject(unreadable)
    // A zip that is not a workbook (a .docx, an .ods).
    expect(await readError(storedZip([['word/document.xml', '<document/>']]))).toMatchObject(unreadable)
  })

  it('refuses a row with a value beyond 500 columns', async () => {
    const workbook = new ExcelJS.Workbook()
    const sheet = workbook.addWorksheet('Leads')
    sheet.addRow(['nome'])
    sheet.getCell(2, 501).value = 'x'
    expect(await readError(new Uint8Array(await workbook.xlsx.writeBuffer()))).toMatchObject({
      userMessage: 'imports.errors.rowTooLarge',
      meta: { row: 2 },
    })
  })
})
