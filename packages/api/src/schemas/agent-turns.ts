import { leadStatuses } from '@impera/db/enums'
import { z } from 'zod'
import { ZQualificationValues } from '../ai/qualification'
import { requiredText, zText, zUuid } from './common'
import { zTemplateLanguage, zTemplateName, zTemplateParameters } from './whatsapp'

/**
 * An AI agent's turn on a conversation (decision 020): what the external agent posts to
 * `/api/v1/conversations/{id}/turns` and what the built-in provider produces — one schema, so both are checked alike.
 * Checked again when the turn executes (stale, window), not only when it is parsed.
 */
export const ZTurnMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: requiredText(4096) }).strict(),
  z
    .object({
      type: z.literal('template'),
      name: zTemplateName,
      language: zTemplateLanguage,
      parameters: zTemplateParameters,
    })
    .strict(),
  /** A listing of the agency, sent as a card (title, place, price, code); `text` goes before it. */
  z.object({ type: z.literal('property'), propertyId: zUuid, text: requiredText(1000).optional() }).strict(),
])
export type TTurnMessage = z.infer<typeof ZTurnMessage>

/** Statuses a bot may set: moving a lead along, never closing it (converting or losing it is a person's call). */
export const botLeadStatuses = ['contacted', 'qualified'] as const satisfies readonly (typeof leadStatuses)[number][]

export const ZTurnActions = z
  .object({
    /** Qualification slots read from the conversation; a person's value is never overwritten. */
    qualification: ZQualificationValues.optional(),
    note: requiredText(5000).optional(),
    tags: z.array(zText().trim().min(1, 'validation.required').max(40, 'validation.tooLong')).max(10).optional(),
    status: z.enum(botLeadStatuses).optional(),
    /** Listings the agent recommends: linked to the lead as interests. */
    suggestProperties: z.array(zUuid).max(3).optional(),
    /** Hands the conversation to a person, who gets the summary. */
    handoff: z
      .object({ reason: requiredText(200), summary: requiredText(2000).optional() })
      .strict()
      .optional(),
  })
  .strict()
export type TTurnActions = z.infer<typeof ZTurnActions>

export const ZAgentTurn = z
  .object({
    /** The newest inbound message the agent read: a newer one makes the turn stale (409 `stale_turn`). */
    inReplyTo: zUuid,
    messages: z.array(ZTurnMessage).max(3, 'ai.tooManyMessages').default([]),
    actions: ZTurnActions.default({}),
  })
  .strict()
export type TAgentTurn = z.infer<typeof ZAgentTurn>
