import {
  integrationScopes,
  leadInterests,
  leadSources,
  leadStatuses,
  lostReasons,
  memberRoles,
  propertyPurposes,
  propertyStatuses,
  propertyTypes,
  webhookDeliveryStates,
  webhookEventTypes,
  webhookUpdatedFields,
  aiModes,
  conversationControllers,
  conversationStatuses,
  leadTemperatures,
  consentBases,
  consentSources,
} from '@impera/db/enums'
import type { WebhookDeliveryState } from '@impera/db/enums'
import type { Client, Lead } from '@impera/db'
import { z } from 'zod'
import {
  checkPaging,
  consentFilterValues,
  clientTypeValues,
  clientSortValues,
  conversationSortValues,
  zConversationLabel,
  leadSortValues,
  listPaging,
  propertySortValues,
  zCursor,
  zDateBound,
  zInstant,
  zQuery,
  zTagFilter,
  zUuid,
} from '../schemas'
import { ZQualification } from '../ai/qualification'
import { historyEntities } from '../services/history'
import { qualificationView } from '../services/qualification'

/**
 * The public API's own vocabulary: what goes in (queries and bodies, in JSON types an integrator expects — money in
 * integer cents, instants in ISO 8601) and what comes out (resources as documented, never a table row as it is). Inputs
 * are handed on to the services' own schemas (`ZListLeadsInput`, `ZLeadInput`…), so the API accepts exactly what the
 * app accepts, with the same messages; these add only the JSON shape and the documentation.
 */

const iso = z.iso.datetime()
const isoOrNull = iso.nullable()
const cents = z.number().int().min(0).max(1e13)
const uuid = z.uuid()

export const toIso = (d: Date) => d.toISOString()
export const toIsoOrNull = (d: Date | null | undefined) => (d ? d.toISOString() : null)

/** A query parameter that takes several values: repeated (`status=new&status=lost`) or comma-separated. */
function zMulti<T extends z.ZodType<unknown, string>>(item: T, max = 20) {
  return z
    .union([z.array(z.string()), z.string()])
    .transform((v) =>
      (Array.isArray(v) ? v : [v])
        .flatMap((s) => s.split(','))
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item).max(max, 'validation.tooMany'))
    .optional()
    .transform((v) => (v?.length ? v : undefined))
    .meta({
      description: 'Repeat the parameter or separate values with commas.',
      override: { type: 'array', items: z.toJSONSchema(item, { io: 'input' }) as Record<string, unknown> },
    })
}

const zQueryInt = (max: number) =>
  z.coerce.number().int('validation.number').min(0, 'validation.number').max(max, 'validation.number')

const zAssigneeFilter = z
  .union([z.literal('unassigned'), zUuid])
  .optional()
  .meta({ description: "A member's user id, or `unassigned`." })

const paging = {
  ...listPaging,
  after: listPaging.after.meta({ description: 'The `next` cursor of the previous page.' }),
  before: listPaging.before.meta({ description: 'The `prev` cursor of the page after (not with `after`).' }),
}

// ───────────────────────────── queries ─────────────────────────────

export const ZApiLeadsQuery = z
  .object({
    ...paging,
    sort: z.enum(leadSortValues).default('createdAt'),
    q: zQuery(120).optional().meta({ description: 'Search by name, e-mail or phone (any format).' }),
    status: zMulti(z.enum(leadStatuses)),
    source: zMulti(z.enum(leadSources)),
    assignee: zAssigneeFilter,
    tags: zTagFilter,
    interest: z.enum(leadInterests).optional(),
    temperature: zMulti(z.enum(leadTemperatures)),
    consent: z
      .enum(consentFilterValues)
      .optional()
      .meta({ description: 'Marketing consent (LGPD): `granted`, `revoked`, or `none` (never asked).' }),
    createdFrom: zDateBound,
    createdTo: zDateBound.meta({ description: 'Exclusive.' }),
    updatedFrom: zDateBound,
    updatedTo: zDateBound.meta({ description: 'Exclusive.' }),
  })
  .superRefine(checkPaging)

export const ZApiClientsQuery = z
  .object({
    ...paging,
    sort: z.enum(clientSortValues).default('createdAt'),
    q: zQuery(120).optional().meta({ description: 'Search by name, e-mail, phone or CPF/CNPJ.' }),
    type: zMulti(z.enum(clientTypeValues)),
    assignee: zAssigneeFilter,
    tags: zTagFilter,
    city: zQuery(100).optional(),
    consent: z
      .enum(consentFilterValues)
      .optional()
      .meta({ description: 'Marketing consent (LGPD): `granted`, `revoked`, or `none` (never asked).' }),
    createdFrom: zDateBound,
    createdTo: zDateBound,
    updatedFrom: zDateBound,
    updatedTo: zDateBound,
  })
  .superRefine(checkPaging)

export const ZApiPropertiesQuery = z
  .object({
    ...paging,
    pageSize: z.coerce.number().int().min(5).max(100).default(24),
    sort: z.enum(propertySortValues).default('createdAt'),
    q: zQuery(120).optional().meta({ description: 'Search by code, title or address.' }),
    status: zMulti(z.enum(propertyStatuses)),
    type: zMulti(z.enum(propertyTypes)),
    purpose: z
      .enum(['sale', 'rent'])
      .optional()
      .meta({ description: 'For sale (or both) / for rent (or both); prices then compare that price.' }),
    priceMin: zQueryInt(1e13)
      .nullish()
      .transform((v) => v ?? null)
      .meta({ description: 'Integer cents.' }),
    priceMax: zQueryInt(1e13)
      .nullish()
      .transform((v) => v ?? null)
      .meta({ description: 'Integer cents.' }),
    minBedrooms: zQueryInt(100)
      .nullish()
      .transform((v) => v ?? null),
    neighbourhood: zQuery(100).optional(),
    city: zQuery(100).optional(),
    assignee: zAssigneeFilter,
    ownerClientId: zUuid.optional(),
    createdFrom: zDateBound,
    createdTo: zDateBound,
    updatedFrom: zDateBound,
    updatedTo: zDateBound,
  })
  .superRefine(checkPaging)
  .refine((v) => v.priceMin === null || v.priceMax === null || v.priceMin <= v.priceMax, {
    path: ['priceMax'],
    message: 'validation.budgetRange',
  })

export const ZApiConversationsQuery = z
  .object({
    ...paging,
    pageSize: z.coerce.number().int().min(5).max(100).default(30),
    sort: z.enum(conversationSortValues).default('lastMessageAt'),
    filter: z.enum(['all', 'unassigned']).default('all'),
    status: z
      .enum(conversationStatuses)
      .optional()
      .meta({ description: 'Only open, pending or resolved conversations (absent: all of them).' }),
    q: zQuery(120).optional().meta({ description: "Search the contact, the number and the messages' text." }),
    label: zConversationLabel.optional().meta({ description: 'Only conversations with this label (any case).' }),
    assignee: zUuid.optional(),
    linked: z.enum(['lead', 'client', 'none']).optional(),
    waiting: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional()
      .meta({ description: "Only conversations whose last message is the contact's, unanswered." }),
    from: zDateBound.meta({ description: 'Last message at or after.' }),
    to: zDateBound.meta({ description: 'Last message before.' }),
  })
  .superRefine(checkPaging)

export const ZApiMessagesQuery = z.object({
  before: zCursor.optional().meta({ description: 'The `next` cursor of the previous (newer) page.' }),
})

export const ZApiEventsQuery = z
  .object({
    after: zCursor.optional().meta({ description: 'The `next` cursor of the previous page.' }),
    since: zInstant.optional().meta({ description: 'Events at or after this instant (ignored with `after`).' }),
    type: zMulti(z.enum(historyEntities), 3).meta({
      description: 'Record types to include (default: every type the key may read).',
    }),
    entityId: zUuid.optional().meta({ description: "One record's history." }),
    pageSize: z.coerce.number().int().min(1).max(200).default(50),
  })
  .refine((v) => !v.after || v.after.sort === 'at', { path: ['after'], message: 'lists.badCursor' })

export const ZApiWebhookDeliveriesQuery = z.object({
  after: zCursor.optional().meta({ description: 'The `next` cursor of the previous (newer) page.' }),
  state: z.enum(webhookDeliveryStates).optional(),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
})

export const ZIdParams = z.object({ id: uuid.meta({ description: 'The resource id.' }) })

// ───────────────────────────── bodies ─────────────────────────────

const text = (max: number) => z.string().max(max)
const textOrNull = (max: number) => z.string().max(max).nullish()
const list = (max: number, itemMax: number) => z.array(z.string().max(itemMax)).max(max)

/**
 * The writable fields of a lead, in JSON types. The app's own lead schema then checks them (contact required, budget
 * range, phones…); on update, the fields sent replace the lead's and the others stay as they are.
 */
export const apiLeadFields = {
  name: text(120),
  phones: list(5, 40).meta({ description: 'In any format; stored as E.164 (Brazilian mobiles with the 9th digit).' }),
  email: textOrNull(254),
  source: z.enum(leadSources),
  sourceDetail: textOrNull(200),
  interest: z.enum(leadInterests).nullish(),
  budgetMin: cents.nullish().meta({ description: 'Integer cents.' }),
  budgetMax: cents.nullish().meta({ description: 'Integer cents.' }),
  propertyTypes: z.array(z.enum(propertyTypes)).max(6),
  locations: list(20, 80),
  minBedrooms: z.number().int().min(0).max(20).nullish(),
  notes: textOrNull(5000),
  tags: list(20, 40),
  assignedTo: uuid.nullish().meta({ description: "A member's user id; null: unassigned." }),
}

export const ZApiLeadCreate = z
  .object({
    ...apiLeadFields,
    name: text(120),
    phones: apiLeadFields.phones.optional(),
    source: apiLeadFields.source.optional(),
    propertyTypes: apiLeadFields.propertyTypes.optional(),
    locations: apiLeadFields.locations.optional(),
    tags: apiLeadFields.tags.optional(),
    allowDuplicate: z
      .boolean()
      .default(false)
      .meta({ description: 'Create even when a lead with one of these phones or this e-mail exists.' }),
  })
  .meta({ id: 'LeadCreate' })

export const ZApiLeadUpdate = z
  .object({
    ...Object.fromEntries(Object.entries(apiLeadFields).map(([k, v]) => [k, v.optional()])),
    allowDuplicate: z.boolean().default(false),
  })
  .meta({ id: 'LeadUpdate', description: 'Only the fields sent change.' }) as unknown as z.ZodType<
  Partial<z.input<z.ZodObject<typeof apiLeadFields>>> & { allowDuplicate: boolean },
  Partial<z.input<z.ZodObject<typeof apiLeadFields>>> & { allowDuplicate?: boolean }
>

export const ZApiLeadStatus = z
  .object({
    status: z.enum(leadStatuses.filter((s) => s !== 'converted') as ['new', 'contacted', 'qualified', 'lost']),
    lostReason: z.enum(lostReasons).nullish().meta({ description: 'Required when the status is `lost`.' }),
    lostDetail: textOrNull(500),
  })
  .meta({ id: 'LeadStatusChange' })

export const ZApiNoteCreate = z.object({ body: text(5000) }).meta({ id: 'NoteCreate' })

/** What an integration records about a person's marketing consent (LGPD, decision 037). */
export const ZApiConsentRecord = z
  .object({
    granted: z
      .boolean()
      .meta({ description: 'true: the person agreed to receive marketing; false: they took it back.' }),
    basis: z
      .enum(consentBases)
      .optional()
      .meta({ description: 'The legal basis of a grant (default `consent`); ignored for a revocation.' }),
    textVersion: textOrNull(500).meta({
      description:
        'The wording the person agreed to (or its version tag, e.g. "site-2026-03"); for a revocation, their words.',
    }),
  })
  .meta({ id: 'ConsentRecord' })

export const apiClientFields = {
  name: text(160),
  types: z.array(z.enum(clientTypeValues)).max(4),
  phones: list(5, 40),
  email: textOrNull(254),
  document: textOrNull(24).meta({ description: 'CPF or CNPJ, with or without punctuation; unique in the agency.' }),
  street: textOrNull(200),
  number: textOrNull(20),
  complement: textOrNull(100),
  neighbourhood: textOrNull(100),
  city: textOrNull(100),
  state: textOrNull(60),
  postalCode: textOrNull(20),
  country: textOrNull(60),
  birthDate: textOrNull(10).meta({ description: 'YYYY-MM-DD.' }),
  notes: textOrNull(5000),
  tags: list(20, 40),
  assignedTo: uuid.nullish(),
}

export const ZApiClientCreate = z
  .object({
    ...apiClientFields,
    types: apiClientFields.types.optional(),
    phones: apiClientFields.phones.optional(),
    tags: apiClientFields.tags.optional(),
  })
  .meta({ id: 'ClientCreate' })

export const ZApiClientUpdate = z
  .object(Object.fromEntries(Object.entries(apiClientFields).map(([k, v]) => [k, v.optional()])))
  .meta({ id: 'ClientUpdate', description: 'Only the fields sent change.' }) as unknown as z.ZodType<
  Partial<z.input<z.ZodObject<typeof apiClientFields>>>
>

/** What a turn did (decision 020). */
export const ZApiTurnResult = z.object({
  turnId: z.uuid(),
  outcome: z.enum(['executed', 'handoff']).meta({
    description: '`handoff`: a person has the conversation now (asked by the turn, or a loop guard tripped).',
  }),
  messageIds: z.array(z.uuid()).meta({ description: 'The messages queued for sending, in order.' }),
  handoff: z
    .object({
      reason: z.enum(['bot_handoff', 'turn_deadline', 'bot_guard']),
      why: z.string(),
      assignedTo: z.uuid().nullable(),
    })
    .nullable(),
})

export const ZApiSendMessage = z
  .discriminatedUnion('type', [
    z.object({
      type: z.literal('text'),
      text: text(4096),
      replyTo: z.string().max(200).optional().meta({ description: 'The provider id of the message answered.' }),
    }),
    z.object({
      type: z.literal('template'),
      name: text(512),
      language: text(10).meta({ example: 'pt_BR' }),
      parameters: z.array(text(1024)).max(20).default([]),
    }),
    z.object({
      type: z.literal('media'),
      filename: text(200),
      mimeType: text(100).meta({ description: 'image/jpeg, image/png, audio/ogg, application/pdf…' }),
      data: z
        .string()
        .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'validation.base64')
        .meta({ description: 'The file, base64-encoded (the request body is limited to 1 MB).' }),
      caption: text(1024).optional(),
    }),
  ])
  .meta({ id: 'MessageSend', description: 'Free text and media only within 24 h of the contact’s last message.' })

const fieldFilter = <T extends readonly [string, ...string[]]>(fields: T) =>
  z.array(z.enum(fields)).max(fields.length).optional()

/** The writable fields of a webhook endpoint; the service's own schema then checks them (URL, at least one type). */
export const apiWebhookEndpointFields = {
  url: text(2000).meta({
    description:
      'http(s), without credentials in it. Loopback, private, link-local and other non-public addresses are refused (422 `webhooks.privateTarget`) unless the installation allows them; each delivery checks every address the name resolves to again, and redirects are not followed.',
    example: 'https://example.com/impera/webhooks',
  }),
  description: textOrNull(200),
  eventTypes: z
    .array(z.enum(webhookEventTypes))
    .max(webhookEventTypes.length)
    .meta({ description: 'The event types to deliver (at least one); see `GET /webhooks/event-types`.' }),
  updatedFields: z
    .object({
      'lead.updated': fieldFilter(webhookUpdatedFields['lead.updated']),
      'client.updated': fieldFilter(webhookUpdatedFields['client.updated']),
      'property.updated': fieldFilter(webhookUpdatedFields['property.updated']),
    })
    .meta({
      id: 'WebhookFieldFilters',
      description:
        'For `*.updated` types subscribed to: deliver only changes touching one of these fields (absent or empty: every change).',
    }),
}

export const ZApiWebhookEndpointCreate = z
  .object({ ...apiWebhookEndpointFields, updatedFields: apiWebhookEndpointFields.updatedFields.optional() })
  .meta({ id: 'WebhookEndpointCreate' })

export const ZApiWebhookEndpointUpdate = z
  .object({
    url: apiWebhookEndpointFields.url.optional(),
    description: apiWebhookEndpointFields.description.optional(),
    eventTypes: apiWebhookEndpointFields.eventTypes.optional(),
    updatedFields: apiWebhookEndpointFields.updatedFields.optional(),
    enabled: z.boolean().optional().meta({
      description:
        'false holds the queue (no new events are queued meanwhile); true sends the held deliveries again, in order.',
    }),
  })
  .meta({
    id: 'WebhookEndpointUpdate',
    description: 'Only the fields sent change; `updatedFields` is replaced as a whole.',
  })

// ───────────────────────────── resources ─────────────────────────────

export const totalSchema = z
  .object({ count: z.number().int(), exact: z.boolean().meta({ description: 'False past 10,000: an estimate.' }) })
  .meta({ id: 'Total' })

export function pageOf<T extends z.ZodType>(item: T, id: string) {
  return z
    .object({
      data: z.array(item),
      next: z.string().nullable().meta({ description: 'Cursor of the next page (`after`), null on the last.' }),
      prev: z.string().nullable().meta({ description: 'Cursor of the previous page (`before`), null on the first.' }),
      total: totalSchema,
    })
    .meta({ id })
}

export const ZLeadSummary = z
  .object({
    id: uuid,
    name: z.string(),
    phones: z.array(z.string()),
    email: z.string().nullable(),
    status: z.enum(leadStatuses),
    source: z.enum(leadSources),
    interest: z.enum(leadInterests).nullable(),
    budgetMin: z.number().int().nullable(),
    budgetMax: z.number().int().nullable(),
    tags: z.array(z.string()),
    assignedTo: uuid.nullable(),
    assigneeName: z.string().nullable(),
    firstContactAt: isoOrNull,
    score: z.number().int().min(0).max(100).nullable().meta({ description: 'The qualification score (0–100).' }),
    temperature: z.enum(leadTemperatures).nullable(),
    createdAt: iso,
    updatedAt: iso,
  })
  .meta({ id: 'LeadSummary' })

export const ZLead = ZLeadSummary.extend({
  sourceDetail: z.string().nullable(),
  lostReason: z.enum(lostReasons).nullable(),
  lostDetail: z.string().nullable(),
  propertyTypes: z.array(z.enum(propertyTypes)),
  locations: z.array(z.string()),
  minBedrooms: z.number().int().nullable(),
  notes: z.string().nullable(),
  clientId: uuid.nullable().meta({ description: 'The client this lead converted into.' }),
  statusChangedAt: iso,
  qualification: z
    .object({
      slots: ZQualification.meta({
        description:
          'Each known slot with who set it (`person`, `bot`, `import`); a person’s value is never overwritten by a bot.',
      }),
      score: z.number().int().min(0).max(100).nullable(),
      reasons: z.array(z.string()).meta({ description: 'What adds up to the score (`budget`, `moveInNow`…).' }),
      temperature: z.enum(leadTemperatures).nullable(),
      summary: z.string().nullable(),
    })
    .meta({ id: 'Qualification' }),
}).meta({ id: 'Lead' })

export function toLead(lead: Lead, assigneeName: string | null): z.output<typeof ZLead> {
  return {
    id: lead.id,
    name: lead.name,
    phones: lead.phones,
    email: lead.email,
    status: lead.status,
    source: lead.source,
    sourceDetail: lead.sourceDetail,
    interest: lead.interest,
    budgetMin: lead.budgetMin,
    budgetMax: lead.budgetMax,
    propertyTypes: lead.propertyTypes as z.output<typeof ZLead>['propertyTypes'],
    locations: lead.locations,
    minBedrooms: lead.minBedrooms,
    notes: lead.notes,
    tags: lead.tags,
    lostReason: lead.lostReason,
    lostDetail: lead.lostDetail,
    assignedTo: lead.assignedTo,
    assigneeName,
    clientId: lead.clientId,
    firstContactAt: toIsoOrNull(lead.firstContactAt),
    score: lead.qualificationScore,
    temperature: lead.temperature,
    statusChangedAt: toIso(lead.statusChangedAt),
    createdAt: toIso(lead.createdAt),
    updatedAt: toIso(lead.updatedAt),
    qualification: qualificationView(lead),
  }
}

const ZConsentEntry = z
  .object({
    granted: z.boolean(),
    basis: z.enum(consentBases).nullable(),
    source: z.enum(consentSources),
    textVersion: z.string().nullable(),
    recordedAt: iso,
  })
  .meta({ id: 'ConsentEntry' })

export const ZConsent = z
  .object({
    status: z.enum(['granted', 'revoked', 'unknown']).meta({
      description: 'From the newest entry; `unknown` (never asked) refuses marketing like `revoked`.',
    }),
    current: ZConsentEntry.nullable(),
    history: z.array(ZConsentEntry).meta({ description: 'Newest first, up to 100.' }),
  })
  .meta({ id: 'Consent' })

/** A consent answer from the service's ledger rows. */
export function toConsent(c: {
  status: 'granted' | 'revoked' | 'unknown'
  history: { granted: boolean; basis: string | null; source: string; textVersion: string | null; recordedAt: Date }[]
}): z.infer<typeof ZConsent> {
  const entry = (e: (typeof c.history)[number]) => ({
    granted: e.granted,
    basis: e.basis as (typeof consentBases)[number] | null,
    source: e.source as (typeof consentSources)[number],
    textVersion: e.textVersion,
    recordedAt: e.recordedAt.toISOString(),
  })
  return { status: c.status, current: c.history[0] ? entry(c.history[0]) : null, history: c.history.map(entry) }
}

export const ZNote = z
  .object({
    id: uuid,
    body: z.string(),
    authorId: uuid.nullable(),
    authorName: z.string().nullable(),
    createdAt: iso,
    updatedAt: iso,
  })
  .meta({ id: 'Note' })

export const ZClientSummary = z
  .object({
    id: uuid,
    name: z.string(),
    types: z.array(z.enum(clientTypeValues)),
    phones: z.array(z.string()),
    email: z.string().nullable(),
    document: z.string().nullable().meta({ description: 'CPF or CNPJ, digits only.' }),
    city: z.string().nullable(),
    tags: z.array(z.string()),
    assignedTo: uuid.nullable(),
    assigneeName: z.string().nullable(),
    createdAt: iso,
    updatedAt: iso,
  })
  .meta({ id: 'ClientSummary' })

export const ZClient = ZClientSummary.extend({
  street: z.string().nullable(),
  number: z.string().nullable(),
  complement: z.string().nullable(),
  neighbourhood: z.string().nullable(),
  state: z.string().nullable(),
  postalCode: z.string().nullable(),
  country: z.string().nullable(),
  birthDate: z.string().nullable(),
  notes: z.string().nullable(),
}).meta({ id: 'Client' })

export function toClient(c: Client, assigneeName: string | null): z.output<typeof ZClient> {
  return {
    id: c.id,
    name: c.name,
    types: c.types as z.output<typeof ZClient>['types'],
    phones: c.phones,
    email: c.email,
    document: c.document,
    street: c.street,
    number: c.number,
    complement: c.complement,
    neighbourhood: c.neighbourhood,
    city: c.city,
    state: c.state,
    postalCode: c.postalCode,
    country: c.country,
    birthDate: c.birthDate,
    notes: c.notes,
    tags: c.tags,
    assignedTo: c.assignedTo,
    assigneeName,
    createdAt: toIso(c.createdAt),
    updatedAt: toIso(c.updatedAt),
  }
}

export const ZPropertySummary = z
  .object({
    id: uuid,
    code: z.string(),
    title: z.string(),
    type: z.enum(propertyTypes),
    purpose: z.enum(propertyPurposes),
    status: z.enum(propertyStatuses),
    salePrice: z.number().int().nullable().meta({ description: 'Integer cents.' }),
    rentPrice: z.number().int().nullable().meta({ description: 'Integer cents.' }),
    bedrooms: z.number().int().nullable(),
    parkingSpaces: z.number().int().nullable(),
    builtArea: z.number().nullable().meta({ description: 'Square metres.' }),
    neighbourhood: z.string().nullable(),
    city: z.string().nullable(),
    assignedTo: uuid.nullable(),
    assigneeName: z.string().nullable(),
    createdAt: iso,
    updatedAt: iso,
  })
  .meta({ id: 'PropertySummary' })

export const ZProperty = ZPropertySummary.extend({
  street: z.string().nullable(),
  number: z.string().nullable(),
  complement: z.string().nullable(),
  state: z.string().nullable(),
  postalCode: z.string().nullable(),
  country: z.string().nullable(),
  condoFee: z.number().int().nullable(),
  propertyTax: z.number().int().nullable(),
  totalArea: z.number().nullable(),
  suites: z.number().int().nullable(),
  bathrooms: z.number().int().nullable(),
  features: z.array(z.string()),
  description: z.string().nullable(),
  ownerClientId: uuid.nullable(),
  photoCount: z.number().int(),
  statusChangedAt: iso,
}).meta({ id: 'Property' })

export const ZConversationSummary = z
  .object({
    id: uuid,
    contactPhone: z.string(),
    contactName: z.string().nullable(),
    displayName: z.string().nullable(),
    leadId: uuid.nullable(),
    clientId: uuid.nullable(),
    assignedTo: uuid.nullable(),
    assigneeName: z.string().nullable(),
    lastMessageAt: isoOrNull,
    lastMessagePreview: z.string().nullable(),
    lastInboundAt: isoOrNull,
    waiting: z.boolean(),
    windowEndsAt: isoOrNull.meta({ description: 'Until when free text may be sent (24 h after the contact wrote).' }),
    aiMode: z.enum(aiModes).meta({ description: 'off, assist (the AI only drafts) or auto (the AI answers).' }),
    controller: z
      .enum(conversationControllers)
      .meta({ description: 'Who answers now: the bot, a human (who took over), or none yet (decision 019).' }),
    labels: z.array(z.string()).meta({ description: "The agency's labels on it, lower case." }),
    status: z.enum(conversationStatuses).meta({
      description:
        "The team's state: open, pending (waiting on something) or resolved. The contact writing reopens it.",
    }),
  })
  .meta({ id: 'ConversationSummary' })

export const ZApiConversationUpdate = z
  .object({ status: z.enum(conversationStatuses) })
  .meta({ id: 'ConversationUpdate' })

export const ZConversation = ZConversationSummary.omit({ assigneeName: true, waiting: true })
  .extend({ accountId: uuid, windowOpen: z.boolean(), createdAt: iso })
  .meta({ id: 'Conversation' })

export const ZMessage = z
  .object({
    id: uuid,
    conversationId: uuid,
    direction: z.enum(['inbound', 'outbound']),
    type: z.string().meta({ description: 'text, template, image, audio, video, document, location…' }),
    body: z.string().nullable(),
    status: z.string().meta({ description: 'queued, sending, sent, delivered, read, failed (outbound); received.' }),
    errorCode: z.string().nullable(),
    errorReason: z.string().nullable(),
    media: z
      .object({
        state: z.enum(['pending', 'stored', 'failed']),
        mimeType: z.string().nullable(),
        filename: z.string().nullable(),
        bytes: z.number().int().nullable(),
      })
      .nullable(),
    template: z.object({ name: z.string(), language: z.string(), parameters: z.array(z.string()) }).nullable(),
    sentAt: isoOrNull.meta({ description: "The provider's time (the contact's send time for inbound)." }),
    createdAt: iso,
  })
  .meta({ id: 'Message' })

export const ZMessagePage = z
  .object({
    data: z.array(ZMessage).meta({ description: 'Oldest first within the page.' }),
    next: z.string().nullable().meta({ description: 'Cursor of older messages (`before`), null at the start.' }),
  })
  .meta({ id: 'MessagePage' })

export interface MessageRow {
  id: string
  direction: 'inbound' | 'outbound'
  type: string
  body: string | null
  media: { state: 'pending' | 'stored' | 'failed'; mimeType?: string; filename?: string; bytes?: number } | null
  payload: Record<string, unknown> | null
  status: string
  errorCode: string | null
  errorReason: string | null
  providerAt: Date | null
  createdAt: Date
}

export function toMessage(conversationId: string, m: MessageRow): z.output<typeof ZMessage> {
  const p = m.payload
  return {
    id: m.id,
    conversationId,
    direction: m.direction,
    type: m.type,
    body: m.body,
    status: m.status,
    errorCode: m.errorCode,
    errorReason: m.errorReason,
    media: m.media
      ? {
          state: m.media.state,
          mimeType: m.media.mimeType ?? null,
          filename: m.media.filename ?? null,
          bytes: m.media.bytes ?? null,
        }
      : null,
    template:
      m.type === 'template' && p && typeof p.name === 'string'
        ? {
            name: p.name,
            language: String(p.language ?? ''),
            parameters: Array.isArray(p.parameters) ? p.parameters.map(String) : [],
          }
        : null,
    sentAt: toIsoOrNull(m.providerAt),
    createdAt: toIso(m.createdAt),
  }
}

export const ZMember = z
  .object({
    userId: uuid,
    name: z.string(),
    email: z.string(),
    role: z.enum(memberRoles),
    status: z.enum(['active', 'deactivated']),
    since: iso,
  })
  .meta({ id: 'Member' })

export const ZEvent = z
  .object({
    id: uuid,
    type: z.string().meta({
      description:
        '`<record>.<what>`: lead.created, lead.updated, lead.status_changed, lead.assigned, lead.converted, lead.deleted, lead.restored, lead.property_linked, lead.property_unlinked; client.created, client.updated, client.assigned, client.lead_linked, client.deleted, client.restored; property.created, property.updated, property.status_changed, property.assigned, property.deleted, property.restored.',
    }),
    entity: z.object({ type: z.enum(historyEntities), id: uuid }),
    occurredAt: iso,
    actor: z
      .object({ id: uuid, name: z.string().nullable(), kind: z.enum(['person', 'integration']).nullable() })
      .nullable()
      .meta({ description: 'Who made the change; null for the system (an inbound message, a job).' }),
    origin: z.string().meta({ description: 'ui, api, whatsapp, import, portal, ai, automation or system.' }),
    data: z.record(z.string(), z.unknown()).meta({ description: 'What changed (fields, from/to…), by type.' }),
  })
  .meta({ id: 'Event' })

export const ZEventPage = z
  .object({
    data: z.array(ZEvent).meta({ description: 'Oldest first.' }),
    next: z.string().nullable().meta({
      description: 'Pass as `after` to continue, now or later (polling); null only when nothing was read yet.',
    }),
    more: z.boolean().meta({ description: 'Whether more events are already waiting after this page.' }),
  })
  .meta({ id: 'EventPage' })

export const ZScopes = z.array(z.enum(integrationScopes))

export const ZWebhookEndpoint = z
  .object({
    id: uuid,
    url: z.string(),
    description: z.string().nullable(),
    eventTypes: z.array(z.string()).meta({
      description: 'The event types delivered (an open list: new types may be added; ignore those you do not know).',
    }),
    updatedFields: z
      .record(z.string(), z.array(z.string()))
      .meta({ description: 'Field filters of the `*.updated` types, by type.' }),
    integrationId: uuid.nullable().meta({
      description:
        "The integration this endpoint feeds: that integration's own changes are not sent to it. An endpoint created through the API feeds the integration whose key created it.",
    }),
    integrationName: z.string().nullable(),
    enabled: z.boolean(),
    disabledReason: z.enum(['manual', 'gone', 'failing']).nullable().meta({
      description:
        'Why it is off: turned off (`manual`), the receiver answered 410 (`gone`), or retries ran out (`failing`).',
    }),
    disabledAt: isoOrNull,
    previousSecretExpiresAt: isoOrNull.meta({ description: 'After a rotation, the old secret also signs until then.' }),
    pendingDeliveries: z.number().int(),
    lastDelivery: z
      .object({
        state: z.enum(webhookDeliveryStates),
        responseStatus: z.number().int().nullable(),
        error: z.string().nullable(),
        at: iso,
        latencyMs: z.number().int().nullable(),
      })
      .nullable()
      .meta({ description: 'The latest attempt of any delivery; null before the first.' }),
    createdAt: iso,
    updatedAt: iso,
  })
  .meta({ id: 'WebhookEndpoint', description: 'An outgoing webhook endpoint. Its signing secret is never shown here.' })

export interface WebhookEndpointRow {
  id: string
  url: string
  description: string | null
  eventTypes: string[]
  updatedFields: Record<string, string[] | undefined>
  integrationId: string | null
  integrationName: string | null
  enabled: boolean
  disabledReason: 'manual' | 'gone' | 'failing' | null
  disabledAt: Date | null
  previousSecretExpiresAt: Date | null
  pending: number
  lastDelivery: {
    state: string
    responseStatus: number | null
    error: string | null
    at: string
    latencyMs: number | null
  } | null
  createdAt: Date
  updatedAt: Date
}

export function toWebhookEndpoint(e: WebhookEndpointRow): z.output<typeof ZWebhookEndpoint> {
  const last = e.lastDelivery
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    eventTypes: e.eventTypes,
    updatedFields: Object.fromEntries(
      Object.entries(e.updatedFields).filter((f): f is [string, string[]] => Array.isArray(f[1])),
    ),
    integrationId: e.integrationId,
    integrationName: e.integrationName,
    enabled: e.enabled,
    disabledReason: e.disabledReason,
    disabledAt: toIsoOrNull(e.disabledAt),
    previousSecretExpiresAt: toIsoOrNull(e.previousSecretExpiresAt),
    pendingDeliveries: e.pending,
    lastDelivery: last
      ? {
          state: last.state as WebhookDeliveryState,
          responseStatus: last.responseStatus,
          error: last.error,
          at: toIso(new Date(last.at)),
          latencyMs: last.latencyMs,
        }
      : null,
    createdAt: toIso(e.createdAt),
    updatedAt: toIso(e.updatedAt),
  }
}

const signingSecret = z.string().meta({
  description:
    'The signing secret (`whsec_…`, Standard Webhooks): shown in this answer only, never read back. A retry of this request with the same Idempotency-Key gets the same answer within 24 h.',
})

export const ZWebhookEndpointCreated = ZWebhookEndpoint.extend({ secret: signingSecret }).meta({
  id: 'WebhookEndpointCreated',
})

export const ZWebhookSecretRotated = z
  .object({
    id: uuid,
    secret: signingSecret,
    previousSecretExpiresAt: iso.meta({ description: 'The old secret also signs until then (24 hours).' }),
  })
  .meta({ id: 'WebhookSecretRotated' })

export const ZWebhookEndpointDeleted = z
  .object({ id: uuid, deleted: z.literal(true) })
  .meta({ id: 'WebhookEndpointDeleted', description: 'The endpoint and its delivery log are gone.' })

export const ZWebhookDelivery = z
  .object({
    id: uuid,
    seq: z.number().int().meta({ description: "The delivery's place in the endpoint's queue." }),
    eventId: uuid,
    messageId: z.string().meta({ description: 'The `webhook-id` header it is sent with (the same on a redelivery).' }),
    type: z.string().meta({ description: 'The event type (`webhook.test` for a test event).' }),
    occurredAt: iso,
    state: z.enum(webhookDeliveryStates),
    trigger: z.enum(['event', 'redelivery', 'test']),
    attempts: z.number().int(),
    nextAttemptAt: iso.meta({ description: 'When a pending delivery is tried next.' }),
    lastAttemptAt: isoOrNull,
    responseStatus: z.number().int().nullable(),
    latencyMs: z.number().int().nullable(),
    responseExcerpt: z.string().nullable().meta({ description: "The start of the receiver's answer." }),
    error: z.string().nullable().meta({
      description: 'Why the latest attempt failed without an HTTP answer: timeout, connection, refused_target…',
    }),
    deliveredAt: isoOrNull,
  })
  .meta({ id: 'WebhookDelivery' })

export const ZWebhookDeliveryPage = z
  .object({
    data: z.array(ZWebhookDelivery).meta({ description: 'Newest first.' }),
    next: z.string().nullable().meta({ description: 'Cursor of older deliveries (`after`), null at the start.' }),
  })
  .meta({ id: 'WebhookDeliveryPage' })

export const ZWebhookTestQueued = z
  .object({
    id: uuid.meta({ description: "The delivery's id, as listed in the endpoint's deliveries." }),
    endpointId: uuid,
    seq: z.number().int(),
  })
  .meta({ id: 'WebhookDeliveryQueued' })

export const ZWebhookEventTypeList = z
  .object({
    data: z.array(
      z.object({
        type: z.string(),
        updatedFields: z
          .array(z.string())
          .nullable()
          .meta({ description: 'For `*.updated` types, the fields an endpoint may filter them by.' }),
      }),
    ),
  })
  .meta({ id: 'WebhookEventTypeList' })
