import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import net from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { TestProject } from 'vitest/node'
import { generateVapidKeys } from '@impera/api/push'
import { startPushControl, startPushStandIn } from '../../../../packages/api/tests/stand-ins/push'
import { spawnTestCluster } from '../../../../packages/db/src/testing/cluster-process'
import { findBrowser } from '../../../../scripts/browser'
import { startBalancer } from './balancer'

declare module 'vitest' {
  export interface ProvidedContext {
    e2e: {
      baseURL: string
      secondURL: string
      /** Both web instances behind a round-robin balancer, and its count of connections given to each. */
      balancedURL: string
      balancerControl: string
      ownerUrl: string
      pushControl: string
    }
  }
}

const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const ROOT = path.resolve(WEB, '../..')

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port
      s.close(() => resolve(port))
    })
  })
}

async function waitReady(url: string, child: ChildProcess, ms = 60_000) {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`)
    const ok = await fetch(url)
      .then((r) => r.ok)
      .catch(() => false)
    if (ok) return
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`${url} not ready`)
}

/**
 * Browser tests run against the production build, as users get it: the real server and the real worker as separate
 * processes — two of each, as an install scaled out runs them —, on a throwaway embedded cluster seeded with the demo
 * data.
 */
export default async function setup(project: TestProject) {
  if (!existsSync(path.join(WEB, 'build/server/index.js')))
    throw new Error('apps/web is not built: run `pnpm build` first (pnpm test does).')
  // Before starting anything: no browser is one line saying how to get one, not a failure in every spec.
  findBrowser()
  const cluster = await spawnTestCluster('impera_template', 'impera-e2e-app')
  const uploads = await mkdtemp(path.join(tmpdir(), 'impera-e2e-uploads-'))
  // Seed and servers must seal and open WhatsApp credentials with the same key.
  const secretsKey = Buffer.alloc(32, 3).toString('base64')
  const ownerUrl = cluster.info.ownerUrlTemplate.replace('__DB__', 'impera_template')
  await new Promise<void>((resolve, reject) => {
    // The same seed as `pnpm db:seed`, photos included (their files land in this run's own uploads directory).
    const seed = spawn(process.execPath, ['--import', 'tsx', 'scripts/db.ts', 'seed'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: ownerUrl,
        APP_DB_PASSWORD: 'impera-e2e-app',
        UPLOADS_DIR: uploads,
        SECRETS_KEY: secretsKey,
      },
      stdio: 'ignore',
    })
    seed.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`seed failed: ${code}`))))
  })
  // Web push goes to a stand-in push service (decision 035), over HTTPS with a certificate the processes are told to
  // trust; the spec drives it through its control port.
  const push = await startPushStandIn()
  const pushControl = await startPushControl(push)
  const pushCa = path.join(uploads, 'push-ca.pem')
  await writeFile(pushCa, push.ca)
  const vapid = generateVapidKeys()
  const port = await freePort()
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    ENABLE_DEV_MAILBOX: 'true',
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: ownerUrl,
    APP_DB_PASSWORD: 'impera-e2e-app',
    UPLOADS_DIR: uploads,
    SECRETS_KEY: secretsKey,
    SESSION_SECRET: 'e2e-session-secret-that-is-long-enough-0123456789',
    LOG_LEVEL: 'warn',
    // The webhook spec's receiver listens on this machine.
    WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'true',
    VAPID_PUBLIC_KEY: vapid.publicKey,
    VAPID_PRIVATE_KEY: vapid.privateKey,
    PUSH_EXTRA_SERVICES: push.url,
    NODE_EXTRA_CA_CERTS: pushCa,
  }
  const web = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: WEB,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  // Two workers on the one database, as a production install scaled out runs them (issue 19): every spec's jobs are
  // taken by either, and none may run twice.
  const workers = [0, 1].map(() =>
    spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: path.join(ROOT, 'apps/worker'),
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    }),
  )
  // A second web instance on the same database, as behind a load balancer: live updates must reach its browsers too.
  const port2 = await freePort()
  const web2 = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: WEB,
    env: { ...env, PORT: String(port2), PUBLIC_URL: `http://127.0.0.1:${port2}` },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  await waitReady(`http://127.0.0.1:${port}/readyz`, web)
  await waitReady(`http://127.0.0.1:${port2}/readyz`, web2)
  const balancer = await startBalancer([port, port2])
  project.provide('e2e', {
    baseURL: `http://127.0.0.1:${port}`,
    secondURL: `http://127.0.0.1:${port2}`,
    balancedURL: balancer.url,
    balancerControl: balancer.controlUrl,
    ownerUrl,
    pushControl: pushControl.url,
  })
  return async () => {
    await balancer.close()
    const children: ChildProcess[] = [web, web2, ...workers]
    for (const c of children) c.kill('SIGTERM')
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))))
    await cluster.stop()
    await pushControl.close()
    await push.close()
    await rm(uploads, { recursive: true, force: true })
  }
}
