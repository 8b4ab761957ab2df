import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { generatedSchema } from '../scripts/schema'

describe('the SDK is generated from the API it talks to', () => {
  it('openapi.json and src/schema.d.ts match the API (else run `pnpm --filter @impera/sdk generate`)', async () => {
    const root = path.resolve(import.meta.dirname, '..')
    const { json, types } = await generatedSchema()
    expect(await readFile(path.join(root, 'openapi.json'), 'utf8')).toBe(json)
    expect(await readFile(path.join(root, 'src/schema.d.ts'), 'utf8')).toBe(types)
  }, 60_000)
})
