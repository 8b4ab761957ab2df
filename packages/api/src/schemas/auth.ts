import { z } from 'zod'
import { zEmail, zName, zPassword, zText } from './common'

export const ZSignInInput = z.object({
  email: zEmail,
  password: zText().min(1, 'validation.required').max(256, 'validation.tooLong'),
})
export type TSignInInput = z.infer<typeof ZSignInInput>

export const ZRequestPasswordResetInput = z.object({ email: zEmail })
export type TRequestPasswordResetInput = z.infer<typeof ZRequestPasswordResetInput>

export const ZCompletePasswordResetInput = z
  .object({ token: zText().min(20).max(200), password: zPassword, confirm: zText().max(256) })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'validation.passwordsDiffer' })
export type TCompletePasswordResetInput = z.infer<typeof ZCompletePasswordResetInput>

export const ZChangePasswordInput = z
  .object({
    currentPassword: zText().min(1, 'validation.required').max(256),
    password: zPassword,
    confirm: zText().max(256),
  })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'validation.passwordsDiffer' })
export type TChangePasswordInput = z.infer<typeof ZChangePasswordInput>

export const ZAcceptInvitationInput = z
  .object({ token: zText().min(20).max(200), name: zName, password: zPassword, confirm: zText().max(256) })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'validation.passwordsDiffer' })
export type TAcceptInvitationInput = z.infer<typeof ZAcceptInvitationInput>
