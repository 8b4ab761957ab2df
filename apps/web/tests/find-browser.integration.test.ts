import { describe, expect, it } from 'vitest'
import { findBrowser, type BrowserProbe } from '../../../scripts/browser'

/**
 * Browser discovery for the browser tests on machines of other kinds (scripts/browser.ts), on made-up machines. (In the
 * integration tier only because the unit tier's globs do not reach scripts/; it needs no database.)
 */
function machine(files: string[], over: Partial<BrowserProbe> = {}): BrowserProbe {
  return {
    env: { PATH: '/usr/local/bin:/usr/bin:/bin' },
    platform: 'linux',
    home: '/home/dev',
    isExecutable: (file) => files.includes(file),
    playwrightChromium: () => '/home/dev/.cache/ms-playwright/chromium-1255/chrome-linux64/chrome',
    ...over,
  }
}

describe('findBrowser', () => {
  it("finds Debian's Chromium", () => {
    expect(findBrowser(machine(['/usr/bin/chromium']))).toBe('/usr/bin/chromium')
  })

  it("finds Fedora's chromium-browser and Google's Chrome on PATH, in PATH order", () => {
    expect(findBrowser(machine(['/usr/bin/chromium-browser']))).toBe('/usr/bin/chromium-browser')
    expect(findBrowser(machine(['/usr/bin/google-chrome', '/usr/local/bin/google-chrome-stable']))).toBe(
      '/usr/local/bin/google-chrome-stable',
    )
  })

  it('finds the macOS app bundles, system-wide or the user’s', () => {
    const mac = { platform: 'darwin' as const, home: '/Users/dev', env: { PATH: '/usr/bin:/bin' } }
    expect(findBrowser(machine(['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'], mac))).toBe(
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    )
    expect(findBrowser(machine(['/Users/dev/Applications/Chromium.app/Contents/MacOS/Chromium'], mac))).toBe(
      '/Users/dev/Applications/Chromium.app/Contents/MacOS/Chromium',
    )
  })

  it("falls back to Playwright's own Chromium when installed", () => {
    const own = '/home/dev/.cache/ms-playwright/chromium-1255/chrome-linux64/chrome'
    expect(findBrowser(machine([own]))).toBe(own)
    expect(findBrowser(machine([own, '/snap/bin/chromium']))).toBe('/snap/bin/chromium')
  })

  it('takes CHROMIUM_PATH first, and only it when set', () => {
    const env = { PATH: '/usr/bin', CHROMIUM_PATH: '/opt/chrome/chrome' }
    expect(findBrowser(machine(['/usr/bin/chromium', '/opt/chrome/chrome'], { env }))).toBe('/opt/chrome/chrome')
    expect(() => findBrowser(machine(['/usr/bin/chromium'], { env }))).toThrow(
      /^CHROMIUM_PATH=\/opt\/chrome\/chrome is not an executable file/,
    )
  })

  it('fails with one line naming the install commands when there is no browser', () => {
    let message = ''
    try {
      findBrowser(machine([], { playwrightChromium: () => '' }))
    } catch (e) {
      message = (e as Error).message
    }
    expect(message).not.toContain('\n')
    expect(message).toMatch(/^No Chromium-based browser found/)
    expect(message).toContain('apt-get install -y chromium')
    expect(message).toContain('pnpm exec playwright-core install chromium')
    expect(message).toContain('CHROMIUM_PATH')
  })
})
