import { createReadStream } from 'node:fs'
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { assertSafeKey, type FileStorage } from './index'

const types: Record<string, string> = {
  '.webp': 'image/webp',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.zip': 'application/zip',
}

/** Files on local disk (default: .data/uploads), for development, demos and single-server installs. */
export function createLocalStorage(root: string): FileStorage {
  const resolve = (key: string) => {
    assertSafeKey(key)
    return path.join(root, key)
  }
  return {
    kind: 'local',
    async put(key, bytes) {
      const file = resolve(key)
      await mkdir(path.dirname(file), { recursive: true })
      // Write then rename, so a reader never sees half a file.
      const tmp = `${file}.${process.pid}.${Date.now()}.tmp`
      await writeFile(tmp, bytes)
      await rename(tmp, file)
    },
    async putFile(key, filePath) {
      const file = resolve(key)
      await mkdir(path.dirname(file), { recursive: true })
      const tmp = `${file}.${process.pid}.${Date.now()}.tmp`
      await copyFile(filePath, tmp)
      await rename(tmp, file)
    },
    async open(key) {
      const file = resolve(key)
      try {
        const { size } = await stat(file)
        return {
          stream: createReadStream(file),
          bytes: size,
          contentType: types[path.extname(key).toLowerCase()] ?? 'application/octet-stream',
        }
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null
        throw e
      }
    },
    async get(key) {
      try {
        const bytes = await readFile(resolve(key))
        return {
          bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
          contentType: types[path.extname(key).toLowerCase()] ?? 'application/octet-stream',
        }
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null
        throw e
      }
    },
    async delete(keys) {
      await Promise.all(keys.map((k) => rm(resolve(k), { force: true })))
    },
    async deletePrefix(prefix) {
      const dir = resolve(prefix)
      let files = 0
      try {
        files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).length
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0
        throw e
      }
      await rm(dir, { recursive: true, force: true })
      return files
    },
  }
}
