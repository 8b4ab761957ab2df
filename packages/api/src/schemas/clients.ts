import { z } from 'zod'
import { parseDocument } from '../documents'
import {
  optionalText,
  requiredText,
  stringList,
  zOptionalAssignee,
  zOptionalEmail,
  zQuery,
  zText,
  zUuid,
} from './common'
import { consentFilterValues } from './consent'
import { checkPaging, listPaging, zDateBound, zTagFilter } from './lists'
import { clientTypeValues } from '@impera/db/enums'

/** Postal address fields shared by clients and properties. */
export const addressShape = {
  street: optionalText(200),
  number: optionalText(20),
  complement: optionalText(100),
  neighbourhood: optionalText(100),
  city: optionalText(100),
  state: optionalText(60),
  postalCode: optionalText(20),
  country: optionalText(60),
}

export const ZClientInput = z.object({
  name: requiredText(160),
  types: z.array(z.enum(clientTypeValues)).max(4).default([]),
  phones: stringList(5, 40),
  email: zOptionalEmail,
  /** CPF or CNPJ with or without punctuation; stored as digits. */
  document: zText()
    .trim()
    .max(24, 'validation.tooLong')
    .nullish()
    .transform((v, ctx) => {
      if (!v) return null
      const parsed = parseDocument(v)
      if (!parsed) {
        ctx.addIssue({ code: 'custom', message: 'clients.documentInvalid' })
        return z.NEVER
      }
      return parsed.digits
    }),
  ...addressShape,
  birthDate: zText()
    .trim()
    .nullish()
    .transform((v, ctx) => {
      if (!v) return null
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v)
      const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null
      if (!d || d.toISOString().slice(0, 10) !== v || d.getUTCFullYear() < 1900 || d.getTime() > Date.now()) {
        ctx.addIssue({ code: 'custom', message: 'validation.date' })
        return z.NEVER
      }
      return v
    }),
  notes: optionalText(5000),
  tags: stringList(20, 40),
  assignedTo: zOptionalAssignee,
})
export type TClientInput = z.infer<typeof ZClientInput>

export const ZCreateClientInput = z.object({ data: ZClientInput })
export type TCreateClientInput = z.infer<typeof ZCreateClientInput>
export const ZUpdateClientInput = z.object({ id: zUuid, data: ZClientInput })
export type TUpdateClientInput = z.infer<typeof ZUpdateClientInput>
export const ZClientIdInput = z.object({ id: zUuid })
export type TClientIdInput = z.infer<typeof ZClientIdInput>

export const clientSortValues = ['createdAt', 'updatedAt', 'name', 'email', 'document', 'city', 'assignee'] as const

export const ZListClientsInput = z
  .object({
    ...listPaging,
    sort: z.enum(clientSortValues).default('createdAt'),
    q: zQuery(120).optional(),
    type: z.array(z.enum(clientTypeValues)).optional(),
    assignee: z.union([z.enum(['me', 'unassigned']), zUuid]).optional(),
    tags: zTagFilter,
    city: zQuery(100).optional(),
    /** Marketing consent (decision 037). */
    consent: z.enum(consentFilterValues).optional(),
    createdFrom: zDateBound,
    createdTo: zDateBound,
    updatedFrom: zDateBound,
    updatedTo: zDateBound,
  })
  .superRefine(checkPaging)
export type TListClientsInput = z.infer<typeof ZListClientsInput>

/** The search picker (convert a lead, choose a property's owner): a few matches by name, phone, e-mail or document. */
export const ZPickClientsInput = z.object({ q: zQuery(120).default('') })
export type TPickClientsInput = z.infer<typeof ZPickClientsInput>

export const ZAddClientNoteInput = z.object({ clientId: zUuid, body: requiredText(5000) })
export type TAddClientNoteInput = z.infer<typeof ZAddClientNoteInput>
export const ZUpdateClientNoteInput = z.object({ id: zUuid, body: requiredText(5000) })
export type TUpdateClientNoteInput = z.infer<typeof ZUpdateClientNoteInput>
export const ZClientNoteIdInput = z.object({ id: zUuid })
export type TClientNoteIdInput = z.infer<typeof ZClientNoteIdInput>
