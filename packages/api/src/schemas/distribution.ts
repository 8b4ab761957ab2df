import { distributionModes, leadInterests, leadSources } from '@impera/db/enums'
import { z } from 'zod'
import { stringList, zCents, zName, zUuid } from './common'
import { zBusinessHours } from './agency'

/** A list of enum values from a form (repeated checkboxes) or the API; duplicates dropped. */
const enumList = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .union([z.array(z.enum(values)), z.enum(values)])
    .transform((v) => [...new Set(Array.isArray(v) ? v : [v])])
    .pipe(z.array(z.enum(values)).max(values.length, 'validation.tooMany'))
    .default([])

/** The distribution's agency-wide settings (decision 027). */
export const ZDistributionSettingsInput = z.object({
  /** A lead that came for a listing goes first to the listing's agent. */
  listingAgent: z.boolean(),
  /** Business minutes to first contact before the lead moves on; empty or null = no SLA. */
  slaMinutes: z.preprocess(
    (v) => (v === '' ? null : v),
    z.coerce.number().int('validation.integer').min(1, 'validation.min').max(10_080, 'validation.max').nullish(),
  ),
})
export type TDistributionSettingsInput = z.infer<typeof ZDistributionSettingsInput>

/** A rule: its conditions (empty = any) and the members it hands leads to, with their weights (1–10). */
export const ZDistributionRuleInput = z
  .object({
    id: zUuid.optional(),
    name: zName,
    enabled: z.boolean().default(true),
    sources: enumList(leadSources),
    interests: enumList(leadInterests),
    budgetMin: zCents,
    budgetMax: zCents,
    locations: stringList(30, 80),
    /** Weighted turns, or offered to the members for the first to claim it within `claimMinutes` (decision 031). */
    mode: z.enum(distributionModes).default('round_robin'),
    claimMinutes: z.coerce
      .number()
      .int('validation.integer')
      .min(1, 'validation.min')
      .max(240, 'validation.max')
      .default(5),
    members: z
      .array(
        z.object({
          userId: zUuid,
          weight: z.coerce.number().int('validation.integer').min(1, 'validation.min').max(10, 'validation.max'),
        }),
      )
      .min(1, 'distribution.membersRequired')
      .max(200, 'validation.tooMany')
      .refine((m) => new Set(m.map((x) => x.userId)).size === m.length, 'distribution.membersRepeated'),
  })
  .refine((r) => r.budgetMin === null || r.budgetMax === null || r.budgetMin <= r.budgetMax, {
    path: ['budgetMax'],
    message: 'distribution.bandInverted',
  })
export type TDistributionRuleInput = z.infer<typeof ZDistributionRuleInput>

export const ZDistributionRuleIdInput = z.object({ id: zUuid })
/** "Pegar" a lead offered to the actor (decision 031). */
export const ZClaimLeadInput = z.object({ leadId: zUuid })
export type TClaimLeadInput = z.infer<typeof ZClaimLeadInput>
export const ZMoveDistributionRuleInput = z.object({ id: zUuid, direction: z.enum(['up', 'down']) })
export type TMoveDistributionRuleInput = z.infer<typeof ZMoveDistributionRuleInput>

/** A member's availability for new leads: paused (vacation, a day off) and working hours (null = always). */
export const ZMemberAvailabilityInput = z.object({
  userId: zUuid,
  paused: z.boolean(),
  workingHours: zBusinessHours.nullable(),
})
export type TMemberAvailabilityInput = z.infer<typeof ZMemberAvailabilityInput>
