import { sql } from '@impera/db'
import { notificationKinds } from '@impera/db/enums'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appRouter } from '../src/root'
import {
  agencyChecksum,
  buildWorld,
  clientData,
  leadData,
  outcome,
  propertyData,
  type Persona,
  type World,
  testPush,
} from './harness'

/**
 * The isolation suite. It enumerates every procedure of the app router, so a procedure added later fails here until
 * it is registered in the manifest with the scope it claims and an input aimed at agency A's records. Then every
 * attacker persona calls it, and A's rows must be byte-for-byte unchanged and absent from every answer.
 */
type Scope = 'agency' | 'self' | 'admin'
const manifest: Record<string, { scope: Scope; input: (w: World) => unknown }> = {
  'profile.me': { scope: 'self', input: () => undefined },
  'profile.update': { scope: 'self', input: () => ({ name: 'Renamed', phone: null, locale: 'en' }) },
  'profile.setLocale': { scope: 'self', input: () => ({ locale: 'en' }) },
  'profile.setTheme': { scope: 'self', input: () => ({ theme: 'dark' }) },
  'profile.changePassword': {
    scope: 'self',
    input: () => ({
      currentPassword: 'not the password',
      password: 'a brand new secret',
      confirm: 'a brand new secret',
    }),
  },
  'profile.sessions': { scope: 'self', input: () => undefined },
  'profile.revokeSession': { scope: 'self', input: (w) => ({ sessionId: w.a.managerSessionId }) },
  'agency.get': { scope: 'agency', input: () => undefined },
  'agency.updateSettings': {
    scope: 'agency',
    input: () => ({
      name: 'Taken Over',
      locale: 'en',
      currency: 'USD',
      defaultPhoneCountry: 'US',
      timezone: 'America/New_York',
      agentsSeeAll: true,
      contactSlaHours: 1,
      staleReservedDays: 1,
    }),
  },
  'agency.updateAiSettings': {
    scope: 'agency',
    input: () => ({
      aiProvider: 'external',
      aiTurnDeadlineSeconds: 10,
      aiDebounceMs: 0,
      aiMaxBotStreak: 1,
      aiMaxBotPerMinute: 1,
      aiHandoffPhrases: ['tudo'],
      aiOptOutWords: ['oi'],
    }),
  },
  'agency.auditLog': { scope: 'agency', input: () => undefined },
  'agency.aiModel': { scope: 'agency', input: () => undefined },
  'agency.setAiModel': {
    scope: 'agency',
    input: () => ({ baseUrl: 'https://llm.example.test/v1', model: 'intruder', apiKey: 'sk-x', timeoutSeconds: 2 }),
  },
  'agency.testAiModel': { scope: 'agency', input: () => undefined },
  'agency.faq': { scope: 'agency', input: () => undefined },
  'agency.onboarding': { scope: 'agency', input: () => undefined },
  'agency.dismissOnboarding': { scope: 'agency', input: () => undefined },
  'agency.createFaq': { scope: 'agency', input: () => ({ question: 'Invasão?', answer: 'Sim', keywords: ['x'] }) },
  'agency.updateFaq': {
    scope: 'agency',
    input: () => ({ id: faqId, question: 'Tomada', answer: 'Tomada', keywords: [], enabled: false }),
  },
  'agency.deleteFaq': { scope: 'agency', input: () => ({ id: faqId }) },
  'members.list': { scope: 'agency', input: () => undefined },
  'members.invitations': { scope: 'agency', input: () => undefined },
  'members.invite': { scope: 'agency', input: () => ({ email: 'intruder@example.test', role: 'manager' }) },
  'members.resendInvitation': { scope: 'agency', input: (w) => ({ invitationId: w.a.invitationId }) },
  'members.changeRole': { scope: 'agency', input: (w) => ({ membershipId: w.a.agentMembershipId, role: 'manager' }) },
  'members.deactivate': { scope: 'agency', input: (w) => ({ membershipId: w.a.agentMembershipId }) },
  'members.reactivate': { scope: 'agency', input: (w) => ({ membershipId: w.a.agentMembershipId }) },
  'members.revokeInvitation': { scope: 'agency', input: (w) => ({ invitationId: w.a.invitationId }) },
  'leads.list': { scope: 'agency', input: () => ({ q: 'Alfa' }) },
  'leads.exportPage': { scope: 'agency', input: () => ({ q: 'Alfa' }) },
  'bulk.leads': {
    scope: 'agency',
    input: (w) => ({ selection: { ids: [w.a.leadId] }, action: { kind: 'addTag', tag: 'tomado' } }),
  },
  'bulk.clients': {
    scope: 'agency',
    input: (w) => ({ selection: { ids: [w.a.clientId] }, action: { kind: 'addTag', tag: 'tomado' } }),
  },
  'bulk.properties': {
    scope: 'agency',
    input: (w) => ({ selection: { ids: [w.a.propertyId] }, action: { kind: 'status', status: 'reserved' } }),
  },
  'bulk.get': { scope: 'agency', input: () => ({ id: bulkId }) },
  'leads.board': { scope: 'agency', input: () => undefined },
  // Before the deletes below, which take the lead and the client away.
  'consent.get': { scope: 'agency', input: (w) => ({ leadId: w.a.leadId }) },
  'consent.record': { scope: 'agency', input: (w) => ({ clientId: w.a.clientId, granted: false }) },
  'leads.get': { scope: 'agency', input: (w) => ({ id: w.a.leadId }) },
  'leads.assignees': { scope: 'agency', input: () => undefined },
  'leads.trash': { scope: 'agency', input: () => undefined },
  'leads.create': {
    scope: 'agency',
    input: (w) => ({
      data: leadData({ name: 'Intruso', phones: ['+55 11 97777-0000'], assignedTo: w.a.agent.userId }),
    }),
  },
  'leads.update': {
    scope: 'agency',
    input: (w) => ({ id: w.a.leadId, data: leadData({ name: 'Renamed', phones: ['+55 11 91234-5678'] }) }),
  },
  'leads.assign': { scope: 'agency', input: (w) => ({ id: w.a.leadId, assignedTo: w.a.manager.userId }) },
  'leads.setStatus': { scope: 'agency', input: (w) => ({ id: w.a.leadId, status: 'lost', lostReason: 'budget' }) },
  'leads.addNote': { scope: 'agency', input: (w) => ({ leadId: w.a.leadId, body: 'intrusion' }) },
  'leads.updateNote': { scope: 'agency', input: (w) => ({ id: w.a.noteId, body: 'rewritten' }) },
  'leads.deleteNote': { scope: 'agency', input: (w) => ({ id: w.a.noteId }) },
  'leads.restore': { scope: 'agency', input: (w) => ({ id: w.a.trashedLeadId }) },
  'leads.interests': { scope: 'agency', input: (w) => ({ id: w.a.leadId }) },
  'leads.matches': { scope: 'agency', input: (w) => ({ id: w.a.leadId }) },
  'leads.setQualification': { scope: 'agency', input: (w) => ({ id: w.a.leadId, values: { budgetMax: 50_000_000 } }) },
  'leads.linkProperty': { scope: 'agency', input: (w) => ({ leadId: w.a.leadId, propertyId: w.a.propertyId }) },
  'leads.unlinkProperty': { scope: 'agency', input: (w) => ({ leadId: w.a.leadId, propertyId: w.a.propertyId }) },
  'leads.convert': { scope: 'agency', input: (w) => ({ id: w.a.qualifiedLeadId, clientId: w.a.clientId }) },
  'clients.list': { scope: 'agency', input: () => ({ q: 'Alfa' }) },
  'clients.pick': { scope: 'agency', input: () => ({ q: 'Alfa' }) },
  'clients.get': { scope: 'agency', input: (w) => ({ id: w.a.clientId }) },
  'clients.trash': { scope: 'agency', input: () => undefined },
  'clients.create': {
    scope: 'agency',
    input: (w) => ({ data: clientData({ name: 'Intruso', assignedTo: w.a.agent.userId }) }),
  },
  'clients.update': {
    scope: 'agency',
    input: (w) => ({ id: w.a.clientId, data: clientData({ name: 'Renamed', document: '529.982.247-25' }) }),
  },
  'clients.addNote': { scope: 'agency', input: (w) => ({ clientId: w.a.clientId, body: 'intrusion' }) },
  'clients.updateNote': { scope: 'agency', input: (w) => ({ id: w.a.clientNoteId, body: 'rewritten' }) },
  'clients.deleteNote': { scope: 'agency', input: (w) => ({ id: w.a.clientNoteId }) },
  'clients.restore': { scope: 'agency', input: (w) => ({ id: w.a.trashedClientId }) },
  'properties.list': { scope: 'agency', input: () => ({ q: 'Alfa' }) },
  'properties.pick': { scope: 'agency', input: () => ({ q: 'Alfa' }) },
  'properties.get': { scope: 'agency', input: (w) => ({ id: w.a.propertyId }) },
  'properties.share': { scope: 'agency', input: (w) => ({ propertyId: w.a.propertyId, leadId: w.a.leadId }) },
  'properties.sendCard': { scope: 'agency', input: (w) => ({ propertyId: w.a.propertyId, leadId: w.a.leadId }) },
  'properties.matches': { scope: 'agency', input: (w) => ({ id: w.a.propertyId }) },
  'properties.trash': { scope: 'agency', input: () => undefined },
  'properties.create': {
    scope: 'agency',
    input: (w) => ({ data: propertyData({ title: 'Intruso', ownerClientId: w.a.clientId }) }),
  },
  'properties.update': {
    scope: 'agency',
    input: (w) => ({ id: w.a.propertyId, data: propertyData({ title: 'Renamed', code: 'HACK1' }) }),
  },
  'properties.setStatus': { scope: 'agency', input: (w) => ({ id: w.a.propertyId, status: 'sold' }) },
  'properties.reorderPhotos': {
    scope: 'agency',
    input: (w) => ({ propertyId: w.a.propertyId, photoIds: [w.a.photoId] }),
  },
  'properties.setCover': { scope: 'agency', input: (w) => ({ photoId: w.a.photoId }) },
  'properties.deletePhoto': { scope: 'agency', input: (w) => ({ id: w.a.photoId }) },
  'properties.restore': { scope: 'agency', input: (w) => ({ id: w.a.trashedPropertyId }) },
  'properties.delete': { scope: 'agency', input: (w) => ({ id: w.a.propertyId }) },
  'clients.delete': { scope: 'agency', input: (w) => ({ id: w.a.clientId }) },
  'whatsapp.accounts': { scope: 'agency', input: () => undefined },
  'whatsapp.createAccount': { scope: 'agency', input: () => ({ provider: 'sandbox', label: 'Intruso' }) },
  'whatsapp.resumeAccount': { scope: 'agency', input: (w) => ({ id: w.a.waAccountId }) },
  'whatsapp.syncTemplates': { scope: 'agency', input: (w) => ({ id: w.a.waAccountId }) },
  'whatsapp.templates': { scope: 'agency', input: (w) => ({ accountId: w.a.waAccountId, all: true }) },
  'whatsapp.conversations': { scope: 'agency', input: () => ({}) },
  'whatsapp.unread': { scope: 'agency', input: () => undefined },
  'whatsapp.conversation': { scope: 'agency', input: (w) => ({ id: w.a.conversationId }) },
  'whatsapp.suggestReply': { scope: 'agency', input: (w) => ({ id: w.a.botConversationId }) },
  'whatsapp.summarize': { scope: 'agency', input: (w) => ({ id: w.a.botConversationId }) },
  'whatsapp.markRead': { scope: 'agency', input: (w) => ({ id: w.a.conversationId }) },
  'whatsapp.send': {
    scope: 'agency',
    input: (w) => ({
      id: '6f1d2c3b-4a59-4e8f-9a0b-1c2d3e4f5a6b',
      conversationId: w.a.conversationId,
      type: 'text',
      text: 'intrusion',
    }),
  },
  'whatsapp.retry': { scope: 'agency', input: (w) => ({ id: w.a.failedMessageId }) },
  'whatsapp.retryMedia': { scope: 'agency', input: (w) => ({ id: w.a.mediaMessageId }) },
  'whatsapp.assign': { scope: 'agency', input: (w) => ({ id: w.a.conversationId, assignedTo: w.a.manager.userId }) },
  'whatsapp.link': { scope: 'agency', input: (w) => ({ id: w.a.conversationId, leadId: w.a.leadId, clientId: null }) },
  'whatsapp.forRecord': { scope: 'agency', input: (w) => ({ leadId: w.a.leadId }) },
  // Before the two below: the AI must be on for a conversation to go back to it.
  'whatsapp.setAiMode': { scope: 'agency', input: (w) => ({ id: w.a.conversationId, aiMode: 'auto' }) },
  'whatsapp.takeOver': { scope: 'agency', input: (w) => ({ id: w.a.conversationId }) },
  'whatsapp.returnToAi': { scope: 'agency', input: (w) => ({ id: w.a.conversationId }) },
  'whatsapp.setAccountAiMode': { scope: 'agency', input: (w) => ({ id: w.a.waAccountId, aiMode: 'auto' }) },
  'whatsapp.setAccountThroughput': {
    scope: 'agency',
    input: (w) => ({ id: w.a.waAccountId, messagesPerSecond: 20 }),
  },
  'whatsapp.labels': { scope: 'agency', input: () => undefined },
  'whatsapp.bulk': {
    scope: 'agency',
    input: (w) => ({ ids: [w.a.conversationId], action: { kind: 'addLabel', label: 'tomada-em-massa' } }),
  },
  'whatsapp.setLabels': { scope: 'agency', input: (w) => ({ id: w.a.conversationId, labels: ['tomada'] }) },
  'whatsapp.setStatus': { scope: 'agency', input: (w) => ({ id: w.a.conversationId, status: 'pending' }) },
  'whatsapp.addNote': {
    scope: 'agency',
    input: (w) => ({
      id: '2b7e4f1a-9c3d-4e5f-8a6b-7c8d9e0f1a2b',
      conversationId: w.a.conversationId,
      body: 'intrusion',
    }),
  },
  'whatsapp.deleteNote': { scope: 'agency', input: () => ({ id: conversationNoteId }) },
  'whatsapp.sandboxInject': {
    scope: 'agency',
    input: (w) => ({ accountId: w.a.waAccountId, from: '+55 11 93333-0000', text: 'intrusion' }),
  },
  'dashboard.get': { scope: 'agency', input: () => ({ period: '30d' }) },
  'dashboard.activity': { scope: 'agency', input: () => undefined },
  'reports.get': { scope: 'agency', input: () => ({ report: 'agents', period: '30d' }) },
  'notifications.list': { scope: 'agency', input: () => undefined },
  'notifications.unread': { scope: 'agency', input: () => undefined },
  'notifications.preferences': { scope: 'agency', input: () => undefined },
  'notifications.markRead': { scope: 'agency', input: (w) => ({ id: w.a.notificationId }) },
  'notifications.markAllRead': { scope: 'agency', input: () => undefined },
  'notifications.setPreferences': {
    scope: 'agency',
    input: () => Object.fromEntries(notificationKinds.map((k) => [k, { inApp: false, email: false }])),
  },
  'notifications.pushDevices': { scope: 'agency', input: () => undefined },
  'notifications.pushSubscribe': {
    scope: 'agency',
    input: () => ({
      endpoint: 'https://push.test/alfa-secreto',
      keys: { p256dh: testPush.publicKey, auth: 'BBBBBBBBBBBBBBBBBBBBBB' },
    }),
  },
  'notifications.pushUnsubscribe': { scope: 'agency', input: (w) => ({ id: w.a.pushSubscriptionId }) },
  'search.global': { scope: 'agency', input: () => ({ q: 'Alfa' }) },
  'search.conversation': { scope: 'agency', input: (w) => ({ conversationId: w.a.conversationId, q: 'secreta' }) },
  'views.list': { scope: 'agency', input: () => ({ list: 'leads' }) },
  'views.create': { scope: 'agency', input: () => ({ list: 'leads', name: 'Intrusa', query: 'q=Alfa', shared: true }) },
  'views.update': { scope: 'agency', input: (w) => ({ id: w.a.viewId, name: 'Renamed', query: 'q=x', shared: false }) },
  'views.delete': { scope: 'agency', input: (w) => ({ id: w.a.viewId }) },
  'leads.delete': { scope: 'agency', input: (w) => ({ id: w.a.leadId }) },
  'integrations.list': { scope: 'agency', input: () => undefined },
  'integrations.create': { scope: 'agency', input: () => ({ name: 'Intrusa', scopes: ['leads:read', 'leads:write'] }) },
  'integrations.update': {
    scope: 'agency',
    input: (w) => ({
      id: w.a.integrationId,
      name: 'Renamed',
      scopes: ['leads:write'],
      ipAllowlist: [],
      expiresAt: null,
    }),
  },
  'integrations.rotateKey': { scope: 'agency', input: (w) => ({ id: w.a.integrationId, overlapHours: 0 }) },
  'integrations.revokeKey': { scope: 'agency', input: (w) => ({ keyId: w.a.apiKeyId }) },
  'integrations.revoke': { scope: 'agency', input: (w) => ({ id: w.a.integrationId }) },
  'webhooks.list': { scope: 'agency', input: () => undefined },
  'webhooks.create': {
    scope: 'agency',
    input: () => ({ url: 'https://hooks.example.test/intrusa', eventTypes: ['lead.created'] }),
  },
  'webhooks.update': {
    scope: 'agency',
    input: (w) => ({
      id: w.a.webhookEndpointId,
      url: 'https://hooks.example.test/roubado',
      eventTypes: ['lead.updated'],
    }),
  },
  'webhooks.rotateSecret': { scope: 'agency', input: (w) => ({ id: w.a.webhookEndpointId }) },
  'webhooks.deliveries': { scope: 'agency', input: (w) => ({ endpointId: w.a.webhookEndpointId }) },
  'webhooks.redeliver': { scope: 'agency', input: (w) => ({ deliveryId: w.a.webhookDeliveryId }) },
  'webhooks.sendTest': { scope: 'agency', input: (w) => ({ id: w.a.webhookEndpointId }) },
  'webhooks.setEnabled': { scope: 'agency', input: (w) => ({ id: w.a.webhookEndpointId, enabled: false }) },
  'webhooks.delete': { scope: 'agency', input: (w) => ({ id: w.a.webhookEndpointId }) },
  'portals.get': { scope: 'agency', input: () => ({ portal: 'grupo_olx' }) },
  'portals.connect': { scope: 'agency', input: () => ({ portal: 'grupo_olx' }) },
  'portals.disconnect': { scope: 'agency', input: () => ({ portal: 'grupo_olx' }) },
  'portals.feed': { scope: 'agency', input: () => undefined },
  'portals.rotateFeed': { scope: 'agency', input: () => undefined },
  'portals.deleteFeed': { scope: 'agency', input: () => undefined },
  'imports.list': { scope: 'agency', input: () => undefined },
  'imports.get': { scope: 'agency', input: () => ({ id: importIds.toMap }) },
  'imports.rows': { scope: 'agency', input: () => ({ id: importIds.done }) },
  'imports.validate': {
    scope: 'agency',
    input: () => ({ id: importIds.toMap, mapping: ['name', 'phones'], duplicatePolicy: 'update' }),
  },
  'imports.cancel': { scope: 'agency', input: () => ({ id: importIds.toMap }) },
  'imports.start': { scope: 'agency', input: () => ({ id: importIds.validated }) },
  'imports.undo': { scope: 'agency', input: () => ({ id: importIds.done }) },
  'tasks.agenda': { scope: 'agency', input: () => ({ who: 'all' }) },
  'tasks.list': { scope: 'agency', input: (w) => ({ leadId: w.a.leadId }) },
  'tasks.get': { scope: 'agency', input: () => ({ id: taskIds.open }) },
  // Links to records the manifest has deleted by now would be refused: these stand alone.
  'tasks.create': {
    scope: 'agency',
    input: (w) => ({
      data: {
        kind: 'call',
        title: 'Ligação intrusa',
        dueAt: new Date(Date.now() + 3_600_000),
        assignedTo: w.a.agent.userId,
      },
    }),
  },
  'tasks.update': {
    scope: 'agency',
    input: () => ({
      id: taskIds.open,
      data: { kind: 'call', title: 'Tomada', dueAt: new Date(Date.now() + 7_200_000) },
    }),
  },
  'tasks.reschedule': { scope: 'agency', input: () => ({ id: taskIds.open, dueAt: new Date(Date.now() + 9_000_000) }) },
  'tasks.complete': { scope: 'agency', input: () => ({ id: taskIds.open }) },
  // The owners' run reopens the finished call and then cancels it.
  'tasks.reopen': { scope: 'agency', input: () => ({ id: taskIds.done }) },
  'tasks.cancel': { scope: 'agency', input: () => ({ id: taskIds.done }) },
  'tasks.calendarFeed': { scope: 'agency', input: () => undefined },
  'tasks.rotateCalendarFeed': { scope: 'agency', input: () => undefined },
  'tasks.deleteCalendarFeed': { scope: 'agency', input: () => undefined },
  'tasks.visitConfirmation': { scope: 'agency', input: () => undefined },
  'tasks.setVisitConfirmation': {
    scope: 'agency',
    input: () => ({ name: 'modelo_secreto_alfa', language: 'pt_BR' }),
  },
  'quickReplies.list': { scope: 'agency', input: () => undefined },
  'quickReplies.forConversation': { scope: 'agency', input: (w) => ({ conversationId: w.a.conversationId, q: '' }) },
  'quickReplies.save': {
    scope: 'agency',
    input: () => ({ id: quickReplyId, shortcut: 'tomada', body: 'Tomada' }),
  },
  'quickReplies.delete': { scope: 'agency', input: () => ({ id: quickReplyId }) },
  'distribution.get': { scope: 'agency', input: () => undefined },
  'distribution.saveSettings': { scope: 'agency', input: () => ({ listingAgent: false, slaMinutes: 1 }) },
  'distribution.saveRule': {
    scope: 'agency',
    input: (w) => ({ id: ruleId, name: 'Regra tomada', members: [{ userId: w.a.agent.userId, weight: 10 }] }),
  },
  'distribution.moveRule': { scope: 'agency', input: () => ({ id: ruleId, direction: 'down' }) },
  'distribution.myAvailability': { scope: 'agency', input: () => undefined },
  'distribution.setAvailability': {
    scope: 'agency',
    input: (w) => ({ userId: w.a.agent.userId, paused: true, workingHours: null }),
  },
  'distribution.offers': { scope: 'agency', input: () => undefined },
  'distribution.claim': { scope: 'agency', input: () => ({ leadId: offeredLeadId }) },
  'distribution.deleteRule': { scope: 'agency', input: () => ({ id: ruleId }) },
  'agency.removeLogo': { scope: 'agency', input: () => undefined },
  'agencyExport.list': { scope: 'agency', input: () => undefined },
  'agencyExport.request': { scope: 'agency', input: () => ({ separator: ';' }) },
  // Last of the agency's: it strips the client (and its leads) of what identifies them.
  'privacy.anonymise': { scope: 'agency', input: (w) => ({ clientId: w.a.clientId }) },
  'admin.agencies': { scope: 'admin', input: () => undefined },
  'admin.overview': { scope: 'admin', input: () => undefined },
  'admin.createAgency': {
    scope: 'admin',
    input: () => ({ name: 'Nova', slug: `nova-${Date.now()}`, managerEmail: 'boss@example.test' }),
  },
  'admin.setAgencyStatus': { scope: 'admin', input: (w) => ({ agencyId: w.a.agencyId, status: 'suspended' }) },
  // Last: it suspends the agency and queues its deletion (the worker is not running here).
  'admin.deleteAgency': { scope: 'admin', input: (w) => ({ agencyId: w.a.agencyId, confirm: agencyASlug }) },
}

const procedures = Object.entries(
  appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>,
).map(([path, p]) => ({ path, type: p._def.type }))

let w: World
let secrets: string[]
/** Agency A's FAQ entry (decision 021), created before the attacks. */
let faqId: string
/** Agency A's imports (decision 024) in the states the manifest's calls act on: one to map, one checked, one run. */
const importIds = { toMap: '', validated: '', done: '' }
/** Agency A's distribution rule (decision 027). */
let ruleId: string
/** Agency A's slug, the confirmation its deletion asks for (decision 040). */
let agencyASlug = ''
/** Agency A's quick reply (issue 16's inbox). */
let quickReplyId: string
let conversationNoteId: string
let offeredLeadId: string
/** Agency A's bulk operation (decision 028). */
let bulkId: string
/** Agency A's visit (open) and call (done), and its agent's calendar feed (decision 025). */
const taskIds = { open: '', done: '' }
beforeAll(async () => {
  w = await buildWorld()
  secrets = [
    w.a.leadId,
    w.a.noteId,
    w.a.trashedLeadId,
    'Lead da Alfa',
    w.a.qualifiedLeadId,
    w.a.clientId,
    w.a.clientNoteId,
    w.a.trashedClientId,
    'Cliente da Alfa',
    '52998224725',
    w.a.propertyId,
    w.a.photoId,
    w.a.trashedPropertyId,
    'Apartamento da Alfa',
    w.a.waAccountId,
    w.a.conversationId,
    w.a.failedMessageId,
    'Mensagem secreta da Alfa',
    'Contato da Alfa',
    '+5511912345678',
    w.a.agencyId,
    w.a.manager.userId,
    w.a.manager.email,
    w.a.agent.userId,
    w.a.agent.email,
    w.a.invitationId,
    w.a.agentMembershipId,
    w.a.managerSessionId,
    'pending@example.test',
    w.a.notificationId,
    'Aviso secreto da Alfa',
    w.a.viewId,
    'Visão secreta da Alfa',
    'modelo_secreto_alfa',
    'Modelo secreto da Alfa',
    w.a.webhookEndpointId,
    w.a.webhookDeliveryId,
    'caminho-secreto',
    'Endpoint secreto da Alfa',
    'modelo-secreto-alfa.example.test',
    'sk-alfa-secret-model-key',
    'erro secreto do modelo da Alfa',
    'Pergunta secreta da Alfa',
    'Resposta secreta da Alfa',
    'AP-SECRETO-ALFA',
    'Lead do portal da Alfa',
  ]
  faqId = (
    await w
      .caller(w.a.manager, w.a.agencyId)
      .agency.createFaq({ question: 'Pergunta secreta da Alfa', answer: 'Resposta secreta da Alfa', keywords: [] })
  ).id
  // Agency A's portal door (decision 022) and a push that came through it: its URL, password hash and the push's
  // listing code are A's alone.
  const door = await w.caller(w.a.manager, w.a.agencyId).portals.connect({ portal: 'grupo_olx' })
  secrets.push(door.path.split('/')[3]!, door.secret)
  const [connection] = await w.t.owner.db.execute<{ id: string; secret_hash: string }>(
    sql`select id, secret_hash from portal_connections where agency_id = ${w.a.agencyId}`,
  )
  secrets.push(connection!.id, connection!.secret_hash)
  // And its listing feed (decision 023), with A's property in it.
  const feed = await w.caller(w.a.manager, w.a.agencyId).portals.rotateFeed()
  secrets.push(feed.path.split('/')[2]!)
  await w.t.owner.db.execute(sql`update properties set publish_portals = true where id = ${w.a.propertyId}`)
  await w.t.owner.db.execute(sql`
    insert into portal_lead_events (agency_id, connection_id, portal, headers, raw_body, origin_lead_id, listing_code, state, outcome, lead_id)
    values (${w.a.agencyId}, ${connection!.id}, 'grupo_olx', '{}'::jsonb, convert_to('{"name":"Lead do portal da Alfa"}', 'UTF8'), 'origem-alfa', 'AP-SECRETO-ALFA', 'processed', 'created', ${w.a.leadId})`)
  // Agency A's spreadsheet imports (decision 024): their file names, headers and report rows are A's alone.
  for (const [key, status] of [
    ['toMap', 'uploaded'],
    ['validated', 'validated'],
    ['done', 'done'],
  ] as const) {
    const [row] = await w.t.owner.db.execute<{ id: string }>(sql`
      insert into imports (agency_id, kind, status, file_name, file_key, file_bytes, format, encoding, separator, headers, sample, planned, created_by, file_expires_at)
      values (${w.a.agencyId}, 'leads', ${status}, ${`planilha-secreta-alfa-${key}.csv`}, ${`${w.a.agencyId}/imports/x.csv`}, 10, 'csv', 'utf-8', ';',
        array['Nome secreto da Alfa', 'Celular'], '[["Fulano secreto da Alfa", "11 99999-0000"]]'::jsonb,
        '{"create":1,"update":0,"skip":0,"refuse":0}'::jsonb, ${w.a.manager.userId}, now() + interval '30 days')
      returning id`)
    importIds[key] = row!.id
    secrets.push(row!.id, `planilha-secreta-alfa-${key}.csv`)
  }
  await w.t.owner.db.execute(sql`
    insert into import_rows (agency_id, import_id, row, outcome, reasons, record_id)
    values (${w.a.agencyId}, ${importIds.done}, 7, 'skip', array['duplicate'], ${w.a.leadId})`)
  secrets.push('Nome secreto da Alfa', 'Fulano secreto da Alfa')
  // Agency A's agenda (decision 025): a visit to its lead, a finished call, and the agent's private calendar URL.
  const agentCaller = w.caller(w.a.agent, w.a.agencyId)
  const visit = await agentCaller.tasks.create({
    data: {
      kind: 'visit',
      title: 'Visita secreta da Alfa',
      dueAt: new Date(Date.now() + 86_400_000),
      place: 'Endereço secreto da Alfa',
      leadId: w.a.leadId,
      propertyIds: [w.a.propertyId],
      remindMinutes: 60,
    },
  })
  const call = await agentCaller.tasks.create({
    data: { kind: 'call', title: 'Ligação secreta da Alfa', dueAt: new Date(Date.now() - 3_600_000) },
  })
  await agentCaller.tasks.complete({ id: call.id, note: 'Resultado secreto da Alfa' })
  taskIds.open = visit.id
  taskIds.done = call.id
  const calendar = await agentCaller.tasks.rotateCalendarFeed()
  secrets.push(
    visit.id,
    call.id,
    'Visita secreta da Alfa',
    'Endereço secreto da Alfa',
    'Ligação secreta da Alfa',
    'Resultado secreto da Alfa',
    calendar.path.split('/')[2]!.replace('.ics', ''),
  )
  // Agency A's distribution (decision 027): a rule and the assignment it made, with its deadline.
  const rule = await w.caller(w.a.manager, w.a.agencyId).distribution.saveRule({
    name: 'Regra secreta da Alfa',
    locations: ['Bairro secreto da Alfa'],
    members: [{ userId: w.a.agent.userId, weight: 3 }],
  })
  ruleId = rule.id
  await w.t.owner.db.execute(sql`
    insert into lead_assignments (agency_id, lead_id, user_id, reason, rule_id, rule_name, due_at)
    values (${w.a.agencyId}, ${w.a.leadId}, ${w.a.agent.userId}, 'rule', ${rule.id}, 'Regra secreta da Alfa', now() + interval '1 hour')`)
  secrets.push(rule.id, 'Regra secreta da Alfa', 'Bairro secreto da Alfa')
  // And a quick reply of its own.
  const reply = await w
    .caller(w.a.manager, w.a.agencyId)
    .quickReplies.save({ shortcut: 'segredo', body: 'Resposta rápida secreta da Alfa' })
  quickReplyId = reply.id
  const [alfa] = await w.t.owner.db.execute<{ slug: string }>(sql`select slug from agencies where id = ${w.a.agencyId}`)
  agencyASlug = alfa!.slug
  secrets.push(reply.id, 'Resposta rápida secreta da Alfa')
  // And a consent with its wording (decision 037).
  await w.caller(w.a.manager, w.a.agencyId).consent.record({
    leadId: w.a.leadId,
    granted: true,
    textVersion: 'Consentimento secreto da Alfa',
  })
  secrets.push('Consentimento secreto da Alfa')
  // And a lead offered to its manager by a first-to-claim rule (decision 031).
  const claimRule = await w.caller(w.a.manager, w.a.agencyId).distribution.saveRule({
    name: 'Plantão secreto da Alfa',
    mode: 'claim',
    members: [{ userId: w.a.manager.userId, weight: 1 }],
  })
  const offered = await w.caller(w.a.manager, w.a.agencyId).leads.create({
    data: leadData({ name: 'Lead oferecido secreto da Alfa', phones: ['+55 11 96666-0031'] }),
    distribute: true,
  })
  offeredLeadId = offered.id
  secrets.push(claimRule.id, 'Plantão secreto da Alfa', 'Lead oferecido secreto da Alfa')
  // And an internal note in its conversation.
  const note = await w.caller(w.a.agent, w.a.agencyId).whatsapp.addNote({
    id: crypto.randomUUID(),
    conversationId: w.a.conversationId,
    body: 'Nota interna secreta da Alfa',
  })
  conversationNoteId = note.id
  await w
    .caller(w.a.manager, w.a.agencyId)
    .whatsapp.setLabels({ id: w.a.conversationId, labels: ['etiqueta-secreta-alfa'] })
  secrets.push(note.id, 'Nota interna secreta da Alfa', 'etiqueta-secreta-alfa')
  // And a bulk change of its leads.
  const bulk = await w.caller(w.a.manager, w.a.agencyId).bulk.leads({
    selection: { ids: [w.a.leadId] },
    action: { kind: 'addTag', tag: 'tag-secreta-alfa' },
  })
  bulkId = bulk.id
  secrets.push(bulk.id, 'tag-secreta-alfa')
  // Agency A's language model (decision 021) and one of its calls: B's managers must see neither.
  await w.caller(w.a.manager, w.a.agencyId).agency.setAiModel({
    baseUrl: 'https://modelo-secreto-alfa.example.test/v1',
    model: 'gpt-alfa',
    apiKey: 'sk-alfa-secret-model-key',
    timeoutSeconds: 5,
  })
  await w.t.owner.db.execute(sql`
    insert into ai_calls (agency_id, model, outcome, attempts, latency_ms, error)
    values (${w.a.agencyId}, 'gpt-alfa', 'timeout', 2, 10000, 'erro secreto do modelo da Alfa')`)
  await w.t.owner.db.execute(sql`
    insert into whatsapp_templates (agency_id, account_id, name, language, category, status, body, params, components)
    values (${w.a.agencyId}, ${w.a.waAccountId}, 'modelo_secreto_alfa', 'pt_BR', 'UTILITY', 'APPROVED', 'Modelo secreto da Alfa', 0, '[]'::jsonb)`)
})
afterAll(() => w.t.close())

function call(persona: Persona | null, agencyId: string | null, path: string, input: unknown) {
  const caller = w.caller(persona, agencyId) as unknown as Record<
    string,
    Record<string, (i: unknown) => Promise<unknown>>
  >
  const [ns, name] = path.split('.') as [string, string]
  return caller[ns]![name]!(input)
}

describe('isolation suite', () => {
  it('enumerates the router, and every procedure is in the manifest', () => {
    expect(procedures.length).toBeGreaterThan(10)
    expect(procedures.map((p) => p.path).filter((p) => !(p in manifest))).toEqual([])
    expect(Object.keys(manifest).filter((p) => !procedures.some((x) => x.path === p))).toEqual([])
  })

  it('no attacker can read or change agency A', async () => {
    const before = await agencyChecksum(w.t, w.a.agencyId)
    const failures: string[] = []
    for (const { path } of procedures) {
      const { scope, input } = manifest[path]!
      const attempts: { who: string; persona: Persona | null; agency: string | null; expect: string[] }[] = [
        { who: 'anonymous', persona: null, agency: w.a.agencyId, expect: ['UNAUTHORIZED'] },
      ]
      if (scope === 'agency') {
        attempts.push(
          { who: 'outsider→A', persona: w.outsider, agency: w.a.agencyId, expect: ['FORBIDDEN'] },
          { who: 'B manager→A', persona: w.b.manager, agency: w.a.agencyId, expect: ['FORBIDDEN'] },
          { who: 'B agent→A', persona: w.b.agent, agency: w.a.agencyId, expect: ['FORBIDDEN'] },
          { who: 'deactivated A member→A', persona: w.a.deactivated, agency: w.a.agencyId, expect: ['FORBIDDEN'] },
          { who: 'platform admin→A', persona: w.admin, agency: w.a.agencyId, expect: ['FORBIDDEN'] },
          // In their own agency with A's ids: either refused, or it acts on B only (checked by the checksum and leak scan).
          {
            who: 'B manager in B with A ids',
            persona: w.b.manager,
            agency: w.b.agencyId,
            expect: ['NOT_FOUND', 'OK', 'BAD_REQUEST'],
          },
          {
            who: 'B agent in B with A ids',
            persona: w.b.agent,
            agency: w.b.agencyId,
            expect: ['NOT_FOUND', 'FORBIDDEN', 'OK', 'BAD_REQUEST'],
          },
        )
      } else if (scope === 'self') {
        attempts.push({
          who: 'B manager with A ids',
          persona: w.b.manager,
          agency: w.b.agencyId,
          expect: ['OK', 'NOT_FOUND', 'BAD_REQUEST'],
        })
      } else {
        attempts.push(
          { who: 'A manager', persona: w.a.manager, agency: w.a.agencyId, expect: ['FORBIDDEN'] },
          { who: 'B manager', persona: w.b.manager, agency: w.b.agencyId, expect: ['FORBIDDEN'] },
        )
      }
      for (const attempt of attempts) {
        let result: unknown
        const code = await outcome(call(attempt.persona, attempt.agency, path, input(w)).then((r) => (result = r)))
        if (!attempt.expect.includes(code))
          failures.push(`${path} as ${attempt.who}: got ${code}, expected ${attempt.expect.join('|')}`)
        const text = JSON.stringify(result ?? null)
        for (const s of secrets) if (text.includes(s)) failures.push(`${path} as ${attempt.who}: leaked ${s}`)
      }
    }
    expect(failures).toEqual([])
    expect(await agencyChecksum(w.t, w.a.agencyId)).toBe(before)
  })

  it('positive control: the owners of the data can do all of it', async () => {
    const failures: string[] = []
    // Manifest order, so destructive calls (delete) come after the ones that need the record.
    for (const path of Object.keys(manifest)) {
      const { scope, input } = manifest[path]!
      const persona = scope === 'admin' ? w.admin : w.a.manager
      const code = await outcome(call(persona, w.a.agencyId, path, input(w)))
      // Wrong current password is the only expected refusal here, and it is a validation error, not an access one.
      const expected = path === 'profile.changePassword' ? 'BAD_REQUEST' : 'OK'
      if (code !== expected) failures.push(`${path}: ${code}`)
    }
    expect(failures).toEqual([])
  })
})
