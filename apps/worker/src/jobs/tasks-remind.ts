import { tasksRemindJob } from '@impera/api/jobs'
import { remindDueTasks, sendVisitConfirmations } from '@impera/api/services'
import { agencies, eq, withAgency } from '@impera/db'
import { defineJob } from '../define-job'

/**
 * Every minute, agency by agency in its tenant context: reminders of tasks and visits whose time has come go to their
 * assignees once (the task's `reminded_at` is set in the same transaction as the notification), and tomorrow's visits
 * get their WhatsApp confirmation (decision 026).
 */
export const tasksRemind = defineJob(tasksRemindJob, async (_payload, { db, log }) => {
  const all = await db.select({ id: agencies.id }).from(agencies).where(eq(agencies.status, 'active'))
  let reminded = 0
  let confirmations = 0
  for (const agency of all)
    await withAgency(db, { agencyId: agency.id, userId: null }, async (tx) => {
      reminded += await remindDueTasks(tx, { agencyId: agency.id })
      confirmations += await sendVisitConfirmations(tx, { agencyId: agency.id })
    })
  if (reminded || confirmations) log.info({ reminded, confirmations }, 'task reminders and visit confirmations sent')
})
