import { z } from 'zod'
import {
  databaseEnv,
  mailEnv,
  parseEnv,
  pushEnv,
  runtimeEnv,
  storageEnv,
  webhooksEnv,
  whatsappEnv,
} from '@impera/config/env'

const workerEnvSchema = databaseEnv
  .extend(mailEnv.shape)
  .extend(runtimeEnv.shape)
  .extend(storageEnv.shape)
  .extend(whatsappEnv.shape)
  .extend(webhooksEnv.shape)
  .extend(pushEnv.shape)
  .extend({
    PUBLIC_URL: z
      .string()
      .url()
      .optional()
      .describe('the web app origin, for links in notification e-mails; defaults to http://localhost:3000'),
  })

export function loadWorkerEnv() {
  // The only place the worker reads process.env.
  return parseEnv(workerEnvSchema, process.env, 'worker')
}
