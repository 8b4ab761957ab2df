import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { Readable } from 'node:stream'
import type { ReadableStream as WebReadable } from 'node:stream/web'
import { assertSafeKey, type FileStorage } from './index'

const LIST_PAGE = 1000

/**
 * Supabase Storage over its REST API (the endpoints storage-js calls), authenticated with the service-role key from
 * env. The bucket should be private: nothing is fetched by browsers directly.
 *   upload:   POST   /storage/v1/object/{bucket}/{key}   (x-upsert: true)
 *   download: GET    /storage/v1/object/authenticated/{bucket}/{key}
 *   delete:   DELETE /storage/v1/object/{bucket}          body { prefixes: [keys] }
 *   list:     POST   /storage/v1/object/list/{bucket}     body { prefix, limit, offset } (one folder level)
 */
export function createSupabaseStorage(config: {
  url: string
  serviceRoleKey: string
  bucket: string
  fetch?: typeof fetch
}): FileStorage {
  const f = config.fetch ?? fetch
  const base = `${config.url.replace(/\/$/, '')}/storage/v1`
  const headers = { authorization: `Bearer ${config.serviceRoleKey}`, apikey: config.serviceRoleKey }
  const objectPath = (key: string) => {
    assertSafeKey(key)
    return key.split('/').map(encodeURIComponent).join('/')
  }
  const fail = async (op: string, res: Response) => {
    throw new Error(`supabase storage ${op} failed: ${res.status} ${(await res.text()).slice(0, 200)}`)
  }
  /** The download's response, or null for a missing object. */
  const download = async (key: string) => {
    const res = await f(`${base}/object/authenticated/${config.bucket}/${objectPath(key)}`, { headers })
    // A missing object is 400 {"statusCode":"404","error":"not_found"} on hosted Storage and 404 elsewhere; a missing
    // bucket must not pass for a missing file.
    if (res.status === 404) return null
    if (res.status === 400) {
      const body = await res.text()
      if (/"error"\s*:\s*"not_found"|object not found/i.test(body)) return null
      throw new Error(`supabase storage download failed: 400 ${body.slice(0, 200)}`)
    }
    if (!res.ok) await fail('download', res)
    return res
  }
  const deleteKeys = async (keys: string[]) => {
    if (!keys.length) return
    keys.forEach(assertSafeKey)
    const res = await f(`${base}/object/${config.bucket}`, {
      method: 'DELETE',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ prefixes: keys }),
    })
    if (!res.ok) await fail('delete', res)
  }
  return {
    kind: 'supabase',
    async put(key, bytes, contentType) {
      const res = await f(`${base}/object/${config.bucket}/${objectPath(key)}`, {
        method: 'POST',
        headers: { ...headers, 'content-type': contentType, 'x-upsert': 'true', 'cache-control': 'max-age=31536000' },
        body: new Blob([new Uint8Array(bytes)], { type: contentType }),
      })
      if (!res.ok) await fail('upload', res)
    },
    async putFile(key, filePath, contentType) {
      const { size } = await stat(filePath)
      const file = createReadStream(filePath)
      try {
        const res = await f(`${base}/object/${config.bucket}/${objectPath(key)}`, {
          method: 'POST',
          headers: { ...headers, 'content-type': contentType, 'content-length': String(size), 'x-upsert': 'true' },
          body: Readable.toWeb(file) as ReadableStream<Uint8Array>,
          // Streams the request body (undici requires saying so).
          duplex: 'half',
        } as RequestInit)
        if (!res.ok) await fail('upload', res)
      } finally {
        // Closed whether the upload finished, was refused or failed midway.
        file.destroy()
      }
    },
    async open(key) {
      const res = await download(key)
      if (!res) return null
      const length = res.headers.get('content-length')
      return {
        stream: Readable.fromWeb(res.body! as WebReadable<Uint8Array>),
        bytes: length ? Number(length) : null,
        contentType: res.headers.get('content-type') ?? 'application/octet-stream',
      }
    },
    async get(key) {
      const res = await download(key)
      if (!res) return null
      return {
        bytes: new Uint8Array(await res.arrayBuffer()),
        contentType: res.headers.get('content-type') ?? 'application/octet-stream',
      }
    },
    delete: deleteKeys,
    async deletePrefix(prefix) {
      assertSafeKey(prefix)
      // Storage lists one folder level at a time (a folder is an entry without an id): walk them, then delete in
      // chunks of the API's 1,000.
      const keys: string[] = []
      const folders = [prefix.replace(/\/$/, '')]
      while (folders.length) {
        const folder = folders.pop()!
        for (let offset = 0; ; offset += LIST_PAGE) {
          const res = await f(`${base}/object/list/${config.bucket}`, {
            method: 'POST',
            headers: { ...headers, 'content-type': 'application/json' },
            body: JSON.stringify({
              prefix: folder,
              limit: LIST_PAGE,
              offset,
              sortBy: { column: 'name', order: 'asc' },
            }),
          })
          if (!res.ok) await fail('list', res)
          const entries = (await res.json()) as { name: string; id: string | null }[]
          for (const e of entries) (e.id === null ? folders : keys).push(`${folder}/${e.name}`)
          if (entries.length < LIST_PAGE) break
        }
      }
      for (let i = 0; i < keys.length; i += 1000) await deleteKeys(keys.slice(i, i + 1000))
      return keys.length
    },
  }
}
