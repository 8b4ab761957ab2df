import { conversationsReturnToAiJob } from '@impera/api/jobs'
import { applyReturnRule } from '@impera/api/services'
import { agencies, and, eq, isNotNull, withAgency } from '@impera/db'
import { defineJob } from '../define-job'

/**
 * Every five minutes, agency by agency in its tenant context: conversations a person took over and left without a
 * reply for the agency's `aiReturnAfterHours` go back to the bot, through the control owner (decision 019), so each
 * return is a timeline entry, an audit entry, a live event and a `conversation.control_changed` webhook. Agencies
 * without the rule (null = never) are skipped. Idempotent: a returned conversation no longer matches.
 */
export const conversationsReturnToAi = defineJob(conversationsReturnToAiJob, async (_payload, { db, log }) => {
  const withRule = await db
    .select({ id: agencies.id })
    .from(agencies)
    .where(and(eq(agencies.status, 'active'), isNotNull(agencies.aiReturnAfterHours)))
  let returned = 0
  for (const agency of withRule)
    returned += await withAgency(db, { agencyId: agency.id, userId: null }, (tx) =>
      applyReturnRule(tx, { agencyId: agency.id }),
    )
  if (returned) log.info({ returned }, 'conversations returned to the AI')
})
