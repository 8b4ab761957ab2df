import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { generatedSchema } from './schema'

/**
 * `pnpm --filter @impera/sdk generate`: writes the API's OpenAPI document (openapi.json) and the types generated from
 * it (src/schema.d.ts). A test fails while either is behind the API, so run this after changing an operation.
 */
const root = path.resolve(import.meta.dirname, '..')
const { json, types } = await generatedSchema()
await writeFile(path.join(root, 'openapi.json'), json)
await writeFile(path.join(root, 'src/schema.d.ts'), types)
console.log('wrote packages/sdk/openapi.json and src/schema.d.ts')
