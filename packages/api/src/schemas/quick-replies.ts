import { z } from 'zod'
import { requiredText, zQuery, zText, zUuid } from './common'

/** A quick reply (issue 16's inbox): its `/shortcut`, its text, and whether it is the agency's or the member's own. */
export const ZQuickReplyInput = z.object({
  id: zUuid.optional(),
  shortcut: zText()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9_-]{1,30}$/, 'quickReplies.shortcutFormat'),
  body: requiredText(4096),
  personal: z.boolean().default(false),
})
export type TQuickReplyInput = z.infer<typeof ZQuickReplyInput>

export const ZQuickReplyIdInput = z.object({ id: zUuid })

/** The composer's suggestions: the conversation (whose contact fills {{nome}}) and what follows the `/`. */
export const ZQuickRepliesForInput = z.object({ conversationId: zUuid, q: zQuery(30).default('') })
export type TQuickRepliesForInput = z.infer<typeof ZQuickRepliesForInput>
