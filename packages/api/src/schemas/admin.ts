import { agencyStatuses } from '@impera/db/enums'
import { z } from 'zod'
import { zEmail, zLocale, zName, zText, zUuid } from './common'

export const ZCreateAgencyInput = z.object({
  name: zName,
  slug: zText()
    .trim()
    .toLowerCase()
    .min(2, 'validation.tooShort')
    .max(48, 'validation.tooLong')
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'validation.slug'),
  locale: zLocale.default('pt-BR'),
  managerEmail: zEmail,
})
export type TCreateAgencyInput = z.infer<typeof ZCreateAgencyInput>

export const ZSetAgencyStatusInput = z.object({ agencyId: zUuid, status: z.enum(agencyStatuses) })
export type TSetAgencyStatusInput = z.infer<typeof ZSetAgencyStatusInput>

/** Deleting an agency for good (decision 040): staff type the agency's slug to say they mean this one. */
export const ZDeleteAgencyInput = z.object({ agencyId: zUuid, confirm: zText().trim().max(100, 'validation.tooLong') })
export type TDeleteAgencyInput = z.infer<typeof ZDeleteAgencyInput>
