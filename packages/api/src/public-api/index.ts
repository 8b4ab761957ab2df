export {
  createPublicApi,
  API_VERSION_PREFIX,
  type PublicApi,
  type PublicApiDeps,
  type PublicApiRequestMeta,
} from './handler'
export { buildOpenApiDocument } from './openapi'
export { publicApi, messageIdFor, type ApiRoute, type ApiCtx } from './routes'
export {
  problem,
  problemOf,
  problemResponse,
  problemType,
  problemKinds,
  rateLimitHeaders,
  zodFieldProblems,
  PROBLEM_CONTENT_TYPE,
  type FieldProblem,
  type Problem,
  type ProblemCode,
} from './problem'
export { IDEMPOTENCY_HOURS, IDEMPOTENCY_KEY, canonicalJson, requestHash } from './idempotency'
