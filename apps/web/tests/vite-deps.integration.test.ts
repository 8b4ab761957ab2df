import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createServer, type Logger, type ViteDevServer } from 'vite'
import { afterAll, beforeAll, expect, it } from 'vitest'

/**
 * The dev server's dependency pre-bundling, as a newcomer's first visits exercise it. Every module the browser loads
 * (root, every route, everything they import from the app and the workspace packages) is transformed for the client
 * the way page loads would; a package import Vite had not pre-bundled makes it re-optimise mid-session, which is how
 * the first dashboard visit used to get two copies of React. Also: nothing in optimizeDeps.include fails to resolve.
 */
const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

let server: ViteDevServer
let cacheDir: string
const warnings: string[] = []

beforeAll(async () => {
  // Its own cache: a fresh install's first start, whatever other dev servers on this checkout have cached.
  cacheDir = await mkdtemp(path.join(tmpdir(), 'impera-vite-deps-'))
  const record = (m: string) => void warnings.push(m)
  const logger: Logger = { info: () => {}, warn: record, warnOnce: record, error: record, clearScreen: () => {}, hasErrorLogged: () => false, hasWarned: false }
  server = await createServer({ root: WEB, cacheDir, customLogger: logger, server: { middlewareMode: true, hmr: false, preTransformRequests: false } })
}, 60_000)
afterAll(async () => {
  await server?.close()
  await rm(cacheDir, { recursive: true, force: true })
})

it('pre-bundles every package the browser code imports, and names only packages that resolve', async () => {
  const client = server.environments.client
  const optimizer = client.depsOptimizer!
  const discoveredLate: string[] = []
  const register = optimizer.registerMissingImport.bind(optimizer)
  optimizer.registerMissingImport = (id, resolved) => {
    discoveredLate.push(id)
    return register(id, resolved)
  }

  const routes = await readdir(path.join(WEB, 'app/routes'))
  const queue = ['/app/root.tsx', ...routes.map((f) => `/app/routes/${f}`)]
  const seen = new Set<string>()
  while (queue.length) {
    const url = queue.shift()!
    if (seen.has(url)) continue
    seen.add(url)
    await client.transformRequest(url)
    const mod = await client.moduleGraph.getModuleByUrl(url)
    for (const imported of mod?.importedModules ?? []) {
      const { url: next, file } = imported
      // Source modules only: not packages (already bundled), styles, Vite's own or virtual modules.
      if (!file || file.includes('/node_modules/') || file.startsWith(cacheDir) || next.endsWith('.css') || next.startsWith('\0')) continue
      if (next.startsWith('/@') && !next.startsWith('/@fs/')) continue
      queue.push(next)
    }
  }

  expect(seen.size).toBeGreaterThan(routes.length)
  expect(discoveredLate, 'imported by browser code but missing from optimizeDeps.include in vite.config.ts').toEqual([])
  expect(warnings.filter((w) => /Failed to resolve dependency/.test(w))).toEqual([])
}, 60_000)
