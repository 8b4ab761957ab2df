import type { TRPCRouterRecord } from '@trpc/server'
import { ZImportIdInput, ZImportMappingInput, ZImportRowsInput } from '../schemas'
import {
  cancelImport,
  getImport,
  listImportRows,
  listImports,
  startImport,
  undoImport,
  validateImport,
} from '../services/imports'
import { permitted } from '../trpc'

/** Spreadsheet imports (decision 024), for managers; the file itself arrives over HTTP (`POST /uploads/imports`). */
export const importsRouter = {
  list: permitted('records.import').query(({ ctx }) => listImports(ctx)),
  get: permitted('records.import')
    .input(ZImportIdInput)
    .query(({ ctx, input }) => getImport(ctx, input)),
  rows: permitted('records.import')
    .input(ZImportRowsInput)
    .query(({ ctx, input }) => listImportRows(ctx, input)),
  validate: permitted('records.import')
    .input(ZImportMappingInput)
    .mutation(({ ctx, input }) => validateImport(ctx, input)),
  start: permitted('records.import')
    .input(ZImportIdInput)
    .mutation(({ ctx, input }) => startImport(ctx, input)),
  cancel: permitted('records.import')
    .input(ZImportIdInput)
    .mutation(({ ctx, input }) => cancelImport(ctx, input)),
  undo: permitted('records.import')
    .input(ZImportIdInput)
    .mutation(({ ctx, input }) => undoImport(ctx, input)),
} satisfies TRPCRouterRecord
