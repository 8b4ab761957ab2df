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
