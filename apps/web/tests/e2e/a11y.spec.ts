import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seriousViolations } from './axe'
import { launchBrowser } from './browser'
import { open, signedIn } from './pages'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser.close())

const pages = [
  '/app',
  '/app/today',
  '/app/leads',
  '/app/clients',
  '/app/properties',
  '/app/inbox',
  '/app/calendar',
  '/app/settings/export',
  '/profile',
]

/**
 * Issue 18's bar: axe-core (WCAG 2.1 A and AA rules, colour contrast included) finds nothing critical or serious on
 * the main pages, on a laptop and on a phone, in both themes (dark as the device's choice, as most people leave it).
 * Each width in one theme: the themes differ only in colour tokens, whose contrast each pass measures on every page.
 */
describe('accessibility', () => {
  for (const [width, scheme] of [
    [1280, 'light'],
    [375, 'dark'],
  ] as const)
    it(`the main pages have no critical or serious axe findings at ${width} px, ${scheme}`, async () => {
      const page = await signedIn(browser, 'ana.souza@horizonte.demo', { width })
      await page.emulateMedia({ colorScheme: scheme })
      const found: Record<string, string[]> = {}
      for (const path of pages) {
        await open(page, path)
        const v = await seriousViolations(page)
        if (v.length) found[path] = v
      }
      expect(found).toEqual({})
    })
})
