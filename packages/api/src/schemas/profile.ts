import { themes } from '@impera/db/enums'
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
/** Light, dark, or the device's choice; saved on the person, so every device they sign in on follows. */
export const ZSetThemeInput = z.object({ theme: z.enum(themes) })
export type TSetThemeInput = z.infer<typeof ZSetThemeInput>
