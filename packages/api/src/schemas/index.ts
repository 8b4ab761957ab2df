// Client-safe: zod schemas only, shared by browser forms and procedures.
export * from './common'
export * from './auth'
export * from './agency'
export * from './admin'
export * from './profile'
export * from './leads'
export * from './clients'
export * from './properties'
export * from './whatsapp'
export * from './insights'
export * from './lists'
export * from './integrations'
export * from './matching'
export * from './webhooks'
export * from './agent-turns'
// The enums' value lists, for forms and filters (one definition each, in the database package).
export {
  agencyStatuses,
  clientTypeValues,
  integrationScopes,
  leadInterests,
  leadSources,
  leadStatuses,
  leadTemperatures,
  lostReasons,
  memberRoles,
  notificationKinds,
  propertyPurposes,
  propertyStatuses,
  propertyTypes,
  taskKinds,
  taskRecurrences,
  taskStatuses,
  themes,
  visitInterests,
  visitOutcomes,
  webhookDeliveryStates,
  webhookEventTypes,
  webhookUpdatedFields,
} from '@impera/db/enums'
export * from './portals'
export * from './inquiries'
export * from './imports'
export * from './tasks'
export * from './distribution'
export * from './bulk'
export * from './sharing'
export * from './consent'
export * from './privacy'
export * from './quick-replies'
export * from './agency-export'
