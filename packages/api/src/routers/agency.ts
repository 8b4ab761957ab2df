import type { TRPCRouterRecord } from '@trpc/server'
import { ZAgencyAiSettingsInput, ZUpdateAgencySettingsInput } from '../schemas'
import { getAgency, listAuditLog, updateAgencyAiSettings, updateAgencySettings } from '../services'
import { permitted } from '../trpc'

export const agencyRouter = {
  get: permitted('agency.read').query(({ ctx }) => getAgency(ctx)),
  updateSettings: permitted('agency.settings.update')
    .input(ZUpdateAgencySettingsInput)
    .mutation(({ ctx, input }) => updateAgencySettings(ctx, input)),
  updateAiSettings: permitted('agency.settings.update')
    .input(ZAgencyAiSettingsInput)
    .mutation(({ ctx, input }) => updateAgencyAiSettings(ctx, input)),
  auditLog: permitted('audit.read').query(({ ctx }) => listAuditLog(ctx)),
} satisfies TRPCRouterRecord
