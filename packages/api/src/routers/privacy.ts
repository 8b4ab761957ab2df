import type { TRPCRouterRecord } from '@trpc/server'
import { ZPersonInput } from '../schemas'
import { anonymisePerson } from '../services'
import { permitted } from '../trpc'

/** A data subject's requests (LGPD, decision 038); the export is a download (apps/web/server/media.ts). */
export const privacyRouter = {
  anonymise: permitted('privacy.manage')
    .input(ZPersonInput)
    .mutation(({ ctx, input }) => anonymisePerson(ctx, input)),
} satisfies TRPCRouterRecord
