import { adminRouter } from './routers/admin'
import { agencyRouter } from './routers/agency'
import { clientsRouter } from './routers/clients'
import { integrationsRouter } from './routers/integrations'
import { leadsRouter } from './routers/leads'
import { membersRouter } from './routers/members'
import { importsRouter } from './routers/imports'
import { tasksRouter } from './routers/tasks'
import { distributionRouter } from './routers/distribution'
import { bulkRouter } from './routers/bulk'
import { consentRouter } from './routers/consent'
import { privacyRouter } from './routers/privacy'
import { agencyExportRouter } from './routers/agency-export'
import { quickRepliesRouter } from './routers/quick-replies'
import { portalsRouter } from './routers/portals'
import { profileRouter } from './routers/profile'
import { propertiesRouter } from './routers/properties'
import { dashboardRouter, notificationsRouter, reportsRouter } from './routers/insights'
import { searchRouter } from './routers/search'
import { viewsRouter } from './routers/views'
import { webhooksRouter } from './routers/webhooks'
import { whatsappRouter } from './routers/whatsapp'
import { createCallerFactory, router } from './trpc'

export const appRouter = router({
  profile: profileRouter,
  agency: agencyRouter,
  members: membersRouter,
  admin: adminRouter,
  leads: leadsRouter,
  clients: clientsRouter,
  properties: propertiesRouter,
  whatsapp: whatsappRouter,
  dashboard: dashboardRouter,
  reports: reportsRouter,
  notifications: notificationsRouter,
  search: searchRouter,
  views: viewsRouter,
  integrations: integrationsRouter,
  webhooks: webhooksRouter,
  portals: portalsRouter,
  imports: importsRouter,
  tasks: tasksRouter,
  distribution: distributionRouter,
  bulk: bulkRouter,
  consent: consentRouter,
  privacy: privacyRouter,
  agencyExport: agencyExportRouter,
  quickReplies: quickRepliesRouter,
})

export type AppRouter = typeof appRouter
export const createCaller = createCallerFactory(appRouter)
