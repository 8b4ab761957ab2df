import type { TRPCRouterRecord } from '@trpc/server'
import {
  ZAssignConversationInput,
  ZBulkConversationsInput,
  ZConversationAiModeInput,
  ZConversationControlInput,
  ZConversationForRecordInput,
  ZConversationInput,
  ZConversationLabelsInput,
  ZConversationNoteIdInput,
  ZConversationNoteInput,
  ZConversationStatusInput,
  ZCreateWhatsappAccountInput,
  ZLinkConversationInput,
  ZListConversationsInput,
  ZSandboxInjectInput,
  ZSendWhatsappInput,
  ZWhatsappAccountAiModeInput,
  ZWhatsappAccountThroughputInput,
  ZWhatsappAccountIdInput,
  ZWhatsappMessageIdInput,
  ZWhatsappTemplatesInput,
} from '../schemas'
import {
  addConversationNote,
  assignConversation,
  bulkConversations,
  conversationForRecord,
  conversationLabels,
  createWhatsappAccount,
  deleteConversationNote,
  getConversation,
  injectSandboxMessage,
  linkConversation,
  listConversations,
  listWhatsappAccounts,
  listWhatsappTemplates,
  requestTemplateSync,
  markConversationRead,
  queueWhatsappMessage,
  resumeWhatsappAccount,
  retryWhatsappMedia,
  retryWhatsappMessage,
  returnConversationToAi,
  setConversationAiMode,
  setConversationLabels,
  setConversationStatus,
  setWhatsappAccountAiMode,
  setWhatsappAccountThroughput,
  suggestReply,
  summarizeConversation,
  takeOverConversation,
  unreadConversations,
} from '../services'
import { permitted } from '../trpc'

export const whatsappRouter = {
  accounts: permitted('records.read').query(({ ctx }) => listWhatsappAccounts(ctx)),
  createAccount: permitted('agency.settings.update')
    .input(ZCreateWhatsappAccountInput)
    .mutation(({ ctx, input }) => createWhatsappAccount(ctx, input)),
  resumeAccount: permitted('agency.settings.update')
    .input(ZWhatsappAccountIdInput)
    .mutation(({ ctx, input }) => resumeWhatsappAccount(ctx, input)),
  syncTemplates: permitted('agency.settings.update')
    .input(ZWhatsappAccountIdInput)
    .mutation(({ ctx, input }) => requestTemplateSync(ctx, input)),
  templates: permitted('records.read')
    .input(ZWhatsappTemplatesInput)
    .query(({ ctx, input }) => listWhatsappTemplates(ctx, input)),
  conversations: permitted('records.read')
    .input(ZListConversationsInput)
    .query(({ ctx, input }) => listConversations(ctx, input)),
  unread: permitted('records.read').query(({ ctx }) => unreadConversations(ctx)),
  conversation: permitted('records.read')
    .input(ZConversationInput)
    .query(({ ctx, input }) => getConversation(ctx, input)),
  markRead: permitted('records.read')
    .input(ZWhatsappAccountIdInput)
    .mutation(({ ctx, input }) => markConversationRead(ctx, input)),
  send: permitted('records.write')
    .input(ZSendWhatsappInput)
    .mutation(({ ctx, input }) => queueWhatsappMessage(ctx, input)),
  retry: permitted('records.write')
    .input(ZWhatsappMessageIdInput)
    .mutation(({ ctx, input }) => retryWhatsappMessage(ctx, input)),
  retryMedia: permitted('records.write')
    .input(ZWhatsappMessageIdInput)
    .mutation(({ ctx, input }) => retryWhatsappMedia(ctx, input)),
  assign: permitted('records.write')
    .input(ZAssignConversationInput)
    .mutation(({ ctx, input }) => assignConversation(ctx, input)),
  link: permitted('records.write')
    .input(ZLinkConversationInput)
    .mutation(({ ctx, input }) => linkConversation(ctx, input)),
  forRecord: permitted('records.write')
    .input(ZConversationForRecordInput)
    .mutation(({ ctx, input }) => conversationForRecord(ctx, input)),
  /** Decision 020: the AI as a person's assistant — a draft of the next reply, and a summary. Never sends. */
  suggestReply: permitted('records.read')
    .input(ZConversationControlInput)
    .query(({ ctx, input }) => suggestReply(ctx, input)),
  summarize: permitted('records.read')
    .input(ZConversationControlInput)
    .query(({ ctx, input }) => summarizeConversation(ctx, input)),
  /** Decision 019: who answers a conversation. Any member who can see it may take it over or hand it back. */
  takeOver: permitted('records.write')
    .input(ZConversationControlInput)
    .mutation(({ ctx, input }) => takeOverConversation(ctx, input)),
  returnToAi: permitted('records.write')
    .input(ZConversationControlInput)
    .mutation(({ ctx, input }) => returnConversationToAi(ctx, input)),
  /** Issue 16's inbox: open / pending / resolved (a contact's new message reopens), and internal notes. */
  setStatus: permitted('records.write')
    .input(ZConversationStatusInput)
    .mutation(({ ctx, input }) => setConversationStatus(ctx, input)),
  bulk: permitted('records.write')
    .input(ZBulkConversationsInput)
    .mutation(({ ctx, input }) => bulkConversations(ctx, input)),
  setLabels: permitted('records.write')
    .input(ZConversationLabelsInput)
    .mutation(({ ctx, input }) => setConversationLabels(ctx, input)),
  labels: permitted('records.read').query(({ ctx }) => conversationLabels(ctx)),
  addNote: permitted('records.write')
    .input(ZConversationNoteInput)
    .mutation(({ ctx, input }) => addConversationNote(ctx, input)),
  deleteNote: permitted('records.write')
    .input(ZConversationNoteIdInput)
    .mutation(({ ctx, input }) => deleteConversationNote(ctx, input)),
  setAiMode: permitted('records.write')
    .input(ZConversationAiModeInput)
    .mutation(({ ctx, input }) => setConversationAiMode(ctx, input)),
  setAccountAiMode: permitted('agency.settings.update')
    .input(ZWhatsappAccountAiModeInput)
    .mutation(({ ctx, input }) => setWhatsappAccountAiMode(ctx, input)),
  setAccountThroughput: permitted('agency.settings.update')
    .input(ZWhatsappAccountThroughputInput)
    .mutation(({ ctx, input }) => setWhatsappAccountThroughput(ctx, input)),
  sandboxInject: permitted('records.write')
    .input(ZSandboxInjectInput)
    .mutation(({ ctx, input }) => injectSandboxMessage(ctx, input)),
} satisfies TRPCRouterRecord
