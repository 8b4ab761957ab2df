import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createStorage, type FileStorage } from '../src/storage'
import { startStorageStandIn } from './stand-ins/storage'

/** The same contract for every driver: what the photo services and the worker rely on. */
function contract(name: string, make: () => FileStorage) {
  describe(`${name} storage`, () => {
    it('puts, gets (with content type), overwrites and deletes; a missing key is null, deleting it is fine', async () => {
      const s = make()
      const key = 'agency-1/properties/p-1/photo.webp'
      await s.put(key, new Uint8Array([1, 2, 3]), 'image/webp')
      expect(await s.get(key)).toEqual({ bytes: new Uint8Array([1, 2, 3]), contentType: 'image/webp' })
      await s.put(key, new Uint8Array([9]), 'image/webp')
      expect((await s.get(key))!.bytes).toEqual(new Uint8Array([9]))
      expect(await s.get('agency-1/none.webp')).toBeNull()
      await s.delete([key, 'agency-1/none.webp'])
      expect(await s.get(key)).toBeNull()
    })

    it('stores a file from disk and streams it back with its size', async () => {
      const s = make()
      const bytes = Buffer.alloc(3 * 1024 * 1024 + 7, 'impera')
      const file = path.join(dir, `upload-${name}.zip`)
      await writeFile(file, bytes)
      await s.putFile('agency-1/exports/e-1.zip', file, 'application/zip')
      const opened = await s.open('agency-1/exports/e-1.zip')
      expect(opened).toMatchObject({ bytes: bytes.length, contentType: 'application/zip' })
      const chunks: Buffer[] = []
      for await (const c of opened!.stream) chunks.push(c as Buffer)
      expect(Buffer.concat(chunks).equals(bytes)).toBe(true)
      expect(await s.open('agency-1/exports/none.zip')).toBeNull()
    })

    it('deletes everything under a prefix, at any depth, and nothing beside it', async () => {
      const s = make()
      const keys = [
        'agency-9/properties/p-1/a.webp',
        'agency-9/properties/p-1/b.webp',
        'agency-9/whatsapp/m-1.jpg',
        'agency-9/exports/e.zip',
      ]
      for (const k of keys) await s.put(k, new Uint8Array([1]), 'image/webp')
      await s.put('agency-99/properties/p-1/a.webp', new Uint8Array([2]), 'image/webp')
      expect(await s.deletePrefix('agency-9')).toBe(4)
      for (const k of keys) expect(await s.get(k)).toBeNull()
      expect(await s.get('agency-99/properties/p-1/a.webp')).not.toBeNull()
      expect(await s.deletePrefix('agency-9')).toBe(0)
      await expect(s.deletePrefix('../etc')).rejects.toThrow(/unsafe storage key/)
    })

    it('refuses keys that could escape their place', async () => {
      const s = make()
      for (const bad of ['../etc/passwd', 'a/../../b', '/abs', 'a//b', ''])
        await expect(s.put(bad, new Uint8Array([1]), 'image/webp')).rejects.toThrow(/unsafe storage key/)
    })
  })
}

let dir: string
let standIn: Awaited<ReturnType<typeof startStorageStandIn>>
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'impera-storage-'))
  standIn = await startStorageStandIn({ serviceRoleKey: 'service-role-secret', buckets: ['impera-uploads'] })
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
  await standIn.close()
})

contract('local', () => createStorage({ driver: 'local', dir }))
contract('supabase', () =>
  createStorage({
    driver: 'supabase',
    url: standIn.url,
    serviceRoleKey: 'service-role-secret',
    bucket: 'impera-uploads',
  }),
)

describe('supabase storage errors', () => {
  it('surfaces authentication and bucket errors instead of treating them as missing files', async () => {
    const wrongKey = createStorage({
      driver: 'supabase',
      url: standIn.url,
      serviceRoleKey: 'nope',
      bucket: 'impera-uploads',
    })
    await expect(wrongKey.put('a/b.webp', new Uint8Array([1]), 'image/webp')).rejects.toThrow(/upload failed: 400/)
    await expect(wrongKey.get('a/b.webp')).rejects.toThrow(/download failed: 400/)
    const noBucket = createStorage({
      driver: 'supabase',
      url: standIn.url,
      serviceRoleKey: 'service-role-secret',
      bucket: 'missing',
    })
    await expect(noBucket.put('a/b.webp', new Uint8Array([1]), 'image/webp')).rejects.toThrow(/upload failed/)
    await expect(noBucket.get('a/b.webp')).rejects.toThrow(/Bucket not found/)
    expect(standIn.calls).toContain('POST /storage/v1/object/impera-uploads/a/b.webp')
  })
})
