export * from './client'
export * from './rls'
export * from './roles'
export * as schema from './schema'
export * from './schema'
export {
  sql,
  eq,
  and,
  or,
  not,
  desc,
  asc,
  isNull,
  isNotNull,
  inArray,
  notInArray,
  count,
  gt,
  gte,
  lt,
  lte,
  ne,
  ilike,
} from 'drizzle-orm'
