import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from './browser'
import { open, signedIn } from './pages'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser.close())

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

interface Violation {
  id: string
  impact: string | null
  help: string
  nodes: { target: string[] }[]
}

/** axe-core's critical and serious findings on the page as it is now (WCAG 2.1 A and AA rules). */
async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated through the devtools protocol: the page's CSP (rightly) refuses inline scripts.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource)
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (o: unknown) => Promise<{ violations: Violation[] }> } }).axe
    const result = await axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
    return result.violations
  })
  return violations
    .filter((v) => v.impact === 'critical' || v.impact === 'serious')
    .map(
      (v) =>
        `${v.id} (${v.help}): ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(' | ')}`,
    )
}

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
