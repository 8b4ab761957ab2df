/* Generated from the public API's OpenAPI document by `pnpm --filter @impera/sdk generate`: do not edit. */

export interface paths {
  '/clients': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /**
     * List clients
     * @description Scope: `clients:read`.
     */
    get: operations['listClients']
    put?: never
    /**
     * Create a client
     * @description A CPF/CNPJ already used by another client of the agency is refused with 409.
     *
     *     Scope: `clients:write`.
     */
    post: operations['createClient']
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/clients/{id}': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /**
     * Get a client
     * @description Scope: `clients:read`.
     */
    get: operations['getClient']
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    /**
     * Update a client
     * @description Only the fields sent change.
     *
     *     Scope: `clients:write`.
     */
    patch: operations['updateClient']
    trace?: never
  }
  '/clients/{id}/consent': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /**
     * A client's marketing consent
     * @description The LGPD ledger of grants and revocations (the app, the intake, WhatsApp opt-out and opt-in words, integrations). Send marketing only when `status` is `granted`; Impera refuses marketing templates otherwise.
     *
     *     Scope: `clients:read`.
     */
    get: operations['getClientConsent']
    put?: never
    /**
     * Record a client's marketing consent
     * @description Appends a grant (with its legal basis and the wording agreed to) or a revocation, recorded as coming from the integration (source `api`). The ledger is append-only.
     *
     *     Scope: `clients:write`.
     */
    post: operations['recordClientConsent']
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/conversations': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /**
     * List WhatsApp conversations
     * @description Scope: `conversations:read`.
     */
    get: operations['listConversations']
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/conversations/{id}': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /**
     * Get a conversation
     * @description Scope: `conversations:read`.
     */
    get: operations['getConversation']
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    /**
     * Open, park or resolve a conversation
     * @description Sets its `status` (a `conversation.status_changed` event when it changes; the same status again changes nothing). The contact writing again reopens a pending or resolved conversation.
     *
     *     Scope: `conversations:reply`.
     */
    patch: operations['updateConversation']
    trace?: never
  }
  '/conversations/{id}/messages': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /**
     * A conversation's messages
     * @description The newest 50 (oldest first within the page); `next` reaches further back.
     *
     *     Scope: `conversations:read`.
     */
    get: operations['listMessages']
    put?: never
    /**
     * Send a message
     * @description Queued for sending (202); its `status` then moves to sent, delivered, read or failed. Free text and media only within 24 h of the contact’s last message (else 422 with reason `window_closed`: send a template). The message id comes from the Idempotency-Key, so a retried send never sends twice.
     *
     *     Scope: `conversations:reply`.
     */
    post: operations['sendMessage']
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/conversations/{id}/turns': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /**
     * An AI agent's turn
     * @description How an AI agent answers a conversation it controls (`controller: bot`, AI mode `auto`): up to 3 messages (text, template, a listing as a card) and actions (qualification slots, a note, tags, a forward status move, listings to suggest, a handoff to a person with its reason and summary), executed as one unit. Checked when it executes: if a person took the conversation over, or the contact wrote after `inReplyTo`, the answer is 409 with reason `stale_turn` and nothing is sent — read the new messages and try again. Outside the 24-hour window free text is refused (422, reason `window_closed`); a template is allowed. Too many bot messages in a row or per minute hand the conversation over instead of sending. The Idempotency-Key makes a retried turn act once.
     *
     *     Scope: `conversations:reply`.
     */
    post: operations['postTurn']
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/events': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /**
     * The change history
     * @description Every change of the agency's leads, clients and properties, oldest first — the same history the timelines show, whoever made it (a person, this or another integration, WhatsApp, the system). Each record type needs its own read scope besides `events:read` (lead events `leads:read`…); without `type`, the types the key may read are included. Keep the `next` cursor and ask again later for what happened since; changes appear here a few seconds after they commit.
     *
     *     Scope: `events:read`.
     */
    get: operations['listEvents']
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/leads': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /**
     * List leads
     * @description The filters, sorts and cursors of the leads list in the app.
     *
     *     Scope: `leads:read`.
     */
    get: operations['listLeads']
    put?: never
    /**
     * Create a lead
     * @description Refused with 409 `duplicate` (listing the matches) when a lead with one of its phones or its e-mail exists, as in the app; send `allowDuplicate: true` to create it anyway. Without `assignedTo`, the agency's distribution rules choose the owner (send `assignedTo: null` to leave it unassigned).
     *
     *     Scope: `leads:write`.
     */
    post: operations['createLead']
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/leads/{id}': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /**
     * Get a lead
     * @description Scope: `leads:read`.
     */
    get: operations['getLead']
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    /**
     * Update a lead
     * @description Only the fields sent change; the same duplicate check as on creation applies to new phones or e-mail.
     *
     *     Scope: `leads:write`.
     */
    patch: operations['updateLead']
    trace?: never
  }
  '/leads/{id}/consent': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /**
     * A lead's marketing consent
     * @description The LGPD ledger of grants and revocations (the app, the intake, WhatsApp opt-out and opt-in words, integrations). Send marketing only when `status` is `granted`; Impera refuses marketing templates otherwise.
     *
     *     Scope: `leads:read`.
     */
    get: operations['getLeadConsent']
    put?: never
    /**
     * Record a lead's marketing consent
     * @description Appends a grant (with its legal basis and the wording agreed to) or a revocation, recorded as coming from the integration (source `api`). The ledger is append-only.
     *
     *     Scope: `leads:write`.
     */
    post: operations['recordLeadConsent']
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/leads/{id}/notes': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /**
     * A lead's notes
     * @description Newest first.
     *
     *     Scope: `leads:read`.
     */
    get: operations['listLeadNotes']
    put?: never
    /**
     * Add a note to a lead
     * @description Scope: `leads:write`.
     */
    post: operations['addLeadNote']
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/leads/{id}/status': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /**
     * Change a lead's status
     * @description Any move is allowed, backwards too; `lost` needs a reason. Conversion happens in the app.
     *
     *     Scope: `leads:write`.
     */
    post: operations['setLeadStatus']
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/leads/intake': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /**
     * Take in a lead from a form, a landing page or an ad
     * @description For contacts that reach the agency from outside (a site's form, a landing page, a lead-ad connector, a portal bridge): never refused as a duplicate. Someone who is already a lead by one of these phones or this e-mail gets the contact on that lead's timeline (`outcome: merged`); anyone else becomes a new lead (`created`), given to the agent of the listing named in `property`, else by the agency's rule for new leads. The listing is linked, and the message, channel, campaign (UTM) and consent go on the timeline.
     *
     *     Scope: `leads:write`.
     */
    post: operations['intakeLead']
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/members': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /**
     * The agency's members
     * @description Their user ids are what `assignedTo` takes.
     *
     *     Scope: `members:read`.
     */
    get: operations['listMembers']
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/properties': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /**
     * Search properties
     * @description By criteria: purpose, type, price range, bedrooms, neighbourhood, city, status, text.
     *
     *     Scope: `properties:read`.
     */
    get: operations['listProperties']
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/properties/{id}': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /**
     * Get a property
     * @description Scope: `properties:read`.
     */
    get: operations['getProperty']
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/webhooks/endpoints': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /**
     * List webhook endpoints
     * @description The agency's endpoints (at most 20), newest first, whoever created them: in the app or through the API. Their signing secrets are never shown.
     *
     *     Scope: `webhooks:manage`.
     */
    get: operations['listWebhookEndpoints']
    put?: never
    /**
     * Create a webhook endpoint
     * @description Events are POSTed to `url`, signed as Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`) with the secret in this answer, which is shown only here: keep it. The endpoint feeds this integration, so this integration's own changes are not sent to it. A non-public target is refused with 422 (`webhooks.privateTarget` on `url`); a 21st endpoint with 409.
     *
     *     Scope: `webhooks:manage`.
     */
    post: operations['createWebhookEndpoint']
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/webhooks/endpoints/{id}': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /**
     * Get a webhook endpoint
     * @description Scope: `webhooks:manage`.
     */
    get: operations['getWebhookEndpoint']
    put?: never
    post?: never
    /**
     * Delete a webhook endpoint
     * @description With its queue and delivery log; nothing more is sent to it.
     *
     *     Scope: `webhooks:manage`.
     */
    delete: operations['deleteWebhookEndpoint']
    options?: never
    head?: never
    /**
     * Update a webhook endpoint
     * @description Only the fields sent change (`updatedFields` is replaced as a whole); the target is checked again when any of url, description, event types or field filters is sent. `enabled: false` holds the queue; `enabled: true` sends the held deliveries again, in order.
     *
     *     Scope: `webhooks:manage`.
     */
    patch: operations['updateWebhookEndpoint']
    trace?: never
  }
  '/webhooks/endpoints/{id}/deliveries': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /**
     * An endpoint's delivery log
     * @description Newest first: each delivery with its state, attempts and the outcome of the latest one. Settled deliveries are kept 30 days.
     *
     *     Scope: `webhooks:manage`.
     */
    get: operations['listWebhookDeliveries']
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/webhooks/endpoints/{id}/rotate-secret': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /**
     * Rotate an endpoint's signing secret
     * @description A new secret, shown only in this answer. For 24 hours deliveries carry a signature with each secret, so the receiver can switch over without losing one.
     *
     *     Scope: `webhooks:manage`.
     */
    post: operations['rotateWebhookSecret']
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/webhooks/endpoints/{id}/test': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /**
     * Send a test event
     * @description A `webhook.test` event, queued at the end of the endpoint's queue (202) and signed, delivered and logged like any other. A disabled endpoint is refused with 409.
     *
     *     Scope: `webhooks:manage`.
     */
    post: operations['sendWebhookTest']
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/webhooks/event-types': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /**
     * The event types an endpoint can subscribe to
     * @description With, for `*.updated` types, the fields an endpoint may filter them by.
     *
     *     Scope: `webhooks:manage`.
     */
    get: operations['listWebhookEventTypes']
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
}
export type webhooks = Record<string, never>
export interface components {
  schemas: {
    Client: {
      assignedTo: string | null
      assigneeName: string | null
      birthDate: string | null
      city: string | null
      complement: string | null
      country: string | null
      /** Format: date-time */
      createdAt: string
      /** @description CPF or CNPJ, digits only. */
      document: string | null
      email: string | null
      /** Format: uuid */
      id: string
      name: string
      neighbourhood: string | null
      notes: string | null
      number: string | null
      phones: string[]
      postalCode: string | null
      state: string | null
      street: string | null
      tags: string[]
      types: ('buyer' | 'seller' | 'tenant' | 'landlord')[]
      /** Format: date-time */
      updatedAt: string
    }
    ClientCreate: {
      assignedTo?: string | null
      /** @description YYYY-MM-DD. */
      birthDate?: string | null
      city?: string | null
      complement?: string | null
      country?: string | null
      /** @description CPF or CNPJ, with or without punctuation; unique in the agency. */
      document?: string | null
      email?: string | null
      name: string
      neighbourhood?: string | null
      notes?: string | null
      number?: string | null
      phones?: string[]
      postalCode?: string | null
      state?: string | null
      street?: string | null
      tags?: string[]
      types?: ('buyer' | 'seller' | 'tenant' | 'landlord')[]
    }
    ClientPage: {
      data: components['schemas']['ClientSummary'][]
      /** @description Cursor of the next page (`after`), null on the last. */
      next: string | null
      /** @description Cursor of the previous page (`before`), null on the first. */
      prev: string | null
      total: components['schemas']['Total']
    }
    ClientSummary: {
      assignedTo: string | null
      assigneeName: string | null
      city: string | null
      /** Format: date-time */
      createdAt: string
      /** @description CPF or CNPJ, digits only. */
      document: string | null
      email: string | null
      /** Format: uuid */
      id: string
      name: string
      phones: string[]
      tags: string[]
      types: ('buyer' | 'seller' | 'tenant' | 'landlord')[]
      /** Format: date-time */
      updatedAt: string
    }
    /** @description Only the fields sent change. */
    ClientUpdate: {
      assignedTo?: string | null
      /** @description YYYY-MM-DD. */
      birthDate?: string | null
      city?: string | null
      complement?: string | null
      country?: string | null
      /** @description CPF or CNPJ, with or without punctuation; unique in the agency. */
      document?: string | null
      email?: string | null
      name?: string
      neighbourhood?: string | null
      notes?: string | null
      number?: string | null
      phones?: string[]
      postalCode?: string | null
      state?: string | null
      street?: string | null
      tags?: string[]
      types?: ('buyer' | 'seller' | 'tenant' | 'landlord')[]
    }
    Consent: {
      current: components['schemas']['ConsentEntry'] | null
      /** @description Newest first, up to 100. */
      history: components['schemas']['ConsentEntry'][]
      /**
       * @description From the newest entry; `unknown` (never asked) refuses marketing like `revoked`.
       * @enum {string}
       */
      status: 'granted' | 'revoked' | 'unknown'
    }
    ConsentEntry: {
      basis: ('consent' | 'legitimate_interest' | 'contract') | null
      granted: boolean
      /** Format: date-time */
      recordedAt: string
      /** @enum {string} */
      source: 'ui' | 'intake' | 'portal' | 'whatsapp' | 'import' | 'api'
      textVersion: string | null
    }
    ConsentRecord: {
      /**
       * @description The legal basis of a grant (default `consent`); ignored for a revocation.
       * @enum {string}
       */
      basis?: 'consent' | 'legitimate_interest' | 'contract'
      /** @description true: the person agreed to receive marketing; false: they took it back. */
      granted: boolean
      /** @description The wording the person agreed to (or its version tag, e.g. "site-2026-03"); for a revocation, their words. */
      textVersion?: string | null
    }
    Conversation: {
      /** Format: uuid */
      accountId: string
      /**
       * @description off, assist (the AI only drafts) or auto (the AI answers).
       * @enum {string}
       */
      aiMode: 'off' | 'assist' | 'auto'
      assignedTo: string | null
      clientId: string | null
      contactName: string | null
      contactPhone: string
      /**
       * @description Who answers now: the bot, a human (who took over), or none yet (decision 019).
       * @enum {string}
       */
      controller: 'bot' | 'human' | 'none'
      /** Format: date-time */
      createdAt: string
      displayName: string | null
      /** Format: uuid */
      id: string
      /** @description The agency's labels on it, lower case. */
      labels: string[]
      lastInboundAt: string | null
      lastMessageAt: string | null
      lastMessagePreview: string | null
      leadId: string | null
      /**
       * @description The team's state: open, pending (waiting on something) or resolved. The contact writing reopens it.
       * @enum {string}
       */
      status: 'open' | 'pending' | 'resolved'
      /** @description Until when free text may be sent (24 h after the contact wrote). */
      windowEndsAt: string | null
      windowOpen: boolean
    }
    ConversationPage: {
      data: components['schemas']['ConversationSummary'][]
      /** @description Cursor of the next page (`after`), null on the last. */
      next: string | null
      /** @description Cursor of the previous page (`before`), null on the first. */
      prev: string | null
      total: components['schemas']['Total']
    }
    ConversationSummary: {
      /**
       * @description off, assist (the AI only drafts) or auto (the AI answers).
       * @enum {string}
       */
      aiMode: 'off' | 'assist' | 'auto'
      assignedTo: string | null
      assigneeName: string | null
      clientId: string | null
      contactName: string | null
      contactPhone: string
      /**
       * @description Who answers now: the bot, a human (who took over), or none yet (decision 019).
       * @enum {string}
       */
      controller: 'bot' | 'human' | 'none'
      displayName: string | null
      /** Format: uuid */
      id: string
      /** @description The agency's labels on it, lower case. */
      labels: string[]
      lastInboundAt: string | null
      lastMessageAt: string | null
      lastMessagePreview: string | null
      leadId: string | null
      /**
       * @description The team's state: open, pending (waiting on something) or resolved. The contact writing reopens it.
       * @enum {string}
       */
      status: 'open' | 'pending' | 'resolved'
      waiting: boolean
      /** @description Until when free text may be sent (24 h after the contact wrote). */
      windowEndsAt: string | null
    }
    ConversationUpdate: {
      /** @enum {string} */
      status: 'open' | 'pending' | 'resolved'
    }
    Event: {
      /** @description Who made the change; null for the system (an inbound message, a job). */
      actor: {
        /** Format: uuid */
        id: string
        kind: ('person' | 'integration') | null
        name: string | null
      } | null
      /** @description What changed (fields, from/to…), by type. */
      data: {
        [key: string]: unknown
      }
      entity: {
        /** Format: uuid */
        id: string
        /** @enum {string} */
        type: 'lead' | 'client' | 'property'
      }
      /** Format: uuid */
      id: string
      /** Format: date-time */
      occurredAt: string
      /** @description ui, api, whatsapp, import, portal, ai, automation or system. */
      origin: string
      /** @description `<record>.<what>`: lead.created, lead.updated, lead.status_changed, lead.assigned, lead.converted, lead.deleted, lead.restored, lead.property_linked, lead.property_unlinked; client.created, client.updated, client.assigned, client.lead_linked, client.deleted, client.restored; property.created, property.updated, property.status_changed, property.assigned, property.deleted, property.restored. */
      type: string
    }
    EventPage: {
      /** @description Oldest first. */
      data: components['schemas']['Event'][]
      /** @description Whether more events are already waiting after this page. */
      more: boolean
      /** @description Pass as `after` to continue, now or later (polling); null only when nothing was read yet. */
      next: string | null
    }
    FieldProblem: {
      /** @description A message key, e.g. `validation.required`. */
      message: string
      /** @description Dotted path of the field (`phones.1`). */
      path: string
      /** @description The same as a JSON Pointer (`/phones/1`). */
      pointer: string
    }
    Lead: {
      assignedTo: string | null
      assigneeName: string | null
      budgetMax: number | null
      budgetMin: number | null
      /** @description The client this lead converted into. */
      clientId: string | null
      /** Format: date-time */
      createdAt: string
      email: string | null
      firstContactAt: string | null
      /** Format: uuid */
      id: string
      interest: ('buy' | 'rent') | null
      locations: string[]
      lostDetail: string | null
      lostReason:
        | ('no_response' | 'bought_elsewhere' | 'budget' | 'not_interested' | 'invalid_contact' | 'duplicate' | 'other')
        | null
      minBedrooms: number | null
      name: string
      notes: string | null
      phones: string[]
      propertyTypes: ('apartment' | 'house' | 'land' | 'commercial' | 'rural' | 'other')[]
      qualification: components['schemas']['Qualification']
      /** @description The qualification score (0–100). */
      score: number | null
      /** @enum {string} */
      source: 'website' | 'portal' | 'whatsapp' | 'referral' | 'walk_in' | 'phone' | 'social' | 'other'
      sourceDetail: string | null
      /** @enum {string} */
      status: 'new' | 'contacted' | 'qualified' | 'converted' | 'lost'
      /** Format: date-time */
      statusChangedAt: string
      tags: string[]
      temperature: ('cold' | 'warm' | 'hot') | null
      /** Format: date-time */
      updatedAt: string
    }
    LeadCreate: {
      /**
       * @description Create even when a lead with one of these phones or this e-mail exists.
       * @default false
       */
      allowDuplicate?: boolean
      /** @description A member's user id; null: unassigned. */
      assignedTo?: string | null
      /** @description Integer cents. */
      budgetMax?: number | null
      /** @description Integer cents. */
      budgetMin?: number | null
      email?: string | null
      interest?: ('buy' | 'rent') | null
      locations?: string[]
      minBedrooms?: number | null
      name: string
      notes?: string | null
      /** @description In any format; stored as E.164 (Brazilian mobiles with the 9th digit). */
      phones?: string[]
      propertyTypes?: ('apartment' | 'house' | 'land' | 'commercial' | 'rural' | 'other')[]
      /** @enum {string} */
      source?: 'website' | 'portal' | 'whatsapp' | 'referral' | 'walk_in' | 'phone' | 'social' | 'other'
      sourceDetail?: string | null
      tags?: string[]
    }
    LeadIntake: {
      /** @description How the contact came, as people say it ("Site", "Landing Jardins"): the lead's source detail. */
      channel: string
      consent?: {
        /** @description Whether the person agreed to receive marketing. */
        marketing: boolean
        /** @description The wording they agreed to. */
        text?: string | null
      } | null
      message?: string | null
      person: {
        email?: string | null
        name?: string | null
        /**
         * @description In any format; stored as E.164 (Brazilian mobiles with the 9th digit).
         * @default []
         */
        phones?: string[]
      }
      /** @description The listing the contact wrote about: the agency's own code, or its id. */
      property?:
        | (
            | {
                code: string
              }
            | {
                /** Format: uuid */
                id: string
              }
          )
        | null
      /**
       * @default website
       * @enum {string}
       */
      source?: 'website' | 'portal' | 'whatsapp' | 'referral' | 'walk_in' | 'phone' | 'social' | 'other'
      utm?: {
        campaign?: string
        content?: string
        medium?: string
        source?: string
        term?: string
      } | null
    }
    LeadIntakeResult: {
      lead: components['schemas']['Lead']
      /**
       * @description A new lead, or the contact added to an existing one.
       * @enum {string}
       */
      outcome: 'created' | 'merged'
    }
    LeadPage: {
      data: components['schemas']['LeadSummary'][]
      /** @description Cursor of the next page (`after`), null on the last. */
      next: string | null
      /** @description Cursor of the previous page (`before`), null on the first. */
      prev: string | null
      total: components['schemas']['Total']
    }
    LeadStatusChange: {
      lostDetail?: string | null
      /** @description Required when the status is `lost`. */
      lostReason?:
        | ('no_response' | 'bought_elsewhere' | 'budget' | 'not_interested' | 'invalid_contact' | 'duplicate' | 'other')
        | null
      /** @enum {string} */
      status: 'new' | 'contacted' | 'qualified' | 'lost'
    }
    LeadSummary: {
      assignedTo: string | null
      assigneeName: string | null
      budgetMax: number | null
      budgetMin: number | null
      /** Format: date-time */
      createdAt: string
      email: string | null
      firstContactAt: string | null
      /** Format: uuid */
      id: string
      interest: ('buy' | 'rent') | null
      name: string
      phones: string[]
      /** @description The qualification score (0–100). */
      score: number | null
      /** @enum {string} */
      source: 'website' | 'portal' | 'whatsapp' | 'referral' | 'walk_in' | 'phone' | 'social' | 'other'
      /** @enum {string} */
      status: 'new' | 'contacted' | 'qualified' | 'converted' | 'lost'
      tags: string[]
      temperature: ('cold' | 'warm' | 'hot') | null
      /** Format: date-time */
      updatedAt: string
    }
    /** @description Only the fields sent change. */
    LeadUpdate: {
      /** @default false */
      allowDuplicate?: boolean
      /** @description A member's user id; null: unassigned. */
      assignedTo?: string | null
      /** @description Integer cents. */
      budgetMax?: number | null
      /** @description Integer cents. */
      budgetMin?: number | null
      email?: string | null
      interest?: ('buy' | 'rent') | null
      locations?: string[]
      minBedrooms?: number | null
      name?: string
      notes?: string | null
      /** @description In any format; stored as E.164 (Brazilian mobiles with the 9th digit). */
      phones?: string[]
      propertyTypes?: ('apartment' | 'house' | 'land' | 'commercial' | 'rural' | 'other')[]
      /** @enum {string} */
      source?: 'website' | 'portal' | 'whatsapp' | 'referral' | 'walk_in' | 'phone' | 'social' | 'other'
      sourceDetail?: string | null
      tags?: string[]
    }
    Member: {
      email: string
      name: string
      /** @enum {string} */
      role: 'manager' | 'agent'
      /** Format: date-time */
      since: string
      /** @enum {string} */
      status: 'active' | 'deactivated'
      /** Format: uuid */
      userId: string
    }
    MemberList: {
      data: components['schemas']['Member'][]
    }
    Message: {
      body: string | null
      /** Format: uuid */
      conversationId: string
      /** Format: date-time */
      createdAt: string
      /** @enum {string} */
      direction: 'inbound' | 'outbound'
      errorCode: string | null
      errorReason: string | null
      /** Format: uuid */
      id: string
      media: {
        bytes: number | null
        filename: string | null
        mimeType: string | null
        /** @enum {string} */
        state: 'pending' | 'stored' | 'failed'
      } | null
      /** @description The provider's time (the contact's send time for inbound). */
      sentAt: string | null
      /** @description queued, sending, sent, delivered, read, failed (outbound); received. */
      status: string
      template: {
        language: string
        name: string
        parameters: string[]
      } | null
      /** @description text, template, image, audio, video, document, location… */
      type: string
    }
    MessagePage: {
      /** @description Oldest first within the page. */
      data: components['schemas']['Message'][]
      /** @description Cursor of older messages (`before`), null at the start. */
      next: string | null
    }
    /** @description Free text and media only within 24 h of the contact’s last message. */
    MessageSend:
      | {
          /** @description The provider id of the message answered. */
          replyTo?: string
          text: string
          /** @constant */
          type: 'text'
        }
      | {
          /** @example pt_BR */
          language: string
          name: string
          /** @default [] */
          parameters?: string[]
          /** @constant */
          type: 'template'
        }
      | {
          caption?: string
          /** @description The file, base64-encoded (the request body is limited to 1 MB). */
          data: string
          filename: string
          /** @description image/jpeg, image/png, audio/ogg, application/pdf… */
          mimeType: string
          /** @constant */
          type: 'media'
        }
    Note: {
      authorId: string | null
      authorName: string | null
      body: string
      /** Format: date-time */
      createdAt: string
      /** Format: uuid */
      id: string
      /** Format: date-time */
      updatedAt: string
    }
    NoteCreate: {
      body: string
    }
    NoteList: {
      data: components['schemas']['Note'][]
    }
    /** @description RFC 9457 problem details. */
    Problem: {
      /** @enum {string} */
      code:
        | 'bad_request'
        | 'invalid_json'
        | 'idempotency_key_required'
        | 'unauthenticated'
        | 'missing_scope'
        | 'forbidden'
        | 'not_found'
        | 'method_not_allowed'
        | 'conflict'
        | 'duplicate'
        | 'payload_too_large'
        | 'unsupported_media_type'
        | 'validation_failed'
        | 'idempotency_key_reused'
        | 'rate_limited'
        | 'internal'
      detail?: string
      /** @description The leads a new one would duplicate (409 `duplicate`). */
      duplicates?: {
        id: string | null
        /** @enum {string} */
        matchedOn: 'phone' | 'email'
        name: string | null
      }[]
      /** @description The refused fields (422). */
      errors?: components['schemas']['FieldProblem'][]
      /** @description A finer reason, e.g. `window_closed`. */
      reason?: string
      /** @description The scope the key lacks (403 `missing_scope`). */
      scope?: string
      status: number
      title: string
      /** @description A URN naming the kind of problem, e.g. `urn:impera:problem:missing-scope`. */
      type: string
    } & {
      [key: string]: unknown
    }
    Property: {
      assignedTo: string | null
      assigneeName: string | null
      bathrooms: number | null
      bedrooms: number | null
      /** @description Square metres. */
      builtArea: number | null
      city: string | null
      code: string
      complement: string | null
      condoFee: number | null
      country: string | null
      /** Format: date-time */
      createdAt: string
      description: string | null
      features: string[]
      /** Format: uuid */
      id: string
      neighbourhood: string | null
      number: string | null
      ownerClientId: string | null
      parkingSpaces: number | null
      photoCount: number
      postalCode: string | null
      propertyTax: number | null
      /** @enum {string} */
      purpose: 'sale' | 'rent' | 'both'
      /** @description Integer cents. */
      rentPrice: number | null
      /** @description Integer cents. */
      salePrice: number | null
      state: string | null
      /** @enum {string} */
      status: 'available' | 'reserved' | 'sold' | 'rented' | 'off_market'
      /** Format: date-time */
      statusChangedAt: string
      street: string | null
      suites: number | null
      title: string
      totalArea: number | null
      /** @enum {string} */
      type: 'apartment' | 'house' | 'land' | 'commercial' | 'rural' | 'other'
      /** Format: date-time */
      updatedAt: string
    }
    PropertyPage: {
      data: components['schemas']['PropertySummary'][]
      /** @description Cursor of the next page (`after`), null on the last. */
      next: string | null
      /** @description Cursor of the previous page (`before`), null on the first. */
      prev: string | null
      total: components['schemas']['Total']
    }
    PropertySummary: {
      assignedTo: string | null
      assigneeName: string | null
      bedrooms: number | null
      /** @description Square metres. */
      builtArea: number | null
      city: string | null
      code: string
      /** Format: date-time */
      createdAt: string
      /** Format: uuid */
      id: string
      neighbourhood: string | null
      parkingSpaces: number | null
      /** @enum {string} */
      purpose: 'sale' | 'rent' | 'both'
      /** @description Integer cents. */
      rentPrice: number | null
      /** @description Integer cents. */
      salePrice: number | null
      /** @enum {string} */
      status: 'available' | 'reserved' | 'sold' | 'rented' | 'off_market'
      title: string
      /** @enum {string} */
      type: 'apartment' | 'house' | 'land' | 'commercial' | 'rural' | 'other'
      /** Format: date-time */
      updatedAt: string
    }
    Qualification: {
      /** @description What adds up to the score (`budget`, `moveInNow`…). */
      reasons: string[]
      score: number | null
      /** @description Each known slot with who set it (`person`, `bot`, `import`); a person’s value is never overwritten by a bot. */
      slots: {
        budgetMax?: {
          /** @enum {string} */
          source: 'person' | 'bot' | 'import'
          value: number
        }
        budgetMin?: {
          /** @enum {string} */
          source: 'person' | 'bot' | 'import'
          value: number
        }
        financing?: {
          /** @enum {string} */
          source: 'person' | 'bot' | 'import'
          /** @enum {string} */
          value: 'financing' | 'fgts' | 'cash' | 'unknown'
        }
        locations?: {
          /** @enum {string} */
          source: 'person' | 'bot' | 'import'
          value: string[]
        }
        minBedrooms?: {
          /** @enum {string} */
          source: 'person' | 'bot' | 'import'
          value: number
        }
        moveIn?: {
          /** @enum {string} */
          source: 'person' | 'bot' | 'import'
          /** @enum {string} */
          value: 'now' | 'up_to_3_months' | 'up_to_6_months' | 'up_to_12_months' | 'later'
        }
        parkingSpaces?: {
          /** @enum {string} */
          source: 'person' | 'bot' | 'import'
          value: number
        }
        propertyTypes?: {
          /** @enum {string} */
          source: 'person' | 'bot' | 'import'
          value: ('apartment' | 'house' | 'land' | 'commercial' | 'rural' | 'other')[]
        }
        purpose?: {
          /** @enum {string} */
          source: 'person' | 'bot' | 'import'
          /** @enum {string} */
          value: 'buy' | 'rent'
        }
      }
      summary: string | null
      temperature: ('cold' | 'warm' | 'hot') | null
    }
    Total: {
      count: number
      /** @description False past 10,000: an estimate. */
      exact: boolean
    }
    WebhookDelivery: {
      attempts: number
      deliveredAt: string | null
      /** @description Why the latest attempt failed without an HTTP answer: timeout, connection, refused_target… */
      error: string | null
      /** Format: uuid */
      eventId: string
      /** Format: uuid */
      id: string
      lastAttemptAt: string | null
      latencyMs: number | null
      /** @description The `webhook-id` header it is sent with (the same on a redelivery). */
      messageId: string
      /**
       * Format: date-time
       * @description When a pending delivery is tried next.
       */
      nextAttemptAt: string
      /** Format: date-time */
      occurredAt: string
      /** @description The start of the receiver's answer. */
      responseExcerpt: string | null
      responseStatus: number | null
      /** @description The delivery's place in the endpoint's queue. */
      seq: number
      /** @enum {string} */
      state: 'pending' | 'delivered' | 'failed'
      /** @enum {string} */
      trigger: 'event' | 'redelivery' | 'test'
      /** @description The event type (`webhook.test` for a test event). */
      type: string
    }
    WebhookDeliveryPage: {
      /** @description Newest first. */
      data: components['schemas']['WebhookDelivery'][]
      /** @description Cursor of older deliveries (`after`), null at the start. */
      next: string | null
    }
    WebhookDeliveryQueued: {
      /** Format: uuid */
      endpointId: string
      /**
       * Format: uuid
       * @description The delivery's id, as listed in the endpoint's deliveries.
       */
      id: string
      seq: number
    }
    /** @description An outgoing webhook endpoint. Its signing secret is never shown here. */
    WebhookEndpoint: {
      /** Format: date-time */
      createdAt: string
      description: string | null
      disabledAt: string | null
      /** @description Why it is off: turned off (`manual`), the receiver answered 410 (`gone`), or retries ran out (`failing`). */
      disabledReason: ('manual' | 'gone' | 'failing') | null
      enabled: boolean
      /** @description The event types delivered (an open list: new types may be added; ignore those you do not know). */
      eventTypes: string[]
      /** Format: uuid */
      id: string
      /** @description The integration this endpoint feeds: that integration's own changes are not sent to it. An endpoint created through the API feeds the integration whose key created it. */
      integrationId: string | null
      integrationName: string | null
      /** @description The latest attempt of any delivery; null before the first. */
      lastDelivery: {
        /** Format: date-time */
        at: string
        error: string | null
        latencyMs: number | null
        responseStatus: number | null
        /** @enum {string} */
        state: 'pending' | 'delivered' | 'failed'
      } | null
      pendingDeliveries: number
      /** @description After a rotation, the old secret also signs until then. */
      previousSecretExpiresAt: string | null
      /** Format: date-time */
      updatedAt: string
      /** @description Field filters of the `*.updated` types, by type. */
      updatedFields: {
        [key: string]: string[]
      }
      url: string
    }
    WebhookEndpointCreate: {
      description?: string | null
      /** @description The event types to deliver (at least one); see `GET /webhooks/event-types`. */
      eventTypes: (
        | 'lead.created'
        | 'lead.updated'
        | 'lead.status_changed'
        | 'lead.assigned'
        | 'client.created'
        | 'client.updated'
        | 'property.created'
        | 'property.updated'
        | 'conversation.created'
        | 'conversation.assigned'
        | 'message.received'
        | 'message.sent'
        | 'message.status_changed'
        | 'conversation.control_changed'
        | 'conversation.turn_requested'
        | 'conversation.status_changed'
      )[]
      updatedFields?: components['schemas']['WebhookFieldFilters']
      /**
       * @description http(s), without credentials in it. Loopback, private, link-local and other non-public addresses are refused (422 `webhooks.privateTarget`) unless the installation allows them; each delivery checks every address the name resolves to again, and redirects are not followed.
       * @example https://example.com/impera/webhooks
       */
      url: string
    }
    WebhookEndpointCreated: {
      /** Format: date-time */
      createdAt: string
      description: string | null
      disabledAt: string | null
      /** @description Why it is off: turned off (`manual`), the receiver answered 410 (`gone`), or retries ran out (`failing`). */
      disabledReason: ('manual' | 'gone' | 'failing') | null
      enabled: boolean
      /** @description The event types delivered (an open list: new types may be added; ignore those you do not know). */
      eventTypes: string[]
      /** Format: uuid */
      id: string
      /** @description The integration this endpoint feeds: that integration's own changes are not sent to it. An endpoint created through the API feeds the integration whose key created it. */
      integrationId: string | null
      integrationName: string | null
      /** @description The latest attempt of any delivery; null before the first. */
      lastDelivery: {
        /** Format: date-time */
        at: string
        error: string | null
        latencyMs: number | null
        responseStatus: number | null
        /** @enum {string} */
        state: 'pending' | 'delivered' | 'failed'
      } | null
      pendingDeliveries: number
      /** @description After a rotation, the old secret also signs until then. */
      previousSecretExpiresAt: string | null
      /** @description The signing secret (`whsec_…`, Standard Webhooks): shown in this answer only, never read back. A retry of this request with the same Idempotency-Key gets the same answer within 24 h. */
      secret: string
      /** Format: date-time */
      updatedAt: string
      /** @description Field filters of the `*.updated` types, by type. */
      updatedFields: {
        [key: string]: string[]
      }
      url: string
    }
    /** @description The endpoint and its delivery log are gone. */
    WebhookEndpointDeleted: {
      /** @constant */
      deleted: true
      /** Format: uuid */
      id: string
    }
    WebhookEndpointList: {
      data: components['schemas']['WebhookEndpoint'][]
    }
    /** @description Only the fields sent change; `updatedFields` is replaced as a whole. */
    WebhookEndpointUpdate: {
      description?: string | null
      /** @description false holds the queue (no new events are queued meanwhile); true sends the held deliveries again, in order. */
      enabled?: boolean
      /** @description The event types to deliver (at least one); see `GET /webhooks/event-types`. */
      eventTypes?: (
        | 'lead.created'
        | 'lead.updated'
        | 'lead.status_changed'
        | 'lead.assigned'
        | 'client.created'
        | 'client.updated'
        | 'property.created'
        | 'property.updated'
        | 'conversation.created'
        | 'conversation.assigned'
        | 'message.received'
        | 'message.sent'
        | 'message.status_changed'
        | 'conversation.control_changed'
        | 'conversation.turn_requested'
        | 'conversation.status_changed'
      )[]
      updatedFields?: components['schemas']['WebhookFieldFilters']
      /**
       * @description http(s), without credentials in it. Loopback, private, link-local and other non-public addresses are refused (422 `webhooks.privateTarget`) unless the installation allows them; each delivery checks every address the name resolves to again, and redirects are not followed.
       * @example https://example.com/impera/webhooks
       */
      url?: string
    }
    WebhookEventTypeList: {
      data: {
        type: string
        /** @description For `*.updated` types, the fields an endpoint may filter them by. */
        updatedFields: string[] | null
      }[]
    }
    /** @description For `*.updated` types subscribed to: deliver only changes touching one of these fields (absent or empty: every change). */
    WebhookFieldFilters: {
      'client.updated'?: (
        | 'name'
        | 'types'
        | 'phones'
        | 'email'
        | 'document'
        | 'street'
        | 'number'
        | 'complement'
        | 'neighbourhood'
        | 'city'
        | 'state'
        | 'postalCode'
        | 'country'
        | 'birthDate'
        | 'notes'
        | 'tags'
        | 'assignedTo'
      )[]
      'lead.updated'?: (
        | 'name'
        | 'phones'
        | 'email'
        | 'source'
        | 'sourceDetail'
        | 'interest'
        | 'budgetMin'
        | 'budgetMax'
        | 'propertyTypes'
        | 'locations'
        | 'minBedrooms'
        | 'notes'
        | 'tags'
        | 'qualification'
      )[]
      'property.updated'?: (
        | 'code'
        | 'title'
        | 'street'
        | 'number'
        | 'complement'
        | 'neighbourhood'
        | 'city'
        | 'state'
        | 'postalCode'
        | 'country'
        | 'type'
        | 'purpose'
        | 'status'
        | 'salePrice'
        | 'rentPrice'
        | 'condoFee'
        | 'propertyTax'
        | 'builtArea'
        | 'totalArea'
        | 'bedrooms'
        | 'suites'
        | 'bathrooms'
        | 'parkingSpaces'
        | 'features'
        | 'description'
        | 'ownerClientId'
        | 'assignedTo'
        | 'publishPortals'
      )[]
    }
    WebhookSecretRotated: {
      /** Format: uuid */
      id: string
      /**
       * Format: date-time
       * @description The old secret also signs until then (24 hours).
       */
      previousSecretExpiresAt: string
      /** @description The signing secret (`whsec_…`, Standard Webhooks): shown in this answer only, never read back. A retry of this request with the same Idempotency-Key gets the same answer within 24 h. */
      secret: string
    }
  }
  responses: never
  parameters: never
  requestBodies: never
  headers: never
  pathItems: never
}
export type $defs = Record<string, never>
export interface operations {
  listClients: {
    parameters: {
      query?: {
        /** @description The `next` cursor of the previous page. */
        after?: string
        /** @description A member's user id, or `unassigned`. */
        assignee?: 'unassigned' | string
        /** @description The `prev` cursor of the page after (not with `after`). */
        before?: string
        city?: string
        /** @description Marketing consent (LGPD): `granted`, `revoked`, or `none` (never asked). */
        consent?: 'granted' | 'revoked' | 'none'
        createdFrom?: string
        createdTo?: string
        dir?: 'asc' | 'desc'
        pageSize?: number
        /** @description Search by name, e-mail, phone or CPF/CNPJ. */
        q?: string
        sort?: 'createdAt' | 'updatedAt' | 'name' | 'email' | 'document' | 'city' | 'assignee'
        tags?: string[] | string
        /** @description Repeat the parameter or separate values with commas. */
        type?: ('buyer' | 'seller' | 'tenant' | 'landlord')[] | string[] | string
        updatedFrom?: string
        updatedTo?: string
      }
      header?: never
      path?: never
      cookie?: never
    }
    requestBody?: never
    responses: {
      /** @description OK */
      200: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/json': components['schemas']['ClientPage']
        }
      }
      /** @description `unauthenticated`: Unauthenticated */
      401: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `missing_scope`: The key lacks a scope this operation needs */
      403: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `validation_failed`: The input is not valid */
      422: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `rate_limited`: Too many requests */
      429: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
    }
  }
  createClient: {
    parameters: {
      query?: never
      header?: {
        /** @description Required on writes: a retry with the same key and body gets the first answer back (kept 24 h); the same key with another body is 422. */
        'Idempotency-Key'?: string
      }
      path?: never
      cookie?: never
    }
    requestBody: {
      content: {
        'application/json': components['schemas']['ClientCreate']
      }
    }
    responses: {
      /** @description Created */
      201: {
        headers: {
          /** @description `true` when this is the stored first answer to a retry. */
          'Idempotent-Replayed'?: string
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/json': components['schemas']['Client']
        }
      }
      /** @description `idempotency_key_required`: Writes need an Idempotency-Key header; `invalid_json`: The body is not valid JSON */
      400: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `unauthenticated`: Unauthenticated */
      401: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `missing_scope`: The key lacks a scope this operation needs */
      403: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `conflict`: Conflict */
      409: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `payload_too_large`: The body is too large */
      413: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `unsupported_media_type`: Bodies must be application/json */
      415: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `idempotency_key_reused`: This Idempotency-Key was used with a different request; `validation_failed`: The input is not valid */
      422: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `rate_limited`: Too many requests */
      429: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
    }
  }
  getClient: {
    parameters: {
      query?: never
      header?: never
      path: {
        /** @description The resource id. */
        id: string
      }
      cookie?: never
    }
    requestBody?: never
    responses: {
      /** @description OK */
      200: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/json': components['schemas']['Client']
        }
      }
      /** @description `unauthenticated`: Unauthenticated */
      401: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `missing_scope`: The key lacks a scope this operation needs */
      403: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `not_found`: Not found */
      404: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `rate_limited`: Too many requests */
      429: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
    }
  }
  updateClient: {
    parameters: {
      query?: never
      header?: {
        /** @description Required on writes: a retry with the same key and body gets the first answer back (kept 24 h); the same key with another body is 422. */
        'Idempotency-Key'?: string
      }
      path: {
        /** @description The resource id. */
        id: string
      }
      cookie?: never
    }
    requestBody: {
      content: {
        'application/json': components['schemas']['ClientUpdate']
      }
    }
    responses: {
      /** @description OK */
      200: {
        headers: {
          /** @description `true` when this is the stored first answer to a retry. */
          'Idempotent-Replayed'?: string
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/json': components['schemas']['Client']
        }
      }
      /** @description `idempotency_key_required`: Writes need an Idempotency-Key header; `invalid_json`: The body is not valid JSON */
      400: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `unauthenticated`: Unauthenticated */
      401: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `missing_scope`: The key lacks a scope this operation needs */
      403: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `not_found`: Not found */
      404: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `conflict`: Conflict */
      409: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `payload_too_large`: The body is too large */
      413: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `unsupported_media_type`: Bodies must be application/json */
      415: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `idempotency_key_reused`: This Idempotency-Key was used with a different request; `validation_failed`: The input is not valid */
      422: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `rate_limited`: Too many requests */
      429: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
    }
  }
  getClientConsent: {
    parameters: {
      query?: never
      header?: never
      path: {
        /** @description The resource id. */
        id: string
      }
      cookie?: never
    }
    requestBody?: never
    responses: {
      /** @description OK */
      200: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/json': components['schemas']['Consent']
        }
      }
      /** @description `unauthenticated`: Unauthenticated */
      401: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `missing_scope`: The key lacks a scope this operation needs */
      403: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `not_found`: Not found */
      404: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `rate_limited`: Too many requests */
      429: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
    }
  }
  recordClientConsent: {
    parameters: {
      query?: never
      header?: {
        /** @description Required on writes: a retry with the same key and body gets the first answer back (kept 24 h); the same key with another body is 422. */
        'Idempotency-Key'?: string
      }
      path: {
        /** @description The resource id. */
        id: string
      }
      cookie?: never
    }
    requestBody: {
      content: {
        'application/json': components['schemas']['ConsentRecord']
      }
    }
    responses: {
      /** @description Created */
      201: {
        headers: {
          /** @description `true` when this is the stored first answer to a retry. */
          'Idempotent-Replayed'?: string
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/json': components['schemas']['Consent']
        }
      }
      /** @description `idempotency_key_required`: Writes need an Idempotency-Key header; `invalid_json`: The body is not valid JSON */
      400: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `unauthenticated`: Unauthenticated */
      401: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `missing_scope`: The key lacks a scope this operation needs */
      403: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `not_found`: Not found */
      404: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `payload_too_large`: The body is too large */
      413: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `unsupported_media_type`: Bodies must be application/json */
      415: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `idempotency_key_reused`: This Idempotency-Key was used with a different request; `validation_failed`: The input is not valid */
      422: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `rate_limited`: Too many requests */
      429: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
    }
  }
  listConversations: {
    parameters: {
      query?: {
        /** @description The `next` cursor of the previous page. */
        after?: string
        assignee?: string
        /** @description The `prev` cursor of the page after (not with `after`). */
        before?: string
        dir?: 'asc' | 'desc'
        filter?: 'all' | 'unassigned'
        /** @description Last message at or after. */
        from?: string
        /** @description Only conversations with this label (any case). */
        label?: string
        linked?: 'lead' | 'client' | 'none'
        pageSize?: number
        /** @description Search the contact, the number and the messages' text. */
        q?: string
        sort?: 'lastMessageAt' | 'contact' | 'waitingSince'
        /** @description Only open, pending or resolved conversations (absent: all of them). */
        status?: 'open' | 'pending' | 'resolved'
        /** @description Last message before. */
        to?: string
        /** @description Only conversations whose last message is the contact's, unanswered. */
        waiting?: 'true' | 'false'
      }
      header?: never
      path?: never
      cookie?: never
    }
    requestBody?: never
    responses: {
      /** @description OK */
      200: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/json': components['schemas']['ConversationPage']
        }
      }
      /** @description `unauthenticated`: Unauthenticated */
      401: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `missing_scope`: The key lacks a scope this operation needs */
      403: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `validation_failed`: The input is not valid */
      422: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `rate_limited`: Too many requests */
      429: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
    }
  }
  getConversation: {
    parameters: {
      query?: never
      header?: never
      path: {
        /** @description The resource id. */
        id: string
      }
      cookie?: never
    }
    requestBody?: never
    responses: {
      /** @description OK */
      200: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/json': components['schemas']['Conversation']
        }
      }
      /** @description `unauthenticated`: Unauthenticated */
      401: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `missing_scope`: The key lacks a scope this operation needs */
      403: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `not_found`: Not found */
      404: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `rate_limited`: Too many requests */
      429: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
    }
  }
  updateConversation: {
    parameters: {
      query?: never
      header?: {
        /** @description Required on writes: a retry with the same key and body gets the first answer back (kept 24 h); the same key with another body is 422. */
        'Idempotency-Key'?: string
      }
      path: {
        /** @description The resource id. */
        id: string
      }
      cookie?: never
    }
    requestBody: {
      content: {
        'application/json': components['schemas']['ConversationUpdate']
      }
    }
    responses: {
      /** @description OK */
      200: {
        headers: {
          /** @description `true` when this is the stored first answer to a retry. */
          'Idempotent-Replayed'?: string
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/json': components['schemas']['Conversation']
        }
      }
      /** @description `idempotency_key_required`: Writes need an Idempotency-Key header; `invalid_json`: The body is not valid JSON */
      400: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `unauthenticated`: Unauthenticated */
      401: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `missing_scope`: The key lacks a scope this operation needs; `forbidden`: Forbidden */
      403: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `not_found`: Not found */
      404: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `payload_too_large`: The body is too large */
      413: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `unsupported_media_type`: Bodies must be application/json */
      415: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `idempotency_key_reused`: This Idempotency-Key was used with a different request; `validation_failed`: The input is not valid */
      422: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `rate_limited`: Too many requests */
      429: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
    }
  }
  listMessages: {
    parameters: {
      query?: {
        /** @description The `next` cursor of the previous (newer) page. */
        before?: string
      }
      header?: never
      path: {
        /** @description The resource id. */
        id: string
      }
      cookie?: never
    }
    requestBody?: never
    responses: {
      /** @description OK */
      200: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/json': components['schemas']['MessagePage']
        }
      }
      /** @description `unauthenticated`: Unauthenticated */
      401: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `missing_scope`: The key lacks a scope this operation needs */
      403: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `not_found`: Not found */
      404: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `validation_failed`: The input is not valid */
      422: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `rate_limited`: Too many requests */
      429: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
    }
  }
  sendMessage: {
    parameters: {
      query?: never
      header?: {
        /** @description Required on writes: a retry with the same key and body gets the first answer back (kept 24 h); the same key with another body is 422. */
        'Idempotency-Key'?: string
      }
      path: {
        /** @description The resource id. */
        id: string
      }
      cookie?: never
    }
    requestBody: {
      content: {
        'application/json': components['schemas']['MessageSend']
      }
    }
    responses: {
      /** @description Accepted */
      202: {
        headers: {
          /** @description `true` when this is the stored first answer to a retry. */
          'Idempotent-Replayed'?: string
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/json': components['schemas']['Message']
        }
      }
      /** @description `idempotency_key_required`: Writes need an Idempotency-Key header; `invalid_json`: The body is not valid JSON */
      400: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `unauthenticated`: Unauthenticated */
      401: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `missing_scope`: The key lacks a scope this operation needs */
      403: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `not_found`: Not found */
      404: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `conflict`: Conflict */
      409: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `payload_too_large`: The body is too large */
      413: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `unsupported_media_type`: Bodies must be application/json */
      415: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `idempotency_key_reused`: This Idempotency-Key was used with a different request; `validation_failed`: The input is not valid */
      422: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `rate_limited`: Too many requests */
      429: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
    }
  }
  postTurn: {
    parameters: {
      query?: never
      header?: {
        /** @description Required on writes: a retry with the same key and body gets the first answer back (kept 24 h); the same key with another body is 422. */
        'Idempotency-Key'?: string
      }
      path: {
        /** @description The resource id. */
        id: string
      }
      cookie?: never
    }
    requestBody: {
      content: {
        'application/json': {
          /** @default {} */
          actions?: {
            handoff?: {
              reason: string
              summary?: string
            }
            note?: string
            qualification?: {
              budgetMax?: number
              budgetMin?: number
              /** @enum {string} */
              financing?: 'financing' | 'fgts' | 'cash' | 'unknown'
              locations?: string[]
              minBedrooms?: number
              /** @enum {string} */
              moveIn?: 'now' | 'up_to_3_months' | 'up_to_6_months' | 'up_to_12_months' | 'later'
              parkingSpaces?: number
              propertyTypes?: ('apartment' | 'house' | 'land' | 'commercial' | 'rural' | 'other')[]
              /** @enum {string} */
              purpose?: 'buy' | 'rent'
            }
            /** @enum {string} */
            status?: 'contacted' | 'qualified'
            suggestProperties?: string[]
            tags?: string[]
          }
          /** Format: uuid */
          inReplyTo: string
          /** @default [] */
          messages?: (
            | {
                text: string
                /** @constant */
                type: 'text'
              }
            | {
                language: string
                name: string
                /** @default [] */
                parameters?: string[]
                /** @constant */
                type: 'template'
              }
            | {
                /** Format: uuid */
                propertyId: string
                text?: string
                /** @constant */
                type: 'property'
              }
          )[]
        }
      }
    }
    responses: {
      /** @description OK */
      200: {
        headers: {
          /** @description `true` when this is the stored first answer to a retry. */
          'Idempotent-Replayed'?: string
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/json': {
            handoff: {
              assignedTo: string | null
              /** @enum {string} */
              reason: 'bot_handoff' | 'turn_deadline' | 'bot_guard'
              why: string
            } | null
            /** @description The messages queued for sending, in order. */
            messageIds: string[]
            /**
             * @description `handoff`: a person has the conversation now (asked by the turn, or a loop guard tripped).
             * @enum {string}
             */
            outcome: 'executed' | 'handoff'
            /** Format: uuid */
            turnId: string
          }
        }
      }
      /** @description `idempotency_key_required`: Writes need an Idempotency-Key header; `invalid_json`: The body is not valid JSON */
      400: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `unauthenticated`: Unauthenticated */
      401: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `missing_scope`: The key lacks a scope this operation needs */
      403: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `not_found`: Not found */
      404: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `conflict`: Conflict */
      409: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `payload_too_large`: The body is too large */
      413: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `unsupported_media_type`: Bodies must be application/json */
      415: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `idempotency_key_reused`: This Idempotency-Key was used with a different request; `validation_failed`: The input is not valid */
      422: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `rate_limited`: Too many requests */
      429: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
    }
  }
  listEvents: {
    parameters: {
      query?: {
        /** @description The `next` cursor of the previous page. */
        after?: string
        /** @description One record's history. */
        entityId?: string
        pageSize?: number
        /** @description Events at or after this instant (ignored with `after`). */
        since?: string
        /** @description Record types to include (default: every type the key may read). */
        type?: ('lead' | 'client' | 'property')[] | string[] | string
      }
      header?: never
      path?: never
      cookie?: never
    }
    requestBody?: never
    responses: {
      /** @description OK */
      200: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/json': components['schemas']['EventPage']
        }
      }
      /** @description `unauthenticated`: Unauthenticated */
      401: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `missing_scope`: The key lacks a scope this operation needs */
      403: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `validation_failed`: The input is not valid */
      422: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `rate_limited`: Too many requests */
      429: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
    }
  }
  listLeads: {
    parameters: {
      query?: {
        /** @description The `next` cursor of the previous page. */
        after?: string
        /** @description A member's user id, or `unassigned`. */
        assignee?: 'unassigned' | string
        /** @description The `prev` cursor of the page after (not with `after`). */
        before?: string
        /** @description Marketing consent (LGPD): `granted`, `revoked`, or `none` (never asked). */
        consent?: 'granted' | 'revoked' | 'none'
        createdFrom?: string
        /** @description Exclusive. */
        createdTo?: string
        dir?: 'asc' | 'desc'
        interest?: 'buy' | 'rent'
        pageSize?: number
        /** @description Search by name, e-mail or phone (any format). */
        q?: string
        sort?:
          | 'createdAt'
          | 'updatedAt'
          | 'name'
          | 'email'
          | 'status'
          | 'source'
          | 'assignee'
          | 'interest'
          | 'budget'
          | 'firstContactAt'
          | 'score'
        /** @description Repeat the parameter or separate values with commas. */
        source?:
          | ('website' | 'portal' | 'whatsapp' | 'referral' | 'walk_in' | 'phone' | 'social' | 'other')[]
          | string[]
          | string
        /** @description Repeat the parameter or separate values with commas. */
        status?: ('new' | 'contacted' | 'qualified' | 'converted' | 'lost')[] | string[] | string
        tags?: string[] | string
        /** @description Repeat the parameter or separate values with commas. */
        temperature?: ('cold' | 'warm' | 'hot')[] | string[] | string
        updatedFrom?: string
        /** @description Exclusive. */
        updatedTo?: string
      }
      header?: never
      path?: never
      cookie?: never
    }
    requestBody?: never
    responses: {
      /** @description OK */
      200: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/json': components['schemas']['LeadPage']
        }
      }
      /** @description `unauthenticated`: Unauthenticated */
      401: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `missing_scope`: The key lacks a scope this operation needs */
      403: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `validation_failed`: The input is not valid */
      422: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `rate_limited`: Too many requests */
      429: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
    }
  }
  createLead: {
    parameters: {
      query?: never
      header?: {
        /** @description Required on writes: a retry with the same key and body gets the first answer back (kept 24 h); the same key with another body is 422. */
        'Idempotency-Key'?: string
      }
      path?: never
      cookie?: never
    }
    requestBody: {
      content: {
        'application/json': components['schemas']['LeadCreate']
      }
    }
    responses: {
      /** @description Created */
      201: {
        headers: {
          /** @description `true` when this is the stored first answer to a retry. */
          'Idempotent-Replayed'?: string
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/json': components['schemas']['Lead']
        }
      }
      /** @description `idempotency_key_required`: Writes need an Idempotency-Key header; `invalid_json`: The body is not valid JSON */
      400: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `unauthenticated`: Unauthenticated */
      401: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `missing_scope`: The key lacks a scope this operation needs */
      403: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `duplicate`: A record with this phone or e-mail exists */
      409: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `payload_too_large`: The body is too large */
      413: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `unsupported_media_type`: Bodies must be application/json */
      415: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `idempotency_key_reused`: This Idempotency-Key was used with a different request; `validation_failed`: The input is not valid */
      422: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `rate_limited`: Too many requests */
      429: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
    }
  }
  getLead: {
    parameters: {
      query?: never
      header?: never
      path: {
        /** @description The resource id. */
        id: string
      }
      cookie?: never
    }
    requestBody?: never
    responses: {
      /** @description OK */
      200: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/json': components['schemas']['Lead']
        }
      }
      /** @description `unauthenticated`: Unauthenticated */
      401: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `missing_scope`: The key lacks a scope this operation needs */
      403: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `not_found`: Not found */
      404: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `rate_limited`: Too many requests */
      429: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
    }
  }
  updateLead: {
    parameters: {
      query?: never
      header?: {
        /** @description Required on writes: a retry with the same key and body gets the first answer back (kept 24 h); the same key with another body is 422. */
        'Idempotency-Key'?: string
      }
      path: {
        /** @description The resource id. */
        id: string
      }
      cookie?: never
    }
    requestBody: {
      content: {
        'application/json': components['schemas']['LeadUpdate']
      }
    }
    responses: {
      /** @description OK */
      200: {
        headers: {
          /** @description `true` when this is the stored first answer to a retry. */
          'Idempotent-Replayed'?: string
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/json': components['schemas']['Lead']
        }
      }
      /** @description `idempotency_key_required`: Writes need an Idempotency-Key header; `invalid_json`: The body is not valid JSON */
      400: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `unauthenticated`: Unauthenticated */
      401: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `missing_scope`: The key lacks a scope this operation needs */
      403: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `not_found`: Not found */
      404: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `duplicate`: A record with this phone or e-mail exists */
      409: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `payload_too_large`: The body is too large */
      413: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `unsupported_media_type`: Bodies must be application/json */
      415: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `idempotency_key_reused`: This Idempotency-Key was used with a different request; `validation_failed`: The input is not valid */
      422: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `rate_limited`: Too many requests */
      429: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
    }
  }
  getLeadConsent: {
    parameters: {
      query?: never
      header?: never
      path: {
        /** @description The resource id. */
        id: string
      }
      cookie?: never
    }
    requestBody?: never
    responses: {
      /** @description OK */
      200: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/json': components['schemas']['Consent']
        }
      }
      /** @description `unauthenticated`: Unauthenticated */
      401: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `missing_scope`: The key lacks a scope this operation needs */
      403: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `not_found`: Not found */
      404: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `rate_limited`: Too many requests */
      429: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
    }
  }
  recordLeadConsent: {
    parameters: {
      query?: never
      header?: {
        /** @description Required on writes: a retry with the same key and body gets the first answer back (kept 24 h); the same key with another body is 422. */
        'Idempotency-Key'?: string
      }
      path: {
        /** @description The resource id. */
        id: string
      }
      cookie?: never
    }
    requestBody: {
      content: {
        'application/json': components['schemas']['ConsentRecord']
      }
    }
    responses: {
      /** @description Created */
      201: {
        headers: {
          /** @description `true` when this is the stored first answer to a retry. */
          'Idempotent-Replayed'?: string
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/json': components['schemas']['Consent']
        }
      }
      /** @description `idempotency_key_required`: Writes need an Idempotency-Key header; `invalid_json`: The body is not valid JSON */
      400: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `unauthenticated`: Unauthenticated */
      401: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `missing_scope`: The key lacks a scope this operation needs */
      403: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `not_found`: Not found */
      404: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `payload_too_large`: The body is too large */
      413: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `unsupported_media_type`: Bodies must be application/json */
      415: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `idempotency_key_reused`: This Idempotency-Key was used with a different request; `validation_failed`: The input is not valid */
      422: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `rate_limited`: Too many requests */
      429: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
    }
  }
  listLeadNotes: {
    parameters: {
      query?: never
      header?: never
      path: {
        /** @description The resource id. */
        id: string
      }
      cookie?: never
    }
    requestBody?: never
    responses: {
      /** @description OK */
      200: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/json': components['schemas']['NoteList']
        }
      }
      /** @description `unauthenticated`: Unauthenticated */
      401: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `missing_scope`: The key lacks a scope this operation needs */
      403: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `not_found`: Not found */
      404: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `rate_limited`: Too many requests */
      429: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
    }
  }
  addLeadNote: {
    parameters: {
      query?: never
      header?: {
        /** @description Required on writes: a retry with the same key and body gets the first answer back (kept 24 h); the same key with another body is 422. */
        'Idempotency-Key'?: string
      }
      path: {
        /** @description The resource id. */
        id: string
      }
      cookie?: never
    }
    requestBody: {
      content: {
        'application/json': components['schemas']['NoteCreate']
      }
    }
    responses: {
      /** @description Created */
      201: {
        headers: {
          /** @description `true` when this is the stored first answer to a retry. */
          'Idempotent-Replayed'?: string
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/json': components['schemas']['Note']
        }
      }
      /** @description `idempotency_key_required`: Writes need an Idempotency-Key header; `invalid_json`: The body is not valid JSON */
      400: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `unauthenticated`: Unauthenticated */
      401: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `missing_scope`: The key lacks a scope this operation needs */
      403: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `not_found`: Not found */
      404: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `payload_too_large`: The body is too large */
      413: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `unsupported_media_type`: Bodies must be application/json */
      415: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `idempotency_key_reused`: This Idempotency-Key was used with a different request; `validation_failed`: The input is not valid */
      422: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `rate_limited`: Too many requests */
      429: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
    }
  }
  setLeadStatus: {
    parameters: {
      query?: never
      header?: {
        /** @description Required on writes: a retry with the same key and body gets the first answer back (kept 24 h); the same key with another body is 422. */
        'Idempotency-Key'?: string
      }
      path: {
        /** @description The resource id. */
        id: string
      }
      cookie?: never
    }
    requestBody: {
      content: {
        'application/json': components['schemas']['LeadStatusChange']
      }
    }
    responses: {
      /** @description OK */
      200: {
        headers: {
          /** @description `true` when this is the stored first answer to a retry. */
          'Idempotent-Replayed'?: string
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/json': components['schemas']['Lead']
        }
      }
      /** @description `idempotency_key_required`: Writes need an Idempotency-Key header; `invalid_json`: The body is not valid JSON */
      400: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `unauthenticated`: Unauthenticated */
      401: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `missing_scope`: The key lacks a scope this operation needs */
      403: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `not_found`: Not found */
      404: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `conflict`: Conflict */
      409: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `payload_too_large`: The body is too large */
      413: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `unsupported_media_type`: Bodies must be application/json */
      415: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `idempotency_key_reused`: This Idempotency-Key was used with a different request; `validation_failed`: The input is not valid */
      422: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `rate_limited`: Too many requests */
      429: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
    }
  }
  intakeLead: {
    parameters: {
      query?: never
      header?: {
        /** @description Required on writes: a retry with the same key and body gets the first answer back (kept 24 h); the same key with another body is 422. */
        'Idempotency-Key'?: string
      }
      path?: never
      cookie?: never
    }
    requestBody: {
      content: {
        'application/json': components['schemas']['LeadIntake']
      }
    }
    responses: {
      /** @description OK */
      200: {
        headers: {
          /** @description `true` when this is the stored first answer to a retry. */
          'Idempotent-Replayed'?: string
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/json': components['schemas']['LeadIntakeResult']
        }
      }
      /** @description `idempotency_key_required`: Writes need an Idempotency-Key header; `invalid_json`: The body is not valid JSON */
      400: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `unauthenticated`: Unauthenticated */
      401: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `missing_scope`: The key lacks a scope this operation needs */
      403: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `payload_too_large`: The body is too large */
      413: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `unsupported_media_type`: Bodies must be application/json */
      415: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `idempotency_key_reused`: This Idempotency-Key was used with a different request; `validation_failed`: The input is not valid */
      422: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `rate_limited`: Too many requests */
      429: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
    }
  }
  listMembers: {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    requestBody?: never
    responses: {
      /** @description OK */
      200: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/json': components['schemas']['MemberList']
        }
      }
      /** @description `unauthenticated`: Unauthenticated */
      401: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `missing_scope`: The key lacks a scope this operation needs */
      403: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `rate_limited`: Too many requests */
      429: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
    }
  }
  listProperties: {
    parameters: {
      query?: {
        /** @description The `next` cursor of the previous page. */
        after?: string
        /** @description A member's user id, or `unassigned`. */
        assignee?: 'unassigned' | string
        /** @description The `prev` cursor of the page after (not with `after`). */
        before?: string
        city?: string
        createdFrom?: string
        createdTo?: string
        dir?: 'asc' | 'desc'
        minBedrooms?: number | null
        neighbourhood?: string
        ownerClientId?: string
        pageSize?: number
        /** @description Integer cents. */
        priceMax?: number | null
        /** @description Integer cents. */
        priceMin?: number | null
        /** @description For sale (or both) / for rent (or both); prices then compare that price. */
        purpose?: 'sale' | 'rent'
        /** @description Search by code, title or address. */
        q?: string
        sort?:
          | 'createdAt'
          | 'updatedAt'
          | 'code'
          | 'title'
          | 'type'
          | 'status'
          | 'price'
          | 'bedrooms'
          | 'area'
          | 'neighbourhood'
          | 'city'
          | 'assignee'
        /** @description Repeat the parameter or separate values with commas. */
        status?: ('available' | 'reserved' | 'sold' | 'rented' | 'off_market')[] | string[] | string
        /** @description Repeat the parameter or separate values with commas. */
        type?: ('apartment' | 'house' | 'land' | 'commercial' | 'rural' | 'other')[] | string[] | string
        updatedFrom?: string
        updatedTo?: string
      }
      header?: never
      path?: never
      cookie?: never
    }
    requestBody?: never
    responses: {
      /** @description OK */
      200: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/json': components['schemas']['PropertyPage']
        }
      }
      /** @description `unauthenticated`: Unauthenticated */
      401: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `missing_scope`: The key lacks a scope this operation needs */
      403: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `validation_failed`: The input is not valid */
      422: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `rate_limited`: Too many requests */
      429: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
    }
  }
  getProperty: {
    parameters: {
      query?: never
      header?: never
      path: {
        /** @description The resource id. */
        id: string
      }
      cookie?: never
    }
    requestBody?: never
    responses: {
      /** @description OK */
      200: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/json': components['schemas']['Property']
        }
      }
      /** @description `unauthenticated`: Unauthenticated */
      401: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `missing_scope`: The key lacks a scope this operation needs */
      403: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `not_found`: Not found */
      404: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `rate_limited`: Too many requests */
      429: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
    }
  }
  listWebhookEndpoints: {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    requestBody?: never
    responses: {
      /** @description OK */
      200: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/json': components['schemas']['WebhookEndpointList']
        }
      }
      /** @description `unauthenticated`: Unauthenticated */
      401: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `missing_scope`: The key lacks a scope this operation needs */
      403: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `rate_limited`: Too many requests */
      429: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
    }
  }
  createWebhookEndpoint: {
    parameters: {
      query?: never
      header?: {
        /** @description Required on writes: a retry with the same key and body gets the first answer back (kept 24 h); the same key with another body is 422. */
        'Idempotency-Key'?: string
      }
      path?: never
      cookie?: never
    }
    requestBody: {
      content: {
        'application/json': components['schemas']['WebhookEndpointCreate']
      }
    }
    responses: {
      /** @description Created */
      201: {
        headers: {
          /** @description `true` when this is the stored first answer to a retry. */
          'Idempotent-Replayed'?: string
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/json': components['schemas']['WebhookEndpointCreated']
        }
      }
      /** @description `idempotency_key_required`: Writes need an Idempotency-Key header; `invalid_json`: The body is not valid JSON */
      400: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `unauthenticated`: Unauthenticated */
      401: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `missing_scope`: The key lacks a scope this operation needs */
      403: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `conflict`: Conflict */
      409: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `payload_too_large`: The body is too large */
      413: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `unsupported_media_type`: Bodies must be application/json */
      415: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `idempotency_key_reused`: This Idempotency-Key was used with a different request; `validation_failed`: The input is not valid */
      422: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `rate_limited`: Too many requests */
      429: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
    }
  }
  getWebhookEndpoint: {
    parameters: {
      query?: never
      header?: never
      path: {
        /** @description The resource id. */
        id: string
      }
      cookie?: never
    }
    requestBody?: never
    responses: {
      /** @description OK */
      200: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/json': components['schemas']['WebhookEndpoint']
        }
      }
      /** @description `unauthenticated`: Unauthenticated */
      401: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `missing_scope`: The key lacks a scope this operation needs */
      403: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `not_found`: Not found */
      404: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `rate_limited`: Too many requests */
      429: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
    }
  }
  deleteWebhookEndpoint: {
    parameters: {
      query?: never
      header?: {
        /** @description Required on writes: a retry with the same key and body gets the first answer back (kept 24 h); the same key with another body is 422. */
        'Idempotency-Key'?: string
      }
      path: {
        /** @description The resource id. */
        id: string
      }
      cookie?: never
    }
    requestBody?: never
    responses: {
      /** @description OK */
      200: {
        headers: {
          /** @description `true` when this is the stored first answer to a retry. */
          'Idempotent-Replayed'?: string
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/json': components['schemas']['WebhookEndpointDeleted']
        }
      }
      /** @description `idempotency_key_required`: Writes need an Idempotency-Key header; `invalid_json`: The body is not valid JSON */
      400: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `unauthenticated`: Unauthenticated */
      401: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `missing_scope`: The key lacks a scope this operation needs */
      403: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `not_found`: Not found */
      404: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `payload_too_large`: The body is too large */
      413: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `unsupported_media_type`: Bodies must be application/json */
      415: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `idempotency_key_reused`: This Idempotency-Key was used with a different request; `validation_failed`: The input is not valid */
      422: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `rate_limited`: Too many requests */
      429: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
    }
  }
  updateWebhookEndpoint: {
    parameters: {
      query?: never
      header?: {
        /** @description Required on writes: a retry with the same key and body gets the first answer back (kept 24 h); the same key with another body is 422. */
        'Idempotency-Key'?: string
      }
      path: {
        /** @description The resource id. */
        id: string
      }
      cookie?: never
    }
    requestBody: {
      content: {
        'application/json': components['schemas']['WebhookEndpointUpdate']
      }
    }
    responses: {
      /** @description OK */
      200: {
        headers: {
          /** @description `true` when this is the stored first answer to a retry. */
          'Idempotent-Replayed'?: string
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/json': components['schemas']['WebhookEndpoint']
        }
      }
      /** @description `idempotency_key_required`: Writes need an Idempotency-Key header; `invalid_json`: The body is not valid JSON */
      400: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `unauthenticated`: Unauthenticated */
      401: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `missing_scope`: The key lacks a scope this operation needs */
      403: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `not_found`: Not found */
      404: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `payload_too_large`: The body is too large */
      413: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `unsupported_media_type`: Bodies must be application/json */
      415: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `idempotency_key_reused`: This Idempotency-Key was used with a different request; `validation_failed`: The input is not valid */
      422: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `rate_limited`: Too many requests */
      429: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
    }
  }
  listWebhookDeliveries: {
    parameters: {
      query?: {
        /** @description The `next` cursor of the previous (newer) page. */
        after?: string
        pageSize?: number
        state?: 'pending' | 'delivered' | 'failed'
      }
      header?: never
      path: {
        /** @description The resource id. */
        id: string
      }
      cookie?: never
    }
    requestBody?: never
    responses: {
      /** @description OK */
      200: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/json': components['schemas']['WebhookDeliveryPage']
        }
      }
      /** @description `unauthenticated`: Unauthenticated */
      401: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `missing_scope`: The key lacks a scope this operation needs */
      403: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `not_found`: Not found */
      404: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `validation_failed`: The input is not valid */
      422: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `rate_limited`: Too many requests */
      429: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
    }
  }
  rotateWebhookSecret: {
    parameters: {
      query?: never
      header?: {
        /** @description Required on writes: a retry with the same key and body gets the first answer back (kept 24 h); the same key with another body is 422. */
        'Idempotency-Key'?: string
      }
      path: {
        /** @description The resource id. */
        id: string
      }
      cookie?: never
    }
    requestBody?: never
    responses: {
      /** @description OK */
      200: {
        headers: {
          /** @description `true` when this is the stored first answer to a retry. */
          'Idempotent-Replayed'?: string
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/json': components['schemas']['WebhookSecretRotated']
        }
      }
      /** @description `idempotency_key_required`: Writes need an Idempotency-Key header; `invalid_json`: The body is not valid JSON */
      400: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `unauthenticated`: Unauthenticated */
      401: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `missing_scope`: The key lacks a scope this operation needs */
      403: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `not_found`: Not found */
      404: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `payload_too_large`: The body is too large */
      413: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `unsupported_media_type`: Bodies must be application/json */
      415: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `idempotency_key_reused`: This Idempotency-Key was used with a different request; `validation_failed`: The input is not valid */
      422: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `rate_limited`: Too many requests */
      429: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
    }
  }
  sendWebhookTest: {
    parameters: {
      query?: never
      header?: {
        /** @description Required on writes: a retry with the same key and body gets the first answer back (kept 24 h); the same key with another body is 422. */
        'Idempotency-Key'?: string
      }
      path: {
        /** @description The resource id. */
        id: string
      }
      cookie?: never
    }
    requestBody?: never
    responses: {
      /** @description Accepted */
      202: {
        headers: {
          /** @description `true` when this is the stored first answer to a retry. */
          'Idempotent-Replayed'?: string
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/json': components['schemas']['WebhookDeliveryQueued']
        }
      }
      /** @description `idempotency_key_required`: Writes need an Idempotency-Key header; `invalid_json`: The body is not valid JSON */
      400: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `unauthenticated`: Unauthenticated */
      401: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `missing_scope`: The key lacks a scope this operation needs */
      403: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `not_found`: Not found */
      404: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `conflict`: Conflict */
      409: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `payload_too_large`: The body is too large */
      413: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `unsupported_media_type`: Bodies must be application/json */
      415: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `idempotency_key_reused`: This Idempotency-Key was used with a different request; `validation_failed`: The input is not valid */
      422: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `rate_limited`: Too many requests */
      429: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
    }
  }
  listWebhookEventTypes: {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    requestBody?: never
    responses: {
      /** @description OK */
      200: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/json': components['schemas']['WebhookEventTypeList']
        }
      }
      /** @description `unauthenticated`: Unauthenticated */
      401: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `missing_scope`: The key lacks a scope this operation needs */
      403: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
      /** @description `rate_limited`: Too many requests */
      429: {
        headers: {
          /** @description Requests per minute this key may make. */
          'RateLimit-Limit'?: number
          /** @description Requests left now. */
          'RateLimit-Remaining'?: number
          /** @description Seconds until the allowance is full again. */
          'RateLimit-Reset'?: number
          [name: string]: unknown
        }
        content: {
          'application/problem+json': components['schemas']['Problem']
        }
      }
    }
  }
}
