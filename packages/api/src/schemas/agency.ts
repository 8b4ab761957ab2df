import { aiModes, aiProviders, memberRoles } from '@impera/db/enums'
import { z } from 'zod'
import { requiredText, stringList, zEmail, zLocale, zName, zText, zUuid } from './common'
import { parseRange, weekdays } from '../business-hours'
import { BRAND_COLOR } from '../branding'
import { zWebhookUrl } from './webhooks'

export const zAgencyRole = z.enum(memberRoles)

/** A weekday's opening hours: ranges `HH:MM-HH:MM`, typed comma-separated or as a list; none = closed. */
const zDayHours = z
  .union([z.array(z.string()), z.string()])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((r) => r.replace(/\s+/g, '')).filter(Boolean))
  .pipe(
    z
      .array(zText().refine((r) => parseRange(r) !== null, 'settings.businessHours.invalid'))
      .max(4, 'validation.tooMany'),
  )
export const zBusinessHours = z.object(
  Object.fromEntries(weekdays.map((d) => [d, zDayHours])) as Record<(typeof weekdays)[number], typeof zDayHours>,
)

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
  /**
   * The professional registration clients see (CRECI in Brazil, e.g. "CRECI/SP 12345-J"): letters, digits and the
   * separators such numbers use; '' clears it; absent = unchanged.
   */
  licenseNumber: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? null : v),
    zText()
      .trim()
      .max(40, 'validation.tooLong')
      .regex(/^[\p{L}\p{N}][\p{L}\p{N} ./-]*$/u, 'settings.licenseNumberFormat')
      .nullish(),
  ),
  /** The agency's colour (#rrggbb) as the app's primary colour; '' or null = Impera's own; absent = unchanged. */
  brandColor: z.preprocess(
    (v) => (typeof v === 'string' ? (v.trim() === '' ? null : v.trim().toLowerCase()) : v),
    z.string().regex(BRAND_COLOR, 'settings.brandColorFormat').nullish(),
  ),
  /** WhatsApp conversations' AI mode where their number sets none (decision 019); absent = unchanged. */
  aiMode: z.enum(aiModes).optional(),
  /** Hours without a human reply after which a taken-over conversation returns to the AI; empty or null = never. */
  aiReturnAfterHours: z.preprocess(
    (v) => (v === '' ? null : v),
    z.coerce.number().int('validation.integer').min(1, 'validation.min').max(720, 'validation.max').nullish(),
  ),
  /** The return rule counts only opening hours ("horas úteis"); absent = unchanged. */
  aiReturnBusinessHours: z.boolean().optional(),
  /** Opening hours per weekday (decision 021); absent = unchanged. */
  businessHours: zBusinessHours.optional(),
  /** A person's first WhatsApp reply moves a new lead to contacted; absent = unchanged. */
  contactedOnFirstReply: z.boolean().optional(),
})
export type TUpdateAgencySettingsInput = z.infer<typeof ZUpdateAgencySettingsInput>

const zCount = (min: number, max: number) =>
  z.coerce.number().int('validation.integer').min(min, 'validation.min').max(max, 'validation.max')

/** The AI agent's settings (decision 020): who answers in auto, its deadline, pause, guards and words. */
export const ZAgencyAiSettingsInput = z.object({
  aiProvider: z.enum(aiProviders),
  /** How long an external agent may take to answer before a person gets the conversation. */
  aiTurnDeadlineSeconds: zCount(10, 3600),
  /** The built-in agent waits this long after the contact's last message, so a burst is one answer. */
  aiDebounceMs: zCount(0, 30_000),
  aiMaxBotStreak: zCount(1, 50),
  aiMaxBotPerMinute: zCount(1, 60),
  /** Typed one per line or comma-separated; matched as whole words, accents and case aside. */
  aiHandoffPhrases: stringList(30, 60),
  aiOptOutWords: stringList(20, 30),
})
export type TAgencyAiSettingsInput = z.infer<typeof ZAgencyAiSettingsInput>

/**
 * The language model behind the `openai_compatible` provider (decision 021). The key is write-only: empty keeps the
 * saved one, `clearKey` removes it (a local Ollama asks none).
 */
export const ZAiModelInput = z.object({
  baseUrl: zWebhookUrl,
  model: requiredText(200),
  apiKey: zText()
    .trim()
    .max(500, 'validation.tooLong')
    .optional()
    .transform((v) => v || null),
  clearKey: z.boolean().default(false),
  timeoutSeconds: zCount(2, 120),
})
export type TAiModelInput = z.infer<typeof ZAiModelInput>

export const ZInviteMemberInput = z.object({ email: zEmail, role: zAgencyRole })
export type TInviteMemberInput = z.infer<typeof ZInviteMemberInput>

export const ZInvitationIdInput = z.object({ invitationId: zUuid })
export type TInvitationIdInput = z.infer<typeof ZInvitationIdInput>
export const ZMembershipIdInput = z.object({ membershipId: zUuid })
export type TMembershipIdInput = z.infer<typeof ZMembershipIdInput>
export const ZChangeRoleInput = z.object({ membershipId: zUuid, role: zAgencyRole })
export type TChangeRoleInput = z.infer<typeof ZChangeRoleInput>

export const ZSelectAgencyInput = z.object({ agencyId: zUuid })

/** An entry of the agency's FAQ (decision 021): the AI agent answers it when the contact asks. */
export const ZFaqEntryInput = z.object({
  question: requiredText(300),
  answer: requiredText(1000),
  /** Words or phrases that mean the contact asks this; none: the question's own words. */
  keywords: stringList(20, 60),
  enabled: z.boolean().default(true),
})
export type TFaqEntryInput = z.infer<typeof ZFaqEntryInput>
export const ZFaqEntryUpdateInput = ZFaqEntryInput.extend({ id: zUuid })
export type TFaqEntryUpdateInput = z.infer<typeof ZFaqEntryUpdateInput>
export const ZFaqEntryIdInput = z.object({ id: zUuid })
export type TFaqEntryIdInput = z.infer<typeof ZFaqEntryIdInput>
