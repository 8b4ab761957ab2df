import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from './browser'
import { open, signedIn } from './pages'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser.close())

/** The page's background as the eye sees it: dark when its channels are low. */
const background = (page: Page) =>
  page.evaluate(() => {
    const [r, g, b] = getComputedStyle(document.body)
      .backgroundColor.match(/\d+(\.\d+)?/g)!
      .map(Number)
    return (r! + g! + b!) / 3 < 80 ? 'dark' : 'light'
  })

/**
 * Issue 18's dark mode: system / light / dark, chosen in the profile, remembered on the person, and rendered by the
 * server (the attribute is in the HTML, so the first paint is already right — no flash).
 */
describe('theme', () => {
  it('dark, then the device’s choice, then light; the server sends the saved theme with the page', async () => {
    const page = await signedIn(browser, 'carla.mendes@horizonte.demo', { width: 375 })
    await page.emulateMedia({ colorScheme: 'light' })
    await open(page, '/profile')
    const choose = async (label: string, theme: string) => {
      await page.getByRole('radio', { name: label }).check()
      await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe(theme)
    }
    await choose('Escuro', 'dark')
    await expect.poll(() => background(page)).toBe('dark')
    // Saved: a fresh load arrives dark from the server, before any script runs.
    await expect
      .poll(async () => /<html[^>]*data-theme="dark"/.test(await (await page.request.get('/app')).text()))
      .toBe(true)
    await open(page, '/app/leads')
    expect(await background(page)).toBe('dark')

    // The device's choice follows the device.
    await open(page, '/profile')
    await choose('Como o aparelho', 'system')
    await expect.poll(() => background(page)).toBe('light')
    await page.emulateMedia({ colorScheme: 'dark' })
    await expect.poll(() => background(page)).toBe('dark')

    // Light stays light on a dark device.
    await choose('Claro', 'light')
    await expect.poll(() => background(page)).toBe('light')
    await expect
      .poll(async () => /<html[^>]*data-theme="light"/.test(await (await page.request.get('/app')).text()))
      .toBe(true)
    await choose('Como o aparelho', 'system')
    expect(page.errors).toEqual([])
  })
})
