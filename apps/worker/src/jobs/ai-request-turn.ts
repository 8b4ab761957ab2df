import { aiRequestTurnJob } from '@impera/api/jobs'
import { requestExternalTurn } from '@impera/api/services'
import { withAgency } from '@impera/db'
import { defineJob } from '../define-job'

/**
 * An external agent's cue (decision 020): once the contact's burst settles, one `conversation.turn_requested` with the
 * burst and the message to answer. The job is keyed per conversation, so a burst is one request.
 */
export const aiRequestTurn = defineJob(aiRequestTurnJob, async ({ agencyId, conversationId }, { db }) => {
  await withAgency(db, { agencyId, userId: null }, (tx) => requestExternalTurn(tx, { agencyId, conversationId }))
})
