import { z } from 'zod'

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
export const zEmail = z.string().trim().toLowerCase().max(254, 'validation.tooLong').pipe(z.email('validation.email'))
export const zName = z.string().trim().min(1, 'validation.required').max(120, 'validation.tooLong')
export const zUuid = z.uuid('validation.invalidId')
export const zLocale = z.enum(['pt-BR', 'en'])
export const zPassword = z.string().min(8, 'validation.passwordTooShort').max(256, 'validation.tooLong')
export const zPhone = z
  .string()
  .trim()
  .max(32, 'validation.tooLong')
  .regex(/^\+?[0-9 ()-]{8,}$/, 'validation.phone')

export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, 'validation.tooLong')
    .transform((v) => (v === '' ? null : v))
    .nullish()
    .transform((v) => v ?? null)

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
    .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.string().max(maxLen, 'validation.tooLong')).max(maxItems, 'validation.tooMany'))
    .default([])

export const zOptionalEmail = z
  .string()
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
