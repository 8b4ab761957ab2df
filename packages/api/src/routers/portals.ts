import type { TRPCRouterRecord } from '@trpc/server'
import { ZPortalInput } from '../schemas'
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
} satisfies TRPCRouterRecord
