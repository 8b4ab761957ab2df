import type { TRPCRouterRecord } from '@trpc/server'
import { ZBulkLeadsInput, ZBulkOperationIdInput } from '../schemas'
import { bulkLeads, getBulkOperation } from '../services'
import { permitted } from '../trpc'

/** Bulk operations on list selections (decision 028). */
export const bulkRouter = {
  leads: permitted('records.write')
    .input(ZBulkLeadsInput)
    .mutation(({ ctx, input }) => bulkLeads(ctx, input)),
  get: permitted('records.read')
    .input(ZBulkOperationIdInput)
    .query(({ ctx, input }) => getBulkOperation(ctx, input)),
} satisfies TRPCRouterRecord
