import type { JobDefinition } from './define-job'
import { purgeApiData } from './jobs/purge-api-data'
import { purgeAuthData } from './jobs/purge-auth-data'
import { purgeTrash } from './jobs/purge-trash'
import { deleteStoredFiles } from './jobs/delete-stored-files'
import { deleteAgencyFiles } from './jobs/delete-agency-files'
import { agencyDelete } from './jobs/agency-delete'
import { agencyExport } from './jobs/agency-export'
import { aiRequestTurn } from './jobs/ai-request-turn'
import { aiStep } from './jobs/ai-step'
import { leadsRefreshQualification } from './jobs/leads-refresh-qualification'
import { conversationsReturnToAi } from './jobs/conversations-return-to-ai'
import { notificationsSweep } from './jobs/notifications-sweep'
import { importsRun, importsValidate } from './jobs/imports'
import { portalIngest } from './jobs/portal-ingest'
import { sendEmail } from './jobs/send-email'
import { tasksRemind } from './jobs/tasks-remind'
import { distributionSla } from './jobs/distribution-sla'
import { bulkRun } from './jobs/bulk-run'
import { notificationsPush } from './jobs/notifications-push'
import { notificationsSettle } from './jobs/notifications-settle'
import { propertiesMatchLeads } from './jobs/properties-match-leads'
import { webhooksDeliver, webhooksPurge, webhooksSweep } from './jobs/webhooks'
import {
  whatsappIngest,
  whatsappIngestPending,
  whatsappMedia,
  whatsappPurgeEvents,
  whatsappReconcile,
  whatsappSendPending,
  whatsappSyncTemplates,
} from './jobs/whatsapp'

/** Every job the worker runs: one file per job under ./jobs, listed here. */
export const jobs: JobDefinition[] = [
  sendEmail,
  purgeAuthData,
  purgeTrash,
  deleteStoredFiles,
  deleteAgencyFiles,
  agencyDelete,
  agencyExport,
  whatsappIngest,
  whatsappIngestPending,
  whatsappSendPending,
  whatsappMedia,
  whatsappReconcile,
  whatsappPurgeEvents,
  whatsappSyncTemplates,
  notificationsSweep,
  notificationsSettle,
  notificationsPush,
  webhooksDeliver,
  webhooksSweep,
  webhooksPurge,
  purgeApiData,
  conversationsReturnToAi,
  aiStep,
  aiRequestTurn,
  leadsRefreshQualification,
  portalIngest,
  importsValidate,
  importsRun,
  tasksRemind,
  propertiesMatchLeads,
  distributionSla,
  bulkRun,
] as JobDefinition[]

export const crontab = [
  `0 * * * * ${purgeAuthData.contract.id}`,
  `30 3 * * * ${purgeTrash.contract.id}`,
  `45 3 * * * ${whatsappPurgeEvents.contract.id}`,
  `15 4 * * * ${whatsappSyncTemplates.contract.id}`,
  `* * * * * ${whatsappReconcile.contract.id}`,
  `*/2 * * * * ${notificationsSweep.contract.id}`,
  `*/5 * * * * ${webhooksSweep.contract.id}`,
  `0 4 * * * ${webhooksPurge.contract.id}`,
  `20 * * * * ${purgeApiData.contract.id}`,
  `*/5 * * * * ${conversationsReturnToAi.contract.id}`,
  `* * * * * ${tasksRemind.contract.id}`,
  `* * * * * ${distributionSla.contract.id}`,
].join('\n')
