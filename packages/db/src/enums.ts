/**
 * The value lists of the database's enums, each defined once: the schema makes its pgEnums from them, and the API's
 * zod schemas and the web forms use the same lists (imported as `@impera/db/enums`, which pulls in no database code,
 * so browser bundles can use it).
 */
export const agencyStatuses = ['active', 'suspended'] as const
export const memberRoles = ['manager', 'agent'] as const
export const whatsappLeadRules = ['unassigned', 'round_robin', 'member'] as const
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
] as const

export type LeadStatus = (typeof leadStatuses)[number]
export type LeadSource = (typeof leadSources)[number]

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
