import type { TRPCRouterRecord } from '@trpc/server'
import { ZCreateViewInput, ZListViewsInput, ZUpdateViewInput, ZViewIdInput } from '../schemas'
import { createSavedView, deleteSavedView, listSavedViews, updateSavedView } from '../services'
import { permitted } from '../trpc'

export const viewsRouter = {
  list: permitted('records.read')
    .input(ZListViewsInput)
    .query(({ ctx, input }) => listSavedViews(ctx, input)),
  create: permitted('records.read')
    .input(ZCreateViewInput)
    .mutation(({ ctx, input }) => createSavedView(ctx, input)),
  update: permitted('records.read')
    .input(ZUpdateViewInput)
    .mutation(({ ctx, input }) => updateSavedView(ctx, input)),
  delete: permitted('records.read')
    .input(ZViewIdInput)
    .mutation(({ ctx, input }) => deleteSavedView(ctx, input)),
} satisfies TRPCRouterRecord
