export { appRouter, createCaller, type AppRouter } from './root'
export { createContext, type Context, type CreateContextOptions } from './context'
export { AppError, isAppError } from './errors'
export { can, permissionsOf, type Action, type Role } from './permissions'
export { withAgencyActor } from './trpc'
export type {
  AgencyActor,
  AgencyCtx,
  GuestCtx,
  PlatformActor,
  PlatformCtx,
  UserCtx,
  WhatsAppSystemCtx,
  WithStorage,
  WithUrls,
  WithWhatsAppSetup,
} from './ctx'
export type { inferRouterInputs, inferRouterOutputs } from '@trpc/server'
export { describeError, httpStatusOf, type ErrorShape } from './error-shape'
export { acceptInvitation, getInvitationByToken, getMe, resolveLanding } from './services'
