import { taskKinds, taskRecurrences, taskStatuses, visitInterests, visitOutcomes } from '@impera/db/enums'
import { z } from 'zod'
import { optionalText, requiredText, zDay, zUuid } from './common'

/** Tasks are planned within a sane window: a forged year 9999 or 1970 is a typo, not a plan. */
const EARLIEST = new Date('2000-01-01T00:00:00Z')
const LATEST = new Date('2100-01-01T00:00:00Z')
export const zDueAt = z.coerce
  .date('tasks.dateInvalid')
  .min(EARLIEST, 'tasks.dateInvalid')
  .max(LATEST, 'tasks.dateInvalid')

const zOptionalId = z
  .union([zUuid, z.literal('')])
  .nullish()
  .transform((v) => (v ? v : null))

/** Minutes, from a number or a form's text ('' = none). */
const zMinutes = (min: number, max: number) =>
  z
    .union([z.number(), z.string()])
    .transform((v) => (v === '' ? null : Number(v)))
    .pipe(z.number().int('validation.number').min(min, 'validation.number').max(max, 'validation.number').nullable())
    .nullish()
    .transform((v) => v ?? null)

/**
 * A task or a visit (decision 025). A visit is with a lead or a client and shows at least one property; a task may
 * stand alone (a document to chase) or hang off any record.
 */
export const ZTaskInput = z
  .object({
    kind: z.enum(taskKinds),
    title: requiredText(200),
    notes: optionalText(5000).transform((v) => v ?? ''),
    dueAt: zDueAt,
    durationMinutes: zMinutes(5, 1440).transform((v) => v ?? 30),
    place: optionalText(300),
    /** Empty: the acting member. */
    assignedTo: zOptionalId,
    leadId: zOptionalId,
    clientId: zOptionalId,
    propertyId: zOptionalId,
    /** The properties a visit shows, in order. */
    propertyIds: z.array(zUuid).max(10, 'validation.tooMany').default([]),
    remindMinutes: zMinutes(0, 10080),
    recurrence: z.enum(taskRecurrences).default('none'),
  })
  .refine((v) => v.kind !== 'visit' || v.leadId !== null || v.clientId !== null, {
    path: ['leadId'],
    message: 'tasks.visitNeedsContact',
  })
  .refine((v) => v.kind !== 'visit' || v.propertyIds.length > 0 || v.propertyId !== null, {
    path: ['propertyIds'],
    message: 'tasks.visitNeedsProperty',
  })
  .refine((v) => new Set(v.propertyIds).size === v.propertyIds.length, {
    path: ['propertyIds'],
    message: 'tasks.propertyTwice',
  })
export type TTaskInput = z.output<typeof ZTaskInput>

export const ZCreateTaskInput = z.object({ data: ZTaskInput })
export type TCreateTaskInput = z.output<typeof ZCreateTaskInput>
export const ZUpdateTaskInput = z.object({ id: zUuid, data: ZTaskInput })
export type TUpdateTaskInput = z.output<typeof ZUpdateTaskInput>
export const ZTaskIdInput = z.object({ id: zUuid })
export type TTaskIdInput = z.output<typeof ZTaskIdInput>

/** Drag on the calendar, or "amanhã" on a row: a new time, keeping everything else. */
export const ZRescheduleTaskInput = z.object({ id: zUuid, dueAt: zDueAt })
export type TRescheduleTaskInput = z.output<typeof ZRescheduleTaskInput>

/**
 * Done: a note, and for a visit its outcome, what the lead thought of each property shown, and — when rescheduled —
 * the new time (a new visit follows this one).
 */
export const ZCompleteTaskInput = z
  .object({
    id: zUuid,
    outcome: z.enum(visitOutcomes).nullish(),
    note: optionalText(5000),
    properties: z
      .array(
        z.object({
          propertyId: zUuid,
          interest: z.enum(visitInterests).nullish(),
          feedback: optionalText(1000),
        }),
      )
      .max(10, 'validation.tooMany')
      .default([]),
    rescheduleTo: zDueAt.nullish(),
  })
  .refine((v) => v.outcome !== 'rescheduled' || !!v.rescheduleTo, {
    path: ['rescheduleTo'],
    message: 'tasks.rescheduleNeedsTime',
  })
export type TCompleteTaskInput = z.output<typeof ZCompleteTaskInput>

/**
 * "Hoje": overdue, today and the next days for one member ('me', a member's id — managers only — or 'all' for the
 * agency). `day` is the agency's calendar day to centre on (default: today in its time zone).
 */
export const ZAgendaInput = z
  .object({
    who: z.union([z.literal('me'), z.literal('all'), zUuid]).default('me'),
    day: zDay.optional(),
  })
  .default({ who: 'me' })
export type TAgendaInput = z.output<typeof ZAgendaInput>

/** The calendar and the record pages: tasks in a time range and/or of one record. */
export const ZListTasksInput = z
  .object({
    who: z.union([z.literal('me'), z.literal('all'), zUuid]).default('all'),
    from: zDueAt.optional(),
    to: zDueAt.optional(),
    status: z.array(z.enum(taskStatuses)).max(3).optional(),
    leadId: zUuid.optional(),
    clientId: zUuid.optional(),
    propertyId: zUuid.optional(),
  })
  .refine((v) => !v.from || !v.to || v.from < v.to, { path: ['to'], message: 'validation.dateOrder' })
  .refine((v) => !v.from || !v.to || v.to.getTime() - v.from.getTime() <= 62 * 86_400_000, {
    path: ['to'],
    message: 'tasks.rangeTooLong',
  })
export type TListTasksInput = z.output<typeof ZListTasksInput>

/** The template that confirms visits the day before (decision 026), or none (`name: null`). */
export const ZVisitConfirmationInput = z.object({
  name: z
    .string()
    .trim()
    .max(512, 'validation.tooLong')
    .regex(/^[a-z0-9_]*$/, 'tasks.confirmation.templateUnknown')
    .transform((v) => v || null)
    .nullable(),
  language: z
    .string()
    .trim()
    .regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'tasks.confirmation.templateUnknown')
    .default('pt_BR'),
})
export type TVisitConfirmationInput = z.output<typeof ZVisitConfirmationInput>
