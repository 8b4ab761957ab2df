import path from 'node:path'
import { buildOpenApiDocument } from '@impera/api/public-api'
import openapiTS, { astToString } from 'openapi-typescript'
import { format, resolveConfig } from 'prettier'

const root = path.resolve(import.meta.dirname, '..')

/**
 * The OpenAPI document of /api/v1 and the TypeScript types openapi-typescript makes of it, both laid out by the
 * repository's Prettier config (so `pnpm format` leaves them as generated). Used by scripts/generate and its test.
 */
export async function generatedSchema() {
  const document = buildOpenApiDocument()
  // Defaults make a property optional to send (the generator's default reads them as always present).
  const ast = await openapiTS(document as never, { alphabetize: true, defaultNonNullable: false })
  const banner = `/* Generated from the public API's OpenAPI document by \`pnpm --filter @impera/sdk generate\`: do not edit. */\n\n`
  const typesFile = path.join(root, 'src/schema.d.ts')
  const documentFile = path.join(root, 'openapi.json')
  // The client sets an Idempotency-Key on every write that has none (src/index.ts), so callers may leave it out.
  const source = astToString(ast).replace(
    /header: \{(\s*(?:\/\*\*[^]*?\*\/)?\s*)"Idempotency-Key": string;(\s*)\};/g,
    'header?: {$1"Idempotency-Key"?: string;$2};',
  )
  const types = await format(banner + source, { ...(await resolveConfig(typesFile)), filepath: typesFile })
  const json = await format(JSON.stringify(document), {
    ...(await resolveConfig(documentFile)),
    filepath: documentFile,
  })
  return { document, types, json }
}
