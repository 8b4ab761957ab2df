/**
 * The value lists of the database's enums, each defined once: the schema makes its pgEnums from them, and the API's
 * zod schemas and the web forms use the same lists (imported as `@impera/db/enums`, which pulls in no database code,
 * so browser bundles can use it).
 */
export const agencyStatuses = ['active', 'suspended'] as const
export const memberRoles = ['manager', 'agent'] as const
/** What a client is to the agency (several at once: a seller who also buys). */
export const clientTypeValues = ['buyer', 'seller', 'tenant', 'landlord'] as const
export const leadStatuses = ['new', 'contacted', 'qualified', 'converted', 'lost'] as const
export const leadSources = ['website', 'portal', 'whatsapp', 'referral', 'walk_in', 'phone', 'social', 'other'] as const
export const leadInterests = ['buy', 'rent'] as const
export const lostReasons = [
  'no_response',
  'bought_elsewhere',
  'budget',
  'not_interested',
  'invalid_contact',
  'duplicate',
  'other',
] as const
export const propertyTypes = ['apartment', 'house', 'land', 'commercial', 'rural', 'other'] as const
export const propertyPurposes = ['sale', 'rent', 'both'] as const
export const propertyStatuses = ['available', 'reserved', 'sold', 'rented', 'off_market'] as const
export const notificationKinds = [
  'lead_assigned',
  'message_received',
  'lead_waiting',
  'message_failed',
  'invitation_accepted',
  'webhook_disabled',
  /** The AI handed a conversation over (decision 020): the chosen member gets the bot's summary. */
  'ai_handoff',
  /** A task or visit is due soon (its reminder) — decision 025. */
  'task_due',
  /** The contact answered a visit's WhatsApp confirmation (decision 026). */
  'visit_reply',
  /** A listing new or changed suits some of the member's open leads (issue 16's matching). */
  'property_matches',
  /** A new lead was not contacted within the agency's first-contact SLA and moved on (decision 027). */
  'lead_sla_breached',
  /** A bulk operation that ran as a job finished (decision 028): to the member who started it. */
  'bulk_done',
  /** Leads were handed to the member in one bulk operation (one notification, not one per lead). */
  'leads_assigned',
  /** A new lead is offered to the member among others: the first to claim it gets it (decision 031). */
  'lead_offered',
] as const
/** A bulk operation's state (decision 028). */
export const bulkStatuses = ['running', 'done', 'failed'] as const
/** Why the distribution gave a lead to a member (decision 027). */
export const distributionReasons = ['listing_agent', 'rule', 'sla', 'claim'] as const
/** How a rule gives a lead: by weighted turns, or offered to its members for the first to claim it (decision 031). */
export const distributionModes = ['round_robin', 'claim'] as const
export type DistributionMode = (typeof distributionModes)[number]

/**
 * Who answers a WhatsApp conversation (decision 019). The AI mode: `off`, `assist` (the AI only drafts), `auto` (it
 * answers). The controller: the `bot` (an integration or the built-in AI), a `human`, or `none` (nobody yet).
 */
export const aiModes = ['off', 'assist', 'auto'] as const
export type AiMode = (typeof aiModes)[number]
export const conversationControllers = ['bot', 'human', 'none'] as const
export type ConversationController = (typeof conversationControllers)[number]
/**
 * Where a conversation is in the team's work (issue 16's inbox): `open` needs someone, `pending` waits on something
 * (the contact, a document), `resolved` is done. A new message from the contact reopens a pending or resolved one.
 */
export const conversationStatuses = ['open', 'pending', 'resolved'] as const
export type ConversationStatus = (typeof conversationStatuses)[number]
/** What a conversation's own timeline holds besides messages and control changes: internal notes and status changes. */
export const conversationEntryKinds = ['note', 'status'] as const
/** Why the controller or mode last changed. */
export const controlReasons = [
  'human_send',
  'phone_send',
  'take_over',
  'return_to_ai',
  'idle_rule',
  'mode_changed',
  /** The bot handed over: it asked to (qualified, a question it cannot answer), or the contact asked for a person. */
  'bot_handoff',
  /** The external agent's turn did not arrive within the agency's deadline. */
  'turn_deadline',
  /** A loop or cost guard tripped: too many bot messages in a row or per minute. */
  'bot_guard',
  /** The contact sent an opt-out word: the bot stops, and the conversation is marked opted out. */
  'opt_out',
] as const
export type ControlReason = (typeof controlReasons)[number]
/**
 * Who answers for an agency in `auto` (decisions 020, 021): the built-in offline `rules` provider, an `external` agent
 * (StarIAup's, over the public API's turns endpoint) that gets `message.received` and has a deadline to answer, or a
 * language model the agency configures behind an `openai_compatible` chat-completions API (OpenAI, Ollama, vLLM…).
 */
/** Portals whose lead push Impera receives (decision 022). */
export const portalKinds = ['grupo_olx'] as const
export type PortalKind = (typeof portalKinds)[number]
/** What a stored portal push became: a new lead, a contact added to an existing one, or a repeat of one already taken. */
export const portalLeadOutcomes = ['created', 'merged', 'duplicate'] as const

/** What a spreadsheet import brings in (decision 024); clients and properties join this list when they are built. */
export const importKinds = ['leads', 'clients', 'properties'] as const
export type ImportKind = (typeof importKinds)[number]
/**
 * An import's life (decision 024): uploaded → (mapped and) validating → validated → running → done; cancelled while
 * validating or running; failed when the file cannot be read through; undone while nothing it made was edited.
 */
export const importStatuses = [
  'uploaded',
  'validating',
  'validated',
  'running',
  'done',
  'cancelled',
  'failed',
  'undone',
] as const
export type ImportStatus = (typeof importStatuses)[number]
/** What to do with a row whose person is already a lead (same phone, 9th-digit aware, or e-mail). */
export const importDuplicatePolicies = ['skip', 'update', 'create'] as const
export type ImportDuplicatePolicy = (typeof importDuplicatePolicies)[number]
/** What one row became (or will become, in the validation report). */
export const importRowOutcomes = ['create', 'update', 'skip', 'refuse'] as const
export type ImportRowOutcome = (typeof importRowOutcomes)[number]

export const aiProviders = ['rules', 'external', 'openai_compatible'] as const
export type AiProvider = (typeof aiProviders)[number]
/** How a turn ended (ai_turns): executed, refused (stale, window closed, invalid), or ended in a handoff. */
export const aiTurnOutcomes = ['executed', 'stale', 'window_closed', 'invalid', 'handoff'] as const
export type AiTurnOutcome = (typeof aiTurnOutcomes)[number]
/**
 * How a call to an agency's language model ended (ai_calls, decision 021): a valid turn, an answer that was not one
 * (the rules agent answered instead), or no usable answer (timeout, an HTTP error, unreachable, a refused address).
 */
export const aiCallOutcomes = [
  'ok',
  'invalid_output',
  'timeout',
  'http_error',
  'unreachable',
  'refused_target',
] as const
export type AiCallOutcome = (typeof aiCallOutcomes)[number]
/** A lead's temperature, from its qualification score. */
export const leadTemperatures = ['cold', 'warm', 'hot'] as const
export type LeadTemperature = (typeof leadTemperatures)[number]

/**
 * Who wrote a WhatsApp message: the `contact`; a `member` in the CRM; a person on the business `phone` (an echo); a
 * `bot` (an integration over the API or MCP, or the AI); the `system`.
 */
export const messageAuthors = ['contact', 'member', 'phone', 'bot', 'system'] as const
export type MessageAuthor = (typeof messageAuthors)[number]

export type LeadStatus = (typeof leadStatuses)[number]
export type LeadSource = (typeof leadSources)[number]
export type DistributionReason = (typeof distributionReasons)[number]
export type LeadInterest = (typeof leadInterests)[number]
export type PropertyType = (typeof propertyTypes)[number]

/** A users row is a person, or the principal an integration acts as (no credentials, no membership). */
export const userKinds = ['person', 'integration'] as const

/**
 * What an integration's key may do; each public endpoint and MCP tool names the scope it needs. Read scopes alone make
 * a read-only key.
 */
export const integrationScopes = [
  'leads:read',
  'leads:write',
  'clients:read',
  'clients:write',
  'properties:read',
  'conversations:read',
  'conversations:reply',
  'members:read',
  'events:read',
  'webhooks:manage',
] as const
export type IntegrationScope = (typeof integrationScopes)[number]

/**
 * The events an agency's webhook endpoints can subscribe to (decision 018). `*.updated` events carry `changed[]` and
 * `previous{}`, and an endpoint may narrow them to some fields.
 */
export const webhookEventTypes = [
  'lead.created',
  'lead.updated',
  'lead.status_changed',
  'lead.assigned',
  'client.created',
  'client.updated',
  'property.created',
  'property.updated',
  'conversation.created',
  'conversation.assigned',
  'message.received',
  'message.sent',
  'message.status_changed',
  'conversation.control_changed',
  'conversation.turn_requested',
  'conversation.status_changed',
] as const
export type WebhookEventType = (typeof webhookEventTypes)[number]

/** The fields an endpoint may filter each `*.updated` event by (the record's fields that such an event can name). */
export const webhookUpdatedFields = {
  'lead.updated': [
    'name',
    'phones',
    'email',
    'source',
    'sourceDetail',
    'interest',
    'budgetMin',
    'budgetMax',
    'propertyTypes',
    'locations',
    'minBedrooms',
    'notes',
    'tags',
    'qualification',
  ],
  'client.updated': [
    'name',
    'types',
    'phones',
    'email',
    'document',
    'street',
    'number',
    'complement',
    'neighbourhood',
    'city',
    'state',
    'postalCode',
    'country',
    'birthDate',
    'notes',
    'tags',
    'assignedTo',
  ],
  'property.updated': [
    'code',
    'title',
    'street',
    'number',
    'complement',
    'neighbourhood',
    'city',
    'state',
    'postalCode',
    'country',
    'type',
    'purpose',
    'status',
    'salePrice',
    'rentPrice',
    'condoFee',
    'propertyTax',
    'builtArea',
    'totalArea',
    'bedrooms',
    'suites',
    'bathrooms',
    'parkingSpaces',
    'features',
    'description',
    'ownerClientId',
    'assignedTo',
    'publishPortals',
  ],
} as const satisfies Partial<Record<WebhookEventType, readonly string[]>>
export type WebhookUpdatedEventType = keyof typeof webhookUpdatedFields

/** A delivery waits its turn (`pending`), reached the endpoint (`delivered`), or was given up (`failed`). */
export const webhookDeliveryStates = ['pending', 'delivered', 'failed'] as const
export type WebhookDeliveryState = (typeof webhookDeliveryStates)[number]

/**
 * The agent's day (decision 025): tasks of each kind, and visits (a kind of task with a place, the properties shown and
 * an outcome). A task is open until done or cancelled; a visit's outcome says whether it happened.
 */
export const taskKinds = ['call', 'whatsapp', 'email', 'follow_up', 'document', 'visit', 'other'] as const
export type TaskKind = (typeof taskKinds)[number]
export const taskStatuses = ['open', 'done', 'cancelled'] as const
export type TaskStatus = (typeof taskStatuses)[number]
export const visitOutcomes = ['done', 'no_show', 'rescheduled'] as const
export type VisitOutcome = (typeof visitOutcomes)[number]
/** A recurring task makes its next occurrence when it is done or cancelled, at the same wall-clock time. */
export const taskRecurrences = ['none', 'daily', 'weekdays', 'weekly', 'monthly'] as const
export type TaskRecurrence = (typeof taskRecurrences)[number]
/** The lead's interest in a property shown on a visit. */
export const visitInterests = ['high', 'medium', 'low', 'none'] as const
export type VisitInterest = (typeof visitInterests)[number]
/**
 * A visit's confirmation by WhatsApp (decision 026): the template went out (`sent`), the contact confirmed, asked to
 * change it (`declined`) or answered something else (`replied`); `failed` when it could not be sent (no phone, no
 * number, the template not approved on it).
 */
export const visitConfirmationStates = ['sent', 'confirmed', 'declined', 'replied', 'failed'] as const
export type VisitConfirmationState = (typeof visitConfirmationStates)[number]

/** A person's colour theme: their device's choice, or light or dark whatever it says. */
export const themes = ['system', 'light', 'dark'] as const
/**
 * LGPD (issue 17, decision 037): the legal basis a marketing permission rests on, and where it was recorded. A
 * revocation has no basis.
 */
export const consentBases = ['consent', 'legitimate_interest', 'contract'] as const
export const consentSources = ['ui', 'intake', 'portal', 'whatsapp', 'import', 'api'] as const
