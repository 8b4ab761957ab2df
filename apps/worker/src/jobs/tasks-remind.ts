import { tasksRemindJob } from '@impera/api/jobs'
import { remindDueTasks } from '@impera/api/services'
import { agencies, eq, withAgency } from '@impera/db'
import { defineJob } from '../define-job'

/**
 * Every minute, agency by agency in its tenant context: reminders of tasks and visits whose time has come go to their
 * assignees once (the task's `reminded_at` is set in the same transaction as the notification).
 */
export const tasksRemind = defineJob(tasksRemindJob, async (_payload, { db, log }) => {
  const all = await db.select({ id: agencies.id }).from(agencies).where(eq(agencies.status, 'active'))
  let reminded = 0
  for (const agency of all)
    reminded += await withAgency(db, { agencyId: agency.id, userId: null }, (tx) =>
      remindDueTasks(tx, { agencyId: agency.id }),
    )
  if (reminded) log.info({ reminded }, 'task reminders sent')
})
