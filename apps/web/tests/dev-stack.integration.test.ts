import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises'
import http from 'node:http'
import net from 'node:net'
import { networkInterfaces, tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, it } from 'vitest'

/**
 * `pnpm dev` as a newcomer runs it (scripts/dev.ts: an embedded database, the web server with Vite, the worker), on
 * its own data directory and ports so it disturbs no other stack on this machine. The supervisor must behave like a
 * process manager: a worker killed with SIGKILL comes back while the web server keeps answering, and Ctrl-C (SIGINT)
 * takes everything down — apps, embedded Postgres and every process they started — within 5 s.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')

let dataDir: string
let supervisor: ChildProcess
let base: string
let output = ''
let outputChanged: () => void = () => {}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo
      s.close(() => resolve(port))
    })
  })

/** Resolves with the first match of `pattern` in the output from `from` on, as soon as it is printed. */
function waitForOutput(pattern: RegExp, ms: number, from = 0): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const m = output.slice(from).match(pattern)
      if (m) {
        clearTimeout(timer)
        resolve(m)
      } else if (supervisor.exitCode !== null) {
        clearTimeout(timer)
        reject(new Error(`the supervisor exited (${supervisor.exitCode}) before printing ${pattern}:\n${output}`))
      } else outputChanged = check
    }
    const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${ms} ms:\n${output}`)), ms)
    check()
  })
}

const healthy = () =>
  fetch(`${base}/healthz`).then(
    (r) => r.ok,
    () => false,
  )

async function waitUntil(what: string, condition: () => Promise<boolean> | boolean, ms: number) {
  const end = Date.now() + ms
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`${what} not within ${ms} ms:\n${output}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** Live (non-zombie) processes: pid → parent pid. */
function liveProcesses(): Map<number, number> {
  const ps = spawnSync('ps', ['-eo', 'pid=,ppid=,stat='], { encoding: 'utf8' }).stdout
  const rows = ps.split('\n').map((line) => line.trim().split(/\s+/))
  return new Map(
    rows.filter(([pid, , stat]) => pid && !stat!.startsWith('Z')).map(([pid, ppid]) => [Number(pid), Number(ppid)]),
  )
}

/** Every live process started, directly or not, by `root` (Postgres's backends too: they leave its process group). */
function descendants(root: number): number[] {
  const live = [...liveProcesses()]
  const found = [root]
  for (let i = 0; i < found.length; i++) for (const [pid, ppid] of live) if (ppid === found[i]) found.push(pid)
  return found.slice(1)
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'impera-dev-stack-'))
  // Run as root, the embedded server runs as the `postgres` user, who must enter the data directory's parent.
  await chmod(dataDir, 0o755)
  const port = await freePort()
  base = `http://127.0.0.1:${port}`
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(port),
    EMBEDDED_PG_PORT: String(await freePort()),
    SEED_DEMO: 'false',
    LOG_LEVEL: 'info',
  }
  // The stack provides these itself for the embedded database; a developer's own would point elsewhere.
  for (const name of [
    'DATABASE_URL',
    'APP_DB_PASSWORD',
    'APP_DATABASE_URL',
    'SESSION_SECRET',
    'SECRETS_KEY',
    'HOST',
    'UPLOADS_DIR',
    'NODE_ENV',
  ])
    delete env[name]
  supervisor = spawn(process.execPath, ['--import', 'tsx', 'scripts/dev.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const collect = (chunk: Buffer) => {
    output += chunk.toString()
    outputChanged()
  }
  supervisor.stdout!.on('data', collect)
  supervisor.stderr!.on('data', collect)
  await waitForOutput(/"msg":"web server listening"/, 90_000)
  await waitForOutput(/"msg":"worker started"/, 30_000)
}, 120_000)

afterAll(async () => {
  if (supervisor && supervisor.exitCode === null && supervisor.signalCode === null) {
    // Only after a failure: take down whatever is left, without waiting on the supervisor.
    for (const pid of [supervisor.pid!, ...descendants(supervisor.pid!)]) spawnSync('kill', ['-KILL', String(pid)])
  }
  await rm(dataDir, { recursive: true, force: true })
})

it('serves Vite HMR on the app port itself (no fixed second port)', async () => {
  const status = await new Promise<number>((resolve, reject) => {
    const req = http.request(`${base}/`, {
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': randomBytes(16).toString('base64'),
        'sec-websocket-protocol': 'vite-hmr',
      },
    })
    req.on('upgrade', (res, socket) => {
      socket.destroy()
      resolve(res.statusCode!)
    })
    req.on('response', (res) => resolve(res.statusCode!))
    req.on('error', reject)
    req.end()
  })
  expect(status).toBe(101)
})

// This machine's own non-loopback address, when it has one: the dev server must not answer there unless HOST says so.
const external = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && !a.internal && a.family === 'IPv4')?.address
it.skipIf(!external)('listens on loopback only by default', async () => {
  const { port } = new URL(base)
  const refused = await new Promise<boolean>((resolve) => {
    const socket = net.connect(Number(port), external!)
    socket.once('connect', () => {
      socket.destroy()
      resolve(false)
    })
    socket.once('error', () => resolve(true))
  })
  expect(refused).toBe(true)
  expect(await healthy()).toBe(true)
})

it('restarts a worker killed with SIGKILL while the web server keeps answering, then stops everything on Ctrl-C within 5 s', async () => {
  const web = Number((await waitForOutput(/web started \(pid (\d+)\)/, 1000))[1])
  const worker = Number((await waitForOutput(/worker started \(pid (\d+)\)/, 1000))[1])
  const from = output.length
  let failedHealthChecks = 0
  let watching = true
  const watcher = (async () => {
    while (watching) {
      if (!(await healthy())) failedHealthChecks++
      await new Promise((r) => setTimeout(r, 100))
    }
  })()

  process.kill(worker, 'SIGKILL')
  await waitForOutput(/worker exited \(SIGKILL\); restarting in \d+(\.\d+)? s/, 10_000, from)
  const restarted = Number((await waitForOutput(/worker started \(pid (\d+)\)/, 10_000, from))[1])
  expect(restarted).not.toBe(worker)
  // The new worker is up (it logs once its job runner started), and the web server never went away.
  await waitForOutput(/"msg":"worker started"/, 30_000, from)
  watching = false
  await watcher
  expect(failedHealthChecks).toBe(0)
  expect(output.slice(from)).not.toMatch(/web (started|exited)/)
  expect(await healthy()).toBe(true)

  const postgres = Number((await readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0])
  const stack = descendants(supervisor.pid!)
  expect(stack).toEqual(expect.arrayContaining([web, restarted, postgres]))

  const signalledAt = Date.now()
  supervisor.kill('SIGINT')
  await waitUntil('the supervisor exiting', () => supervisor.exitCode !== null || supervisor.signalCode !== null, 5000)
  const left = () => {
    const live = liveProcesses()
    return stack.filter((pid) => live.has(pid))
  }
  await waitUntil(
    'every process of the stack gone',
    () => left().length === 0,
    Math.max(0, 5000 - (Date.now() - signalledAt)),
  ).catch((e: Error) => {
    throw new Error(
      `${e.message}\nstill running: ${spawnSync('ps', ['-o', 'pid,ppid,args', '-p', left().join(',')], { encoding: 'utf8' }).stdout}`,
    )
  })
  expect(Date.now() - signalledAt).toBeLessThan(5000)
  expect(supervisor.exitCode).toBe(0)
}, 60_000)
