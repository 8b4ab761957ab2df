import type { TRPCRouterRecord } from '@trpc/server'
import {
  ZAssignConversationInput,
  ZConversationForRecordInput,
  ZConversationInput,
  ZCreateWhatsappAccountInput,
  ZLinkConversationInput,
  ZListConversationsInput,
  ZSandboxInjectInput,
  ZSendWhatsappInput,
  ZSetLeadRuleInput,
  ZWhatsappAccountIdInput,
  ZWhatsappMessageIdInput,
  ZWhatsappTemplatesInput,
} from '../schemas'
import {
  assignConversation,
  conversationForRecord,
  createWhatsappAccount,
  getConversation,
  getLeadRule,
  setLeadRule,
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
  unreadConversations,
} from '../services'
import { permitted } from '../trpc'

export const whatsappRouter = {
  accounts: permitted('records.read').query(({ ctx }) => listWhatsappAccounts({ db: ctx.db, actor: ctx.actor })),
  createAccount: permitted('agency.settings.update')
    .input(ZCreateWhatsappAccountInput)
    .mutation(({ ctx, input }) =>
      createWhatsappAccount({
        db: ctx.db,
        actor: ctx.actor,
        secrets: ctx.secrets,
        graph: ctx.whatsappGraph ?? undefined,
        input,
      }),
    ),
  resumeAccount: permitted('agency.settings.update')
    .input(ZWhatsappAccountIdInput)
    .mutation(({ ctx, input }) => resumeWhatsappAccount({ db: ctx.db, actor: ctx.actor, id: input.id })),
  syncTemplates: permitted('agency.settings.update')
    .input(ZWhatsappAccountIdInput)
    .mutation(({ ctx, input }) => requestTemplateSync({ db: ctx.db, actor: ctx.actor, accountId: input.id })),
  templates: permitted('records.read')
    .input(ZWhatsappTemplatesInput)
    .query(({ ctx, input }) =>
      listWhatsappTemplates({ db: ctx.db, actor: ctx.actor, accountId: input.accountId, all: input.all }),
    ),
  leadRule: permitted('records.read').query(({ ctx }) => getLeadRule({ db: ctx.db, actor: ctx.actor })),
  setLeadRule: permitted('agency.settings.update')
    .input(ZSetLeadRuleInput)
    .mutation(({ ctx, input }) =>
      setLeadRule({ db: ctx.db, actor: ctx.actor, rule: input.rule, memberId: input.memberId }),
    ),
  conversations: permitted('records.read')
    .input(ZListConversationsInput)
    .query(({ ctx, input }) => listConversations({ db: ctx.db, actor: ctx.actor, input })),
  unread: permitted('records.read').query(({ ctx }) => unreadConversations({ db: ctx.db, actor: ctx.actor })),
  conversation: permitted('records.read')
    .input(ZConversationInput)
    .query(({ ctx, input }) => getConversation({ db: ctx.db, actor: ctx.actor, id: input.id, before: input.before })),
  markRead: permitted('records.read')
    .input(ZWhatsappAccountIdInput)
    .mutation(({ ctx, input }) => markConversationRead({ db: ctx.db, actor: ctx.actor, id: input.id })),
  send: permitted('records.write')
    .input(ZSendWhatsappInput)
    .mutation(({ ctx, input }) => queueWhatsappMessage({ db: ctx.db, actor: ctx.actor, input })),
  retry: permitted('records.write')
    .input(ZWhatsappMessageIdInput)
    .mutation(({ ctx, input }) => retryWhatsappMessage({ db: ctx.db, actor: ctx.actor, id: input.id })),
  retryMedia: permitted('records.write')
    .input(ZWhatsappMessageIdInput)
    .mutation(({ ctx, input }) => retryWhatsappMedia({ db: ctx.db, actor: ctx.actor, id: input.id })),
  assign: permitted('records.write')
    .input(ZAssignConversationInput)
    .mutation(({ ctx, input }) =>
      assignConversation({ db: ctx.db, actor: ctx.actor, id: input.id, assignedTo: input.assignedTo }),
    ),
  link: permitted('records.write')
    .input(ZLinkConversationInput)
    .mutation(({ ctx, input }) =>
      linkConversation({ db: ctx.db, actor: ctx.actor, id: input.id, leadId: input.leadId, clientId: input.clientId }),
    ),
  forRecord: permitted('records.write')
    .input(ZConversationForRecordInput)
    .mutation(({ ctx, input }) =>
      conversationForRecord({ db: ctx.db, actor: ctx.actor, leadId: input.leadId, clientId: input.clientId }),
    ),
  sandboxInject: permitted('records.write')
    .input(ZSandboxInjectInput)
    .mutation(({ ctx, input }) => injectSandboxMessage({ db: ctx.db, actor: ctx.actor, input })),
} satisfies TRPCRouterRecord
