import { adminRouter } from './routers/admin'
import { agencyRouter } from './routers/agency'
import { leadsRouter } from './routers/leads'
import { membersRouter } from './routers/members'
import { profileRouter } from './routers/profile'
import { createCallerFactory, router } from './trpc'

export const appRouter = router({
  profile: profileRouter,
  agency: agencyRouter,
  members: membersRouter,
  admin: adminRouter,
  leads: leadsRouter,
})

export type AppRouter = typeof appRouter
export const createCaller = createCallerFactory(appRouter)
