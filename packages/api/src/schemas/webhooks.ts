import { webhookDeliveryStates, webhookEventTypes, webhookUpdatedFields } from '@impera/db/enums'
import { z } from 'zod'
import { optionalText, zText, zUuid } from './common'

/** An endpoint's URL: http(s), no credentials in it (they would show in every log), at most 2,000 characters. */
export const zWebhookUrl = zText()
  .trim()
  .min(1, 'validation.required')
  .max(2000, 'validation.tooLong')
  .superRefine((v, ctx) => {
    let url: URL
    try {
      url = new URL(v)
    } catch {
      ctx.addIssue({ code: 'custom', message: 'webhooks.urlInvalid' })
      return
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      ctx.addIssue({ code: 'custom', message: 'webhooks.urlInvalid' })
    else if (url.username || url.password) ctx.addIssue({ code: 'custom', message: 'webhooks.urlCredentials' })
  })

const zEventTypes = z
  .array(z.enum(webhookEventTypes))
  .min(1, 'webhooks.eventsRequired')
  .max(webhookEventTypes.length)
  .transform((types) => [...new Set(types)])

const fieldList = <T extends readonly [string, ...string[]]>(fields: T) =>
  z
    .array(z.enum(fields))
    .max(fields.length)
    .transform((xs) => [...new Set(xs)])
    .optional()

/** Per `*.updated` type, the fields whose change is delivered (none listed: every change). */
export const zUpdatedFields = z
  .object({
    'lead.updated': fieldList(webhookUpdatedFields['lead.updated']),
    'client.updated': fieldList(webhookUpdatedFields['client.updated']),
    'property.updated': fieldList(webhookUpdatedFields['property.updated']),
  })
  .default({})

export const ZCreateWebhookEndpointInput = z.object({
  url: zWebhookUrl,
  description: optionalText(200),
  eventTypes: zEventTypes,
  updatedFields: zUpdatedFields,
  /** The integration this endpoint feeds (its own changes are not sent back); set by itself when one creates it. */
  integrationId: zUuid.nullish().transform((v) => v ?? null),
})
export type TCreateWebhookEndpointInput = z.infer<typeof ZCreateWebhookEndpointInput>

export const ZUpdateWebhookEndpointInput = ZCreateWebhookEndpointInput.extend({ id: zUuid })
export type TUpdateWebhookEndpointInput = z.infer<typeof ZUpdateWebhookEndpointInput>

export const ZWebhookEndpointIdInput = z.object({ id: zUuid })
export type TWebhookEndpointIdInput = z.infer<typeof ZWebhookEndpointIdInput>

export const ZSetWebhookEndpointEnabledInput = z.object({ id: zUuid, enabled: z.boolean() })
export type TSetWebhookEndpointEnabledInput = z.infer<typeof ZSetWebhookEndpointEnabledInput>

/** A page of an endpoint's delivery log, newest first; `before` is the sequence number the page starts below. */
export const ZWebhookDeliveriesInput = z.object({
  endpointId: zUuid,
  before: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
  limit: z.number().int().min(1).max(100).default(25),
  state: z.enum(webhookDeliveryStates).optional(),
})
export type TWebhookDeliveriesInput = z.infer<typeof ZWebhookDeliveriesInput>

export const ZRedeliverWebhookInput = z.object({ deliveryId: zUuid })
export type TRedeliverWebhookInput = z.infer<typeof ZRedeliverWebhookInput>
