import type { TRPCRouterRecord } from '@trpc/server'
import { ZCreateViewInput, ZListViewsInput, ZUpdateViewInput, ZViewIdInput } from '../schemas'
import { createSavedView, deleteSavedView, listSavedViews, updateSavedView } from '../services'
import { permitted } from '../trpc'

export const viewsRouter = {
  list: permitted('records.read')
    .input(ZListViewsInput)
    .query(({ ctx, input }) => listSavedViews({ db: ctx.db, actor: ctx.actor, list: input.list })),
  create: permitted('records.read')
    .input(ZCreateViewInput)
    .mutation(({ ctx, input }) => createSavedView({ db: ctx.db, actor: ctx.actor, input })),
  update: permitted('records.read')
    .input(ZUpdateViewInput)
    .mutation(({ ctx, input }) => updateSavedView({ db: ctx.db, actor: ctx.actor, input })),
  delete: permitted('records.read')
    .input(ZViewIdInput)
    .mutation(({ ctx, input }) => deleteSavedView({ db: ctx.db, actor: ctx.actor, id: input.id })),
} satisfies TRPCRouterRecord
