import type { Readable } from 'node:stream'
import { createLocalStorage } from './local'
import { createSupabaseStorage } from './supabase'

/**
 * Where uploaded files live. Keys are paths like `<agencyId>/properties/<propertyId>/<photoId>.webp`: the agency
 * comes first so a bucket can be inspected, exported or wiped per tenant. Access control is not the store's job:
 * files are only ever served through the app, after the membership and visibility checks.
 */
export interface FileStorage {
  readonly kind: 'local' | 'supabase'
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>
  /** Stores a file from local disk without holding it in memory (the agency export, which may be gigabytes). */
  putFile(key: string, filePath: string, contentType: string): Promise<void>
  /** The bytes, or null when the key does not exist. */
  get(key: string): Promise<{ bytes: Uint8Array; contentType: string } | null>
  /** The bytes as a stream (with their size when known), or null when the key does not exist. */
  open(key: string): Promise<StoredStream | null>
  /** Deleting a missing key is not an error (deletes are retried by the worker). */
  delete(keys: string[]): Promise<void>
  /**
   * Deletes every file under `prefix/` (an agency's folder, when the agency is deleted), including files no row points
   * at any more; returns how many went.
   */
  deletePrefix(prefix: string): Promise<number>
}

export interface StoredStream {
  stream: Readable
  bytes: number | null
  contentType: string
}

export type StorageConfig =
  | { driver: 'local'; dir: string }
  | { driver: 'supabase'; url: string; serviceRoleKey: string; bucket: string; fetch?: typeof fetch }

export function createStorage(config: StorageConfig): FileStorage {
  return config.driver === 'local' ? createLocalStorage(config.dir) : createSupabaseStorage(config)
}

/** Keys come from our own ids, but a path must never escape its root, whatever reaches here. */
export function assertSafeKey(key: string) {
  if (!/^[A-Za-z0-9][A-Za-z0-9/_.-]*$/.test(key) || key.includes('..') || key.includes('//'))
    throw new Error(`unsafe storage key: ${key}`)
}

/** Builds the config from an app's parsed env (each app parses its own env; this only checks the combination). */
export function storageConfigFromEnv(env: {
  STORAGE_DRIVER: 'local' | 'supabase'
  UPLOADS_DIR: string
  STORAGE_BUCKET: string
  SUPABASE_URL?: string
  SUPABASE_SERVICE_ROLE_KEY?: string
}): StorageConfig {
  if (env.STORAGE_DRIVER === 'local') return { driver: 'local', dir: env.UPLOADS_DIR }
  if (!env.SUPABASE_URL || !env.SUPABASE_SERVICE_ROLE_KEY)
    throw new Error('STORAGE_DRIVER=supabase needs SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY')
  return {
    driver: 'supabase',
    url: env.SUPABASE_URL,
    serviceRoleKey: env.SUPABASE_SERVICE_ROLE_KEY,
    bucket: env.STORAGE_BUCKET,
  }
}
export { seedDemoPhotoFiles } from './demo-photos'
