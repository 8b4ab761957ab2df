import type { TRPCRouterRecord } from '@trpc/server'
import { ZUpdateAgencySettingsInput } from '../schemas'
import { getAgency, listAuditLog, updateAgencySettings } from '../services'
import { permitted } from '../trpc'

export const agencyRouter = {
  get: permitted('agency.read').query(({ ctx }) => getAgency({ db: ctx.db, actor: ctx.actor })),
  updateSettings: permitted('agency.settings.update')
    .input(ZUpdateAgencySettingsInput)
    .mutation(({ ctx, input }) => updateAgencySettings({ db: ctx.db, actor: ctx.actor, input })),
  auditLog: permitted('audit.read').query(({ ctx }) => listAuditLog({ db: ctx.db, actor: ctx.actor })),
} satisfies TRPCRouterRecord
