import { portalIngestJob } from '@impera/api/jobs'
import { ingestPortalLead, notePortalIngestFailure } from '@impera/api/services'
import { defineJob } from '../define-job'

/** One stored portal push → a lead (decision 022). Failures stay visible on the stored push; the job retries. */
export const portalIngest = defineJob(
  portalIngestJob,
  async ({ agencyId, eventId }, { db, attempts, maxAttempts, log }) => {
    try {
      const out = await ingestPortalLead({ db }, { agencyId, eventId })
      log.info({ eventId, outcome: out?.outcome ?? 'already processed' }, 'portal lead ingested')
    } catch (e) {
      await notePortalIngestFailure(
        { db },
        { agencyId, eventId, error: (e as Error).message, final: attempts >= maxAttempts },
      ).catch((err: unknown) => log.error({ err, eventId }, 'portal ingest failure not recorded'))
      throw e
    }
  },
)
