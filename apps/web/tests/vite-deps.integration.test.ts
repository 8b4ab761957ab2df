import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ServerBuild } from '@remix-run/node'
import { createServer, type Logger, type ViteDevServer } from 'vite'
import { afterAll, beforeAll, expect, it } from 'vitest'

/**
 * The dev server's dependency pre-bundling, as a newcomer's first visits exercise it. A package Vite had not
 * pre-bundled makes it re-optimise mid-session, which reloads the page or, on the first dashboard visit, left two
 * copies of React in it. So: every module the browser loads (root, every route, everything they import from the app
 * and the workspace packages) is transformed for the client as page loads would, and every page's server render runs
 * Remix's dev CSS crawl (which resolves the routes' server-side imports for the browser too); no package may be
 * discovered late nor served un-bundled, and nothing in optimizeDeps.include may fail to resolve.
 */
const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

let server: ViteDevServer
let cacheDir: string
const warnings: string[] = []
const discoveredLate: string[] = []

beforeAll(async () => {
  // Its own cache: a fresh install's first start, whatever other dev servers on this checkout have cached.
  cacheDir = await mkdtemp(path.join(tmpdir(), 'impera-vite-deps-'))
  const record = (m: string) => void warnings.push(m)
  const logger: Logger = {
    info: () => {},
    warn: record,
    warnOnce: record,
    error: record,
    clearScreen: () => {},
    hasErrorLogged: () => false,
    hasWarned: false,
  }
  server = await createServer({
    root: WEB,
    cacheDir,
    customLogger: logger,
    server: { middlewareMode: true, hmr: false, preTransformRequests: false },
  })
  const optimizer = server.environments.client.depsOptimizer!
  const register = optimizer.registerMissingImport.bind(optimizer)
  optimizer.registerMissingImport = (id, resolved) => {
    discoveredLate.push(id)
    return register(id, resolved)
  }
}, 60_000)
afterAll(async () => {
  await server?.close()
  await rm(cacheDir, { recursive: true, force: true })
})

it('pre-bundles every package the browser code imports, and names only packages that resolve', async () => {
  const client = server.environments.client
  const routes = await readdir(path.join(WEB, 'app/routes'))
  const queue = ['/app/root.tsx', ...routes.map((f) => `/app/routes/${f}`)]
  const seen = new Set<string>()
  const unbundled = new Set<string>()
  while (queue.length) {
    const url = queue.shift()!
    if (seen.has(url)) continue
    seen.add(url)
    await client.transformRequest(url)
    const mod = await client.moduleGraph.getModuleByUrl(url)
    for (const imported of mod?.importedModules ?? []) {
      const { url: next, file } = imported
      if (file?.startsWith(cacheDir)) continue
      if (file?.includes('/node_modules/')) unbundled.add(next)
      // Source modules only: not styles, Vite's own or virtual modules.
      else if (file && !next.endsWith('.css') && !(next.startsWith('/@') && !next.startsWith('/@fs/'))) queue.push(next)
    }
  }

  expect(seen.size).toBeGreaterThan(routes.length)
  expect(discoveredLate, 'imported by browser code but missing from optimizeDeps.include in vite.config.ts').toEqual([])
  expect([...unbundled], 'imported by browser code but missing from optimizeDeps.include in vite.config.ts').toEqual([])
  expect(warnings.filter((w) => /Failed to resolve dependency/.test(w))).toEqual([])
}, 60_000)

it("discovers nothing while rendering pages (Remix's dev CSS crawl of their server imports)", async () => {
  const build = (await server.ssrLoadModule('virtual:remix/server-build')) as ServerBuild
  const hooks = (
    globalThis as { __remix_devServerHooks?: { getCriticalCss: (build: ServerBuild, url: string) => Promise<unknown> } }
  ).__remix_devServerHooks!
  // One URL per route (dynamic segments filled in), as a first visit of each page renders it.
  const urls = Object.values(build.routes).map((route) => {
    const parents: string[] = []
    for (let r: typeof route | undefined = route; r; r = r.parentId ? build.routes[r.parentId] : undefined)
      if (r.path) parents.unshift(r.path)
    return `/${parents.join('/')}`.replace(/:[^/]+/g, 'x')
  })
  for (const url of urls) await hooks.getCriticalCss(build, url)
  expect(discoveredLate).toEqual([])
}, 90_000)
