import { isIP } from 'node:net'
import { z } from 'zod'

/**
 * Helpers for each app's env module. Apps parse `process.env` once at boot with these and fail fast, naming every bad
 * variable; nothing else in the codebase reads `process.env`.
 */
export function parseEnv<S extends z.ZodType>(
  schema: S,
  source: Record<string, string | undefined>,
  app: string,
): z.infer<S> {
  const result = schema.safeParse(source)
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`)
    throw new Error(`[${app}] invalid environment:\n${lines.join('\n')}`)
  }
  return result.data
}

const zPostgresUrl = z.string().refine((v) => /^postgres(ql)?:\/\//.test(v), 'must be a postgres:// URL')

export const zBoolString = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')

/** Variables both processes need to reach the database. */
export const databaseEnv = z.object({
  DATABASE_URL: zPostgresUrl.describe('owner/admin URL: migrations and the job queue'),
  APP_DB_PASSWORD: z.string().min(8).describe('password of the impera_app login role the app runs as'),
  APP_DATABASE_URL: zPostgresUrl
    .optional()
    .describe('explicit runtime URL; defaults to DATABASE_URL with impera_app credentials'),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
})

export const mailEnv = z.object({
  SMTP_URL: z.string().url().optional().describe('smtp(s)://user:pass@host:port; unset = development mailbox'),
  MAIL_FROM: z.string().default('Impera CRM <no-reply@impera.local>'),
})

export const runtimeEnv = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
})

/** Where uploaded files (property photos, later WhatsApp media) are kept; see @impera/api/storage. */
export const storageEnv = z.object({
  STORAGE_DRIVER: z.enum(['local', 'supabase']).default('local'),
  UPLOADS_DIR: z
    .string()
    .default('.data/uploads')
    .describe('local driver: directory for uploads (relative to the process cwd)'),
  STORAGE_BUCKET: z.string().default('impera-uploads').describe('supabase driver: a private bucket'),
  SUPABASE_URL: z.string().url().optional(),
  SUPABASE_SERVICE_ROLE_KEY: z.string().optional(),
})

/** WhatsApp: the key that seals provider credentials at rest, and the Graph API endpoint (pinned version). */
export const whatsappEnv = z.object({
  SECRETS_KEY: z
    .string()
    .refine(
      (v) => Buffer.from(v, 'base64').length === 32,
      '32 random bytes, base64-encoded (e.g. `openssl rand -base64 32`)',
    )
    .optional(),
  WHATSAPP_GRAPH_URL: z.string().url().default('https://graph.facebook.com'),
  WHATSAPP_GRAPH_VERSION: z
    .string()
    .regex(/^v\d+\.\d+$/)
    .default('v21.0'),
})

/**
 * Outgoing webhooks (decision 018) and AI model URLs (decision 021): targets on loopback, private or link-local
 * addresses are refused unless the install allows them: `true` (any), or a comma-separated list of addresses and CIDR
 * ranges (e.g. a self-hosted n8n at `10.0.0.5`, an Ollama at `127.0.0.1`). Default `false`.
 */
export const webhooksEnv = z.object({
  WEBHOOKS_ALLOW_PRIVATE_TARGETS: z
    .string()
    .default('false')
    .transform((v, ctx) => {
      const value = v.trim().toLowerCase()
      if (value === 'true' || value === '1') return true
      if (value === 'false' || value === '0' || value === '') return false
      const ranges = value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
      const bad = ranges.filter((r) => !isAddressOrRange(r))
      if (bad.length) {
        ctx.addIssue({ code: 'custom', message: `true, false, or addresses and CIDR ranges (not ${bad.join(', ')})` })
        return z.NEVER
      }
      return ranges
    }),
})

function isAddressOrRange(value: string): boolean {
  const [base, bits, extra] = value.split('/')
  const family = base ? isIP(base) : 0
  if (extra !== undefined || !family) return false
  if (bits === undefined) return true
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128)
}

const b64urlBytes = (n: number) => (v: string) => /^[A-Za-z0-9_-]+$/.test(v) && Buffer.from(v, 'base64url').length === n

/**
 * Web push (decision 035): the VAPID key pair that signs every push (`pnpm dev`/`pnpm start` generate one into
 * .data/local-secrets.json; unset = no push), the contact push services see, and push services besides the browsers'
 * own (FCM, Mozilla, Apple, Windows), e.g. a test's stand-in — the only endpoints a subscription may name.
 */
export const pushEnv = z.object({
  VAPID_PUBLIC_KEY: z
    .string()
    .refine(b64urlBytes(65), 'an uncompressed P-256 public key, base64url (65 bytes)')
    .optional(),
  VAPID_PRIVATE_KEY: z.string().refine(b64urlBytes(32), 'a P-256 private key, base64url (32 bytes)').optional(),
  VAPID_SUBJECT: z
    .string()
    .regex(/^(mailto:|https:\/\/)/, 'a mailto: or https:// URL push services can reach the operator at')
    .default('mailto:no-reply@impera.local'),
  PUSH_EXTRA_SERVICES: z
    .string()
    .default('')
    .transform((v, ctx) => {
      const origins = v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
      const bad = origins.filter((o) => !URL.canParse(o) || new URL(o).origin !== o)
      if (bad.length) {
        ctx.addIssue({
          code: 'custom',
          message: `comma-separated origins like https://push.example (not ${bad.join(', ')})`,
        })
        return z.NEVER
      }
      return origins
    }),
})
