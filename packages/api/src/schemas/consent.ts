import { consentBases } from '@impera/db/enums'
import { z } from 'zod'
import { optionalText, zUuid } from './common'

/**
 * A list filter on marketing consent: `granted` (the newest entry is a grant), `revoked` (it is a revocation), `none`
 * (never asked; refused for marketing like a revocation).
 */
export const consentFilterValues = ['granted', 'revoked', 'none'] as const
export type ConsentFilter = (typeof consentFilterValues)[number]

/** A lead or a client: exactly one of the two ids. */
const subject = {
  leadId: zUuid.optional(),
  clientId: zUuid.optional(),
}
const oneSubject = (v: { leadId?: string; clientId?: string }) => (v.leadId ? 1 : 0) + (v.clientId ? 1 : 0) === 1

export const ZConsentSubjectInput = z
  .object(subject)
  .refine(oneSubject, { message: 'consent.errors.oneSubject', path: ['leadId'] })
export type TConsentSubjectInput = z.infer<typeof ZConsentSubjectInput>

/**
 * What a member records (issue 17's LGPD): the person agreed, on which legal basis and to which wording, or took it
 * back. The wording is free text (a version tag like "site-2026-03" or the sentence itself).
 */
export const ZRecordConsentInput = z
  .object({
    ...subject,
    granted: z.boolean(),
    basis: z.enum(consentBases).default('consent'),
    textVersion: optionalText(500),
  })
  .refine(oneSubject, { message: 'consent.errors.oneSubject', path: ['leadId'] })
export type TRecordConsentInput = z.infer<typeof ZRecordConsentInput>
