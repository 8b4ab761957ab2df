export { keyFromHeaders, newApiKey, parseApiKey } from './keys'
export {
  allowedAddress,
  API_RATE,
  authenticateKey,
  consumeApiRate,
  requireScope,
  withIntegration,
  type RateDecision,
  type ResolvedKey,
} from './principal'
export { purgeIdempotencyKeys, purgeRateBuckets, PURGE_BATCH } from './purge'
