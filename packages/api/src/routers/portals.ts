import type { TRPCRouterRecord } from '@trpc/server'
import { ZPortalInput } from '../schemas'
import { deleteListingFeed, getListingFeedReport, rotateListingFeed } from '../services/listing-feed'
import { connectPortal, disconnectPortal, getPortalConnection } from '../services/portals'
import { permitted } from '../trpc'

/** Portal lead intake (decision 022), for managers: the agency's door and what came through it. */
export const portalsRouter = {
  get: permitted('integrations.manage')
    .input(ZPortalInput)
    .query(({ ctx, input }) => getPortalConnection(ctx, input)),
  connect: permitted('integrations.manage')
    .input(ZPortalInput)
    .mutation(({ ctx, input }) => connectPortal(ctx, input)),
  disconnect: permitted('integrations.manage')
    .input(ZPortalInput)
    .mutation(({ ctx, input }) => disconnectPortal(ctx, input)),
  /** The listing feed (decision 023): its URL, what it publishes and what the format's rules keep out. */
  feed: permitted('integrations.manage').query(({ ctx }) => getListingFeedReport(ctx)),
  rotateFeed: permitted('integrations.manage').mutation(({ ctx }) => rotateListingFeed(ctx)),
  deleteFeed: permitted('integrations.manage').mutation(({ ctx }) => deleteListingFeed(ctx)),
} satisfies TRPCRouterRecord
