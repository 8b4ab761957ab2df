import type { TRPCRouterRecord } from '@trpc/server'
import {
  ZInsightsInput,
  ZNotificationIdInput,
  ZNotificationPrefsInput,
  ZNotificationsListInput,
  ZReportInput,
} from '../schemas'
import {
  getDashboard,
  getNotificationPrefs,
  getReport,
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
  recentActivity,
  setNotificationPrefs,
  unreadNotifications,
} from '../services'
import { permitted } from '../trpc'

export const dashboardRouter = {
  get: permitted('records.read')
    .input(ZInsightsInput)
    .query(({ ctx, input }) => getDashboard({ db: ctx.db, actor: ctx.actor, input })),
  activity: permitted('records.read').query(({ ctx }) => recentActivity({ db: ctx.db, actor: ctx.actor })),
} satisfies TRPCRouterRecord

export const reportsRouter = {
  get: permitted('records.read')
    .input(ZReportInput)
    .query(({ ctx, input }) => getReport({ db: ctx.db, actor: ctx.actor, input })),
} satisfies TRPCRouterRecord

export const notificationsRouter = {
  list: permitted('records.read')
    .input(ZNotificationsListInput)
    .query(({ ctx, input }) =>
      listNotifications({ db: ctx.db, actor: ctx.actor, before: input?.before, beforeId: input?.beforeId }),
    ),
  unread: permitted('records.read').query(({ ctx }) => unreadNotifications({ db: ctx.db, actor: ctx.actor })),
  markRead: permitted('records.read')
    .input(ZNotificationIdInput)
    .mutation(({ ctx, input }) => markNotificationRead({ db: ctx.db, actor: ctx.actor, id: input.id })),
  markAllRead: permitted('records.read').mutation(({ ctx }) =>
    markAllNotificationsRead({ db: ctx.db, actor: ctx.actor }),
  ),
  preferences: permitted('records.read').query(({ ctx }) => getNotificationPrefs({ db: ctx.db, actor: ctx.actor })),
  setPreferences: permitted('records.read')
    .input(ZNotificationPrefsInput)
    .mutation(({ ctx, input }) => setNotificationPrefs({ db: ctx.db, actor: ctx.actor, input })),
} satisfies TRPCRouterRecord
