export * from './db-setup'
export * from './factories'
