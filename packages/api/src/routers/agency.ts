import type { TRPCRouterRecord } from '@trpc/server'
import {
  ZAgencyAiSettingsInput,
  ZAiModelInput,
  ZFaqEntryIdInput,
  ZFaqEntryInput,
  ZFaqEntryUpdateInput,
  ZUpdateAgencySettingsInput,
} from '../schemas'
import {
  aiModelUsage,
  createFaqEntry,
  deleteFaqEntry,
  dismissOnboarding,
  listFaqEntries,
  onboardingChecklist,
  updateFaqEntry,
  getAgency,
  getAiModel,
  listAuditLog,
  setAiModel,
  testAiModel,
  updateAgencyAiSettings,
  updateAgencySettings,
  removeAgencyLogo,
} from '../services'
import { permitted } from '../trpc'

export const agencyRouter = {
  get: permitted('agency.read').query(({ ctx }) => getAgency(ctx)),
  updateSettings: permitted('agency.settings.update')
    .input(ZUpdateAgencySettingsInput)
    .mutation(({ ctx, input }) => updateAgencySettings(ctx, input)),
  /** The logo is uploaded through POST /uploads/agency/logo (multipart); this takes it away. */
  removeLogo: permitted('agency.settings.update').mutation(({ ctx }) => removeAgencyLogo(ctx)),
  updateAiSettings: permitted('agency.settings.update')
    .input(ZAgencyAiSettingsInput)
    .mutation(({ ctx, input }) => updateAgencyAiSettings(ctx, input)),
  /** The language model behind the `openai_compatible` provider (decision 021): never its key. */
  aiModel: permitted('agency.settings.update').query(async ({ ctx }) => ({
    model: await getAiModel(ctx),
    usage: await aiModelUsage(ctx),
  })),
  setAiModel: permitted('agency.settings.update')
    .input(ZAiModelInput)
    .mutation(({ ctx, input }) => setAiModel(ctx, input)),
  testAiModel: permitted('agency.settings.update').mutation(({ ctx }) => testAiModel(ctx)),
  /** The agency's FAQ the AI agent answers from (decision 021). */
  faq: permitted('agency.settings.update').query(({ ctx }) => listFaqEntries(ctx)),
  createFaq: permitted('agency.settings.update')
    .input(ZFaqEntryInput)
    .mutation(({ ctx, input }) => createFaqEntry(ctx, input)),
  updateFaq: permitted('agency.settings.update')
    .input(ZFaqEntryUpdateInput)
    .mutation(({ ctx, input }) => updateFaqEntry(ctx, input)),
  deleteFaq: permitted('agency.settings.update')
    .input(ZFaqEntryIdInput)
    .mutation(({ ctx, input }) => deleteFaqEntry(ctx, input)),
  /** A new agency's first steps on its home page (issue 18). */
  onboarding: permitted('agency.settings.update').query(({ ctx }) => onboardingChecklist(ctx)),
  dismissOnboarding: permitted('agency.settings.update').mutation(({ ctx }) => dismissOnboarding(ctx)),
  auditLog: permitted('audit.read').query(({ ctx }) => listAuditLog(ctx)),
} satisfies TRPCRouterRecord
