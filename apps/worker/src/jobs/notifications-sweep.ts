import { notificationDigestEmail } from '@impera/api/emails'
import { enqueue, notificationsSweepJob, sendEmailJob } from '@impera/api/jobs'
import { notificationPath, notifyWaitingLeads, takeEmailDigests } from '@impera/api/services'
import { agencies, eq, withAgency } from '@impera/db'
import { defineJob } from '../define-job'

/** Notifications raised within this window wait for the next sweep, so a burst lands in one e-mail. */
const SETTLE_MS = 60_000

/**
 * Every two minutes, agency by agency in its tenant context: announce leads past the contact time, then send each
 * member one digest of what they asked to get by e-mail. The digest is marked sent in the transaction that enqueues
 * the e-mail job, so it goes once; the e-mail job retries on its own.
 */
export const notificationsSweep = defineJob(notificationsSweepJob, async (_payload, { db, log, origin }) => {
  const all = await db
    .select({ id: agencies.id, name: agencies.name })
    .from(agencies)
    .where(eq(agencies.status, 'active'))
  let waiting = 0
  let emails = 0
  for (const agency of all) {
    await withAgency(db, { agencyId: agency.id, userId: null }, async (tx) => {
      waiting += await notifyWaitingLeads(tx, { agencyId: agency.id })
      const olderThan = new Date(Date.now() - SETTLE_MS)
      for (const digest of await takeEmailDigests(tx, { agencyId: agency.id, olderThan })) {
        const mail = notificationDigestEmail({
          agencyName: agency.name,
          locale: digest.user.locale,
          settingsUrl: `${origin}/profile`,
          items: digest.items.map((i) => ({
            kind: i.kind,
            count: i.count,
            data: i.data,
            url: `${origin}${notificationPath(i)}`,
          })),
        })
        await enqueue(tx, sendEmailJob, { to: digest.user.email, ...mail })
        emails++
      }
    })
  }
  if (waiting || emails) log.info({ waiting, emails }, 'notifications swept')
})
