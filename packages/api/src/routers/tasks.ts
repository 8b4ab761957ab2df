import type { TRPCRouterRecord } from '@trpc/server'
import {
  ZAgendaInput,
  ZCompleteTaskInput,
  ZCreateTaskInput,
  ZListTasksInput,
  ZRescheduleTaskInput,
  ZTaskIdInput,
  ZUpdateTaskInput,
  ZVisitConfirmationInput,
} from '../schemas'
import {
  agenda,
  cancelTask,
  completeTask,
  createTask,
  deleteCalendarFeed,
  getCalendarFeed,
  getTask,
  getVisitConfirmation,
  setVisitConfirmation,
  listTasks,
  reopenTask,
  rescheduleTask,
  rotateCalendarFeed,
  updateTask,
} from '../services'
import { permitted } from '../trpc'

/** Tasks, visits and the member's calendar feed (decision 025). */
export const tasksRouter = {
  agenda: permitted('records.read')
    .input(ZAgendaInput)
    .query(({ ctx, input }) => agenda(ctx, input)),
  list: permitted('records.read')
    .input(ZListTasksInput)
    .query(({ ctx, input }) => listTasks(ctx, input)),
  get: permitted('records.read')
    .input(ZTaskIdInput)
    .query(({ ctx, input }) => getTask(ctx, input)),
  create: permitted('records.write')
    .input(ZCreateTaskInput)
    .mutation(({ ctx, input }) => createTask(ctx, input)),
  update: permitted('records.write')
    .input(ZUpdateTaskInput)
    .mutation(({ ctx, input }) => updateTask(ctx, input)),
  reschedule: permitted('records.write')
    .input(ZRescheduleTaskInput)
    .mutation(({ ctx, input }) => rescheduleTask(ctx, input)),
  complete: permitted('records.write')
    .input(ZCompleteTaskInput)
    .mutation(({ ctx, input }) => completeTask(ctx, input)),
  cancel: permitted('records.write')
    .input(ZTaskIdInput)
    .mutation(({ ctx, input }) => cancelTask(ctx, input)),
  reopen: permitted('records.write')
    .input(ZTaskIdInput)
    .mutation(({ ctx, input }) => reopenTask(ctx, input)),
  calendarFeed: permitted('records.read').query(({ ctx }) => getCalendarFeed(ctx)),
  rotateCalendarFeed: permitted('records.read').mutation(({ ctx }) => rotateCalendarFeed(ctx)),
  deleteCalendarFeed: permitted('records.read').mutation(({ ctx }) => deleteCalendarFeed(ctx)),
  visitConfirmation: permitted('agency.settings.update').query(({ ctx }) => getVisitConfirmation(ctx)),
  setVisitConfirmation: permitted('agency.settings.update')
    .input(ZVisitConfirmationInput)
    .mutation(({ ctx, input }) => setVisitConfirmation(ctx, input)),
} satisfies TRPCRouterRecord
