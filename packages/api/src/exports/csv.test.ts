import { describe, expect, it } from 'vitest'
import { csvLine, csvNumber, csvStream } from './csv'

describe('csv', () => {
  it('quotes only what needs quoting, doubles quotes, ends lines with CRLF', () => {
    expect(csvLine(['Pinheiros', 'Rua "A"; 10', 'x\ny', 3], ';')).toBe('Pinheiros;"Rua ""A""; 10";"x\ny";3\r\n')
    expect(csvLine(['12,5', 'a'], ',')).toBe('"12,5",a\r\n')
    expect(csvLine(['12,5', 'a'], ';')).toBe('12,5;a\r\n')
  })

  it('keeps formulas, control and bidi characters out of cells', () => {
    expect(
      csvLine(['=HYPERLINK("http://evil.example","x")', '+55 11 98765-4321', '-2+3', '@SUM(A1)', '\t=1', '\r=1'], ';'),
    ).toBe(`"'=HYPERLINK(""http://evil.example"",""x"")";'+55 11 98765-4321;'-2+3;'@SUM(A1);'\t=1;"'\r=1"\r\n`)
    expect(csvLine(['Ana\u202eSouza', 'a\u0000b\u0007c', 'linha 1\nlinha 2'], ';')).toBe(
      'AnaSouza;abc;"linha 1\nlinha 2"\r\n',
    )
    expect(csvLine(['-12,5', '-7', -3, 'Pinheiros'], ';')).toBe('-12,5;-7;-3;Pinheiros\r\n')
  })

  it('writes numbers with the locale decimal mark and no grouping', () => {
    expect(csvNumber(1234.5, 'pt-BR', 1)).toBe('1234,5')
    expect(csvNumber(1234.5, 'en', 1)).toBe('1234.5')
    expect(csvNumber(null, 'en', 1)).toBe('')
  })

  it('streams a BOM, the header and every row', async () => {
    const rows = Array.from({ length: 1234 }, (_, i) => [`Linha ${i}`, i] as (string | number)[])
    const bytes = new Uint8Array(await new Response(csvStream(['Nome', 'Nº'], rows, ';')).arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)
    const lines = text.slice(1).split('\r\n')
    expect(lines[0]).toBe('Nome;Nº')
    expect(lines).toHaveLength(1234 + 2)
    expect(lines[1234]).toBe('Linha 1233;1233')
  })
})
