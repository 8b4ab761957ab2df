import { z } from 'zod'
import { zLocale, zName, zPhone, zUuid } from './common'

export const ZUpdateProfileInput = z.object({
  name: zName,
  phone: z.union([zPhone, z.literal('').transform(() => null)]).nullable(),
  locale: zLocale,
})
export type TUpdateProfileInput = z.infer<typeof ZUpdateProfileInput>

export const ZRevokeSessionInput = z.object({ sessionId: zUuid })
export const ZSetLocaleInput = z.object({ locale: zLocale })
export type TSetLocaleInput = z.infer<typeof ZSetLocaleInput>
