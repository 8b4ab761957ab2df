import type { TRPCRouterRecord } from '@trpc/server'
import {
  ZApiKeyIdInput,
  ZCreateIntegrationInput,
  ZIntegrationIdInput,
  ZRotateIntegrationKeyInput,
  ZUpdateIntegrationInput,
} from '../schemas'
import {
  createIntegration,
  listIntegrations,
  revokeApiKey,
  revokeIntegration,
  rotateIntegrationKey,
  updateIntegration,
} from '../services'
import { permitted } from '../trpc'

export const integrationsRouter = {
  list: permitted('integrations.manage').query(({ ctx }) => listIntegrations(ctx)),
  create: permitted('integrations.manage')
    .input(ZCreateIntegrationInput)
    .mutation(({ ctx, input }) => createIntegration(ctx, input)),
  update: permitted('integrations.manage')
    .input(ZUpdateIntegrationInput)
    .mutation(({ ctx, input }) => updateIntegration(ctx, input)),
  rotateKey: permitted('integrations.manage')
    .input(ZRotateIntegrationKeyInput)
    .mutation(({ ctx, input }) => rotateIntegrationKey(ctx, input)),
  revokeKey: permitted('integrations.manage')
    .input(ZApiKeyIdInput)
    .mutation(({ ctx, input }) => revokeApiKey(ctx, input)),
  revoke: permitted('integrations.manage')
    .input(ZIntegrationIdInput)
    .mutation(({ ctx, input }) => revokeIntegration(ctx, input)),
} satisfies TRPCRouterRecord
