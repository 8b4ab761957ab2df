import { integrationScopes } from '@impera/db/enums'
import { z } from 'zod'
import { requiredText, zInstant, zText, zUuid } from './common'

/** 4 or 6 for an IP address, 0 otherwise; written without node:net, since forms validate with these schemas too. */
export function ipFamily(value: string): 0 | 4 | 6 {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(value)
  if (v4) return v4.slice(1).every((o) => Number(o) <= 255 && !/^0\d/.test(o)) ? 4 : 0
  if (!value.includes(':') || /[^0-9a-fA-F:.]/.test(value)) return 0
  try {
    new URL(`http://[${value}]/`)
    return 6
  } catch {
    return 0
  }
}

/** One address or CIDR range ("203.0.113.7", "203.0.113.0/24", "2001:db8::/32"). */
export function isAddressOrRange(value: string): boolean {
  const [base, bits, extra] = value.split('/')
  if (extra !== undefined || !base) return false
  const family = ipFamily(base)
  if (!family) return false
  if (bits === undefined) return true
  const n = Number(bits)
  return /^\d{1,3}$/.test(bits) && n >= 0 && n <= (family === 4 ? 32 : 128)
}

const zScopes = z
  .array(z.enum(integrationScopes))
  .min(1, 'integrations.scopesRequired')
  .max(integrationScopes.length)
  .transform((scopes) => [...new Set(scopes)])

const zAllowlist = z
  .array(zText().trim().max(64, 'validation.tooLong').refine(isAddressOrRange, 'integrations.badAddress'))
  .max(50, 'validation.tooMany')
  .default([])

/** An expiry, when given, in the future. */
const zExpiry = zInstant
  .refine((d) => d.getTime() > Date.now(), 'integrations.expiryPast')
  .nullish()
  .transform((v) => v ?? null)

export const ZCreateIntegrationInput = z.object({
  name: requiredText(80),
  scopes: zScopes,
  ipAllowlist: zAllowlist,
  expiresAt: zExpiry,
})
export type TCreateIntegrationInput = z.infer<typeof ZCreateIntegrationInput>

export const ZUpdateIntegrationInput = ZCreateIntegrationInput.extend({ id: zUuid })
export type TUpdateIntegrationInput = z.infer<typeof ZUpdateIntegrationInput>

export const ZIntegrationIdInput = z.object({ id: zUuid })
export type TIntegrationIdInput = z.infer<typeof ZIntegrationIdInput>

/** A new key; the keys in use keep working for `overlapHours` (0: they stop now), so callers can switch over. */
export const ZRotateIntegrationKeyInput = z.object({
  id: zUuid,
  overlapHours: z.number().int('validation.integer').min(0, 'validation.min').max(720, 'validation.max').default(24),
})
export type TRotateIntegrationKeyInput = z.infer<typeof ZRotateIntegrationKeyInput>

export const ZApiKeyIdInput = z.object({ keyId: zUuid })
export type TApiKeyIdInput = z.infer<typeof ZApiKeyIdInput>
