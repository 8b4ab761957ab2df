import type { TRPCRouterRecord } from '@trpc/server'
import {
  ZInsightsInput,
  ZNotificationIdInput,
  ZNotificationPrefsInput,
  ZNotificationsListInput,
  ZPushSubscribeInput,
  ZPushUnsubscribeInput,
  ZReportInput,
} from '../schemas'
import {
  getDashboard,
  getNotificationPrefs,
  getReport,
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
  pushDevices,
  recentActivity,
  setNotificationPrefs,
  subscribePush,
  unreadNotifications,
  unsubscribePush,
} from '../services'
import { permitted } from '../trpc'

export const dashboardRouter = {
  get: permitted('records.read')
    .input(ZInsightsInput)
    .query(({ ctx, input }) => getDashboard(ctx, input)),
  activity: permitted('records.read').query(({ ctx }) => recentActivity(ctx)),
} satisfies TRPCRouterRecord

export const reportsRouter = {
  get: permitted('records.read')
    .input(ZReportInput)
    .query(({ ctx, input }) => getReport(ctx, input)),
} satisfies TRPCRouterRecord

export const notificationsRouter = {
  list: permitted('records.read')
    .input(ZNotificationsListInput)
    .query(({ ctx, input }) => listNotifications(ctx, input)),
  unread: permitted('records.read').query(({ ctx }) => unreadNotifications(ctx)),
  markRead: permitted('records.read')
    .input(ZNotificationIdInput)
    .mutation(({ ctx, input }) => markNotificationRead(ctx, input)),
  markAllRead: permitted('records.read').mutation(({ ctx }) => markAllNotificationsRead(ctx)),
  preferences: permitted('records.read').query(({ ctx }) => getNotificationPrefs(ctx)),
  setPreferences: permitted('records.read')
    .input(ZNotificationPrefsInput)
    .mutation(({ ctx, input }) => setNotificationPrefs(ctx, input)),
  pushDevices: permitted('records.read').query(({ ctx }) => pushDevices(ctx)),
  pushSubscribe: permitted('records.read')
    .input(ZPushSubscribeInput)
    .mutation(({ ctx, input }) => subscribePush(ctx, input)),
  pushUnsubscribe: permitted('records.read')
    .input(ZPushUnsubscribeInput)
    .mutation(({ ctx, input }) => unsubscribePush(ctx, input)),
} satisfies TRPCRouterRecord
