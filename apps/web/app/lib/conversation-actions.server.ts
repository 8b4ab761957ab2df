import type { ConversationStatus } from '@impera/db/enums'
import type { AppLoadContext } from '@remix-run/node'
import { runAction } from './actions.server'
import { formText } from './forms'

type Caller = Awaited<ReturnType<AppLoadContext['scope']['caller']>>

/**
 * What a conversation's thread and composer post, wherever they are shown (the inbox, a lead's or client's page): a
 * template, a retry of a failed send or media download, a status, a label in or out, a note's deletion. Null for any
 * other intent, so the page handles its own.
 */
export function runConversationIntent(context: AppLoadContext, caller: Caller, fd: FormData, conversationId: string) {
  const text = (k: string) => formText(fd, k)
  const intent = text('intent')
  switch (intent) {
    case 'retry':
      return runAction(
        context,
        () => caller.whatsapp.retry({ id: text('messageId') }),
        () => ({ ok: true }),
      )
    case 'retryMedia':
      return runAction(
        context,
        () => caller.whatsapp.retryMedia({ id: text('messageId') }),
        () => ({ ok: true }),
      )
    case 'template':
      return runAction(
        context,
        () =>
          caller.whatsapp.send({
            id: text('id'),
            conversationId,
            type: 'template',
            name: text('name'),
            language: text('language'),
            // One field per parameter from the picker; one per line when the name was typed by hand.
            parameters: fd.has('parameter')
              ? fd.getAll('parameter').map((v) => String(v).trim())
              : text('parameters')
                  .split('\n')
                  .map((s) => s.trim())
                  .filter(Boolean),
          }),
        () => ({ ok: true }),
      )
    case 'setStatus': {
      const status = text('status') as ConversationStatus
      return runAction(
        context,
        () => caller.whatsapp.setStatus({ id: conversationId, status }),
        () => ({ ok: true, message: `whatsapp.state.saved.${status}` }),
      )
    }
    case 'addLabel':
    case 'removeLabel': {
      const change = intent === 'addLabel' ? { add: text('label') } : { remove: text('label') }
      return runAction(
        context,
        () => caller.whatsapp.setLabels({ id: conversationId, ...change }),
        () => ({ ok: true, message: 'whatsapp.labels.saved' }),
      )
    }
    case 'deleteNote':
      return runAction(
        context,
        () => caller.whatsapp.deleteNote({ id: text('noteId') }),
        () => ({ ok: true, message: 'whatsapp.note.deleted' }),
      )
    default:
      return null
  }
}
