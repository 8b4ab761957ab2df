import { databaseEnv, mailEnv, parseEnv, runtimeEnv, storageEnv, whatsappEnv } from '@impera/config/env'

export const workerEnvSchema = databaseEnv.extend(mailEnv.shape).extend(runtimeEnv.shape).extend(storageEnv.shape).extend(whatsappEnv.shape)
export type WorkerEnv = ReturnType<typeof loadWorkerEnv>

export function loadWorkerEnv() {
  // The only place the worker reads process.env.
  return parseEnv(workerEnvSchema, process.env, 'worker')
}
