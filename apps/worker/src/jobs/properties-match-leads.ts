import { propertiesMatchLeadsJob } from '@impera/api/jobs'
import { announcePropertyMatches } from '@impera/api/services'
import { withAgency } from '@impera/db'
import { defineJob } from '../define-job'

/** A listing new or changed: the members whose open leads it suits hear how many (in the agency's tenant context). */
export const propertiesMatchLeads = defineJob(
  propertiesMatchLeadsJob,
  async ({ agencyId, propertyId }, { db, log }) => {
    const matched = await withAgency(db, { agencyId, userId: null }, (tx) =>
      announcePropertyMatches(tx, { agencyId, propertyId }),
    )
    if (matched) log.info({ propertyId, matched }, 'listing announced to the agents of matching leads')
  },
)
