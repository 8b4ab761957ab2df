import { importDuplicatePolicies, importKinds, importRowOutcomes } from '@impera/db/enums'
import { z } from 'zod'
import { clientFieldAliases } from '../imports/client-rows'
import { propertyFieldAliases } from '../imports/property-rows'
import { leadFieldAliases } from '../imports/values'

/** Any kind's field; the service checks that each belongs to the import's kind. */
const zImportField = z.enum([
  ...new Set([
    ...Object.keys(leadFieldAliases),
    ...Object.keys(clientFieldAliases),
    ...Object.keys(propertyFieldAliases),
  ]),
] as [string, ...string[]])

/** What a spreadsheet holds (the upload's `kind` field; leads when absent). */
export const ZImportKind = z.enum(importKinds, 'imports.errors.kind').default('leads')

export const ZImportIdInput = z.object({ id: z.uuid() })
export type TImportIdInput = z.output<typeof ZImportIdInput>

/** The mapping screen: one field (or null: ignore the column) per column of the file, and what to do with duplicates. */
export const ZImportMappingInput = z.object({
  id: z.uuid(),
  mapping: z.array(zImportField.nullable()).max(500),
  duplicatePolicy: z.enum(importDuplicatePolicies),
  /** Rows without an owner get one from the agency's distribution rules (decision 027). */
  distribute: z.boolean().default(false),
})
export type TImportMappingInput = z.output<typeof ZImportMappingInput>

export const ZImportRowsInput = z.object({
  id: z.uuid(),
  outcome: z.enum(importRowOutcomes).optional(),
  /** The last row number of the previous page. */
  after: z.number().int().min(0).max(10_000_000).optional(),
})
export type TImportRowsInput = z.output<typeof ZImportRowsInput>
