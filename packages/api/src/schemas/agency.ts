import { aiModes, memberRoles } from '@impera/db/enums'
import { z } from 'zod'
import { zEmail, zLocale, zName, zUuid } from './common'

export const zAgencyRole = z.enum(memberRoles)

export const ZUpdateAgencySettingsInput = z.object({
  name: zName,
  locale: zLocale,
  currency: z.enum(['BRL', 'USD', 'EUR', 'ARS', 'CLP', 'COP', 'MXN', 'PYG', 'UYU', 'PEN']),
  defaultPhoneCountry: z.string().regex(/^[A-Z]{2}$/, 'validation.country'),
  timezone: z
    .string()
    .min(1)
    .max(64)
    .refine((tz) => Intl.supportedValuesOf('timeZone').includes(tz), 'validation.timezone'),
  agentsSeeAll: z.boolean(),
  /** "Needs attention": a new lead uncontacted after this many hours; a reservation untouched for this many days. */
  contactSlaHours: z.coerce.number().int('validation.integer').min(1, 'validation.min').max(720, 'validation.max'),
  staleReservedDays: z.coerce.number().int('validation.integer').min(1, 'validation.min').max(365, 'validation.max'),
  /** WhatsApp conversations' AI mode where their number sets none (decision 019); absent = unchanged. */
  aiMode: z.enum(aiModes).optional(),
  /** Hours without a human reply after which a taken-over conversation returns to the AI; empty or null = never. */
  aiReturnAfterHours: z.preprocess(
    (v) => (v === '' ? null : v),
    z.coerce.number().int('validation.integer').min(1, 'validation.min').max(720, 'validation.max').nullish(),
  ),
})
export type TUpdateAgencySettingsInput = z.infer<typeof ZUpdateAgencySettingsInput>

export const ZInviteMemberInput = z.object({ email: zEmail, role: zAgencyRole })
export type TInviteMemberInput = z.infer<typeof ZInviteMemberInput>

export const ZInvitationIdInput = z.object({ invitationId: zUuid })
export type TInvitationIdInput = z.infer<typeof ZInvitationIdInput>
export const ZMembershipIdInput = z.object({ membershipId: zUuid })
export type TMembershipIdInput = z.infer<typeof ZMembershipIdInput>
export const ZChangeRoleInput = z.object({ membershipId: zUuid, role: zAgencyRole })
export type TChangeRoleInput = z.infer<typeof ZChangeRoleInput>

export const ZSelectAgencyInput = z.object({ agencyId: zUuid })
