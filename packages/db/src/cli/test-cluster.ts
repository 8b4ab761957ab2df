import { chmod, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import postgres from 'postgres'
import { EmbeddedAccessError, startEmbeddedPostgres } from '../embedded'
import { migrateDatabase } from '../migrate'

/**
 * A throwaway cluster for a test run, in its own process so test runners load none of its dependencies. Prints one
 * `READY <json>` line, then lives until stdin closes or it is signalled, and removes its data on the way out.
 * Usage: test-cluster.ts <templateDb> <appPassword>
 */
const [templateDb = 'impera_template', appPassword = 'impera-test-app'] = process.argv.slice(2)
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'impera-test-pg-'))
// mkdtemp makes it 0700; the server may run as a separate `postgres` OS user that must reach its data dir.
await chmod(dataDir, 0o755)
const server = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'data'), persistent: false }).catch(
  async (err: unknown) => {
    await rm(dataDir, { recursive: true, force: true })
    // Its message says what to do; a stack trace would only bury it.
    if (!(err instanceof EmbeddedAccessError)) throw err
    console.error(err.message)
    process.exit(1)
  },
)
const admin = postgres(server.ownerUrl(), { max: 1, onnotice: () => {} })
await admin.unsafe(`create database ${templateDb}`)
await admin.end()
await migrateDatabase({ ownerUrl: server.ownerUrl(templateDb), appPassword })
process.stdout.write(
  `READY ${JSON.stringify({ ownerUrlTemplate: server.ownerUrl('__DB__'), appPassword, port: server.port })}\n`,
)

let stopping = false
async function shutdown() {
  if (stopping) return
  stopping = true
  await server.stop().catch(() => {})
  await rm(dataDir, { recursive: true, force: true })
  process.exit(0)
}
process.stdin.on('end', shutdown)
process.stdin.on('close', shutdown)
process.stdin.resume()
process.on('SIGTERM', shutdown)
process.on('SIGINT', shutdown)
