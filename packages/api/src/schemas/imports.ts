import { importDuplicatePolicies, importKinds, importRowOutcomes } from '@impera/db/enums'
import { z } from 'zod'

/**
 * A field name of any kind; the service checks that it is one of the import's kind (imports.errors.mappingField). Not
 * an enum of the kinds' fields: those live with the row readers, which import the phone library — and these schemas
 * are in the browser's bundle.
 */
const zImportField = z.string().min(1).max(40)

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
