import type { TRPCRouterRecord } from '@trpc/server'
import { ZCreateAgencyInput, ZDeleteAgencyInput, ZSetAgencyStatusInput } from '../schemas'
import { createAgency, listAgencies, platformOverview, requestAgencyDeletion, setAgencyStatus } from '../services'
import { adminProcedure } from '../trpc'

export const adminRouter = {
  agencies: adminProcedure.query(({ ctx }) => listAgencies(ctx)),
  overview: adminProcedure.query(({ ctx }) => platformOverview(ctx)),
  createAgency: adminProcedure.input(ZCreateAgencyInput).mutation(({ ctx, input }) => createAgency(ctx, input)),
  setAgencyStatus: adminProcedure
    .input(ZSetAgencyStatusInput)
    .mutation(({ ctx, input }) => setAgencyStatus(ctx, input)),
  deleteAgency: adminProcedure
    .input(ZDeleteAgencyInput)
    .mutation(({ ctx, input }) => requestAgencyDeletion(ctx, input)),
} satisfies TRPCRouterRecord
