import { leadInterests, propertyTypes } from '@impera/db/enums'
import { z } from 'zod'
import { zText, zUuid } from './common'

/** Integer cents, as API clients send money. */
const zBudget = z.number().int('validation.money').min(0, 'validation.money').max(1e13, 'validation.money').nullable()

/**
 * Properties for a lead's criteria: the lead's own (`leadId`), or those given here, or the lead's with
 * some of them replaced. A field left out keeps the lead's value; `null` clears it.
 */
export const ZMatchPropertiesInput = z
  .object({
    leadId: zUuid.optional(),
    interest: z.enum(leadInterests).nullable().optional(),
    propertyTypes: z.array(z.enum(propertyTypes)).max(6).optional(),
    budgetMin: zBudget.optional(),
    budgetMax: zBudget.optional(),
    locations: z
      .array(zText().trim().min(1, 'validation.required').max(80, 'validation.tooLong'))
      .max(20, 'validation.tooMany')
      .optional(),
    minBedrooms: z
      .number()
      .int('validation.number')
      .min(0, 'validation.number')
      .max(20, 'validation.number')
      .nullable()
      .optional(),
    limit: z.number().int('validation.number').min(1, 'validation.number').max(50, 'validation.number').default(10),
  })
  .refine(
    (v) =>
      v.leadId !== undefined ||
      [v.interest, v.propertyTypes, v.budgetMin, v.budgetMax, v.locations, v.minBedrooms].some((c) => c !== undefined),
    { path: ['leadId'], message: 'validation.required' },
  )
  .refine((v) => v.budgetMin == null || v.budgetMax == null || v.budgetMin <= v.budgetMax, {
    path: ['budgetMax'],
    message: 'validation.budgetRange',
  })
export type TMatchPropertiesInput = z.infer<typeof ZMatchPropertiesInput>
