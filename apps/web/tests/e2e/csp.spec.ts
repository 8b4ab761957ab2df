import type { Browser, ConsoleMessage } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from './browser'
import { hydrated, open, signedIn } from './pages'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser.close())

const isViolation = (m: ConsoleMessage) => /Content Security Policy/i.test(m.text())

describe('the app under its Content-Security-Policy', () => {
  it('hydrates, navigates, charts and goes live with no violation; an injected script does not run', async () => {
    const page = await signedIn(browser, 'ana.souza@horizonte.demo')
    const violations: string[] = []
    page.on('console', (m) => isViolation(m) && violations.push(m.text()))
    // Frames are counted from inside the socket's own event, synchronously: a listener attached a microtask later (a
    // promise's then) could miss the handshake frames already dispatched with it, and then only the next heartbeat
    // (every 25 s) would come — a loaded machine missed the 30 s limit that way twice.
    let frames = 0
    page.on('websocket', (ws) => {
      if (ws.url().includes('/socket.io')) ws.on('framereceived', () => frames++)
    })
    await open(page, '/app')
    // The dashboard's charts (inline styles), then client-side navigation and the live socket.
    await page.getByTestId('dashboard-scope').waitFor()
    await expect.poll(() => frames, { timeout: 30_000 }).toBeGreaterThan(0)
    await page.locator('html[data-live]').waitFor({ state: 'attached' })
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Leads' }).click()
    await page.waitForURL(/\/app\/leads/)
    await open(page, '/app/inbox')
    await hydrated(page)
    expect(violations).toEqual([])
    expect(page.errors).toEqual([])

    // A script slipped into the page (as an XSS would) carries no nonce: refused, and reported.
    await page.evaluate(() => {
      const s = document.createElement('script')
      s.textContent = 'window.__cspProbe = 1'
      document.head.append(s)
    })
    expect(await page.evaluate(() => (window as unknown as { __cspProbe?: number }).__cspProbe)).toBeUndefined()
    await expect.poll(() => violations.length, { timeout: 10_000 }).toBe(1)
  })
})
