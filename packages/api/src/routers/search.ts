import type { TRPCRouterRecord } from '@trpc/server'
import { ZConversationSearchInput, ZGlobalSearchInput } from '../schemas'
import { globalSearch, searchConversationMessages } from '../services'
import { permitted } from '../trpc'

export const searchRouter = {
  global: permitted('records.read')
    .input(ZGlobalSearchInput)
    .query(({ ctx, input }) => globalSearch(ctx, input)),
  conversation: permitted('records.read')
    .input(ZConversationSearchInput)
    .query(({ ctx, input }) => searchConversationMessages(ctx, input)),
} satisfies TRPCRouterRecord
