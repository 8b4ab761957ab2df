import type { AppLoadContext } from '@remix-run/node'
import { wallClock, zonedInstant } from '@impera/api/zoned-time'
import { runAction } from './actions.server'
import { formText, fromForm, type RouterInputs } from './forms'

type Caller = Awaited<ReturnType<AppLoadContext['scope']['caller']>>

/**
 * A day and a time typed in the agency's zone, as an instant. What does not parse goes through as text, so the
 * procedure's schema answers with its own field message ("enter a valid date") rather than this helper guessing.
 */
export function localInstant(day: string, time: string, timeZone: string): Date | string {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day)
  const t = /^(\d{2}):(\d{2})$/.exec(time || '09:00')
  if (!d || !t) return `${day} ${time}`
  const [h, m] = [Number(t[1]), Number(t[2])]
  if (h > 23 || m > 59) return `${day} ${time}`
  return new Date(zonedInstant(timeZone, Number(d[1]), Number(d[2]), Number(d[3]), h * 60 + m))
}

/** The same wall-clock time on the next day, in the agency's zone ("amanhã" on a row). */
function tomorrowSameTime(due: Date, timeZone: string): Date {
  const w = wallClock(due, timeZone)
  return new Date(zonedInstant(timeZone, w.year, w.month, w.day + 1, w.hour * 60 + w.minute))
}

function taskData(fd: FormData, timeZone: string): RouterInputs['tasks']['create']['data'] {
  const text = (k: string) => formText(fd, k)
  return fromForm<RouterInputs['tasks']['create']['data']>({
    kind: text('kind'),
    title: text('title'),
    notes: text('notes'),
    dueAt: localInstant(text('date'), text('time'), timeZone),
    durationMinutes: text('durationMinutes'),
    place: text('place'),
    assignedTo: text('assignedTo'),
    leadId: text('leadId'),
    clientId: text('clientId'),
    propertyId: text('propertyId'),
    propertyIds: fd.getAll('propertyIds').filter((v): v is string => typeof v === 'string' && v !== ''),
    remindMinutes: text('remindMinutes'),
    recurrence: text('recurrence') || 'none',
  })
}

/**
 * The task intents any page with an agenda posts (Hoje, the record pages): create, edit, complete, move, cancel,
 * reopen. Null when the intent is not a task's, so the page handles its own.
 */
export async function runTaskIntent(context: AppLoadContext, caller: Caller, fd: FormData) {
  const text = (k: string) => formText(fd, k)
  if (!text('intent').startsWith('task.')) return null
  // Days and times are typed in the agency's zone.
  const { timezone: timeZone } = await caller.agency.get()
  const id = text('taskId')
  switch (text('intent')) {
    case 'task.create':
      return runAction(
        context,
        () => caller.tasks.create({ data: taskData(fd, timeZone) }),
        () => ({ ok: true, message: 'tasks.created' }),
      )
    case 'task.update':
      return runAction(
        context,
        () => caller.tasks.update({ id, data: taskData(fd, timeZone) }),
        () => ({ ok: true, message: 'common.saved' }),
      )
    case 'task.complete': {
      const shown = fd.getAll('shown').filter((v): v is string => typeof v === 'string')
      return runAction(
        context,
        () =>
          caller.tasks.complete(
            fromForm<RouterInputs['tasks']['complete']>({
              id,
              outcome: text('outcome') || null,
              note: text('note'),
              properties: shown.map((propertyId) => ({
                propertyId,
                interest: text(`interest-${propertyId}`) || null,
                feedback: text(`feedback-${propertyId}`),
              })),
              rescheduleTo: text('rescheduleDate')
                ? localInstant(text('rescheduleDate'), text('rescheduleTime'), timeZone)
                : null,
            }),
          ),
        () => ({ ok: true, message: 'tasks.completed' }),
      )
    }
    case 'task.tomorrow':
      return runAction(
        context,
        async () => {
          const task = await caller.tasks.get({ id })
          return caller.tasks.reschedule({ id, dueAt: tomorrowSameTime(new Date(task.dueAt), timeZone) })
        },
        () => ({ ok: true, message: 'tasks.moved' }),
      )
    case 'task.reschedule':
      return runAction(
        context,
        () =>
          caller.tasks.reschedule(
            fromForm<RouterInputs['tasks']['reschedule']>({
              id,
              dueAt: localInstant(text('date'), text('time'), timeZone),
            }),
          ),
        () => ({ ok: true, message: 'tasks.moved' }),
      )
    case 'task.cancel':
      return runAction(
        context,
        () => caller.tasks.cancel({ id }),
        () => ({ ok: true, message: 'tasks.cancelled' }),
      )
    case 'task.reopen':
      return runAction(
        context,
        () => caller.tasks.reopen({ id }),
        () => ({ ok: true, message: 'tasks.reopened' }),
      )
    default:
      return null
  }
}
