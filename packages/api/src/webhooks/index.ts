// Outgoing webhooks (decision 018): what the worker and the web server's composition need.
export { deliverEndpointQueue, webhookBody, type WebhookRuntime, type WebhookSystemCtx } from './dispatch'
export { deliverJobKey, redriveEndpoints } from './outbox'
export { purgeWebhookDeliveries, WEBHOOK_RETENTION_DAYS } from './purge'
export { MAX_ATTEMPTS, nextAttemptDelay, postWebhook, retryDelays, type AttemptResult } from './send'
export { newWebhookSecret, signWebhook, webhookHeaders, webhookMessageId } from './signing'
export {
  guardedLookup,
  isAllowedAddress,
  isPrivateAddress,
  strictTargets,
  targetPolicy,
  TargetRefusedError,
  type TargetPolicy,
} from './targets'
