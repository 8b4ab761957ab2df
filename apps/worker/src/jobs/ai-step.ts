import { aiStepJob } from '@impera/api/jobs'
import { runAiStep } from '@impera/api/services'
import { defineJob } from '../define-job'

/**
 * A conversation's AI step (decisions 020, 021): the built-in agent's or the agency's language model's turn once the
 * contact's burst settles, or an external agent's deadline. Idempotent: a step that already answered the newest
 * message, or finds a person in control, does nothing; a turn and its messages commit together or not at all. Model
 * keys are opened with SECRETS_KEY, and model URLs obey the same target policy as webhooks.
 */
export const aiStep = defineJob(aiStepJob, async ({ agencyId, conversationId }, { db, log, whatsapp, webhooks }) => {
  const outcome = await runAiStep(
    { db, models: { secrets: whatsapp.secrets, targets: webhooks.targets } },
    { agencyId, conversationId },
  )
  if (outcome.kind !== 'skipped') log.info({ conversationId, outcome: outcome.kind }, 'ai step')
})
