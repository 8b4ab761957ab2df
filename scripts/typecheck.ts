import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * `pnpm typecheck`: `tsc -b` over every project of the workspace (decision 016). Each package is checked once, its
 * dependents read its declarations, and .tsbuildinfo files (node_modules/.cache/tsc of each package) keep what is
 * still valid. tsc -b judges that from the workspace's files only and never looks into node_modules, so when the
 * installed dependencies change (pnpm's node_modules/.pnpm/lock.yaml) the next run re-checks everything once.
 * Extra arguments go to tsc (`pnpm typecheck --verbose`, `--force`).
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const projects = [
  'tsconfig.json',
  ...['packages', 'apps'].flatMap((dir) =>
    readdirSync(path.join(root, dir))
      .filter((name) => existsSync(path.join(root, dir, name, 'tsconfig.json')))
      .map((name) => `${dir}/${name}`),
  ),
]

const installed = path.join(root, 'node_modules/.pnpm/lock.yaml')
const stampFile = path.join(root, 'node_modules/.cache/tsc/dependencies.sha256')
const stamp = createHash('sha256')
  .update(readFileSync(existsSync(installed) ? installed : path.join(root, 'pnpm-lock.yaml')))
  .digest('hex')
const force = !existsSync(stampFile) || readFileSync(stampFile, 'utf8') !== stamp

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
const args = ['-b', ...(force ? ['--force'] : []), ...projects, ...process.argv.slice(2)]
const run = spawnSync(process.execPath, [tsc, ...args], { cwd: root, stdio: 'inherit' })
// A completed run, errors or not, leaves every project's .tsbuildinfo describing the dependencies now installed.
if (force && (run.status === 0 || run.status === 1 || run.status === 2)) {
  mkdirSync(path.dirname(stampFile), { recursive: true })
  writeFileSync(stampFile, stamp)
}
process.exit(run.status ?? 1)
