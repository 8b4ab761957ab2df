import type { TRPCRouterRecord } from '@trpc/server'
import {
  ZClaimLeadInput,
  ZDistributionRuleIdInput,
  ZDistributionRuleInput,
  ZDistributionSettingsInput,
  ZMemberAvailabilityInput,
  ZMoveDistributionRuleInput,
} from '../schemas'
import {
  claimLead,
  deleteDistributionRule,
  getDistribution,
  getMyAvailability,
  moveDistributionRule,
  myLeadOffers,
  saveDistributionRule,
  saveDistributionSettings,
  setMemberAvailability,
} from '../services'
import { permitted } from '../trpc'

/** Lead distribution, the "roleta" (decisions 027, 031): rules, SLA, members' availability, offers to claim. */
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
  /** First to claim (decision 031): the leads offered to me now, and "pegar". */
  offers: permitted('records.read').query(({ ctx }) => myLeadOffers(ctx)),
  claim: permitted('records.write')
    .input(ZClaimLeadInput)
    .mutation(({ ctx, input }) => claimLead(ctx, input)),
  setAvailability: permitted('records.read')
    .input(ZMemberAvailabilityInput)
    .mutation(({ ctx, input }) => setMemberAvailability(ctx, input)),
} satisfies TRPCRouterRecord
