import type { TRPCRouterRecord } from '@trpc/server'
import { ZBulkClientsInput, ZBulkLeadsInput, ZBulkOperationIdInput, ZBulkPropertiesInput } from '../schemas'
import { bulkClients, bulkLeads, bulkProperties, getBulkOperation } from '../services'
import { permitted } from '../trpc'

/** Bulk operations on list selections (decision 028). */
export const bulkRouter = {
  leads: permitted('records.write')
    .input(ZBulkLeadsInput)
    .mutation(({ ctx, input }) => bulkLeads(ctx, input)),
  clients: permitted('records.write')
    .input(ZBulkClientsInput)
    .mutation(({ ctx, input }) => bulkClients(ctx, input)),
  properties: permitted('records.write')
    .input(ZBulkPropertiesInput)
    .mutation(({ ctx, input }) => bulkProperties(ctx, input)),
  get: permitted('records.read')
    .input(ZBulkOperationIdInput)
    .query(({ ctx, input }) => getBulkOperation(ctx, input)),
} satisfies TRPCRouterRecord
