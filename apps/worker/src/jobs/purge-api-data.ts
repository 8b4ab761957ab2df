import { purgeIdempotencyKeys, purgeRateBuckets } from '@impera/api/integrations'
import { purgeApiDataJob } from '@impera/api/jobs'
import { agencies } from '@impera/db'
import { defineJob } from '../define-job'

/**
 * Hourly: the public API's idempotency answers past their hours, agency by agency in each one's tenant context, then
 * rate-limit buckets that have refilled (not tenant data: a key id and a count). Both in bounded batches.
 */
export const purgeApiData = defineJob(purgeApiDataJob, async (_payload, { db, log }) => {
  let idempotencyKeys = 0
  for (const { id } of await db.select({ id: agencies.id }).from(agencies))
    idempotencyKeys += await purgeIdempotencyKeys(db, { agencyId: id })
  const rateBuckets = await purgeRateBuckets(db)
  log.info({ idempotencyKeys, rateBuckets }, 'public API data purged')
})
