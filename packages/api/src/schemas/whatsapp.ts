import { aiModes, conversationStatuses } from '@impera/db/enums'
import { z } from 'zod'
import { checkPaging, listPaging, zDateBound } from './lists'
import { requiredText, zFlag, zQuery, zText, zUuid } from './common'

const secret = zText().trim().min(8, 'validation.tooShort').max(2000, 'validation.tooLong')

/** A conversation label: the agency's own word, compared and kept in lower case. */
export const zConversationLabel = zText()
  .trim()
  .toLowerCase()
  .min(1, 'validation.required')
  .max(30, 'validation.tooLong')
  .regex(/^[^,]+$/, 'whatsapp.labels.noComma')
export const ZCreateWhatsappAccountInput = z.discriminatedUnion('provider', [
  z.object({ provider: z.literal('sandbox'), label: requiredText(80) }),
  z.object({
    provider: z.literal('cloud_api'),
    label: requiredText(80),
    phoneNumberId: z
      .string()
      .trim()
      .regex(/^\d{5,30}$/, 'whatsapp.phoneNumberIdFormat'),
    displayNumber: zText().trim().min(8, 'validation.phone').max(32, 'validation.phone'),
    wabaId: zText()
      .trim()
      .regex(/^\d{5,30}$/, 'whatsapp.wabaIdFormat')
      .or(z.literal(''))
      .optional(),
    accessToken: secret,
    appSecret: secret,
    verifyToken: secret,
  }),
])
export type TCreateWhatsappAccountInput = z.infer<typeof ZCreateWhatsappAccountInput>

export const ZWhatsappAccountIdInput = z.object({ id: zUuid })
export type TWhatsappAccountIdInput = z.infer<typeof ZWhatsappAccountIdInput>
export { fillTemplate, templateParamCount } from './template-text'

export const ZWhatsappTemplatesInput = z.object({ accountId: zUuid, all: z.boolean().optional() })
export type TWhatsappTemplatesInput = z.infer<typeof ZWhatsappTemplatesInput>

export const conversationSortValues = ['lastMessageAt', 'contact', 'waitingSince'] as const

export const ZListConversationsInput = z
  .object({
    ...listPaging,
    pageSize: z.coerce.number().int().min(5).max(100).default(30),
    sort: z.enum(conversationSortValues).default('lastMessageAt'),
    /** `ai`: the conversations the bot controls (decision 019). */
    filter: z.enum(['all', 'mine', 'unassigned', 'unread', 'ai']).default('all'),
    /** Only conversations with this label. */
    label: zConversationLabel.optional(),
    /** The team's state (open / pending / resolved); `all` or absent lists them all. */
    status: z.enum([...conversationStatuses, 'all']).optional(),
    q: zQuery(120).optional(),
    /** A member's user id (managers narrowing the inbox to one agent). */
    assignee: zUuid.optional(),
    /** Linked to a lead, to a client, or to nothing yet. */
    linked: z.enum(['lead', 'client', 'none']).optional(),
    /** Only conversations whose last message came from the contact and has no reply yet. */
    waiting: zFlag.optional(),
    /** Last message time range. */
    from: zDateBound,
    to: zDateBound,
  })
  .superRefine(checkPaging)
export type TListConversationsInput = z.infer<typeof ZListConversationsInput>

export const ZConversationInput = z.object({
  id: zUuid,
  before: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
})
export type TConversationInput = z.infer<typeof ZConversationInput>

/** "Assumir" / "devolver para a IA" (decision 019). */
export const ZConversationControlInput = z.object({ id: zUuid })
export type TConversationControlInput = z.infer<typeof ZConversationControlInput>
/** Opens, parks ("pendente") or resolves a conversation. */
export const ZConversationStatusInput = z.object({ id: zUuid, status: z.enum(conversationStatuses) })
export type TConversationStatusInput = z.infer<typeof ZConversationStatusInput>
/**
 * A conversation's labels: the whole set (duplicates fold), or one label in or out — applied to the set as it is when
 * the change runs, so two quick changes from the header (or two people) compose instead of the last one winning.
 */
export const ZConversationLabelsInput = z.union([
  z.object({
    id: zUuid,
    labels: z
      .array(zConversationLabel)
      .max(10, 'whatsapp.labels.tooMany')
      .transform((l) => [...new Set(l)].sort()),
  }),
  z.object({ id: zUuid, add: zConversationLabel }),
  z.object({ id: zUuid, remove: zConversationLabel }),
])
export type TConversationLabelsInput = z.infer<typeof ZConversationLabelsInput>
/**
 * One change to the conversations ticked on an inbox page (issue 16's bulk actions): a status, an owner, a label in or
 * out. Each conversation goes through the same owner as a one-off change; those the actor may not change are skipped.
 */
const zBulkConversationAction = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('status'), status: z.enum(conversationStatuses) }),
  z.object({ kind: z.literal('assign'), assignedTo: zUuid.nullable() }),
  z.object({ kind: z.literal('addLabel'), label: zConversationLabel }),
  z.object({ kind: z.literal('removeLabel'), label: zConversationLabel }),
])
/** The ticked conversations of a page, or every one the inbox's filters match (at most 500 at once). */
export const ZBulkConversationsInput = z.union([
  z.object({
    ids: z.array(zUuid).min(1, 'validation.required').max(100, 'validation.tooMany'),
    action: zBulkConversationAction,
  }),
  z.object({ filter: ZListConversationsInput, action: zBulkConversationAction }),
])
export type TBulkConversationsInput = z.infer<typeof ZBulkConversationsInput>
export type TBulkConversationAction = z.infer<typeof zBulkConversationAction>
/** An internal note in the thread; the id is the composer's, so a retry adds it once. */
export const ZConversationNoteInput = z.object({ id: zUuid, conversationId: zUuid, body: requiredText(4096) })
export type TConversationNoteInput = z.infer<typeof ZConversationNoteInput>
export const ZConversationNoteIdInput = z.object({ id: zUuid })
export type TConversationNoteIdInput = z.infer<typeof ZConversationNoteIdInput>
/** A conversation's AI mode (a new conversation starts with its number's, else the agency's). */
export const ZConversationAiModeInput = z.object({ id: zUuid, aiMode: z.enum(aiModes) })
export type TConversationAiModeInput = z.infer<typeof ZConversationAiModeInput>
/** A WhatsApp number's AI mode; null follows the agency's. */
export const ZWhatsappAccountAiModeInput = z.object({ id: zUuid, aiMode: z.enum(aiModes).nullable() })
export type TWhatsappAccountAiModeInput = z.infer<typeof ZWhatsappAccountAiModeInput>
/**
 * A WhatsApp number's throughput, which its sender paces to (decision 049): Meta gives 80 messages a second by default,
 * 20 to a number shared with the WhatsApp Business app (coexistence), up to 1,000 once it upgrades the number.
 */
export const ZWhatsappAccountThroughputInput = z.object({
  id: zUuid,
  messagesPerSecond: z.number().int().min(1).max(1000),
})
export type TWhatsappAccountThroughputInput = z.infer<typeof ZWhatsappAccountThroughputInput>

/** A WhatsApp template as Meta names it: shared by the composer's send and an AI turn's template message. */
export const zTemplateName = z
  .string()
  .trim()
  .regex(/^[a-z0-9_]{1,512}$/, 'whatsapp.templateName')
export const zTemplateLanguage = z
  .string()
  .trim()
  .regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'whatsapp.templateLanguage')
export const zTemplateParameters = z.array(requiredText(1024)).max(20).default([])

export const ZSendWhatsappInput = z.discriminatedUnion('type', [
  z.object({
    /** Generated by the composer: sending again with the same id never sends twice. */
    id: zUuid,
    conversationId: zUuid,
    type: z.literal('text'),
    text: requiredText(4096),
    replyTo: zText().max(200).optional(),
  }),
  z.object({
    id: zUuid,
    conversationId: zUuid,
    type: z.literal('template'),
    name: zTemplateName,
    language: zTemplateLanguage,
    parameters: zTemplateParameters,
  }),
])
export type TSendWhatsappInput = z.infer<typeof ZSendWhatsappInput>

export const ZWhatsappMessageIdInput = z.object({ id: zUuid })
export type TWhatsappMessageIdInput = z.infer<typeof ZWhatsappMessageIdInput>
export const ZAssignConversationInput = z.object({ id: zUuid, assignedTo: zUuid.nullable() })
export type TAssignConversationInput = z.infer<typeof ZAssignConversationInput>
export const ZLinkConversationInput = z.object({ id: zUuid, leadId: zUuid.nullable(), clientId: zUuid.nullable() })
export type TLinkConversationInput = z.infer<typeof ZLinkConversationInput>
export const ZConversationForRecordInput = z
  .object({
    leadId: zUuid.optional(),
    clientId: zUuid.optional(),
    /** Which of the agency's numbers writes (default: the record's latest conversation's, else the first number). */
    accountId: zUuid.optional(),
    /** Which of the record's phones to write to (default: its first); must be one of them. */
    phone: zText().trim().max(32, 'validation.phone').optional(),
  })
  .refine((v) => !!v.leadId !== !!v.clientId, { message: 'whatsapp.recordRequired' })
export type TConversationForRecordInput = z.infer<typeof ZConversationForRecordInput>
export const ZSandboxInjectInput = z.object({
  accountId: zUuid,
  from: zText().trim().min(8, 'validation.phone').max(32, 'validation.phone'),
  name: zText().trim().max(120, 'validation.tooLong').optional(),
  text: requiredText(4096),
})
export type TSandboxInjectInput = z.infer<typeof ZSandboxInjectInput>
