import type { z } from 'zod'
import { ZConsentSubjectInput } from './consent'

/** One person, named by one of their records: a lead or a client (LGPD requests, decision 038). */
export const ZPersonInput = ZConsentSubjectInput
export type TPersonInput = z.infer<typeof ZPersonInput>
