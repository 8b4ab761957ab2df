import { aiStepJob } from '@impera/api/jobs'
import { runAiStep } from '@impera/api/services'
import { withAgency } from '@impera/db'
import { defineJob } from '../define-job'

/**
 * A conversation's AI step (decision 020), in the agency's tenant transaction: the built-in agent's turn once the
 * contact's burst settles, or an external agent's deadline. Idempotent: a step that already answered the newest
 * message, or finds a person in control, does nothing; the turn and its messages commit together or not at all.
 */
export const aiStep = defineJob(aiStepJob, async ({ agencyId, conversationId }, { db, log }) => {
  const outcome = await withAgency(db, { agencyId, userId: null }, (tx) => runAiStep(tx, { agencyId, conversationId }))
  if (outcome.kind !== 'skipped') log.info({ conversationId, outcome: outcome.kind }, 'ai step')
})
