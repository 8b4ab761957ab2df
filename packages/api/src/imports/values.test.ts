import { leadInterests, leadSources, leadStatuses, propertyTypes } from '@impera/db/enums'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { hasUnsafeChars } from '../schemas/common'
import {
  guessMapping,
  headerKey,
  leadFieldAliases,
  readCep,
  readDate,
  readEmail,
  readInteger,
  readInterest,
  readList,
  readMoney,
  readPropertyTypes,
  readSource,
  readStatus,
  readYesNo,
  type ImportReason,
  type Read,
} from './values'

const value = <T>(v: T): Read<T> => ({ ok: true, value: v })
const reason = (r: ImportReason): Read<never> => ({ ok: false, reason: r })

// Hostile cells every reader must answer without throwing or hanging.
const hostile = [
  '\u0000',
  '1\u00002',
  '\uD800',
  'a\uDC00b',
  '9'.repeat(10_000),
  ' '.repeat(10_000) + 'x',
  '1' + ' '.repeat(10_000) + '1',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e309',
  '__proto__',
  'constructor',
  '<script>',
  "'; drop table leads; --",
]

describe('readMoney', () => {
  it.each<[string, number | null]>([
    ['', null],
    ['   ', null],
    ['-', null],
    ['N/A', null],
    ['R$ -', null],
    ['R$', null],
    ['R$ 1.250.000,00', 1_250_000_00],
    ['R$1.250.000,00', 1_250_000_00],
    ['1.250.000', 1_250_000_00],
    ['1250000', 1_250_000_00],
    ['R$ 3.500', 3_500_00],
    ['3500,50', 3_500_50],
    ['3.500,5', 3_500_50],
    ['1,2 mi', 1_200_000_00],
    ['1,2 milhão', 1_200_000_00],
    ['1,2 milhao', 1_200_000_00],
    ['1.5 milhões', 1_500_000_00],
    ['2 MILHÕES', 2_000_000_00],
    ['1,2 milhão de reais', 1_200_000_00],
    ['850 mil', 850_000_00],
    ['R$ 850 mil', 850_000_00],
    ['850k', 850_000_00],
    ['850K', 850_000_00],
    ['1.2M', 1_200_000_00],
    ['1,2 MM', 1_200_000_00],
    ['1 bi', 1_000_000_000_00],
    ['US$ 1,250,000.00', 1_250_000_00],
    ['$1,250,000', 1_250_000_00],
    ['1,250,000', 1_250_000_00],
    ['€ 2.500,00', 2_500_00],
    ['2.500,00 €', 2_500_00],
    ['BRL 2500', 2_500_00],
    ['2500 reais', 2_500_00],
    // A single comma is the decimal mark, as pt-BR writes it, even before three digits.
    ['1,250', 1_25],
    ['0,5', 50],
    [',50', 50],
    // A lone dot before three digits groups thousands, unless the first group is a zero.
    ['1.250', 1_250_00],
    ['0.500', 50],
    ['1.5', 1_50],
    ['1250.75', 1_250_75],
    ['12345.678', 12_345_68],
    // Float digits from a formula round half up to the cent.
    ['1234.5649', 1_234_56],
    ['1234,565', 1_234_57],
    ['0,005', 1],
    ['0,004', 0],
    ['1,15', 1_15],
    ['0', 0],
    ['R$ 0,00', 0],
    ['-0', 0],
    // Intl's own spacing (NBSP, narrow NBSP) and spaces as thousands.
    ['R$\u00a01.250.000,00', 1_250_000_00],
    ['1 250 000,00', 1_250_000_00],
    ['1\u202f250\u202f000,00', 1_250_000_00],
    ['  R$   3.500  ', 3_500_00],
    ['100000000000', 1e13],
    ['100.000.000.000,00', 1e13],
  ])('%j → %j', (raw, cents) => {
    expect(readMoney(raw)).toEqual(value(cents))
  })

  it.each<[string, ImportReason]>([
    ['R$ -5', 'moneyOutOfRange'],
    ['-5', 'moneyOutOfRange'],
    ['-R$ 5,00', 'moneyOutOfRange'],
    ['−5', 'moneyOutOfRange'],
    ['(1.000,00)', 'moneyOutOfRange'],
    ['9999999999999999', 'moneyOutOfRange'],
    ['100000000000,01', 'moneyOutOfRange'],
    ['100001 mi', 'moneyOutOfRange'],
    ['1.000.000.000.000.000.000.000.000.000.000.000', 'moneyOutOfRange'],
    ['abc', 'moneyUnreadable'],
    ['a combinar', 'moneyUnreadable'],
    ['até 500 mil', 'moneyUnreadable'],
    ['300 a 500 mil', 'moneyUnreadable'],
    ['1.2.3', 'moneyUnreadable'],
    ['1.250.5', 'moneyUnreadable'],
    ['1,250.000,00', 'moneyUnreadable'],
    ['1,25,0', 'moneyUnreadable'],
    ['12 34', 'moneyUnreadable'],
    ['mil', 'moneyUnreadable'],
    ['R$ mil', 'moneyUnreadable'],
    ['5 reais e 50', 'moneyUnreadable'],
    ['150 m²', 'moneyUnreadable'],
    ['1e6', 'moneyUnreadable'],
    ['0x10', 'moneyUnreadable'],
    ['=SUM(A1:A2)', 'moneyUnreadable'],
    ['NaN', 'moneyUnreadable'],
    ['Infinity', 'moneyUnreadable'],
    ['1e309', 'moneyUnreadable'],
    ['9'.repeat(10_000), 'moneyUnreadable'],
    ['1\u00002', 'moneyUnreadable'],
    ['\uD800', 'moneyUnreadable'],
  ])('%j → %s', (raw, why) => {
    expect(readMoney(raw)).toEqual(reason(why))
  })

  it('reads back what Intl and the CSV export write, in pt-BR and en', () => {
    const ptCurrency = new Intl.NumberFormat('pt-BR', { style: 'currency', currency: 'BRL' })
    const enCurrency = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' })
    const pt = new Intl.NumberFormat('pt-BR', { minimumFractionDigits: 2 })
    const enPlain = new Intl.NumberFormat('en', { useGrouping: false, maximumFractionDigits: 2 })
    const ptPlain = new Intl.NumberFormat('pt-BR', { useGrouping: false, maximumFractionDigits: 2 })
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e13 }), (cents) => {
        for (const f of [ptCurrency, enCurrency, pt, enPlain, ptPlain])
          expect(readMoney(f.format(cents / 100))).toEqual(value(cents))
      }),
    )
  })

  it('never throws and answers a number in range or a reason', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[-R$ .,\dkmil]{0,20}$/)), (raw) => {
        const r = readMoney(raw)
        if (r.ok && r.value !== null)
          expect(Number.isSafeInteger(r.value) && r.value >= 0 && r.value <= 1e13).toBe(true)
      }),
    )
  })
})

describe('readDate', () => {
  const sp = 'America/Sao_Paulo'
  it.each<[string, string | null]>([
    ['', null],
    ['-', null],
    // A day alone lands at noon, so it stays that day in any zone.
    ['15/03/2024', '2024-03-15T15:00:00.000Z'],
    ['5/3/2024', '2024-03-05T15:00:00.000Z'],
    ['1/2/24', '2024-02-01T15:00:00.000Z'],
    ['15-03-2024', '2024-03-15T15:00:00.000Z'],
    ['15.03.2024', '2024-03-15T15:00:00.000Z'],
    ['15/03/24', '2024-03-15T15:00:00.000Z'],
    ['15/03/00', '2000-03-15T15:00:00.000Z'],
    ['15/03/69', '2069-03-15T15:00:00.000Z'],
    ['15/03/70', '1970-03-15T15:00:00.000Z'],
    ['15/03/99', '1999-03-15T15:00:00.000Z'],
    ['15/03/2024 14:30', '2024-03-15T17:30:00.000Z'],
    ['15/03/2024 14:30:45', '2024-03-15T17:30:45.000Z'],
    ['15/03/2024 9:05', '2024-03-15T12:05:00.000Z'],
    ['29/02/2024', '2024-02-29T15:00:00.000Z'],
    ['29/02/2000', '2000-02-29T15:00:00.000Z'],
    ['01/01/1900', '1900-01-01T15:06:28.000Z'],
    ['31/12/2100', '2100-12-31T15:00:00.000Z'],
    ['2024-03-15', '2024-03-15T15:00:00.000Z'],
    ['2024/03/15', '2024-03-15T15:00:00.000Z'],
    ['2024-3-5', '2024-03-05T15:00:00.000Z'],
    ['2024-03-15 14:30', '2024-03-15T17:30:00.000Z'],
    ['2024-03-15T14:30:00', '2024-03-15T17:30:00.000Z'],
    ['2024-03-15t14:30:00', '2024-03-15T17:30:00.000Z'],
    // An offset names the instant: the agency's zone does not apply.
    ['2024-03-15T14:30:00Z', '2024-03-15T14:30:00.000Z'],
    ['2024-03-15T14:30:00.123Z', '2024-03-15T14:30:00.000Z'],
    ['2024-03-15 14:30:00-02:00', '2024-03-15T16:30:00.000Z'],
    ['2024-03-15T14:30:00+0530', '2024-03-15T09:00:00.000Z'],
    ['2024-03-15T14:30:00+01', '2024-03-15T13:30:00.000Z'],
    // The CSV export's own format (sv-SE short date and time in the agency's zone).
    ['2024-03-15 09:07', '2024-03-15T12:07:00.000Z'],
    ['15-mar-24', '2024-03-15T15:00:00.000Z'],
    ['15/Mar/2024', '2024-03-15T15:00:00.000Z'],
    ['15 de março de 2024', '2024-03-15T15:00:00.000Z'],
    ['15 de MARÇO de 2024', '2024-03-15T15:00:00.000Z'],
    ['1 fev. 2024', '2024-02-01T15:00:00.000Z'],
    ['3 Sept 2024 10:00', '2024-09-03T13:00:00.000Z'],
    ['10-dez-23', '2023-12-10T15:00:00.000Z'],
    // Excel serials: 45366 is 2024-03-15; the fraction is the time of day.
    ['45366', '2024-03-15T15:00:00.000Z'],
    ['45366.75', '2024-03-15T21:00:00.000Z'],
    ['45366,5', '2024-03-15T15:00:00.000Z'],
    // Legacy zero dates mean "no date".
    ['00/00/0000', null],
    ['0000-00-00', null],
    ['0000-00-00 00:00:00', null],
    ['00/00/00', null],
  ])('%j → %s', (raw, iso) => {
    const r = readDate(raw, sp)
    expect(r.ok && (r.value === null ? null : r.value.toISOString())).toBe(iso)
  })

  it.each<[string, ImportReason]>([
    ['31/02/2024', 'dateUnreadable'],
    ['29/02/2023', 'dateUnreadable'],
    ['29/02/1900', 'dateUnreadable'],
    ['31/04/2024', 'dateUnreadable'],
    ['00/01/2024', 'dateUnreadable'],
    ['15/00/2024', 'dateUnreadable'],
    ['15/13/2024', 'dateUnreadable'],
    // Day first always: a US date is refused when its day cannot be a month.
    ['03/15/2024', 'dateUnreadable'],
    ['15/03/2024 24:00', 'dateUnreadable'],
    ['15/03/2024 14:60', 'dateUnreadable'],
    ['15/03/2024 14:30:60', 'dateUnreadable'],
    ['15/03-2024', 'dateUnreadable'],
    ['15/03/202', 'dateUnreadable'],
    ['15/03/2024 às 14:30', 'dateUnreadable'],
    ['2024-02-30', 'dateUnreadable'],
    ['2024-03-15T14:30:00+25', 'dateUnreadable'],
    ['2024-03-15T14:30:00-03:60', 'dateUnreadable'],
    ['15 de marte de 2024', 'dateUnreadable'],
    ['2024', 'dateUnreadable'],
    ['ontem', 'dateUnreadable'],
    ['15/03/1899', 'dateOutOfRange'],
    ['31/12/1899 23:59', 'dateOutOfRange'],
    ['01/01/2101', 'dateOutOfRange'],
    ['0001-01-01', 'dateOutOfRange'],
    ['9999-12-31', 'dateOutOfRange'],
    ['99999', 'dateOutOfRange'],
    ['NaN', 'dateUnreadable'],
    ['Infinity', 'dateUnreadable'],
    ['1e309', 'dateUnreadable'],
    ['15/03/2024\u0000', 'dateUnreadable'],
    ['\uD800', 'dateUnreadable'],
    ['9'.repeat(10_000), 'dateUnreadable'],
  ])('%j → %s', (raw, why) => {
    expect(readDate(raw, sp)).toEqual(reason(why))
  })

  it('reads the wall-clock time in the given zone, across daylight-saving changes', () => {
    const at = (raw: string, zone: string) => {
      const r = readDate(raw, zone)
      return r.ok ? r.value?.toISOString() : r.reason
    }
    expect(at('15/03/2024', 'Asia/Tokyo')).toBe('2024-03-15T03:00:00.000Z')
    expect(at('15/03/2024', 'Pacific/Kiritimati')).toBe('2024-03-14T22:00:00.000Z')
    expect(at('15/03/2024', 'Pacific/Pago_Pago')).toBe('2024-03-15T23:00:00.000Z')
    expect(at('15/07/2024 10:00', 'Europe/Lisbon')).toBe('2024-07-15T09:00:00.000Z')
    expect(at('15/01/2024 10:00', 'Europe/Lisbon')).toBe('2024-01-15T10:00:00.000Z')
    // New York moved to daylight time at 02:00 on 10/03/2024.
    expect(at('10/03/2024 01:59', 'America/New_York')).toBe('2024-03-10T06:59:00.000Z')
    expect(at('10/03/2024 03:30', 'America/New_York')).toBe('2024-03-10T07:30:00.000Z')
    // São Paulo still had daylight time in 2018: it began at midnight on 04/11/2018 and the day before was standard.
    expect(at('03/11/2018 23:30', 'America/Sao_Paulo')).toBe('2018-11-04T02:30:00.000Z')
    expect(at('04/11/2018 12:00', 'America/Sao_Paulo')).toBe('2018-11-04T14:00:00.000Z')
    expect(at('04/11/2018 12:00:01', 'America/Sao_Paulo')).toBe('2018-11-04T14:00:01.000Z')
    expect(at('04/11/2018 01:30', 'America/Sao_Paulo')).toBe('2018-11-04T03:30:00.000Z')
    expect(at('04/11/2018 02:30', 'America/Sao_Paulo')).toBe('2018-11-04T04:30:00.000Z')
    // …and ended at midnight on 17/02/2019, when 23:00–23:59 of the 16th happened twice.
    expect(at('16/02/2019 22:00', 'America/Sao_Paulo')).toBe('2019-02-17T00:00:00.000Z')
    expect(at('17/02/2019 00:30', 'America/Sao_Paulo')).toBe('2019-02-17T03:30:00.000Z')
    // Every hour of New York's spring-forward day after the change, and its fall-back day.
    for (let h = 3; h <= 23; h++)
      expect(at(`10/03/2024 ${h}:15`, 'America/New_York')).toBe(
        new Date(Date.UTC(2024, 2, 10, h + 4, 15)).toISOString(),
      )
    expect(at('03/11/2024 00:30', 'America/New_York')).toBe('2024-11-03T04:30:00.000Z')
    expect(at('03/11/2024 03:00', 'America/New_York')).toBe('2024-11-03T08:00:00.000Z')
    // East of UTC: Sydney moved forward at 02:00 on 06/10/2024 (+10 to +11).
    expect(at('06/10/2024 00:30', 'Australia/Sydney')).toBe('2024-10-05T14:30:00.000Z')
    expect(at('06/10/2024 01:59', 'Australia/Sydney')).toBe('2024-10-05T15:59:00.000Z')
    expect(at('06/10/2024 03:30', 'Australia/Sydney')).toBe('2024-10-05T16:30:00.000Z')
    expect(at('06/10/2024', 'Australia/Sydney')).toBe('2024-10-06T01:00:00.000Z')
    expect(at('31/03/2024 03:30', 'Europe/Lisbon')).toBe('2024-03-31T02:30:00.000Z')
    expect(at('31/03/2024 00:30', 'Europe/Lisbon')).toBe('2024-03-31T00:30:00.000Z')
  })

  it('always answers a day that exists, at its own calendar day in the zone', () => {
    const days = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Manaus' })
    fc.assert(
      fc.property(
        fc.integer({ min: 1900, max: 2100 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        (y, m, d) => {
          const r = readDate(`${d}/${m}/${y}`, 'America/Manaus')
          const exists = new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d
          expect(r.ok).toBe(exists)
          if (r.ok)
            expect(days.format(r.value!)).toBe(`${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`)
        },
      ),
    )
  })
})

describe('readCep', () => {
  it.each<[string, Read<string | null>]>([
    ['', value(null)],
    ['01310-100', value('01310-100')],
    ['01310100', value('01310-100')],
    ['01.310-100', value('01310-100')],
    ['01 310 100', value('01310-100')],
    [' 01310-100 ', value('01310-100')],
    ['CEP 01310-100', value('01310-100')],
    ['cep: 01310100', value('01310-100')],
    // Excel read it as a number and dropped the leading zero.
    ['1310100', value('01310-100')],
    ['99999-999', value('99999-999')],
    ['00000-000', value(null)],
    ['0000000', value(null)],
    ['00999-999', reason('cepUnreadable')],
    ['999999', reason('cepUnreadable')],
    ['01310-1000', reason('cepUnreadable')],
    ['0131010O', reason('cepUnreadable')],
    ['01310/100', reason('cepUnreadable')],
    ['abc', reason('cepUnreadable')],
    ['01310-100\u0000', reason('cepUnreadable')],
    ['\uD800', reason('cepUnreadable')],
    ['NaN', reason('cepUnreadable')],
    ['1e309', reason('cepUnreadable')],
    ['9'.repeat(10_000), reason('cepUnreadable')],
  ])('%j → %j', (raw, read) => {
    expect(readCep(raw)).toEqual(read)
  })
})

describe('readInteger', () => {
  it.each<[string, Read<number | null>]>([
    ['', value(null)],
    ['-', value(null)],
    ['3', value(3)],
    ['03', value(3)],
    ['0', value(0)],
    ['-0', value(0)],
    ['20', value(20)],
    ['3 quartos', value(3)],
    ['3 Quartos', value(3)],
    ['3 dormitórios', value(3)],
    ['3 dorms.', value(3)],
    ['3quartos', value(3)],
    ['1 suíte', value(1)],
    ['3+', value(3)],
    ['3 +', value(3)],
    ['3+ quartos', value(3)],
    ['3 ou mais', value(3)],
    ['3.0', value(3)],
    ['3,00', value(3)],
    ['21', reason('integerOutOfRange')],
    ['-1', reason('integerOutOfRange')],
    ['−1', reason('integerOutOfRange')],
    ['9999999999999999', reason('integerOutOfRange')],
    ['99999999999999999999999999999999', reason('integerOutOfRange')],
    ['2.5', reason('integerUnreadable')],
    ['2 a 3', reason('integerUnreadable')],
    ['2-3', reason('integerUnreadable')],
    ['3 quartos e 1 suíte', reason('integerUnreadable')],
    ['três', reason('integerUnreadable')],
    ['quartos 3', reason('integerUnreadable')],
    ['NaN', reason('integerUnreadable')],
    ['Infinity', reason('integerUnreadable')],
    ['1e309', reason('integerUnreadable')],
    ['1e3', reason('integerUnreadable')],
    ['0x3', reason('integerUnreadable')],
    ['3\u0000', reason('integerUnreadable')],
    ['\uD800', reason('integerUnreadable')],
    ['3 ' + 'a'.repeat(10_000), reason('integerUnreadable')],
  ])('%j → %j', (raw, read) => {
    expect(readInteger(raw, 0, 20)).toEqual(read)
  })

  it('keeps to the given range, inclusive', () => {
    expect(readInteger('1', 1, 1)).toEqual(value(1))
    expect(readInteger('0', 1, 5)).toEqual(reason('integerOutOfRange'))
    expect(readInteger('-3', -5, 5)).toEqual(value(-3))
  })
})

describe('readEmail', () => {
  it.each<[string, Read<string | null>]>([
    ['', value(null)],
    ['  ', value(null)],
    ['N/D', value(null)],
    ['joao@example.com', value('joao@example.com')],
    ['  Joao.Silva@Example.COM.br ', value('joao.silva@example.com.br')],
    ['maria+imoveis@gmail.com', value('maria+imoveis@gmail.com')],
    ['a_b-c@sub.dominio.com.br', value('a_b-c@sub.dominio.com.br')],
    ['joao@gmail', reason('emailUnreadable')],
    ['joao@', reason('emailUnreadable')],
    ['@gmail.com', reason('emailUnreadable')],
    ['joao gmail.com', reason('emailUnreadable')],
    ['joao @gmail.com', reason('emailUnreadable')],
    ['joao@@gmail.com', reason('emailUnreadable')],
    ['joao@gmail.com; maria@gmail.com', reason('emailUnreadable')],
    ['João <joao@gmail.com>', reason('emailUnreadable')],
    ['joao@gmail.com\u0000', reason('emailUnreadable')],
    ['jo\uD800ao@gmail.com', reason('emailUnreadable')],
    ['NaN', reason('emailUnreadable')],
    [`${'a'.repeat(250)}@gmail.com`, reason('tooLong')],
    ['a'.repeat(10_000), reason('tooLong')],
  ])('%j → %j', (raw, read) => {
    expect(readEmail(raw)).toEqual(read)
  })
})

describe('readStatus', () => {
  it.each<[string, string | null]>([
    ['', null],
    ['-', null],
    ['new', 'new'],
    ['Novo', 'new'],
    ['NOVO', 'new'],
    ['New', 'new'],
    ['Aberto', 'new'],
    ['Em aberto', 'new'],
    ['Não contatado', 'new'],
    ['nao contatado', 'new'],
    ['Contatado', 'contacted'],
    ['Contacted', 'contacted'],
    ['Em atendimento', 'contacted'],
    ['em  atendimento ', 'contacted'],
    ['Em contato', 'contacted'],
    ['Aguardando retorno do cliente', 'contacted'],
    ['Qualificado', 'qualified'],
    ['Qualified', 'qualified'],
    ['Visita', 'qualified'],
    ['Visita agendada', 'qualified'],
    ['Visita agendada para 12/03', 'qualified'],
    ['Proposta', 'qualified'],
    ['Proposta enviada', 'qualified'],
    ['Negociação', 'qualified'],
    ['Em negociação', 'qualified'],
    ['NEGOCIACAO', 'qualified'],
    ['Convertido', 'converted'],
    ['Converted', 'converted'],
    ['Ganho', 'converted'],
    ['Fechado', 'converted'],
    ['Negócio fechado', 'converted'],
    ['Vendido', 'converted'],
    ['Alugado', 'converted'],
    ['Won', 'converted'],
    ['Closed won', 'converted'],
    ['Perdido', 'lost'],
    ['Perdido - sem resposta', 'lost'],
    ['Perdido: comprou com outro', 'lost'],
    ['Lost', 'lost'],
    ['Descartado', 'lost'],
    ['Sem interesse', 'lost'],
    ['Não qualificado', 'lost'],
    ['Fechou com outro corretor', 'lost'],
    ['Fechado com outro', 'lost'],
    ['Closed lost', 'lost'],
  ])('%j → %s', (raw, status) => {
    expect(readStatus(raw)).toEqual(value(status))
  })

  it.each(['Em pausa', 'Contato', 'Novidade', 'Visitante', 'Closed', '???', 'Aberto'.repeat(100), ...hostile])(
    '%j → statusUnknown',
    (raw) => {
      expect(readStatus(raw)).toEqual(reason('statusUnknown'))
    },
  )
})

describe('readSource', () => {
  it.each<[string, string | null]>([
    ['', null],
    ['Site', 'website'],
    ['website', 'website'],
    ['Site próprio', 'website'],
    ['Site - formulário de contato', 'website'],
    ['Landing page Jardins', 'website'],
    ['Google', 'website'],
    ['Google Ads', 'website'],
    ['Portal', 'portal'],
    ['Portal ZAP', 'portal'],
    ['ZAP', 'portal'],
    ['Zap Imóveis', 'portal'],
    ['ZAPIMOVEIS', 'portal'],
    ['Viva Real', 'portal'],
    ['VivaReal', 'portal'],
    ['OLX', 'portal'],
    ['Imovelweb', 'portal'],
    ['Chaves na Mão', 'portal'],
    ['WhatsApp', 'whatsapp'],
    ['Whatsapp Business', 'whatsapp'],
    ['Zap zap', 'whatsapp'],
    ['Indicação', 'referral'],
    ['indicacao de cliente', 'referral'],
    ['Referral', 'referral'],
    ['Visita à loja', 'walk_in'],
    ['walk_in', 'walk_in'],
    ['Walk-in', 'walk_in'],
    ['Plantão', 'walk_in'],
    ['Telefone', 'phone'],
    ['Ligação', 'phone'],
    ['Phone', 'phone'],
    ['Redes sociais', 'social'],
    ['Social media', 'social'],
    ['Instagram', 'social'],
    ['Facebook', 'social'],
    ['Facebook Ads - campanha março', 'social'],
    ['Meta Ads', 'social'],
    ['TikTok', 'social'],
    ['Outra', 'other'],
    ['Outros', 'other'],
    ['Other', 'other'],
  ])('%j → %s', (raw, source) => {
    expect(readSource(raw)).toEqual(value(source))
  })

  it.each(['Placa', 'Outdoor', 'Jornal', 'E-mail', 'Feirão de março', 'RD Station', ...hostile])(
    '%j → sourceUnknown',
    (raw) => {
      expect(readSource(raw)).toEqual(reason('sourceUnknown'))
    },
  )
})

describe('readInterest', () => {
  it.each<[string, string | null]>([
    ['', null],
    ['buy', 'buy'],
    ['Comprar', 'buy'],
    ['Compra', 'buy'],
    ['COMPRA', 'buy'],
    ['Venda', 'buy'],
    ['À venda', 'buy'],
    ['Buy', 'buy'],
    ['Compra - financiamento', 'buy'],
    ['rent', 'rent'],
    ['Alugar', 'rent'],
    ['Aluguel', 'rent'],
    ['Locação', 'rent'],
    ['locacao', 'rent'],
    ['Aluguel por temporada', 'rent'],
    ['Rent', 'rent'],
    // Open to both: no single interest.
    ['Ambos', null],
    ['Venda e locação', null],
    ['Compra ou aluguel', null],
    ['Indiferente', null],
  ])('%j → %s', (raw, interest) => {
    expect(readInterest(raw)).toEqual(value(interest))
  })

  it.each(['Vender', 'Investimento', 'Permuta', ...hostile])('%j → interestUnknown', (raw) => {
    expect(readInterest(raw)).toEqual(reason('interestUnknown'))
  })
})

describe('readYesNo (a consent column)', () => {
  it.each<[string, boolean | null]>([
    ['', null],
    ['-', null],
    ['Sim', true],
    ['SIM', true],
    ['s', true],
    ['Aceita', true],
    ['x', true],
    ['1', true],
    ['Yes', true],
    ['Opt-in', true],
    ['Não', false],
    ['nao', false],
    ['N', false],
    ['0', false],
    ['Não aceita', false],
    ['Opt-out', false],
    ['No', false],
  ])('%j → %s', (raw, yes) => {
    expect(readYesNo(raw)).toEqual(value(yes))
  })

  // A lone "x" is a ticked box; the hostile cell that trims to one is left to the case above.
  it.each(['Talvez', 'Sim e não', '2', ...hostile.filter((h) => h.trim() !== 'x')])('%j → consentUnreadable', (raw) => {
    expect(readYesNo(raw)).toEqual(reason('consentUnreadable'))
  })
})

describe('readPropertyTypes', () => {
  it.each<[string, string[]]>([
    ['', []],
    ['-', []],
    ['Apartamento', ['apartment']],
    ['apartment', ['apartment']],
    ['Apto', ['apartment']],
    ['Apartamento, Casa', ['apartment', 'house']],
    ['Apartamento; Casa; Terreno', ['apartment', 'house', 'land']],
    ['Casa/Sobrado', ['house']],
    ['Casa e Apartamento', ['house', 'apartment']],
    ['Apartamento ou casa', ['apartment', 'house']],
    ['Apartamento | Sala comercial', ['apartment', 'commercial']],
    ['Apartamento, apartamento, APTO', ['apartment']],
    ['Apartamento, ', ['apartment']],
    ['Apartamento padrão', ['apartment']],
    ['Apartamento duplex', ['apartment']],
    ['Cobertura', ['apartment']],
    ['Kitnet/Conjugado', ['apartment']],
    ['Studio', ['apartment']],
    ['Casa de condomínio', ['house']],
    ['Casa térrea', ['house']],
    ['Casa comercial', ['commercial']],
    ['Sobrado', ['house']],
    ['Lote', ['land']],
    ['Terreno em condomínio', ['land']],
    ['Terreno rural', ['rural']],
    ['Sala', ['commercial']],
    ['Loja/Salão', ['commercial']],
    ['Galpão/Depósito/Armazém', ['commercial']],
    ['Ponto comercial', ['commercial']],
    ['Chácara', ['rural']],
    ['Sítio', ['rural']],
    ['Fazenda', ['rural']],
    ['Outro', ['other']],
    ['Residential / Apartment', ['apartment']],
    ['Residential / Farm Ranch', ['rural']],
    ['Commercial / Building', ['commercial']],
  ])('%j → %j', (raw, types) => {
    expect(readPropertyTypes(raw)).toEqual(value(types))
  })

  it.each(['Barco', 'Apartamento, Barco', 'Vaga de garagem', 'Apartamento, ,'.repeat(3) + 'x', ...hostile])(
    '%j → propertyTypeUnknown',
    (raw) => {
      expect(readPropertyTypes(raw)).toEqual(reason('propertyTypeUnknown'))
    },
  )
})

describe('i18n labels', () => {
  // Both locales' labels read back as their values, and the export's headers as their fields (an Impera export imports
  // back), straight from the web app's message files, so a renamed label fails here.
  type Leads = Record<string, string> &
    Record<'statuses' | 'sources' | 'interests' | 'propertyTypeNames', Record<string, string>>
  const leadMessages = async (file: string, name: string) => {
    const path = new URL(`../../../../apps/web/app/i18n/${file}`, import.meta.url).pathname
    const mod = (await import(/* @vite-ignore */ path)) as Record<string, { leads: Leads }>
    return mod[name]!.leads
  }
  it.each([
    ['pt-BR.ts', 'ptBR'],
    ['en.ts', 'en'],
  ])('%s', async (file, name) => {
    const leads = await leadMessages(file, name)
    for (const s of leadStatuses) expect(readStatus(leads.statuses[s]!)).toEqual(value(s))
    for (const s of leadSources) expect(readSource(leads.sources[s]!)).toEqual(value(s))
    for (const i of leadInterests) expect(readInterest(leads.interests[i]!)).toEqual(value(i))
    for (const t of propertyTypes) expect(readPropertyTypes(leads.propertyTypeNames[t]!)).toEqual(value([t]))
    // Consent is not a column of the list export (the agency export's consentimentos.csv carries it).
    for (const field of Object.keys(leadFieldAliases).filter((f) => f !== 'marketingConsent')) {
      const label = leads[field === 'createdAt' ? 'created' : field]!
      expect(guessMapping([label], leadFieldAliases), label).toEqual([field])
    }
  })
})

describe('readList', () => {
  it.each<[string, string[]]>([
    ['', []],
    ['   ', []],
    ['Jardins', ['Jardins']],
    ['Jardins, Moema', ['Jardins', 'Moema']],
    ['Jardins; Moema | Pinheiros', ['Jardins', 'Moema', 'Pinheiros']],
    ['Jardins\nMoema\r\nPinheiros', ['Jardins', 'Moema', 'Pinheiros']],
    [' Vila   Mariana ,, ,Moema,', ['Vila Mariana', 'Moema']],
    ['Moema, moema, MOEMA, Jardins', ['Moema', 'Jardins']],
    ['São Paulo, Sao Paulo', ['São Paulo', 'Sao Paulo']],
    ['vip, -, N/A, investidor', ['vip', 'investidor']],
    ['a\u0000b, c', ['ab', 'c']],
    ['x\uD800y', ['x\uFFFDy']],
    ['a/b', ['a/b']],
  ])('%j → %j', (raw, items) => {
    expect(readList(raw)).toEqual(items)
  })

  it('cuts each item to 100 characters, never inside a surrogate pair', () => {
    expect(readList('a'.repeat(150))).toEqual(['a'.repeat(100)])
    expect(readList('a'.repeat(99) + '😀' + 'b')).toEqual(['a'.repeat(99)])
    expect(readList('a'.repeat(98) + '😀' + 'b')).toEqual(['a'.repeat(98) + '😀'])
    expect(readList(`${'x'.repeat(10_000)},y`)).toEqual(['x'.repeat(100), 'y'])
  })

  it('keeps only text Postgres can store', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (raw) => {
        for (const item of readList(raw)) {
          expect(item.length).toBeGreaterThan(0)
          expect(item.length).toBeLessThanOrEqual(100)
          expect(item).toBe(item.trim())
          expect(hasUnsafeChars(item)).toBe(false)
        }
      }),
    )
  })
})

describe('headerKey', () => {
  it.each([
    ['Telefone (Celular)', 'telefone celular'],
    ['  E-mail  ', 'e mail'],
    ['Situação', 'situacao'],
    ['ORÇAMENTO MÁXIMO', 'orcamento maximo'],
    ['Nº de quartos', 'n de quartos'],
    ['\uFEFFNome', 'nome'],
    ['Person - Name', 'person name'],
    ['utm_campaign', 'utm campaign'],
    ['Bairros / cidades', 'bairros cidades'],
    ['', ''],
    ['???', ''],
    ['a\u0000b', 'a b'],
    ['\uD800x', 'x'],
  ])('%j → %j', (header, key) => {
    expect(headerKey(header)).toBe(key)
  })
})

describe('guessMapping', () => {
  const guess = (headers: string[], repeatable: string[] = ['phones']) =>
    guessMapping(headers, leadFieldAliases, repeatable as (keyof typeof leadFieldAliases)[])

  it('maps an agency sheet typed in Excel', () => {
    expect(
      guess([
        'Nome',
        'Telefone',
        'Celular',
        'WhatsApp',
        'E-mail',
        'Origem',
        'Situação',
        'Valor mínimo',
        'Valor',
        'Tipo de imóvel',
        'Bairro',
        'Quartos',
        'Obs',
        'Corretor',
        'Data',
        'Idade',
      ]),
    ).toEqual([
      'name',
      'phones',
      'phones',
      'phones',
      'email',
      'source',
      'status',
      'budgetMin',
      'budgetMax',
      'propertyTypes',
      'locations',
      'minBedrooms',
      'notes',
      'assignee',
      'createdAt',
      null,
    ])
  })

  it("maps Impera's own CSV export back, in both locales", () => {
    const pt = ['Nome', 'Telefones', 'E-mail', 'Etapa', 'Origem', 'Responsável', 'Interesse', 'Orçamento de']
    const ptMore = ['Orçamento até', 'Etiquetas', 'Pontuação', 'Criado em', 'Atualizado em']
    expect(guess([...pt, ...ptMore])).toEqual([
      'name',
      'phones',
      'email',
      'status',
      'source',
      'assignee',
      'interest',
      'budgetMin',
      'budgetMax',
      'tags',
      null,
      'createdAt',
      null,
    ])
    const en = [
      'Name',
      'Phones',
      'E-mail',
      'Status',
      'Source',
      'Assigned to',
      'Interest',
      'Budget from',
      'Budget up to',
    ]
    expect(guess([...en, 'Tags', 'Created', 'Updated'])).toEqual([
      'name',
      'phones',
      'email',
      'status',
      'source',
      'assignee',
      'interest',
      'budgetMin',
      'budgetMax',
      'tags',
      'createdAt',
      null,
    ])
  })

  it("maps Pipedrive's and RD Station's exports by the words their headers contain", () => {
    expect(
      guess(['Person - Name', 'Person - Phone', 'Person - Email', 'Deal - Value', 'Deal - Stage', 'Deal - Owner']),
    ).toEqual(['name', 'phones', 'email', 'budgetMax', 'status', 'assignee'])
    expect(guess(['Nome', 'Email', 'Telefone', 'Estágio do funil', 'Origem do lead', 'utm_campaign'])).toEqual([
      'name',
      'email',
      'phones',
      'status',
      'source',
      'sourceDetail',
    ])
  })

  it('prefers exact headers, then the longest alias, and gives each field one column unless repeatable', () => {
    // "Nome" is exact, so "Nome do corretor" falls to the alias it contains.
    expect(guess(['Nome do corretor', 'Nome'])).toEqual(['assignee', 'name'])
    expect(guess(['Valor mínimo do imóvel', 'Valor do imóvel'])).toEqual(['budgetMin', 'budgetMax'])
    expect(guess(['E-mail', 'E-mail 2', 'Origem', 'Detalhe da origem'])).toEqual([
      'email',
      null,
      'source',
      'sourceDetail',
    ])
    expect(guess(['Bairro', 'Cidade'])).toEqual(['locations', null])
    expect(guess(['Bairro', 'Cidade'], ['locations'])).toEqual(['locations', 'locations'])
    expect(guess(['Telefone', 'Telefone'], [])).toEqual(['phones', null])
    expect(guess(['', '???', 'Sobrenome', 'Telefone do trabalho'])).toEqual([null, null, null, 'phones'])
    expect(guess([])).toEqual([])
  })

  it('works with any field set and normalises the aliases it is given', () => {
    expect(guessMapping(['CÓDIGO', 'Preço (R$)'], { code: ['Código'], price: ['preco'] })).toEqual(['code', 'price'])
    expect(guessMapping(hostile, leadFieldAliases)).toHaveLength(hostile.length)
  })

  it('lists no alias under two fields', () => {
    const owners = new Map<string, string>()
    for (const [field, aliases] of Object.entries(leadFieldAliases))
      for (const alias of aliases) {
        const key = headerKey(alias)
        expect(owners.get(key) ?? field, alias).toBe(field)
        owners.set(key, field)
      }
  })
})
