import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from './browser'
import { open, signedIn } from './pages'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser.close())

/** A PNG's size, from its header (IHDR). */
const pngSize = (b: Buffer) => ({ width: b.readUInt32BE(16), height: b.readUInt32BE(20) })

/**
 * Issue 18's installable app: the page names a web app manifest that opens on "Hoje" standalone, with icons that
 * exist at the sizes it says (a maskable one for Android's shapes) and a touch icon for iOS.
 */
describe('installable on a phone', () => {
  it('links a manifest whose start page and icons are real', async () => {
    const page = await signedIn(browser, 'bruno.lima@horizonte.demo', { width: 375 })
    await open(page, '/app/today')
    const href = await page.locator('link[rel="manifest"]').getAttribute('href')
    const res = await page.request.get(href!)
    expect(res.status()).toBe(200)
    expect(res.headers()['content-type']).toMatch(/application\/manifest\+json/)
    const manifest = (await res.json()) as {
      name: string
      start_url: string
      display: string
      icons: { src: string; sizes: string; type: string; purpose?: string }[]
    }
    expect(manifest).toMatchObject({ name: 'Impera CRM', display: 'standalone' })
    expect((await page.request.get(manifest.start_url)).status()).toBe(200)
    expect(manifest.icons.some((i) => i.purpose === 'maskable')).toBe(true)
    for (const icon of manifest.icons) {
      const file = await page.request.get(icon.src)
      expect(file.headers()['content-type']).toBe(icon.type)
      const { width, height } = pngSize(Buffer.from(await file.body()))
      expect(`${width}x${height}`).toBe(icon.sizes)
    }
    const touch = await page.locator('link[rel="apple-touch-icon"]').getAttribute('href')
    expect((await page.request.get(touch!)).status()).toBe(200)
    expect(await page.locator('meta[name="theme-color"]').getAttribute('content')).toBe('#0a6b4f')
  })
})
