import { lostReasons, propertyStatuses } from '@impera/db/enums'
import { z } from 'zod'
import { requiredText, zUuid } from './common'
import { ZListClientsInput } from './clients'
import { ZListLeadsInput } from './leads'
import { ZListPropertiesInput } from './properties'

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

/** The rows ticked on a page (at most a page's worth), or every record the list's filters match. */
function selection<F extends z.ZodTypeAny>(filter: F) {
  return z.union([
    z.object({ ids: z.array(zUuid).min(1, 'bulk.empty').max(500, 'validation.tooMany') }),
    z.object({ filter }),
  ])
}

export const ZBulkLeadsInput = z.object({ selection: selection(ZListLeadsInput), action: ZBulkLeadAction })
export type TBulkLeadsInput = z.infer<typeof ZBulkLeadsInput>

/** Clients have no status of their own (their roles are edited one by one): assign, tag, trash. */
export const ZBulkClientAction = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('assign'), assignedTo: zUuid.nullable() }),
  z.object({ kind: z.literal('addTag'), tag: requiredText(40) }),
  z.object({ kind: z.literal('removeTag'), tag: requiredText(40) }),
  z.object({ kind: z.literal('trash') }),
])
export type TBulkClientAction = z.infer<typeof ZBulkClientAction>
export const ZBulkClientsInput = z.object({ selection: selection(ZListClientsInput), action: ZBulkClientAction })
export type TBulkClientsInput = z.infer<typeof ZBulkClientsInput>

/** Properties have no tags: assign the listing agent, move to a status (reserved, sold, off market…), trash. */
export const ZBulkPropertyAction = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('assign'), assignedTo: zUuid.nullable() }),
  z.object({ kind: z.literal('status'), status: z.enum(propertyStatuses) }),
  z.object({ kind: z.literal('trash') }),
])
export type TBulkPropertyAction = z.infer<typeof ZBulkPropertyAction>
export const ZBulkPropertiesInput = z.object({
  selection: selection(ZListPropertiesInput),
  action: ZBulkPropertyAction,
})
export type TBulkPropertiesInput = z.infer<typeof ZBulkPropertiesInput>

export const ZBulkOperationIdInput = z.object({ id: zUuid })
