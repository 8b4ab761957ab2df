import type { TRPCRouterRecord } from '@trpc/server'
import { ZConsentSubjectInput, ZRecordConsentInput } from '../schemas'
import { getConsent, setConsent } from '../services'
import { permitted } from '../trpc'

/** A lead's or client's marketing consent (LGPD, decision 037). */
export const consentRouter = {
  get: permitted('records.read')
    .input(ZConsentSubjectInput)
    .query(({ ctx, input }) => getConsent(ctx, input)),
  record: permitted('records.write')
    .input(ZRecordConsentInput)
    .mutation(({ ctx, input }) => setConsent(ctx, input)),
} satisfies TRPCRouterRecord
