import { accessSync, constants, statSync } from 'node:fs'
import { homedir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

/** What `findBrowser` looks at; tests give it a made-up machine. */
export interface BrowserProbe {
  env: Record<string, string | undefined>
  platform: NodeJS.Platform
  home: string
  isExecutable: (file: string) => boolean
  /** Where `playwright-core install chromium` puts Playwright's own Chromium (it may not be there). */
  playwrightChromium: () => string
}

const INSTALL_HINT =
  'install one (Debian/Ubuntu: `apt-get install -y chromium`; Fedora: `dnf install -y chromium`; macOS: `brew install --cask chromium`; ' +
  'anywhere: `pnpm exec playwright-core install chromium`) or set CHROMIUM_PATH to a Chromium or Chrome executable'

/** Chromium-based browsers by the names their packages put on PATH (Debian, Fedora, Arch, Google's packages). */
const ON_PATH = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome']

function appBundles(home: string) {
  const apps = ['Chromium.app/Contents/MacOS/Chromium', 'Google Chrome.app/Contents/MacOS/Google Chrome']
  return ['/Applications', path.join(home, 'Applications')].flatMap((dir) => apps.map((app) => path.join(dir, app)))
}

/**
 * The browser the browser tests drive, on any kind of machine: CHROMIUM_PATH when set (and then only it), else the
 * first Chromium or Chrome on PATH, in the usual install locations (macOS app bundles, snap), or Playwright's own.
 * Throws one line naming the install commands when there is none.
 */
export function findBrowser(probe: BrowserProbe = localProbe()): string {
  const { env, platform, home, isExecutable } = probe
  if (env.CHROMIUM_PATH) {
    if (isExecutable(env.CHROMIUM_PATH)) return env.CHROMIUM_PATH
    throw new Error(
      `CHROMIUM_PATH=${env.CHROMIUM_PATH} is not an executable file: fix it, or unset it to look for a browser.`,
    )
  }
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean)
  const candidates = [
    ...dirs.flatMap((dir) => ON_PATH.map((name) => path.join(dir, name))),
    ...(platform === 'darwin' ? appBundles(home) : []),
    ...(platform === 'linux' ? ['/snap/bin/chromium'] : []),
    probe.playwrightChromium(),
  ]
  const found = candidates.find((file) => isExecutable(file))
  if (found) return found
  throw new Error(`No Chromium-based browser found for the browser tests: ${INSTALL_HINT}.`)
}

function localProbe(): BrowserProbe {
  return {
    // Dev tooling's edge: the browser location is the developer's choice.
    env: process.env,
    platform: process.platform,
    home: homedir(),
    isExecutable: (file) => {
      try {
        accessSync(file, constants.X_OK)
        return statSync(file).isFile()
      } catch {
        return false
      }
    },
    playwrightChromium: () => {
      try {
        return chromium.executablePath()
      } catch {
        // No Playwright build of Chromium for this platform.
        return ''
      }
    },
  }
}

// `node --import tsx scripts/browser.ts`: prints the browser's path, or the one-line reason there is none (exit 1).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    console.log(findBrowser())
  } catch (e) {
    console.error((e as Error).message)
    process.exit(1)
  }
}
