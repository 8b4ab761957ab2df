// Client-safe: zod schemas only, shared by browser forms and procedures.
export * from './common'
export * from './auth'
export * from './agency'
export * from './admin'
export * from './profile'
export * from './leads'
export * from './clients'
export * from './properties'
