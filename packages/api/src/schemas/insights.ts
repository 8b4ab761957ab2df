import { notificationKinds } from '@impera/db/enums'
import { z } from 'zod'
import { zDay, zInstant, zQuery, zUuid } from './common'

export const periodValues = ['today', '7d', '30d', 'custom'] as const

/**
 * The period and whose figures, shared by the dashboard and the reports (and their URLs). A custom period is whole
 * days in the agency's time zone, at most about two years; `agentId` narrows a manager's view to one member.
 */
export const ZInsightsInput = z
  .object({
    period: z.enum(periodValues).default('30d'),
    from: zDay.optional(),
    to: zDay.optional(),
    agentId: zUuid.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.period !== 'custom') return
    if (!v.from) ctx.addIssue({ code: 'custom', path: ['from'], message: 'validation.required' })
    if (!v.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'validation.required' })
    if (v.from && v.to) {
      const days = (Date.parse(v.to) - Date.parse(v.from)) / 86_400_000
      if (!(days >= 0)) ctx.addIssue({ code: 'custom', path: ['to'], message: 'validation.dateOrder' })
      else if (days > 740) ctx.addIssue({ code: 'custom', path: ['to'], message: 'validation.periodTooLong' })
    }
  })
export type TInsightsInput = z.input<typeof ZInsightsInput>

export const reportValues = [
  'sources',
  'pipeline',
  'lost',
  'agents',
  'listings',
  'listings_monthly',
  'ai',
  'ai_handoffs',
  'sla',
] as const
export const ZReportInput = z.object({ report: z.enum(reportValues) }).and(ZInsightsInput)
export type TReportInput = z.infer<typeof ZReportInput>

/** `push` may be left out (clients from before web push): the member's stored choice, or the default, stays. */
const zPref = z.object({ inApp: z.boolean(), email: z.boolean(), push: z.boolean().optional() })
export const ZNotificationPrefsInput = z.object(
  Object.fromEntries(notificationKinds.map((k) => [k, zPref])) as Record<
    (typeof notificationKinds)[number],
    typeof zPref
  >,
)
export type TNotificationPrefsInput = z.infer<typeof ZNotificationPrefsInput>

export const ZNotificationIdInput = z.object({ id: zUuid })
export type TNotificationIdInput = z.infer<typeof ZNotificationIdInput>
/** The bell's next page: older than the last item shown (its time, and its id to break ties within one instant). */
export const ZNotificationsListInput = z.object({ before: zInstant.optional(), beforeId: zUuid.optional() }).optional()
export type TNotificationsListInput = z.infer<typeof ZNotificationsListInput>

export const ZGlobalSearchInput = z.object({ q: zQuery(100).min(2, 'validation.tooShort') })
export type TGlobalSearchInput = z.infer<typeof ZGlobalSearchInput>
export const ZConversationSearchInput = z.object({
  conversationId: zUuid,
  q: zQuery(100).min(2, 'validation.tooShort'),
})
export type TConversationSearchInput = z.infer<typeof ZConversationSearchInput>

const b64url = (bytes: number) =>
  z
    .string()
    .max(200, 'validation.tooLong')
    .refine(
      // Shared with the browser: no Buffer. Unpadded base64url of n bytes is ceil(4n/3) characters.
      (v) => /^[A-Za-z0-9_-]+={0,2}$/.test(v) && v.replace(/=+$/, '').length === Math.ceil((4 * bytes) / 3),
      'push.badKey',
    )

/** A browser's `PushSubscription.toJSON()` (decision 035): where to push, and the keys to encrypt to. */
export const ZPushSubscribeInput = z.object({
  endpoint: z.string().max(2000, 'validation.tooLong').url('push.badEndpoint'),
  expirationTime: z.number().nullish(),
  keys: z.object({ p256dh: b64url(65), auth: b64url(16) }),
})
export type TPushSubscribeInput = z.infer<typeof ZPushSubscribeInput>

export const ZPushUnsubscribeInput = z.object({ id: zUuid })
export type TPushUnsubscribeInput = z.infer<typeof ZPushUnsubscribeInput>
