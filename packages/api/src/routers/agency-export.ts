import type { TRPCRouterRecord } from '@trpc/server'
import { ZRequestAgencyExportInput } from '../schemas'
import { listAgencyExports, requestAgencyExport } from '../services'
import { permitted } from '../trpc'

/** The agency's own export (decision 041); the file is a download (apps/web/server/media.ts). */
export const agencyExportRouter = {
  list: permitted('agency.export').query(({ ctx }) => listAgencyExports(ctx)),
  request: permitted('agency.export')
    .input(ZRequestAgencyExportInput)
    .mutation(({ ctx, input }) => requestAgencyExport(ctx, input)),
} satisfies TRPCRouterRecord
