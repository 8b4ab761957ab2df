import type { TRPCRouterRecord } from '@trpc/server'
import {
  ZDistributionRuleIdInput,
  ZDistributionRuleInput,
  ZDistributionSettingsInput,
  ZMemberAvailabilityInput,
  ZMoveDistributionRuleInput,
} from '../schemas'
import {
  deleteDistributionRule,
  getDistribution,
  getMyAvailability,
  moveDistributionRule,
  saveDistributionRule,
  saveDistributionSettings,
  setMemberAvailability,
} from '../services'
import { permitted } from '../trpc'

/** Lead distribution, the "roleta" (decision 027): rules, SLA, members' availability. */
export const distributionRouter = {
  get: permitted('agency.settings.update').query(({ ctx }) => getDistribution(ctx)),
  saveSettings: permitted('agency.settings.update')
    .input(ZDistributionSettingsInput)
    .mutation(({ ctx, input }) => saveDistributionSettings(ctx, input)),
  saveRule: permitted('agency.settings.update')
    .input(ZDistributionRuleInput)
    .mutation(({ ctx, input }) => saveDistributionRule(ctx, input)),
  deleteRule: permitted('agency.settings.update')
    .input(ZDistributionRuleIdInput)
    .mutation(({ ctx, input }) => deleteDistributionRule(ctx, input)),
  moveRule: permitted('agency.settings.update')
    .input(ZMoveDistributionRuleInput)
    .mutation(({ ctx, input }) => moveDistributionRule(ctx, input)),
  myAvailability: permitted('records.read').query(({ ctx }) => getMyAvailability(ctx)),
  setAvailability: permitted('records.read')
    .input(ZMemberAvailabilityInput)
    .mutation(({ ctx, input }) => setMemberAvailability(ctx, input)),
} satisfies TRPCRouterRecord
