import {
  databaseEnv,
  parseEnv,
  pushEnv,
  runtimeEnv,
  storageEnv,
  webhooksEnv,
  whatsappEnv,
  zBoolString,
} from '@impera/config/env'
import { z } from 'zod'

const schema = databaseEnv
  .extend(runtimeEnv.shape)
  .extend(storageEnv.shape)
  .extend(whatsappEnv.shape)
  .extend(webhooksEnv.shape)
  .extend(pushEnv.shape)
  .extend({
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    HOST: z.string().optional().describe('listen address; default 0.0.0.0 in production, 127.0.0.1 otherwise'),
    PUBLIC_URL: z
      .string()
      .url()
      .optional()
      .describe('origin used in e-mailed links; defaults to http://localhost:PORT'),
    SESSION_SECRET: z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      )
      .refine(
        (xs) => xs.length > 0 && xs.every((s) => s.length >= 32),
        'comma-separated secrets of at least 32 characters (first signs, all verify)',
      ),
    TRUST_PROXY: zBoolString.default(false),
    SUPABASE_URL: z.string().url().optional(),
    SUPABASE_ANON_KEY: z.string().optional(),
    SUPABASE_SERVICE_ROLE_KEY: z.string().optional(),
    ENABLE_DEV_MAILBOX: zBoolString.optional(),
  })
  .refine((e) => !e.SUPABASE_URL === !e.SUPABASE_ANON_KEY, {
    path: ['SUPABASE_ANON_KEY'],
    message: 'SUPABASE_URL and SUPABASE_ANON_KEY go together',
  })

export type WebEnv = z.infer<typeof schema> & { origin: string; devMailbox: boolean; host: string }

export function loadWebEnv(): WebEnv {
  // The only place the web server reads process.env.
  const env = parseEnv(schema, process.env, 'web')
  return {
    ...env,
    origin: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ''),
    // A development server is for this machine only (its mailbox holds every agency's links); HOST widens it.
    host: env.HOST ?? (env.NODE_ENV === 'production' ? '0.0.0.0' : '127.0.0.1'),
    // The development mailbox never exists in production unless explicitly enabled for a demo.
    devMailbox: env.ENABLE_DEV_MAILBOX ?? env.NODE_ENV !== 'production',
  }
}
