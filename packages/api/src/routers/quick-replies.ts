import type { TRPCRouterRecord } from '@trpc/server'
import { ZQuickRepliesForInput, ZQuickReplyIdInput, ZQuickReplyInput } from '../schemas'
import { deleteQuickReply, listQuickReplies, quickRepliesFor, saveQuickReply } from '../services'
import { permitted } from '../trpc'

/** Quick replies of the WhatsApp composer (issue 16's inbox). */
export const quickRepliesRouter = {
  list: permitted('records.read').query(({ ctx }) => listQuickReplies(ctx)),
  forConversation: permitted('records.read')
    .input(ZQuickRepliesForInput)
    .query(({ ctx, input }) => quickRepliesFor(ctx, input)),
  save: permitted('records.write')
    .input(ZQuickReplyInput)
    .mutation(({ ctx, input }) => saveQuickReply(ctx, input)),
  delete: permitted('records.write')
    .input(ZQuickReplyIdInput)
    .mutation(({ ctx, input }) => deleteQuickReply(ctx, input)),
} satisfies TRPCRouterRecord
