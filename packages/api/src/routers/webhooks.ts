import type { TRPCRouterRecord } from '@trpc/server'
import {
  ZCreateWebhookEndpointInput,
  ZRedeliverWebhookInput,
  ZSetWebhookEndpointEnabledInput,
  ZUpdateWebhookEndpointInput,
  ZWebhookDeliveriesInput,
  ZWebhookEndpointIdInput,
} from '../schemas'
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
  redeliverWebhook,
  rotateWebhookSecret,
  sendWebhookTest,
  setWebhookEndpointEnabled,
  updateWebhookEndpoint,
} from '../services/webhooks'
import { permitted } from '../trpc'

/** Outgoing webhooks (decision 018), for managers. */
export const webhooksRouter = {
  list: permitted('integrations.manage').query(({ ctx }) => listWebhookEndpoints(ctx)),
  create: permitted('integrations.manage')
    .input(ZCreateWebhookEndpointInput)
    .mutation(({ ctx, input }) => createWebhookEndpoint(ctx, input)),
  update: permitted('integrations.manage')
    .input(ZUpdateWebhookEndpointInput)
    .mutation(({ ctx, input }) => updateWebhookEndpoint(ctx, input)),
  rotateSecret: permitted('integrations.manage')
    .input(ZWebhookEndpointIdInput)
    .mutation(({ ctx, input }) => rotateWebhookSecret(ctx, input)),
  setEnabled: permitted('integrations.manage')
    .input(ZSetWebhookEndpointEnabledInput)
    .mutation(({ ctx, input }) => setWebhookEndpointEnabled(ctx, input)),
  delete: permitted('integrations.manage')
    .input(ZWebhookEndpointIdInput)
    .mutation(({ ctx, input }) => deleteWebhookEndpoint(ctx, input)),
  deliveries: permitted('integrations.manage')
    .input(ZWebhookDeliveriesInput)
    .query(({ ctx, input }) => listWebhookDeliveries(ctx, input)),
  redeliver: permitted('integrations.manage')
    .input(ZRedeliverWebhookInput)
    .mutation(({ ctx, input }) => redeliverWebhook(ctx, input)),
  sendTest: permitted('integrations.manage')
    .input(ZWebhookEndpointIdInput)
    .mutation(({ ctx, input }) => sendWebhookTest(ctx, input)),
} satisfies TRPCRouterRecord
