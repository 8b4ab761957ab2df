import {
  clientTypeValues,
  leadInterests,
  leadSources,
  leadStatuses,
  propertyPurposes,
  propertyStatuses,
  propertyTypes,
  type LeadSource,
  type LeadStatus,
  type PropertyType,
} from '@impera/db/enums'
import { cleanText, zEmail } from '../schemas/common'
import { wallClock, zonedInstant } from '../zoned-time'

/**
 * The cells of an agency's spreadsheet (leads exported from another CRM, or typed in Excel) read into Impera's
 * values, one cell at a time. Each reader says why a cell cannot be read, so the importer can show it per row; an
 * empty cell (or a placeholder such as "-" or "N/A") reads as no value. They run per cell on up to 100,000 rows:
 * patterns and lookup tables are built once, here.
 */

export type Read<T> = { ok: true; value: T } | { ok: false; reason: ImportReason }

/**
 * Reason codes are i18n keys' tails under `imports.reasons.` (the web app translates them); keep this union the single
 * list.
 */
export type ImportReason =
  | 'moneyUnreadable'
  | 'moneyOutOfRange'
  | 'dateUnreadable'
  | 'dateOutOfRange'
  | 'cepUnreadable'
  | 'integerUnreadable'
  | 'integerOutOfRange'
  | 'emailUnreadable'
  | 'phoneUnreadable'
  | 'documentUnreadable'
  | 'statusUnknown'
  | 'sourceUnknown'
  | 'interestUnknown'
  | 'propertyTypeUnknown'
  | 'consentUnreadable'
  | 'tooLong'
  | 'areaUnreadable'
  | 'areaOutOfRange'
  | 'purposeUnknown'
  | 'propertyStatusUnknown'
  | 'clientTypeUnknown'

type LeadInterest = (typeof leadInterests)[number]
type ClientType = (typeof clientTypeValues)[number]
type PropertyPurpose = (typeof propertyPurposes)[number]
type PropertyStatus = (typeof propertyStatuses)[number]

const ok = <T>(value: T): Read<T> => ({ ok: true, value })
const fail = (reason: ImportReason): { ok: false; reason: ImportReason } => ({ ok: false, reason })

// What spreadsheets and other CRMs put in a cell that has no value. Compared lower-cased.
const PLACEHOLDERS = new Set([
  '-',
  '--',
  '—',
  '–',
  'n/a',
  'n/d',
  '#n/a',
  '#n/d',
  'null',
  'não informado',
  'nao informado',
])

/** The trimmed cell, or null when it holds no value. */
export function filled(raw: string): string | null {
  const s = raw.trim()
  return s === '' || PLACEHOLDERS.has(s.toLowerCase()) ? null : s
}

const COMBINING_MARKS = /[\u0300-\u036f]/g
const NON_ALPHANUMERIC = /[^a-z0-9]+/g

/**
 * Header text → a comparable key: accents removed (NFD + strip combining marks), lower-case, non-alphanumerics
 * collapsed to one space, trimmed. "Telefone (Celular)" → "telefone celular".
 */
export function headerKey(header: string): string {
  return header.toLowerCase().normalize('NFD').replace(COMBINING_MARKS, '').replace(NON_ALPHANUMERIC, ' ').trim()
}

// ---------------------------------------------------------------------------------------------------------------
// Money

// A cell longer than this is no amount; the bound also keeps the pattern's backtracking small on hostile input.
const MAX_MONEY_LENGTH = 64
const MONEY =
  /^([-−]?)\s*(?:r\$|us\$|\$|€|£|brl|usd|eur)?\s*([-−]?)\s*([\d.,\s]*\d)?\s*(k|mil|mi|mm|m|milh(?:ão|ao|ões|oes)|millions?|bi|bilh(?:ão|ao|ões|oes)|billions?)?\.?(?:\s*(?:de\s+)?(?:reais|real|r\$|brl|usd|eur|€))?$/i
// The zeros each multiplier word adds (lower-cased, as MONEY accepts them).
const MULTIPLIER_ZEROS = new Map<string, number>([
  ...['k', 'mil'].map((w) => [w, 3] as const),
  ...['m', 'mi', 'mm', 'milhão', 'milhao', 'milhões', 'milhoes', 'million', 'millions'].map((w) => [w, 6] as const),
  ...['bi', 'bilhão', 'bilhao', 'bilhões', 'bilhoes', 'billion', 'billions'].map((w) => [w, 9] as const),
])
// A thousands grouping: a first group of 1–3 digits without a leading zero (so "0.500" stays a half), then groups of 3.
const GROUPED_DOT = /^[1-9]\d{0,2}(?:[.\s]\d{3})+$/
const GROUPED_COMMA = /^[1-9]\d{0,2}(?:[,\s]\d{3})+$/
const GROUPED_SPACE = /^[1-9]\d{0,2}(?:\s\d{3})+$/
const DIGITS = /^\d*$/
const NON_DIGITS = /\D/g
const LEADING_ZEROS = /^0+/
const MAX_CENTS = 1e13

/**
 * The integer and fraction digits of an amount, deciding the decimal mark by the last separator: with both '.' and
 * ',', the last one; with only ',', a single comma is the decimal mark (pt-BR) and several are en-style thousands;
 * with only '.', groups of exactly 3 digits are thousands ("3.500"), else the dot is the decimal mark ("1.5").
 * Spaces only ever group thousands.
 */
function amountDigits(body: string): [int: string, frac: string] | null {
  const dot = body.lastIndexOf('.')
  const comma = body.lastIndexOf(',')
  let mark = -1
  let grouped = GROUPED_SPACE
  if (dot >= 0 && comma >= 0) {
    mark = Math.max(dot, comma)
    grouped = dot > comma ? GROUPED_COMMA : GROUPED_DOT
  } else if (comma >= 0) {
    if (body.indexOf(',') === comma) mark = comma
    else grouped = GROUPED_COMMA
  } else if (dot >= 0) {
    grouped = GROUPED_DOT
    if (body.indexOf('.') === dot && !GROUPED_DOT.test(body)) mark = dot
  }
  const int = mark < 0 ? body : body.slice(0, mark)
  const frac = mark < 0 ? '' : body.slice(mark + 1)
  if (!DIGITS.test(frac)) return null
  if (DIGITS.test(int)) return [int, frac]
  return grouped.test(int) ? [int.replace(NON_DIGITS, ''), frac] : null
}

/**
 * An amount in the agency's currency as integer cents: "R$ 1.250.000,00", "1.250.000", "3500,50", "US$ 1,250,000.00",
 * "850 mil", "850k", "1,2 mi", "1.5 milhões", "1.2M". The decimal mark is decided as amountDigits says; a single
 * comma is always the decimal mark ("1,250" is 1.25), as pt-BR writes it. The currency is not converted. Negative
 * (or in accounting parentheses) or above 10^13 cents → moneyOutOfRange.
 */
export function readMoney(raw: string): Read<number | null> {
  let s = filled(raw)
  if (s === null) return ok(null)
  if (s.length > MAX_MONEY_LENGTH) return fail('moneyUnreadable')
  // Accounting formats write a negative amount in parentheses.
  const parenthesised = s.startsWith('(') && s.endsWith(')')
  if (parenthesised) s = s.slice(1, -1).trim()
  const m = MONEY.exec(s)
  if (!m) return fail('moneyUnreadable')
  const [, signBefore, signAfter, body, multiplier] = m
  // Excel's accounting format shows zero as "R$ -": a currency with no digits is no amount.
  if (body === undefined) return multiplier ? fail('moneyUnreadable') : ok(null)
  const parts = amountDigits(body)
  if (!parts) return fail('moneyUnreadable')
  // 10^13 has 14 digits: anything longer is out of range.
  const cents = shifted(...parts, (multiplier ? MULTIPLIER_ZEROS.get(multiplier.toLowerCase())! : 0) + 2, 14)
  if (cents === null || cents > MAX_CENTS || (cents > 0 && (parenthesised || signBefore || signAfter)))
    return fail('moneyOutOfRange')
  return ok(cents)
}

/**
 * The amount int.frac times 10^shift as a whole number, by moving the decimal point in the digit string: exact where
 * floating point would not be ("1,15" × 100). Digits past the point (a formula's result) round half up. Null past
 * `maxDigits` digits, so no amount reaches Number's imprecise range.
 */
function shifted(int: string, frac: string, shift: number, maxDigits: number): number | null {
  const digits = int + frac
  const point = int.length + shift
  const whole = (point >= digits.length ? digits + '0'.repeat(point - digits.length) : digits.slice(0, point)).replace(
    LEADING_ZEROS,
    '',
  )
  if (whole.length > maxDigits) return null
  return Number(whole || '0') + (point < digits.length && digits.charCodeAt(point) >= 53 ? 1 : 0)
}

// ---------------------------------------------------------------------------------------------------------------
// Areas

// A cell longer than this is no area; the bound also keeps the pattern's backtracking small on hostile input.
const MAX_AREA_LENGTH = 64
// Square metres as sheets and portals write the unit, or hectares (rural listings).
const AREA = /^([\d.,\s]*\d)\s*(m²|m2|m|mts?|metros?(?:\s+quadrados)?|sqm|sq\.?\s*m|(ha|hectares?))?\.?$/i
const NEGATIVE_AREA = /^[-−]\s*\d/
// The area columns are numeric(10, 2): at most 99,999,999.99 m², counted here in hundredths.
const MAX_AREA_HUNDREDTHS = 9_999_999_999

/**
 * An area in square metres with two decimals: "72,5 m²", "1.250 m2", "72.50", "72", "5 ha" (50,000 m²). The decimal
 * mark is decided as for amounts (a dot before exactly three digits groups thousands: "1.250" is 1,250 m²). Zero or
 * negative (no listing measures that: a blank typed as a number) or past the column's 99,999,999.99 → areaOutOfRange.
 */
export function readArea(raw: string): Read<number | null> {
  const s = filled(raw)
  if (s === null) return ok(null)
  if (s.length > MAX_AREA_LENGTH) return fail('areaUnreadable')
  if (NEGATIVE_AREA.test(s)) return fail('areaOutOfRange')
  const m = AREA.exec(s)
  const parts = m ? amountDigits(m[1]!) : null
  if (!parts) return fail('areaUnreadable')
  const hundredths = shifted(...parts, m![3] ? 6 : 2, 10)
  if (!hundredths || hundredths > MAX_AREA_HUNDREDTHS) return fail('areaOutOfRange')
  return ok(hundredths / 100)
}

// ---------------------------------------------------------------------------------------------------------------
// Dates

// A cell longer than this is no date; the bound also keeps the patterns' work small on hostile input.
const MAX_DATE_LENGTH = 64
const DMY = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/
const YMD =
  /^(\d{4})([/.-])(\d{1,2})\2(\d{1,2})(?:(?:\s+|T)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(?:(Z)|([+-])(\d{2})(?::?(\d{2}))?)?)?$/i
// Excel's dd-mmm-yy and written dates: "15-mar-24", "15/Mar/2024", "15 de março de 2024".
const D_MONTH_Y =
  /^(\d{1,2})(?:\s+de\s+|[\s/.-]+)([a-zç]+)\.?(?:\s+de\s+|[\s/.-]+)(\d{4}|\d{2})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/i
// An Excel date cell read as its serial number (days since 1899-12-30, the fraction being the time of day). Five
// digits only, so a year typed alone ("2024") is not taken for a day in 1905.
const EXCEL_SERIAL = /^(\d{5})(?:[.,](\d+))?$/
const EXCEL_EPOCH = Date.UTC(1899, 11, 30)
const DAY_MS = 86_400_000

const MONTHS = new Map<string, number>()
for (const [month, names] of [
  [1, ['jan', 'janeiro', 'january']],
  [2, ['fev', 'fevereiro', 'feb', 'february']],
  [3, ['mar', 'março', 'marco', 'march']],
  [4, ['abr', 'abril', 'apr', 'april']],
  [5, ['mai', 'maio', 'may']],
  [6, ['jun', 'junho', 'june']],
  [7, ['jul', 'julho', 'july']],
  [8, ['ago', 'agosto', 'aug', 'august']],
  [9, ['set', 'setembro', 'sep', 'sept', 'september']],
  [10, ['out', 'outubro', 'oct', 'october']],
  [11, ['nov', 'novembro', 'november']],
  [12, ['dez', 'dezembro', 'dec', 'december']],
] as const)
  for (const name of names) MONTHS.set(name, month)

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
}

type Clock = [hour: number, minute: number, second: number]
const HOUR_MS = 3_600_000

const wallMs = (at: number, timeZone: string) => {
  const w = wallClock(new Date(at), timeZone)
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second)
}

/**
 * zonedInstant, checked: it reads the zone's offset at a guess that can lie across a daylight-saving change, and then
 * lands an hour off (in New York, 03:00–06:59 on the day clocks go forward). The answer's wall-clock time is read
 * back and the answer moved by what it missed; a time the change skipped keeps zonedInstant's answer.
 */
function localInstant(timeZone: string, year: number, month: number, day: number, minutes: number): number {
  const at = zonedInstant(timeZone, year, month, day, minutes)
  const wanted = Date.UTC(year, month - 1, day, 0, minutes)
  const moved = at - (wallMs(at, timeZone) - wanted)
  return moved !== at && wallMs(moved, timeZone) === wanted ? moved : at
}

/**
 * The instant of a span's first hour when the zone keeps one offset through the span (its last hour is `hours` after
 * its first), else null; memoised, as each answer costs Intl formatters (about 0.5 ms). The bound keeps a long import
 * from growing the caches without end.
 */
function steadyStart(
  cache: Map<string, number | null>,
  key: string,
  [timeZone, year, month, day]: [string, number, number, number],
  hours: number,
): number | null {
  let start = cache.get(key)
  if (start === undefined) {
    if (cache.size >= 100_000) cache.clear()
    const first = localInstant(timeZone, year, month, day, 0)
    start = localInstant(timeZone, year, month, day, hours * 60) - first === hours * HOUR_MS ? first : null
    cache.set(key, start)
  }
  return start
}

const monthStarts = new Map<string, number | null>()
const dayStarts = new Map<string, number | null>()

/**
 * A wall-clock time in a zone as an instant, for 100,000 cells: months that keep one offset (most) are asked for
 * once, then days of the months that change it, then hours of the days that do (daylight-saving changes fall on whole
 * hours).
 */
function zonedTime(timeZone: string, year: number, month: number, day: number, [h, mi, s]: Clock): number {
  const rest = (mi * 60 + s) * 1000
  const monthKey = `${timeZone} ${year} ${month}`
  const monthStart = steadyStart(monthStarts, monthKey, [timeZone, year, month, 1], daysInMonth(year, month) * 24 - 1)
  if (monthStart !== null) return monthStart + ((day - 1) * 24 + h) * HOUR_MS + rest
  const dayStart = steadyStart(dayStarts, `${monthKey} ${day}`, [timeZone, year, month, day], 23)
  return (dayStart === null ? localInstant(timeZone, year, month, day, h * 60) : dayStart + h * HOUR_MS) + rest
}

/** The time a cell gave, or noon, so a date alone never shifts to another day in any zone. */
const clock = (h?: string, mi?: string, s?: string): Clock =>
  h === undefined ? [12, 0, 0] : [Number(h), Number(mi), Number(s ?? 0)]

/** The year of a two-digit one: 00–69 are 20xx, 70–99 are 19xx. */
const fullYear = (y: string) => (y.length === 2 ? Number(y) + (Number(y) < 70 ? 2000 : 1900) : Number(y))

/**
 * A calendar day and time, checked, as an instant: in the agency's zone, or at the cell's own UTC offset in minutes
 * when it gave one ("Z", "-03:00": the instant is named, so the zone does not apply).
 */
function instant(
  timeZone: string,
  year: number,
  month: number,
  day: number,
  time: Clock,
  offsetMinutes?: number,
): Read<Date | null> {
  if (year < 1900 || year > 2100) return fail('dateOutOfRange')
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return fail('dateUnreadable')
  const [h, mi, s] = time
  if (h > 23 || mi > 59 || s > 59) return fail('dateUnreadable')
  if (offsetMinutes === undefined) return ok(new Date(zonedTime(timeZone, year, month, day, time)))
  return ok(new Date(Date.UTC(year, month - 1, day, h, mi, s) - offsetMinutes * 60_000))
}

/**
 * A date as spreadsheets write it: dd/mm/aaaa, d/m/aa (00–69 → 20xx), dd-mm-aaaa, dd.mm.aaaa, with an optional
 * "HH:MM[:SS]"; ISO yyyy-mm-dd with an optional time after a space or T and an optional offset; "15-mar-24", "15 de
 * março de 2024"; an Excel serial day number. Day first always: a cell cannot tell 03/04 from April 3rd, so US
 * month-first dates are refused when the day is over 12 and misread otherwise. The calendar day is checked (31/02 is
 * refused); years outside 1900–2100 → dateOutOfRange. The instant is that wall-clock time in `timeZone` (an IANA
 * name; noon when no time is given). An all-zero date reads as no date.
 */
export function readDate(raw: string, timeZone: string): Read<Date | null> {
  const s = filled(raw)
  if (s === null) return ok(null)
  if (s.length > MAX_DATE_LENGTH) return fail('dateUnreadable')
  let m = DMY.exec(s)
  if (m) {
    // Legacy systems write an all-zero date for "no date" (MySQL's 0000-00-00): no value, not an error.
    if (Number(m[1]) === 0 && Number(m[3]) === 0 && Number(m[4]) === 0) return ok(null)
    return instant(timeZone, fullYear(m[4]!), Number(m[3]), Number(m[1]), clock(m[5], m[6], m[7]))
  }
  m = YMD.exec(s)
  if (m) {
    if (Number(m[1]) === 0 && Number(m[3]) === 0 && Number(m[4]) === 0) return ok(null)
    const [offsetHours, offsetMinutes] = [Number(m[10] ?? 0), Number(m[11] ?? 0)]
    // Real offsets run from -12:00 to +14:00.
    if (offsetHours > 14 || offsetMinutes > 59) return fail('dateUnreadable')
    const offset = m[8] ? 0 : m[9] ? (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) : undefined
    return instant(timeZone, Number(m[1]), Number(m[3]), Number(m[4]), clock(m[5], m[6], m[7]), offset)
  }
  m = D_MONTH_Y.exec(s)
  if (m) {
    const month = MONTHS.get(m[2]!.toLowerCase())
    if (month === undefined) return fail('dateUnreadable')
    return instant(timeZone, fullYear(m[3]!), month, Number(m[1]), clock(m[4], m[5], m[6]))
  }
  m = EXCEL_SERIAL.exec(s)
  if (m) {
    // The serial's calendar day and time of day, as UTC fields of a Date, then read as wall-clock time in the zone.
    const seconds = m[2] === undefined ? 43_200 : Math.round(Number(`0.${m[2]}`) * 86_400)
    const at = new Date(EXCEL_EPOCH + Number(m[1]) * DAY_MS + seconds * 1000)
    return instant(timeZone, at.getUTCFullYear(), at.getUTCMonth() + 1, at.getUTCDate(), [
      at.getUTCHours(),
      at.getUTCMinutes(),
      at.getUTCSeconds(),
    ])
  }
  return fail('dateUnreadable')
}

// ---------------------------------------------------------------------------------------------------------------
// CEP, integers, e-mail

const CEP_LABEL = /^cep\s*:?\s*/i
const CEP_PUNCTUATION = /[\s.-]/g
const CEP_DIGITS = /^\d{7,8}$/

/**
 * A CEP as 'NNNNN-NNN', from 8 digits with or without '-', '.' or a "CEP" label, or 7 (Excel read the CEP as a number
 * and dropped its leading zero). CEPs start at 01000-000; all zeros is a placeholder and reads as no CEP.
 */
export function readCep(raw: string): Read<string | null> {
  const s = filled(raw)
  if (s === null) return ok(null)
  const digits = s.replace(CEP_LABEL, '').replace(CEP_PUNCTUATION, '')
  if (!CEP_DIGITS.test(digits)) return fail('cepUnreadable')
  const cep = digits.padStart(8, '0')
  if (cep === '00000000') return ok(null)
  return cep < '01000000' ? fail('cepUnreadable') : ok(`${cep.slice(0, 5)}-${cep.slice(5)}`)
}

// A count, optionally "+" ("3+": three or more), a ".0" a number cell may carry, and words ("3 quartos", "3 ou mais")
// without digits, so "2 a 3" or "3 quartos e 1 suíte" is not silently read as its first number.
const INTEGER = /^([-−]?)(\d+)(?:[.,]0+)?\s*(?:\+\s*)?(?:[a-zà-ÿ][a-zà-ÿ. ]*)?$/i
const MAX_INTEGER_LENGTH = 64

/**
 * A whole number such as bedrooms: "3", "03", "3 quartos", "3+", "3.0"; outside min..max (inclusive) →
 * integerOutOfRange.
 */
export function readInteger(raw: string, min: number, max: number): Read<number | null> {
  const s = filled(raw)
  if (s === null) return ok(null)
  const m = s.length > MAX_INTEGER_LENGTH ? null : INTEGER.exec(s)
  if (!m) return fail('integerUnreadable')
  // 0 - n rather than -n, so "-0" reads as 0 and not as -0.
  const n = m[1] ? 0 - Number(m[2]) : Number(m[2])
  return n < min || n > max ? fail('integerOutOfRange') : ok(n)
}

/**
 * Lower-cased and trimmed, by the app's own e-mail rule (zEmail), so no import holds an address the lead form
 * refuses.
 */
export function readEmail(raw: string): Read<string | null> {
  if (filled(raw) === null) return ok(null)
  const parsed = zEmail.safeParse(raw)
  if (parsed.success) return ok(parsed.data)
  return fail(parsed.error.issues.some((i) => i.message === 'validation.tooLong') ? 'tooLong' : 'emailUnreadable')
}

// ---------------------------------------------------------------------------------------------------------------
// Statuses, sources, interests, property types: what other CRMs and people write, matched accent- and case-blind.

/**
 * Phrases (as written; compared through headerKey) for each value. A phrase listed under two values is a mistake in
 * the table, refused when the module loads.
 */
function phraseMap<T>(groups: Iterable<readonly [T, readonly string[]]>): ReadonlyMap<string, T> {
  const map = new Map<string, T>()
  for (const [value, phrases] of groups)
    for (const phrase of phrases) {
      const key = headerKey(phrase)
      if (map.has(key) && map.get(key) !== value)
        throw new Error(`import phrase "${phrase}" is listed under two values`)
      map.set(key, value)
    }
  return map
}

/** A value with its enum value and both locales' labels (apps/web/app/i18n), then what other systems write. */
const withValues = <T extends string>(values: readonly T[], phrases: Record<T, readonly string[]>) =>
  values.map((v) => [v, [v, ...phrases[v]]] as const)

// There is no visit, proposal or negotiation stage: a lead that reached one was qualified. Won is `converted` (the
// lead became a client); a lead that closed with someone else is lost.
const STATUSES = phraseMap(
  withValues(leadStatuses, {
    new: [
      'Novo',
      'Nova',
      'Novo lead',
      'Lead novo',
      'Aberto',
      'Aberta',
      'Em aberto',
      'Open',
      'Não contatado',
      'Pendente',
    ],
    contacted: [
      'Contatado',
      'Contatada',
      'Contactado',
      'Em atendimento',
      'Atendimento',
      'Atendido',
      'Em contato',
      'Contato feito',
      'Contato realizado',
      'Primeiro contato',
      'Em andamento',
      'Aguardando retorno',
      'Follow up',
      'In progress',
      'Working',
    ],
    qualified: [
      'Qualificado',
      'Qualificada',
      'Visita',
      'Visita agendada',
      'Visita marcada',
      'Visita realizada',
      'Agendado',
      'Proposta',
      'Proposta enviada',
      'Negociação',
      'Em negociação',
      'Oportunidade',
      'Opportunity',
      'Visit',
      'Visit scheduled',
      'Proposal',
      'Negotiation',
    ],
    converted: [
      'Convertido',
      'Convertida',
      'Ganho',
      'Ganha',
      'Fechado',
      'Fechada',
      'Fechou',
      'Negócio fechado',
      'Vendido',
      'Vendida',
      'Alugado',
      'Alugada',
      'Contrato assinado',
      'Won',
      'Closed won',
      'Sold',
      'Rented',
    ],
    lost: [
      'Perdido',
      'Perdida',
      'Descartado',
      'Descartada',
      'Desistiu',
      'Cancelado',
      'Cancelada',
      'Arquivado',
      'Arquivada',
      'Sem interesse',
      'Não qualificado',
      'Desqualificado',
      'Negócio perdido',
      'Fechado com outro',
      'Fechou com outro',
      'Fechou com outra',
      'Comprou com outro',
      'Comprou com outra',
      'Alugou com outro',
      'Alugou com outra',
      'Closed lost',
      'Discarded',
      'Disqualified',
      'Archived',
    ],
  }),
)

// Portals (ZAP is ZAP Imóveis, as in the portal intake; "Zap zap" is WhatsApp), ads and social networks. Google is the
// agency's site (its ads and search land there). Offline media (a sign, a newspaper) have no value of their own: they
// stay unknown, so the importer keeps them as the detail of `other`.
const SOURCES = phraseMap(
  withValues(leadSources, {
    website: [
      'Site',
      'Website',
      'Web site',
      'Site próprio',
      'Nosso site',
      'Formulário do site',
      'Landing page',
      'Internet',
      'Chat do site',
      'Google',
      'Google Ads',
      'Adwords',
    ],
    portal: [
      'Portal',
      'Portais',
      'Portal imobiliário',
      'ZAP',
      'ZAP Imóveis',
      'Zapimoveis',
      'Viva Real',
      'Vivareal',
      'OLX',
      'Grupo OLX',
      'Imovelweb',
      'Imóvel web',
      'Chaves na Mão',
      'Casa Mineira',
      'Wimóveis',
      'DF Imóveis',
      'Mercado Livre',
    ],
    whatsapp: ['WhatsApp', 'Whats', 'Wpp', 'Zap zap', 'Zapzap'],
    referral: [
      'Indicação',
      'Indicado',
      'Indicada',
      'Referral',
      'Recomendação',
      'Boca a boca',
      'Parceiro',
      'Parceria',
      'Corretor parceiro',
    ],
    walk_in: [
      'Visita à loja',
      'Walk-in',
      'Loja',
      'Plantão',
      'Plantão de vendas',
      'Stand de vendas',
      'Escritório',
      'Imobiliária',
      'Presencial',
      'Balcão',
    ],
    phone: ['Telefone', 'Ligação', 'Telefonema', 'Fone', 'Tel', 'Phone', 'Phone call', 'Call'],
    social: [
      'Redes sociais',
      'Rede social',
      'Mídias sociais',
      'Mídia social',
      'Social',
      'Social media',
      'Instagram',
      'Insta',
      'Facebook',
      'FB',
      'Meta',
      'Meta Ads',
      'Facebook Ads',
      'Instagram Ads',
      'TikTok',
      'YouTube',
      'LinkedIn',
    ],
    other: ['Outra', 'Outro', 'Outras', 'Outros', 'Others'],
  }),
)

// "Venda" is what a buyer's sheet says (the listing is for sale). A lead open to both has no single interest: null.
const INTERESTS = phraseMap<LeadInterest | null>([
  ...withValues(leadInterests, {
    buy: ['Comprar', 'Compra', 'Comprador', 'Compradora', 'Venda', 'Vendas', 'À venda', 'Buyer', 'Purchase', 'Sale'],
    rent: [
      'Alugar',
      'Aluguel',
      'Locação',
      'Locar',
      'Locatário',
      'Locatária',
      'Inquilino',
      'Temporada',
      'Rental',
      'Lease',
    ],
  }),
  [
    null,
    [
      'Ambos',
      'Ambas',
      'Both',
      'Venda e locação',
      'Venda ou locação',
      'Compra e aluguel',
      'Compra ou aluguel',
      'Comprar ou alugar',
      'Comprar e alugar',
      'Indiferente',
      'Tanto faz',
    ],
  ],
])

// Portals' and CRMs' finer types folded into ours; the VRSync names are what the listing feed writes.
const PROPERTY_TYPES = phraseMap(
  withValues(propertyTypes, {
    apartment: [
      'Apartamento',
      'Apartamentos',
      'Apto',
      'Ap',
      'Apt',
      'Flat',
      'Cobertura',
      'Penthouse',
      'Kitnet',
      'Kitinete',
      'Quitinete',
      'Conjugado',
      'Studio',
      'Estúdio',
      'Loft',
      'Condo',
      'Residential / Apartment',
      'Residential / Penthouse',
      'Residential / Flat',
      'Residential / Kitnet',
    ],
    house: [
      'Casa',
      'Casas',
      'Sobrado',
      'Casa térrea',
      'Casa de condomínio',
      'Casa em condomínio',
      'Casa de vila',
      'Residência',
      'Home',
      'Townhouse',
      'Residential / Home',
      'Residential / Condo',
      'Residential / Sobrado',
      'Residential / Village House',
    ],
    land: [
      'Terreno',
      'Terrenos',
      'Lote',
      'Lotes',
      'Loteamento',
      'Área',
      'Gleba',
      'Lot',
      'Plot',
      'Residential / Land Lot',
      'Commercial / Land Lot',
    ],
    commercial: [
      'Comercial',
      'Sala',
      'Salas',
      'Sala comercial',
      'Conjunto comercial',
      'Loja',
      'Salão',
      'Ponto comercial',
      'Galpão',
      'Barracão',
      'Depósito',
      'Armazém',
      'Prédio',
      'Prédio comercial',
      'Edifício comercial',
      'Escritório',
      'Consultório',
      'Imóvel comercial',
      'Casa comercial',
      'Hotel',
      'Pousada',
      'Office',
      'Store',
      'Shop',
      'Retail',
      'Warehouse',
      'Building',
      'Industrial',
      'Commercial / Building',
      'Commercial / Business',
      'Commercial / Office',
      'Commercial / Industrial',
    ],
    rural: [
      'Chácara',
      'Sítio',
      'Fazenda',
      'Rancho',
      'Haras',
      'Área rural',
      'Terreno rural',
      'Farm',
      'Ranch',
      'Residential / Farm Ranch',
      'Residential / Agricultural',
      'Commercial / Agricultural',
    ],
    other: ['Outro', 'Outros', 'Outra', 'Others'],
  }),
)

// What a client is to the agency. The owner who lists a property is its seller; one who lets it is the landlord.
const CLIENT_TYPES = phraseMap(
  withValues(clientTypeValues, {
    buyer: ['Comprador', 'Compradora', 'Compradores', 'Buyer', 'Buyers', 'Purchaser'],
    seller: [
      'Vendedor',
      'Vendedora',
      'Vendedores',
      'Proprietário',
      'Proprietária',
      'Proprietários',
      'Dono',
      'Dona',
      'Vendedor / proprietário',
      'Seller',
      'Sellers',
      'Vendor',
      'Owner',
      'Seller / owner',
    ],
    tenant: [
      'Inquilino',
      'Inquilina',
      'Inquilinos',
      'Locatário',
      'Locatária',
      'Locatários',
      'Arrendatário',
      'Arrendatária',
      'Tenant',
      'Tenants',
      'Renter',
      'Lessee',
    ],
    landlord: [
      'Locador',
      'Locadora',
      'Locadores',
      'Senhorio',
      'Senhoria',
      'Arrendador',
      'Arrendadora',
      'Landlord',
      'Landlords',
      'Lessor',
    ],
  }),
)

// A listing's business. headerKey turns "Venda/Locação" and "Venda, aluguel" into "venda locacao" and "venda aluguel".
const PURPOSES = phraseMap(
  withValues(propertyPurposes, {
    sale: [
      'Venda',
      'Vendas',
      'Vende-se',
      'À venda',
      'Para venda',
      'Comprar',
      'Compra',
      'Sale',
      'Sell',
      'For sale',
      'Selling',
    ],
    rent: [
      'Aluguel',
      'Alugar',
      'Aluga-se',
      'Para alugar',
      'Locação',
      'Locar',
      'Temporada',
      'Aluguel de temporada',
      'Locação por temporada',
      'Rent',
      'Rental',
      'Lease',
      'For rent',
      'For lease',
      'Vacation rental',
    ],
    both: [
      'Venda e locação',
      'Venda ou locação',
      'Venda locação',
      'Venda e aluguel',
      'Venda ou aluguel',
      'Venda aluguel',
      'Locação e venda',
      'Locação ou venda',
      'Locação venda',
      'Aluguel e venda',
      'Aluguel ou venda',
      'Aluguel venda',
      'Vende-se ou aluga-se',
      'Vende-se e aluga-se',
      'Ambos',
      'Ambas',
      'Both',
      'Sale and rent',
      'Sale or rent',
      'Sale rent',
      'Rent and sale',
      'Rent or sale',
      'For sale and rent',
      'For sale or rent',
    ],
  }),
)

// Where a listing stands. A listing under offer is reserved; one withdrawn by the owner or the agency is off the market.
const PROPERTY_STATUSES = phraseMap(
  withValues(propertyStatuses, {
    available: [
      'Disponível',
      'Ativo',
      'Ativa',
      'À venda',
      'Para alugar',
      'Para venda',
      'Em oferta',
      'Publicado',
      'Publicada',
      'Available',
      'Active',
      'For sale',
      'For rent',
      'Listed',
    ],
    reserved: [
      'Reservado',
      'Reservada',
      'Em negociação',
      'Negociação',
      'Com proposta',
      'Proposta',
      'Reserved',
      'Under offer',
      'Under contract',
      'Pending',
    ],
    sold: ['Vendido', 'Vendida', 'Sold'],
    rented: ['Alugado', 'Alugada', 'Locado', 'Locada', 'Rented', 'Leased', 'Let'],
    off_market: [
      'Inativo',
      'Inativa',
      'Suspenso',
      'Suspensa',
      'Fora do mercado',
      'Indisponível',
      'Retirado',
      'Retirada',
      'Desativado',
      'Desativada',
      'Arquivado',
      'Arquivada',
      'Off market',
      'Inactive',
      'Unavailable',
      'Withdrawn',
      'Suspended',
      'Archived',
    ],
  }),
)

// No label is this long; longer cells are not looked up word by word.
const MAX_PHRASE_LENGTH = 200

/**
 * The value of the longest phrase that is the whole cell or its first words: "Perdido - sem resposta" is lost,
 * "Facebook Ads campanha Jardins" is social, "Fechou com outro corretor" is lost rather than "Fechou". Undefined when
 * nothing matches.
 */
function lookup<T>(map: ReadonlyMap<string, T>, text: string): T | undefined {
  if (text.length > MAX_PHRASE_LENGTH) return undefined
  const key = headerKey(text)
  for (let end = key.length; end > 0; end = key.lastIndexOf(' ', end - 1)) {
    const value = map.get(end === key.length ? key : key.slice(0, end))
    if (value !== undefined) return value
  }
  return undefined
}

/** A lead status from what other CRMs and spreadsheets write (see STATUSES), our values, or either locale's labels. */
export function readStatus(raw: string): Read<LeadStatus | null> {
  const s = filled(raw)
  if (s === null) return ok(null)
  const status = lookup(STATUSES, s)
  return status === undefined ? fail('statusUnknown') : ok(status)
}

/**
 * A lead source from a portal's, network's or channel's name (see SOURCES). sourceUnknown for anything else: the
 * importer then files the lead under `other` with the cell as the source detail.
 */
export function readSource(raw: string): Read<LeadSource | null> {
  const s = filled(raw)
  if (s === null) return ok(null)
  const source = lookup(SOURCES, s)
  return source === undefined ? fail('sourceUnknown') : ok(source)
}

// A marketing consent column (LGPD, decision 037): what a yes or a no looks like in agencies' sheets and CRM exports.
const YES_NO = phraseMap<boolean>([
  [
    true,
    [
      'Sim',
      'S',
      'Aceita',
      'Aceito',
      'Autorizado',
      'Autoriza',
      'Concedido',
      'Opt-in',
      'Yes',
      'Y',
      'True',
      '1',
      'X',
      'Granted',
    ],
  ],
  [
    false,
    [
      'Não',
      'N',
      'Recusa',
      'Recusou',
      'Não aceita',
      'Não autoriza',
      'Revogado',
      'Opt-out',
      'Descadastrado',
      'No',
      'False',
      '0',
      'Revoked',
      'Declined',
    ],
  ],
])

/** A yes or no (a consent column): true, false, or null for an empty cell. */
export function readYesNo(raw: string): Read<boolean | null> {
  const s = filled(raw)
  if (s === null) return ok(null)
  const value = s.length > MAX_PHRASE_LENGTH ? undefined : YES_NO.get(headerKey(s))
  return value === undefined ? fail('consentUnreadable') : ok(value)
}

/** Buy or rent (see INTERESTS); a lead open to both reads as null, like an empty cell. */
export function readInterest(raw: string): Read<LeadInterest | null> {
  const s = filled(raw)
  if (s === null) return ok(null)
  const interest = lookup(INTERESTS, s)
  return interest === undefined ? fail('interestUnknown') : ok(interest)
}

// Items are trimmed after the split: spaces around a separator here would make the split quadratic on a cell of spaces.
const PHRASE_SEPARATORS = /[,;/|+&]|\s(?:e|ou|and|or)\s/i

/**
 * A list of a phrase map's values separated by , ; / | + & or " e " / " ou ", without repeats; any item unknown →
 * `unknown`. The whole cell is tried first, for names that hold a separator ("Residential / Apartment").
 */
function readPhrases<T>(raw: string, map: ReadonlyMap<string, T>, unknown: ImportReason): Read<T[]> {
  const s = filled(raw)
  if (s === null) return ok([])
  const whole = s.length > MAX_PHRASE_LENGTH ? undefined : map.get(headerKey(s))
  if (whole !== undefined) return ok([whole])
  const values: T[] = []
  for (const part of s.split(PHRASE_SEPARATORS)) {
    const item = part.trim()
    if (!item) continue
    const value = lookup(map, item)
    if (value === undefined) return fail(unknown)
    if (!values.includes(value)) values.push(value)
  }
  return ok(values)
}

/** Property types (see PROPERTY_TYPES) as readPhrases reads them: "Apartamento, Casa" → ['apartment', 'house']. */
export function readPropertyTypes(raw: string): Read<PropertyType[]> {
  return readPhrases(raw, PROPERTY_TYPES, 'propertyTypeUnknown')
}

/** What a client is (see CLIENT_TYPES), as readPhrases reads them: "Comprador e locador" → ['buyer', 'landlord']. */
export function readClientTypes(raw: string): Read<ClientType[]> {
  return readPhrases(raw, CLIENT_TYPES, 'clientTypeUnknown')
}

/** Sale, rent or both (see PURPOSES): "Venda", "Locação", "Venda/Locação". */
export function readPurpose(raw: string): Read<PropertyPurpose | null> {
  const s = filled(raw)
  if (s === null) return ok(null)
  const purpose = lookup(PURPOSES, s)
  return purpose === undefined ? fail('purposeUnknown') : ok(purpose)
}

/** A listing's status (see PROPERTY_STATUSES): "Disponível", "Em negociação", "Vendido", "Suspenso". */
export function readPropertyStatus(raw: string): Read<PropertyStatus | null> {
  const s = filled(raw)
  if (s === null) return ok(null)
  const status = lookup(PROPERTY_STATUSES, s)
  return status === undefined ? fail('propertyStatusUnknown') : ok(status)
}

const LIST_SEPARATORS = /[,;|\r\n]+/
const SPACES = /\s+/g
const MAX_ITEM_LENGTH = 100

/**
 * Tags or places: split on , ; | and line breaks (Alt+Enter in Excel), spaces collapsed, empties and placeholders
 * dropped, repeats dropped case-blind (the first spelling stays), each cut to 100 characters. NUL and lone surrogates
 * are cleaned as for any imported text. The lead's own limits (count, length) are the schema's to check.
 */
export function readList(raw: string): string[] {
  const items: string[] = []
  const seen = new Set<string>()
  for (const part of cleanText(raw).split(LIST_SEPARATORS)) {
    let item = filled(part.replace(SPACES, ' '))
    if (item === null) continue
    if (item.length > MAX_ITEM_LENGTH) {
      // Never cut between the two halves of a surrogate pair.
      const end = (item.charCodeAt(MAX_ITEM_LENGTH - 1) & 0xfc00) === 0xd800 ? MAX_ITEM_LENGTH - 1 : MAX_ITEM_LENGTH
      item = item.slice(0, end).trimEnd()
    }
    const key = item.toLowerCase()
    if (seen.has(key)) continue
    seen.add(key)
    items.push(item)
  }
  return items
}

// ---------------------------------------------------------------------------------------------------------------
// Column mapping

/**
 * Which field each header maps to, given aliases per field (compared through headerKey): first headers equal to an
 * alias, then headers starting with one, then headers containing one, as whole words and the longest alias first
 * ("Valor mínimo do imóvel" is budgetMin, not budgetMax's "Valor"). Each field goes to one header, in header order,
 * except the `repeatable` ones (several phone columns). One entry per header: the field, or null.
 */
export function guessMapping<F extends string>(
  headers: readonly string[],
  aliases: Record<F, readonly string[]>,
  repeatable: readonly F[] = [],
): (F | null)[] {
  const candidates = (Object.entries(aliases) as [F, readonly string[]][])
    .flatMap(([field, names]) => names.map((name) => ({ field, alias: headerKey(name) })))
    .filter((c) => c.alias)
    .sort((a, b) => b.alias.length - a.alias.length)
  const keys = headers.map(headerKey)
  const mapping: (F | null)[] = headers.map(() => null)
  const taken = new Set<F>()
  const passes: ((key: string, alias: string) => boolean)[] = [
    (key, alias) => key === alias,
    (key, alias) => key.startsWith(`${alias} `),
    (key, alias) => ` ${key} `.includes(` ${alias} `),
  ]
  for (const matches of passes)
    keys.forEach((key, i) => {
      if (mapping[i] !== null || !key) return
      const hit = candidates.find((c) => !taken.has(c.field) && matches(key, c.alias))
      if (!hit) return
      mapping[i] = hit.field
      if (!repeatable.includes(hit.field)) taken.add(hit.field)
    })
  return mapping
}

export type LeadImportField =
  | 'name'
  | 'phones'
  | 'email'
  | 'source'
  | 'sourceDetail'
  | 'status'
  | 'interest'
  | 'budgetMin'
  | 'budgetMax'
  | 'propertyTypes'
  | 'locations'
  | 'minBedrooms'
  | 'notes'
  | 'tags'
  | 'assignee'
  | 'createdAt'
  | 'marketingConsent'

/**
 * Column names for each lead field as agencies type them and CRMs export them (Jetimob, Kenlo/Ingaia, Vista, Imobzi,
 * Pipedrive's "Person - Name", RD Station), in pt-BR and English, and the headers of Impera's own CSV export in both
 * locales and of the agency export's leads.csv (decision 041), so an export imports back.
 */
export const leadFieldAliases: Record<LeadImportField, readonly string[]> = {
  name: ['Nome', 'Nome completo', 'Nome do cliente', 'Nome do lead', 'Cliente', 'Contato', 'Name', 'Full name'],
  phones: [
    'Telefone',
    'Telefones',
    'Telefone 1',
    'Telefone 2',
    'Celular',
    'Celulares',
    'WhatsApp',
    'Fone',
    'Tel',
    'Phone',
    'Phones',
    'Mobile',
    'Cell',
  ],
  email: ['E-mail', 'Email', 'E-mails', 'Correio eletrônico', 'Endereço de e-mail', 'Email address'],
  source: [
    'Origem',
    'Origem do lead',
    'Fonte',
    'Mídia',
    'Mídia de origem',
    'Canal',
    'Source',
    'Lead source',
    'Channel',
  ],
  sourceDetail: ['Origem detalhe', 'Detalhe da origem', 'Campanha', 'Campaign', 'Source detail'],
  status: ['Status', 'Etapa', 'Etapa do funil', 'Fase', 'Situação', 'Estágio', 'Estágio do funil', 'Stage'],
  interest: [
    'Interesse',
    'Finalidade',
    'Transação',
    'Tipo de transação',
    'Negócio',
    'Tipo de negócio',
    'Interest',
    'Purpose',
    'Transaction',
  ],
  budgetMin: [
    'Valor mínimo',
    'Orçamento mínimo',
    'Orçamento de',
    'Orçamento a partir de',
    'Preço mínimo',
    'Min price',
    'Minimum price',
    'Budget from',
    'Budget min',
  ],
  budgetMax: [
    'Valor',
    'Valor máximo',
    'Orçamento',
    'Orçamento máximo',
    'Orçamento até',
    'Preço',
    'Preço máximo',
    'Budget',
    'Max price',
    'Maximum price',
    'Budget up to',
    'Budget max',
    'Price',
    'Value',
  ],
  propertyTypes: ['Tipo de imóvel', 'Tipos de imóvel', 'Tipo do imóvel', 'Tipo', 'Property type', 'Property types'],
  locations: [
    'Bairro',
    'Bairros',
    'Região',
    'Regiões',
    'Cidade',
    'Localização',
    'Bairros / cidades',
    'Neighborhood',
    'Neighbourhood',
    'Neighbourhoods / cities',
    'Location',
    'Locations',
    'City',
  ],
  minBedrooms: ['Quartos', 'Mínimo de quartos', 'Dormitórios', 'Dorms', 'Bedrooms', 'Minimum bedrooms', 'Min bedrooms'],
  notes: ['Observações', 'Observação', 'Obs', 'Notas', 'Descrição', 'Comentários', 'Mensagem', 'Notes', 'Comments'],
  tags: ['Tags', 'Etiquetas', 'Marcadores', 'Labels'],
  assignee: [
    'Corretor',
    'Corretora',
    'Responsável',
    'Agente',
    'Atendente',
    'Owner',
    'Assigned to',
    'Agent',
    'Assignee',
    'Assignee email',
  ],
  createdAt: [
    'Data de cadastro',
    'Data de criação',
    'Criado em',
    'Cadastrado em',
    'Data',
    'Created at',
    'Created',
    'Date created',
  ],
  marketingConsent: [
    'Consentimento',
    'Consentimento de marketing',
    'Consentimento LGPD',
    'Aceita marketing',
    'Aceita receber ofertas',
    'Aceita receber novidades',
    'Autoriza contato',
    'Autoriza marketing',
    'Opt-in',
    'Optin',
    'LGPD',
    'Marketing consent',
    'Consent',
    'Accepts marketing',
  ],
}
