import type { TRPCRouterRecord } from '@trpc/server'
import { ZConversationSearchInput, ZGlobalSearchInput } from '../schemas'
import { globalSearch, searchConversationMessages } from '../services'
import { permitted } from '../trpc'

export const searchRouter = {
  global: permitted('records.read')
    .input(ZGlobalSearchInput)
    .query(({ ctx, input }) => globalSearch({ db: ctx.db, actor: ctx.actor, q: input.q })),
  conversation: permitted('records.read')
    .input(ZConversationSearchInput)
    .query(({ ctx, input }) =>
      searchConversationMessages({ db: ctx.db, actor: ctx.actor, conversationId: input.conversationId, q: input.q }),
    ),
} satisfies TRPCRouterRecord
