// Transport-agnostic business logic, shared by tRPC procedures, Remix loaders/actions and the worker.
export * from './audit'
export * from './agency'
export * from './members'
export * from './invitations'
export * from './admin'
export * from './profile'
export * from './leads'
