import { z } from 'zod'

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
