import type { TRPCRouterRecord } from '@trpc/server'
import { ZCreateAgencyInput, ZSetAgencyStatusInput } from '../schemas'
import { createAgency, listAgencies, platformOverview, setAgencyStatus } from '../services'
import { adminProcedure } from '../trpc'

export const adminRouter = {
  agencies: adminProcedure.query(({ ctx }) => listAgencies({ db: ctx.db, actor: ctx.actor })),
  overview: adminProcedure.query(({ ctx }) => platformOverview({ db: ctx.db, actor: ctx.actor })),
  createAgency: adminProcedure
    .input(ZCreateAgencyInput)
    .mutation(({ ctx, input }) => createAgency({ db: ctx.db, actor: ctx.actor, input, origin: ctx.urls.origin })),
  setAgencyStatus: adminProcedure
    .input(ZSetAgencyStatusInput)
    .mutation(({ ctx, input }) => setAgencyStatus({ db: ctx.db, actor: ctx.actor, input })),
} satisfies TRPCRouterRecord
