import { lostReasons } from '@impera/db/enums'
import { z } from 'zod'
import { requiredText, zUuid } from './common'
import { ZListLeadsInput } from './leads'

/** What a bulk operation does to each lead (decision 028). Converting stays one lead at a time (it makes a client). */
export const ZBulkLeadAction = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('assign'), assignedTo: zUuid.nullable() }),
  z
    .object({
      kind: z.literal('status'),
      status: z.enum(['new', 'contacted', 'qualified', 'lost']),
      lostReason: z.enum(lostReasons).nullish(),
    })
    .refine((v) => v.status !== 'lost' || !!v.lostReason, {
      path: ['lostReason'],
      message: 'leads.lostReasonRequired',
    }),
  z.object({ kind: z.literal('addTag'), tag: requiredText(40) }),
  z.object({ kind: z.literal('removeTag'), tag: requiredText(40) }),
  z.object({ kind: z.literal('trash') }),
])
export type TBulkLeadAction = z.infer<typeof ZBulkLeadAction>

/** The rows ticked on a page (at most a page's worth), or every lead the list's filters match. */
export const ZBulkLeadsInput = z.object({
  selection: z.union([
    z.object({ ids: z.array(zUuid).min(1, 'bulk.empty').max(500, 'validation.tooMany') }),
    z.object({ filter: ZListLeadsInput }),
  ]),
  action: ZBulkLeadAction,
})
export type TBulkLeadsInput = z.infer<typeof ZBulkLeadsInput>

export const ZBulkOperationIdInput = z.object({ id: zUuid })
