import { createHash } from 'node:crypto'
import type { IntegrationScope } from '@impera/db/enums'
import { z } from 'zod'
import { webhookEventTypes, webhookUpdatedFields } from '@impera/db/enums'
import type { AgencyCtx, WithStorage } from '../ctx'
import { invalidField } from '../errors'
import { requireScope, type ResolvedKey } from '../integrations'
import {
  encodeCursor,
  ZAddLeadNoteInput,
  ZRecordConsentInput,
  ZCreateClientInput,
  ZCreateLeadInput,
  ZLeadIntakeInput,
  ZCreateWebhookEndpointInput,
  ZAgentTurn,
  ZSendWhatsappInput,
  ZSetLeadStatusInput,
  ZSetWebhookEndpointEnabledInput,
  ZUpdateClientInput,
  ZUpdateLeadInput,
  ZUpdateWebhookEndpointInput,
  ZWebhookDeliveriesInput,
} from '../schemas'
import {
  addLeadNote,
  getConsent,
  setConsent,
  createClient,
  createLead,
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  executeTurn,
  turnAuthorOf,
  getClient,
  getConversation,
  getLead,
  getProperty,
  getWebhookEndpoint,
  intakeLead,
  listClients,
  listConversations,
  setConversationStatus,
  listLeads,
  listMembers,
  listProperties,
  listWebhookDeliveries,
  listWebhookEndpoints,
  queueWhatsappMedia,
  queueWhatsappMessage,
  rotateWebhookSecret,
  sendWebhookTest,
  setLeadStatus,
  setWebhookEndpointEnabled,
  updateClient,
  updateLead,
  updateWebhookEndpoint,
  type WithWebhookSetup,
} from '../services'
import { listHistory, type HistoryEntity } from '../services/history'
import { WEBHOOK_RETENTION_DAYS } from '../webhooks/purge'
import type { ProblemCode } from './problem'
import {
  pageOf,
  toClient,
  toIso,
  toIsoOrNull,
  toLead,
  toMessage,
  ZApiClientCreate,
  ZApiClientsQuery,
  ZApiClientUpdate,
  ZApiConversationUpdate,
  ZApiConversationsQuery,
  ZApiEventsQuery,
  ZApiLeadCreate,
  ZApiLeadsQuery,
  ZApiLeadStatus,
  ZApiLeadUpdate,
  ZApiMessagesQuery,
  ZApiNoteCreate,
  ZApiConsentRecord,
  ZConsent,
  toConsent,
  ZApiPropertiesQuery,
  ZApiSendMessage,
  ZApiTurnResult,
  ZApiWebhookDeliveriesQuery,
  ZApiWebhookEndpointCreate,
  ZApiWebhookEndpointUpdate,
  toWebhookEndpoint,
  ZClient,
  ZClientSummary,
  ZConversation,
  ZConversationSummary,
  ZEventPage,
  ZLead,
  ZLeadSummary,
  ZMember,
  ZMessage,
  ZMessagePage,
  ZNote,
  ZProperty,
  ZPropertySummary,
  ZWebhookDelivery,
  ZWebhookDeliveryPage,
  ZWebhookEndpoint,
  ZWebhookEndpointCreated,
  ZWebhookEndpointDeleted,
  ZWebhookEventTypeList,
  ZWebhookSecretRotated,
  ZWebhookTestQueued,
} from './schemas'

/**
 * The public API, `/api/v1`: each operation names its method, path, scope, input schemas, answer and the service it
 * calls. This table is the whole API — the HTTP handler (handler.ts) and the OpenAPI document (openapi.ts) are both
 * read from it — and it holds no rules of its own: every operation is one or two service calls and a mapping of their
 * result to the documented resource.
 */

/**
 * What an operation runs with: the integration's fenced transaction (a manager's reach), its key, file storage, and
 * the secrets box and webhook target policy the app's webhook settings use.
 */
export interface ApiCtx extends AgencyCtx, WithStorage, WithWebhookSetup {
  key: ResolvedKey
  /** The request's Idempotency-Key (writes only). */
  idempotencyKey: string | null
}

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE'

export interface ApiRoute<Q = unknown, B = unknown> {
  operationId: string
  method: HttpMethod
  /** OpenAPI template: `/leads/{id}`. The only path parameter is `id`, a uuid. */
  path: string
  scope: IntegrationScope
  tag: string
  summary: string
  description?: string
  query?: z.ZodType<Q>
  body?: z.ZodType<B>
  status: 200 | 201 | 202
  response: z.ZodType
  /** Problems this operation can answer besides those of every operation (401, 403, 429). */
  problems: ProblemCode[]
  /**
   * The answer carries a secret shown once (a webhook signing secret): the copy kept to replay a retry with the same
   * Idempotency-Key is sealed, like the secret itself.
   */
  secretAnswer?: boolean
  run: (ctx: ApiCtx, input: { id: string; query: Q; body: B }) => Promise<unknown>
}

function route<Q = undefined, B = undefined>(r: ApiRoute<Q, B>): ApiRoute {
  return r as unknown as ApiRoute
}

const leadPage = pageOf(ZLeadSummary, 'LeadPage')
const clientPage = pageOf(ZClientSummary, 'ClientPage')
const propertyPage = pageOf(ZPropertySummary, 'PropertyPage')
const conversationPage = pageOf(ZConversationSummary, 'ConversationPage')
const noteList = z.object({ data: z.array(ZNote) }).meta({ id: 'NoteList' })
const leadIntakeResult = z
  .object({
    outcome: z
      .enum(['created', 'merged'])
      .meta({ description: 'A new lead, or the contact added to an existing one.' }),
    lead: ZLead,
  })
  .meta({ id: 'LeadIntakeResult' })
const webhookEndpointList = z.object({ data: z.array(ZWebhookEndpoint) }).meta({ id: 'WebhookEndpointList' })
const memberList = z.object({ data: z.array(ZMember) }).meta({ id: 'MemberList' })

const iso = toIso
const isoOrNull = toIsoOrNull

async function leadResource(ctx: ApiCtx, id: string) {
  const { lead, assigneeName } = await getLead(ctx, { id })
  return toLead(lead, assigneeName)
}

async function clientResource(ctx: ApiCtx, id: string) {
  const { client, assigneeName } = await getClient(ctx, { id })
  return toClient(client, assigneeName)
}

/** The fields of the lead form, from the lead as stored (what a PATCH starts from). */
function leadFormOf(l: Awaited<ReturnType<typeof getLead>>['lead']) {
  return {
    name: l.name,
    phones: l.phones,
    email: l.email,
    source: l.source,
    sourceDetail: l.sourceDetail,
    interest: l.interest,
    budgetMin: l.budgetMin,
    budgetMax: l.budgetMax,
    propertyTypes: l.propertyTypes,
    locations: l.locations,
    minBedrooms: l.minBedrooms,
    notes: l.notes,
    tags: l.tags,
    assignedTo: l.assignedTo,
  }
}

function clientFormOf(c: Awaited<ReturnType<typeof getClient>>['client']) {
  const { name, types, phones, email, document, street, number, complement, neighbourhood, city, state } = c
  const { postalCode, country, birthDate, notes, tags, assignedTo } = c
  return {
    ...{ name, types, phones, email, document, street, number, complement, neighbourhood, city, state },
    ...{ postalCode, country, birthDate, notes, tags, assignedTo },
  }
}

/** Present fields of a PATCH body (undefined ones are absent: they keep their value). */
function present(body: Record<string, unknown>) {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined))
}

/**
 * A message's id from the request's Idempotency-Key: the same key always makes the same message, so the send itself
 * is idempotent even past the 24 hours the API keeps answers (the composer does the same with its own ids).
 */
export function messageIdFor(integrationId: string, idempotencyKey: string): string {
  const h = createHash('sha256').update(`message:${integrationId}:${idempotencyKey}`).digest('hex')
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`
}

async function webhookEndpointResource(ctx: ApiCtx, id: string) {
  return toWebhookEndpoint(await getWebhookEndpoint(ctx, { id }))
}

const entityScopes: Record<HistoryEntity, IntegrationScope> = {
  lead: 'leads:read',
  client: 'clients:read',
  property: 'properties:read',
}

const originOf = (via: unknown, actorKind: string | null, actorUserId: string | null) =>
  via === 'whatsapp_number_change'
    ? 'whatsapp'
    : typeof via === 'string'
      ? via
      : actorUserId === null
        ? 'system'
        : actorKind === 'integration'
          ? 'api'
          : 'ui'

const readProblems: ProblemCode[] = ['validation_failed']
const getProblems: ProblemCode[] = ['not_found']
const writeProblems: ProblemCode[] = [
  'idempotency_key_required',
  'idempotency_key_reused',
  'invalid_json',
  'unsupported_media_type',
  'payload_too_large',
  'validation_failed',
]

/** A conversation as the API shows it (the same read as the inbox's, so the same visibility). */
async function conversationResource(ctx: ApiCtx, id: string) {
  const { conversation: c, lead, client } = await getConversation(ctx, { id })
  return {
    id: c.id,
    accountId: c.accountId,
    contactPhone: c.contactPhone,
    contactName: c.contactName,
    displayName: c.displayName,
    leadId: lead?.id ?? null,
    clientId: client?.id ?? null,
    assignedTo: c.assignedTo,
    lastMessageAt: isoOrNull(c.lastMessageAt),
    lastMessagePreview: c.lastMessagePreview,
    lastInboundAt: isoOrNull(c.lastInboundAt),
    windowEndsAt: isoOrNull(c.windowEndsAt),
    windowOpen: c.windowOpen,
    aiMode: c.aiMode,
    controller: c.controller,
    status: c.status,
    labels: c.labels,
    createdAt: iso(c.createdAt),
  }
}

/** A lead's or a client's consent ledger (decision 037): the same two operations for each, under its own scope. */
function consentRoutes(kind: 'lead' | 'client'): ApiRoute[] {
  const [Kind, plural] = kind === 'lead' ? (['Lead', 'leads'] as const) : (['Client', 'clients'] as const)
  const subject = (id: string) => (kind === 'lead' ? { leadId: id } : { clientId: id })
  return [
    route({
      operationId: `get${Kind}Consent`,
      method: 'GET',
      path: `/${plural}/{id}/consent`,
      scope: `${plural}:read`,
      tag: `${Kind}s`,
      summary: `A ${kind}'s marketing consent`,
      description:
        'The LGPD ledger of grants and revocations (the app, the intake, WhatsApp opt-out and opt-in words, integrations). Send marketing only when `status` is `granted`; Impera refuses marketing templates otherwise.',
      status: 200,
      response: ZConsent,
      problems: getProblems,
      run: async (ctx, { id }) => toConsent(await getConsent(ctx, subject(id))),
    }),
    route({
      operationId: `record${Kind}Consent`,
      method: 'POST',
      path: `/${plural}/{id}/consent`,
      scope: `${plural}:write`,
      tag: `${Kind}s`,
      summary: `Record a ${kind}'s marketing consent`,
      description:
        'Appends a grant (with its legal basis and the wording agreed to) or a revocation, recorded as coming from the integration (source `api`). The ledger is append-only.',
      body: ZApiConsentRecord,
      status: 201,
      response: ZConsent,
      problems: [...writeProblems, 'not_found'],
      run: async (ctx, { id, body }) => {
        await setConsent(
          ctx,
          ZRecordConsentInput.parse({ ...subject(id), ...body, textVersion: body.textVersion ?? null }),
        )
        return toConsent(await getConsent(ctx, subject(id)))
      },
    }),
  ]
}

export const publicApi: ApiRoute[] = [
  // ── Leads
  route({
    operationId: 'listLeads',
    method: 'GET',
    path: '/leads',
    scope: 'leads:read',
    tag: 'Leads',
    summary: 'List leads',
    description: 'The filters, sorts and cursors of the leads list in the app.',
    query: ZApiLeadsQuery,
    status: 200,
    response: leadPage,
    problems: readProblems,
    run: async (ctx, { query }) => {
      const page = await listLeads(ctx, query)
      return {
        data: page.rows.map(({ qualificationScore, ...r }) => ({
          ...r,
          score: qualificationScore,
          firstContactAt: isoOrNull(r.firstContactAt),
          createdAt: iso(r.createdAt),
          updatedAt: iso(r.updatedAt),
        })),
        next: page.next,
        prev: page.prev,
        total: page.total,
      }
    },
  }),
  route({
    operationId: 'getLead',
    method: 'GET',
    path: '/leads/{id}',
    scope: 'leads:read',
    tag: 'Leads',
    summary: 'Get a lead',
    status: 200,
    response: ZLead,
    problems: getProblems,
    run: (ctx, { id }) => leadResource(ctx, id),
  }),
  route({
    operationId: 'createLead',
    method: 'POST',
    path: '/leads',
    scope: 'leads:write',
    tag: 'Leads',
    summary: 'Create a lead',
    description:
      "Refused with 409 `duplicate` (listing the matches) when a lead with one of its phones or its e-mail exists, as in the app; send `allowDuplicate: true` to create it anyway. Without `assignedTo`, the agency's distribution rules choose the owner (send `assignedTo: null` to leave it unassigned).",
    body: ZApiLeadCreate,
    status: 201,
    response: ZLead,
    problems: [...writeProblems, 'duplicate'],
    run: async (ctx, { body }) => {
      const { allowDuplicate, ...data } = body
      const distribute = !('assignedTo' in body) || body.assignedTo === undefined
      const lead = await createLead(ctx, ZCreateLeadInput.parse({ data, allowDuplicate, distribute }))
      return leadResource(ctx, lead.id)
    },
  }),
  route({
    operationId: 'intakeLead',
    method: 'POST',
    path: '/leads/intake',
    scope: 'leads:write',
    tag: 'Leads',
    summary: 'Take in a lead from a form, a landing page or an ad',
    description:
      "For contacts that reach the agency from outside (a site's form, a landing page, a lead-ad connector, a portal bridge): never refused as a duplicate. Someone who is already a lead by one of these phones or this e-mail gets the contact on that lead's timeline (`outcome: merged`); anyone else becomes a new lead (`created`), given to the agent of the listing named in `property`, else by the agency's rule for new leads. The listing is linked, and the message, channel, campaign (UTM) and consent go on the timeline.",
    body: ZLeadIntakeInput,
    status: 200,
    response: leadIntakeResult,
    problems: writeProblems,
    run: async (ctx, { body }) => {
      const taken = await intakeLead(ctx, body)
      return { outcome: taken.outcome, lead: await leadResource(ctx, taken.leadId) }
    },
  }),
  route({
    operationId: 'updateLead',
    method: 'PATCH',
    path: '/leads/{id}',
    scope: 'leads:write',
    tag: 'Leads',
    summary: 'Update a lead',
    description:
      'Only the fields sent change; the same duplicate check as on creation applies to new phones or e-mail.',
    body: ZApiLeadUpdate,
    status: 200,
    response: ZLead,
    problems: [...writeProblems, 'not_found', 'duplicate'],
    run: async (ctx, { id, body }) => {
      const { allowDuplicate, ...changes } = body
      const { lead } = await getLead(ctx, { id })
      const data = { ...leadFormOf(lead), ...present(changes) }
      await updateLead(ctx, ZUpdateLeadInput.parse({ id, data, allowDuplicate }))
      return leadResource(ctx, id)
    },
  }),
  route({
    operationId: 'setLeadStatus',
    method: 'POST',
    path: '/leads/{id}/status',
    scope: 'leads:write',
    tag: 'Leads',
    summary: "Change a lead's status",
    description: 'Any move is allowed, backwards too; `lost` needs a reason. Conversion happens in the app.',
    body: ZApiLeadStatus,
    status: 200,
    response: ZLead,
    problems: [...writeProblems, 'not_found', 'conflict'],
    run: async (ctx, { id, body }) => {
      await setLeadStatus(ctx, ZSetLeadStatusInput.parse({ id, ...body }))
      return leadResource(ctx, id)
    },
  }),
  route({
    operationId: 'listLeadNotes',
    method: 'GET',
    path: '/leads/{id}/notes',
    scope: 'leads:read',
    tag: 'Leads',
    summary: "A lead's notes",
    description: 'Newest first.',
    status: 200,
    response: noteList,
    problems: getProblems,
    run: async (ctx, { id }) => {
      const { notes } = await getLead(ctx, { id })
      return {
        data: notes.map((n) => ({
          id: n.id,
          body: n.body,
          authorId: n.authorId,
          authorName: n.authorName,
          createdAt: iso(n.createdAt),
          updatedAt: iso(n.updatedAt),
        })),
      }
    },
  }),
  route({
    operationId: 'addLeadNote',
    method: 'POST',
    path: '/leads/{id}/notes',
    scope: 'leads:write',
    tag: 'Leads',
    summary: 'Add a note to a lead',
    body: ZApiNoteCreate,
    status: 201,
    response: ZNote,
    problems: [...writeProblems, 'not_found'],
    run: async (ctx, { id, body }) => {
      const note = await addLeadNote(ctx, ZAddLeadNoteInput.parse({ leadId: id, body: body.body }))
      return {
        id: note.id,
        body: note.body,
        authorId: note.authorId,
        authorName: ctx.key.name,
        createdAt: iso(note.createdAt),
        updatedAt: iso(note.updatedAt),
      }
    },
  }),

  ...consentRoutes('lead'),

  // ── Clients
  route({
    operationId: 'listClients',
    method: 'GET',
    path: '/clients',
    scope: 'clients:read',
    tag: 'Clients',
    summary: 'List clients',
    query: ZApiClientsQuery,
    status: 200,
    response: clientPage,
    problems: readProblems,
    run: async (ctx, { query }) => {
      const page = await listClients(ctx, query)
      return {
        data: page.rows.map((r) => ({ ...r, createdAt: iso(r.createdAt), updatedAt: iso(r.updatedAt) })),
        next: page.next,
        prev: page.prev,
        total: page.total,
      }
    },
  }),
  route({
    operationId: 'getClient',
    method: 'GET',
    path: '/clients/{id}',
    scope: 'clients:read',
    tag: 'Clients',
    summary: 'Get a client',
    status: 200,
    response: ZClient,
    problems: getProblems,
    run: (ctx, { id }) => clientResource(ctx, id),
  }),
  route({
    operationId: 'createClient',
    method: 'POST',
    path: '/clients',
    scope: 'clients:write',
    tag: 'Clients',
    summary: 'Create a client',
    description: 'A CPF/CNPJ already used by another client of the agency is refused with 409.',
    body: ZApiClientCreate,
    status: 201,
    response: ZClient,
    problems: [...writeProblems, 'conflict'],
    run: async (ctx, { body }) => {
      const client = await createClient(ctx, ZCreateClientInput.parse({ data: body }))
      return clientResource(ctx, client.id)
    },
  }),
  route({
    operationId: 'updateClient',
    method: 'PATCH',
    path: '/clients/{id}',
    scope: 'clients:write',
    tag: 'Clients',
    summary: 'Update a client',
    description: 'Only the fields sent change.',
    body: ZApiClientUpdate,
    status: 200,
    response: ZClient,
    problems: [...writeProblems, 'not_found', 'conflict'],
    run: async (ctx, { id, body }) => {
      const { client } = await getClient(ctx, { id })
      const data = { ...clientFormOf(client), ...present(body) }
      await updateClient(ctx, ZUpdateClientInput.parse({ id, data }))
      return clientResource(ctx, id)
    },
  }),
  ...consentRoutes('client'),

  // ── Properties
  route({
    operationId: 'listProperties',
    method: 'GET',
    path: '/properties',
    scope: 'properties:read',
    tag: 'Properties',
    summary: 'Search properties',
    description: 'By criteria: purpose, type, price range, bedrooms, neighbourhood, city, status, text.',
    query: ZApiPropertiesQuery,
    status: 200,
    response: propertyPage,
    problems: readProblems,
    run: async (ctx, { query }) => {
      const page = await listProperties(ctx, query)
      return {
        data: page.rows.map(({ coverPhotoId: _, ...r }) => ({
          ...r,
          createdAt: iso(r.createdAt),
          updatedAt: iso(r.updatedAt),
        })),
        next: page.next,
        prev: page.prev,
        total: page.total,
      }
    },
  }),
  route({
    operationId: 'getProperty',
    method: 'GET',
    path: '/properties/{id}',
    scope: 'properties:read',
    tag: 'Properties',
    summary: 'Get a property',
    status: 200,
    response: ZProperty,
    problems: getProblems,
    run: async (ctx, { id }) => {
      const { property: p, photos, assigneeName, owner } = await getProperty(ctx, { id })
      return {
        id: p.id,
        code: p.code,
        title: p.title,
        type: p.type,
        purpose: p.purpose,
        status: p.status,
        street: p.street,
        number: p.number,
        complement: p.complement,
        neighbourhood: p.neighbourhood,
        city: p.city,
        state: p.state,
        postalCode: p.postalCode,
        country: p.country,
        salePrice: p.salePrice,
        rentPrice: p.rentPrice,
        condoFee: p.condoFee,
        propertyTax: p.propertyTax,
        builtArea: p.builtArea,
        totalArea: p.totalArea,
        bedrooms: p.bedrooms,
        suites: p.suites,
        bathrooms: p.bathrooms,
        parkingSpaces: p.parkingSpaces,
        features: p.features,
        description: p.description,
        ownerClientId: owner?.id ?? null,
        assignedTo: p.assignedTo,
        assigneeName,
        photoCount: photos.length,
        statusChangedAt: iso(p.statusChangedAt),
        createdAt: iso(p.createdAt),
        updatedAt: iso(p.updatedAt),
      }
    },
  }),

  // ── Conversations
  route({
    operationId: 'listConversations',
    method: 'GET',
    path: '/conversations',
    scope: 'conversations:read',
    tag: 'Conversations',
    summary: 'List WhatsApp conversations',
    query: ZApiConversationsQuery,
    status: 200,
    response: conversationPage,
    problems: readProblems,
    run: async (ctx, { query }) => {
      const page = await listConversations(ctx, query)
      return {
        data: page.rows.map(({ unread: _, ...r }) => ({
          ...r,
          lastMessageAt: isoOrNull(r.lastMessageAt),
          lastInboundAt: isoOrNull(r.lastInboundAt),
          windowEndsAt: isoOrNull(r.windowEndsAt),
        })),
        next: page.next,
        prev: page.prev,
        total: page.total,
      }
    },
  }),
  route({
    operationId: 'getConversation',
    method: 'GET',
    path: '/conversations/{id}',
    scope: 'conversations:read',
    tag: 'Conversations',
    summary: 'Get a conversation',
    status: 200,
    response: ZConversation,
    problems: getProblems,
    run: (ctx, { id }) => conversationResource(ctx, id),
  }),
  route({
    operationId: 'updateConversation',
    method: 'PATCH',
    path: '/conversations/{id}',
    scope: 'conversations:reply',
    tag: 'Conversations',
    summary: 'Open, park or resolve a conversation',
    description:
      'Sets its `status` (a `conversation.status_changed` event when it changes; the same status again changes nothing). The contact writing again reopens a pending or resolved conversation.',
    body: ZApiConversationUpdate,
    status: 200,
    response: ZConversation,
    problems: [...writeProblems, 'not_found', 'forbidden'],
    run: async (ctx, { id, body }) => {
      await setConversationStatus(ctx, { id, status: body.status })
      return conversationResource(ctx, id)
    },
  }),
  route({
    operationId: 'listMessages',
    method: 'GET',
    path: '/conversations/{id}/messages',
    scope: 'conversations:read',
    tag: 'Conversations',
    summary: "A conversation's messages",
    description: 'The newest 50 (oldest first within the page); `next` reaches further back.',
    query: ZApiMessagesQuery,
    status: 200,
    response: ZMessagePage,
    problems: [...readProblems, 'not_found'],
    run: async (ctx, { id, query }) => {
      const cursor = query.before
      if (cursor && (cursor.sort !== 'seq' || cursor.id !== id || !/^\d{1,15}$/.test(cursor.key ?? '')))
        throw invalidField('before', 'lists.badCursor')
      const page = await getConversation(ctx, { id, before: cursor ? Number(cursor.key) : undefined })
      const oldest = page.messages[0]
      return {
        data: page.messages.map((m) => toMessage(id, m)),
        next: page.hasMore && oldest ? encodeCursor({ sort: 'seq', dir: 'desc', key: String(oldest.seq), id }) : null,
      }
    },
  }),
  route({
    operationId: 'sendMessage',
    method: 'POST',
    path: '/conversations/{id}/messages',
    scope: 'conversations:reply',
    tag: 'Conversations',
    summary: 'Send a message',
    description:
      'Queued for sending (202); its `status` then moves to sent, delivered, read or failed. Free text and media only within 24 h of the contact’s last message (else 422 with reason `window_closed`: send a template). The message id comes from the Idempotency-Key, so a retried send never sends twice.',
    body: ZApiSendMessage,
    status: 202,
    response: ZMessage,
    problems: [...writeProblems, 'not_found', 'conflict'],
    run: async (ctx, { id, body }) => {
      const messageId = messageIdFor(ctx.key.integrationId, ctx.idempotencyKey!)
      const message =
        body.type === 'media'
          ? await queueWhatsappMedia(ctx, {
              id: messageId,
              conversationId: id,
              filename: body.filename,
              mimeType: body.mimeType,
              bytes: new Uint8Array(Buffer.from(body.data, 'base64')),
              caption: body.caption,
            })
          : await queueWhatsappMessage(ctx, ZSendWhatsappInput.parse({ ...body, id: messageId, conversationId: id }))
      return toMessage(id, message)
    },
  }),

  route({
    operationId: 'postTurn',
    method: 'POST',
    path: '/conversations/{id}/turns',
    scope: 'conversations:reply',
    tag: 'Conversations',
    summary: "An AI agent's turn",
    description:
      'How an AI agent answers a conversation it controls (`controller: bot`, AI mode `auto`): up to 3 messages (text, template, a listing as a card) and actions (qualification slots, a note, tags, a forward status move, listings to suggest, a handoff to a person with its reason and summary), executed as one unit. Checked when it executes: if a person took the conversation over, or the contact wrote after `inReplyTo`, the answer is 409 with reason `stale_turn` and nothing is sent — read the new messages and try again. Outside the 24-hour window free text is refused (422, reason `window_closed`); a template is allowed. Too many bot messages in a row or per minute hand the conversation over instead of sending. The Idempotency-Key makes a retried turn act once.',
    body: ZAgentTurn,
    status: 200,
    response: ZApiTurnResult,
    problems: [...writeProblems, 'not_found', 'conflict'],
    run: async (ctx, { id, body }) => {
      const result = await executeTurn(turnAuthorOf(ctx), id, body, {
        turnId: messageIdFor(ctx.key.integrationId, `turn:${ctx.idempotencyKey!}`),
      })
      return {
        turnId: result.turnId,
        outcome: result.outcome,
        messageIds: result.messageIds,
        handoff: result.handoff,
      }
    },
  }),

  // ── Members
  route({
    operationId: 'listMembers',
    method: 'GET',
    path: '/members',
    scope: 'members:read',
    tag: 'Members',
    summary: "The agency's members",
    description: 'Their user ids are what `assignedTo` takes.',
    status: 200,
    response: memberList,
    problems: [],
    run: async (ctx) => {
      const members = await listMembers(ctx)
      return {
        data: members.map((m) => ({
          userId: m.userId,
          name: m.name,
          email: m.email,
          role: m.role,
          status: m.status,
          since: iso(m.since),
        })),
      }
    },
  }),

  // ── Events
  route({
    operationId: 'listEvents',
    method: 'GET',
    path: '/events',
    scope: 'events:read',
    tag: 'Events',
    summary: 'The change history',
    description:
      "Every change of the agency's leads, clients and properties, oldest first — the same history the timelines show, whoever made it (a person, this or another integration, WhatsApp, the system). Each record type needs its own read scope besides `events:read` (lead events `leads:read`…); without `type`, the types the key may read are included. Keep the `next` cursor and ask again later for what happened since; changes appear here a few seconds after they commit.",
    query: ZApiEventsQuery,
    status: 200,
    response: ZEventPage,
    problems: readProblems,
    run: async (ctx, { query }) => {
      const wanted = query.type ?? (Object.keys(entityScopes) as HistoryEntity[])
      if (query.type) for (const t of wanted) requireScope(ctx.key, entityScopes[t])
      const entities = wanted.filter((t) => ctx.key.scopes.includes(entityScopes[t]))
      if (!entities.length) requireScope(ctx.key, 'leads:read')
      const page = await listHistory(ctx, {
        entities,
        after: query.after,
        since: query.since,
        entityId: query.entityId,
        pageSize: query.pageSize,
      })
      return {
        data: page.rows.map((r) => {
          const { via, ...data } = r.data
          return {
            id: r.id,
            type: `${r.entity}.${r.kind === 'edited' ? 'updated' : r.kind}`,
            entity: { type: r.entity, id: r.entityId },
            occurredAt: iso(r.at),
            actor: r.actorUserId ? { id: r.actorUserId, name: r.actorName, kind: r.actorKind } : null,
            origin: originOf(via, r.actorKind, r.actorUserId),
            data: via === 'whatsapp_number_change' ? { ...data, reason: via } : data,
          }
        }),
        next: page.next,
        more: page.more,
      }
    },
  }),

  // ── Webhooks
  route({
    operationId: 'listWebhookEndpoints',
    method: 'GET',
    path: '/webhooks/endpoints',
    scope: 'webhooks:manage',
    tag: 'Webhooks',
    summary: 'List webhook endpoints',
    description:
      "The agency's endpoints (at most 20), newest first, whoever created them: in the app or through the API. Their signing secrets are never shown.",
    status: 200,
    response: webhookEndpointList,
    problems: [],
    run: async (ctx) => ({ data: (await listWebhookEndpoints(ctx)).map(toWebhookEndpoint) }),
  }),
  route({
    operationId: 'createWebhookEndpoint',
    method: 'POST',
    path: '/webhooks/endpoints',
    scope: 'webhooks:manage',
    tag: 'Webhooks',
    summary: 'Create a webhook endpoint',
    description:
      "Events are POSTed to `url`, signed as Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`) with the secret in this answer, which is shown only here: keep it. The endpoint feeds this integration, so this integration's own changes are not sent to it. A non-public target is refused with 422 (`webhooks.privateTarget` on `url`); a 21st endpoint with 409.",
    body: ZApiWebhookEndpointCreate,
    status: 201,
    response: ZWebhookEndpointCreated,
    problems: [...writeProblems, 'conflict'],
    secretAnswer: true,
    run: async (ctx, { body }) => {
      const { endpoint, secret } = await createWebhookEndpoint(
        ctx,
        ZCreateWebhookEndpointInput.parse({ ...body, integrationId: null }),
      )
      return { ...(await webhookEndpointResource(ctx, endpoint.id)), secret }
    },
  }),
  route({
    operationId: 'getWebhookEndpoint',
    method: 'GET',
    path: '/webhooks/endpoints/{id}',
    scope: 'webhooks:manage',
    tag: 'Webhooks',
    summary: 'Get a webhook endpoint',
    status: 200,
    response: ZWebhookEndpoint,
    problems: getProblems,
    run: (ctx, { id }) => webhookEndpointResource(ctx, id),
  }),
  route({
    operationId: 'updateWebhookEndpoint',
    method: 'PATCH',
    path: '/webhooks/endpoints/{id}',
    scope: 'webhooks:manage',
    tag: 'Webhooks',
    summary: 'Update a webhook endpoint',
    description:
      'Only the fields sent change (`updatedFields` is replaced as a whole); the target is checked again when any of url, description, event types or field filters is sent. `enabled: false` holds the queue; `enabled: true` sends the held deliveries again, in order.',
    body: ZApiWebhookEndpointUpdate,
    status: 200,
    response: ZWebhookEndpoint,
    problems: [...writeProblems, 'not_found'],
    run: async (ctx, { id, body }) => {
      const { enabled, ...changes } = body
      const current = await getWebhookEndpoint(ctx, { id })
      if (Object.values(changes).some((v) => v !== undefined)) {
        const { url, description, eventTypes, updatedFields, integrationId } = current
        const data = { url, description, eventTypes, updatedFields, integrationId, ...present(changes) }
        await updateWebhookEndpoint(ctx, ZUpdateWebhookEndpointInput.parse({ ...data, id }))
      }
      if (enabled !== undefined)
        await setWebhookEndpointEnabled(ctx, ZSetWebhookEndpointEnabledInput.parse({ id, enabled }))
      return webhookEndpointResource(ctx, id)
    },
  }),
  route({
    operationId: 'deleteWebhookEndpoint',
    method: 'DELETE',
    path: '/webhooks/endpoints/{id}',
    scope: 'webhooks:manage',
    tag: 'Webhooks',
    summary: 'Delete a webhook endpoint',
    description: 'With its queue and delivery log; nothing more is sent to it.',
    status: 200,
    response: ZWebhookEndpointDeleted,
    problems: [...writeProblems, 'not_found'],
    run: async (ctx, { id }) => {
      await deleteWebhookEndpoint(ctx, { id })
      return { id, deleted: true as const }
    },
  }),
  route({
    operationId: 'rotateWebhookSecret',
    method: 'POST',
    path: '/webhooks/endpoints/{id}/rotate-secret',
    scope: 'webhooks:manage',
    tag: 'Webhooks',
    summary: "Rotate an endpoint's signing secret",
    description:
      'A new secret, shown only in this answer. For 24 hours deliveries carry a signature with each secret, so the receiver can switch over without losing one.',
    status: 200,
    response: ZWebhookSecretRotated,
    problems: [...writeProblems, 'not_found'],
    secretAnswer: true,
    run: async (ctx, { id }) => {
      const rotated = await rotateWebhookSecret(ctx, { id })
      return { id: rotated.id, secret: rotated.secret, previousSecretExpiresAt: iso(rotated.previousSecretExpiresAt) }
    },
  }),
  route({
    operationId: 'listWebhookDeliveries',
    method: 'GET',
    path: '/webhooks/endpoints/{id}/deliveries',
    scope: 'webhooks:manage',
    tag: 'Webhooks',
    summary: "An endpoint's delivery log",
    description: `Newest first: each delivery with its state, attempts and the outcome of the latest one. Settled deliveries are kept ${WEBHOOK_RETENTION_DAYS} days.`,
    query: ZApiWebhookDeliveriesQuery,
    status: 200,
    response: ZWebhookDeliveryPage,
    problems: [...readProblems, 'not_found'],
    run: async (ctx, { id, query }) => {
      const cursor = query.after
      if (cursor && (cursor.sort !== 'seq' || cursor.id !== id || !/^\d{1,15}$/.test(cursor.key ?? '')))
        throw invalidField('after', 'lists.badCursor')
      const page = await listWebhookDeliveries(
        ctx,
        ZWebhookDeliveriesInput.parse({
          endpointId: id,
          before: cursor ? Number(cursor.key) : undefined,
          limit: query.pageSize,
          state: query.state,
        }),
      )
      return {
        data: page.items.map((d): z.output<typeof ZWebhookDelivery> => ({
          id: d.id,
          seq: d.seq,
          eventId: d.eventId,
          messageId: d.messageId,
          type: d.type,
          occurredAt: iso(d.occurredAt),
          state: d.state,
          trigger: d.trigger,
          attempts: d.attempts,
          nextAttemptAt: iso(d.nextAttemptAt),
          lastAttemptAt: isoOrNull(d.lastAttemptAt),
          responseStatus: d.responseStatus,
          latencyMs: d.latencyMs,
          responseExcerpt: d.responseExcerpt,
          error: d.error,
          deliveredAt: isoOrNull(d.deliveredAt),
        })),
        next:
          page.nextBefore === null
            ? null
            : encodeCursor({ sort: 'seq', dir: 'desc', key: String(page.nextBefore), id }),
      }
    },
  }),
  route({
    operationId: 'sendWebhookTest',
    method: 'POST',
    path: '/webhooks/endpoints/{id}/test',
    scope: 'webhooks:manage',
    tag: 'Webhooks',
    summary: 'Send a test event',
    description:
      "A `webhook.test` event, queued at the end of the endpoint's queue (202) and signed, delivered and logged like any other. A disabled endpoint is refused with 409.",
    status: 202,
    response: ZWebhookTestQueued,
    problems: [...writeProblems, 'not_found', 'conflict'],
    run: async (ctx, { id }) => {
      const queued = await sendWebhookTest(ctx, { id })
      return { id: queued.id, endpointId: queued.endpointId, seq: queued.seq }
    },
  }),
  route({
    operationId: 'listWebhookEventTypes',
    method: 'GET',
    path: '/webhooks/event-types',
    scope: 'webhooks:manage',
    tag: 'Webhooks',
    summary: 'The event types an endpoint can subscribe to',
    description: 'With, for `*.updated` types, the fields an endpoint may filter them by.',
    status: 200,
    response: ZWebhookEventTypeList,
    problems: [],
    run: async () => ({
      data: webhookEventTypes.map((type) => ({
        type,
        updatedFields:
          type in webhookUpdatedFields ? [...webhookUpdatedFields[type as keyof typeof webhookUpdatedFields]] : null,
      })),
    }),
  }),
]
