import {
  leadInterests,
  leadSources,
  leadStatuses,
  leadTemperatures,
  lostReasons,
  propertyTypes,
} from '@impera/db/enums'
import { z } from 'zod'
import { ZQualificationValues } from '../ai/qualification'
import { consentFilterValues } from './consent'
import { checkPaging, listPaging, zDateBound, zTagFilter } from './lists'
import {
  optionalText,
  requiredText,
  stringList,
  zCents,
  zFlag,
  zOptionalAssignee,
  zOptionalEmail,
  zQuery,
  zSmallInt,
  zUuid,
} from './common'

export const ZLeadInput = z
  .object({
    name: requiredText(120),
    phones: stringList(5, 40),
    email: zOptionalEmail,
    source: z.enum(leadSources).default('other'),
    sourceDetail: optionalText(200),
    interest: z
      .enum(['buy', 'rent', ''])
      .nullish()
      .transform((v) => (v ? v : null)),
    budgetMin: zCents,
    budgetMax: zCents,
    propertyTypes: z.array(z.enum(propertyTypes)).max(6).default([]),
    locations: stringList(20, 80),
    minBedrooms: zSmallInt(20),
    notes: optionalText(5000),
    tags: stringList(20, 40),
    assignedTo: zOptionalAssignee,
  })
  .refine((v) => v.budgetMin === null || v.budgetMax === null || v.budgetMin <= v.budgetMax, {
    path: ['budgetMax'],
    message: 'validation.budgetRange',
  })
  .refine((v) => v.phones.length > 0 || v.email !== null, { path: ['phones'], message: 'leads.contactRequired' })
export type TLeadInput = z.infer<typeof ZLeadInput>

export const ZCreateLeadInput = z.object({
  data: ZLeadInput,
  allowDuplicate: z.boolean().default(false),
  /** With no owner given, the agency's distribution rules pick one (decision 027). */
  distribute: z.boolean().default(false),
})
export type TCreateLeadInput = z.infer<typeof ZCreateLeadInput>
export const ZUpdateLeadInput = z.object({ id: zUuid, data: ZLeadInput, allowDuplicate: z.boolean().default(false) })
export type TUpdateLeadInput = z.infer<typeof ZUpdateLeadInput>

export const ZSetLeadStatusInput = z
  .object({
    id: zUuid,
    status: z.enum(leadStatuses),
    lostReason: z.enum(lostReasons).nullish(),
    lostDetail: optionalText(500),
  })
  .refine((v) => v.status !== 'lost' || !!v.lostReason, { path: ['lostReason'], message: 'leads.lostReasonRequired' })
  .refine((v) => v.status !== 'converted', { path: ['status'], message: 'leads.convertThroughClient' })
export type TSetLeadStatusInput = z.infer<typeof ZSetLeadStatusInput>

export const ZAssignLeadInput = z.object({ id: zUuid, assignedTo: zUuid.nullable() })
export type TAssignLeadInput = z.infer<typeof ZAssignLeadInput>
/** A person's edit of a lead's qualification (decision 020): the values given become theirs. */
export const ZSetLeadQualificationInput = z.object({ id: zUuid, values: ZQualificationValues })
export type TSetLeadQualificationInput = z.infer<typeof ZSetLeadQualificationInput>

export const ZLeadIdInput = z.object({ id: zUuid })
export type TLeadIdInput = z.infer<typeof ZLeadIdInput>

export const leadSortValues = [
  'createdAt',
  'updatedAt',
  'name',
  'email',
  'status',
  'source',
  'assignee',
  'interest',
  'budget',
  'firstContactAt',
  'score',
] as const

export const ZListLeadsInput = z
  .object({
    ...listPaging,
    sort: z.enum(leadSortValues).default('createdAt'),
    q: zQuery(120).optional(),
    status: z.array(z.enum(leadStatuses)).optional(),
    source: z.array(z.enum(leadSources)).optional(),
    /** 'me', 'unassigned', or a member's user id. */
    assignee: z.union([z.enum(['me', 'unassigned']), zUuid]).optional(),
    tags: zTagFilter,
    interest: z.enum(leadInterests).optional(),
    /** The qualification's temperature (decision 020). */
    temperature: z.array(z.enum(leadTemperatures)).optional(),
    /** New and still uncontacted past the agency's contact time: the dashboard's "needs attention" leads. */
    overdue: zFlag.optional(),
    /** Marketing consent (decision 037): who may receive marketing, who said no, who was never asked. */
    consent: z.enum(consentFilterValues).optional(),
    createdFrom: zDateBound,
    createdTo: zDateBound,
    updatedFrom: zDateBound,
    updatedTo: zDateBound,
  })
  .superRefine(checkPaging)
export type TListLeadsInput = z.infer<typeof ZListLeadsInput>

export const ZAddLeadNoteInput = z.object({ leadId: zUuid, body: requiredText(5000) })
export type TAddLeadNoteInput = z.infer<typeof ZAddLeadNoteInput>
export const ZUpdateLeadNoteInput = z.object({ id: zUuid, body: requiredText(5000) })
export type TUpdateLeadNoteInput = z.infer<typeof ZUpdateLeadNoteInput>
export const ZLeadNoteIdInput = z.object({ id: zUuid })
export type TLeadNoteIdInput = z.infer<typeof ZLeadNoteIdInput>

/** Convert a qualified lead: into a new client made from its data, or linked to an existing client. */
export const ZConvertLeadInput = z.object({ id: zUuid, clientId: zUuid.nullish() })
export type TConvertLeadInput = z.infer<typeof ZConvertLeadInput>
export const ZLeadPropertyInput = z.object({ leadId: zUuid, propertyId: zUuid })
export type TLeadPropertyInput = z.infer<typeof ZLeadPropertyInput>
