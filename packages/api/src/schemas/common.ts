import { z } from 'zod'
import { isCalendarDay } from './days'

// eslint-disable-next-line no-control-regex -- finding NUL is the point
const NUL = /\u0000/g
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

/** True when a string holds what Postgres cannot store: NUL (text refuses it) or a lone surrogate (not valid UTF-8). */
export function hasUnsafeChars(s: string): boolean {
  NUL.lastIndex = 0
  LONE_SURROGATE.lastIndex = 0
  return NUL.test(s) || LONE_SURROGATE.test(s)
}

/**
 * Text received from outside that must be kept rather than refused (webhook bodies, imported files, search boxes):
 * NUL is dropped and a lone surrogate becomes U+FFFD, so the rest of the text survives.
 */
export function cleanText(s: string): string {
  return s.replace(NUL, '').replace(LONE_SURROGATE, '\ufffd')
}

/**
 * The base of every free-text field people or API clients send: NUL and lone surrogates are refused with a field
 * error (storing a silently changed value would be worse), so no text reaches Postgres that it would refuse.
 */
export const zText = () => z.string().refine((s) => !hasUnsafeChars(s), 'validation.invalidCharacters')

/** Search boxes: unsafe characters are dropped instead of refused, since a query is never stored. */
export const zQuery = (max: number) => z.string().overwrite(cleanText).trim().max(max, 'validation.tooLong')

/** Shared field rules, so forms and procedures reject the same things with the same messages. */
export const zEmail = zText().trim().toLowerCase().max(254, 'validation.tooLong').pipe(z.email('validation.email'))
export const zName = zText().trim().min(1, 'validation.required').max(120, 'validation.tooLong')
export const zUuid = z.uuid('validation.invalidId')
export const zLocale = z.enum(['pt-BR', 'en'])
export const zPassword = zText().min(8, 'validation.passwordTooShort').max(256, 'validation.tooLong')
export const zPhone = z
  .string()
  .trim()
  .max(32, 'validation.tooLong')
  .regex(/^\+?[0-9 ()-]{8,}$/, 'validation.phone')

/** A required single-line or multi-line text of at most `max` characters, trimmed. */
export const requiredText = (max: number) => zText().trim().min(1, 'validation.required').max(max, 'validation.tooLong')

export const optionalText = (max: number) =>
  zText()
    .trim()
    .max(max, 'validation.tooLong')
    .transform((v) => (v === '' ? null : v))
    .nullish()
    .transform((v) => v ?? null)

/**
 * Instants Postgres and JavaScript both read the same way: years 1 to 9999. Outside them a Date serialises as
 * "+010000-…", which Postgres refuses, so a forged or typo'd year is a field error here instead.
 */
export const MIN_INSTANT = new Date('0001-01-01T00:00:00.000Z')
export const MAX_INSTANT = new Date('9999-12-31T23:59:59.999Z')
export const zInstant = z.coerce
  .date('validation.date')
  .min(MIN_INSTANT, 'validation.date')
  .max(MAX_INSTANT, 'validation.date')

export { isCalendarDay } from './days'

/** A calendar day as YYYY-MM-DD that exists (no 2024-02-30), in years 1 to 9999. */
export const zDay = z.string().refine((v) => isCalendarDay(v), 'validation.day')

/** Money typed by people ("1.500,00", "1500.5", "R$ 2.000") or sent as integer cents by API clients. */
export const zCents = z
  .union([z.number(), z.string()])
  .transform((v, ctx) => {
    if (typeof v === 'number') return v
    const s = v.replace(/[^\d,.-]/g, '')
    if (s === '') return null
    // Decimal separator: the last ',' or '.' followed by 1-2 digits at the end.
    const m = /^(.*?)[,.](\d{1,2})$/.exec(s)
    const whole = (m ? m[1]! : s).replace(/[.,]/g, '')
    const cents = m ? Number(m[2]!.padEnd(2, '0')) : 0
    const n = Number(whole) * 100 + cents
    if (!Number.isFinite(n)) {
      ctx.addIssue({ code: 'custom', message: 'validation.money' })
      return z.NEVER
    }
    return n
  })
  .pipe(z.number().int('validation.money').min(0, 'validation.money').max(1e13, 'validation.money').nullable())
  .nullish()
  .transform((v) => v ?? null)

export const stringList = (maxItems: number, maxLen: number) =>
  z
    .union([z.array(z.string()), z.string()])
    .transform((v) => (Array.isArray(v) ? v : v.split(/[,\n]/)).map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(zText().max(maxLen, 'validation.tooLong')).max(maxItems, 'validation.tooMany'))
    .default([])

export const zOptionalEmail = zText()
  .trim()
  .toLowerCase()
  .max(254, 'validation.tooLong')
  .transform((v) => (v === '' ? null : v))
  .pipe(z.email('validation.email').nullable())
  .nullish()
  .transform((v) => v ?? null)

/** A count typed in a form ("", "3") or sent as a number: bedrooms, parking spaces… */
export const zSmallInt = (max: number) =>
  z
    .union([z.number(), z.string()])
    .transform((v) => (v === '' ? null : Number(v)))
    .pipe(z.number().int('validation.number').min(0, 'validation.number').max(max, 'validation.number').nullable())
    .nullish()
    .transform((v) => v ?? null)

/** A member's user id from a picker; "" (the "nobody" option) means unassigned. */
export const zOptionalAssignee = z
  .union([zUuid, z.literal('')])
  .nullish()
  .transform((v) => (v ? v : null))

/** A yes/no filter as a URL carries it (`?overdue=true`) or a client sends it (`true`); absent means off. */
export const zFlag = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
  .transform((v) => v === true || v === 'true' || v === '1')
