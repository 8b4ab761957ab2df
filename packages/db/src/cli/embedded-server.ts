import { readFileSync } from 'node:fs'
import path from 'node:path'
import { EmbeddedAccessError, startEmbeddedPostgres, type EmbeddedServer } from '../embedded'

/**
 * The embedded server as a process of its own, for `spawnEmbeddedPostgres` (see there for why). Receives its options
 * over IPC, answers `{ ready: true, postmasterPid }` or `{ error }`, and stops Postgres when told to (SIGTERM, SIGINT) or when its
 * parent goes away (the IPC channel closes), so no cluster outlives the supervisor that started it.
 */
let server: EmbeddedServer | null = null
let stopping = false

async function stop() {
  if (stopping) return
  stopping = true
  // Still starting: it is stopped as soon as it is up (below).
  if (!server) return
  await server.stop()
  process.exit(0)
}

process.once('message', (opts: { dataDir: string; port: number; password: string; persistent: boolean }) => {
  startEmbeddedPostgres(opts).then(
    (started) => {
      server = started
      if (stopping) return void started.stop().finally(() => process.exit(0))
      // The server's own pid (first line of its lock file), for an immediate shutdown if a fast one takes too long.
      const postmasterPid = Number(readFileSync(path.join(opts.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0])
      process.send?.({ ready: true, postmasterPid })
    },
    (err: unknown) => {
      process.send?.(
        { error: err instanceof Error ? err.message : String(err), access: err instanceof EmbeddedAccessError },
        () => process.exit(1),
      )
    },
  )
})
process.on('disconnect', () => void stop())
process.on('SIGTERM', () => void stop())
process.on('SIGINT', () => void stop())
